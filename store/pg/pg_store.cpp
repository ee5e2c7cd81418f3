#include "store/pg/pg_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/article_codec.h"
#include "store/compress.h"
#include "store/fingerprint.h"
#include "store/pg/pg_schema.h"
#include "store/schema.h"
#include "store/search_text.h"

namespace nh::store::pg {
namespace {

// Timestamps read back as the SQLite store writes them: "YYYY-MM-DDTHH:MM:SSZ".
std::string iso(const std::string& col) {
  return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

std::string field_list(const char* prefix) {
  std::string out;
  for (const ArticleField& f : article_fields()) {
    if (!f.column) continue;
    out += ", ";
    out += prefix;
    out += f.name;
  }
  return out;
}

// jsonb columns (reporters) take their JSON text as is.
std::string cast_of(const ArticleField& f) {
  return std::string_view(f.sql_type).find("JSON") != std::string_view::npos ? "::jsonb" : "";
}

const std::string& article_columns() {
  static const std::string cols = [] {
    std::string c = "a.id, s.name, a.url, a.final_url, a.charset";
    for (const ArticleField& f : article_fields())
      if (f.column) c += std::string(", a.") + f.name + (cast_of(f).empty() ? "" : "::text");
    return c + ", a.provenance::text, a.duplicate_of, a.version, " + iso("a.first_seen_at") + ", " +
           iso("a.updated_at");
  }();
  return cols;
}

StoredArticle read_article(const Result& r, int row) {
  StoredArticle a;
  a.id = r.i64(row, 0);
  a.site_name = r.text(row, 1);
  a.url = r.text(row, 2);
  a.final_url = r.text(row, 3);
  a.charset = r.opt_text(row, 4);
  int col = 5;
  for (const ArticleField& f : article_fields())
    if (f.column) f.set(a.article, r.opt_text(row, col++));
  const auto prov = nlohmann::json::parse(r.text(row, col), nullptr, false);
  if (prov.is_object())
    for (const auto& [k, v] : prov.items())
      if (v.is_string()) a.provenance[k] = v.get<std::string>();
  a.duplicate_of = r.opt_i64(row, col + 1);
  a.version = static_cast<int>(r.i64(row, col + 2));
  a.first_seen_at = r.text(row, col + 3);
  a.updated_at = r.text(row, col + 4);
  return a;
}

std::string state_name(FrontierState s) {
  switch (s) {
    case FrontierState::pending:
      return "pending";
    case FrontierState::in_progress:
      return "in_progress";
    case FrontierState::done:
      return "done";
    case FrontierState::failed:
      return "failed";
  }
  return "pending";
}

}  // namespace

struct PgStore::Impl {
  Impl(Conn c, PgOptions o) : conn(std::move(c)), options(o) {}
  Conn conn;
  PgOptions options;
  int version = 0;
  std::optional<Transaction> tx;
  std::optional<std::int64_t> run_id;
  struct Delta {
    FillCounts fill;
    std::int64_t inserted = 0;
    std::int64_t changed = 0;
  };
  std::map<std::int64_t, Delta> deltas;  // per site id, this batch
  std::map<std::string, std::int64_t, std::less<>> site_ids;

