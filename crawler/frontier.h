// The crawl's frontier: every URL a site's crawls have queued, with its state — the durable
// half of the crawl's scheduling (the in-memory half, the polite per-host order of a window of
// due URLs, is host_queues.h).
//
// Contract of Frontier (one site's view; one instance per crawl, not thread-safe):
//   - add(entry) records a URL unless the frontier already holds it (any state): true when
//     added. entry.claimed: the caller queues the URL itself (its window), so the row is
//     claimed at once (in_progress) and claim_due() never hands it out a second time; an
//     existing pending row the caller claims this way becomes in_progress too.
//   - done(url), failed(url, error, retry_at, keep_claimed): the outcome of a claimed URL.
//     failed with retry_at goes back to pending, due then (attempts + 1); without, failed for
//     good. keep_claimed: the caller retries it from its own queue (stays in_progress).
//   - claim_due(limit): up to `limit` due pending URLs, shallowest first, claimed.
//   - requeue_claimed(): every claimed row of the site back to pending (a crashed run's, or
//     what a run leaves unprocessed). Returns how many. pending(): how many rows are pending.
//   - Writes of add/done/failed go with the crawl's open store transaction (SqliteFrontier:
//     store::Batch), so an article, its frontier row and the links it yielded commit together;
//     claim_due and requeue_claimed run their own and are called between batches.
// Implementations: SqliteFrontier (the store's frontier table: what crawls resume from) and
// MemoryFrontier (a map; for unit tests of crawl policy, and runs that keep nothing).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "store/store.h"

namespace nh::crawler {

using Clock = std::chrono::steady_clock;

// What a URL in the frontier is: why it was queued. Stored as its name (to_string) in the
// store's frontier table.
enum class UrlKind {
  seed,          // a start URL of the profile (seeds, section pages)
  sitemap,       // a sitemap or sitemap index
  feed,          // an RSS/Atom feed
  list,          // a list (section, pagination) page
  article,       // an article page
  continuation,  // page 2..n of a multi-page article being assembled
  other,         // in no known shape
};
std::string_view to_string(UrlKind kind);
// The kind of a stored name; an unknown name is `other`.
UrlKind url_kind(std::string_view name);

// Lower runs first. Continuation pages complete an article in progress; start pages, sitemaps
// and feeds discover the most; list pages before articles (a list page yields many URLs);
// pages of unknown shape last.
int priority_of(UrlKind kind);

struct FrontierItem {
  std::string url;   // canonical
  std::string host;  // canonical host of url
  UrlKind kind = UrlKind::other;
  int depth = 0;
  int attempts = 0;  // failed attempts so far
  std::optional<std::string> referrer;
  Clock::time_point not_before{};  // earliest start (retries)
  std::uint64_t seq = 0;           // set by Frontier::add
  // List pages: how many list pages in a row, along the pagination chain that led here, found
  // no article the store lacks (the crawl's incremental stop rule, crawl.h).
  int stale = 0;
  // A stored article re-checked by the recrawl policy: sent with these validators of its
  // archived response (a 304 means unchanged).
  bool recheck = false;
  std::string if_none_match;
  std::string if_modified_since;
  // A redirect hop the crawl follows itself (crawl.cpp): the URL requested instead of `url`
  // (which stays the frontier's key), its canonical host in `host`, and the hops so far.
  std::string fetch_url;
  int redirects = 0;
};

// A URL's 64-bit hash: what the seen sets keep instead of the URL. Two URLs with the same hash
// count as one: at a million URLs about one chance in 36 million that any pair does.
inline std::uint64_t url_hash(std::string_view url) { return std::hash<std::string_view>{}(url); }

// A set of URLs as hashes in memory (MemoryFrontier's seen set): ~40 bytes a URL.
class SeenUrls {
 public:
  bool contains(std::string_view url) const { return set_.contains(url_hash(url)); }
  bool insert(std::string_view url) { return set_.insert(url_hash(url)).second; }
  void erase(std::string_view url) { set_.erase(url_hash(url)); }

 private:
  std::unordered_set<std::uint64_t> set_;
};

class Frontier {
 public:
  virtual ~Frontier() = default;
  virtual bool add(const store::FrontierEntry& entry) = 0;
  virtual std::optional<store::FrontierState> state(std::string_view url) = 0;
  virtual void done(std::string_view url) = 0;
  virtual void failed(std::string_view url, std::string_view error,
                      std::optional<std::int64_t> retry_at, bool keep_claimed = false) = 0;
  virtual std::vector<store::FrontierItem> claim_due(int limit) = 0;
  virtual std::int64_t requeue_claimed() = 0;
  // Pending rows of the site (due or not): what is left for a later run.
  virtual std::int64_t pending() = 0;

  // The run's seen set: the URLs this run has considered (queued, refused, fetched), kept with
  // the frontier (SqliteFrontier: table crawl_seen, 64-bit hashes, so memory does not grow with
  // the URLs a crawl discovers). mark_seen is true when the URL was not seen yet. start_run
  // begins an empty set (SqliteFrontier: per run id, cleared when the run is finished).
  virtual bool seen(std::string_view url) = 0;
  virtual bool mark_seen(std::string_view url) = 0;
  virtual void unmark_seen(std::string_view url) = 0;
  virtual void start_run(std::int64_t run_id) = 0;

