// Schema versions and forward migrations. Each step is DDL plus, where the new columns need
// values for existing rows, C++ that computes them — all inside the transaction Store::open
// holds, so a failed upgrade leaves the file at its old version.
//
// Version history
//   1  sites, runs, raw_pages, articles (+contributors, history, FTS5 trigram index), frontier,
//      fetches, run_sites, analyst views.
//   2  near-duplicate detection: articles.simhash + articles.duplicate_of, band indexes,
//      fingerprints computed for existing articles, duplicates view, fill_rates gains a
//      duplicates column.
//   3  cron-grade crawling: page_cache (the latest 200 of non-article pages, for conditional
//      requests), runs gains requests, not_modified, list_pages, list_article_links and alarms
//      (JSON array of strings), index runs_site, view recent_runs.
//   4  multi-page articles: article_pages links every archived page of an article in join
//      order (page 1 = articles.raw_page_id); existing articles get page 1 from raw_page_id
//      (their other pages were archived but never linked: reextract keeps such joined records).
//   5  search for every word length, off the write path: the trigram articles_fts and its
//      insert/update triggers are replaced by an FTS5 unicode61 index over the pre-segmented
//      articles.title_terms/body_terms (store/search_text.h), filled in bulk after commit by
//      Store::index_pending (articles.indexed_version = the version the index holds; the
//      partial index articles_unindexed lists the rest); articles.published_time. Existing
//      articles are all pending after the upgrade (the next crawl or `newsharvest index`
//      indexes them).
//   6  a cheaper index: articles_fts is rebuilt with the built-in `ascii` tokenizer over terms
//      that already hold only tokens and spaces (search_text.h), and the terms hold each CJK
//      run's last character instead of every character as a unigram; every article is waiting
//      for the index after the upgrade.
//   7  multi-page joins as data: articles.page_count, the number of pages the record was joined
//      from (1 for a single page), set by every upsert that archives the pages. Existing rows
//      get it from the " (joined N pages)" note the crawl wrote into the body's provenance (read
//      this once, here; nothing reads the note afterwards).
#include "store/schema.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "store/fingerprint.h"
#include "store/store.h"

namespace nh::store::schema {

const char* v1_sql() {
  return R"sql(
PRAGMA application_id = 1313362772;

CREATE TABLE sites (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
);

CREATE TABLE runs (
  id                 INTEGER PRIMARY KEY,
  site_id            INTEGER REFERENCES sites(id),
  started_at         TEXT NOT NULL,
  finished_at        TEXT,
  status             TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'ok', 'degraded', 'failed', 'interrupted')),
  pages_fetched      INTEGER NOT NULL DEFAULT 0,
  pages_failed       INTEGER NOT NULL DEFAULT 0,
  articles_new       INTEGER NOT NULL DEFAULT 0,
  articles_changed   INTEGER NOT NULL DEFAULT 0,
  articles_unchanged INTEGER NOT NULL DEFAULT 0,
  links_enqueued     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE raw_pages (
  id            INTEGER PRIMARY KEY,
  site_id       INTEGER NOT NULL REFERENCES sites(id),
  url           TEXT NOT NULL,
  final_url     TEXT NOT NULL,
  status        INTEGER NOT NULL,
  content_type  TEXT,
  etag          TEXT,
  last_modified TEXT,
  charset       TEXT,
  fetched_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  size          INTEGER NOT NULL,
  body          BLOB NOT NULL,
  UNIQUE (url, content_hash)
);

CREATE TABLE articles (
  id             INTEGER PRIMARY KEY,
  url            TEXT NOT NULL UNIQUE,
  site_id        INTEGER NOT NULL REFERENCES sites(id),
  final_url      TEXT NOT NULL,
  site           TEXT,
  section        TEXT,
  title          TEXT,
  subtitle       TEXT,
  published_at   TEXT,
  published_date TEXT,
  reporters      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reporters)),
  source         TEXT,
  body           TEXT,
  language       TEXT,
  charset        TEXT,
  provenance     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(provenance)),
  content_hash   TEXT NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  first_seen_at  TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  raw_page_id    INTEGER REFERENCES raw_pages(id),
  run_id         INTEGER REFERENCES runs(id)
);
CREATE INDEX articles_site_date ON articles(site_id, published_date);
CREATE INDEX articles_published_date ON articles(published_date);
CREATE INDEX articles_updated_at ON articles(updated_at);
CREATE INDEX articles_raw_page ON articles(raw_page_id);