  std::int64_t site_id(std::string_view name) {
    if (auto it = site_ids.find(name); it != site_ids.end()) return it->second;
    // Two workers starting together: the one whose insert loses the conflict sees neither its
    // own row nor (in the statement's snapshot) the winner's, so it asks again.
    std::optional<Result> r;
    for (int attempt = 0; attempt < 3 && (!r || r->rows() == 0); ++attempt) {
      r.emplace(conn.exec(
          "WITH ins AS (INSERT INTO sites(name) VALUES ($1) ON CONFLICT (name) DO NOTHING "
          "RETURNING id) SELECT id FROM ins UNION ALL SELECT id FROM sites WHERE name = $1",
          {name}));
    }
    const std::int64_t id = r->i64(0, 0);
    if (!tx) site_ids.emplace(std::string(name), id);  // inside a batch: kept once committed
    return id;
  }
  void require_batch() const {
    if (!tx) throw StoreError(conn.name() + ": no batch is open");
  }
  std::vector<extract::Contributor> contributors(std::int64_t article_id) {
    const Result r =
        conn.exec("SELECT name, role FROM contributors WHERE article_id = $1 ORDER BY position",
                  {article_id});
    std::vector<extract::Contributor> out;
    for (int i = 0; i < r.rows(); ++i) {
      extract::Contributor c;
      c.name = r.text(i, 0);
      c.role = extract::role_from_name(r.text(i, 1)).value_or(extract::Role::author);
      out.push_back(std::move(c));
    }
    return out;
  }
  void link_pages(std::int64_t article_id, const std::vector<std::int64_t>& page_ids);
  std::optional<std::int64_t> first_copy(std::int64_t simhash, std::optional<std::int64_t> self,
                                         const std::optional<std::string>& title);
};

PgStore::PgStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgStore::PgStore(PgStore&&) noexcept = default;
PgStore& PgStore::operator=(PgStore&&) noexcept = default;
PgStore::~PgStore() = default;

PgStore PgStore::open(const std::string& url, const PgOptions& options) {
  auto impl = std::make_unique<Impl>(Conn(url), options);
  impl->version = open_schema(impl->conn, options.read_only);
  if (options.read_only) impl->conn.exec("SET default_transaction_read_only = on");
  if (options.relaxed_commit) impl->conn.exec("SET synchronous_commit = off");
  return PgStore(std::move(impl));
}

const std::string& PgStore::name() const { return impl_->conn.name(); }
int PgStore::schema_version() const { return impl_->version; }

PgBatch::PgBatch(PgStore& store, std::optional<std::int64_t> run_id) : store_(store) {
  store_.begin(run_id);
}
PgBatch::~PgBatch() {
  if (open_) store_.rollback();
}
UpsertResult PgBatch::upsert_article(std::string_view site, std::string_view url,
                                     const extract::Page& page, const RawPage* raw,
                                     std::span<const RawPage> more_pages) {
  return store_.upsert_article(site, url, page, raw, more_pages);
}
std::int64_t PgBatch::store_raw_page(std::string_view site, const RawPage& raw) {
  return store_.store_raw_page(site, raw);
}
void PgBatch::commit() {
  store_.commit(std::nullopt);
  open_ = false;
}
Conn& PgStore::conn() { return impl_->conn; }
int PgStore::lease_seconds() const { return impl_->options.lease_seconds; }

void PgStore::begin(std::optional<std::int64_t> run_id) {
  if (impl_->tx) throw StoreError(name() + ": a batch is already open");
  impl_->tx.emplace(impl_->conn);
  impl_->run_id = run_id;
}

bool PgStore::in_batch() const { return impl_->tx.has_value(); }

void PgStore::rollback() {
  impl_->tx.reset();
  impl_->deltas.clear();
}

void PgStore::commit(const std::optional<RunCounts>& counts) {
  impl_->require_batch();
  auto& c = impl_->conn;
  if (impl_->run_id) {
    for (const auto& [site_id, d] : impl_->deltas) {
      std::vector<Param> p{*impl_->run_id, site_id, d.fill.articles, d.inserted, d.changed};
      std::string cols, vals, sets;
      int n = 6;
      for (const ArticleField& f : article_fields()) {
        if (!f.tracked) continue;
        cols += std::string(", ") + f.name;
        vals += ", $" + std::to_string(n++);
        sets += std::string(", ") + f.name + " = run_sites." + f.name + " + excluded." + f.name;
        p.emplace_back(d.fill.*f.fill);
      }
      c.exec("INSERT INTO run_sites(run_id, site_id, articles, new, changed" + cols +
                 ") VALUES ($1, $2, $3, $4, $5" + vals +
                 ") ON CONFLICT (run_id, site_id) DO UPDATE SET articles = run_sites.articles + "
                 "excluded.articles, new = run_sites.new + excluded.new, changed = "
                 "run_sites.changed + excluded.changed" +
                 sets,
             p);
    }
    if (counts) {
      c.exec(
          "UPDATE runs SET pages_fetched = $2, pages_failed = $3, articles_new = $4, "
          "articles_changed = $5, articles_unchanged = $6, links_enqueued = $7, requests = $8, "
          "not_modified = $9, list_pages = $10, list_article_links = $11, heartbeat_at = now() "
          "WHERE id = $1",
          {*impl_->run_id, counts->pages_fetched, counts->pages_failed, counts->articles_new,
           counts->articles_changed, counts->articles_unchanged, counts->links_enqueued,
           counts->requests, counts->not_modified, counts->list_pages, counts->list_article_links});
    }
    c.exec(
        "UPDATE frontier SET lease_until = now() + make_interval(secs => $2) "
        "WHERE lease_owner = $1 AND state = 'in_progress'",
        {*impl_->run_id, impl_->options.lease_seconds});
  }
  impl_->tx->commit();
  impl_->tx.reset();
  impl_->deltas.clear();
}

// ---------------------------------------------------------------------------------------------
// Records

std::int64_t PgStore::store_raw_page(std::string_view site, const RawPage& raw) {
  impl_->require_batch();
  auto& c = impl_->conn;
  const std::int64_t site_id = impl_->site_id(site);
  const std::string hash = hex64(fnv1a64(raw.bytes));
  std::optional<std::int64_t> fetched = raw.fetched_at;
  const Result found = c.exec(
      "UPDATE raw_pages SET last_seen_at = greatest(last_seen_at, coalesce(to_timestamp($3), "
      "now())), status = $4, etag = coalesce($5, etag), last_modified = coalesce($6, "
      "last_modified) WHERE url = $1 AND content_hash = $2 RETURNING id",
      {raw.url, hash, fetched, raw.status, raw.etag, raw.last_modified});
  if (found.rows() > 0) return found.i64(0, 0);
  const Result r = c.exec(
      "INSERT INTO raw_pages(site_id, url, final_url, status, content_type, etag, last_modified, "
      "charset, fetched_at, last_seen_at, content_hash, size, body) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, coalesce(to_timestamp($9), now()), coalesce(to_timestamp($9), now()), $10, "
      "$11, $12) RETURNING id",
      {site_id, raw.url, raw.final_url.empty() ? raw.url : raw.final_url, raw.status,
       raw.content_type, raw.etag, raw.last_modified, raw.charset, fetched, hash,
       static_cast<std::int64_t>(raw.bytes.size()), Param::bytes(zstd_compress(raw.bytes))});
  return r.i64(0, 0);
}

void PgStore::Impl::link_pages(std::int64_t article_id, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  const Result r = conn.exec(
      "SELECT raw_page_id FROM article_pages WHERE article_id = $1 ORDER BY page", {article_id});
  std::vector<std::int64_t> old;
  for (int i = 0; i < r.rows(); ++i) old.push_back(r.i64(i, 0));
  if (old == ids) return;
  conn.exec("DELETE FROM article_pages WHERE article_id = $1", {article_id});
  conn.exec("UPDATE articles SET page_count = $2 WHERE id = $1",
            {article_id, static_cast<std::int64_t>(ids.size())});
  std::int64_t n = 1;
  for (const std::int64_t id : ids)
    conn.exec("INSERT INTO article_pages(article_id, page, raw_page_id) VALUES ($1, $2, $3)",
              {article_id, n++, id});
}

std::optional<std::int64_t> PgStore::Impl::first_copy(std::int64_t simhash,
                                                      std::optional<std::int64_t> self,
                                                      const std::optional<std::string>& title) {
  static const std::string kSql = [] {
    std::string q;
    for (int i = 0; i < 4; ++i) {
      if (i) q += " UNION ALL ";
      const std::string band =
          i == 0 ? "(simhash & 65535)" : "((simhash >> " + std::to_string(16 * i) + ") & 65535)";
      q += "(SELECT id, simhash, duplicate_of, title FROM articles WHERE " + band + " = $" +
           std::to_string(i + 1) + " ORDER BY id LIMIT $5)";
    }
    return q +
           " UNION ALL SELECT id, simhash, duplicate_of, title FROM articles "
           "WHERE simhash = $6 AND title = $7";
  }();
  std::vector<Param> p;
  for (int i = 0; i < 4; ++i) p.emplace_back(simhash_band(simhash, i));
  p.emplace_back(schema::kCandidatesPerBand);
  p.emplace_back(simhash);
  p.emplace_back(title);
  const Result r = conn.exec(kSql, p);
  std::vector<schema::CopyCandidate> rows;
  for (int i = 0; i < r.rows(); ++i)
    rows.push_back({r.i64(i, 0), r.opt_i64(i, 1), r.opt_i64(i, 2), r.opt_text(i, 3)});
  return schema::first_copy(rows, simhash, self, title);
}

UpsertResult PgStore::upsert_article(std::string_view site, std::string_view url,
                                     const extract::Page& page, const RawPage* raw,
                                     std::span<const RawPage> more_pages) {
  impl_->require_batch();
  auto& c = impl_->conn;
  if (!raw && !more_pages.empty())
    throw StoreError(name() + ": upsert_article: more_pages given without the raw page 1");
  const extract::Article& a = page.article;
  const std::int64_t site_id = impl_->site_id(site);
  std::optional<std::int64_t> raw_id;
  std::vector<std::int64_t> page_ids;
  if (raw) {
    raw_id = store_raw_page(site, *raw);
    page_ids.push_back(*raw_id);
    for (const RawPage& more : more_pages) page_ids.push_back(store_raw_page(site, more));
  }
  const std::string hash = content_hash(a);
  auto& d = impl_->deltas[site_id];
  d.fill.articles += 1;
  for (const ArticleField& f : article_fields())
    if (f.tracked && f.filled(a)) d.fill.*f.fill += 1;

  UpsertResult result;
  std::optional<std::int64_t> old_raw;
  std::string old_hash;
  {
    // FOR UPDATE: two workers storing the same URL at once take turns.
    const Result r = c.exec(
        "SELECT id, content_hash, raw_page_id, duplicate_of FROM articles WHERE url = $1 "
        "FOR UPDATE",
        {url});
    if (r.rows() > 0) {
      result.article_id = r.i64(0, 0);
      old_hash = r.text(0, 1);
      old_raw = r.opt_i64(0, 2);
      result.duplicate_of = r.opt_i64(0, 3);
    }
  }
  if (result.article_id != 0 && old_hash == hash) {
    result.outcome = Upsert::unchanged;
    if (raw_id && raw_id != old_raw)
      c.exec("UPDATE articles SET raw_page_id = $2 WHERE id = $1", {result.article_id, *raw_id});
    impl_->link_pages(result.article_id, page_ids);
    return result;
  }
  const std::optional<std::int64_t> simhash = a.body ? simhash64(*a.body) : std::nullopt;
  std::optional<std::int64_t> self;
  if (result.article_id != 0) self = result.article_id;
  std::optional<std::int64_t> dup;
  if (simhash) dup = impl_->first_copy(*simhash, self, a.title);
  const auto pdate = a.published_at ? published_date(*a.published_at) : std::nullopt;
  const auto ptime = a.published_at ? published_time(*a.published_at) : std::nullopt;
  std::optional<std::int64_t> reroot;
  if (dup && pdate) {
    const Result r = c.exec("SELECT published_date FROM articles WHERE id = $1", {*dup});
    if (r.rows() > 0 && !r.is_null(0, 0) && *pdate < r.text(0, 0)) {
      reroot = dup;
      dup.reset();
    }
  }
  const std::string final_url = page.final_url.empty() ? std::string(url) : page.final_url;
  const std::optional<std::string> charset =
      page.charset.empty() ? std::nullopt : std::optional<std::string>(page.charset);

  // $1..$12 bookkeeping, then the record columns in article_fields() order.
  std::vector<Param> p{std::string(url),
                       site_id,
                       final_url,
                       pdate,
                       ptime,
                       charset,
                       provenance_json(page.provenance),
                       hash,
                       raw_id,
                       impl_->run_id,
                       simhash,
                       dup};
  std::string cols, vals, sets;
  int n = 13;
  for (const ArticleField& f : article_fields()) {
    if (!f.column) continue;
    cols += std::string(", ") + f.name;
    vals += ", $" + std::to_string(n) + cast_of(f);
    sets += std::string(", ") + f.name + " = $" + std::to_string(n) + cast_of(f);
    p.emplace_back(f.get(a));
    ++n;
  }
  if (result.article_id == 0) {
    const Result r = c.exec(
        "INSERT INTO articles(url, site_id, final_url, published_date, published_time, charset, "
        "provenance, content_hash, raw_page_id, run_id, simhash, duplicate_of, version, "
        "first_seen_at, updated_at" +
            cols +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, 1, now(), now()" +
            vals + ") RETURNING id",
        p);
    result.article_id = r.i64(0, 0);
    result.outcome = Upsert::inserted;
    d.inserted += 1;
  } else {
    {
      auto old = find_article(url);
      if (old) result.changed_fields = changed_fields(old->article, a);
    }
    c.exec("INSERT INTO article_history(article_id, version, replaced_at, updated_at, final_url" +
               field_list("") +
               ", published_date, contributors, charset, provenance, content_hash, raw_page_id) "
               "SELECT id, version, now(), updated_at, final_url" +
               field_list("") +
               ", published_date, (SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, "
               "'role', role) ORDER BY position), '[]'::jsonb) FROM contributors WHERE article_id "
               "= a.id), charset, provenance, content_hash, raw_page_id FROM articles a WHERE id = "
               "$1",
           {result.article_id});
    p[0] = Param(result.article_id);
    c.exec(
        "UPDATE articles SET site_id = $2, final_url = $3, published_date = $4, "
        "published_time = $5, charset = $6, provenance = $7::jsonb, content_hash = $8, "
        "raw_page_id = coalesce($9, raw_page_id), run_id = coalesce($10, run_id), simhash = $11, "
        "duplicate_of = $12, version = version + 1, updated_at = now()" +
            sets + " WHERE id = $1::bigint",
        p);
    c.exec("DELETE FROM contributors WHERE article_id = $1", {result.article_id});
    result.outcome = Upsert::updated;
    d.changed += 1;
  }
  result.duplicate_of = dup;
  if (reroot)
    c.exec(
        "UPDATE articles SET duplicate_of = $2 WHERE (id = $1 OR duplicate_of = $1) AND id <> $2",
        {*reroot, result.article_id});
  impl_->link_pages(result.article_id, page_ids);
  std::int64_t pos = 0;
  for (const auto& person : a.contributors)
    c.exec("INSERT INTO contributors(article_id, position, name, role) VALUES ($1, $2, $3, $4)",
           {result.article_id, pos++, person.name, extract::role_name(person.role)});
  return result;
}

void PgStore::log_fetch(const FetchLogEntry& e) {
  impl_->require_batch();
  std::optional<std::int64_t> status;
  if (e.status) status = *e.status;
  impl_->conn.exec(
      "INSERT INTO fetches(run_id, site_id, url, status, error, elapsed_ms, raw_page_id) VALUES "
      "($1, $2, $3, $4, $5, $6, $7)",
      {impl_->run_id, impl_->site_id(e.site), e.url, status, e.error, e.elapsed_ms, e.raw_page_id});
}

void PgStore::cache_page(std::string_view site, const CachedPage& page) {
  impl_->require_batch();
  std::optional<std::string> at;
  if (!page.fetched_at.empty()) at = page.fetched_at;
  impl_->conn.exec(
      "INSERT INTO page_cache(url, site_id, etag, last_modified, content_type, fetched_at, "
      "checked_at, size, body) VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), "
      "coalesce($6::timestamptz, now()), $7, $8) ON CONFLICT (url) DO UPDATE SET site_id = "
      "excluded.site_id, etag = excluded.etag, last_modified = excluded.last_modified, "
      "content_type = excluded.content_type, fetched_at = excluded.fetched_at, checked_at = "
      "excluded.checked_at, size = excluded.size, body = excluded.body",
      {page.url, impl_->site_id(site), page.etag, page.last_modified, page.content_type, at,
       static_cast<std::int64_t>(page.bytes.size()), Param::bytes(zstd_compress(page.bytes))});
}

void PgStore::touch_cached_page(std::string_view url) {
  impl_->require_batch();
  impl_->conn.exec("UPDATE page_cache SET checked_at = now() WHERE url = $1", {url});
}

// ---------------------------------------------------------------------------------------------
// Frontier

bool PgStore::enqueue(const FrontierEntry& e, std::optional<std::int64_t> owner) {
  if (!e.claimed) owner.reset();
  const Result r = impl_->conn.exec(
      "INSERT INTO frontier(url, site_id, kind, depth, next_attempt_at, referrer, discovered_at, "
      "updated_at, run_id, state, lease_owner, lease_until) VALUES ($1, $2, $3, $4, "
      "coalesce(to_timestamp($5), now()), $6, now(), now(), $7, $8, $7, CASE WHEN $7::bigint IS "
      "NULL THEN NULL ELSE now() + make_interval(secs => $9) END) ON CONFLICT (url) DO NOTHING",
      {e.url, impl_->site_id(e.site), e.kind, e.depth, e.not_before, e.referrer, owner,
       owner ? "in_progress" : "pending", impl_->options.lease_seconds});
  return r.affected() == 1;
}

bool PgStore::take(std::string_view url, std::int64_t since, std::int64_t owner) {
  const Result r = impl_->conn.exec(
      "UPDATE frontier SET state = 'in_progress', lease_owner = $2, lease_until = now() + "
      "make_interval(secs => $3), updated_at = now() WHERE url = $1 AND (lease_owner = $2 OR "
      "NOT (state = 'in_progress' AND lease_until > now())) AND (lease_owner = $2 OR done_at IS "
      "NULL OR done_at < to_timestamp($4))",
      {url, owner, impl_->options.lease_seconds, since});
  return r.affected() == 1;
}

void PgStore::mark_done(std::string_view url) {
  impl_->require_batch();
  impl_->conn.exec(
      "UPDATE frontier SET state = 'done', last_error = NULL, updated_at = now(), done_at = "
      "now(), lease_owner = NULL, lease_until = NULL WHERE url = $1",
      {url});
}

void PgStore::mark_failed(std::string_view url, std::string_view error,
                          std::optional<std::int64_t> retry_at, bool keep_claimed) {
  impl_->require_batch();
  impl_->conn.exec(
      "UPDATE frontier SET attempts = attempts + 1, last_error = $2, updated_at = now(), state = "
      "CASE WHEN $3::bigint IS NULL THEN 'failed' WHEN $4 THEN 'in_progress' ELSE 'pending' END, "
      "next_attempt_at = coalesce(to_timestamp($3), next_attempt_at), done_at = CASE WHEN "
      "$3::bigint IS NULL THEN now() ELSE done_at END, lease_owner = CASE WHEN $4 THEN "
      "lease_owner END, lease_until = CASE WHEN $4 THEN lease_until END WHERE url = $1",
      {url, error, retry_at, keep_claimed});
}

std::optional<FrontierState> PgStore::frontier_state(std::string_view url) {
  const Result r = impl_->conn.exec("SELECT state FROM frontier WHERE url = $1", {url});
  if (r.rows() == 0) return std::nullopt;
  const std::string s = r.text(0, 0);
  for (auto st : {FrontierState::pending, FrontierState::in_progress, FrontierState::done,
                  FrontierState::failed})
    if (state_name(st) == s) return st;
  throw StoreError(name() + ": frontier row of " + std::string(url) + " has unknown state '" + s +
                   "'");
}

std::vector<FrontierItem> PgStore::claim_due(std::string_view site, int limit, std::int64_t owner) {
  if (limit <= 0) return {};
  const Result r = impl_->conn.exec(
      "WITH due AS (SELECT f.id FROM frontier f JOIN sites s ON s.id = f.site_id WHERE s.name = "
      "$1 AND ((f.state = 'pending' AND f.next_attempt_at <= now()) OR (f.state = 'in_progress' "
      "AND f.lease_until < now())) ORDER BY f.depth, f.id LIMIT $2 FOR UPDATE OF f SKIP LOCKED) "
      "UPDATE frontier f SET state = 'in_progress', lease_owner = $3, lease_until = now() + "
      "make_interval(secs => $4), updated_at = now() FROM due WHERE f.id = due.id "
      "RETURNING f.id, f.url, f.kind, f.depth, f.attempts",
      {site, limit, owner, impl_->options.lease_seconds});
  std::vector<FrontierItem> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.i64(i, 0), r.text(i, 1), std::string(site), r.text(i, 2),
                   static_cast<int>(r.i64(i, 3)), static_cast<int>(r.i64(i, 4))});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.depth, a.id) < std::tie(b.depth, b.id);
  });
  renew(owner);
  return out;
}