  // Several processes of one crawl (PostgreSQL workers, crawl_store_pg.h): take_forced asks
  // whether this process may fetch a URL it forces into its run (start pages are fetched every
  // crawl) although the frontier holds it already — false when another worker of the same
  // crawl has it or fetched it. shared_work_pending: other workers hold claims of the site (or
  // due rows wait), so a process with nothing queued should wait rather than finish. A frontier
  // only this process uses: true and false.
  virtual bool take_forced(std::string_view) { return true; }
  virtual bool shared_work_pending() { return false; }
};

// The store's frontier table, for site `site`. Writes go through batch() (the crawl's open
// transaction, begun on demand); claim_due/requeue_claimed through the store.
class SqliteFrontier final : public Frontier {
 public:
  SqliteFrontier(store::Store& store, std::string site, std::function<store::Batch&()> batch)
      : store_(store), site_(std::move(site)), batch_(std::move(batch)) {}
  bool add(const store::FrontierEntry& entry) override;
  std::optional<store::FrontierState> state(std::string_view url) override;
  void done(std::string_view url) override;
  void failed(std::string_view url, std::string_view error, std::optional<std::int64_t> retry_at,
              bool keep_claimed = false) override;
  std::vector<store::FrontierItem> claim_due(int limit) override;
  std::int64_t requeue_claimed() override;
  std::int64_t pending() override { return store_.frontier_pending(site_); }
  bool seen(std::string_view url) override;
  bool mark_seen(std::string_view url) override;
  void unmark_seen(std::string_view url) override;
  void start_run(std::int64_t) override { recent_ = {}; }  // the batch carries the run id

 private:
  // The last kRecentSeen hashes found or put in crawl_seen: the links every page repeats
  // (navigation, side lists) are answered here without a query. Bounded: ~3 MB.
  static constexpr std::size_t kRecentSeen = 1 << 16;
  class Recent {
   public:
    bool contains(std::uint64_t h) const { return set_.contains(h); }
    void add(std::uint64_t h);
    void erase(std::uint64_t h) { set_.erase(h); }  // its place in order_ expires harmlessly

   private:
    std::unordered_set<std::uint64_t> set_;
    std::deque<std::uint64_t> order_;
  };

  store::Store& store_;
  std::string site_;
  std::function<store::Batch&()> batch_;
  Recent recent_;
};

// The same contract in memory: nothing survives the object. Due times are unix seconds from
// `now` (settable, for tests of retries); claim_due orders by depth, then insertion.
class MemoryFrontier final : public Frontier {
 public:
  struct Row {
    store::FrontierEntry entry;
    store::FrontierState state = store::FrontierState::pending;
    int attempts = 0;
    std::int64_t due = 0;  // unix seconds
    std::string error;
    std::int64_t id = 0;
  };
  bool add(const store::FrontierEntry& entry) override;
  std::optional<store::FrontierState> state(std::string_view url) override;
  void done(std::string_view url) override;
  void failed(std::string_view url, std::string_view error, std::optional<std::int64_t> retry_at,
              bool keep_claimed = false) override;
  std::vector<store::FrontierItem> claim_due(int limit) override;
  std::int64_t requeue_claimed() override;
  std::int64_t pending() override;
  bool seen(std::string_view url) override { return seen_.contains(url); }
  bool mark_seen(std::string_view url) override { return seen_.insert(url); }
  void unmark_seen(std::string_view url) override { seen_.erase(url); }
  void start_run(std::int64_t) override { seen_ = SeenUrls(); }

  // For tests: the row of a URL (nullptr when absent), and the clock claim_due compares with
  // (nullopt: the system clock).
  const Row* row(std::string_view url) const;
  std::size_t size() const { return rows_.size(); }
  void set_now(std::optional<std::int64_t> unix_seconds) { now_ = unix_seconds; }
  // Another worker of the same crawl has `url` (take_forced answers false for it), as a
  // PostgreSQL frontier would say: lets tests of crawl policy play a shared crawl.
  void held_elsewhere(std::string url) { elsewhere_.insert(std::move(url)); }
  bool take_forced(std::string_view url) override { return !elsewhere_.contains(url); }

 private:
  std::int64_t now() const;
  std::set<std::string, std::less<>> elsewhere_;
  std::map<std::string, Row, std::less<>> rows_;
  std::int64_t next_id_ = 0;
  std::optional<std::int64_t> now_;
  SeenUrls seen_;
};

// Retry delay after `attempts` failed attempts (1 = first failure): base * 2^(attempts-1),
// capped, with up to +25% random jitter (so retries of many URLs do not march in step), and
// never less than the server's Retry-After (also capped).
std::chrono::milliseconds backoff(int attempts, std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap,
                                  std::chrono::milliseconds retry_after, std::mt19937_64& rng);

}  // namespace nh::crawler
