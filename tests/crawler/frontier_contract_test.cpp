// The Frontier contract (crawler/frontier.h), run against every implementation: the store's
// frontier table (SqliteFrontier), the in-memory fake the policy tests use (MemoryFrontier) and
// the PostgreSQL frontier of many workers (PgFrontier; skipped without a server, see
// tests/support/pg_test_db.h). The fake is only worth its name while all pass the same tests.
// Below them, what only the shared frontier promises: claims, leases and forced URLs across
// workers.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <chrono>
#include <thread>

#include "crawler/crawl_store_pg.h"
#include "crawler/frontier.h"
#include "store/store.h"
#include "tests/support/pg_test_db.h"

namespace nh::crawler {
namespace {

using store::FrontierEntry;
using store::FrontierState;

// One implementation under test, with the transaction it writes through.
struct Subject {
  std::optional<store::Store> store;
  std::optional<store::Batch> batch;
  std::unique_ptr<Frontier> owned;
  std::unique_ptr<testing::PgTestDb> pg_db;
  std::unique_ptr<PgCrawlStore> pg;
  Frontier* frontier = nullptr;
  std::int64_t run_id = 0;
  // An existing pending row added with `claimed` becomes in_progress (SQLite, memory); the
  // shared frontier leaves it for claim_due (a claim nobody queues would keep it from others).
  bool claims_pending_on_add = true;

  // A run begins (the crawl: begin_run, then Frontier::start_run).
  void new_run() {
    commit();
    if (pg)
      run_id = pg->begin_run("site");
    else if (store)
      run_id = store->begin_run("site");
    else
      ++run_id;
    frontier->start_run(run_id);
  }

