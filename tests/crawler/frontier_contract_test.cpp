// The Frontier contract (crawler/frontier.h), run against both implementations: the store's
// frontier table (SqliteFrontier) and the in-memory fake the policy tests use (MemoryFrontier).
// The fake is only worth its name while both pass the same tests.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crawler/frontier.h"
#include "store/store.h"

namespace nh::crawler {
namespace {

using store::FrontierEntry;
using store::FrontierState;

// One implementation under test, with the store transaction SqliteFrontier writes through.
struct Subject {
  store::Store store = store::Store::open(":memory:");
  std::optional<store::Batch> batch;
  std::unique_ptr<Frontier> frontier;
  std::int64_t run_id = 0;

  // A run begins (the crawl: Store::begin_run, then Frontier::start_run).
  void new_run() {
    commit();
    run_id = store.begin_run("site");
    frontier->start_run(run_id);
  }

  // Between batches (claim_due, requeue_claimed run their own transaction).
  void commit() {
    if (batch) batch->commit();
    batch.reset();
  }
};

using Factory = std::function<void(Subject&)>;

class FrontierContract : public ::testing::TestWithParam<std::pair<const char*, Factory>> {
 protected:
  void SetUp() override {
    GetParam().second(s_);
    s_.new_run();
  }
  Frontier& f() { return *s_.frontier; }
  static FrontierEntry entry(const std::string& url, int depth, bool claimed = false) {
    return FrontierEntry{url, "site", "article", depth, std::nullopt, std::nullopt, claimed};
  }
  std::vector<std::string> claim(int limit) {
    s_.commit();
    std::vector<std::string> out;
    for (const auto& item : f().claim_due(limit)) out.push_back(item.url);
    return out;
  }
  Subject s_;
};

TEST_P(FrontierContract, Spec_AddOnceThenClaimShallowestFirst) {
  EXPECT_TRUE(f().add(entry("http://a.test/deep", 3)));
  EXPECT_TRUE(f().add(entry("http://a.test/top", 0)));
  EXPECT_TRUE(f().add(entry("http://a.test/mid", 1)));
  EXPECT_FALSE(f().add(entry("http://a.test/top", 0)));  // known: not added again
  EXPECT_EQ(f().state("http://a.test/top"), FrontierState::pending);
  EXPECT_EQ(f().state("http://a.test/none"), std::nullopt);
  EXPECT_EQ(f().pending(), 3);
  EXPECT_EQ(claim(2), (std::vector<std::string>{"http://a.test/top", "http://a.test/mid"}));
  EXPECT_EQ(claim(5), (std::vector<std::string>{"http://a.test/deep"}));
  EXPECT_EQ(claim(5), (std::vector<std::string>{}));  // claimed rows are not handed out twice
  EXPECT_EQ(f().state("http://a.test/mid"), FrontierState::in_progress);
  EXPECT_EQ(f().pending(), 0);
}

TEST_P(FrontierContract, Spec_ClaimedOnAddIsNeverHandedOutAndRequeueGivesItBack) {
  EXPECT_TRUE(f().add(entry("http://a.test/mine", 0, true)));
  EXPECT_TRUE(f().add(entry("http://a.test/free", 1)));
  EXPECT_FALSE(f().add(entry("http://a.test/free", 1, true)));  // a pending row claimed
  EXPECT_EQ(f().state("http://a.test/mine"), FrontierState::in_progress);
  EXPECT_EQ(f().state("http://a.test/free"), FrontierState::in_progress);
  EXPECT_EQ(claim(10), (std::vector<std::string>{}));
  EXPECT_EQ(f().requeue_claimed(), 2);
  EXPECT_EQ(claim(10), (std::vector<std::string>{"http://a.test/mine", "http://a.test/free"}));
}

TEST_P(FrontierContract, Spec_OutcomesDoneRetryLaterAndFailedForGood) {
  for (const char* u : {"http://a.test/ok", "http://a.test/later", "http://a.test/never"})
    f().add(entry(u, 0));
  EXPECT_EQ(claim(10).size(), 3u);
  s_.commit();
  f().done("http://a.test/ok");
  f().failed("http://a.test/later", "HTTP 503", 4102444800);  // 2100-01-01: not due
  f().failed("http://a.test/never", "HTTP 404", std::nullopt);
  EXPECT_EQ(f().state("http://a.test/ok"), FrontierState::done);
  EXPECT_EQ(f().state("http://a.test/later"), FrontierState::pending);
  EXPECT_EQ(f().state("http://a.test/never"), FrontierState::failed);
  EXPECT_EQ(f().pending(), 1);
  EXPECT_EQ(claim(10), (std::vector<std::string>{}));  // not due yet
  // A retry the caller keeps in its own queue stays claimed.
  f().add(entry("http://a.test/kept", 0, true));
  f().failed("http://a.test/kept", "timeout", 0, true);
  EXPECT_EQ(f().state("http://a.test/kept"), FrontierState::in_progress);
  EXPECT_EQ(claim(10), (std::vector<std::string>{}));
  // Due and back in the queue after a failure: attempts counted.
  f().add(entry("http://a.test/soon", 0, true));
  f().failed("http://a.test/soon", "timeout", 0);
  const auto items = (s_.commit(), f().claim_due(10));
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].url, "http://a.test/soon");
  EXPECT_EQ(items[0].attempts, 1);
}

TEST_P(FrontierContract, Spec_TheSeenSetIsTheRunsOwn) {
  EXPECT_FALSE(f().seen("http://a.test/x"));
  EXPECT_TRUE(f().mark_seen("http://a.test/x"));
  EXPECT_FALSE(f().mark_seen("http://a.test/x"));
  EXPECT_TRUE(f().seen("http://a.test/x"));
  EXPECT_FALSE(f().seen("http://a.test/y"));
  f().unmark_seen("http://a.test/x");
  EXPECT_FALSE(f().seen("http://a.test/x"));
  EXPECT_TRUE(f().mark_seen("http://a.test/x"));
  s_.new_run();  // another run has seen nothing yet
  EXPECT_FALSE(f().seen("http://a.test/x"));
  EXPECT_TRUE(f().mark_seen("http://a.test/x"));
}

void sqlite(Subject& s) {
  s.frontier = std::make_unique<SqliteFrontier>(s.store, "site", [&s]() -> store::Batch& {
    if (!s.batch) s.batch.emplace(s.store.begin_batch(s.run_id));
    return *s.batch;
  });
}
void memory(Subject& s) { s.frontier = std::make_unique<MemoryFrontier>(); }

INSTANTIATE_TEST_SUITE_P(Implementations, FrontierContract,
                         ::testing::Values(std::make_pair("Sqlite", Factory(sqlite)),
                                           std::make_pair("Memory", Factory(memory))),
                         [](const auto& p) { return std::string(p.param.first); });

}  // namespace
}  // namespace nh::crawler
