// Writers never starve each other (docs/SCHEMA.md "Reading while a crawl writes"): the real
// crawler (the newsharvest binary) against the demo portal, several writers and readers on one
// database file at once.
//   - two crawls of different sites into one (new) database at the same time both finish with
//     all their articles — repeated, every repetition must pass;
//   - a reader holding one read transaction for the whole crawl, and another writer holding
//     BEGIN IMMEDIATE for 8 s in the middle of it, leave the crawl finishing with exit 0;
//   - with no reader left at its end, the crawl truncates the WAL to 0 bytes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "../integration/portal.h"

namespace nh::testing {
namespace {

using nlohmann::json;

// A profile that crawls one section of the demo portal and nothing else (so two profiles have
// disjoint URLs: a URL belongs to one site's frontier).
// `excluded`: TOML array items (single-quoted patterns) of everything outside the site's own
// paths. RE2 has no lookahead, so "not under szdt/" is spelled out character by character.
std::string profile(const std::string& name, const std::string& slug, const std::string& list,
                    const std::string& article, const std::string& excluded) {
  return "name = \"" + name + "\"\n" + "seeds = [\"http://demo.portal.test/" + slug +
         "/index.html\"]\n" +
         "hosts = [\"demo.portal.test\"]\n"
         "time_zone = \"Asia/Shanghai\"\n"
         "[[sections]]\n"
         "name = \"" +
         slug + "\"\n" + "url = \"http://demo.portal.test/" + slug + "/index.html\"\n" +
         "[urls]\n"
         "list = ['" +
         list + "']\n" + "article = ['" + article + "']\n" + "exclude = [" + excluded + "]\n" +
         "[politeness]\n"
         "delay_ms = 10\n"
         "max_connections_per_host = 4\n"
         "robots = true\n"
         "crawl_delay_cap_ms = 20\n"
         "[limits]\n"
         "connect_timeout_ms = 2000\n"
         "total_timeout_ms = 10000\n"
         "max_retries = 2\n";
}

class CrawlConcurrency : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    portal_ = new Portal({"--per-section", "30", "--crawl-delay", "0.01"});
    tmp_ = new TempDir();
    std::ofstream(tmp_->path() / "sitea.toml")
        << profile("sitea", "szdt", R"(^https?://[^/]+/szdt/(index(_\d+)?|list(_\d+)?_\d+)\.html$)",
                   R"(^https?://[^/]+/szdt/\d{6}/t\d{8}_\d+(_\d+)?\.html$)",
                   R"('^https?://[^/]+/?$', '^https?://[^/]+/([^s]|s[^z]|sz[^d]|szd[^t]|szdt[^/])',
                      '^https?://[^/]+/(s|sz|szd|szdt)$')");
    std::ofstream(tmp_->path() / "siteb.toml") << profile(
        "siteb", "wyfc", R"(^https?://[^/]+/wyfc/(index(_\d+)?|list(_\d+)?_\d+)\.html$)",
        R"(^https?://[^/]+/a/\d{8}/\d+(_\d+)?\.html$)",
        R"('^https?://[^/]+/?$', '^https?://[^/]+/([^wa]|w[^y]|wy[^f]|wyf[^c]|wyfc[^/]|a[^/])',
                      '^https?://[^/]+/a/(\d{0,7}[^\d]|\d{8}[^/])',
                      '^https?://[^/]+/(w|wy|wyf|wyfc|a|a/\d{0,8})$')");
    const json m = portal_->manifest();
    for (const auto& a : m["articles"]) {
      if (a["host"] != "demo.portal.test") continue;
      if (a["section_slug"] == "szdt") expected_a_.insert(a["url"].get<std::string>());
      if (a["section_slug"] == "wyfc") expected_b_.insert(a["url"].get<std::string>());
    }
  }
  static void TearDownTestSuite() {
    delete tmp_;
    delete portal_;
  }

  static std::vector<std::string> crawl_args(const std::string& site, const std::string& db) {
    return {"crawl",
            "--config",
            (tmp_->path() / (site + ".toml")).string(),
            "--db",
            db,
            "--connect-to",
            portal_->connect_to(),
            "--allow-private",  // the portal listens on loopback
            "--quiet"};
  }
  // The article URLs the database holds for a site.
  static std::set<std::string> urls_of(const std::string& db, const std::string& site) {
    auto s = store::Store::open(db, read_only());
    std::set<std::string> out;
    for (const auto& r : query(s.raw_handle(),
                               "SELECT a.url FROM articles a JOIN sites s ON s.id = a.site_id "
                               "WHERE s.name = '" +
                                   site + "'"))
      out.insert(*r[0]);
    return out;
  }

