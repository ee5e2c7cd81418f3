// newsharvest::store::pg — the PostgreSQL store: the SQLite store's record contract (store.h)
// on a shared server, for many crawl workers at once (docs/SCHEMA.md "PostgreSQL",
// docs/SCALING.md).
//
// Contract
// - PgStore::open(url) connects (libpq URL, "postgresql://user@host:port/db"), creates or
//   migrates the schema (pg_schema.h) and refuses, with a StoreError naming the URL (password
//   removed), a server it cannot reach, a database that is not newsharvest's, or a newer schema.
// - Writes happen in a batch (begin() ... commit()): one transaction; readers see all of it or
//   none. Destroying a PgStore with a batch open rolls it back. Upserts follow store.h exactly:
//   unchanged content writes nothing, a change keeps the old version in article_history,
//   near-duplicates point at the earliest published copy (the same SimHash rule).
// - The frontier is shared by every worker of a site. A claimed row carries its claimant (a run
//   id) and a lease that lapses `lease_seconds` after the claimant last renewed it (renew():
//   each commit and each claim_due). Claims are taken with FOR UPDATE SKIP LOCKED (claim_due)
//   or by the INSERT that creates the row (enqueue with claimed): two workers never hold one
//   URL, and a worker that dies loses only its claims, when they lapse.
// - Host slots: acquire_host(host, delay) grants a request start to one worker at a time per
//   host, at least `delay` after the previous grant (server clock): politeness across workers.
// - One connection per PgStore; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/pg/pg.h"
#include "store/store.h"

namespace nh::store::pg {

struct PgOptions {
  bool read_only = false;  // never write (no schema creation): export, stats, search
  int lease_seconds = 60;  // a claim lapses this long after its claimant last renewed it
  // synchronous_commit off: for a connection whose commits may be lost in a server crash
  // without harm (frontier claims: the links are found again).
  bool relaxed_commit = false;
};

class PgStore;

// A batch as the SQLite store's Batch reads (begin_batch / upsert_article / commit; rolled back
// when destroyed uncommitted): so code written for store::Batch (Ingest::store, reextract) runs
// on either backend.
class PgBatch {
 public:
  PgBatch(PgStore& store, std::optional<std::int64_t> run_id);
  PgBatch(const PgBatch&) = delete;
  PgBatch& operator=(const PgBatch&) = delete;
  ~PgBatch();
  UpsertResult upsert_article(std::string_view site, std::string_view url,
                              const extract::Page& page, const RawPage* raw = nullptr,
                              std::span<const RawPage> more_pages = {});
  std::int64_t store_raw_page(std::string_view site, const RawPage& raw);
  void commit();

 private:
  PgStore& store_;
  bool open_ = true;
};

class PgStore {
 public:
  static PgStore open(const std::string& url, const PgOptions& options = {});
  PgStore(PgStore&&) noexcept;
  PgStore& operator=(PgStore&&) noexcept;
  ~PgStore();

  const std::string& name() const;  // the URL without password
  int schema_version() const;
  Conn& conn();
  int lease_seconds() const;

  // Batches (one transaction). run_id: the run the batch's writes belong to (fetch log,
  // articles.run_id, run_sites, crawl_seen, frontier claims).
  void begin(std::optional<std::int64_t> run_id);
  bool in_batch() const;
  // Commits, with the run's counters (runs row) and per-site fill deltas; renews the run's
  // leases and heartbeat.
  void commit(const std::optional<RunCounts>& counts);
  void rollback();
  PgBatch begin_batch(std::optional<std::int64_t> run_id = std::nullopt) {
    return PgBatch(*this, run_id);
  }

  // Writes (need an open batch).
  std::int64_t store_raw_page(std::string_view site, const RawPage& raw);
  UpsertResult upsert_article(std::string_view site, std::string_view url,
                              const extract::Page& page, const RawPage* raw,
                              std::span<const RawPage> more_pages);
  void log_fetch(const FetchLogEntry& e);
  void cache_page(std::string_view site, const CachedPage& page);
  void touch_cached_page(std::string_view url);

