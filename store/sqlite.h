// Internal to newsharvest::store: thin RAII owners for the SQLite C handles and the few
// statement helpers the store needs. Not part of the public API (include store/store.h).
//
// Ownership: Db owns one sqlite3* connection; Stmt owns one sqlite3_stmt* and must not outlive
// the Db it was prepared on (Db declares its statements' lifetime by owning the cache in
// Store::Impl). Every failure throws StoreError whose message starts with the database path.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"

namespace nh::store::sql {

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// "PATH: what: sqlite message (code)"; the path is what the user typed.
[[noreturn]] void fail(sqlite3* db, const std::string& path, std::string_view what);

// A prepared statement with bound-parameter helpers (1-based indexes, as SQLite).
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const std::string& path, std::string_view sql);

  // Binding: std::nullopt binds NULL. Text and blobs are copied (SQLITE_TRANSIENT) so the
  // caller's buffers need not outlive the call.
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::optional<std::string>& v);
  Stmt& bind(int i, const std::optional<std::int64_t>& v);
  Stmt& bind_null(int i);
  Stmt& bind_blob(int i, std::string_view bytes);
  // Named parameters (":name" as written in the SQL); a name the statement lacks throws.
  template <typename T>
  Stmt& bind(const char* name, const T& v) {
    return bind(index(name), v);
  }
  Stmt& bind_null(const char* name) { return bind_null(index(name)); }
  int index(const char* name) const;

  // true while a row is available; false at the end. Throws on error.
  bool step();
  // Runs to completion (for writes); resets so the statement can be reused.
  void run();
  void reset() noexcept;

  bool is_null(int col) const;
  std::int64_t i64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::optional<std::int64_t> opt_i64(int col) const;
  std::string blob(int col) const;

  sqlite3_stmt* get() const { return stmt_.get(); }

 private:
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
  sqlite3* db_ = nullptr;
  const std::string* path_ = nullptr;
};

// Resets a cached statement when the scope ends, whatever happened in it.
class StmtScope {
 public:
  explicit StmtScope(Stmt& s) : s_(s) {}
  ~StmtScope() { s_.reset(); }
  StmtScope(const StmtScope&) = delete;
  StmtScope& operator=(const StmtScope&) = delete;

 private:
  Stmt& s_;
};

// Executes one or more statements without parameters (DDL, PRAGMA, BEGIN/COMMIT).
void exec(sqlite3* db, const std::string& path, const std::string& sql);

// Scope guard: BEGIN IMMEDIATE on construction (takes the write lock up front, so a busy
// database waits in busy_timeout instead of failing later with SQLITE_BUSY on upgrade), COMMIT
// only when commit() is called, ROLLBACK in the destructor otherwise.
class Transaction {
 public:
  // A busy database (another writer holds the lock beyond busy_timeout) is waited for, retrying
  // BEGIN, up to lock_timeout_ms in all; then the StoreError (busy()) is thrown.
  Transaction(sqlite3* db, const std::string& path, bool immediate = true, int lock_timeout_ms = 0);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();
  bool active() const { return active_; }

 private:
  sqlite3* db_;
  const std::string& path_;
  bool active_ = false;
};

}  // namespace nh::store::sql
