// The overlap lock (crawler/lock.h): one holder per (database, site), stale locks of dead
// processes taken over, different sites independent.
#include "crawler/lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace nh::crawler {
namespace {

namespace fs = std::filesystem;

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nh-lock-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    db_ = dir_ / "crawl.db";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string contents(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  fs::path dir_, db_;
};

TEST_F(LockTest, SecondHolderIsTurnedAwayAndToldWhoHoldsIt) {
  RunLock first = RunLock::acquire(db_, "demo");
  ASSERT_EQ(first.outcome(), RunLock::Outcome::acquired);
  EXPECT_EQ(first.path(), dir_ / "crawl.db.demo.lock");
  EXPECT_NE(contents(first.path()).find("pid=" + std::to_string(getpid()) + "\n"),
            std::string::npos);

  RunLock second = RunLock::acquire(db_, "demo");
  EXPECT_EQ(second.outcome(), RunLock::Outcome::busy);
  EXPECT_FALSE(second.held());
  ASSERT_TRUE(second.other().has_value());
  EXPECT_EQ(second.other()->pid, getpid());
  EXPECT_EQ(second.other()->site, "demo");
  EXPECT_TRUE(second.other()->alive);
  EXPECT_EQ(second.other()->describe().rfind("pid " + std::to_string(getpid()) + " on ", 0), 0u);
}

TEST_F(LockTest, CleanReleaseEmptiesTheFileAndTheNextRunAcquires) {
  { RunLock l = RunLock::acquire(db_, "demo"); }
  EXPECT_EQ(contents(dir_ / "crawl.db.demo.lock"), "");
  RunLock again = RunLock::acquire(db_, "demo");
  EXPECT_EQ(again.outcome(), RunLock::Outcome::acquired);
  EXPECT_FALSE(again.other().has_value());
}

TEST_F(LockTest, LockOfAKilledProcessIsTakenOver) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RunLock l = RunLock::acquire(db_, "demo");
    ::kill(getpid(), SIGKILL);  // dies holding the lock, without any cleanup
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));

  RunLock l = RunLock::acquire(db_, "demo");
  EXPECT_EQ(l.outcome(), RunLock::Outcome::took_over);
  ASSERT_TRUE(l.other().has_value());
  EXPECT_EQ(l.other()->pid, child);
  EXPECT_FALSE(l.other()->alive);
  EXPECT_NE(contents(l.path()).find("pid=" + std::to_string(getpid()) + "\n"), std::string::npos);
}

TEST_F(LockTest, OtherSitesAndOtherDatabasesDoNotConflict) {
  RunLock a = RunLock::acquire(db_, "demo");
  RunLock b = RunLock::acquire(db_, "other");
  RunLock c = RunLock::acquire(dir_ / "second.db", "demo");
  EXPECT_TRUE(a.held());
  EXPECT_TRUE(b.held());
  EXPECT_TRUE(c.held());
}

TEST_F(LockTest, MemoryDatabaseNeedsNoLock) {
  RunLock a = RunLock::acquire(":memory:", "demo");
  RunLock b = RunLock::acquire(":memory:", "demo");
  EXPECT_TRUE(a.held());
  EXPECT_TRUE(b.held());
}

TEST_F(LockTest, UnwritableDirectoryIsAClearError) {
  fs::path file = dir_ / "not-a-dir";
  std::ofstream(file) << "x";
  try {
    RunLock l = RunLock::acquire(file / "crawl.db", "demo");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find((file / "crawl.db.demo.lock").string()), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace nh::crawler
