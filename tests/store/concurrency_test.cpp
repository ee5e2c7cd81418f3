// Several processes on one file: this test writes batches while reader.py (Python's sqlite3
// module, as an analyst would use) runs aggregate queries — the reader must never error nor see
// half a batch; and several crawler-like writer processes create, migrate and write one fresh
// file at the same moment — none may fail with "database is locked".
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "helpers.h"

extern char** environ;

namespace nh::store::test {
namespace {

TEST(ConcurrencyTest, Spec_ReaderProcessNeverSeesAPartialBatch) {
  TempDir t;
  const std::string path = t.file("shared.db");
  auto store = Store::open(path);
  constexpr int kBatchSize = 40;
  constexpr int kFirstBatches = 3;
  int batch = 0;
  auto write_batch = [&] {
    auto b = store.begin_batch();
    for (int i = 0; i < kBatchSize; ++i) {
      auto p = synthetic_page(batch * kBatchSize + i, "batch-" + std::to_string(batch));
      p.article.title = "批次文章 " + std::to_string(batch) + "-" + std::to_string(i);
      b.upsert_article(
          "demo", "http://example.gov.cn/b/" + std::to_string(batch) + "/" + std::to_string(i), p);
      b.enqueue({"http://example.gov.cn/l/" + std::to_string(batch) + "/" + std::to_string(i),
                 "demo", "list", 1});
    }
    b.commit();
    store.index_pending();  // as the crawler does: the index in its own transaction after commit
    ++batch;
  };
  for (int i = 0; i < kFirstBatches; ++i) write_batch();

  const std::string out = t.file("reader.out");
  std::vector<std::string> args = {"python3", NH_STORE_READER, path, "1.5",
                                   std::to_string(kBatchSize)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawnp(&pid, "python3", &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);

  // Write until the reader is done (it runs 1.5 s); bounded in case it hangs.
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);  // never leave the reader behind
      ::waitpid(pid, &status, 0);
      FAIL() << "reader did not finish";
    }
    write_batch();
  }
  const std::string report = read_bytes(out);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << report;
  EXPECT_EQ(report.rfind("ok ", 0), 0u) << report;
  int iterations = 0, seen = 0;
  std::sscanf(report.c_str(), "ok %d %d", &iterations, &seen);
  EXPECT_GT(iterations, 5) << "the reader barely ran: " << report;
  EXPECT_GT(seen, kFirstBatches) << "the reader never saw a batch committed while it ran";
  EXPECT_EQ(one(store.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(batch * kBatchSize));
}

// One writer process: what a crawl of `site` does to the store, 200 small batches. Returns the
// exit code (0 ok; 1 a store error, printed; 2 a count that is not what this process wrote).
int writer(const std::string& path, int index, int read_fd) {
  char go = 0;
  if (::read(read_fd, &go, 1) != 0) return 3;  // EOF = the parent released every child at once
  ::close(read_fd);
  const std::string site = "site" + std::to_string(index);
  try {
    auto store = Store::open(path);
    store.close_abandoned_runs(site);
    store.requeue_in_progress(site);
    const std::int64_t run = store.begin_run(site);
    RunCounts counts;
    for (int i = 0; i < 200; ++i) {
      const std::string url = "http://" + site + "/a/" + std::to_string(i);
      {
        auto b = store.begin_batch(run);
        b.enqueue({url, site, "article", 1});
        b.upsert_article(site, url, synthetic_page(index * 1000 + i));
        b.log_fetch({site, url, 200, std::nullopt, 5, std::nullopt});
        b.cache_page(site, CachedPage{"http://" + site + "/list", std::to_string(i), std::nullopt,
                                      "text/html", "list " + std::to_string(i), ""});
        b.commit();
      }
      ++counts.requests;
      ++counts.pages_fetched;
      ++counts.articles_new;
      if (i % 20 == 19) {
        // Claim a few of ours, put them back: exactly ours move, whatever the others hold.
        const auto claimed = store.claim_due(site, 3);
        for (const auto& c : claimed)
          if (c.site != site) return 2;
        if (store.requeue_in_progress(site) != static_cast<std::int64_t>(claimed.size())) return 2;
      }
    }
    const auto all = store.claim_due(site, 1000);
    if (all.size() != 200) return 2;
    {
      auto b = store.begin_batch(run);
      for (const auto& c : all) b.mark_done(c.url);
      b.commit();
    }
    store.finish_run(run, RunStatus::ok, counts, {"done by pid " + std::to_string(::getpid())});
    if (store.recent_runs(site, 5).size() != 1) return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer %d: %s\n", index, e.what());
    return 1;
  }
  return 0;
}

TEST(ConcurrencyTest, Spec_WriterProcessesCreateAndWriteOneFreshFileTogether) {
  TempDir t;
  const std::string path = t.file("fresh.db");  // does not exist yet
  constexpr int kWriters = 4;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::vector<pid_t> pids;
  for (int i = 0; i < kWriters; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[1]);
      std::fflush(stdout);
      ::_exit(writer(path, i, fds[0]));
    }
    pids.push_back(pid);
  }
  ::close(fds[0]);
  ::usleep(100 * 1000);  // let every child reach its read()
  ::close(fds[1]);       // ... and release them together
  for (int i = 0; i < kWriters; ++i) {
    int status = 0;
    ASSERT_EQ(::waitpid(pids[i], &status, 0), pids[i]);
    ASSERT_TRUE(WIFEXITED(status)) << "writer " << i;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "writer " << i;
  }
  auto store = Store::open(path, {.read_only = true});
  sqlite3* db = store.raw_handle();
  EXPECT_EQ(one(db, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(one(db, "SELECT count(*) FROM sites"), "4");
  EXPECT_EQ(rows(db,
                 "SELECT s.name, (SELECT count(*) FROM articles a WHERE a.site_id = s.id), "
                 "(SELECT count(*) FROM fetches f WHERE f.site_id = s.id), "
                 "(SELECT count(*) FROM frontier f WHERE f.site_id = s.id AND state = 'done'), "
                 "(SELECT count(*) FROM frontier f WHERE f.site_id = s.id), "
                 "(SELECT group_concat(etag) FROM page_cache p WHERE p.site_id = s.id), "
                 "(SELECT count(*) FROM runs r WHERE r.site_id = s.id AND status = 'ok' AND "
                 "requests = 200 AND pages_fetched = 200 AND articles_new = 200 AND "
                 "json_array_length(alarms) = 1), "
                 "(SELECT articles || '/' || new FROM run_sites rs WHERE rs.site_id = s.id) "
                 "FROM sites s ORDER BY s.name"),
            (Rows{{"site0", "200", "200", "200", "200", "199", "1", "200/200"},
                  {"site1", "200", "200", "200", "200", "199", "1", "200/200"},
                  {"site2", "200", "200", "200", "200", "199", "1", "200/200"},
                  {"site3", "200", "200", "200", "200", "199", "1", "200/200"}}));
  EXPECT_EQ(one(db, "SELECT count(*) FROM articles"), "800");
  EXPECT_EQ(one(db, "SELECT count(*) FROM runs"), "4");
}

}  // namespace
}  // namespace nh::store::test