void PgStore::renew(std::int64_t owner) {
  impl_->conn.exec(
      "WITH f AS (UPDATE frontier SET lease_until = now() + make_interval(secs => $2) WHERE "
      "lease_owner = $1 AND state = 'in_progress') UPDATE runs SET heartbeat_at = now() WHERE "
      "id = $1",
      {owner, impl_->options.lease_seconds});
}

std::int64_t PgStore::release_claims(std::string_view site, std::int64_t owner, bool lapsed) {
  const Result r = impl_->conn.exec(
      "UPDATE frontier f SET state = 'pending', lease_owner = NULL, lease_until = NULL, "
      "updated_at = now() FROM sites s WHERE s.id = f.site_id AND s.name = $1 AND f.state = "
      "'in_progress' AND (f.lease_owner = $2 OR f.lease_owner IS NULL OR ($3 AND f.lease_until "
      "< now()))",
      {site, owner, lapsed});
  return r.affected();
}

std::int64_t PgStore::frontier_pending(std::string_view site) {
  return impl_->conn
      .exec(
          "SELECT count(*) FROM frontier WHERE state = 'pending' AND site_id = (SELECT id FROM "
          "sites WHERE name = $1)",
          {site})
      .i64(0, 0);
}

bool PgStore::site_busy(std::string_view site, std::int64_t owner) {
  return impl_->conn
      .exec(
          "SELECT EXISTS (SELECT 1 FROM frontier f JOIN sites s ON s.id = f.site_id WHERE s.name "
          "= $1 AND ((f.state = 'in_progress' AND f.lease_owner IS DISTINCT FROM $2) OR (f.state "
          "= 'pending' AND f.next_attempt_at <= now())))",
          {site, owner})
      .boolean(0, 0);
}