CREATE TABLE contributors (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('reporter', 'correspondent', 'intern', 'photographer',
                                           'editor', 'reviewer', 'translator', 'author')),
  PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX contributors_name ON contributors(name, role);

CREATE TABLE article_history (
  id             INTEGER PRIMARY KEY,
  article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  version        INTEGER NOT NULL,
  replaced_at    TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  final_url      TEXT NOT NULL,
  site           TEXT,
  section        TEXT,
  title          TEXT,
  subtitle       TEXT,
  published_at   TEXT,
  published_date TEXT,
  reporters      TEXT NOT NULL,
  contributors   TEXT NOT NULL,
  source         TEXT,
  body           TEXT,
  language       TEXT,
  charset        TEXT,
  provenance     TEXT NOT NULL,
  content_hash   TEXT NOT NULL,
  raw_page_id    INTEGER REFERENCES raw_pages(id),
  UNIQUE (article_id, version)
);

CREATE TABLE frontier (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL UNIQUE,
  site_id         INTEGER NOT NULL REFERENCES sites(id),
  kind            TEXT NOT NULL,
  depth           INTEGER NOT NULL DEFAULT 0,
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'in_progress', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT,
  referrer        TEXT,
  discovered_at   TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  run_id          INTEGER REFERENCES runs(id)
);
CREATE INDEX frontier_due ON frontier(state, next_attempt_at, depth);
CREATE INDEX frontier_site_due ON frontier(site_id, state, next_attempt_at, depth);

CREATE TABLE fetches (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER REFERENCES runs(id),
  site_id     INTEGER NOT NULL REFERENCES sites(id),
  url         TEXT NOT NULL,
  status      INTEGER,
  error       TEXT,
  elapsed_ms  INTEGER,
  fetched_at  TEXT NOT NULL,
  raw_page_id INTEGER REFERENCES raw_pages(id)
);
CREATE INDEX fetches_run ON fetches(run_id);

CREATE TABLE run_sites (
  run_id       INTEGER NOT NULL REFERENCES runs(id),
  site_id      INTEGER NOT NULL REFERENCES sites(id),
  articles     INTEGER NOT NULL DEFAULT 0,
  new          INTEGER NOT NULL DEFAULT 0,
  changed      INTEGER NOT NULL DEFAULT 0,
  title        INTEGER NOT NULL DEFAULT 0,
  published_at INTEGER NOT NULL DEFAULT 0,
  reporters    INTEGER NOT NULL DEFAULT 0,
  section      INTEGER NOT NULL DEFAULT 0,
  source       INTEGER NOT NULL DEFAULT 0,
  body         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, site_id)
) WITHOUT ROWID;
CREATE INDEX run_sites_site ON run_sites(site_id, run_id);

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, content = 'articles', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE VIEW articles_per_site_day AS
  SELECT s.name AS site, a.published_date AS day, count(*) AS articles
  FROM articles a JOIN sites s ON s.id = a.site_id
  GROUP BY s.name, a.published_date;

CREATE VIEW articles_per_section AS
  SELECT s.name AS site, a.section AS section, count(*) AS articles
  FROM articles a JOIN sites s ON s.id = a.site_id
  GROUP BY s.name, a.section;

CREATE VIEW articles_per_reporter AS
  SELECT s.name AS site, r.value AS reporter, count(*) AS articles
  FROM articles a JOIN sites s ON s.id = a.site_id, json_each(a.reporters) r
  GROUP BY s.name, r.value;

CREATE VIEW fill_rates AS
  SELECT s.name AS site,
         count(*) AS articles,
         avg(a.title IS NOT NULL) AS title,
         avg(a.subtitle IS NOT NULL) AS subtitle,
         avg(a.published_at IS NOT NULL) AS published_at,
         avg(a.reporters <> '[]') AS reporters,
         avg(a.section IS NOT NULL) AS section,
         avg(a.source IS NOT NULL) AS source,
         avg(a.body IS NOT NULL) AS body
  FROM articles a JOIN sites s ON s.id = a.site_id
  GROUP BY s.name;
)sql";
}