namespace nh::store::test {
namespace {

// A writer that holds the lock beyond busy_timeout: BEGIN IMMEDIATE is retried up to
// lock_timeout_ms, then the StoreError carries SQLite's code (SQLITE_BUSY = 5).
TEST(ConcurrencyTest, Spec_BusyIsWaitedForThenReportedWithItsCode) {
  TempDir t;
  const std::string path = t.file("busy.db");
  { Store::open(path); }
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  {
    try {  // opening for writing takes the lock too (the schema check)
      auto s = Store::open(path, {.busy_timeout_ms = 50, .lock_timeout_ms = 0});
      auto b = s.begin_batch();
      FAIL() << "the lock is held elsewhere";
    } catch (const StoreError& e) {
      EXPECT_TRUE(e.busy()) << e.what();
      EXPECT_EQ(e.code(), SQLITE_BUSY) << e.what();
      EXPECT_EQ(e.primary_code(), SQLITE_BUSY);
      EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr(path + ": database is locked"));
    }
  }
  // Released after 400 ms, while a store with busy_timeout 50 ms and lock_timeout 5 s waits:
  // its batch goes through.
  std::thread release([other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  auto s = Store::open(path, {.busy_timeout_ms = 50, .lock_timeout_ms = 5000});
  auto b = s.begin_batch();
  b.enqueue({"http://a/x", "a", "list", 0});
  b.commit();
  release.join();
  sqlite3_close(other);
  EXPECT_EQ(one(s.raw_handle(), "SELECT count(*) FROM frontier"), "1");
}

}  // namespace
}  // namespace nh::store::test
