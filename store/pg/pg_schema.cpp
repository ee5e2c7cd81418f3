// The PostgreSQL schema (docs/SCHEMA.md, "PostgreSQL"): the SQLite store's tables and views in
// PostgreSQL's types, plus what many workers need (frontier leases, runs' heartbeats, host
// slots). Versioned like the SQLite schema: nh_schema.version, migrations in order, each step
// in the opening transaction under an advisory lock, so workers starting together create it once.
#include "store/pg/pg_schema.h"

#include <string>

namespace nh::store::pg {
namespace {

const char* v1_sql() {
  return R"sql(
CREATE TABLE nh_schema (
  application text NOT NULL CHECK (application = 'newsharvest'),
  version     integer NOT NULL
);
INSERT INTO nh_schema VALUES ('newsharvest', 0);

CREATE TABLE sites (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runs (
  id                 bigserial PRIMARY KEY,
  site_id            bigint REFERENCES sites(id),
  started_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  status             text NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'ok', 'degraded', 'failed', 'interrupted')),
  worker             text,
  heartbeat_at       timestamptz NOT NULL DEFAULT now(),
  pages_fetched      bigint NOT NULL DEFAULT 0,
  pages_failed       bigint NOT NULL DEFAULT 0,
  articles_new       bigint NOT NULL DEFAULT 0,
  articles_changed   bigint NOT NULL DEFAULT 0,
  articles_unchanged bigint NOT NULL DEFAULT 0,
  links_enqueued     bigint NOT NULL DEFAULT 0,
  requests           bigint NOT NULL DEFAULT 0,
  not_modified       bigint NOT NULL DEFAULT 0,
  list_pages         bigint NOT NULL DEFAULT 0,
  list_article_links bigint NOT NULL DEFAULT 0,
  alarms             jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX runs_site ON runs(site_id, id);
CREATE INDEX runs_running ON runs(site_id) WHERE status = 'running';

CREATE TABLE raw_pages (
  id            bigserial PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES sites(id),
  url           text NOT NULL,
  final_url     text NOT NULL,
  status        integer NOT NULL,
  content_type  text,
  etag          text,
  last_modified text,
  charset       text,
  fetched_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  content_hash  text NOT NULL,
  size          bigint NOT NULL,
  body          bytea NOT NULL,  -- zstd-compressed, as in SQLite
  UNIQUE (url, content_hash)
);

CREATE TABLE articles (
  id              bigserial PRIMARY KEY,
  url             text NOT NULL UNIQUE,
  site_id         bigint NOT NULL REFERENCES sites(id),
  final_url       text NOT NULL,
  site            text,
  section         text,
  title           text,
  subtitle        text,
  published_at    text,
  published_date  text,
  published_time  text,
  reporters       jsonb NOT NULL DEFAULT '[]',
  source          text,
  body            text,
  language        text,
  charset         text,
  provenance      jsonb NOT NULL DEFAULT '{}',
  content_hash    text NOT NULL,
  version         integer NOT NULL DEFAULT 1,
  first_seen_at   timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  raw_page_id     bigint REFERENCES raw_pages(id),
  run_id          bigint REFERENCES runs(id),
  simhash         bigint,
  duplicate_of    bigint REFERENCES articles(id) DEFERRABLE,  -- migrate-db copies in id order
  page_count      integer NOT NULL DEFAULT 1 CHECK (page_count >= 1),
  title_terms     text,
  body_terms      text,
  indexed_version integer,
  search          tsvector
);
CREATE INDEX articles_site_date ON articles(site_id, published_date);
CREATE INDEX articles_simhash_b0 ON articles((simhash & 65535));
CREATE INDEX articles_simhash_b1 ON articles(((simhash >> 16) & 65535));
CREATE INDEX articles_simhash_b2 ON articles(((simhash >> 32) & 65535));
CREATE INDEX articles_simhash_b3 ON articles(((simhash >> 48) & 65535));
CREATE INDEX articles_simhash_title ON articles(simhash, title);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_unindexed ON articles(id) WHERE indexed_version IS DISTINCT FROM version;
CREATE INDEX articles_search ON articles USING gin(search);

CREATE TABLE contributors (
  article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  position   integer NOT NULL,
  name       text NOT NULL,
  role       text NOT NULL CHECK (role IN ('reporter', 'correspondent', 'intern', 'photographer',
                                           'editor', 'reviewer', 'translator', 'author')),
  PRIMARY KEY (article_id, position)
);
CREATE INDEX contributors_name ON contributors(name, role);

CREATE TABLE article_history (
  id             bigserial PRIMARY KEY,
  article_id     bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  version        integer NOT NULL,
  replaced_at    timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  final_url      text NOT NULL,
  site           text,
  section        text,
  title          text,
  subtitle       text,
  published_at   text,
  published_date text,
  reporters      jsonb NOT NULL,
  contributors   jsonb NOT NULL,
  source         text,
  body           text,
  language       text,
  charset        text,
  provenance     jsonb NOT NULL,
  content_hash   text NOT NULL,
  raw_page_id    bigint REFERENCES raw_pages(id),
  UNIQUE (article_id, version)
);

CREATE TABLE article_pages (
  article_id  bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  page        integer NOT NULL,
  raw_page_id bigint NOT NULL REFERENCES raw_pages(id),
  PRIMARY KEY (article_id, page)
);
CREATE INDEX article_pages_raw_page ON article_pages(raw_page_id);

-- The frontier, shared by every worker of a site: a claimed row (in_progress) carries the
-- claiming run (lease_owner) and when the claim lapses (lease_until). A worker that dies loses
-- its claims when they lapse; any other worker may take them then.
CREATE TABLE frontier (
  id              bigserial PRIMARY KEY,
  url             text NOT NULL UNIQUE,
  site_id         bigint NOT NULL REFERENCES sites(id),
  kind            text NOT NULL,
  depth           integer NOT NULL DEFAULT 0,
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'in_progress', 'done', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  referrer        text,
  discovered_at   timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  run_id          bigint REFERENCES runs(id),
  lease_owner     bigint,
  lease_until     timestamptz,
  done_at         timestamptz
);
CREATE INDEX frontier_site_due ON frontier(site_id, state, next_attempt_at, depth);
CREATE INDEX frontier_leases ON frontier(site_id, lease_until) WHERE state = 'in_progress';
CREATE INDEX frontier_owner ON frontier(lease_owner) WHERE state = 'in_progress';

-- Per-host politeness across workers: the earliest time the next request to a host may start,
-- and the largest delay a worker of the current crawl asked for (a worker that has not read the
-- host's robots.txt yet does not know its Crawl-delay; the others do).
CREATE TABLE host_slots (
  host         text PRIMARY KEY,
  next_at      timestamptz NOT NULL,
  delay_ms     integer NOT NULL DEFAULT 0,
  waiter       bigint,      -- the worker next in line (refused first), until waiter_until
  waiter_until timestamptz
);

CREATE TABLE fetches (
  id          bigserial PRIMARY KEY,
  run_id      bigint REFERENCES runs(id),
  site_id     bigint NOT NULL REFERENCES sites(id),
  url         text NOT NULL,
  status      integer,
  error       text,
  elapsed_ms  bigint,
  fetched_at  timestamptz NOT NULL DEFAULT now(),
  raw_page_id bigint REFERENCES raw_pages(id)
);
CREATE INDEX fetches_run ON fetches(run_id);

CREATE TABLE page_cache (
  url           text PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES sites(id),
  etag          text,
  last_modified text,
  content_type  text,
  fetched_at    timestamptz NOT NULL,
  checked_at    timestamptz NOT NULL,
  size          bigint NOT NULL,
  body          bytea NOT NULL
);
CREATE INDEX page_cache_site ON page_cache(site_id);

CREATE TABLE run_sites (
  run_id       bigint NOT NULL REFERENCES runs(id),
  site_id      bigint NOT NULL REFERENCES sites(id),
  articles     bigint NOT NULL DEFAULT 0,
  new          bigint NOT NULL DEFAULT 0,
  changed      bigint NOT NULL DEFAULT 0,
  title        bigint NOT NULL DEFAULT 0,
  published_at bigint NOT NULL DEFAULT 0,
  reporters    bigint NOT NULL DEFAULT 0,
  section      bigint NOT NULL DEFAULT 0,
  source       bigint NOT NULL DEFAULT 0,
  body         bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, site_id)
);
CREATE INDEX run_sites_site ON run_sites(site_id, run_id);

CREATE TABLE crawl_seen (
  run_id   bigint NOT NULL,
  url_hash bigint NOT NULL,
  PRIMARY KEY (run_id, url_hash)
);

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
  FROM articles a JOIN sites s ON s.id = a.site_id,
       jsonb_array_elements_text(a.reporters) r(value)
  GROUP BY s.name, r.value;

CREATE VIEW fill_rates AS
  SELECT s.name AS site,
         count(*) AS articles,
         avg((a.title IS NOT NULL)::int) AS title,
         avg((a.subtitle IS NOT NULL)::int) AS subtitle,
         avg((a.published_at IS NOT NULL)::int) AS published_at,
         avg((a.reporters <> '[]'::jsonb)::int) AS reporters,
         avg((a.section IS NOT NULL)::int) AS section,
         avg((a.source IS NOT NULL)::int) AS source,
         avg((a.body IS NOT NULL)::int) AS body,
         sum((a.duplicate_of IS NOT NULL)::int) AS duplicates
  FROM articles a JOIN sites s ON s.id = a.site_id
  GROUP BY s.name;

CREATE VIEW duplicates AS
  SELECT d.id AS id, d.url AS url, sd.name AS site, d.title AS title,
         o.id AS original_id, o.url AS original_url, so.name AS original_site
  FROM articles d
  JOIN articles o ON o.id = d.duplicate_of
  JOIN sites sd ON sd.id = d.site_id
  JOIN sites so ON so.id = o.site_id;

CREATE VIEW recent_runs AS
  SELECT r.id AS run_id, s.name AS site, r.started_at, r.finished_at, r.status,
         round(extract(epoch FROM r.finished_at - r.started_at))::bigint AS duration_s,
         r.requests, r.not_modified, r.pages_fetched, r.pages_failed, r.list_pages,
         r.list_article_links, r.articles_new, r.articles_changed, r.articles_unchanged,
         r.links_enqueued, jsonb_array_length(r.alarms) AS alarm_count, r.alarms, r.worker
  FROM runs r LEFT JOIN sites s ON s.id = r.site_id;
)sql";
}

struct Step {
  int version;
  const char* (*sql)();
};
constexpr Step kSteps[] = {{1, v1_sql}};

// pg_advisory_xact_lock key of schema creation/migration ("NHST").
constexpr std::int64_t kSchemaLock = 0x4E485354;

}  // namespace

