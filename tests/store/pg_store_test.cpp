// The PostgreSQL store (store/pg/) against the SQLite store: the same writes give the same
// outcomes and records, and migrate-db copies a database there and back with nothing lost.
// Needs a PostgreSQL server (tests/support/pg_test_db.h); skipped, saying why, without one.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "helpers.h"
#include "store/pg/pg_migrate.h"
#include "store/pg/pg_store.h"
#include "tests/support/pg_test_db.h"

namespace nh::store::test {
namespace {

using pg::PgStore;

RawPage raw_of(const extract::Page& p, const std::string& body) {
  RawPage r;
  r.url = p.final_url;
  r.content_type = "text/html; charset=utf-8";
  r.bytes = body;
  return r;
}

// The same sequence of writes on both stores: four articles, a reprint of the first (near-
// duplicate, another URL), a changed version of the second (history), an unchanged re-store.
template <class S>
std::vector<UpsertResult> write_sample(S& st) {
  std::vector<UpsertResult> out;
  auto b = st.begin_batch();
  for (int n = 0; n < 4; ++n) {
    const auto p = synthetic_page(n);
    const auto raw = raw_of(p, "<html>" + std::to_string(n) + "</html>");
    out.push_back(b.upsert_article("demo", p.final_url, p, &raw, {}));
  }
  auto reprint = synthetic_page(0);
  reprint.final_url = "http://mirror.example/a/0.html";
  out.push_back(b.upsert_article("mirror", reprint.final_url, reprint, nullptr, {}));
  b.commit();
  auto b2 = st.begin_batch();
  auto changed = synthetic_page(1);
  changed.article.title = "第1号文章（更新）";
  changed.article.contributors.push_back({"王五", extract::Role::editor});
  out.push_back(b2.upsert_article("demo", changed.final_url, changed, nullptr, {}));
  const auto same = synthetic_page(2);
  out.push_back(b2.upsert_article("demo", same.final_url, same, nullptr, {}));
  b2.commit();
  return out;
}

std::map<std::string, std::tuple<extract::Article, bool, int>> records(auto& st) {
  std::map<std::string, std::tuple<extract::Article, bool, int>> out;
  st.for_each_article({}, [&](const StoredArticle& a) {
    out[a.url] = {a.article, a.duplicate_of.has_value(), a.version};
  });
  return out;
}

TEST(PgStoreTest, Spec_SameWritesSameOutcomesAndRecordsAsSqlite) {
  testing::PgTestDb db;
  NH_REQUIRE_PG(db);
  auto lite = Store::open(":memory:");
  auto pg = PgStore::open(db.url());
  const auto want = write_sample(lite);
  const auto got = write_sample(pg);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].outcome, want[i].outcome) << i;
    EXPECT_EQ(got[i].duplicate_of.has_value(), want[i].duplicate_of.has_value()) << i;
    EXPECT_EQ(got[i].changed_fields, want[i].changed_fields) << i;
  }
  EXPECT_EQ(got[4].duplicate_of, got[0].article_id);  // the reprint points at the first copy
  EXPECT_EQ(records(pg), records(lite));
  const auto found = pg.find_article(synthetic_page(1).final_url);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->article.contributors.back().name, "王五");
  EXPECT_EQ(pg.conn().exec("SELECT title FROM article_history").text(0, 0), "第1号文章");
  // Search: the same hits for 1-, 2- and 3-character queries, once indexed.
  EXPECT_EQ(pg.index_lag(), 5);
  lite.index_pending();
  pg.index_pending();
  EXPECT_EQ(pg.index_lag(), 0);
  for (const char* q : {"号", "经济", "第1号", "更新", "乡村 振兴", "编号3"}) {
    std::set<std::string> a, b;
    for (const auto& h : lite.search({q, std::nullopt, std::nullopt, 0})) a.insert(h.url);
    for (const auto& h : pg.search({q, std::nullopt, std::nullopt, 0})) b.insert(h.url);
    EXPECT_EQ(b, a) << q;
    EXPECT_FALSE(a.empty()) << q;
  }
}

