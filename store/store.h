// newsharvest::store — the SQLite database the crawler writes and analysts read (DESIGN.md §5,
// docs/SCHEMA.md for every table and column).
//
// Contract
// - Store::open validates before it writes: a file that is not SQLite, not a newsharvest
//   database, corrupt, from a newer schema version, or read-only (when writing) is refused with
//   a StoreError naming the file, and the file's bytes are left untouched. An older schema is
//   migrated forward in one transaction (all steps or none).
// - Every write happens inside a Batch (one IMMEDIATE transaction): readers in other processes
//   see all of a batch or none of it (WAL mode). A Batch that is destroyed without commit()
//   rolls back.
// - Several processes may open and write one database file at once, even creating it at the
//   same moment: every write transaction is BEGIN IMMEDIATE (a busy file is waited for within
//   busy_timeout_ms, and BEGIN retried up to lock_timeout_ms; never an SQLITE_BUSY half-way), the
//   switch to WAL is retried, the schema is created/migrated under the write lock after re-reading
//   user_version, and a SQLite file without any schema (application_id 0, user_version 0, no
//   objects) counts as fresh.
// - Articles are keyed by the canonical URL the caller passes; the store does not normalise
//   URLs. Upserting unchanged content writes nothing; changed content updates the row in place,
//   bumps updated_at and version, and keeps the previous version in article_history.
// - Every archived page of an article (page 1 and, for a multi-page article, its continuations)
//   is linked in article_pages in join order; reextract rebuilds the record from all of them.
// - Near-duplicates (the same story under another URL) get duplicate_of = the first copy's id,
//   by 64-bit SimHash over the normalised body (see store/simhash.h). The first copy is the
//   earliest published (by published_date; on the same day or without a date, the one stored
//   first): an original stored after its reprints becomes the group's root and the reprints
//   are re-pointed to it in the same batch.
//
// - Full-text search (articles_fts, docs/SCHEMA.md) is not maintained by the write
//   transaction: index_pending() catches it up in bulk, in its own transactions, after commits
//   (the crawler calls it); index_lag() counts the articles it does not hold yet.
//
// Ownership and threads: a Store owns one SQLite connection; it is movable, not copyable, and
// must be used from one thread at a time. A Batch borrows its Store and must not outlive it;
// only one Batch may be open per Store. Open several Stores (connections) for concurrency.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "extract/page.h"

struct sqlite3;

namespace nh::store {

// Every storage fault: the message starts with the database path and says what is wrong.
// code() is SQLite's extended result code when SQLite reported the fault (SQLITE_BUSY = 5,
// SQLITE_CORRUPT = 11, SQLITE_BUSY_SNAPSHOT = 517, ...; primary code = code() & 0xff), 0 for a
// fault newsharvest found itself (wrong application_id, newer schema, read-only file).
class StoreError : public std::runtime_error {
 public:
  explicit StoreError(const std::string& what, int code = 0)
      : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }
  int primary_code() const noexcept { return code_ & 0xff; }
  // SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock; waiting may help.
  bool busy() const noexcept { return primary_code() == 5 || primary_code() == 6; }

 private:
  int code_ = 0;
};

inline constexpr int kSchemaVersion = 8;
// PRAGMA application_id of every newsharvest database ("NHST"); how open() tells our files
// from other SQLite databases.
inline constexpr std::int32_t kApplicationId = 0x4E485354;

struct OpenOptions {
  // Never write: no migration, no journal-mode change. A database that needs migrating is
  // refused (open it once read-write). Used by export/stats so they work on read-only files.
  bool read_only = false;
  // Create the file (and its parent directory) when it does not exist. Ignored when read_only.
  bool create = true;
  int busy_timeout_ms = 5000;
  // How long a write transaction waits for another writer in all (BEGIN IMMEDIATE is retried
  // after each busy_timeout_ms until then): a crawl outlasts an analyst's long transaction or
  // another crawl's batch instead of failing with "database is locked".
  int lock_timeout_ms = 600000;
  // Unix seconds for every *_at column; defaults to the system clock. Tests inject a fixed one.
  std::function<std::int64_t()> clock;
};