// Each band query walks its band index in id order and stops after :k rows (no sort: entries of
// one band value are in rowid order); the last one seeks (simhash, title) exactly.
const char* const kCandidatesSql = R"sql(
SELECT * FROM (SELECT id, simhash, duplicate_of, title FROM articles
               WHERE (simhash & 65535) = :b0 ORDER BY id LIMIT :k)
UNION ALL
SELECT * FROM (SELECT id, simhash, duplicate_of, title FROM articles
               WHERE ((simhash >> 16) & 65535) = :b1 ORDER BY id LIMIT :k)
UNION ALL
SELECT * FROM (SELECT id, simhash, duplicate_of, title FROM articles
               WHERE ((simhash >> 32) & 65535) = :b2 ORDER BY id LIMIT :k)
UNION ALL
SELECT * FROM (SELECT id, simhash, duplicate_of, title FROM articles
               WHERE ((simhash >> 48) & 65535) = :b3 ORDER BY id LIMIT :k)
UNION ALL
SELECT id, simhash, duplicate_of, title FROM articles WHERE simhash = :h AND title = :title)sql";

namespace {

const char* v2_sql() {
  return R"sql(
ALTER TABLE articles ADD COLUMN simhash INTEGER;
ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id);
CREATE INDEX articles_simhash_b0 ON articles((simhash & 65535));
CREATE INDEX articles_simhash_b1 ON articles(((simhash >> 16) & 65535));
CREATE INDEX articles_simhash_b2 ON articles(((simhash >> 32) & 65535));
CREATE INDEX articles_simhash_b3 ON articles(((simhash >> 48) & 65535));
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

DROP VIEW fill_rates;
CREATE VIEW fill_rates AS
  SELECT s.name AS site,
         count(*) AS articles,
         avg(a.title IS NOT NULL) AS title,
         avg(a.subtitle IS NOT NULL) AS subtitle,
         avg(a.published_at IS NOT NULL) AS published_at,
         avg(a.reporters <> '[]') AS reporters,
         avg(a.section IS NOT NULL) AS section,
         avg(a.source IS NOT NULL) AS source,
         avg(a.body IS NOT NULL) AS body,
         sum(a.duplicate_of IS NOT NULL) AS duplicates
  FROM articles a JOIN sites s ON s.id = a.site_id
  GROUP BY s.name;

CREATE VIEW duplicates AS
  SELECT d.id AS id, d.url AS url, sd.name AS site, d.title AS title,
         o.id AS original_id, o.url AS original_url, so.name AS original_site
  FROM articles d
  JOIN articles o ON o.id = d.duplicate_of
  JOIN sites sd ON sd.id = d.site_id
  JOIN sites so ON so.id = o.site_id;
)sql";
}

const char* v3_sql() {
  return R"sql(
CREATE TABLE page_cache (
  url           TEXT PRIMARY KEY,
  site_id       INTEGER NOT NULL REFERENCES sites(id),
  etag          TEXT,
  last_modified TEXT,
  content_type  TEXT,
  fetched_at    TEXT NOT NULL,
  checked_at    TEXT NOT NULL,
  size          INTEGER NOT NULL,
  body          BLOB NOT NULL
);
CREATE INDEX page_cache_site ON page_cache(site_id);

ALTER TABLE runs ADD COLUMN requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN not_modified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN list_pages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN list_article_links INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN alarms TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(alarms));
CREATE INDEX runs_site ON runs(site_id, id);

CREATE VIEW recent_runs AS
  SELECT r.id AS run_id, s.name AS site, r.started_at, r.finished_at, r.status,
         CAST(round((julianday(r.finished_at) - julianday(r.started_at)) * 86400) AS INTEGER)
           AS duration_s,
         r.requests, r.not_modified, r.pages_fetched, r.pages_failed, r.list_pages,
         r.list_article_links, r.articles_new, r.articles_changed, r.articles_unchanged,
         r.links_enqueued, json_array_length(r.alarms) AS alarm_count, r.alarms
  FROM runs r LEFT JOIN sites s ON s.id = r.site_id;
)sql";
}

