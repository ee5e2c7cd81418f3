// The crawl's database on PostgreSQL (issue 15): CrawlStore, Frontier and HostSlots over
// store::pg::PgStore, so that many worker processes, on many machines, run one crawl of a site.
//
// How the workers share the crawl (docs/SCALING.md):
//   - URLs: every frontier row is claimed by at most one worker (lease_owner = its run id) and
//     the claim lapses lease_seconds after the worker last renewed it (each commit and each
//     claim; a lapsed claim is anyone's). Links a worker finds are claimed by the INSERT that
//     creates their row, so whoever finds a URL first fetches it; start pages, re-fetched every
//     crawl, go to the first worker that takes them (take_forced): one crawl = the runs of the
//     site alive together, and a start page finished since the earliest of them is not fetched
//     again.
//   - Hosts: PgHostSlots grants each request start in the database (host_slots.next_at), so the
//     per-host delay holds across all workers, not only within one.
//   - Finishing: a worker whose window is empty waits while other live workers hold claims of
//     the site (their pages may yield more) or due/lapsed rows wait (shared_work_pending).
//   - No file lock: the leases replace the per-site overlap lock of the SQLite backend (a second
//     `crawl` of the same site is simply another worker).
// The seen set (Frontier::seen) is each worker's own, in memory (hashes, ~40 bytes a URL): a
// round trip to a remote server per link would cost more than it saves.
#pragma once

#include <random>
#include <string>

#include "crawler/crawl_store.h"
#include "crawler/host_queues.h"
#include "store/pg/pg_store.h"

namespace nh::crawler {

class PgFrontier final : public Frontier {
 public:
  // store: the crawl's connection (outcomes go in its batches); claims go through a second
  // connection to `url` of their own (PgStore::enqueue, take).
  PgFrontier(store::pg::PgStore& store, const std::string& url, int lease_seconds, std::string site,
             std::function<void()> open_batch);
  bool add(const store::FrontierEntry& entry) override;
  std::optional<store::FrontierState> state(std::string_view url) override;
  void done(std::string_view url) override;
  void failed(std::string_view url, std::string_view error, std::optional<std::int64_t> retry_at,
              bool keep_claimed = false) override;
  std::vector<store::FrontierItem> claim_due(int limit) override;
  std::int64_t requeue_claimed() override;
  std::int64_t pending() override { return store_.frontier_pending(site_); }
  bool seen(std::string_view url) override { return seen_.contains(url); }
  bool mark_seen(std::string_view url) override { return seen_.insert(url); }
  void unmark_seen(std::string_view url) override { seen_.erase(url); }
  void start_run(std::int64_t run_id) override;
  bool take_forced(std::string_view url) override;
  bool shared_work_pending() override;

 private:
  store::pg::PgStore& store_;
  store::pg::PgStore claims_;
  std::string site_;
  std::function<void()> open_batch_;
  std::int64_t run_id_ = 0;
  std::int64_t epoch_ = 0;  // crawl_epoch at the start of the run
  SeenUrls seen_;
};

class PgHostSlots final : public HostSlots {
 public:
  // Its own connection: grants are autocommitted, never inside the crawl's open batch.
  explicit PgHostSlots(const std::string& url)
      : store_(store::pg::PgStore::open(url)), asker_(std::random_device{}()) {}
  std::optional<std::chrono::milliseconds> acquire(std::string_view host,
                                                   std::chrono::milliseconds delay) override {
    return store_.acquire_host(host, delay, asker_);
  }
  void sent(std::string_view host, std::chrono::milliseconds lag) override {
    store_.delay_host(host, lag);
  }

 private:
  store::pg::PgStore store_;
  std::int64_t asker_;  // this worker among those asking (random: no coordination needed)
};

class PgCrawlStore final : public CrawlStore {
 public:
  PgCrawlStore(const std::string& url, std::string site, int lease_seconds);

  std::int64_t close_abandoned_runs(std::string_view site) override {
    return store_.close_abandoned_runs(site);
  }
  std::int64_t begin_run(std::string_view site) override;
  void finish_run(std::int64_t run_id, store::RunStatus status, const store::RunCounts& counts,
                  const std::vector<std::string>& alarms) override {
    store_.finish_run(run_id, status, counts, alarms);
  }
  std::vector<store::RunSummary> recent_runs(std::string_view site, int limit,
                                             std::optional<std::int64_t> before) override {
    return store_.recent_runs(site, limit, before);
  }
  std::map<std::string, store::FillCounts> run_fill_counts(std::int64_t run_id) override {
    return store_.run_fill_counts(run_id);
  }
  std::optional<store::CachedPage> cached_page(std::string_view url) override {
    return store_.cached_page(url);
  }
  std::optional<store::StoredArticle> find_article(std::string_view url) override {
    return store_.find_article(url);
  }
  std::vector<store::RecheckItem> articles_to_recheck(std::string_view site, int days) override {
    return store_.articles_to_recheck(site, days);
  }
  void log_fetch(const store::FetchLogEntry& entry) override {
    open();
    store_.log_fetch(entry);
  }
  std::int64_t store_raw_page(std::string_view site, const store::RawPage& raw) override {
    open();
    return store_.store_raw_page(site, raw);
  }
  void cache_page(std::string_view site, const store::CachedPage& page) override {
    open();
    store_.cache_page(site, page);
  }
  void touch_cached_page(std::string_view url) override {
    open();
    store_.touch_cached_page(url);
  }
  store::UpsertResult upsert_article(std::string_view site, std::string_view canonical,
                                     const extract::Page& page, const store::RawPage* raw,
                                     std::span<const store::RawPage> more_pages) override {
    open();
    return store_.upsert_article(site, canonical, page, raw, more_pages);
  }
  std::optional<Clock::time_point> batch_started() const override {
    return store_.in_batch() ? std::optional(started_) : std::nullopt;
  }
  void commit(const store::RunCounts& counts) override;
  // Renews this worker's leases and heartbeat every lease_seconds / 3, also while it waits
  // (on shared host slots, on other workers) with no batch to commit.
  void keep_alive() override;
  std::int64_t index_pending(std::int64_t max_docs, int chunk) override {
    return store_.index_pending(max_docs, chunk);
  }
  void checkpoint() override {}
  Frontier& frontier() override { return frontier_; }
  HostSlots* shared_slots() override { return &slots_; }

 private:
  void open();

  store::pg::PgStore store_;
  std::optional<std::int64_t> run_id_;
  Clock::time_point started_{};
  Clock::time_point renewed_{};
  PgFrontier frontier_;
  PgHostSlots slots_;
};

}  // namespace nh::crawler