// One HTTP response as fetched; archived zstd-compressed in raw_pages.
struct RawPage {
  std::string url;        // as requested
  std::string final_url;  // after redirects; "" = url
  int status = 200;
  std::optional<std::string> content_type;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> charset;      // the encoding the extractor decoded it from
  std::string bytes;                       // the body exactly as received
  std::optional<std::int64_t> fetched_at;  // unix seconds; nullopt = the store's clock
};

enum class Upsert { inserted, updated, unchanged };

struct UpsertResult {
  Upsert outcome = Upsert::unchanged;
  std::int64_t article_id = 0;
  std::optional<std::int64_t> duplicate_of;
  std::vector<std::string> changed_fields;  // record field names (DESIGN.md §4), when updated
};

struct FrontierEntry {
  std::string url;   // canonical
  std::string site;  // sites.name
  std::string kind;  // "seed", "list", "article", "sitemap", "feed", ... (crawler's vocabulary)
  int depth = 0;
  std::optional<std::string> referrer;
  std::optional<std::int64_t> not_before;  // unix seconds; nullopt = due now
  // The caller holds the URL in its own queue (the crawl's in-memory window): the row is
  // written in_progress (an existing pending row becomes in_progress), so claim_due() never
  // hands it out a second time. requeue_in_progress() puts it back to pending.
  bool claimed = false;
};

struct FrontierItem {
  std::int64_t id = 0;
  std::string url;
  std::string site;
  std::string kind;
  int depth = 0;
  int attempts = 0;
  bool operator==(const FrontierItem&) const = default;
};

struct FetchLogEntry {
  std::string site;
  std::string url;
  std::optional<int> status;  // nullopt when no response (DNS, timeout)
  std::optional<std::string> error;
  std::optional<std::int64_t> elapsed_ms;
  std::optional<std::int64_t> raw_page_id;
};

enum class RunStatus { running, ok, degraded, failed, interrupted };
std::string_view run_status_name(RunStatus s);

struct RunCounts {
  std::int64_t pages_fetched = 0;
  std::int64_t pages_failed = 0;
  std::int64_t articles_new = 0;
  std::int64_t articles_changed = 0;
  std::int64_t articles_unchanged = 0;
  std::int64_t links_enqueued = 0;
  std::int64_t requests = 0;            // HTTP requests sent (robots.txt and retries included)
  std::int64_t not_modified = 0;        // of those, answered 304
  std::int64_t list_pages = 0;          // list pages processed (200, or 304 served from page_cache)
  std::int64_t list_article_links = 0;  // article links found on those list pages (known or new)
  bool operator==(const RunCounts&) const = default;
};

enum class FrontierState { pending, in_progress, done, failed };

// The latest 200 response of a non-article page (list page, seed, sitemap, feed), kept in
// page_cache for conditional requests on re-crawls.
struct CachedPage {
  std::string url;
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
  std::optional<std::string> content_type;
  std::string bytes;       // decompressed body
  std::string fetched_at;  // ISO UTC of the 200 it came from ("" when writing: the store's clock)
  bool operator==(const CachedPage&) const = default;
};

// A stored article to re-check with a conditional request.
struct RecheckItem {
  std::string url;                           // canonical URL (articles.url)
  std::string fetch_url;                     // the URL its raw page was fetched from, else url
  std::optional<std::string> etag;           // of its raw page
  std::optional<std::string> last_modified;  // of its raw page
  bool operator==(const RecheckItem&) const = default;
};

// Field fill counts of the fields DESIGN.md §4 tracks; rate = count / articles.
struct FillCounts {
  std::int64_t articles = 0;
  std::int64_t title = 0;
  std::int64_t published_at = 0;
  std::int64_t reporters = 0;
  std::int64_t section = 0;
  std::int64_t source = 0;
  std::int64_t body = 0;
  bool operator==(const FillCounts&) const = default;
};