  // Frontier claims, each its own statement (autocommitted outside a batch): a claim that
  // waited for another worker's batch to commit could deadlock with it. enqueue: true when the
  // row was created (claimed by `owner` when e.claimed). take: claims an existing row for
  // `owner` unless a live lease holds it or it was finished since `since` (unix seconds).
  bool enqueue(const FrontierEntry& e, std::optional<std::int64_t> owner);
  bool take(std::string_view url, std::int64_t since, std::int64_t owner);
  // Frontier outcomes (in the batch: they commit with the record).
  void mark_done(std::string_view url);
  void mark_failed(std::string_view url, std::string_view error,
                   std::optional<std::int64_t> retry_at, bool keep_claimed);
  std::optional<FrontierState> frontier_state(std::string_view url);

  // Frontier, own transactions. claim_due: up to `limit` rows of `site` that are pending and
  // due, or claimed by a lease that lapsed, shallowest first, claimed for run `owner`.
  std::vector<FrontierItem> claim_due(std::string_view site, int limit, std::int64_t owner);
  // Renews every claim of run `owner` and its heartbeat (own statement).
  void renew(std::int64_t owner);
  // The claims of run `owner` back to pending; with lapsed: every lapsed claim of the site too.
  std::int64_t release_claims(std::string_view site, std::int64_t owner, bool lapsed);
  std::int64_t frontier_pending(std::string_view site);
  // Whether other live workers of the site still hold claims (their pages may yield more links),
  // or lapsed claims / due pending rows wait: a worker should not finish yet.
  bool site_busy(std::string_view site, std::int64_t owner);
  // The earliest start (unix seconds) of the site's live runs: a page finished since then was
  // fetched by this crawl (one crawl = the runs alive together).
  std::int64_t crawl_epoch(std::string_view site, std::int64_t run_id);

  // Host slots (own statement, autocommit). nullopt: granted; else how long to wait.
  // asker: who asks (any id unique among the workers); the first one refused is next in line
  // for kTurnGrace after the slot frees.
  std::optional<std::chrono::milliseconds> acquire_host(std::string_view host,
                                                        std::chrono::milliseconds delay,
                                                        std::int64_t asker);
  static constexpr std::chrono::milliseconds kTurnGrace{150};
  // The granted request went out `lag` after the grant: the host's next start moves with it.
  void delay_host(std::string_view host, std::chrono::milliseconds lag);

  // Runs (own transactions).
  std::int64_t begin_run(std::string_view site, std::string_view worker);
  void finish_run(std::int64_t run_id, RunStatus status, const RunCounts& counts,
                  const std::vector<std::string>& alarms);
  // Runs of `site` still 'running' whose heartbeat is older than the lease: interrupted.
  std::int64_t close_abandoned_runs(std::string_view site);
  std::vector<RunSummary> recent_runs(std::string_view site, int limit,
                                      std::optional<std::int64_t> before);
  std::map<std::string, FillCounts> run_fill_counts(std::int64_t run_id);

  // Reads.
  std::optional<CachedPage> cached_page(std::string_view url);
  std::optional<StoredArticle> find_article(std::string_view url);
  std::vector<RecheckItem> articles_to_recheck(std::string_view site, int days);
  void for_each_article(const ExportFilter& filter,
                        const std::function<void(const StoredArticle&)>& fn);
  std::vector<SiteStats> site_stats();
  // As Store::archived_pages: articles with a raw page and id > after_id, each with its pages.
  std::vector<ArchivedPage> archived_pages(std::optional<std::string> site, std::int64_t after_id,
                                           int limit);
  std::int64_t article_count();

  // Search (docs/SCHEMA.md): index_pending fills the tsvector `search` (from the terms of
  // search_text.h, not kept: the vector is what is searched) of articles whose version is not
  // indexed yet; search ranks with ts_rank.
  std::int64_t index_pending(std::int64_t max_docs = -1, int chunk = 1000);
  std::int64_t index_lag();
  std::vector<SearchHit> search(const SearchQuery& q);

 private:
  struct Impl;
  explicit PgStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nh::store::pg