  // Between batches (claim_due, requeue_claimed run their own transaction).
  void commit() {
    if (batch) batch->commit();
    batch.reset();
    if (pg) pg->commit({});
  }
};

using Factory = std::function<void(Subject&)>;

class FrontierContract : public ::testing::TestWithParam<std::pair<const char*, Factory>> {
 protected:
  void SetUp() override {
    GetParam().second(s_);
    if (s_.frontier == nullptr) GTEST_SKIP() << "no PostgreSQL server (NH_TEST_PG)";
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
  EXPECT_FALSE(f().add(entry("http://a.test/free", 1, true)));  // known: not added again
  EXPECT_EQ(f().state("http://a.test/mine"), FrontierState::in_progress);
  if (s_.claims_pending_on_add) {
    EXPECT_EQ(f().state("http://a.test/free"), FrontierState::in_progress);
    EXPECT_EQ(claim(10), (std::vector<std::string>{}));
    EXPECT_EQ(f().requeue_claimed(), 2);
    EXPECT_EQ(claim(10), (std::vector<std::string>{"http://a.test/mine", "http://a.test/free"}));
  } else {
    EXPECT_EQ(f().state("http://a.test/free"), FrontierState::pending);
    EXPECT_EQ(claim(10), (std::vector<std::string>{"http://a.test/free"}));
    EXPECT_EQ(f().requeue_claimed(), 2);
    EXPECT_EQ(claim(10), (std::vector<std::string>{"http://a.test/mine", "http://a.test/free"}));
  }
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
  s.store.emplace(store::Store::open(":memory:"));
  s.owned = std::make_unique<SqliteFrontier>(*s.store, "site", [&s]() -> store::Batch& {
    if (!s.batch) s.batch.emplace(s.store->begin_batch(s.run_id));
    return *s.batch;
  });
  s.frontier = s.owned.get();
}
void memory(Subject& s) {
  s.owned = std::make_unique<MemoryFrontier>();
  s.frontier = s.owned.get();
}
void postgres(Subject& s) {
  s.pg_db = std::make_unique<testing::PgTestDb>();
  if (!s.pg_db->available()) return;
  s.pg = std::make_unique<PgCrawlStore>(s.pg_db->url(), "site", 60);
  s.frontier = &s.pg->frontier();
  s.claims_pending_on_add = false;
}

INSTANTIATE_TEST_SUITE_P(Implementations, FrontierContract,
                         ::testing::Values(std::make_pair("Sqlite", Factory(sqlite)),
                                           std::make_pair("Memory", Factory(memory)),
                                           std::make_pair("Postgres", Factory(postgres))),
                         [](const auto& p) { return std::string(p.param.first); });

// Two workers of one crawl on one PostgreSQL database.
class SharedFrontier : public ::testing::Test {
 protected:
  void SetUp() override {
    NH_REQUIRE_PG(db_);
    a_ = std::make_unique<PgCrawlStore>(db_.url(), "site", kLease);
    b_ = std::make_unique<PgCrawlStore>(db_.url(), "site", kLease);
    run_a_ = a_->begin_run("site");
    a_->frontier().start_run(run_a_);
    run_b_ = b_->begin_run("site");
    b_->frontier().start_run(run_b_);
  }
  static FrontierEntry entry(const std::string& url, bool claimed = false,
                             const char* kind = "article") {
    return FrontierEntry{url, "site", kind, 0, std::nullopt, std::nullopt, claimed};
  }
  static std::vector<std::string> urls(const std::vector<store::FrontierItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.url);
    return out;
  }
  static constexpr int kLease = 2;  // seconds
  testing::PgTestDb db_;
  std::unique_ptr<PgCrawlStore> a_, b_;
  std::int64_t run_a_ = 0, run_b_ = 0;
};

// A row is claimed by one worker at a time: what A claimed (or found and claimed on add), B
// does not get; B gets the rest.
TEST_F(SharedFrontier, Spec_ClaimsAreExclusive) {
  Frontier& a = a_->frontier();
  Frontier& b = b_->frontier();
  EXPECT_TRUE(a.add(entry("http://a.test/found-by-a", true)));
  for (const char* u : {"http://a.test/1", "http://a.test/2", "http://a.test/3"}) a.add(entry(u));
  a_->commit({});
  EXPECT_FALSE(b.add(entry("http://a.test/found-by-a", true)));  // B found it too: A's
  b_->commit({});
  EXPECT_EQ(urls(a.claim_due(2)), (std::vector<std::string>{"http://a.test/1", "http://a.test/2"}));
  EXPECT_EQ(urls(b.claim_due(10)), (std::vector<std::string>{"http://a.test/3"}));
  EXPECT_EQ(urls(a.claim_due(10)), (std::vector<std::string>{}));
  // Each worker's requeue gives back its own claims only.
  EXPECT_EQ(b.requeue_claimed(), 1);
  EXPECT_EQ(a.state("http://a.test/1"), FrontierState::in_progress);
  EXPECT_EQ(urls(a.claim_due(10)), (std::vector<std::string>{"http://a.test/3"}));
}

// A worker that stops renewing (it died) loses its claims once the lease lapses; a live worker
// keeps them by renewing (keep_alive) however long it waits.
TEST_F(SharedFrontier, Spec_LapsedClaimsGoToAnotherWorker) {
  Frontier& a = a_->frontier();
  Frontier& b = b_->frontier();
  a.add(entry("http://a.test/dead", true));
  a_->commit({});
  b.add(entry("http://a.test/alive", true));
  b_->commit({});
  EXPECT_TRUE(b.shared_work_pending());  // A holds a claim: B should not finish yet
  for (int i = 0; i < 6; ++i) {          // 3 s: longer than the lease; only B renews
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    b_->keep_alive();
  }
  EXPECT_EQ(urls(b.claim_due(10)), (std::vector<std::string>{"http://a.test/dead"}));
  a_ = nullptr;  // gone for good
  EXPECT_EQ(b.state("http://a.test/alive"), FrontierState::in_progress);
  b.done("http://a.test/alive");
  b.done("http://a.test/dead");
  b_->commit({});
  EXPECT_FALSE(b.shared_work_pending());
}

// Start pages are fetched every crawl, by one worker of it: take_forced is true for the first
// worker that asks, false for the others while it holds them and after it finished them; a
// later crawl (new runs) takes them again.
TEST_F(SharedFrontier, Spec_ForcedUrlsGoToOneWorkerPerCrawl) {
  Frontier& a = a_->frontier();
  Frontier& b = b_->frontier();
  EXPECT_TRUE(a.add(entry("http://a.test/", true, "seed")));
  a_->commit({});
  EXPECT_FALSE(b.add(entry("http://a.test/", true, "seed")));
  EXPECT_FALSE(b.take_forced("http://a.test/"));  // A holds it
  b_->commit({});
  a.done("http://a.test/");
  a_->commit({});
  EXPECT_FALSE(b.take_forced("http://a.test/"));  // A fetched it in this crawl
  b_->commit({});
  // The next crawl: both runs finished, a new one starts later.
  a_->finish_run(run_a_, store::RunStatus::ok, {}, {});
  b_->finish_run(run_b_, store::RunStatus::ok, {}, {});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // epochs are whole seconds
  PgCrawlStore c(db_.url(), "site", kLease);
  const std::int64_t run_c = c.begin_run("site");
  c.frontier().start_run(run_c);
  EXPECT_TRUE(c.frontier().take_forced("http://a.test/"));
  c.commit({});
  EXPECT_EQ(c.frontier().state("http://a.test/"), FrontierState::in_progress);
}

// Host slots: one request start per delay for all workers together, and the largest delay a
// worker asked for holds for the others (one that has not read robots.txt yet asks for less).
TEST_F(SharedFrontier, Policy_HostSlotsSpaceStartsOfAllWorkers) {
  HostSlots& a = *a_->shared_slots();
  HostSlots& b = *b_->shared_slots();
  using std::chrono::milliseconds;
  EXPECT_EQ(a.acquire("h.test", milliseconds(300)), std::nullopt);
  const auto wait = b.acquire("h.test", milliseconds(10));
  ASSERT_TRUE(wait.has_value());
  EXPECT_GT(wait->count(), 200);
  EXPECT_LE(wait->count(), 301);
  std::this_thread::sleep_for(*wait);
  EXPECT_EQ(b.acquire("h.test", milliseconds(10)), std::nullopt);  // granted: 300 ms kept
  const auto again = a.acquire("h.test", milliseconds(10));
  ASSERT_TRUE(again.has_value());
  EXPECT_GT(again->count(), 200);
  EXPECT_EQ(a.acquire("other.test", milliseconds(300)), std::nullopt);  // hosts are apart
}

// Turns: a worker refused first is next in line, so one that asks at every slot's first
// instant (its loop is idle, the other's busy) does not take every slot.
TEST_F(SharedFrontier, Policy_HostSlotsGoInTurns) {
  HostSlots& a = *a_->shared_slots();
  HostSlots& b = *b_->shared_slots();
  using std::chrono::milliseconds;
  EXPECT_EQ(a.acquire("t.test", milliseconds(200)), std::nullopt);
  const auto wait = b.acquire("t.test", milliseconds(200));  // refused: b is next
  ASSERT_TRUE(wait.has_value());
  std::this_thread::sleep_for(*wait);
  const auto not_yet = a.acquire("t.test", milliseconds(200));  // free, but b's turn
  ASSERT_TRUE(not_yet.has_value());
  EXPECT_LE(not_yet->count(), store::pg::PgStore::kTurnGrace.count() + 1);
  EXPECT_EQ(b.acquire("t.test", milliseconds(200)), std::nullopt);
  // A turn not taken lapses: a gets the slot after b's grace.
  const auto w2 = b.acquire("t.test", milliseconds(200));  // b refused now: b next again
  ASSERT_TRUE(w2.has_value());
  std::this_thread::sleep_for(*w2 + store::pg::PgStore::kTurnGrace + milliseconds(20));
  EXPECT_EQ(a.acquire("t.test", milliseconds(200)), std::nullopt);
}

}  // namespace
}  // namespace nh::crawler