std::int64_t PgStore::crawl_epoch(std::string_view site, std::int64_t run_id) {
  return impl_->conn
      .exec(
          "SELECT floor(extract(epoch FROM min(r.started_at)))::bigint FROM runs r JOIN sites s ON "
          "s.id "
          "= r.site_id WHERE s.name = $1 AND (r.id = $2 OR (r.status = 'running' AND "
          "r.heartbeat_at > now() - make_interval(secs => $3)))",
          {site, run_id, impl_->options.lease_seconds})
      .i64(0, 0);
}

std::optional<std::chrono::milliseconds> PgStore::acquire_host(std::string_view host,
                                                               std::chrono::milliseconds delay,
                                                               std::int64_t asker) {
  const std::int64_t ms = delay.count();
  // Granted when the slot is free and nobody else is next in line (or their turn lapsed). The
  // delay kept is the largest asked for by any worker in the last 10 minutes: a worker's
  // robots.txt request keeps the Crawl-delay the others know.
  const Result r = impl_->conn.exec(
      "INSERT INTO host_slots(host, next_at, delay_ms) VALUES ($1, clock_timestamp() + "
      "make_interval(secs => $2::double precision / 1000), $2) ON CONFLICT (host) DO UPDATE SET "
      "delay_ms = CASE WHEN host_slots.next_at < clock_timestamp() - interval '10 minutes' THEN "
      "$2 ELSE greatest($2, host_slots.delay_ms) END, next_at = clock_timestamp() + "
      "make_interval(secs => (CASE WHEN host_slots.next_at < clock_timestamp() - interval '10 "
      "minutes' THEN $2 ELSE greatest($2, host_slots.delay_ms) END)::double precision / 1000), "
      "waiter = NULL, waiter_until = NULL WHERE host_slots.next_at <= clock_timestamp() AND "
      "(host_slots.waiter IS NULL OR host_slots.waiter = $3 OR host_slots.waiter_until < "
      "clock_timestamp()) RETURNING 1",
      {host, ms, asker});
  if (r.rows() > 0) return std::nullopt;
  // Refused: the first refused asker is next in line (for kTurnGrace after the slot frees), so
  // a worker whose loop wakes late is not beaten to every slot by the others (starvation).
  const Result w = impl_->conn.exec(
      "WITH turn AS (UPDATE host_slots SET waiter = $2, waiter_until = greatest(next_at, "
      "clock_timestamp()) + make_interval(secs => $3::double precision / 1000) WHERE host = $1 "
      "AND (waiter IS NULL OR waiter = $2 OR waiter_until < clock_timestamp()) RETURNING "
      "next_at, waiter, waiter_until) SELECT greatest(0, extract(epoch FROM (CASE WHEN "
      "h.waiter IS NOT NULL AND h.waiter <> $2 AND h.waiter_until > clock_timestamp() THEN "
      "greatest(h.next_at, h.waiter_until) ELSE h.next_at END) - clock_timestamp()) * 1000) "
      "FROM host_slots h WHERE h.host = $1 AND NOT EXISTS (SELECT 1 FROM turn) UNION ALL "
      "SELECT greatest(0, extract(epoch FROM next_at - clock_timestamp()) * 1000) FROM turn",
      {host, asker, static_cast<std::int64_t>(kTurnGrace.count())});
  const double wait = w.rows() > 0 ? w.f64(0, 0) : 0;
  return std::chrono::milliseconds(static_cast<std::int64_t>(wait) + 1);
}