// One field of the DESIGN.md §4 record as the store keeps it, in record order (article_fields()).
// The table drives the articles/article_history column lists and binds, the row reader,
// content_hash (hashed), UpsertResult::changed_fields (diffed), the per-run fill counts
// (tracked: run_sites) and the CSV export's record columns.
struct ArticleField {
  const char* name;      // articles column and record field name
  const char* sql_type;  // as declared (docs/SCHEMA.md)
  bool column;           // an articles / article_history column (contributors: its own table)
  bool hashed;           // part of content_hash: a change makes a new version
  bool diffed;           // reported in changed_fields
  bool tracked;          // counted in FillCounts / run_sites
  std::int64_t FillCounts::*fill;  // the counter, when tracked
  // The value as stored and exported: text, JSON for lists; nullopt = NULL.
  std::optional<std::string> (*get)(const extract::Article&);
  // Sets the field from its stored value (columns only).
  void (*set)(extract::Article&, std::optional<std::string>);
  // Feeds the field to content_hash (the encoding every stored hash was made with).
  void (*hash)(std::uint64_t&, const extract::Article&);
  // Counted as filled: not NULL, and not an empty list.
  bool filled(const extract::Article& a) const;
};
std::span<const ArticleField> article_fields();

struct RunInfo {
  std::int64_t id = 0;
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string status;
};

// One run as Store::recent_runs reports it.
struct RunSummary {
  std::int64_t id = 0;
  std::string site;  // sites.name of runs.site_id ("" for a run without a site)
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string status;  // running, ok, degraded, failed, interrupted
  RunCounts counts;
  FillCounts fill;  // the run_sites row of (run, the site asked about); zeros when none
  std::vector<std::string> alarms;
  bool operator==(const RunSummary&) const = default;
};

struct SiteStats {
  std::string site;
  FillCounts fill;  // over all current articles of the site
  std::int64_t duplicates = 0;
  std::optional<RunInfo> last_run;      // latest run that touched the site
  std::optional<RunInfo> last_success;  // latest of those with status ok
  std::vector<RunSummary> recent_runs;  // newest first, at most 5 (Store::recent_runs)
};

// One result of Store::search.
struct SearchHit {
  std::int64_t id = 0;
  std::string site_name;  // sites.name (profile)
  std::string url;
  std::optional<std::string> site;  // the portal's own name
  std::optional<std::string> title;
  std::optional<std::string> published_at;
  std::optional<std::string> published_date;
  std::optional<std::int64_t> duplicate_of;
  double score = 0;     // FTS5 rank: bm25 with title weight 10, body 1 (lower = better)
  std::string snippet;  // title or body around the first match, matches in [ ]
};

struct SearchQuery {
  std::string text;                  // what the user typed (normalised like the stored text)
  std::optional<std::string> site;   // sites.name
  std::optional<std::string> since;  // YYYY-MM-DD: published_date >= since
  int limit = 20;                    // <= 0: no limit
};

struct ExportFilter {
  std::optional<std::string> site;   // sites.name
  std::optional<std::string> since;  // YYYY-MM-DD: published_date >= since
};

// An article as stored (the record of DESIGN.md §4 plus bookkeeping).
struct StoredArticle {
  std::int64_t id = 0;
  std::string site_name;  // sites.name (the profile), not article.site (the portal's own name)
  std::string url;        // canonical
  std::string final_url;
  std::optional<std::string> charset;
  extract::Article article;
  std::map<std::string, std::string> provenance;
  std::optional<std::int64_t> duplicate_of;
  int version = 1;
  std::string first_seen_at;
  std::string updated_at;
};

// One archived response (raw_pages row), decompressed.
struct ArchivedRaw {
  std::string url;        // as requested
  std::string final_url;  // after redirects
  std::optional<std::string> content_type;
  std::string bytes;  // decompressed
};

// The archived responses behind an article, for reextract.
struct ArchivedPage {
  std::int64_t article_id = 0;
  std::string site;  // sites.name
  std::string url;   // the article's canonical URL
  // Every linked page in join order (article_pages.page): pages[0] is page 1, the article's
  // raw page; a multi-page article has its continuations after it. Never empty.
  std::vector<ArchivedRaw> pages;
  // Pages the stored record was joined from (articles.page_count). More than pages.size() for
  // multi-page articles stored before schema 4, whose later pages were never linked.
  std::int64_t page_count = 1;
};

class Store;

