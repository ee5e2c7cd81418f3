// What the crawl needs of its database, as one interface (issue 14): the records it writes, in
// batches that commit together, the reads its policy makes, the run's bookkeeping, and the
// frontier over the same database. SqliteCrawlStore adapts store::Store; a second backend
// (PostgreSQL, issue 15) implements the same contract.
//
// Contract:
//   - Writes (log_fetch, store_raw_page, cache_page, touch_cached_page, upsert_article, and the
//     frontier's add/done/failed/mark_seen) go into one open batch, begun by the first write;
//     commit(counts) ends it with the run's counters, atomically: a reader (or a crash) sees
//     all of a batch or none of it. Nothing else commits a batch.
//   - Reads (cached_page, find_article, articles_to_recheck) see the open batch's writes.
//   - begin_run, finish_run, close_abandoned_runs, index_pending and checkpoint run their own
//     transactions: call them with no batch open. begin_run sets the run the batches belong to.
//   - Errors of the database throw store::StoreError; nothing here swallows them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crawler/frontier.h"
#include "extract/page.h"
#include "store/store.h"

namespace nh::crawler {

class HostSlots;  // host_queues.h

class CrawlStore {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~CrawlStore() = default;

  // Runs.
  virtual std::int64_t close_abandoned_runs(std::string_view site) = 0;
  virtual std::int64_t begin_run(std::string_view site) = 0;
  virtual void finish_run(std::int64_t run_id, store::RunStatus status,
                          const store::RunCounts& counts,
                          const std::vector<std::string>& alarms) = 0;
  virtual std::vector<store::RunSummary> recent_runs(std::string_view site, int limit,
                                                     std::optional<std::int64_t> before) = 0;
  virtual std::map<std::string, store::FillCounts> run_fill_counts(std::int64_t run_id) = 0;

  // Reads.
  virtual std::optional<store::CachedPage> cached_page(std::string_view url) = 0;
  virtual std::optional<store::StoredArticle> find_article(std::string_view url) = 0;
  virtual std::vector<store::RecheckItem> articles_to_recheck(std::string_view site, int days) = 0;

  // Writes, in the open batch.
  virtual void log_fetch(const store::FetchLogEntry& entry) = 0;
  virtual std::int64_t store_raw_page(std::string_view site, const store::RawPage& raw) = 0;
  virtual void cache_page(std::string_view site, const store::CachedPage& page) = 0;
  virtual void touch_cached_page(std::string_view url) = 0;
  virtual store::UpsertResult upsert_article(std::string_view site, std::string_view canonical,
                                             const extract::Page& page, const store::RawPage* raw,
                                             std::span<const store::RawPage> more_pages) = 0;
  // When the open batch began (nullopt: none is open).
  virtual std::optional<Clock::time_point> batch_started() const = 0;
  virtual void commit(const store::RunCounts& counts) = 0;
  // Called often (every turn of the crawl loop, batch or not): a backend whose claims expire
  // (PostgreSQL leases) renews them here when due. Default: nothing.
  virtual void keep_alive() {}

  // Maintenance, between batches: index up to max_docs articles (< 0: all) in transactions of
  // `chunk`, returning how many; shrink the write-ahead log when nobody reads.
  virtual std::int64_t index_pending(std::int64_t max_docs, int chunk) = 0;
  virtual void checkpoint() = 0;

  // The frontier of `site` in this database (its writes go in the same batches).
  virtual Frontier& frontier() = 0;
  // Per-host politeness shared with other processes of the same crawl (PostgreSQL workers);
  // nullptr when this process crawls alone (SQLite: the run lock sees to that).
  virtual HostSlots* shared_slots() { return nullptr; }
};

class SqliteCrawlStore final : public CrawlStore {
 public:
  SqliteCrawlStore(store::Store& store, std::string site);

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

  void log_fetch(const store::FetchLogEntry& entry) override { batch().log_fetch(entry); }
  std::int64_t store_raw_page(std::string_view site, const store::RawPage& raw) override {
    return batch().store_raw_page(site, raw);
  }
  void cache_page(std::string_view site, const store::CachedPage& page) override {
    batch().cache_page(site, page);
  }
  void touch_cached_page(std::string_view url) override { batch().touch_cached_page(url); }
  store::UpsertResult upsert_article(std::string_view site, std::string_view canonical,
                                     const extract::Page& page, const store::RawPage* raw,
                                     std::span<const store::RawPage> more_pages) override {
    return batch().upsert_article(site, canonical, page, raw, more_pages);
  }
  std::optional<Clock::time_point> batch_started() const override {
    return batch_ ? std::optional(started_) : std::nullopt;
  }
  void commit(const store::RunCounts& counts) override;

  std::int64_t index_pending(std::int64_t max_docs, int chunk) override {
    return store_.index_pending(max_docs, chunk);
  }
  void checkpoint() override { store_.checkpoint_truncate(); }

  Frontier& frontier() override { return frontier_; }

 private:
  store::Batch& batch();

  store::Store& store_;
  std::optional<std::int64_t> run_id_;
  std::optional<store::Batch> batch_;
  Clock::time_point started_{};
  SqliteFrontier frontier_;
};

}  // namespace nh::crawler