void PgStore::delay_host(std::string_view host, std::chrono::milliseconds lag) {
  if (lag.count() <= 0) return;
  impl_->conn.exec(
      "UPDATE host_slots SET next_at = next_at + make_interval(secs => $2::double precision / "
      "1000) WHERE host = $1",
      {host, static_cast<std::int64_t>(lag.count())});
}

// ---------------------------------------------------------------------------------------------
// Runs

std::int64_t PgStore::begin_run(std::string_view site, std::string_view worker) {
  const std::int64_t site_id = impl_->site_id(site);
  return impl_->conn
      .exec("INSERT INTO runs(site_id, worker) VALUES ($1, $2) RETURNING id", {site_id, worker})
      .i64(0, 0);
}

void PgStore::finish_run(std::int64_t run_id, RunStatus status, const RunCounts& c,
                         const std::vector<std::string>& alarms) {
  Transaction tx(impl_->conn);
  impl_->conn.exec(
      "UPDATE runs SET finished_at = now(), status = $2, pages_fetched = $3, pages_failed = $4, "
      "articles_new = $5, articles_changed = $6, articles_unchanged = $7, links_enqueued = $8, "
      "requests = $9, not_modified = $10, list_pages = $11, list_article_links = $12, alarms = "
      "$13::jsonb WHERE id = $1",
      {run_id, run_status_name(status), c.pages_fetched, c.pages_failed, c.articles_new,
       c.articles_changed, c.articles_unchanged, c.links_enqueued, c.requests, c.not_modified,
       c.list_pages, c.list_article_links, string_array_json(alarms)});
  impl_->conn.exec("DELETE FROM crawl_seen WHERE run_id = $1", {run_id});
  tx.commit();
}

