// Store and Batch: opening (validate read-only first, then migrate), the article upsert, raw
// page archive, frontier, runs and the read side used by export/stats/reextract.
#include "store/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "store/article_codec.h"
#include "store/compress.h"
#include "store/fingerprint.h"
#include "store/schema.h"
#include "store/search_text.h"
#include "store/sqlite.h"

namespace nh::store {

std::string_view run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::running:
      return "running";
    case RunStatus::ok:
      return "ok";
    case RunStatus::degraded:
      return "degraded";
    case RunStatus::failed:
      return "failed";
    case RunStatus::interrupted:
      return "interrupted";
  }
  return "running";
}

std::string iso_utc(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::string> published_date(std::string_view p) {
  // The extractor writes dates in the site's own zone (DESIGN.md §4), so the first ten
  // characters are the local calendar date the page shows — what "articles per day" means to
  // an editor, and defined for date-only values where a UTC instant is not.
  if (p.size() < 10) return std::nullopt;
  for (std::size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? p[i] != '-' : (p[i] < '0' || p[i] > '9')) return std::nullopt;
  }
  if (p.size() > 10 && p[10] != 'T' && p[10] != ' ') return std::nullopt;
  return std::string(p.substr(0, 10));
}

std::optional<std::string> published_time(std::string_view p) {
  if (!published_date(p) || p.size() < 19 || p[10] != 'T') return std::nullopt;
  for (std::size_t i = 11; i < 19; ++i) {
    const bool colon = i == 13 || i == 16;
    if (colon ? p[i] != ':' : (p[i] < '0' || p[i] > '9')) return std::nullopt;
  }
  return std::string(p.substr(11, 8));
}

namespace {

constexpr char kSqliteMagic[] = "SQLite format 3";  // + NUL: the first 16 bytes of every file

// ", <prefix><name>…" over the fields stored as articles columns, in record order.
std::string field_list(const char* prefix, const char* suffix = "") {
  std::string out;
  for (const ArticleField& f : article_fields()) {
    if (!f.column) continue;
    out += ", ";
    out += prefix;
    out += f.name;
    out += suffix;
  }
  return out;
}

bool file_exists(const std::string& path, struct stat& st) {
  return ::stat(path.c_str(), &st) == 0;
}

// Reads the first 16 bytes without opening the file through SQLite, so a non-database file is
// refused before SQLite could treat it as anything.
bool has_sqlite_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[16] = {};
  in.read(buf, sizeof buf);
  return in.gcount() == 16 && std::memcmp(buf, kSqliteMagic, 16) == 0;
}

sql::DbHandle open_handle(const std::string& path, int flags, int busy_ms) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  sql::DbHandle db(raw);  // own it before looking at rc: open can fail and still allocate
  if (rc != SQLITE_OK) sql::fail(db.get(), path, "cannot open database");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), busy_ms);
  return db;
}

// PRAGMA journal_mode = WAL, retried while another process holds the lock it needs. Switching
// a rollback-journal file to WAL takes an exclusive lock, and SQLite may answer SQLITE_BUSY at
// once, without the busy handler (several processes opening one new file at the same moment).
// Gives up after busy_ms, as busy_timeout would.
std::string set_wal_mode(sqlite3* db, const std::string& path, int busy_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(busy_ms, 0));
  for (int attempt = 0;; ++attempt) {
    try {
      sql::Stmt s(db, path, "PRAGMA journal_mode = WAL");
      return s.step() ? s.text(0) : "";
    } catch (const StoreError&) {
      const int code = sqlite3_errcode(db);
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= deadline)
        throw;
    }
    ::usleep(static_cast<useconds_t>(1000 * std::min(attempt + 1, 20)));
  }
}

struct Inspection {
  bool fresh = false;  // no schema yet: safe to initialise
  int version = 0;
};

// The verdict on what inspect() read: fresh, refused, or a newsharvest schema version.
Inspection finish_inspection(sqlite3* db, const std::string& path, std::int64_t app_id,
                             std::int64_t objects, Inspection out) {
  if (app_id == 0 && objects == 0 && out.version == 0) {
    out.fresh = true;
    return out;
  }
  if (app_id != kApplicationId) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(app_id));
    throw StoreError(path + ": not a newsharvest database (SQLite application_id " + buf + ", " +
                     std::to_string(objects) + " schema objects); refusing to touch it");
  }
  if (out.version > kSchemaVersion) {
    throw StoreError(path + ": database schema version " + std::to_string(out.version) +
                     " is newer than this newsharvest supports (" + std::to_string(kSchemaVersion) +
                     "); upgrade newsharvest. The file was not modified.");
  }
  if (out.version < 1) {
    throw StoreError(path + ": newsharvest database with invalid schema version " +
                     std::to_string(out.version));
  }
  // Touch every table the store reads so gross corruption of the schema pages shows here,
  // with the file still untouched, rather than half-way through a batch.
  sql::Stmt check(db, path, "SELECT (SELECT count(*) FROM sites), (SELECT max(id) FROM articles)");
  check.step();
  return out;
}

// How often, and how far apart, a file with tables but no application id is looked at again
// before it is refused: a newsharvest creating the same new database at the same moment (two
// crawls starting together) is seen that way for an instant (CrawlConcurrency saw it once in
// ten runs under load); another program's database stays that way.
constexpr int kUnmarkedLooks = 40;
constexpr useconds_t kUnmarkedPauseUs = 50'000;

// Looks at an existing file through a read-only connection. Never writes.
Inspection inspect(const std::string& path, int busy_ms) {
  Inspection out;
  for (int look = 1;; ++look) {
    sql::DbHandle db = open_handle(path, SQLITE_OPEN_READONLY, busy_ms);
    try {
      std::int64_t app_id = 0;
      std::int64_t objects = 0;
      {
        sql::Stmt s(db.get(), path, "PRAGMA application_id");
        if (s.step()) app_id = s.i64(0);
      }
      {
        sql::Stmt s(db.get(), path, "PRAGMA user_version");
        if (s.step()) out.version = static_cast<int>(s.i64(0));
      }
      {
        sql::Stmt s(db.get(), path, "SELECT count(*) FROM sqlite_schema");
        if (s.step()) objects = s.i64(0);
      }
      if (app_id == 0 && objects > 0 && look < kUnmarkedLooks) {
        ::usleep(kUnmarkedPauseUs);
        continue;
      }
      return finish_inspection(db.get(), path, app_id, objects, out);
    } catch (const StoreError& e) {
      const std::string what = e.what();
      if (e.primary_code() == SQLITE_CORRUPT || e.primary_code() == SQLITE_NOTADB ||
          what.find("malformed") != std::string::npos) {
        throw StoreError(path + ": database file is corrupt (" + what.substr(path.size() + 2) +
                             "); refusing to touch it",
                         e.code());
      }
      throw;
    }
  }
}

