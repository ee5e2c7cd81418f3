// Two processes: this test writes batches while reader.py (Python's sqlite3 module, as an
// analyst would use) runs aggregate queries; the reader must never error nor see half a batch.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdio>

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

}  // namespace
}  // namespace nh::store::test