std::int64_t PgStore::close_abandoned_runs(std::string_view site) {
  Transaction tx(impl_->conn);
  const Result r = impl_->conn.exec(
      "UPDATE runs r SET status = 'interrupted', finished_at = r.heartbeat_at FROM sites s WHERE "
      "s.id = r.site_id AND s.name = $1 AND r.status = 'running' AND r.heartbeat_at < now() - "
      "make_interval(secs => $2) RETURNING r.id",
      {site, impl_->options.lease_seconds});
  for (int i = 0; i < r.rows(); ++i)
    impl_->conn.exec("DELETE FROM crawl_seen WHERE run_id = $1", {r.i64(i, 0)});
  tx.commit();
  return r.rows();
}

std::vector<RunSummary> PgStore::recent_runs(std::string_view site, int limit,
                                             std::optional<std::int64_t> before) {
  std::vector<RunSummary> out;
  if (limit <= 0) return out;
  std::string cols;
  for (const ArticleField& f : article_fields())
    if (f.tracked) cols += std::string(", coalesce(rs.") + f.name + ", 0)";
  const Result r = impl_->conn.exec(
      "SELECT r.id, coalesce(s2.name, ''), " + iso("r.started_at") + ", " + iso("r.finished_at") +
          ", r.status, r.pages_fetched, r.pages_failed, r.articles_new, r.articles_changed, "
          "r.articles_unchanged, r.links_enqueued, r.requests, r.not_modified, r.list_pages, "
          "r.list_article_links, r.alarms::text, coalesce(rs.articles, 0)" +
          cols +
          " FROM runs r JOIN sites s ON s.name = $1 LEFT JOIN sites s2 ON s2.id = r.site_id "
          "LEFT JOIN run_sites rs ON rs.run_id = r.id AND rs.site_id = s.id WHERE (r.site_id = "
          "s.id OR rs.run_id IS NOT NULL) AND ($3::bigint IS NULL OR r.id < $3) ORDER BY r.id "
          "DESC LIMIT $2",
      {site, limit, before});
  for (int i = 0; i < r.rows(); ++i) {
    RunSummary s;
    s.id = r.i64(i, 0);
    s.site = r.text(i, 1);
    s.started_at = r.text(i, 2);
    s.finished_at = r.opt_text(i, 3);
    s.status = r.text(i, 4);
    s.counts = RunCounts{r.i64(i, 5),  r.i64(i, 6),  r.i64(i, 7),  r.i64(i, 8),  r.i64(i, 9),
                         r.i64(i, 10), r.i64(i, 11), r.i64(i, 12), r.i64(i, 13), r.i64(i, 14)};
    for (const auto& a : nlohmann::json::parse(r.text(i, 15), nullptr, false))
      if (a.is_string()) s.alarms.push_back(a.get<std::string>());
    s.fill.articles = r.i64(i, 16);
    int col = 17;
    for (const ArticleField& f : article_fields())
      if (f.tracked) s.fill.*f.fill = r.i64(i, col++);
    out.push_back(std::move(s));
  }
  return out;
}