// One write transaction. Obtain with Store::begin_batch(); call commit() to keep the writes.
class Batch {
 public:
  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) = delete;
  ~Batch();  // rolls back unless committed

  // Insert or update the article at canonical_url from an extracted page (page.url is ignored;
  // page.final_url, page.charset, page.article and page.provenance are stored; links are not —
  // enqueue them). raw, when given, is archived and becomes the article's raw page (page 1);
  // more_pages (pages 2..n of a multi-page article, in join order) are archived too, and the
  // article's article_pages rows become exactly [raw, more_pages...] — rewritten only when that
  // list differs from the stored one, also when the content is unchanged. Without raw the
  // article's pages stay as they are (more_pages must then be empty: StoreError otherwise).
  UpsertResult upsert_article(std::string_view site, std::string_view canonical_url,
                              const extract::Page& page, const RawPage* raw = nullptr,
                              std::span<const RawPage> more_pages = {});
  // Archive a response that is not (or not yet) an article; returns raw_pages.id. Identical
  // bytes for the same URL are stored once.
  std::int64_t store_raw_page(std::string_view site, const RawPage& raw);
  // Adds the URL to the frontier unless it is already there (any state). true when added.
  bool enqueue(const FrontierEntry& entry);
  void mark_done(std::string_view url);
  // attempts += 1; back to pending at retry_at (unix seconds), or failed for good when nullopt.
  // keep_claimed: the caller retries it from its own queue: the row stays in_progress (with
  // next_attempt_at = retry_at) so that claim_due() does not hand it out too.
  void mark_failed(std::string_view url, std::string_view error,
                   std::optional<std::int64_t> retry_at, bool keep_claimed = false);
  void log_fetch(const FetchLogEntry& entry);

  // The run's seen set (crawl_seen; the batch's run_id, which must be set): URLs as 64-bit
  // hashes. mark_seen is true when the hash was not there yet.
  bool mark_seen(std::uint64_t url_hash);
  bool seen(std::uint64_t url_hash);
  void unmark_seen(std::uint64_t url_hash);

  // State of a URL in the frontier table, nullopt when absent.
  std::optional<FrontierState> frontier_state(std::string_view url);
  // Insert or replace the cached copy of a page (page_cache: one row per URL). fetched_at =
  // checked_at = page.fetched_at, or now when it is "". The body is stored zstd-compressed.
  void cache_page(std::string_view site, const CachedPage& page);
  // A 304 confirmed the cached copy: checked_at = now. No-op when the URL is not cached.
  void touch_cached_page(std::string_view url);

  // The run's counters as of this batch: written to the runs row (run_id of begin_batch) when
  // the batch commits, so a run that is killed still shows what its committed batches stored.
  void set_run_counts(const RunCounts& counts);

  void commit();

 private:
  friend class Store;
  struct State;
  explicit Batch(std::unique_ptr<State> state);
  StoredArticle find_article_by_id(std::int64_t id);
  void require_open() const;
  std::unique_ptr<State> s_;
};

