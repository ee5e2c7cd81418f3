// Schema v3, the store API of cron-grade crawling: frontier_state, the page cache for
// conditional requests, run alarms and summaries, abandoned runs, per-site requeue, and the
// articles due for a re-check.
#include <gtest/gtest.h>

#include "helpers.h"

namespace nh::store::test {
namespace {

constexpr std::int64_t kT0 = 1700000000;  // 2023-11-14T22:13:20Z

class CronTest : public ::testing::Test {
 protected:
  std::int64_t now = kT0;
  Store store = Store::open(":memory:", OpenOptions{.clock = [this] { return now; }});
  sqlite3* db() { return store.raw_handle(); }
};

TEST_F(CronTest, Spec_FrontierStateOfAbsentPendingInProgressDoneFailed) {
  {
    auto b = store.begin_batch();
    for (const char* u : {"http://a/p", "http://a/i", "http://a/d", "http://a/f"})
      b.enqueue({u, "a", "article", 1});
    b.commit();
  }
  ASSERT_EQ(store.claim_due("a", 3).size(), 3u);  // p, i, d
  {
    auto b = store.begin_batch();
    b.mark_done("http://a/d");
    b.mark_failed("http://a/f", "HTTP 404", std::nullopt);
    b.commit();
  }
  store.requeue_in_progress("a");  // p and i back to pending
  store.claim_due("a", 1);         // ... and p in_progress again (lowest id)
  EXPECT_EQ(one(db(), "SELECT group_concat(state) FROM (SELECT state FROM frontier ORDER BY id)"),
            "in_progress,pending,done,failed");
  auto b = store.begin_batch();
  EXPECT_EQ(b.frontier_state("http://a/p"), FrontierState::in_progress);
  EXPECT_EQ(b.frontier_state("http://a/i"), FrontierState::pending);
  EXPECT_EQ(b.frontier_state("http://a/d"), FrontierState::done);
  EXPECT_EQ(b.frontier_state("http://a/f"), FrontierState::failed);
  EXPECT_EQ(b.frontier_state("http://a/absent"), std::nullopt);
  // Sees the batch's own uncommitted enqueue.
  b.enqueue({"http://a/new", "a", "list", 0});
  EXPECT_EQ(b.frontier_state("http://a/new"), FrontierState::pending);
}

TEST_F(CronTest, Spec_PageCacheReplaceTouchAndRoundTrip) {
  const std::string bytes1 = std::string("<html>列表页 1\0binary\xff", 22) + std::string(5000, 'x');
  {
    auto b = store.begin_batch();
    b.cache_page("a", CachedPage{"http://a/list", "\"v1\"", "Tue, 14 Nov 2023 22:00:00 GMT",
                                 "text/html; charset=utf-8", bytes1, ""});
    b.commit();
  }
  const std::string row_sql =
      "SELECT p.url, s.name, etag, last_modified, content_type, fetched_at, checked_at, size, "
      "typeof(body), length(body) < size FROM page_cache p JOIN sites s ON s.id = p.site_id";
  EXPECT_EQ(rows(db(), row_sql),
            (Rows{{"http://a/list", "a", "\"v1\"", "Tue, 14 Nov 2023 22:00:00 GMT",
                   "text/html; charset=utf-8", "2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z",
                   "5022", "blob", "1"}}));
  EXPECT_EQ(store.cached_page("http://a/list"),
            (CachedPage{"http://a/list", "\"v1\"", "Tue, 14 Nov 2023 22:00:00 GMT",
                        "text/html; charset=utf-8", bytes1, "2023-11-14T22:13:20Z"}));

  // A 304: only checked_at moves. Touching an unknown URL writes nothing.
  now += 600;
  {
    auto b = store.begin_batch();
    b.touch_cached_page("http://a/list");
    b.touch_cached_page("http://a/unknown");
    b.commit();
  }
  EXPECT_EQ(rows(db(), "SELECT url, fetched_at, checked_at, etag FROM page_cache"),
            (Rows{{"http://a/list", "2023-11-14T22:13:20Z", "2023-11-14T22:23:20Z", "\"v1\""}}));
  EXPECT_EQ(store.cached_page("http://a/list")->fetched_at, "2023-11-14T22:13:20Z");

  // A new 200 replaces the row: one row per URL, every column from the new response.
  now += 600;
  {
    auto b = store.begin_batch();
    b.cache_page("a",
                 CachedPage{"http://a/list", std::nullopt, std::nullopt, std::nullopt, "", ""});
    b.cache_page("b", CachedPage{"http://b/feed", "W/\"f\"", std::nullopt, "application/rss+xml",
                                 "<rss/>", "2023-11-01T00:00:00Z"});
    b.commit();
  }
  EXPECT_EQ(rows(db(), row_sql + " ORDER BY p.url"),
            (Rows{{"http://a/list", "a", "NULL", "NULL", "NULL", "2023-11-14T22:33:20Z",
                   "2023-11-14T22:33:20Z", "0", "blob", "0"},
                  {"http://b/feed", "b", "W/\"f\"", "NULL", "application/rss+xml",
                   "2023-11-01T00:00:00Z", "2023-11-01T00:00:00Z", "6", "blob", "0"}}));
  EXPECT_EQ(store.cached_page("http://a/list"),
            (CachedPage{"http://a/list", std::nullopt, std::nullopt, std::nullopt, "",
                        "2023-11-14T22:33:20Z"}));
  EXPECT_EQ(store.cached_page("http://b/feed")->bytes, "<rss/>");
  EXPECT_EQ(store.cached_page("http://a/none"), std::nullopt);
}

TEST_F(CronTest, Spec_ReadsWorkWhileABatchIsOpen) {
  const std::int64_t run = store.begin_run("a");
  auto b = store.begin_batch(run);
  b.cache_page("a", CachedPage{"http://a/list", "e", std::nullopt, std::nullopt, "body", ""});
  b.upsert_article("a", "http://a/1", synthetic_page(1));
  // The crawler asks mid-batch; the batch's own writes are visible, nothing throws.
  ASSERT_TRUE(store.cached_page("http://a/list").has_value());
  EXPECT_EQ(store.cached_page("http://a/list")->bytes, "body");
  EXPECT_TRUE(store.find_article("http://a/1").has_value());
  EXPECT_EQ(store.articles_to_recheck("a", 3650).size(), 1u);
  EXPECT_EQ(store.recent_runs("a", 5).size(), 1u);
  b.commit();
  EXPECT_TRUE(store.cached_page("http://a/list").has_value());
}

TEST_F(CronTest, Spec_FinishRunStoresNewCountsAndAlarms) {
  const std::int64_t run = store.begin_run("a");
  now += 75;
  RunCounts c{12, 2, 3, 1, 4, 9};
  c.requests = 20;
  c.not_modified = 6;
  c.list_pages = 4;
  c.list_article_links = 57;
  store.finish_run(run, RunStatus::degraded, c,
                   {"published_at fill 40% (last 5 runs: 100%)", "引号 \"quoted\" \\ and 中文"});
  EXPECT_EQ(
      rows(db(),
           "SELECT id, site_id, started_at, finished_at, status, pages_fetched, pages_failed, "
           "articles_new, articles_changed, articles_unchanged, links_enqueued, requests, "
           "not_modified, list_pages, list_article_links, alarms FROM runs"),
      (Rows{{"1", "1", "2023-11-14T22:13:20Z", "2023-11-14T22:14:35Z", "degraded", "12", "2", "3",
             "1", "4", "9", "20", "6", "4", "57",
             "[\"published_at fill 40% (last 5 runs: 100%)\",\"引号 \\\"quoted\\\" \\\\ and "
             "中文\"]"}}));
  // The default: no alarms is the empty array, as for a run finished before v3.
  const std::int64_t r2 = store.begin_run("a");
  store.finish_run(r2, RunStatus::ok, {});
  EXPECT_EQ(one(db(), "SELECT alarms FROM runs WHERE id = 2"), "[]");
  const auto runs = store.recent_runs("a", 5);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].counts, c);
  EXPECT_EQ(runs[1].alarms, (std::vector<std::string>{"published_at fill 40% (last 5 runs: 100%)",
                                                      "引号 \"quoted\" \\ and 中文"}));
  EXPECT_TRUE(runs[0].alarms.empty());
  // The analyst view.
  EXPECT_EQ(rows(db(),
                 "SELECT run_id, site, status, duration_s, requests, not_modified, list_pages, "
                 "list_article_links, alarm_count FROM recent_runs ORDER BY run_id"),
            (Rows{{"1", "a", "degraded", "75", "20", "6", "4", "57", "2"},
                  {"2", "a", "ok", "0", "0", "0", "0", "0", "0"}}));
}