std::map<std::string, FillCounts> PgStore::run_fill_counts(std::int64_t run_id) {
  std::string cols;
  for (const ArticleField& f : article_fields())
    if (f.tracked) cols += std::string(", rs.") + f.name;
  const Result r = impl_->conn.exec("SELECT s.name, rs.articles" + cols +
                                        " FROM run_sites rs JOIN sites s ON s.id = rs.site_id "
                                        "WHERE rs.run_id = $1",
                                    {run_id});
  std::map<std::string, FillCounts> out;
  for (int i = 0; i < r.rows(); ++i) {
    FillCounts fc;
    fc.articles = r.i64(i, 1);
    int col = 2;
    for (const ArticleField& f : article_fields())
      if (f.tracked) fc.*f.fill = r.i64(i, col++);
    out[r.text(i, 0)] = fc;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reads

std::optional<CachedPage> PgStore::cached_page(std::string_view url) {
  const Result r = impl_->conn.exec("SELECT url, etag, last_modified, content_type, body, " +
                                        iso("fetched_at") + " FROM page_cache WHERE url = $1",
                                    {url});
  if (r.rows() == 0) return std::nullopt;
  CachedPage p;
  p.url = r.text(0, 0);
  p.etag = r.opt_text(0, 1);
  p.last_modified = r.opt_text(0, 2);
  p.content_type = r.opt_text(0, 3);
  p.bytes = zstd_decompress(r.bytes(0, 4), name() + ": page_cache row " + p.url);
  p.fetched_at = r.text(0, 5);
  return p;
}

std::optional<StoredArticle> PgStore::find_article(std::string_view url) {
  const Result r = impl_->conn.exec("SELECT " + article_columns() +
                                        " FROM articles a JOIN sites s ON s.id = a.site_id WHERE "
                                        "a.url = $1",
                                    {url});
  if (r.rows() == 0) return std::nullopt;
  StoredArticle a = read_article(r, 0);
  a.article.contributors = impl_->contributors(a.id);
  return a;
}

std::vector<RecheckItem> PgStore::articles_to_recheck(std::string_view site, int days) {
  std::vector<RecheckItem> out;
  if (days <= 0) return out;
  const Result r = impl_->conn.exec(
      "SELECT a.url, coalesce(r.url, a.url), r.etag, r.last_modified FROM articles a JOIN sites "
      "s ON s.id = a.site_id LEFT JOIN raw_pages r ON r.id = a.raw_page_id WHERE s.name = $1 AND "
      "(a.published_date >= to_char((now() - make_interval(days => $2)) AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD') OR (a.published_date IS NULL AND a.first_seen_at >= now() - "
      "make_interval(days => $2))) ORDER BY a.id",
      {site, days});
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(RecheckItem{r.text(i, 0), r.text(i, 1), r.opt_text(i, 2), r.opt_text(i, 3)});
  return out;
}

void PgStore::for_each_article(const ExportFilter& filter,
                               const std::function<void(const StoredArticle&)>& fn) {
  // Pages of 500 by id: constant memory whatever the table size.
  std::int64_t after = 0;
  for (;;) {
    const Result r = impl_->conn.exec(
        "SELECT " + article_columns() +
            " FROM articles a JOIN sites s ON s.id = a.site_id WHERE a.id > $1 AND ($2::text IS "
            "NULL OR s.name = $2) AND ($3::text IS NULL OR a.published_date >= $3) ORDER BY a.id "
            "LIMIT 500",
        {after, filter.site, filter.since});
    if (r.rows() == 0) return;
    for (int i = 0; i < r.rows(); ++i) {
      StoredArticle a = read_article(r, i);
      a.article.contributors = impl_->contributors(a.id);
      after = a.id;
      fn(a);
    }
  }
}

std::int64_t PgStore::article_count() {
  return impl_->conn.exec("SELECT count(*) FROM articles").i64(0, 0);
}

std::vector<SiteStats> PgStore::site_stats() {
  const Result r = impl_->conn.exec(
      "SELECT s.id, s.name, count(a.id), count(a.title), count(a.published_at), "
      "count(*) FILTER (WHERE a.reporters <> '[]'::jsonb), count(a.section), count(a.source), "
      "count(a.body), count(a.duplicate_of) FROM sites s LEFT JOIN articles a ON a.site_id = "
      "s.id GROUP BY s.id ORDER BY s.name");
  std::vector<SiteStats> out;
  for (int i = 0; i < r.rows(); ++i) {
    SiteStats st;
    st.site = r.text(i, 1);
    st.fill = FillCounts{r.i64(i, 2), r.i64(i, 3), r.i64(i, 4), r.i64(i, 5),
                         r.i64(i, 6), r.i64(i, 7), r.i64(i, 8)};
    st.duplicates = r.i64(i, 9);
    for (const char* status : {static_cast<const char*>(nullptr), "ok"}) {
      const Result q = impl_->conn.exec(
          "SELECT id, " + iso("started_at") + ", " + iso("finished_at") +
              ", status FROM runs WHERE (site_id = $1 OR id IN (SELECT run_id FROM run_sites "
              "WHERE site_id = $1)) AND ($2::text IS NULL OR status = $2) ORDER BY id DESC "
              "LIMIT 1",
          {r.i64(i, 0), status ? Param(status) : Param()});
      if (q.rows() > 0)
        (status ? st.last_success : st.last_run) =
            RunInfo{q.i64(0, 0), q.text(0, 1), q.opt_text(0, 2), q.text(0, 3)};
    }
    st.recent_runs = recent_runs(st.site, 5, std::nullopt);
    out.push_back(std::move(st));
  }
  return out;
}

std::vector<ArchivedPage> PgStore::archived_pages(std::optional<std::string> site,
                                                  std::int64_t after_id, int limit) {
  auto read_raw = [&](const Result& r, int row, int col) {
    ArchivedRaw raw;
    raw.url = r.text(row, col);
    raw.final_url = r.text(row, col + 1);
    raw.content_type = r.opt_text(row, col + 2);
    raw.bytes =
        zstd_decompress(r.bytes(row, col + 3), name() + ": raw_pages row " + r.text(row, col + 4));
    return raw;
  };
  const Result r = impl_->conn.exec(
      "SELECT a.id, s.name, a.url, r.url, r.final_url, r.content_type, r.body, r.id, "
      "a.page_count FROM articles a JOIN raw_pages r ON r.id = a.raw_page_id JOIN sites s ON "
      "s.id = a.site_id WHERE a.id > $1 AND ($2::text IS NULL OR s.name = $2) ORDER BY a.id "
      "LIMIT $3",
      {after_id, site, limit});
  std::vector<ArchivedPage> out;
  for (int i = 0; i < r.rows(); ++i) {
    ArchivedPage p;
    p.article_id = r.i64(i, 0);
    p.site = r.text(i, 1);
    p.url = r.text(i, 2);
    p.pages.push_back(read_raw(r, i, 3));
    p.page_count = r.i64(i, 8);
    const Result more = impl_->conn.exec(
        "SELECT r.url, r.final_url, r.content_type, r.body, r.id FROM article_pages p JOIN "
        "raw_pages r ON r.id = p.raw_page_id WHERE p.article_id = $1 AND p.page > 1 ORDER BY "
        "p.page",
        {p.article_id});
    for (int j = 0; j < more.rows(); ++j) p.pages.push_back(read_raw(more, j, 0));
    out.push_back(std::move(p));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Search

std::int64_t PgStore::index_pending(std::int64_t max_docs, int chunk) {
  std::int64_t total = 0;
  chunk = std::max(chunk, 1);
  while (max_docs < 0 || total < max_docs) {
    const std::int64_t want =
        max_docs < 0 ? chunk : std::min<std::int64_t>(chunk, max_docs - total);
    Transaction tx(impl_->conn);
    const Result r = impl_->conn.exec(
        "SELECT id, version, title, body FROM articles WHERE indexed_version IS DISTINCT FROM "
        "version ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
        {want});
    if (r.rows() == 0) break;
    for (int i = 0; i < r.rows(); ++i) {
      const auto title = r.opt_text(i, 2);
      const auto body = r.opt_text(i, 3);
      impl_->conn.exec(
          "UPDATE articles SET indexed_version = $4, search = setweight(to_tsvector('simple', "
          "$2), 'A') || setweight(to_tsvector('simple', $3), 'D') WHERE id = $1",
          {r.i64(i, 0), title ? search::terms(*title) : std::string(),
           body ? search::terms(*body) : std::string(), r.i64(i, 1)});
    }
    tx.commit();
    total += r.rows();
    if (r.rows() < want) break;
  }
  return total;
}

std::int64_t PgStore::index_lag() {
  return impl_->conn
      .exec("SELECT count(*) FROM articles WHERE indexed_version IS DISTINCT FROM version")
      .i64(0, 0);
}

std::vector<SearchHit> PgStore::search(const SearchQuery& q) {
  std::vector<SearchHit> out;
  const std::string tsq = search::tsquery_expression(q.text);
  if (tsq.empty()) return out;
  const auto needles = search::needles(q.text);
  // ts_rank with weights {D, C, B, A} = {0.1, 0, 0, 1}: a title match counts 10 times a body
  // match, as bm25(10, 1) does in SQLite. Negated so that lower is better, as FTS5's rank.
  const Result r = impl_->conn.exec(
      "SELECT a.id, s.name, a.url, a.site, a.title, a.published_at, a.published_date, "
      "a.duplicate_of, -ts_rank('{0.1, 0, 0, 1}', a.search, query) AS score, a.body FROM "
      "articles a JOIN sites s ON s.id = a.site_id, to_tsquery('simple', $1) query WHERE "
      "a.search @@ query AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR "
      "a.published_date >= $3) ORDER BY score, a.id LIMIT $4",
      {tsq, q.site, q.since, q.limit > 0 ? std::optional<std::int64_t>(q.limit) : std::nullopt});
  for (int i = 0; i < r.rows(); ++i) {
    SearchHit h;
    h.id = r.i64(i, 0);
    h.site_name = r.text(i, 1);
    h.url = r.text(i, 2);
    h.site = r.opt_text(i, 3);
    h.title = r.opt_text(i, 4);
    h.published_at = r.opt_text(i, 5);
    h.published_date = r.opt_text(i, 6);
    h.duplicate_of = r.opt_i64(i, 7);
    h.score = r.f64(i, 8);
    // The body around the first match; the title when only the title matches (as SQLite's).
    std::string snip = search::snippet(r.is_null(i, 9) ? std::string() : r.text(i, 9), needles);
    if (snip.find('[') == std::string::npos && h.title) {
      std::string t = search::snippet(*h.title, needles);
      if (t.find('[') != std::string::npos) snip = std::move(t);
    }
    h.snippet = std::move(snip);
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace nh::store::pg
