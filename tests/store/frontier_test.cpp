// Frontier and runs: the crawler's side of the store.
#include <gtest/gtest.h>

#include "helpers.h"

namespace nh::store::test {
namespace {

constexpr std::int64_t kT0 = 1700000000;  // 2023-11-14T22:13:20Z

class FrontierTest : public ::testing::Test {
 protected:
  std::int64_t now = kT0;
  Store store = Store::open(":memory:", OpenOptions{.clock = [this] { return now; }});
  sqlite3* db() { return store.raw_handle(); }
};

TEST_F(FrontierTest, Spec_EnqueueDeduplicatesByUrl) {
  auto b = store.begin_batch();
  EXPECT_TRUE(b.enqueue({"http://a.gov.cn/", "a", "seed", 0}));
  EXPECT_TRUE(b.enqueue({"http://a.gov.cn/list1.html", "a", "list", 1, "http://a.gov.cn/"}));
  EXPECT_FALSE(b.enqueue({"http://a.gov.cn/list1.html", "a", "article", 2}));
  b.commit();
  EXPECT_EQ(rows(db(),
                 "SELECT f.url, s.name, kind, depth, state, attempts, next_attempt_at, "
                 "last_error, referrer, discovered_at FROM frontier f JOIN sites s ON "
                 "s.id = f.site_id ORDER BY f.id"),
            (Rows{{"http://a.gov.cn/", "a", "seed", "0", "pending", "0", "2023-11-14T22:13:20Z",
                   "NULL", "NULL", "2023-11-14T22:13:20Z"},
                  {"http://a.gov.cn/list1.html", "a", "list", "1", "pending", "0",
                   "2023-11-14T22:13:20Z", "NULL", "http://a.gov.cn/", "2023-11-14T22:13:20Z"}}));
}

TEST_F(FrontierTest, Spec_ClaimDueTakesShallowestDueUrlsOnce) {
  {
    auto b = store.begin_batch();
    b.enqueue({"http://a.gov.cn/deep", "a", "article", 2});
    b.enqueue({"http://a.gov.cn/", "a", "seed", 0});
    b.enqueue({"http://a.gov.cn/later", "a", "list", 0, std::nullopt, kT0 + 600});
    b.enqueue({"http://b.gov.cn/", "b", "seed", 0});
    b.commit();
  }
  const auto first = store.claim_due("a", 10);
  EXPECT_EQ(first, (std::vector<FrontierItem>{{2, "http://a.gov.cn/", "a", "seed", 0, 0},
                                              {1, "http://a.gov.cn/deep", "a", "article", 2, 0}}));
  EXPECT_TRUE(store.claim_due("a", 10).empty()) << "claimed URLs are not handed out twice";
  now += 600;
  // Same depth: the URL due longest comes first.
  EXPECT_EQ(store.claim_due(std::nullopt, 1),
            (std::vector<FrontierItem>{{4, "http://b.gov.cn/", "b", "seed", 0, 0}}));
  EXPECT_EQ(store.claim_due(std::nullopt, 5),
            (std::vector<FrontierItem>{{3, "http://a.gov.cn/later", "a", "list", 0, 0}}));
  EXPECT_EQ(rows(db(), "SELECT url, state FROM frontier ORDER BY id"),
            (Rows{{"http://a.gov.cn/deep", "in_progress"},
                  {"http://a.gov.cn/", "in_progress"},
                  {"http://a.gov.cn/later", "in_progress"},
                  {"http://b.gov.cn/", "in_progress"}}));
  EXPECT_EQ(store.requeue_in_progress(), 4);
  EXPECT_EQ(one(db(), "SELECT count(*) FROM frontier WHERE state = 'pending'"), "4");
}

TEST_F(FrontierTest, Spec_MarkFailedCountsAttemptsAndBacksOff) {
  {
    auto b = store.begin_batch();
    b.enqueue({"http://a.gov.cn/x", "a", "article", 1});
    b.enqueue({"http://a.gov.cn/y", "a", "article", 1});
    b.commit();
  }
  store.claim_due(std::nullopt, 10);
  {
    auto b = store.begin_batch();
    b.mark_failed("http://a.gov.cn/x", "timeout", kT0 + 120);
    b.mark_done("http://a.gov.cn/y");
    b.commit();
  }
  EXPECT_TRUE(store.claim_due(std::nullopt, 10).empty()) << "not due before next_attempt_at";
  now += 120;
  EXPECT_EQ(store.claim_due(std::nullopt, 10).size(), 1u);
  {
    auto b = store.begin_batch();
    b.mark_failed("http://a.gov.cn/x", "HTTP 404", std::nullopt);
    b.commit();
  }
  EXPECT_EQ(rows(db(),
                 "SELECT url, state, attempts, next_attempt_at, last_error FROM frontier "
                 "ORDER BY id"),
            (Rows{{"http://a.gov.cn/x", "failed", "2", "2023-11-14T22:15:20Z", "HTTP 404"},
                  {"http://a.gov.cn/y", "done", "0", "2023-11-14T22:13:20Z", "NULL"}}));
}

TEST_F(FrontierTest, Spec_RunsRecordCountsFetchLogAndPerRunFillRates) {
  const std::int64_t run = store.begin_run("demo");
  {
    auto b = store.begin_batch(run);
    for (int n = 1; n <= 3; ++n) {
      auto p = synthetic_page(n);
      if (n == 3) p.article.reporters.clear();
      b.upsert_article("demo", "http://example.gov.cn/a/" + std::to_string(n) + ".html", p);
      b.log_fetch({"demo", "http://example.gov.cn/a/" + std::to_string(n) + ".html", 200,
                   std::nullopt, 12, std::nullopt});
    }
    b.log_fetch({"demo", "http://example.gov.cn/gone", std::nullopt, "timeout", 30000});
    b.commit();
  }
  {
    auto b = store.begin_batch(run);
    b.upsert_article("demo", "http://example.gov.cn/a/1.html", synthetic_page(1));  // unchanged
    b.commit();
  }
  now += 90;
  store.finish_run(run, RunStatus::degraded, RunCounts{5, 1, 3, 0, 1, 0});
  EXPECT_EQ(rows(db(),
                 "SELECT id, site_id, started_at, finished_at, status, pages_fetched, "
                 "pages_failed, articles_new, articles_changed, articles_unchanged, "
                 "links_enqueued FROM runs"),
            (Rows{{"1", "1", "2023-11-14T22:13:20Z", "2023-11-14T22:14:50Z", "degraded", "5", "1",
                   "3", "0", "1", "0"}}));
  EXPECT_EQ(rows(db(), "SELECT run_id, url, status, error, elapsed_ms FROM fetches ORDER BY id"),
            (Rows{{"1", "http://example.gov.cn/a/1.html", "200", "NULL", "12"},
                  {"1", "http://example.gov.cn/a/2.html", "200", "NULL", "12"},
                  {"1", "http://example.gov.cn/a/3.html", "200", "NULL", "12"},
                  {"1", "http://example.gov.cn/gone", "NULL", "timeout", "30000"}}));
  EXPECT_EQ(rows(db(),
                 "SELECT run_id, site_id, articles, new, changed, title, published_at, "
                 "reporters, section, source, body FROM run_sites"),
            (Rows{{"1", "1", "4", "3", "0", "4", "4", "3", "4", "0", "4"}}));
  EXPECT_EQ(store.run_fill_counts(run),
            (std::map<std::string, FillCounts>{{"demo", FillCounts{4, 4, 4, 3, 4, 0, 4}}}));
  EXPECT_EQ(one(db(), "SELECT group_concat(run_id) FROM articles"), "1,1,1");
}

TEST_F(FrontierTest, Spec_SiteStatsPerSite) {
  const std::int64_t r1 = store.begin_run("demo");
  {
    auto b = store.begin_batch(r1);
    b.upsert_article("demo", "http://example.gov.cn/a/1.html", synthetic_page(1));
    auto p = synthetic_page(2);
    p.article.section.reset();
    b.upsert_article("demo", "http://example.gov.cn/a/2.html", p);
    b.upsert_article("mirror", "http://mirror.cn/1.html", synthetic_page(1));  // reprint
    b.commit();
  }
  store.finish_run(r1, RunStatus::ok, {});
  now += 3600;
  const std::int64_t r2 = store.begin_run("demo");
  store.finish_run(r2, RunStatus::failed, {});
  const auto stats = store.site_stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].site, "demo");
  EXPECT_EQ(stats[0].fill, (FillCounts{2, 2, 2, 2, 1, 0, 2}));
  EXPECT_EQ(stats[0].duplicates, 0);
  ASSERT_TRUE(stats[0].last_run && stats[0].last_success);
  EXPECT_EQ(stats[0].last_run->id, r2);
  EXPECT_EQ(stats[0].last_run->status, "failed");
  EXPECT_EQ(stats[0].last_success->id, r1);
  EXPECT_EQ(stats[0].last_success->finished_at, "2023-11-14T22:13:20Z");
  EXPECT_EQ(stats[1].site, "mirror");
  EXPECT_EQ(stats[1].duplicates, 1);
  EXPECT_EQ(stats[1].last_run->id, r1);  // touched by run 1 through run_sites
}

}  // namespace
}  // namespace nh::store::test