TEST_F(CronTest, Spec_RecentRunsOrderLimitBeforeAndFill) {
  // Runs 1..4 of "a" (3 still running), one of "b", and a site-less run that wrote to "a".
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(store.begin_run("a"));
    if (i == 1) {
      auto b = store.begin_batch(ids.back());
      b.upsert_article("a", "http://a/1", synthetic_page(1));
      auto p = synthetic_page(2);
      p.article.title.reset();
      b.upsert_article("a", "http://a/2", p);
      b.upsert_article("b", "http://b/1", synthetic_page(3));  // another site, same run
      b.commit();
    }
    if (i != 2) {
      RunCounts c;
      c.pages_fetched = i;
      c.requests = 10 + i;
      store.finish_run(ids.back(), RunStatus::ok, c,
                       i == 3 ? std::vector<std::string>{"x"} : std::vector<std::string>{});
    }
    now += 60;
  }
  const std::int64_t rb = store.begin_run("b");
  const std::int64_t free_run = store.begin_run();
  {
    auto b = store.begin_batch(free_run);
    b.upsert_article("a", "http://a/3", synthetic_page(4));
    b.commit();
  }
  EXPECT_EQ(rb, 5);
  EXPECT_EQ(free_run, 6);

  const auto all = store.recent_runs("a", 10);
  std::vector<std::int64_t> got;
  for (const auto& r : all) got.push_back(r.id);
  EXPECT_EQ(got, (std::vector<std::int64_t>{6, 4, 3, 2, 1}));

  RunSummary expected_free;
  expected_free.id = 6;
  expected_free.site = "";
  expected_free.started_at = "2023-11-14T22:17:20Z";
  expected_free.status = "running";
  expected_free.fill = FillCounts{1, 1, 1, 1, 1, 0, 1};
  EXPECT_EQ(all[0], expected_free);

  RunSummary r4;
  r4.id = 4;
  r4.site = "a";
  r4.started_at = "2023-11-14T22:16:20Z";
  r4.finished_at = "2023-11-14T22:16:20Z";
  r4.status = "ok";
  r4.counts.pages_fetched = 3;
  r4.counts.requests = 13;
  r4.alarms = {"x"};
  EXPECT_EQ(all[1], r4);
  EXPECT_EQ(all[2].status, "running");
  EXPECT_EQ(all[2].finished_at, std::nullopt);
  // Fill is the run_sites row of (run, a), not b's.
  EXPECT_EQ(all[3].fill, (FillCounts{2, 1, 2, 2, 2, 0, 2}));
  EXPECT_EQ(all[3].counts.requests, 11);

  auto ids_of = [](const std::vector<RunSummary>& v) {
    std::vector<std::int64_t> out;
    for (const auto& r : v) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids_of(store.recent_runs("a", 2)), (std::vector<std::int64_t>{6, 4}));
  EXPECT_EQ(ids_of(store.recent_runs("a", 2, 4)), (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(ids_of(store.recent_runs("a", 5, 2)), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(ids_of(store.recent_runs("a", 5, 1)), (std::vector<std::int64_t>{}));
  EXPECT_EQ(ids_of(store.recent_runs("a", 0)), (std::vector<std::int64_t>{}));
  // b: its own run, and run 2 of "a" that wrote an article of b (as site_stats' last_run),
  // with b's fill of that run.
  const auto b_runs = store.recent_runs("b", 5);
  EXPECT_EQ(ids_of(b_runs), (std::vector<std::int64_t>{5, 2}));
  EXPECT_EQ(b_runs[0].site, "b");
  EXPECT_EQ(b_runs[0].fill, FillCounts{});
  EXPECT_EQ(b_runs[1].site, "a");
  EXPECT_EQ(b_runs[1].fill, (FillCounts{1, 1, 1, 1, 1, 0, 1}));
  EXPECT_TRUE(store.recent_runs("unknown", 5).empty());

  // site_stats carries the newest 5.
  const auto stats = store.site_stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(ids_of(stats[0].recent_runs), (std::vector<std::int64_t>{6, 4, 3, 2, 1}));
  EXPECT_EQ(stats[0].recent_runs, all);
  EXPECT_EQ(ids_of(stats[1].recent_runs), (std::vector<std::int64_t>{5, 2}));
}

TEST_F(CronTest, Spec_CloseAbandonedRunsOnlyTouchesRunningRunsOfTheSite) {
  const std::int64_t a1 = store.begin_run("a");  // died
  const std::int64_t a2 = store.begin_run("a");  // finished
  store.finish_run(a2, RunStatus::ok, {}, {"earlier"});
  const std::int64_t b1 = store.begin_run("b");  // another site's live run
  const std::int64_t a3 = store.begin_run("a");  // died too
  {
    // a3 had an alarm recorded before: the new one is appended. (Direct write: finish_run
    // would also finish the run.)
    auto b = store.begin_batch();
    rows(db(), "UPDATE runs SET alarms = '[\"first\"]' WHERE id = " + std::to_string(a3));
    b.commit();
  }
  now += 100;
  EXPECT_EQ(store.close_abandoned_runs("a"), 2);
  EXPECT_EQ(rows(db(), "SELECT id, status, finished_at, alarms FROM runs ORDER BY id"),
            (Rows{{std::to_string(a1), "interrupted", "NULL",
                   "[\"abandoned: the process ended without finishing the run\"]"},
                  {std::to_string(a2), "ok", "2023-11-14T22:13:20Z", "[\"earlier\"]"},
                  {std::to_string(b1), "running", "NULL", "[]"},
                  {std::to_string(a3), "interrupted", "NULL",
                   "[\"first\",\"abandoned: the process ended without finishing the run\"]"}}));
  EXPECT_EQ(store.close_abandoned_runs("a"), 0);
  EXPECT_EQ(store.close_abandoned_runs("unknown"), 0);
  EXPECT_EQ(store.recent_runs("a", 1)[0].alarms,
            (std::vector<std::string>{"first",
                                      "abandoned: the process ended without finishing the run"}));
}

// The crawl's seen set (crawl_seen) lives as long as its run: finish_run clears the run's rows,
// close_abandoned_runs those of runs that died; a live run of another site keeps its own.
TEST_F(CronTest, Spec_SeenSetsLiveAsLongAsTheirRun) {
  const std::int64_t a1 = store.begin_run("a");
  const std::int64_t b1 = store.begin_run("b");
  for (const std::int64_t run : {a1, b1}) {
    auto b = store.begin_batch(run);
    EXPECT_TRUE(b.mark_seen(42));
    EXPECT_FALSE(b.mark_seen(42));
    EXPECT_TRUE(b.mark_seen(0xFFFFFFFFFFFFFFFFull));  // the full 64 bits, stored signed
    EXPECT_TRUE(b.seen(0xFFFFFFFFFFFFFFFFull));
    b.commit();
  }
  {
    auto b = store.begin_batch();  // not a run's: sees nothing
    EXPECT_FALSE(b.seen(42));
    EXPECT_THROW(b.mark_seen(1), StoreError);
  }
  store.finish_run(a1, RunStatus::ok, {});
  EXPECT_EQ(rows(db(), "SELECT run_id, count(*) FROM crawl_seen GROUP BY run_id"),
            (Rows{{std::to_string(b1), "2"}}));
  const std::int64_t a2 = store.begin_run("a");  // dies with rows in its seen set
  {
    auto b = store.begin_batch(a2);
    b.mark_seen(7);
    b.commit();
  }
  EXPECT_EQ(store.close_abandoned_runs("a"), 1);
  EXPECT_EQ(rows(db(), "SELECT run_id, count(*) FROM crawl_seen GROUP BY run_id"),
            (Rows{{std::to_string(b1), "2"}}));
}

TEST_F(CronTest, Spec_RequeueInProgressOfOneSiteLeavesOthers) {
  {
    auto b = store.begin_batch();
    b.enqueue({"http://a/1", "a", "article", 1});
    b.enqueue({"http://a/2", "a", "article", 1});
    b.enqueue({"http://b/1", "b", "article", 1});
    b.enqueue({"http://c/1", "c", "article", 1});
    b.commit();
  }
  ASSERT_EQ(store.claim_due(std::nullopt, 10).size(), 4u);
  now += 5;
  EXPECT_EQ(store.requeue_in_progress("a"), 2);
  EXPECT_EQ(store.requeue_in_progress("unknown"), 0);
  EXPECT_EQ(rows(db(), "SELECT url, state, updated_at FROM frontier ORDER BY id"),
            (Rows{{"http://a/1", "pending", "2023-11-14T22:13:25Z"},
                  {"http://a/2", "pending", "2023-11-14T22:13:25Z"},
                  {"http://b/1", "in_progress", "2023-11-14T22:13:20Z"},
                  {"http://c/1", "in_progress", "2023-11-14T22:13:20Z"}}));
  EXPECT_EQ(store.requeue_in_progress(), 2);  // all sites
  EXPECT_EQ(one(db(), "SELECT count(*) FROM frontier WHERE state = 'pending'"), "4");
}

TEST_F(CronTest, Spec_ArticlesToRecheckByPublishedDateOrFirstSeen) {
  // The store's today is 2023-11-14 (22:13:20Z). days = 3 -> published_date >= 2023-11-11, or
  // undated and first seen at or after 2023-11-11T22:13:20Z.
  auto page = [](int n, std::optional<std::string> published) {
    auto p = synthetic_page(n);
    p.article.published_at = std::move(published);
    return p;
  };
  now = kT0 - 5 * 86400;  // 2023-11-09T22:13:20Z: first seen long ago
  {
    auto b = store.begin_batch();
    b.upsert_article("a", "http://a/old-dated", page(1, "2023-11-10"));
    b.upsert_article("a", "http://a/new-dated", page(2, "2023-11-11T23:59:00+08:00"));
    b.upsert_article("a", "http://a/old-undated", page(3, std::nullopt));
    b.commit();
  }
  now = kT0 - 3 * 86400;  // exactly `days` ago: included
  {
    auto b = store.begin_batch();
    RawPage raw;
    raw.url = "http://a/fetched?id=5";
    raw.etag = "\"e5\"";
    raw.last_modified = "Sat, 11 Nov 2023 22:13:20 GMT";
    raw.bytes = "<html>5</html>";
    b.upsert_article("a", "http://a/edge-undated", page(5, std::nullopt), &raw);
    b.upsert_article("a", "http://a/not-iso", page(6, "昨天"));  // published_date NULL
    b.commit();
  }
  now = kT0 - 3 * 86400 - 1;  // a second too early
  {
    auto b = store.begin_batch();
    b.upsert_article("a", "http://a/just-too-old", page(7, std::nullopt));
    b.upsert_article("b", "http://b/other-site", page(8, "2023-11-14"));
    b.commit();
  }
  now = kT0;
  {
    auto b = store.begin_batch();
    b.upsert_article("a", "http://a/future", page(9, "2023-11-20"));
    b.commit();
  }
  EXPECT_EQ(store.articles_to_recheck("a", 3),
            (std::vector<RecheckItem>{
                {"http://a/new-dated", "http://a/new-dated", std::nullopt, std::nullopt},
                {"http://a/edge-undated", "http://a/fetched?id=5", "\"e5\"",
                 "Sat, 11 Nov 2023 22:13:20 GMT"},
                {"http://a/not-iso", "http://a/not-iso", std::nullopt, std::nullopt},
                {"http://a/future", "http://a/future", std::nullopt, std::nullopt}}));
  EXPECT_EQ(store.articles_to_recheck("a", 4).size(), 6u);  // + old-dated, just-too-old
  EXPECT_TRUE(store.articles_to_recheck("a", 0).empty());
  EXPECT_TRUE(store.articles_to_recheck("a", -1).empty());
  EXPECT_TRUE(store.articles_to_recheck("unknown", 30).empty());
}

}  // namespace
}  // namespace nh::store::test