const char* v4_sql() {
  return R"sql(
CREATE TABLE article_pages (
  article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  page        INTEGER NOT NULL,
  raw_page_id INTEGER NOT NULL REFERENCES raw_pages(id),
  PRIMARY KEY (article_id, page)
) WITHOUT ROWID;
CREATE INDEX article_pages_raw_page ON article_pages(raw_page_id);

INSERT INTO article_pages(article_id, page, raw_page_id)
  SELECT id, 1, raw_page_id FROM articles WHERE raw_page_id IS NOT NULL;
)sql";
}

const char* v5_sql() {
  return R"sql(
DROP TRIGGER IF EXISTS articles_fts_insert;
DROP TRIGGER IF EXISTS articles_fts_update;
DROP TRIGGER IF EXISTS articles_fts_delete;
DROP TABLE IF EXISTS articles_fts;

ALTER TABLE articles ADD COLUMN published_time TEXT;
ALTER TABLE articles ADD COLUMN title_terms TEXT;
ALTER TABLE articles ADD COLUMN body_terms TEXT;
ALTER TABLE articles ADD COLUMN indexed_version INTEGER;
CREATE INDEX articles_unindexed ON articles(id) WHERE indexed_version IS NOT version;
CREATE INDEX IF NOT EXISTS articles_simhash_title ON articles(simhash, title);

UPDATE articles SET published_time = substr(published_at, 12, 8)
WHERE published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*';

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title_terms, body_terms, content="articles", content_rowid="id", tokenize="unicode61");
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 67108864);
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
WHEN old.title_terms IS NOT NULL BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title_terms, body_terms)
  VALUES ('delete', old.id, old.title_terms, old.body_terms);
END;
)sql";
}

const char* v6_sql() {
  return R"sql(
DROP TRIGGER IF EXISTS articles_fts_delete;
DROP TABLE IF EXISTS articles_fts;
UPDATE articles SET title_terms = NULL, body_terms = NULL, indexed_version = NULL
WHERE title_terms IS NOT NULL OR body_terms IS NOT NULL OR indexed_version IS NOT NULL;

CREATE VIRTUAL TABLE articles_fts USING fts5(
  title_terms, body_terms, content="articles", content_rowid="id", tokenize="ascii");
INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)');
INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 67108864);
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
WHEN old.title_terms IS NOT NULL BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title_terms, body_terms)
  VALUES ('delete', old.id, old.title_terms, old.body_terms);
END;
)sql";
}

const char* v7_sql() {
  return R"sql(
ALTER TABLE articles ADD COLUMN page_count INTEGER NOT NULL DEFAULT 1 CHECK (page_count >= 1);
UPDATE articles
SET page_count = max(1, CAST(substr(json_extract(provenance, '$.body'),
                                    instr(json_extract(provenance, '$.body'), ' (joined ') + 9)
                             AS INTEGER))
WHERE json_extract(provenance, '$.body') LIKE '% (joined % pages)';
)sql";
}

// The crawl's seen set on disk (issue 14): what a run has considered, so that memory does not
// grow with the URLs it discovers. Rows live only while their run does.
const char* v8_sql() {
  return R"sql(
CREATE TABLE crawl_seen (
  run_id   INTEGER NOT NULL,
  url_hash INTEGER NOT NULL,
  PRIMARY KEY (run_id, url_hash)
) WITHOUT ROWID;
)sql";
}

bool same_headline(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view s) {
    std::string out;
    for (char c : s)
      if (c != ' ' && c != '\t') out += c;
    return out;
  };
  const std::string x = strip(a), y = strip(b);
  if (x.empty() || y.empty()) return true;
  return x.find(y) != std::string::npos || y.find(x) != std::string::npos;
}

