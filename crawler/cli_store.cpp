// Commands over the database: export, stats, reextract, search, index (DESIGN.md §3).
//
// Exit codes: 0 ok; 1 storage/runtime failure (StoreError, reported by main.cpp with the file
// name); 2 usage (CLI11 errors, UsageError for a malformed --since).
// export and stats open the database read-only, so they work on read-only files and while a
// crawl writes; reextract opens it read-write. The store library never calls the extractor
// (store -> extract is records only): reextract parses here and hands Pages to the store.
// A multi-page article is rebuilt from all its linked pages (article_pages), joined with the
// crawler's join_pages, so an unchanged extractor reproduces the crawled record exactly.
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "crawler/cli.h"
#include "crawler/ingest.h"
#include "crawler/join.h"
#include "crawler/urls.h"
#include "extract/extract.h"
#include "extract/record.h"
#include "store/pg/pg_migrate.h"
#include "store/pg/pg_store.h"
#include "store/search_text.h"
#include "store/store.h"

namespace nh::cli {
namespace {

constexpr const char* kDefaultDb = "./data/newsharvest.db";

struct ExportArgs {
  std::string db = kDefaultDb;
  std::string format = "jsonl";
  std::string site;
  std::string since;
};

struct StatsArgs {
  std::string db = kDefaultDb;
  bool json = false;
};

struct SearchArgs {
  std::string db = kDefaultDb;
  std::string query;
  std::string site;
  std::string since;
  int limit = 20;
  std::string format = "jsonl";
  bool match_expression = false;
};

struct MigrateArgs {
  std::string src;
  std::string dst;
};

struct IndexArgs {
  std::string db = kDefaultDb;
};

struct ReextractArgs {
  std::string db = kDefaultDb;
  std::string site;
  int batch = 200;
};

store::OpenOptions read_only() {
  store::OpenOptions o;
  o.read_only = true;
  return o;
}

store::OpenOptions existing() {  // reextract has nothing to do on a database that is not there
  store::OpenOptions o;
  o.create = false;
  return o;
}

// Runs fn on the database `db` names: PostgreSQL for a postgresql:// URL (store/pg/), else the
// SQLite file. Both stores offer the same reads, batches and search (fn is generic).
template <class F>
int with_store(const std::string& db, bool write, F&& fn) {
  if (store::pg::is_url(db)) {
    store::pg::PgOptions o;
    o.read_only = !write;
    auto st = store::pg::PgStore::open(db, o);
    return fn(st);
  }
  auto st = store::Store::open(db, write ? existing() : read_only());
  return fn(st);
}

std::optional<std::string> opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

bool is_iso_date(const std::string& s) {
  return nh::store::published_date(s).has_value() && s.size() == 10;
}

extract::Page to_page(const store::StoredArticle& a) {
  extract::Page p;
  p.url = a.url;
  p.final_url = a.final_url;
  p.kind = extract::PageKind::article;
  p.charset = a.charset.value_or("");
  p.article = a.article;
  p.provenance = a.provenance;
  return p;
}

// RFC 4180: quote a field when it holds a comma, quote, CR or LF; double embedded quotes.
void csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void csv_opt(std::string& out, const std::optional<std::string>& v) {
  if (v) csv_field(out, *v);  // NULL is the empty field
}

// The CSV columns: the keys, the record's fields (store::article_fields(), record order), the
// derived date columns and the bookkeeping analysts join on.
std::string csv_header() {
  std::string h = "id,url,final_url,profile";
  for (const auto& f : store::article_fields()) h += std::string(",") + f.name;
  return h + ",published_date,published_time,charset,duplicate_of\r\n";
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int run_export(const ExportArgs& a) {
  if (!a.since.empty() && !is_iso_date(a.since))
    throw UsageError("export: --since wants a date YYYY-MM-DD, got '" + a.since + "'");
  return with_store(a.db, false, [&](auto& store) -> int {
    const bool csv = a.format == "csv";
    std::string line;
    if (csv) std::cout << csv_header();
    // One row in memory at a time: the store streams from one statement.
    store.for_each_article({opt(a.site), opt(a.since)}, [&](const store::StoredArticle& r) {
      line.clear();
      const auto& pa = r.article.published_at;
      const auto pdate = pa ? store::published_date(*pa) : std::nullopt;
      const auto ptime = pa ? store::published_time(*pa) : std::nullopt;
      auto opt_json = [](const auto& v) {
        return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
      };
      if (!csv) {
        // The keys analysts join on first, then the DESIGN.md §4 record.
        nlohmann::ordered_json j = {{"id", r.id},
                                    {"duplicate_of", opt_json(r.duplicate_of)},
                                    {"profile", r.site_name},
                                    {"published_date", opt_json(pdate)},
                                    {"published_time", opt_json(ptime)}};
        const nlohmann::ordered_json record = extract::to_json(to_page(r));
        for (auto it = record.begin(); it != record.end(); ++it) j[it.key()] = it.value();
        line = dump(j);
        line += '\n';
      } else {
        std::vector<std::optional<std::string>> row = {std::to_string(r.id), r.url, r.final_url,
                                                       r.site_name};
        for (const auto& f : store::article_fields()) row.push_back(f.get(r.article));
        row.push_back(pdate);
        row.push_back(ptime);
        row.push_back(r.charset);
        row.push_back(r.duplicate_of ? std::optional(std::to_string(*r.duplicate_of))
                                     : std::nullopt);
        for (size_t i = 0; i < row.size(); ++i) {
          if (i) line += ',';
          csv_opt(line, row[i]);
        }
        line += "\r\n";
      }
      std::cout << line;
    });
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "newsharvest export: error writing to stdout\n";
      return kFailure;
    }
    return kOk;
  });
}

std::string pct(std::int64_t n, std::int64_t total) {
  if (total == 0) return "-";
  std::ostringstream s;
  s << std::fixed << std::setprecision(1)
    << (100.0 * static_cast<double>(n) / static_cast<double>(total)) << "%";
  return s.str();
}

double rate(std::int64_t n, std::int64_t total) {
  return total == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(total);
}

nlohmann::ordered_json run_json(const std::optional<store::RunInfo>& r) {
  if (!r) return nullptr;
  return {{"id", r->id},
          {"started_at", r->started_at},
          {"finished_at", r->finished_at ? nlohmann::ordered_json(*r->finished_at)
                                         : nlohmann::ordered_json(nullptr)},
          {"status", r->status}};
}

std::string run_text(const std::optional<store::RunInfo>& r) {
  if (!r) return "never";
  return "#" + std::to_string(r->id) + " " + r->status + ", started " + r->started_at +
         (r->finished_at ? ", finished " + *r->finished_at : std::string(", not finished"));
}

// Seconds between two store timestamps ("YYYY-MM-DDTHH:MM:SSZ"); nullopt when either is not one.
std::optional<std::int64_t> seconds_between(const std::string& from, const std::string& to) {
  auto parse = [](const std::string& t) -> std::optional<std::int64_t> {
    std::tm tm{};
    if (t.size() != 20 || ::strptime(t.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr)
      return std::nullopt;
    return static_cast<std::int64_t>(::timegm(&tm));
  };
  const auto a = parse(from), b = parse(to);
  if (!a || !b) return std::nullopt;
  return *b - *a;
}

// "1h02m03s", "4m05s", "9s".
std::string duration_text(std::int64_t s) {
  char buf[48];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lldh%02lldm%02llds", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60), static_cast<long long>(s % 60));
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  else
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  return buf;
}

// How long a run took: "running" while it runs, "unfinished" for one that never finished
// (interrupted, abandoned), else its duration.
std::string run_duration(const store::RunSummary& r) {
  if (r.status == "running") return "running";
  if (!r.finished_at) return "unfinished";
  const auto s = seconds_between(r.started_at, *r.finished_at);
  return s ? duration_text(*s) : "?";
}

nlohmann::ordered_json fill_json(const store::FillCounts& f) {
  return {{"articles", f.articles},
          {"title", f.title},
          {"published_at", f.published_at},
          {"reporters", f.reporters},
          {"section", f.section},
          {"source", f.source},
          {"body", f.body}};
}

nlohmann::ordered_json recent_runs_json(const std::vector<store::RunSummary>& runs) {
  auto arr = nlohmann::ordered_json::array();
  for (const auto& r : runs) {
    const auto& c = r.counts;
    arr.push_back({{"id", r.id},
                   {"started_at", r.started_at},
                   {"finished_at", r.finished_at ? nlohmann::ordered_json(*r.finished_at)
                                                 : nlohmann::ordered_json(nullptr)},
                   {"status", r.status},
                   {"pages_fetched", c.pages_fetched},
                   {"pages_failed", c.pages_failed},
                   {"requests", c.requests},
                   {"not_modified", c.not_modified},
                   {"articles_new", c.articles_new},
                   {"articles_changed", c.articles_changed},
                   {"list_pages", c.list_pages},
                   {"list_article_links", c.list_article_links},
                   {"fill", fill_json(r.fill)},
                   {"alarms", r.alarms}});
  }
  return arr;
}

int run_stats(const StatsArgs& a) {
  return with_store(a.db, false, [&](auto& store) -> int {
    const auto sites = store.site_stats();
    if (a.json) {
      auto out = nlohmann::ordered_json::object();
      out["db"] = a.db;
      out["schema_version"] = store.schema_version();
      out["index_pending"] = store.index_lag();
      auto arr = nlohmann::ordered_json::array();
      for (const auto& s : sites) {
        const auto& f = s.fill;
        arr.push_back({{"site", s.site},
                       {"articles", f.articles},
                       {"duplicates", s.duplicates},
                       {"last_run", run_json(s.last_run)},
                       {"last_success", run_json(s.last_success)},
                       {"fill_rates",
                        {{"title", rate(f.title, f.articles)},
                         {"published_at", rate(f.published_at, f.articles)},
                         {"reporters", rate(f.reporters, f.articles)},
                         {"section", rate(f.section, f.articles)},
                         {"source", rate(f.source, f.articles)},
                         {"body", rate(f.body, f.articles)}}},
                       {"recent_runs", recent_runs_json(s.recent_runs)}});
      }
      out["sites"] = std::move(arr);
      std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return kOk;
    }
    std::cout << a.db << " (schema version " << store.schema_version() << "): " << sites.size()
              << (sites.size() == 1 ? " site\n" : " sites\n");
    if (const auto lag = store.index_lag(); lag == 0)
      std::cout << "search index: up to date\n";
    else
      std::cout << "search index: " << lag << " articles not indexed yet (indexed after each crawl "
                << "batch; `newsharvest index` catches up now)\n";
    for (const auto& s : sites) {
      const auto& f = s.fill;
      std::cout << "\n"
                << s.site << ": " << f.articles << " articles, " << s.duplicates << " duplicates\n"
                << "  last run:     " << run_text(s.last_run) << "\n"
                << "  last success: " << run_text(s.last_success) << "\n"
                << "  filled:       title " << pct(f.title, f.articles) << "  published_at "
                << pct(f.published_at, f.articles) << "  reporters " << pct(f.reporters, f.articles)
                << "  section " << pct(f.section, f.articles) << "  source "
                << pct(f.source, f.articles) << "  body " << pct(f.body, f.articles) << "\n";
      if (s.recent_runs.empty()) continue;
      std::cout << "  recent runs:\n";
      for (const auto& r : s.recent_runs) {
        const auto& c = r.counts;
        std::cout << "    #" << r.id << "  " << r.started_at << "  " << run_duration(r) << "  "
                  << r.status << "  pages " << c.pages_fetched << " fetched, " << c.pages_failed
                  << " failed  requests " << c.requests << ", " << c.not_modified
                  << " not modified (304)  articles " << c.articles_new << " new, "
                  << c.articles_changed << " changed\n";
        for (const auto& alarm : r.alarms) std::cout << "      alarm: " << alarm << "\n";
      }
    }
    return kOk;
  });
}

int run_reextract(const ReextractArgs& a) {
  return with_store(a.db, true, [&](auto& store) -> int {
    std::int64_t after = 0, seen = 0, changed = 0, unchanged = 0, skipped = 0, multi_page = 0;
    std::map<std::string, std::int64_t> fields;
    // The site's profile (sites.name is the profile name), when one is found: its forced charset,
    // time zone and section fallback are applied as in the crawl. Without it the charset is
    // detected, dates use the default zone, and a section the profile once supplied is kept.
    // Each site's ingest (crawler/ingest.h), built once; the profiles they point to live here.
    std::map<std::string, std::unique_ptr<config::Config>> profiles;
    std::map<std::string, crawler::Ingest> ingests;
    auto ingest_of = [&](const std::string& site) -> const crawler::Ingest& {
      auto it = ingests.find(site);
      if (it != ingests.end()) return it->second;
      try {
        auto cfg = std::make_unique<config::Config>(config::load_profile(config::find_site(site)));
        const config::Config& ref = *cfg;
        profiles.emplace(site, std::move(cfg));
        return ingests.emplace(site, crawler::Ingest(ref)).first->second;
      } catch (const config::ConfigError& e) {
        std::cerr << "newsharvest reextract: no usable profile for site " << site
                  << " (re-extracting with defaults): " << e.what() << "\n";
      }
      return ingests.emplace(site, crawler::Ingest(site)).first->second;
    };
    for (;;) {
      // Read a page of archived responses, then write their records in one transaction: the
      // read statement is finished before the batch starts, so nothing scans a table it writes.
      const auto pages = store.archived_pages(opt(a.site), after, a.batch);
      if (pages.empty()) break;
      after = pages.back().article_id;
      auto batch = store.begin_batch();
      for (const auto& p : pages) {
        ++seen;
        // A record joined from more pages than are linked (multi-page articles stored before
        // schema 4 link only page 1): re-extracting the linked pages alone would cut its body.
        if (p.page_count != static_cast<std::int64_t>(p.pages.size())) {
          ++multi_page;
          continue;
        }
        // The crawl's options for each page (Ingest::parse_options): the URL requested, the
        // final URL, the Content-Type of that page's response, the profile's charset and zone.
        const crawler::Ingest& ingest = ingest_of(p.site);
        std::vector<extract::Page> parsed;
        parsed.reserve(p.pages.size());
        for (const store::ArchivedRaw& raw : p.pages) {
          parsed.push_back(extract::parse(
              raw.bytes,
              ingest.parse_options(raw.url, raw.final_url, raw.content_type.value_or(""))));
        }
        std::vector<const extract::Page*> parts;
        for (const auto& page : parsed) parts.push_back(&page);
        extract::Page page = crawler::join_pages(parts);
        // Decided on page 1's final URL, as the crawl decides (its canonical URL was chosen after).
        const store::ArchivedRaw& first = p.pages.front();
        const crawler::UrlResult fin =
            crawler::normalize(first.final_url.empty() ? first.url : first.final_url);
        if (!ingest.is_article(page, fin ? fin.url : p.url)) {
          // The current extractor and profile no longer see an article here (the crawl's own
          // decision, Ingest::is_article); keep the stored record rather than overwrite it with
          // empty fields, and say so.
          ++skipped;
          continue;
        }
        const auto stored = store.find_article(p.url);
        const auto r =
            ingest.store(batch, p.url, std::move(page), nullptr, {}, stored ? &*stored : nullptr);
        if (r.outcome == store::Upsert::updated) {
          ++changed;
          for (const auto& f : r.changed_fields) ++fields[f];
        } else {
          ++unchanged;
        }
      }
      batch.commit();
    }
    if (changed > 0) store.index_pending();  // changed records searchable in their new version
    std::cout << "reextract: " << seen << " archived articles: " << changed << " changed, "
              << unchanged << " unchanged";
    if (skipped) std::cout << ", " << skipped << " skipped (no longer extracted as an article)";
    if (multi_page)
      std::cout << ", " << multi_page
                << " kept (joined from pages that are not all linked: recrawl to link them)";
    std::cout << "\n";
    for (const auto& [f, n] : fields) std::cout << "  " << f << ": " << n << "\n";
    return kOk;
  });
}

int run_search(const SearchArgs& a) {
  if (!a.since.empty() && !is_iso_date(a.since))
    throw UsageError("search: --since wants a date YYYY-MM-DD, got '" + a.since + "'");
  const std::string match = store::search::match_expression(a.query);
  if (match.empty()) throw UsageError("search: the query has nothing to search for");
  if (a.match_expression) {
    // For other tools: sqlite3, sqlite-utils search, Datasette (docs/SCHEMA.md).
    std::cout << match << "\n";
    return kOk;
  }
  return with_store(a.db, false, [&](auto& store) -> int {
    const auto hits = store.search({a.query, opt(a.site), opt(a.since), a.limit});
    const bool csv = a.format == "csv";
    if (csv)
      std::cout
          << "id,profile,url,title,published_date,published_at,duplicate_of,score,snippet\r\n";
    for (const auto& h : hits) {
      std::string line;
      if (csv) {
        const std::optional<std::string> row[] = {
            std::to_string(h.id),
            h.site_name,
            h.url,
            h.title,
            h.published_date,
            h.published_at,
            h.duplicate_of ? std::optional(std::to_string(*h.duplicate_of)) : std::nullopt,
            std::to_string(h.score),
            h.snippet};
        for (size_t i = 0; i < std::size(row); ++i) {
          if (i) line += ',';
          csv_opt(line, row[i]);
        }
        line += "\r\n";
      } else {
        auto oj = [](const auto& v) {
          return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
        };
        nlohmann::ordered_json j = {{"id", h.id},
                                    {"profile", h.site_name},
                                    {"url", h.url},
                                    {"site", oj(h.site)},
                                    {"title", oj(h.title)},
                                    {"published_date", oj(h.published_date)},
                                    {"published_at", oj(h.published_at)},
                                    {"duplicate_of", oj(h.duplicate_of)},
                                    {"score", h.score},
                                    {"snippet", h.snippet}};
        line = dump(j) + "\n";
      }
      std::cout << line;
    }
    if (const auto lag = store.index_lag(); lag > 0)
      std::cerr << "newsharvest search: " << lag
                << " articles are not indexed yet and cannot be found (run `newsharvest index`)\n";
    std::cout.flush();
    return std::cout ? kOk : kFailure;
  });
}

int run_index(const IndexArgs& a) {
  return with_store(a.db, true, [&](auto& store) -> int {
    const std::int64_t n = store.index_pending();
    std::cout << "index: " << n << " articles indexed, " << store.index_lag() << " pending\n";
    return kOk;
  });
}

// migrate-db SRC DST: SQLite into PostgreSQL or back (store/pg/pg_migrate.h).
int run_migrate(const MigrateArgs& a) {
  const bool src_pg = store::pg::is_url(a.src), dst_pg = store::pg::is_url(a.dst);
  if (src_pg == dst_pg)
    throw UsageError(
        "migrate-db: give one SQLite file and one postgresql:// URL (SQLite into PostgreSQL, or "
        "back); to copy within one backend use the backend's own tools (cp, pg_dump)");
  store::pg::CopyReport report;
  if (!src_pg) {
    auto src = store::Store::open(a.src, read_only());
    auto dst = store::pg::PgStore::open(a.dst);
    report = store::pg::copy_sqlite_to_pg(src, dst);
  } else {
    store::pg::PgOptions ro;
    ro.read_only = true;
    auto src = store::pg::PgStore::open(a.src, ro);
    auto dst = store::Store::open(a.dst);
    report = store::pg::copy_pg_to_sqlite(src, dst);
  }
  std::cout << "migrate-db: " << store::pg::redact(a.src) << " -> " << store::pg::redact(a.dst)
            << ":";
  for (const auto& [table, n] : report) std::cout << " " << table << " " << n;
  std::cout << "\n";
  return kOk;
}

}  // namespace

void add_store_commands(CLI::App& app, Registry& registry) {
  {
    auto args = std::make_shared<ExportArgs>();
    CLI::App* sub = app.add_subcommand("export", "Stream stored articles as JSONL or CSV");
    sub->add_option("--db", args->db, "SQLite file or postgresql:// URL")->capture_default_str();
    sub->add_option("--format", args->format, "jsonl (DESIGN.md §4 records) or csv (RFC 4180)")
        ->check(CLI::IsMember({"jsonl", "csv"}))
        ->capture_default_str();
    sub->add_option("--site", args->site, "Only this site (profile name)");
    sub->add_option("--since", args->since, "Only articles published on or after YYYY-MM-DD");
    registry[sub] = [args] { return run_export(*args); };
  }
  {
    auto args = std::make_shared<StatsArgs>();
    CLI::App* sub = app.add_subcommand("stats", "Per-site counts, runs and field fill rates");
    sub->add_option("--db", args->db, "SQLite file or postgresql:// URL")->capture_default_str();
    sub->add_flag("--json", args->json, "Machine-readable output");
    registry[sub] = [args] { return run_stats(*args); };
  }
  {
    auto args = std::make_shared<ReextractArgs>();
    CLI::App* sub = app.add_subcommand(
        "reextract", "Rebuild articles from archived raw pages with the current extractor");
    sub->add_option("--db", args->db, "SQLite file or postgresql:// URL")->capture_default_str();
    sub->add_option("--site", args->site, "Only this site (profile name)");
    sub->add_option("--batch", args->batch, "Articles per transaction")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    registry[sub] = [args] { return run_reextract(*args); };
  }
  {
    auto args = std::make_shared<SearchArgs>();
    CLI::App* sub = app.add_subcommand(
        "search", "Full-text search (Chinese at every word length), ranked, with snippets");
    sub->add_option("query", args->query, "Words or phrases; every part must match")->required();
    sub->add_option("--db", args->db, "SQLite file or postgresql:// URL")->capture_default_str();
    sub->add_option("--site", args->site, "Only this site (profile name)");
    sub->add_option("--since", args->since, "Only articles published on or after YYYY-MM-DD");
    sub->add_option("--limit", args->limit, "At most N results (0: all)")->capture_default_str();
    sub->add_option("--format", args->format, "jsonl or csv")
        ->check(CLI::IsMember({"jsonl", "csv"}))
        ->capture_default_str();
    sub->add_flag("--match-expression", args->match_expression,
                  "Print the FTS5 MATCH expression of the query (for sqlite3, sqlite-utils, "
                  "Datasette) and exit");
    registry[sub] = [args] { return run_search(*args); };
  }
  {
    auto args = std::make_shared<IndexArgs>();
    CLI::App* sub = app.add_subcommand(
        "index", "Bring the full-text index up to date (crawls do this after every batch)");
    sub->add_option("--db", args->db, "SQLite file or postgresql:// URL")->capture_default_str();
    registry[sub] = [args] { return run_index(*args); };
  }
  {
    auto args = std::make_shared<MigrateArgs>();
    CLI::App* sub = app.add_subcommand(
        "migrate-db",
        "Copy a database between SQLite and PostgreSQL (into an empty destination; nothing lost)");
    sub->add_option("SRC", args->src, "SQLite file or postgresql:// URL to copy from")->required();
    sub->add_option("DST", args->dst, "postgresql:// URL or SQLite file to copy into")->required();
    registry[sub] = [args] { return run_migrate(*args); };
  }
}

}  // namespace nh::cli