namespace nh::store::test {
namespace {

// The run's counters are committed with each batch: a run whose process is killed before
// finish_run still shows what its committed batches stored.
TEST(RunCountersTest, Spec_CountersAreCommittedWithEachBatch) {
  Store store = Store::open(":memory:", OpenOptions{.clock = [] { return kT0; }});
  const std::int64_t run = store.begin_run("a");
  RunCounts c;
  c.pages_fetched = 3;
  c.articles_new = 2;
  c.requests = 4;
  c.list_pages = 1;
  {
    auto b = store.begin_batch(run);
    b.upsert_article("a", "http://a/1", synthetic_page(1));
    b.upsert_article("a", "http://a/2", synthetic_page(2));
    b.set_run_counts(c);
    b.commit();
  }
  {
    auto b = store.begin_batch(run);
    RunCounts lost = c;
    lost.pages_fetched = 99;
    b.set_run_counts(lost);
  }  // rolled back: its counters with it
  EXPECT_EQ(rows(store.raw_handle(),
                 "SELECT status, finished_at, pages_fetched, articles_new, requests, list_pages "
                 "FROM runs WHERE id = " +
                     std::to_string(run)),
            (Rows{{"running", "NULL", "3", "2", "4", "1"}}));
}

}  // namespace
}  // namespace nh::store::test
