// Test helper: a fresh PostgreSQL database per test on the server NH_TEST_PG names (a URL
// whose user may CREATE DATABASE; .ci/run and scripts/test.sh start a throw-away cluster with
// scripts/pg-cluster.sh). Without NH_TEST_PG, available() is false and tests skip, saying why.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "store/pg/pg.h"

namespace nh::testing {

class PgTestDb {
 public:
  PgTestDb() {
    const char* base = std::getenv("NH_TEST_PG");
    if (base == nullptr || *base == 0) return;
    base_ = base;
    name_ = "nh_test_" + std::to_string(getpid()) + "_" + std::to_string(counter()++);
    store::pg::Conn admin(base_);
    admin.script("DROP DATABASE IF EXISTS " + name_);
    admin.script("CREATE DATABASE " + name_);
    url_ = base_.substr(0, base_.rfind('/') + 1) + name_;
  }
  ~PgTestDb() {
    if (url_.empty()) return;
    try {
      store::pg::Conn admin(base_);
      admin.script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {  // the server went away: nothing left to clean
    }
  }
  PgTestDb(const PgTestDb&) = delete;
  PgTestDb& operator=(const PgTestDb&) = delete;
  bool available() const { return !url_.empty(); }
  const std::string& url() const { return url_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::string base_, name_, url_;
};

}  // namespace nh::testing

// At the top of a test that needs the server.
#define NH_REQUIRE_PG(db)                                                                   \
  if (!(db).available())                                                                    \
  GTEST_SKIP() << "NH_TEST_PG is not set: no PostgreSQL server for this test (.ci/run and " \
                  "scripts/test.sh start one with scripts/pg-cluster.sh)"