int open_schema(Conn& c, bool read_only) {
  const auto current = [&]() -> int {
    const Result r = c.exec(
        "SELECT to_regclass('nh_schema') IS NOT NULL, "
        "(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())");
    if (!r.boolean(0, 0)) {
      if (r.i64(0, 1) > 0)
        throw StoreError(c.name() +
                         ": not a newsharvest database (it has tables but no "
                         "nh_schema); refusing to write to it");
      return 0;
    }
    const Result v = c.exec("SELECT version, application FROM nh_schema");
    if (v.rows() != 1) throw StoreError(c.name() + ": nh_schema must hold one row");
    return static_cast<int>(v.i64(0, 0));
  };
  int version = current();
  if (version > kPgSchemaVersion)
    throw StoreError(c.name() + ": schema version " + std::to_string(version) +
                     " is newer than this newsharvest (" + std::to_string(kPgSchemaVersion) +
                     "); upgrade newsharvest");
  if (version == kPgSchemaVersion) return version;
  if (read_only && version == 0)
    throw StoreError(c.name() + ": no newsharvest schema in this database (crawl into it first)");
  if (read_only)
    throw StoreError(c.name() + ": schema version " + std::to_string(version) +
                     " needs migrating; open it once read-write");
  Transaction tx(c);
  c.exec("SELECT pg_advisory_xact_lock($1)", {kSchemaLock});
  version = current();  // another worker may have done it meanwhile
  for (const Step& s : kSteps) {
    if (s.version <= version) continue;
    c.script(s.sql());
    c.exec("UPDATE nh_schema SET version = $1", {s.version});
    version = s.version;
  }
  tx.commit();
  return version;
}

}  // namespace nh::store::pg