// Fingerprints every existing article in id order, so that the first copy (smallest id) stays
// the original exactly as if the articles had been inserted by version 2.
void fingerprint_existing(sqlite3* db, const std::string& path) {
  // Pages of 1000 by id keep memory bounded and never update the table under a running scan.
  sql::Stmt select(db, path,
                   "SELECT id, body, title FROM articles WHERE id > ?1 AND body IS NOT NULL "
                   "ORDER BY id LIMIT 1000");
  sql::Stmt set_hash(db, path, "UPDATE articles SET simhash = ?2 WHERE id = ?1");
  sql::Stmt set_dup(db, path, "UPDATE articles SET duplicate_of = ?2 WHERE id = ?1");
  // The exact (fingerprint, headline) seek of kCandidatesSql needs its index already here.
  sql::exec(db, path,
            "CREATE INDEX IF NOT EXISTS articles_simhash_title ON articles(simhash, title)");
  sql::Stmt candidates(db, path, kCandidatesSql);
  std::int64_t after = 0;
  for (;;) {
    struct Row {
      std::int64_t id;
      std::string body;
      std::optional<std::string> title;
    };
    std::vector<Row> rows;
    {
      sql::StmtScope scope(select);
      select.bind(1, after);
      while (select.step())
        rows.push_back({select.i64(0), select.text(1),
                        select.is_null(2) ? std::nullopt : std::optional(select.text(2))});
    }
    if (rows.empty()) break;
    after = rows.back().id;
    for (const auto& [id, body, title] : rows) {
      const auto h = simhash64(body);
      if (!h) continue;
      set_hash.bind(1, id).bind(2, *h).run();
      if (const auto first = find_first_copy(candidates, *h, id, title))
        set_dup.bind(1, id).bind(2, *first).run();
    }
  }
}

}  // namespace

std::optional<std::int64_t> find_first_copy(sql::Stmt& candidates, std::int64_t simhash,
                                            std::optional<std::int64_t> self,
                                            const std::optional<std::string>& title) {
  std::vector<CopyCandidate> rows;
  {
    sql::StmtScope scope(candidates);
    static const char* const kBands[] = {":b0", ":b1", ":b2", ":b3"};
    for (int i = 0; i < 4; ++i) candidates.bind(kBands[i], simhash_band(simhash, i));
    candidates.bind(":k", kCandidatesPerBand).bind(":h", simhash).bind(":title", title);
    while (candidates.step())
      rows.push_back({candidates.i64(0), candidates.opt_i64(1), candidates.opt_i64(2),
                      candidates.opt_text(3)});
  }
  return first_copy(rows, simhash, self, title);
}

std::optional<std::int64_t> first_copy(const std::vector<CopyCandidate>& candidates,
                                       std::int64_t simhash, std::optional<std::int64_t> self,
                                       const std::optional<std::string>& title) {
  std::optional<std::int64_t> best;
  std::vector<std::int64_t> seen;  // a candidate may come from several bands
  for (const CopyCandidate& c : candidates) {
    if (!c.simhash || (self && c.id == *self)) continue;
    if (std::find(seen.begin(), seen.end(), c.id) != seen.end()) continue;
    seen.push_back(c.id);
    if (hamming(*c.simhash, simhash) > kNearDuplicateBits) continue;
    // A reprint keeps its headline; templated notices (same body but for a number or a name)
    // do not share one. Headlines compare without white space, one may contain the other
    // ("转载:" prefixes, site suffixes).
    if (title && c.title && !same_headline(*title, *c.title)) continue;
    const std::int64_t root = c.duplicate_of.value_or(c.id);
    if (self && root == *self) continue;
    if (!best || root < *best) best = root;
  }
  return best;
}

void migrate(sqlite3* db, const std::string& path, int from, int to) {
  for (int v = from; v < to; ++v) {
    switch (v) {
      case 0:
        sql::exec(db, path, v1_sql());
        break;
      case 1:
        sql::exec(db, path, v2_sql());
        fingerprint_existing(db, path);
        break;
      case 2:
        sql::exec(db, path, v3_sql());
        break;
      case 3:
        sql::exec(db, path, v4_sql());
        break;
      case 4:
        sql::exec(db, path, v5_sql());
        break;
      case 5:
        sql::exec(db, path, v6_sql());
        break;
      case 6:
        sql::exec(db, path, v7_sql());
        break;
      case 7:
        sql::exec(db, path, v8_sql());
        break;
      default:
        throw StoreError(path + ": no migration from schema version " + std::to_string(v));
    }
  }
  sql::exec(db, path, "PRAGMA user_version = " + std::to_string(to));
}

}  // namespace nh::store::schema