// SQLite -> PostgreSQL -> SQLite: every copied table's rows come back the same (the search
// index is rebuilt, not copied); a destination that is not empty is refused untouched.
TEST(PgStoreTest, Spec_MigrateDbRoundTripLosesNothing) {
  testing::PgTestDb db;
  NH_REQUIRE_PG(db);
  TempDir tmp;
  const std::string a_path = (tmp.dir / "a.db").string(), b_path = (tmp.dir / "b.db").string();
  auto a = Store::open(a_path);
  write_sample(a);
  {
    const auto run = a.begin_run("demo");
    auto b = a.begin_batch(run);
    const auto again = synthetic_page(3);
    b.upsert_article("demo", again.final_url, again, nullptr, {});  // counted in run_sites
    b.enqueue({"http://example.gov.cn/", "demo", "seed", 0, std::nullopt, std::nullopt, false});
    b.log_fetch({"demo", "http://example.gov.cn/", 200, std::nullopt, 12, std::nullopt});
    b.cache_page("demo", CachedPage{"http://example.gov.cn/", "\"e1\"", std::nullopt, "text/html",
                                    "<html>list</html>", ""});
    b.commit();
    a.finish_run(run, RunStatus::ok, RunCounts{1, 0, 4, 1, 1, 1, 1, 0, 1, 4}, {"an alarm"});
  }
  a.index_pending();
  auto pgs = PgStore::open(db.url());
  const auto there = pg::copy_sqlite_to_pg(a, pgs);
  EXPECT_EQ(there.at("articles"), 5);
  EXPECT_EQ(there.at("article_history"), 1);
  EXPECT_EQ(pgs.index_lag(), 0);  // rebuilt on the way in
  auto b = Store::open(b_path);
  const auto back = pg::copy_pg_to_sqlite(pgs, b);
  EXPECT_EQ(back, there);
  for (const char* table :
       {"sites", "runs", "raw_pages", "articles", "contributors", "article_history",
        "article_pages", "frontier", "fetches", "page_cache", "run_sites"}) {
    const std::string cols = one(
        a.raw_handle(), std::string("SELECT group_concat(name) FROM pragma_table_info('") + table +
                            "') WHERE name NOT IN ('title_terms', 'body_terms', "
                            "'indexed_version')");
    const std::string q = "SELECT " + cols + " FROM " + table + " ORDER BY 1, 2";
    EXPECT_EQ(rows(b.raw_handle(), q), rows(a.raw_handle(), q)) << table;
    EXPECT_FALSE(rows(a.raw_handle(), q).empty()) << table;
  }
  EXPECT_EQ(b.search({"经济", std::nullopt, std::nullopt, 0}).size(),
            a.search({"经济", std::nullopt, std::nullopt, 0}).size());
  // Into a database that is not empty: refused, nothing written.
  EXPECT_THROW(pg::copy_sqlite_to_pg(a, pgs), StoreError);
  EXPECT_EQ(pgs.article_count(), 5);
}

// Workers starting together on a site the database does not know yet: each run begins (the
// loser of the insert race used to read a row its result did not have, and crash), and all
// runs name the same site.
TEST(PgStoreTest, Regression_WorkersStartingTogetherAllBeginTheirRuns) {
  testing::PgTestDb db;
  NH_REQUIRE_PG(db);
  PgStore::open(db.url());  // the schema
  for (int round = 0; round < 5; ++round) {
    const std::string site = "race" + std::to_string(round);
    constexpr int kWorkers = 6;
    std::vector<PgStore> stores;
    for (int i = 0; i < kWorkers; ++i) stores.push_back(PgStore::open(db.url()));
    std::atomic<int> ready{0};
    std::vector<std::string> errors(kWorkers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kWorkers; ++i) {
      threads.emplace_back([&, i] {
        ++ready;
        while (ready.load() < kWorkers) std::this_thread::yield();
        try {
          stores[static_cast<std::size_t>(i)].begin_run(site, "w" + std::to_string(i));
        } catch (const StoreError& e) {
          errors[static_cast<std::size_t>(i)] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors, std::vector<std::string>(kWorkers)) << site;
    pg::Conn c(db.url());
    EXPECT_EQ(c.exec("SELECT count(*) FROM sites WHERE name = $1", {site}).i64(0, 0), 1);
    EXPECT_EQ(c.exec("SELECT count(DISTINCT site_id) FROM runs r JOIN sites s ON s.id = "
                     "r.site_id WHERE s.name = $1",
                     {site})
                  .i64(0, 0),
              1);
  }
}

// A value the result does not have is an error naming it, not a read of a null pointer.
TEST(PgStoreTest, Spec_AMissingRowIsAStoreError) {
  testing::PgTestDb db;
  NH_REQUIRE_PG(db);
  pg::Conn c(db.url());
  const pg::Result r = c.exec("SELECT 1 WHERE false");
  EXPECT_EQ(r.rows(), 0);
  try {
    (void)r.i64(0, 0);
    ADD_FAILURE() << "no error";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()), "PostgreSQL: the result has no row 0, column 0 (0 rows)");
  }
  EXPECT_THROW((void)r.text(0, 0), StoreError);
  EXPECT_THROW((void)c.exec("SELECT 1").text(0, 1), StoreError);
}

}  // namespace
}  // namespace nh::store::test