class Store {
 public:
  // Throws StoreError (see the contract above). path ":memory:" opens a private in-memory db.
  static Store open(const std::string& path, const OpenOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;
  int schema_version() const;

  // run_id, when given, attributes the batch's articles to that run (articles.run_id and the
  // per-run fill counts in run_sites).
  Batch begin_batch(std::optional<std::int64_t> run_id = std::nullopt);

  // begin_run, finish_run, close_abandoned_runs, claim_due and requeue_in_progress run their
  // own short transaction: call them between batches (with a Batch open they throw StoreError).
  // Runs: begin returns runs.id; finish records the end time, status and counts (all fields of
  // RunCounts); alarms are stored as a JSON array of strings in runs.alarms (replacing any).
  std::int64_t begin_run(std::optional<std::string> site = std::nullopt);
  void finish_run(std::int64_t run_id, RunStatus status, const RunCounts& counts,
                  const std::vector<std::string>& alarms = {});
  // Runs of `site` still marked running (their process died: the caller holds the site's
  // overlap lock, so none can be live) become 'interrupted' with the alarm
  // "abandoned: the process ended without finishing the run" appended; finished_at stays NULL.
  // Returns how many.
  std::int64_t close_abandoned_runs(std::string_view site);
  // Runs of `site` (sites.name) — those with runs.site_id = the site, and any run that wrote
  // articles of it (run_sites), as site_stats' last_run — newest first (by id), at most `limit`
  // (<= 0: none), only those with id < before_run when given. Includes running ones. An
  // unknown site has none.
  std::vector<RunSummary> recent_runs(std::string_view site, int limit,
                                      std::optional<std::int64_t> before_run = std::nullopt) const;
  // Per-run, per-site fill counts of the articles the run wrote or confirmed unchanged.
  std::map<std::string, FillCounts> run_fill_counts(std::int64_t run_id) const;

  // Frontier: marks up to `limit` due pending URLs (next_attempt_at <= now) in_progress and
  // returns them, shallowest first. Own transaction.
  std::vector<FrontierItem> claim_due(std::optional<std::string> site, int limit);
  // Puts in_progress URLs back to pending (after a crashed run); returns how many. Only the
  // given site's rows (sites.name) when site is given, every site's when nullopt.
  std::int64_t requeue_in_progress(std::optional<std::string> site = std::nullopt);
  // Pending frontier rows of `site` (sites.name): what a later run has left to do, due or not.
  std::int64_t frontier_pending(std::string_view site) const;

  // Reads (one statement, streamed: constant memory whatever the table size). Ordered by id.
  void for_each_article(const ExportFilter& filter,
                        const std::function<void(const StoredArticle&)>& fn) const;
  // Reads below (find_article, cached_page, articles_to_recheck, recent_runs, site_stats) use
  // the connection as it is: they work while a Batch is open on this Store and then see the
  // batch's uncommitted writes.
  std::optional<StoredArticle> find_article(std::string_view canonical_url) const;
  // The cached copy of a page (page_cache), body decompressed; nullopt when not cached.
  std::optional<CachedPage> cached_page(std::string_view url) const;
  // Articles of `site` that are younger than `days`: published_date >= the UTC calendar date
  // `days` days before the store clock's today, or (published_date IS NULL and first_seen_at
  // within the last `days` days, i.e. >= now - days * 86400 s). Ordered by id. days <= 0 ->
  // empty.
  std::vector<RecheckItem> articles_to_recheck(std::string_view site, int days) const;
  std::vector<SiteStats> site_stats() const;
  // Articles with an archived raw page and id > after_id, at most limit, ordered by id, each
  // with all its linked pages (article_pages) in order.
  std::vector<ArchivedPage> archived_pages(std::optional<std::string> site, std::int64_t after_id,
                                           int limit) const;

  // Full-text search (docs/SCHEMA.md, articles_fts). Bulk indexing after commit: indexes up to
  // max_docs articles whose stored version the index does not hold yet (< 0: all of them), in
  // write transactions of `chunk` articles each (~0.6 s of CPU for 1,000 articles of 1,000
  // characters: short enough for other writers); returns how many it indexed.
  std::int64_t index_pending(std::int64_t max_docs = -1, int chunk = 1000);
  // Articles the index does not hold in their current version (the lag).
  std::int64_t index_lag() const;
  // Ranked (bm25, best first; ties by id) articles matching every part of the query. Articles
  // not indexed yet are not found: see index_lag().
  std::vector<SearchHit> search(const SearchQuery& q) const;
  // PRAGMA wal_checkpoint(TRUNCATE) without waiting: true when the WAL was checkpointed and
  // truncated to 0 bytes; false when another connection reads or writes (try again later).
  bool checkpoint_truncate();

  // Current time as the store writes it: "YYYY-MM-DDTHH:MM:SSZ".
  std::string now_text() const;

  // The connection, for tests and diagnostics (read-only queries). Writing through it bypasses
  // the store's guarantees. Valid while this Store lives.
  sqlite3* raw_handle() const;

 private:
  friend class Batch;
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "YYYY-MM-DDTHH:MM:SSZ" for unix seconds.
std::string iso_utc(std::int64_t unix_seconds);
// The sortable published_date column: the local calendar date of an ISO 8601 published_at
// ("2021-05-26" or "2021-05-26T09:30:00+08:00" -> "2021-05-26"); nullopt when not ISO.
std::optional<std::string> published_date(std::string_view published_at);
// The local time of day of a published_at with a time ("2021-05-26T09:30:00+08:00" ->
// "09:30:00"); nullopt for a date only.
std::optional<std::string> published_time(std::string_view published_at);

}  // namespace nh::store