// inspect(), and when it refuses the file, removes the empty -wal/-shm files SQLite created
// beside a WAL-mode file while looking at it: a refused file is left as we found it.
Inspection inspect_leaving_no_trace(const std::string& path, int busy_ms) {
  namespace fs = std::filesystem;
  const bool had_wal = fs::exists(path + "-wal");
  const bool had_shm = fs::exists(path + "-shm");
  try {
    return inspect(path, busy_ms);
  } catch (const StoreError& e) {
    // A busy or locked database is not a refusal: another process is using the file (and may
    // own a fresh, still empty -wal). Leave everything as it is.
    if (e.busy()) throw;
    std::error_code ec;
    if (!had_wal && fs::exists(path + "-wal", ec) && fs::file_size(path + "-wal", ec) == 0) {
      fs::remove(path + "-wal", ec);
      if (!had_shm) fs::remove(path + "-shm", ec);
    }
    throw;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct Store::Impl {
  std::string path;
  OpenOptions options;
  int version = 0;
  sql::DbHandle db;  // declared before the statements so it is destroyed after them
  std::unordered_map<const char*, std::unique_ptr<sql::Stmt>> stmts;
  std::unordered_map<std::string, std::int64_t> site_ids;  // committed sites only
  bool batch_open = false;

  std::int64_t now() const {
    if (options.clock) return options.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::string now_text() const { return iso_utc(now()); }

  // Statements are cached by the address of their (static) SQL text.
  sql::Stmt& stmt(const char* text) {
    auto& slot = stmts[text];
    if (!slot) slot = std::make_unique<sql::Stmt>(db.get(), path, text);
    return *slot;
  }

  std::optional<std::int64_t> find_site(std::string_view name) {
    if (auto it = site_ids.find(std::string(name)); it != site_ids.end()) return it->second;
    static const char* const kSql = "SELECT id FROM sites WHERE name = ?1";
    auto& s = stmt(kSql);
    sql::StmtScope scope(s);
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return s.i64(0);
  }

  // Inside a write transaction. Newly created ids are cached by the batch only after commit.
  std::int64_t site_id(std::string_view name,
                       std::unordered_map<std::string, std::int64_t>& added) {
    if (auto id = find_site(name)) return *id;
    if (auto it = added.find(std::string(name)); it != added.end()) return it->second;
    static const char* const kSql = "INSERT INTO sites(name, created_at) VALUES (?1, ?2)";
    stmt(kSql).bind(1, name).bind(2, now_text()).run();
    const std::int64_t id = sqlite3_last_insert_rowid(db.get());
    added.emplace(std::string(name), id);
    return id;
  }

  // Runs of the site with id site_id, newest first (see Store::recent_runs).
  std::vector<RunSummary> runs_of(std::int64_t site_id, int limit,
                                  std::optional<std::int64_t> before_run) {
    static const char* const kSql =
        "SELECT r.id, coalesce(s.name, ''), r.started_at, r.finished_at, r.status, "
        "r.pages_fetched, r.pages_failed, r.articles_new, r.articles_changed, "
        "r.articles_unchanged, r.links_enqueued, r.requests, r.not_modified, r.list_pages, "
        "r.list_article_links, r.alarms, coalesce(rs.articles, 0), coalesce(rs.title, 0), "
        "coalesce(rs.published_at, 0), coalesce(rs.reporters, 0), coalesce(rs.section, 0), "
        "coalesce(rs.source, 0), coalesce(rs.body, 0) "
        "FROM runs r LEFT JOIN sites s ON s.id = r.site_id "
        "LEFT JOIN run_sites rs ON rs.run_id = r.id AND rs.site_id = ?1 "
        "WHERE (r.site_id = ?1 OR r.id IN (SELECT run_id FROM run_sites WHERE site_id = ?1)) "
        "AND (?2 IS NULL OR r.id < ?2) "
        "ORDER BY r.id DESC LIMIT ?3";
    std::vector<RunSummary> out;
    if (limit <= 0) return out;
    auto& s = stmt(kSql);
    sql::StmtScope scope(s);
    s.bind(1, site_id).bind(2, before_run).bind(3, limit);
    while (s.step()) {
      RunSummary r;
      r.id = s.i64(0);
      r.site = s.text(1);
      r.started_at = s.text(2);
      r.finished_at = s.opt_text(3);
      r.status = s.text(4);
      r.counts.pages_fetched = s.i64(5);
      r.counts.pages_failed = s.i64(6);
      r.counts.articles_new = s.i64(7);
      r.counts.articles_changed = s.i64(8);
      r.counts.articles_unchanged = s.i64(9);
      r.counts.links_enqueued = s.i64(10);
      r.counts.requests = s.i64(11);
      r.counts.not_modified = s.i64(12);
      r.counts.list_pages = s.i64(13);
      r.counts.list_article_links = s.i64(14);
      const auto alarms = nlohmann::json::parse(s.text(15), nullptr, false);
      if (alarms.is_array())
        for (const auto& a : alarms)
          if (a.is_string()) r.alarms.push_back(a.get<std::string>());
      r.fill =
          FillCounts{s.i64(16), s.i64(17), s.i64(18), s.i64(19), s.i64(20), s.i64(21), s.i64(22)};
      out.push_back(std::move(r));
    }
    return out;
  }

  std::vector<extract::Contributor> contributors(std::int64_t article_id) {
    static const char* const kSql =
        "SELECT name, role FROM contributors WHERE article_id = ?1 ORDER BY position";
    auto& s = stmt(kSql);
    sql::StmtScope scope(s);
    s.bind(1, article_id);
    std::vector<extract::Contributor> out;
    while (s.step()) {
      extract::Contributor c;
      c.name = s.text(0);
      c.role = extract::role_from_name(s.text(1)).value_or(extract::Role::author);
      out.push_back(std::move(c));
    }
    return out;
  }
};

// The column list every StoredArticle read uses (see read_article()): bookkeeping, the record
// columns in article_fields() order, more bookkeeping.
const std::string& article_columns() {
  static const std::string cols = "a.id, s.name, a.url, a.final_url, a.charset" + field_list("a.") +
                                  ", a.provenance, a.duplicate_of, a.version, a.first_seen_at, "
                                  "a.updated_at";
  return cols;
}

namespace {
StoredArticle read_article(const sql::Stmt& s) {
  StoredArticle r;
  r.id = s.i64(0);
  r.site_name = s.text(1);
  r.url = s.text(2);
  r.final_url = s.text(3);
  r.charset = s.opt_text(4);
  int col = 5;
  for (const ArticleField& f : article_fields())
    if (f.column) f.set(r.article, s.opt_text(col++));
  const auto prov = nlohmann::json::parse(s.text(col), nullptr, false);
  if (prov.is_object())
    for (const auto& [k, v] : prov.items())
      if (v.is_string()) r.provenance[k] = v.get<std::string>();
  r.duplicate_of = s.opt_i64(col + 1);
  r.version = static_cast<int>(s.i64(col + 2));
  r.first_seen_at = s.text(col + 3);
  r.updated_at = s.text(col + 4);
  return r;
}
}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;
const std::string& Store::path() const { return impl_->path; }
int Store::schema_version() const { return impl_->version; }
std::string Store::now_text() const { return impl_->now_text(); }
sqlite3* Store::raw_handle() const { return impl_->db.get(); }

Store Store::open(const std::string& path, const OpenOptions& options) {
  // A PostgreSQL URL is not a file name (it would become a directory "postgresql:"): commands
  // open it with store::pg::PgStore instead; this is the safety net for one that does not.
  if (path.starts_with("postgresql://") || path.starts_with("postgres://"))
    throw StoreError(
        "a postgresql:// URL where an SQLite file is expected (store::Store "
        "opens files; PostgreSQL is store::pg::PgStore)");
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  const bool memory = path == ":memory:" || path.empty();
  bool fresh = memory;  // no schema yet (new, empty or 0-byte file)
  int version = 0;

  if (!memory) {
    struct stat st {};
    if (file_exists(path, st)) {
      if (!S_ISREG(st.st_mode)) throw StoreError(path + ": not a regular file");
      if (st.st_size == 0) {
        fresh = true;  // SQLite's own view of an empty file: a database with no schema yet
      } else if (st.st_size < 100 || !has_sqlite_header(path)) {
        throw StoreError(path + ": not a SQLite database (no SQLite header); refusing to touch it");
      } else {
        const Inspection in = inspect_leaving_no_trace(path, options.busy_timeout_ms);
        fresh = in.fresh;
        version = in.version;
      }
      if (!options.read_only) {
        // root ignores permission bits, so check them as well as access(): a file the user
        // made read-only is not to be written whoever runs us.
        if (::access(path.c_str(), W_OK) != 0 || (st.st_mode & 0222) == 0)
          throw StoreError(path + ": database file is read-only; cannot write to it");
      }
    } else {
      if (options.read_only || !options.create) throw StoreError(path + ": no such database file");
      const auto parent = std::filesystem::path(path).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec)
        throw StoreError(path + ": cannot create directory " + parent.string() + ": " +
                         ec.message());
      fresh = true;
    }
    if (options.read_only) {
      if (fresh) throw StoreError(path + ": empty file, not a newsharvest database");
      if (version < kSchemaVersion)
        throw StoreError(path + ": schema version " + std::to_string(version) +
                         " needs upgrading to " + std::to_string(kSchemaVersion) +
                         "; open it once read-write (e.g. newsharvest reextract) first");
    }
  }

  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  impl->db = open_handle(memory ? ":memory:" : path, flags, options.busy_timeout_ms);
  sqlite3* db = impl->db.get();
  sql::exec(db, path, "PRAGMA foreign_keys = ON");
  if (options.read_only) {
    impl->version = version;
    return Store(std::move(impl));
  }
  if (sqlite3_db_readonly(db, "main") == 1)
    throw StoreError(path + ": database opened read-only (file or directory not writable)");

  // WAL: readers never block the writer and never see half a batch. synchronous=NORMAL is
  // WAL's recommended setting: a power cut may lose the last commits but never corrupts.
  // A new file gets 16 KiB pages (SQLite's default is 4 KiB): an article row with its body and
  // its search terms (~15 KB for 1,000 Chinese characters) then spans one overflow page instead
  // of four, which makes the upsert and the index catch-up ~10 % cheaper
  // (docs/BENCHMARKS.md, Store). Only possible before the first table exists; older files keep
  // their page size.
  if (fresh && !memory) sql::exec(db, path, "PRAGMA page_size = 16384");
  {
    const std::string mode = set_wal_mode(db, path, options.busy_timeout_ms);
    if (!memory && mode != "wal")
      throw StoreError(path + ": cannot switch to WAL mode (got '" + mode + "')");
  }
  sql::exec(db, path, "PRAGMA synchronous = NORMAL");
  // 64 MiB page cache (SQLite's default is 2 MiB) holds the hot part of the FTS segments and the
  // articles indexes, and temporary files (statement journals: every article insert runs its
  // FTS trigger under one) stay in memory. Both only change speed (docs/BENCHMARKS.md, Store).
  sql::exec(db, path, "PRAGMA cache_size = -65536");
  sql::exec(db, path, "PRAGMA temp_store = MEMORY");

  // Migrate under the write lock, re-reading the version: another process may have upgraded
  // the file between inspect() and now.
  {
    sql::Transaction tx(db, path, true, options.lock_timeout_ms);
    {
      sql::Stmt s(db, path, "PRAGMA user_version");
      version = s.step() ? static_cast<int>(s.i64(0)) : 0;
    }
    if (version > kSchemaVersion)
      throw StoreError(path + ": database schema version " + std::to_string(version) +
                       " is newer than this newsharvest supports (" +
                       std::to_string(kSchemaVersion) + ")");
    if (version < kSchemaVersion) schema::migrate(db, path, version, kSchemaVersion);
    tx.commit();
  }
  impl->version = kSchemaVersion;
  return Store(std::move(impl));
}

// ---------------------------------------------------------------------------------------------

struct Batch::State {
  Store::Impl* impl = nullptr;
  std::optional<sql::Transaction> tx;
  std::optional<std::int64_t> run_id;
  std::unordered_map<std::string, std::int64_t> new_sites;
  struct Delta {
    FillCounts fill;  // articles and the tracked fields (article_fields())
    std::int64_t inserted = 0, changed = 0;
  };
  std::map<std::int64_t, Delta> deltas;  // per site_id, flushed into run_sites at commit
  std::optional<RunCounts> counts;       // written to runs at commit (set_run_counts)

  bool holds_store = true;  // this batch is the Store's open batch (until commit or destruction)
  ~State() {
    if (impl && holds_store) impl->batch_open = false;
  }
};

Batch::Batch(std::unique_ptr<State> state) : s_(std::move(state)) {}
Batch::Batch(Batch&&) noexcept = default;
Batch::~Batch() = default;  // State's Transaction rolls back when not committed

Batch Store::begin_batch(std::optional<std::int64_t> run_id) {
  if (impl_->options.read_only) throw StoreError(impl_->path + ": opened read-only; cannot write");
  if (impl_->batch_open) throw StoreError(impl_->path + ": a batch is already open on this store");
  auto st = std::make_unique<Batch::State>();
  st->tx.emplace(impl_->db.get(), impl_->path, true, impl_->options.lock_timeout_ms);
  st->impl = impl_.get();
  st->run_id = run_id;
  impl_->batch_open = true;
  return Batch(std::move(st));
}

void Batch::require_open() const {
  if (!s_ || !s_->tx || !s_->tx->active()) throw StoreError("batch already committed");
}

std::int64_t Batch::store_raw_page(std::string_view site, const RawPage& raw) {
  require_open();
  auto& im = *s_->impl;
  const std::int64_t site_id = im.site_id(site, s_->new_sites);
  const std::string hash = hex64(fnv1a64(raw.bytes));
  const std::string fetched = iso_utc(raw.fetched_at.value_or(im.now()));
  static const char* const kFind = "SELECT id FROM raw_pages WHERE url = ?1 AND content_hash = ?2";
  static const char* const kSeen =
      "UPDATE raw_pages SET last_seen_at = max(last_seen_at, ?2), status = ?3, "
      "etag = coalesce(?4, etag), last_modified = coalesce(?5, last_modified) WHERE id = ?1";
  static const char* const kInsert =
      "INSERT INTO raw_pages(site_id, url, final_url, status, content_type, etag, last_modified, "
      "charset, fetched_at, last_seen_at, content_hash, size, body) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)";
  std::optional<std::int64_t> existing;
  {
    auto& f = im.stmt(kFind);
    sql::StmtScope scope(f);
    f.bind(1, raw.url).bind(2, hash);
    if (f.step()) existing = f.i64(0);
  }
  if (existing) {
    // Same bytes again: archived once; only the bookkeeping of the fetch moves.
    im.stmt(kSeen)
        .bind(1, *existing)
        .bind(2, fetched)
        .bind(3, raw.status)
        .bind(4, raw.etag)
        .bind(5, raw.last_modified)
        .run();
    return *existing;
  }
  auto& ins = im.stmt(kInsert);
  ins.bind(1, site_id)
      .bind(2, raw.url)
      .bind(3, raw.final_url.empty() ? raw.url : raw.final_url)
      .bind(4, raw.status)
      .bind(5, raw.content_type)
      .bind(6, raw.etag)
      .bind(7, raw.last_modified)
      .bind(8, raw.charset)
      .bind(9, fetched)
      .bind(10, hash)
      .bind(11, static_cast<std::int64_t>(raw.bytes.size()))
      .bind_blob(12, zstd_compress(raw.bytes));
  ins.run();
  return sqlite3_last_insert_rowid(im.db.get());
}

UpsertResult Batch::upsert_article(std::string_view site, std::string_view url,
                                   const extract::Page& page, const RawPage* raw,
                                   std::span<const RawPage> more_pages) {
  require_open();
  auto& im = *s_->impl;
  if (!raw && !more_pages.empty())
    throw StoreError(im.path + ": upsert_article: more_pages given without the raw page 1");
  sqlite3* db = im.db.get();
  const extract::Article& a = page.article;
  const std::int64_t site_id = im.site_id(site, s_->new_sites);
  std::optional<std::int64_t> raw_id;
  std::vector<std::int64_t> page_ids;  // raw_pages ids in join order, when raw is given
  if (raw) {
    raw_id = store_raw_page(site, *raw);
    page_ids.push_back(*raw_id);
    for (const RawPage& more : more_pages) page_ids.push_back(store_raw_page(site, more));
  }
  // article_pages := page_ids, written only when the stored list differs.
  auto link_pages = [&](std::int64_t article_id) {
    if (page_ids.empty()) return;
    static const char* const kPages =
        "SELECT raw_page_id FROM article_pages WHERE article_id = ?1 ORDER BY page";
    std::vector<std::int64_t> old;
    {
      auto& q = im.stmt(kPages);
      sql::StmtScope scope(q);
      q.bind(1, article_id);
      while (q.step()) old.push_back(q.i64(0));
    }
    if (old == page_ids) return;
    static const char* const kUnlink = "DELETE FROM article_pages WHERE article_id = ?1";
    im.stmt(kUnlink).bind(1, article_id).run();
    static const char* const kCount = "UPDATE articles SET page_count = ?2 WHERE id = ?1";
    im.stmt(kCount).bind(1, article_id).bind(2, static_cast<std::int64_t>(page_ids.size())).run();
    static const char* const kLink =
        "INSERT INTO article_pages(article_id, page, raw_page_id) VALUES (?1, ?2, ?3)";
    auto& link = im.stmt(kLink);
    std::int64_t n = 1;
    for (const std::int64_t id : page_ids) link.bind(1, article_id).bind(2, n++).bind(3, id).run();
  };
  const std::string hash = content_hash(a);
  const std::string now = im.now_text();

  auto& d = s_->deltas[site_id];
  d.fill.articles += 1;
  for (const ArticleField& f : article_fields())
    if (f.tracked && f.filled(a)) d.fill.*f.fill += 1;

  UpsertResult result;
  std::optional<std::int64_t> old_raw;
  std::string old_hash;
  {
    static const char* const kFind =
        "SELECT id, content_hash, raw_page_id, duplicate_of FROM articles WHERE url = ?1";
    auto& f = im.stmt(kFind);
    sql::StmtScope scope(f);
    f.bind(1, url);
    if (f.step()) {
      result.article_id = f.i64(0);
      old_hash = f.text(1);
      old_raw = f.opt_i64(2);
      result.duplicate_of = f.opt_i64(3);
    }
  }

  if (result.article_id != 0 && old_hash == hash) {
    // No-op: the content is what we have. Only a newly archived response is recorded, so that
    // reextract starts from the latest bytes; updated_at stays.
    result.outcome = Upsert::unchanged;
    if (raw_id && raw_id != old_raw) {
      static const char* const kRaw = "UPDATE articles SET raw_page_id = ?2 WHERE id = ?1";
      im.stmt(kRaw).bind(1, result.article_id).bind(2, *raw_id).run();
    }
    link_pages(result.article_id);
    return result;
  }

  const std::optional<std::int64_t> simhash = a.body ? simhash64(*a.body) : std::nullopt;
  std::optional<std::int64_t> self;
  if (result.article_id != 0) self = result.article_id;
  std::optional<std::int64_t> dup;
  if (simhash)
    dup = schema::find_first_copy(im.stmt(schema::kCandidatesSql), *simhash, self, a.title);

  const std::optional<std::string> pdate =
      a.published_at ? published_date(*a.published_at) : std::nullopt;
  const std::optional<std::string> ptime =
      a.published_at ? published_time(*a.published_at) : std::nullopt;
  // The first copy is the one published first: a reprint crawled before its original (another
  // site's section came first) hands the group over when the original arrives. Same day or an
  // unknown date: the copy stored first stays the original.
  std::optional<std::int64_t> reroot;
  if (dup && pdate) {
    static const char* const kRootDate = "SELECT published_date FROM articles WHERE id = ?1";
    auto& q = im.stmt(kRootDate);
    sql::StmtScope scope(q);
    q.bind(1, *dup);
    if (q.step() && !q.is_null(0) && *pdate < q.text(0)) {
      reroot = dup;
      dup.reset();
    }
  }

  const std::string final_url = page.final_url.empty() ? std::string(url) : page.final_url;
  const std::optional<std::string> charset =
      page.charset.empty() ? std::nullopt : std::optional<std::string>(page.charset);

  // The named parameters are the same for the insert and the update: the record's columns
  // (article_fields()) and the bookkeeping.
  auto bind_fields = [&](sql::Stmt& st) {
    for (const ArticleField& f : article_fields())
      if (f.column) st.bind((std::string(":") + f.name).c_str(), f.get(a));
    st.bind(":site_id", site_id)
        .bind(":final_url", final_url)
        .bind(":published_date", pdate)
        .bind(":published_time", ptime)
        .bind(":charset", charset)
        .bind(":provenance", provenance_json(page.provenance))
        .bind(":content_hash", hash)
        .bind(":now", now)
        .bind(":raw_page_id", raw_id)
        .bind(":run_id", s_->run_id)
        .bind(":simhash", simhash)
        .bind(":duplicate_of", dup);
  };
  if (result.article_id == 0) {
    static const std::string kInsert =
        "INSERT INTO articles(url, site_id, final_url" + field_list("") +
        ", published_date, published_time, charset, provenance, content_hash, version, "
        "first_seen_at, updated_at, raw_page_id, run_id, simhash, duplicate_of) "
        "VALUES (:url, :site_id, :final_url" +
        field_list(":") +
        ", :published_date, :published_time, :charset, :provenance, :content_hash, 1, :now, "
        ":now, :raw_page_id, :run_id, :simhash, :duplicate_of)";
    auto& ins = im.stmt(kInsert.c_str());
    ins.bind(":url", url);
    bind_fields(ins);
    ins.run();
    result.article_id = sqlite3_last_insert_rowid(db);
    result.outcome = Upsert::inserted;
    d.inserted += 1;
  } else {
    // Changed: keep the version being replaced, then update in place.
    {
      auto old = find_article_by_id(result.article_id);
      result.changed_fields = changed_fields(old.article, a);
    }
    static const std::string kHistory =
        "INSERT INTO article_history(article_id, version, replaced_at, updated_at, final_url" +
        field_list("") +
        ", published_date, contributors, charset, provenance, content_hash, raw_page_id) "
        "SELECT id, version, :now, updated_at, final_url" +
        field_list("") +
        ", published_date, "
        "(SELECT json_group_array(json_object('name', name, 'role', role)) FROM "
        " (SELECT name, role FROM contributors WHERE article_id = a.id ORDER BY position)), "
        "charset, provenance, content_hash, raw_page_id FROM articles a WHERE id = :id";
    im.stmt(kHistory.c_str()).bind(":id", result.article_id).bind(":now", now).run();
    static const std::string kUpdate =
        "UPDATE articles SET site_id = :site_id, final_url = :final_url" +
        [] {
          std::string set;
          for (const ArticleField& f : article_fields())
            if (f.column) set += std::string(", ") + f.name + " = :" + f.name;
          return set;
        }() +
        ", published_date = :published_date, published_time = :published_time, "
        "charset = :charset, provenance = :provenance, content_hash = :content_hash, "
        "version = version + 1, updated_at = :now, "
        "raw_page_id = coalesce(:raw_page_id, raw_page_id), run_id = coalesce(:run_id, run_id), "
        "simhash = :simhash, duplicate_of = :duplicate_of WHERE id = :id";
    auto& up = im.stmt(kUpdate.c_str());
    up.bind(":id", result.article_id);
    bind_fields(up);
    up.run();
    static const char* const kDelete = "DELETE FROM contributors WHERE article_id = ?1";
    im.stmt(kDelete).bind(1, result.article_id).run();
    result.outcome = Upsert::updated;
    d.changed += 1;
  }
  result.duplicate_of = dup;
  if (reroot) {
    static const char* const kReroot =
        "UPDATE articles SET duplicate_of = ?2 WHERE (id = ?1 OR duplicate_of = ?1) AND id != ?2";
    im.stmt(kReroot).bind(1, *reroot).bind(2, result.article_id).run();
  }
  link_pages(result.article_id);

  static const char* const kContributor =
      "INSERT INTO contributors(article_id, position, name, role) VALUES (?1, ?2, ?3, ?4)";
  auto& c = im.stmt(kContributor);
  std::int64_t pos = 0;
  for (const auto& person : a.contributors) {
    c.bind(1, result.article_id)
        .bind(2, pos++)
        .bind(3, person.name)
        .bind(4, extract::role_name(person.role));
    c.run();
  }
  return result;
}

StoredArticle Batch::find_article_by_id(std::int64_t id) {
  auto& im = *s_->impl;
  static const std::string kSql = "SELECT " + article_columns() +
                                  " FROM articles a JOIN sites s ON s.id = a.site_id "
                                  "WHERE a.id = ?1";
  auto& s = im.stmt(kSql.c_str());
  StoredArticle r;
  {
    sql::StmtScope scope(s);
    s.bind(1, id);
    if (!s.step()) throw StoreError(im.path + ": article " + std::to_string(id) + " vanished");
    r = read_article(s);
  }
  r.article.contributors = im.contributors(id);
  return r;
}

bool Batch::enqueue(const FrontierEntry& e) {
  require_open();
  auto& im = *s_->impl;
  const std::int64_t site_id = im.site_id(e.site, s_->new_sites);
  const std::string now = im.now_text();
  static const char* const kSql =
      "INSERT INTO frontier(url, site_id, kind, depth, next_attempt_at, referrer, discovered_at, "
      "updated_at, run_id, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9) "
      "ON CONFLICT(url) DO NOTHING";
  im.stmt(kSql)
      .bind(1, e.url)
      .bind(2, site_id)
      .bind(3, e.kind)
      .bind(4, e.depth)
      .bind(5, e.not_before ? iso_utc(*e.not_before) : now)
      .bind(6, e.referrer)
      .bind(7, now)
      .bind(8, s_->run_id)
      .bind(9, e.claimed ? "in_progress" : "pending")
      .run();
  const bool added = sqlite3_changes(im.db.get()) == 1;
  if (!added && e.claimed) {
    static const char* const kClaim =
        "UPDATE frontier SET state = 'in_progress', updated_at = ?2 "
        "WHERE url = ?1 AND state = 'pending'";
    im.stmt(kClaim).bind(1, e.url).bind(2, now).run();
  }
  return added;
}

void Batch::mark_done(std::string_view url) {
  require_open();
  auto& im = *s_->impl;
  static const char* const kSql =
      "UPDATE frontier SET state = 'done', last_error = NULL, updated_at = ?2 WHERE url = ?1";
  im.stmt(kSql).bind(1, url).bind(2, im.now_text()).run();
}

void Batch::mark_failed(std::string_view url, std::string_view error,
                        std::optional<std::int64_t> retry_at, bool keep_claimed) {
  require_open();
  auto& im = *s_->impl;
  static const char* const kSql =
      "UPDATE frontier SET attempts = attempts + 1, last_error = ?2, updated_at = ?3, "
      "state = CASE WHEN ?4 IS NULL THEN 'failed' WHEN ?5 THEN 'in_progress' ELSE 'pending' END, "
      "next_attempt_at = coalesce(?4, next_attempt_at) WHERE url = ?1";
  std::optional<std::string> retry;
  if (retry_at) retry = iso_utc(*retry_at);
  im.stmt(kSql)
      .bind(1, url)
      .bind(2, error)
      .bind(3, im.now_text())
      .bind(4, retry)
      .bind(5, keep_claimed ? 1 : 0)
      .run();
}

void Batch::log_fetch(const FetchLogEntry& e) {
  require_open();
  auto& im = *s_->impl;
  const std::int64_t site_id = im.site_id(e.site, s_->new_sites);
  static const char* const kSql =
      "INSERT INTO fetches(run_id, site_id, url, status, error, elapsed_ms, fetched_at, "
      "raw_page_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  std::optional<std::int64_t> status;
  if (e.status) status = *e.status;
  im.stmt(kSql)
      .bind(1, s_->run_id)
      .bind(2, site_id)
      .bind(3, e.url)
      .bind(4, status)
      .bind(5, e.error)
      .bind(6, e.elapsed_ms)
      .bind(7, im.now_text())
      .bind(8, e.raw_page_id)
      .run();
}

namespace {
std::int64_t as_key(std::uint64_t h) { return static_cast<std::int64_t>(h); }
}  // namespace

bool Batch::mark_seen(std::uint64_t url_hash) {
  require_open();
  if (!s_->run_id) throw StoreError(s_->impl->path + ": mark_seen needs a batch of a run");
  static const char* const kSql =
      "INSERT INTO crawl_seen(run_id, url_hash) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
  s_->impl->stmt(kSql).bind(1, *s_->run_id).bind(2, as_key(url_hash)).run();
  return sqlite3_changes(s_->impl->db.get()) == 1;
}

bool Batch::seen(std::uint64_t url_hash) {
  require_open();
  if (!s_->run_id) return false;
  static const char* const kSql = "SELECT 1 FROM crawl_seen WHERE run_id = ?1 AND url_hash = ?2";
  auto& s = s_->impl->stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(1, *s_->run_id).bind(2, as_key(url_hash));
  return s.step();
}

void Batch::unmark_seen(std::uint64_t url_hash) {
  require_open();
  if (!s_->run_id) return;
  static const char* const kSql = "DELETE FROM crawl_seen WHERE run_id = ?1 AND url_hash = ?2";
  s_->impl->stmt(kSql).bind(1, *s_->run_id).bind(2, as_key(url_hash)).run();
}

std::optional<FrontierState> Batch::frontier_state(std::string_view url) {
  require_open();
  auto& im = *s_->impl;
  static const char* const kSql = "SELECT state FROM frontier WHERE url = ?1";
  auto& s = im.stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(1, url);
  if (!s.step()) return std::nullopt;
  const std::string state = s.text(0);
  if (state == "pending") return FrontierState::pending;
  if (state == "in_progress") return FrontierState::in_progress;
  if (state == "done") return FrontierState::done;
  if (state == "failed") return FrontierState::failed;
  throw StoreError(im.path + ": frontier row of " + std::string(url) + " has unknown state '" +
                   state + "'");
}

void Batch::cache_page(std::string_view site, const CachedPage& page) {
  require_open();
  auto& im = *s_->impl;
  const std::int64_t site_id = im.site_id(site, s_->new_sites);
  const std::string at = page.fetched_at.empty() ? im.now_text() : page.fetched_at;
  static const char* const kSql =
      "INSERT INTO page_cache(url, site_id, etag, last_modified, content_type, fetched_at, "
      "checked_at, size, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8) "
      "ON CONFLICT(url) DO UPDATE SET site_id = excluded.site_id, etag = excluded.etag, "
      "last_modified = excluded.last_modified, content_type = excluded.content_type, "
      "fetched_at = excluded.fetched_at, checked_at = excluded.checked_at, "
      "size = excluded.size, body = excluded.body";
  im.stmt(kSql)
      .bind(1, page.url)
      .bind(2, site_id)
      .bind(3, page.etag)
      .bind(4, page.last_modified)
      .bind(5, page.content_type)
      .bind(6, at)
      .bind(7, static_cast<std::int64_t>(page.bytes.size()))
      .bind_blob(8, zstd_compress(page.bytes))
      .run();
}

void Batch::touch_cached_page(std::string_view url) {
  require_open();
  auto& im = *s_->impl;
  static const char* const kSql = "UPDATE page_cache SET checked_at = ?2 WHERE url = ?1";
  im.stmt(kSql).bind(1, url).bind(2, im.now_text()).run();
}

void Batch::set_run_counts(const RunCounts& counts) {
  require_open();
  s_->counts = counts;
}

void Batch::commit() {
  require_open();
  auto& im = *s_->impl;
  if (s_->run_id) {
    // The tracked fields of article_fields() are run_sites' columns of the same names.
    static const std::string kSql = [] {
      std::string cols, vals, sets;
      for (const ArticleField& f : article_fields()) {
        if (!f.tracked) continue;
        cols += std::string(", ") + f.name;
        vals += std::string(", :") + f.name;
        sets += std::string(", ") + f.name + " = " + f.name + " + excluded." + f.name;
      }
      return "INSERT INTO run_sites(run_id, site_id, articles, new, changed" + cols +
             ") VALUES (:run_id, :site_id, :articles, :new, :changed" + vals +
             ") ON CONFLICT(run_id, site_id) DO UPDATE SET articles = articles + "
             "excluded.articles, new = new + excluded.new, changed = changed + excluded.changed" +
             sets;
    }();
    for (const auto& [site_id, d] : s_->deltas) {
      auto& st = im.stmt(kSql.c_str());
      st.bind(":run_id", *s_->run_id)
          .bind(":site_id", site_id)
          .bind(":articles", d.fill.articles)
          .bind(":new", d.inserted)
          .bind(":changed", d.changed);
      for (const ArticleField& f : article_fields())
        if (f.tracked) st.bind((std::string(":") + f.name).c_str(), d.fill.*f.fill);
      st.run();
    }
  }
  if (s_->run_id && s_->counts) {
    const RunCounts& c = *s_->counts;
    static const char* const kRun =
        "UPDATE runs SET pages_fetched = :pages_fetched, pages_failed = :pages_failed, "
        "articles_new = :articles_new, articles_changed = :articles_changed, "
        "articles_unchanged = :articles_unchanged, links_enqueued = :links_enqueued, "
        "requests = :requests, not_modified = :not_modified, list_pages = :list_pages, "
        "list_article_links = :list_article_links WHERE id = :id";
    im.stmt(kRun)
        .bind(":id", *s_->run_id)
        .bind(":pages_fetched", c.pages_fetched)
        .bind(":pages_failed", c.pages_failed)
        .bind(":articles_new", c.articles_new)
        .bind(":articles_changed", c.articles_changed)
        .bind(":articles_unchanged", c.articles_unchanged)
        .bind(":links_enqueued", c.links_enqueued)
        .bind(":requests", c.requests)
        .bind(":not_modified", c.not_modified)
        .bind(":list_pages", c.list_pages)
        .bind(":list_article_links", c.list_article_links)
        .run();
  }
  s_->tx->commit();
  // A committed batch is finished: the Store may open the next one while this object lives.
  im.batch_open = false;
  s_->holds_store = false;
  for (auto& [name, id] : s_->new_sites) im.site_ids.emplace(name, id);
  s_->new_sites.clear();
  s_->deltas.clear();
}

// ---------------------------------------------------------------------------------------------

std::int64_t Store::begin_run(std::optional<std::string> site) {
  auto b = begin_batch();
  std::optional<std::int64_t> site_id;
  if (site) site_id = impl_->site_id(*site, b.s_->new_sites);
  static const char* const kSql = "INSERT INTO runs(site_id, started_at) VALUES (?1, ?2)";
  impl_->stmt(kSql).bind(1, site_id).bind(2, impl_->now_text()).run();
  const std::int64_t id = sqlite3_last_insert_rowid(impl_->db.get());
  b.commit();
  return id;
}

void Store::finish_run(std::int64_t run_id, RunStatus status, const RunCounts& c,
                       const std::vector<std::string>& alarms) {
  auto b = begin_batch();
  static const char* const kSql =
      "UPDATE runs SET finished_at = ?2, status = ?3, pages_fetched = ?4, pages_failed = ?5, "
      "articles_new = ?6, articles_changed = ?7, articles_unchanged = ?8, links_enqueued = ?9, "
      "requests = ?10, not_modified = ?11, list_pages = ?12, list_article_links = ?13, "
      "alarms = ?14 WHERE id = ?1";
  impl_->stmt(kSql)
      .bind(1, run_id)
      .bind(2, impl_->now_text())
      .bind(3, run_status_name(status))
      .bind(4, c.pages_fetched)
      .bind(5, c.pages_failed)
      .bind(6, c.articles_new)
      .bind(7, c.articles_changed)
      .bind(8, c.articles_unchanged)
      .bind(9, c.links_enqueued)
      .bind(10, c.requests)
      .bind(11, c.not_modified)
      .bind(12, c.list_pages)
      .bind(13, c.list_article_links)
      .bind(14, string_array_json(alarms))
      .run();
  if (sqlite3_changes(impl_->db.get()) != 1)
    throw StoreError(impl_->path + ": no run " + std::to_string(run_id));
  impl_->stmt("DELETE FROM crawl_seen WHERE run_id = ?1").bind(1, run_id).run();
  b.commit();
}

std::int64_t Store::close_abandoned_runs(std::string_view site) {
  auto b = begin_batch();
  static const char* const kSql =
      "UPDATE runs SET status = 'interrupted', alarms = json_insert(alarms, '$[#]', ?2) "
      "WHERE status = 'running' AND site_id = (SELECT id FROM sites WHERE name = ?1)";
  impl_->stmt(kSql)
      .bind(1, site)
      .bind(2, "abandoned: the process ended without finishing the run")
      .run();
  const std::int64_t n = sqlite3_changes(impl_->db.get());
  // Their seen sets (the process died before finish_run cleared them).
  impl_
      ->stmt(
          "DELETE FROM crawl_seen WHERE run_id IN (SELECT id FROM runs WHERE status <> "
          "'running') OR run_id NOT IN (SELECT id FROM runs)")
      .run();
  b.commit();
  return n;
}

std::vector<RunSummary> Store::recent_runs(std::string_view site, int limit,
                                           std::optional<std::int64_t> before_run) const {
  const auto site_id = impl_->find_site(site);
  if (!site_id || limit <= 0) return {};
  return impl_->runs_of(*site_id, limit, before_run);
}

std::map<std::string, FillCounts> Store::run_fill_counts(std::int64_t run_id) const {
  static const char* const kSql =
      "SELECT s.name, r.articles, r.title, r.published_at, r.reporters, r.section, r.source, "
      "r.body FROM run_sites r JOIN sites s ON s.id = r.site_id WHERE r.run_id = ?1";
  auto& s = impl_->stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(1, run_id);
  std::map<std::string, FillCounts> out;
  while (s.step()) {
    FillCounts f;
    f.articles = s.i64(1);
    f.title = s.i64(2);
    f.published_at = s.i64(3);
    f.reporters = s.i64(4);
    f.section = s.i64(5);
    f.source = s.i64(6);
    f.body = s.i64(7);
    out[s.text(0)] = f;
  }
  return out;
}

std::vector<FrontierItem> Store::claim_due(std::optional<std::string> site, int limit) {
  auto b = begin_batch();
  static const char* const kSelect =
      "SELECT f.id, f.url, s.name, f.kind, f.depth, f.attempts FROM frontier f "
      "JOIN sites s ON s.id = f.site_id "
      "WHERE f.state = 'pending' AND f.next_attempt_at <= ?1 AND (?2 IS NULL OR s.name = ?2) "
      "ORDER BY f.depth, f.next_attempt_at, f.id LIMIT ?3";
  static const char* const kClaim =
      "UPDATE frontier SET state = 'in_progress', updated_at = ?2 WHERE id = ?1";
  const std::string now = impl_->now_text();
  std::vector<FrontierItem> out;
  {
    auto& s = impl_->stmt(kSelect);
    sql::StmtScope scope(s);
    s.bind(1, now).bind(2, site).bind(3, limit);
    while (s.step()) {
      out.push_back(FrontierItem{s.i64(0), s.text(1), s.text(2), s.text(3),
                                 static_cast<int>(s.i64(4)), static_cast<int>(s.i64(5))});
    }
  }
  for (const auto& item : out) impl_->stmt(kClaim).bind(1, item.id).bind(2, now).run();
  b.commit();
  return out;
}

std::int64_t Store::requeue_in_progress(std::optional<std::string> site) {
  auto b = begin_batch();
  static const char* const kSql =
      "UPDATE frontier SET state = 'pending', updated_at = ?1 WHERE state = 'in_progress' "
      "AND (?2 IS NULL OR site_id = (SELECT id FROM sites WHERE name = ?2))";
  impl_->stmt(kSql).bind(1, impl_->now_text()).bind(2, site).run();
  const std::int64_t n = sqlite3_changes(impl_->db.get());
  b.commit();
  return n;
}

std::int64_t Store::frontier_pending(std::string_view site) const {
  static const char* const kSql =
      "SELECT count(*) FROM frontier WHERE state = 'pending' "
      "AND site_id = (SELECT id FROM sites WHERE name = ?1)";
  auto& s = impl_->stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(1, site);
  return s.step() ? s.i64(0) : 0;
}

void Store::for_each_article(const ExportFilter& filter,
                             const std::function<void(const StoredArticle&)>& fn) const {
  // A dedicated statement (not the cache): the callback may call back into the store.
  sql::Stmt s(impl_->db.get(), impl_->path,
              "SELECT " + article_columns() +
                  " FROM articles a JOIN sites s ON s.id = a.site_id "
                  "WHERE (?1 IS NULL OR s.name = ?1) AND (?2 IS NULL OR a.published_date >= ?2) "
                  "ORDER BY a.id");
  s.bind(1, filter.site).bind(2, filter.since);
  while (s.step()) {
    StoredArticle r = read_article(s);
    r.article.contributors = impl_->contributors(r.id);
    fn(r);
  }
}

std::optional<StoredArticle> Store::find_article(std::string_view url) const {
  static const std::string kSql = "SELECT " + article_columns() +
                                  " FROM articles a JOIN sites s ON s.id = a.site_id "
                                  "WHERE a.url = ?1";
  auto& s = impl_->stmt(kSql.c_str());
  StoredArticle r;
  {
    sql::StmtScope scope(s);
    s.bind(1, url);
    if (!s.step()) return std::nullopt;
    r = read_article(s);
  }
  r.article.contributors = impl_->contributors(r.id);
  return r;
}

std::optional<CachedPage> Store::cached_page(std::string_view url) const {
  static const char* const kSql =
      "SELECT url, etag, last_modified, content_type, body, fetched_at FROM page_cache "
      "WHERE url = ?1";
  auto& s = impl_->stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(1, url);
  if (!s.step()) return std::nullopt;
  CachedPage p;
  p.url = s.text(0);
  p.etag = s.opt_text(1);
  p.last_modified = s.opt_text(2);
  p.content_type = s.opt_text(3);
  p.bytes = zstd_decompress(s.blob(4), impl_->path + ": page_cache row " + p.url);
  p.fetched_at = s.text(5);
  return p;
}

std::vector<RecheckItem> Store::articles_to_recheck(std::string_view site, int days) const {
  static const char* const kSql =
      "SELECT a.url, coalesce(r.url, a.url), r.etag, r.last_modified "
      "FROM articles a JOIN sites s ON s.id = a.site_id "
      "LEFT JOIN raw_pages r ON r.id = a.raw_page_id "
      "WHERE s.name = ?1 AND (a.published_date >= ?2 "
      "OR (a.published_date IS NULL AND a.first_seen_at >= ?3)) ORDER BY a.id";
  std::vector<RecheckItem> out;
  if (days <= 0) return out;
  const std::int64_t since = impl_->now() - static_cast<std::int64_t>(days) * 86400;
  const std::string since_text = iso_utc(since);
  auto& s = impl_->stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(1, site).bind(2, since_text.substr(0, 10)).bind(3, since_text);
  while (s.step()) out.push_back(RecheckItem{s.text(0), s.text(1), s.opt_text(2), s.opt_text(3)});
  return out;
}

std::vector<SiteStats> Store::site_stats() const {
  static const char* const kSites =
      "SELECT s.id, s.name, count(a.id), sum(a.title IS NOT NULL), "
      "sum(a.published_at IS NOT NULL), sum(a.reporters <> '[]'), sum(a.section IS NOT NULL), "
      "sum(a.source IS NOT NULL), sum(a.body IS NOT NULL), sum(a.duplicate_of IS NOT NULL) "
      "FROM sites s LEFT JOIN articles a ON a.site_id = s.id GROUP BY s.id ORDER BY s.name";
  static const char* const kRun =
      "SELECT id, started_at, finished_at, status FROM runs "
      "WHERE (site_id = ?1 OR id IN (SELECT run_id FROM run_sites WHERE site_id = ?1)) "
      "AND (?2 IS NULL OR status = ?2) ORDER BY id DESC LIMIT 1";
  std::vector<std::pair<std::int64_t, SiteStats>> rows;
  {
    auto& s = impl_->stmt(kSites);
    sql::StmtScope scope(s);
    while (s.step()) {
      SiteStats st;
      st.site = s.text(1);
      st.fill = FillCounts{s.i64(2), s.i64(3), s.i64(4), s.i64(5), s.i64(6), s.i64(7), s.i64(8)};
      st.duplicates = s.i64(9);
      rows.emplace_back(s.i64(0), std::move(st));
    }
  }
  std::vector<SiteStats> out;
  for (auto& [id, st] : rows) {
    auto& r = impl_->stmt(kRun);
    for (const char* status : {static_cast<const char*>(nullptr), "ok"}) {
      sql::StmtScope scope(r);
      r.bind(1, id);
      if (status)
        r.bind(2, status);
      else
        r.bind_null(2);
      if (r.step()) {
        RunInfo info{r.i64(0), r.text(1), r.opt_text(2), r.text(3)};
        (status ? st.last_success : st.last_run) = info;
      }
    }
    st.recent_runs = impl_->runs_of(id, 5, std::nullopt);
    out.push_back(std::move(st));
  }
  return out;
}

std::vector<ArchivedPage> Store::archived_pages(std::optional<std::string> site,
                                                std::int64_t after_id, int limit) const {
  // Page 1 is the article's raw page; later pages come from article_pages. Both statements
  // are run one after the other (the first finished before the second starts).
  static const char* const kSql =
      "SELECT a.id, s.name, a.url, r.url, r.final_url, r.content_type, r.body, r.id, "
      "a.page_count FROM articles a JOIN raw_pages r ON r.id = a.raw_page_id JOIN sites s ON s.id "
      "= a.site_id "
      "WHERE a.id > ?1 AND (?2 IS NULL OR s.name = ?2) ORDER BY a.id LIMIT ?3";
  static const char* const kMore =
      "SELECT r.url, r.final_url, r.content_type, r.body, r.id "
      "FROM article_pages p JOIN raw_pages r ON r.id = p.raw_page_id "
      "WHERE p.article_id = ?1 AND p.page > 1 ORDER BY p.page";
  auto read_raw = [&](const sql::Stmt& s, int col) {
    ArchivedRaw raw;
    raw.url = s.text(col);
    raw.final_url = s.text(col + 1);
    raw.content_type = s.opt_text(col + 2);
    raw.bytes = zstd_decompress(s.blob(col + 3),
                                impl_->path + ": raw_pages row " + std::to_string(s.i64(col + 4)));
    return raw;
  };
  std::vector<ArchivedPage> out;
  {
    auto& s = impl_->stmt(kSql);
    sql::StmtScope scope(s);
    s.bind(1, after_id).bind(2, site).bind(3, limit);
    while (s.step()) {
      ArchivedPage p;
      p.article_id = s.i64(0);
      p.site = s.text(1);
      p.url = s.text(2);
      p.pages.push_back(read_raw(s, 3));
      p.page_count = s.i64(8);
      out.push_back(std::move(p));
    }
  }
  auto& more = impl_->stmt(kMore);
  for (ArchivedPage& p : out) {
    sql::StmtScope scope(more);
    more.bind(1, p.article_id);
    while (more.step()) p.pages.push_back(read_raw(more, 0));
  }
  return out;
}

}  // namespace nh::store

namespace nh::store {

std::int64_t Store::index_pending(std::int64_t max_docs, int chunk) {
  static const char* const kPending =
      "SELECT id, version, title, body, title_terms IS NOT NULL FROM articles "
      "WHERE indexed_version IS NOT version ORDER BY id LIMIT :limit";
  // The index holds exactly title_terms/body_terms (the FTS5 content columns): the old terms
  // are removed before they are overwritten, the new ones added after, both in bulk.
  static const char* const kDelete =
      "INSERT INTO articles_fts(articles_fts, rowid, title_terms, body_terms) "
      "SELECT 'delete', a.id, a.title_terms, a.body_terms FROM json_each(:ids) j "
      "JOIN articles a ON a.id = j.value WHERE a.title_terms IS NOT NULL";
  static const char* const kSet =
      "UPDATE articles SET title_terms = :title_terms, body_terms = :body_terms, "
      "indexed_version = :version WHERE id = :id";
  static const char* const kInsert =
      "INSERT INTO articles_fts(rowid, title_terms, body_terms) "
      "SELECT a.id, a.title_terms, a.body_terms FROM json_each(:ids) j "
      "JOIN articles a ON a.id = j.value";
  std::int64_t total = 0;
  chunk = std::max(chunk, 1);
  while (max_docs < 0 || total < max_docs) {
    const std::int64_t want =
        max_docs < 0 ? chunk : std::min<std::int64_t>(chunk, max_docs - total);
    auto b = begin_batch();
    struct Row {
      std::int64_t id, version;
      std::optional<std::string> title, body;
    };
    std::vector<Row> rows;
    bool any_indexed = false;  // some row's old terms must leave the index first
    {
      auto& q = impl_->stmt(kPending);
      sql::StmtScope scope(q);
      q.bind(":limit", want);
      while (q.step()) {
        rows.push_back({q.i64(0), q.i64(1), q.opt_text(2), q.opt_text(3)});
        any_indexed = any_indexed || q.i64(4) != 0;
      }
    }
    if (rows.empty()) break;  // the batch rolls back: nothing was written
    std::string ids = "[";
    for (const Row& r : rows) {
      if (ids.size() > 1) ids += ',';
      ids += std::to_string(r.id);
    }
    ids += ']';
    if (any_indexed) impl_->stmt(kDelete).bind(":ids", ids).run();
    auto& set = impl_->stmt(kSet);
    for (const Row& r : rows) {
      set.bind(":title_terms", r.title ? search::terms(*r.title) : std::string())
          .bind(":body_terms", r.body ? search::terms(*r.body) : std::string())
          .bind(":version", r.version)
          .bind(":id", r.id)
          .run();
    }
    impl_->stmt(kInsert).bind(":ids", ids).run();
    b.commit();
    total += static_cast<std::int64_t>(rows.size());
    if (static_cast<std::int64_t>(rows.size()) < want) break;
  }
  return total;
}

std::int64_t Store::index_lag() const {
  static const char* const kSql =
      "SELECT count(*) FROM articles WHERE indexed_version IS NOT version";
  auto& s = impl_->stmt(kSql);
  sql::StmtScope scope(s);
  return s.step() ? s.i64(0) : 0;
}

std::vector<SearchHit> Store::search(const SearchQuery& q) const {
  static const char* const kSql =
      "SELECT a.id, s.name, a.url, a.site, a.title, a.published_at, a.published_date, "
      "a.duplicate_of, f.rank, a.body "
      "FROM articles_fts f JOIN articles a ON a.id = f.rowid JOIN sites s ON s.id = a.site_id "
      "WHERE articles_fts MATCH :match AND (:site IS NULL OR s.name = :site) "
      "AND (:since IS NULL OR a.published_date >= :since) "
      "ORDER BY f.rank, a.id LIMIT :limit";
  std::vector<SearchHit> out;
  const std::string match = search::match_expression(q.text);
  if (match.empty()) return out;
  const auto needles = search::needles(q.text);
  auto& s = impl_->stmt(kSql);
  sql::StmtScope scope(s);
  s.bind(":match", match)
      .bind(":site", q.site)
      .bind(":since", q.since)
      .bind(":limit", q.limit > 0 ? q.limit : -1);
  while (s.step()) {
    SearchHit h;
    h.id = s.i64(0);
    h.site_name = s.text(1);
    h.url = s.text(2);
    h.site = s.opt_text(3);
    h.title = s.opt_text(4);
    h.published_at = s.opt_text(5);
    h.published_date = s.opt_text(6);
    h.duplicate_of = s.opt_i64(7);
    h.score = s.real(8);
    // The body around the first match; the title when only the title matches.
    const std::string body = s.text(9);
    std::string snip = search::snippet(body, needles);
    if (snip.find('[') == std::string::npos && h.title) {
      std::string t = search::snippet(*h.title, needles);
      if (t.find('[') != std::string::npos) snip = std::move(t);
    }
    h.snippet = std::move(snip);
    out.push_back(std::move(h));
  }
  return out;
}

bool Store::checkpoint_truncate() {
  if (impl_->options.read_only) return false;
  sqlite3* db = impl_->db.get();
  // No busy handler for this call: a reader or another writer means "not now", not a wait.
  sqlite3_busy_timeout(db, 0);
  int log = -1, done = -1;
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  sqlite3_busy_timeout(db, impl_->options.busy_timeout_ms);
  return rc == SQLITE_OK && log == 0;
}

}  // namespace nh::store