  static inline Portal* portal_ = nullptr;
  static inline TempDir* tmp_ = nullptr;
  static inline std::set<std::string> expected_a_, expected_b_;
};

TEST_F(CrawlConcurrency, Spec_TwoCrawlsOfDifferentSitesIntoOneDatabaseBothFinish) {
  ASSERT_GE(expected_a_.size(), 5u);
  ASSERT_GE(expected_b_.size(), 5u);
  constexpr int kRuns = 10;
  int passed = 0;
  for (int run = 0; run < kRuns; ++run) {
    // A new file every time: both processes also create and migrate it at the same moment.
    const std::string db = (tmp_->path() / ("two-" + std::to_string(run) + ".db")).string();
    Background a(crawl_args("sitea", db));
    Background b(crawl_args("siteb", db));
    const CommandResult ra = a.wait();
    const CommandResult rb = b.wait();
    EXPECT_EQ(ra.exit_code, 0) << "run " << run << ": " << ra.err;
    EXPECT_EQ(rb.exit_code, 0) << "run " << run << ": " << rb.err;
    const auto got_a = urls_of(db, "sitea");
    const auto got_b = urls_of(db, "siteb");
    EXPECT_EQ(got_a, expected_a_) << "run " << run;
    EXPECT_EQ(got_b, expected_b_) << "run " << run;
    // Every stored article is searchable when the crawls have ended.
    auto s = store::Store::open(db, read_only());
    EXPECT_EQ(s.index_lag(), 0) << "run " << run;
    // The two crawls wrote at the same time (their batches interleave in the fetch log), not
    // one after the other.
    int switches = 0;
    std::string last;
    for (const auto& r : query(s.raw_handle(), "SELECT site_id FROM fetches ORDER BY id")) {
      if (!last.empty() && *r[0] != last) ++switches;
      last = *r[0];
    }
    EXPECT_GE(switches, 2) << "run " << run;
    passed +=
        ra.exit_code == 0 && rb.exit_code == 0 && got_a == expected_a_ && got_b == expected_b_;
  }
  std::cerr << "[ two crawls ] " << passed << "/" << kRuns << " runs with both complete\n";
  EXPECT_EQ(passed, kRuns);
}

TEST_F(CrawlConcurrency, Spec_LongReaderAndAnEightSecondWriterDoNotFailTheCrawl) {
  const std::string db = (tmp_->path() / "held.db").string();
  { store::Store::open(db); }  // exists and current, so the test's connections can open it
  sqlite3* reader = nullptr;
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &reader), SQLITE_OK);
  ASSERT_EQ(sqlite3_open(db.c_str(), &writer), SQLITE_OK);
  sqlite3_busy_timeout(writer, 30000);
  // The analyst's notebook: one read transaction from before the crawl to after it.
  ASSERT_EQ(
      sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM articles;", nullptr, nullptr, nullptr),
      SQLITE_OK);
  const auto t0 = std::chrono::steady_clock::now();
  Background crawl(crawl_args("sitea", db));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Another writer takes the write lock mid-crawl and keeps it for 8 s.
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::this_thread::sleep_for(std::chrono::seconds(8));
  const bool crawl_was_running = !crawl.exited();
  ASSERT_EQ(sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  const CommandResult r = crawl.wait();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(crawl_was_running) << "the crawl ended while the lock was held";
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(secs, 8.0);
  // The reader's snapshot is still the empty database; a new read sees the whole crawl.
  EXPECT_EQ(scalar(reader, "SELECT count(*) FROM articles"), "0");
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(reader);
  sqlite3_close(writer);
  EXPECT_EQ(urls_of(db, "sitea"), expected_a_);
}

TEST_F(CrawlConcurrency, Spec_CrawlTruncatesTheWalWhenNoOneReads) {
  const std::string db = (tmp_->path() / "wal.db").string();
  { store::Store::open(db); }
  // An idle connection (no transaction) keeps the -wal file from being deleted when the crawl
  // closes its connection, so what the crawl left in it can be measured.
  sqlite3* idle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &idle), SQLITE_OK);
  EXPECT_EQ(scalar(idle, "SELECT count(*) FROM articles"), "0");
  const CommandResult r = run_cli(crawl_args("siteb", db));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::error_code ec;
  ASSERT_TRUE(std::filesystem::exists(db + "-wal"));
  EXPECT_EQ(std::filesystem::file_size(db + "-wal", ec), 0u);
  EXPECT_EQ(scalar(idle, "SELECT count(*) FROM articles"), std::to_string(expected_b_.size()));
  sqlite3_close(idle);
}

}  // namespace
}  // namespace nh::testing
