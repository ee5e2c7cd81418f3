// Commands: `crawl` (a site profile into the database) and `fetch` (pages, politely, printed as
// records — JSON lines by default, see cli_batch.h; stored only with --db). Logs and progress go
// to stderr; `fetch` prints the records on stdout and nothing else.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "crawler/cli.h"
#include "crawler/cli_batch.h"
#include "crawler/crawl.h"
#include "crawler/crawl_store_pg.h"
#include "crawler/ingest.h"
#include "crawler/lock.h"
#include "crawler/urls.h"
#include "extract/markdown.h"
#include "extract/record.h"
#include "store/pg/pg_store.h"
#include "store/store.h"

namespace nh::cli {
namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int sig) {
  g_signal = sig;
  g_stop.store(true);
}

// SIGINT / SIGTERM: the crawl stops cleanly (in-flight requests get a short grace, the batch
// commits, the run is recorded as interrupted, the frontier kept for the next run) and exits
// 128 + the signal (130 / 143). SA_RESETHAND: a second signal kills at once — still safe, the
// open transaction is rolled back by SQLite.
struct SignalGuard {
  struct sigaction old_int {
  }, old_term{};
  SignalGuard() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
  }
};

struct CrawlArgs {
  std::string site;
  std::string config_file;
  std::string db;
  std::int64_t max_pages = -1;
  int workers = -1;               // --workers; -1 = the profile's
  int concurrency = -1;           // --concurrency; -1 = the profile's
  int connections_per_host = -1;  // --connections-per-host; -1 = the profile's
  bool progress = false;
  bool quiet = false;
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  bool allow_private = false;
  std::vector<std::string> overrides;  // -s KEY=VALUE
  std::string max_time;                // --max-time DURATION
  bool dry_run = false;
  int lease_seconds = 60;  // --lease (PostgreSQL): a dead worker's URLs are retaken after this
};

config::Config load(const std::string& site, const std::string& file,
                    const std::vector<std::string>& overrides = {}) {
  if (!file.empty()) return config::load_profile(file, overrides);
  return config::load_profile(config::find_site(site), overrides);
}

// "30s", "10m", "2h", "1h30m", "500ms", "1d"; a bare number is seconds. nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& s) {
  using namespace std::chrono;
  if (s.empty()) return std::nullopt;
  milliseconds total{0};
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i || j - i > 9) return std::nullopt;
    const long long n = std::stoll(s.substr(i, j - i));
    size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    const std::string unit = s.substr(j, k - j);
    if (unit == "ms")
      total += milliseconds(n);
    else if (unit == "s" || (unit.empty() && i == 0 && k == s.size()))
      total += seconds(n);
    else if (unit == "m")
      total += minutes(n);
    else if (unit == "h")
      total += hours(n);
    else if (unit == "d")
      total += hours(24 * n);
    else
      return std::nullopt;
    i = k;
  }
  if (total.count() <= 0) return std::nullopt;
  return total;
}

// --dry-run: what the run would request first, one "KIND<TAB>URL" line each, without a request
// (not even robots.txt: a listed URL may still turn out to be disallowed).
int dry_run(const config::Config& cfg, const std::string& db) {
  auto line = [](const char* kind, const std::string& url) {
    crawler::UrlResult n = crawler::normalize(url);
    std::cout << kind << '\t' << (n ? n.url : url) << '\n';
  };
  for (const auto& s : cfg.seeds) line("seed", s);
  for (const auto& sec : cfg.sections)
    if (std::find(cfg.seeds.begin(), cfg.seeds.end(), sec.url) == cfg.seeds.end())
      line("section", sec.url);
  for (const auto& s : cfg.sitemaps) line("sitemap", s);
  for (const auto& f : cfg.feeds) line("feed", f);
  std::size_t rechecks = 0;
  const int days = static_cast<int>(cfg.recrawl.recheck_articles_younger_than.count());
  std::error_code ec;
  if (days > 0 && std::filesystem::exists(db, ec)) {
    store::OpenOptions ro;
    ro.read_only = true;
    store::Store st = store::Store::open(db, ro);
    for (const auto& r : st.articles_to_recheck(cfg.name, days)) {
      line("recheck", r.fetch_url);
      ++rechecks;
    }
  }
  std::cout.flush();
  std::cerr << "newsharvest: dry run of site " << cfg.name << " (database " << db
            << "): nothing was requested; " << rechecks << " re-check(s) due\n";
  return kOk;
}

std::vector<std::string> connect_specs(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& s : raw) out.push_back(config::parse_connect_to(s, "--connect-to").curl_spec());
  return out;
}

std::vector<std::string> resolve_specs(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& s : raw) out.push_back(config::parse_resolve(s, "--resolve").curl_spec());
  return out;
}

store::Store open_store(const std::string& path) { return store::Store::open(path); }

// A word as a POSIX shell reads it back: bare when it holds only safe characters, else in
// single quotes (a quote inside written as '\'').
std::string shell_word(const std::string& w) {
  const bool safe = !w.empty() && w.find_first_not_of(
                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_./:=@%+,") == std::string::npos;
  if (safe) return w;
  std::string out = "'";
  for (char ch : w) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// The command that resumes this crawl: every option it was given, in a canonical order, with
// the database it actually used (the profile's when --db was not given).
std::string resume_command(const CrawlArgs& a, const std::string& db) {
  std::vector<std::string> w{"newsharvest", "crawl"};
  auto add = [&](const char* opt, const std::string& v) {
    w.emplace_back(opt);
    w.push_back(v);
  };
  if (!a.site.empty()) add("--site", a.site);
  if (!a.config_file.empty()) add("--config", a.config_file);
  add("--db", db);
  if (a.max_pages >= 0) add("--max-pages", std::to_string(a.max_pages));
  if (a.workers >= 0) add("--workers", std::to_string(a.workers));
  if (a.concurrency > 0) add("--concurrency", std::to_string(a.concurrency));
  if (a.connections_per_host > 0)
    add("--connections-per-host", std::to_string(a.connections_per_host));
  if (!a.max_time.empty()) add("--max-time", a.max_time);
  for (const auto& o : a.overrides) add("-s", o);
  for (const auto& c : a.connect_to) add("--connect-to", c);
  for (const auto& r : a.resolve) add("--resolve", r);
  if (a.allow_private) w.emplace_back("--allow-private");
  if (a.progress) w.emplace_back("--progress");
  if (a.quiet) w.emplace_back("--quiet");
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + shell_word(x);
  return out;
}

// PostgreSQL workers: the largest in-memory window of claimed URLs per worker. 100 URLs keep a
// worker busy on dozens of hosts at politeness delays of a second or less (a host's window
// share drains at 1 URL per delay), and leave the rest to the other workers.
constexpr std::int64_t kSharedFrontierWindow = 100;

// The exit status of a crawl; after a signal, how to resume it.
int finish_crawl(const CrawlArgs& a, const crawler::CrawlResult& r, const std::string& db) {
  if (r.status == store::RunStatus::interrupted && g_signal != 0) {
    const int sig = g_signal;
    std::cerr << "newsharvest: stopped by " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << "; "
              << r.pending << " URL(s) left in the frontier. Run the same command again to resume: "
              << resume_command(a, db) << "\n";
    return 128 + sig;
  }
  return r.exit_code();
}

int run_crawl(const CrawlArgs& a) {
  if (a.site.empty() == a.config_file.empty()) {
    throw UsageError("crawl: give exactly one of --site NAME or --config FILE");
  }
  if (a.progress && a.quiet) throw UsageError("crawl: --progress and --quiet exclude each other");
  config::Config cfg = load(a.site, a.config_file, a.overrides);
  crawler::CrawlOptions opt;
  if (a.max_pages >= 0) opt.max_pages = a.max_pages;
  if (a.workers >= 0) opt.workers = a.workers;
  if (a.concurrency > 0) opt.concurrency = a.concurrency;
  if (a.connections_per_host > 0) opt.connections_per_host = a.connections_per_host;
  if (!a.max_time.empty()) {
    opt.max_time = parse_duration(a.max_time);
    if (!opt.max_time)
      throw UsageError(
          "crawl: --max-time: expected a duration such as 30s, 10m, 2h or 1h30m, got '" +
          a.max_time + "'");
  }
  opt.connect_to = connect_specs(a.connect_to);
  opt.resolve = resolve_specs(a.resolve);
  opt.allow_private = a.allow_private;
  opt.progress = a.progress ? crawler::ProgressMode::bar
                 : a.quiet  ? crawler::ProgressMode::quiet
                            : crawler::ProgressMode::automatic;
  // --db overrides the profile's `database` (whose default is ./data/newsharvest.db).
  const std::string db = a.db.empty() ? cfg.database.string() : a.db;
  if (a.dry_run && !store::pg::is_url(db)) return dry_run(cfg, db);
  if (a.dry_run) throw UsageError("crawl: --dry-run reads an SQLite database only");
  g_stop.store(false);
  g_signal = 0;
  SignalGuard guard;
  if (store::pg::is_url(db)) {
    // PostgreSQL: this process is one worker of the site's crawl; no lock file (the frontier's
    // leases keep workers apart, crawl_store_pg.h).
    // A worker's in-memory window holds claimed URLs no other worker can take: kept small so
    // that the links one worker finds spread over all of them (the rest wait in the shared
    // frontier, claimed as windows drain).
    cfg.limits.frontier_window = std::min(cfg.limits.frontier_window, kSharedFrontierWindow);
    crawler::PgCrawlStore pg(db, cfg.name, a.lease_seconds);
    opt.stop = &g_stop;
    crawler::CrawlResult r = crawler::crawl(cfg, pg, opt);
    return finish_crawl(a, r, store::pg::redact(db));
  }
  // The database first: a path that cannot be opened (or is not a newsharvest database) fails
  // here, before a lock file is left beside it.
  store::Store st = open_store(db);
  // One crawl per site and database at a time: cron may start the next run while this one is
  // still going. Not an error (exit 0): the running crawl does the work.
  crawler::RunLock lock = crawler::RunLock::acquire(db, cfg.name);
  if (!lock.held()) {
    std::cerr << "newsharvest: site " << cfg.name << " is already being crawled into " << db
              << " by "
              << (lock.other() ? lock.other()->describe() : std::string("another process"))
              << " (lock " << lock.path().string() << "); not starting another run\n";
    return kOk;
  }
  // Printed even with --quiet: a run that died is something cron should mail about.
  if (lock.outcome() == crawler::RunLock::Outcome::took_over) {
    std::cerr << "newsharvest: the previous run of " << cfg.name << " (" << lock.other()->describe()
              << ") did not finish; taking over its lock and resuming its frontier\n";
  }
  opt.stop = &g_stop;
  crawler::CrawlResult r = crawler::crawl(cfg, st, opt);
  return finish_crawl(a, r, db);
}

struct FetchArgs {
  InputArgs inputs;
  OutputArgs output;
  int jobs = 1;
  std::string db;
  std::string site;
  bool ignore_robots = false;
  bool allow_private = false;
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
};

crawler::FetchOneOptions fetch_options(const FetchArgs& a, std::optional<config::Config>& cfg) {
  crawler::FetchOneOptions o;
  o.explain = a.output.explain;
  o.ignore_robots = a.ignore_robots;
  if (!a.site.empty()) {
    cfg = config::load_profile(config::find_site(a.site));
    o.user_agent = cfg->user_agent;
    o.time_zone = cfg->time_zone;
    o.charset = cfg->charset.value_or("");
    o.connect_timeout = cfg->limits.connect_timeout;
    o.total_timeout = cfg->limits.total_timeout;
    o.max_body_bytes = static_cast<std::size_t>(cfg->limits.max_body_bytes);
    o.delay = cfg->politeness.delay;
    o.crawl_delay_cap = cfg->politeness.crawl_delay_cap;
    for (const auto& c : cfg->connect.connect_to) o.connect_to.push_back(c.curl_spec());
    for (const auto& r : cfg->connect.resolve) o.resolve.push_back(r.curl_spec());
    o.allow_private = cfg->connect.allow_private;
  }
  for (auto& s : connect_specs(a.connect_to)) o.connect_to.push_back(std::move(s));
  for (auto& s : resolve_specs(a.resolve)) o.resolve.push_back(std::move(s));
  if (a.allow_private) o.allow_private = true;
  return o;
}

// Stores a fetched page the way the crawl does (crawler/ingest.h): the article under its
// canonical URL, or for a page that is not one the raw response only.
// Store: store::Store (SQLite) or store::pg::PgStore (PostgreSQL).
template <class Store>
void store_fetched(Store& st, const std::string& url, crawler::FetchOneResult& r,
                   const std::optional<config::Config>& cfg) {
  const crawler::Ingest ingest =
      cfg ? crawler::Ingest(*cfg) : crawler::Ingest(crawler::host_of(url));
  store::RawPage raw = crawler::raw_page_of(r.response, r.page.charset);
  crawler::UrlResult fin = crawler::normalize(r.response.final_url);
  const std::string final_url = fin ? fin.url : crawler::normalize(url).url;
  auto b = st.begin_batch();
  if (ingest.is_article(r.page, final_url)) {
    const std::string canonical = ingest.canonical(final_url, r.page);
    auto u = ingest.store(b, canonical, r.page, &raw);
    std::cerr << "newsharvest fetch: stored " << canonical << " ("
              << (u.outcome == store::Upsert::inserted  ? "new"
                  : u.outcome == store::Upsert::updated ? "changed"
                                                        : "unchanged")
              << ")\n";
  } else {
    b.store_raw_page(ingest.site(), raw);
    std::cerr << "newsharvest fetch: " << url
              << ": not an article page; archived the response only\n";
  }
  b.commit();
  st.index_pending();  // searchable at once, as after a crawl
}

// Requests to one host, one at a time and the delay apart (robots.txt is read before each page,
// so the gap also separates a page from the next robots.txt request).
struct HostGate {
  std::mutex m;
  std::chrono::steady_clock::time_point last{};
  bool used = false;
};

int run_fetch(const FetchArgs& a) {
  std::optional<config::Config> cfg;
  const crawler::FetchOneOptions o = fetch_options(a, cfg);
  if (a.inputs.args.empty() && a.inputs.input_list.empty())
    throw UsageError("fetch: no URL (give URLs, - for a list on stdin, or --input-list FILE)");
  // A bad URL on the command line is a usage error (nothing is fetched); one in a list is
  // reported with the list's other failures.
  for (const auto& u : a.inputs.args)
    if (u != "-" && !crawler::normalize(u)) throw UsageError("fetch: not an http(s) URL: " + u);
  const std::vector<Input> inputs = collect_inputs(a.inputs, true);
  std::map<std::string, std::unique_ptr<HostGate>> gates;
  for (const auto& in : inputs)
    if (in.error.empty()) {
      if (!crawler::normalize(in.name)) continue;
      auto& g = gates[crawler::host_of(in.name)];
      if (!g) g = std::make_unique<HostGate>();
    }
  std::optional<store::Store> st;
  std::optional<store::pg::PgStore> pg_st;  // --db postgresql://...
  if (store::pg::is_url(a.db))
    pg_st.emplace(store::pg::PgStore::open(a.db));
  else if (!a.db.empty())
    st.emplace(open_store(a.db));
  std::vector<crawler::FetchOneResult> results(inputs.size());
  RecordWriter writer(a.output);
  int rc = kOk;
  auto work = [&](size_t i) {
    Item item;
    const Input& in = inputs[i];
    item.error = in.error;
    if (item.error.empty() && !crawler::normalize(in.name)) item.error = "not an http(s) URL";
    if (!item.error.empty()) return item;
    HostGate& g = *gates.at(crawler::host_of(in.name));
    std::lock_guard lock(g.m);
    if (g.used) std::this_thread::sleep_until(g.last + o.delay);
    crawler::FetchOneResult r = crawler::fetch_one(in.name, o);
    g.last = std::chrono::steady_clock::now();
    g.used = true;
    if (!r.ok) {
      item.error = r.error;
      return item;
    }
    if (a.output.needs_blocks()) {
      extract::ParseOptions po;
      po.url = in.name;
      po.final_url = r.response.final_url;
      po.content_type = r.response.header("content-type").value_or("");
      po.charset = o.charset;
      item.blocks = extract::body_blocks(r.response.body, po, r.page);
    }
    item.page = r.page;
    results[i] = std::move(r);
    return item;
  };
  run_ordered(inputs.size(), a.jobs, work, [&](Item& item, size_t i) {
    if (!item.error.empty()) {
      std::cerr << "newsharvest fetch: " << inputs[i].name << ": " << item.error << "\n";
      rc = kFailure;
      return;
    }
    writer.write(item, inputs[i]);
    if (st) store_fetched(*st, inputs[i].name, results[i], cfg);
    if (pg_st) store_fetched(*pg_st, inputs[i].name, results[i], cfg);
    results[i] = {};
  });
  writer.finish();
  return rc;
}

}  // namespace

void add_crawl_commands(CLI::App& app, Registry& registry) {
  auto c = std::make_shared<CrawlArgs>();
  CLI::App* crawl = app.add_subcommand("crawl", "Crawl a site profile into the database");
  crawl->add_option("--site", c->site, "Profile name (config/sites/NAME.toml)");
  crawl->add_option("--config", c->config_file, "Profile file (TOML)");
  crawl->add_option("--db", c->db,
                    "SQLite database path, or postgresql://USER@HOST/DB (many workers may crawl "
                    "one site into it at once) (default: the profile's `database`, "
                    "./data/newsharvest.db)");
  crawl
      ->add_option("--lease", c->lease_seconds,
                   "PostgreSQL: seconds after which a dead worker's claimed URLs go to another "
                   "worker (default 60)")
      ->check(CLI::Range(2, 86400));
  crawl->add_option("--max-pages", c->max_pages, "Stop after N page fetches (overrides profile)")
      ->check(CLI::NonNegativeNumber);
  crawl
      ->add_option("--workers", c->workers,
                   "Threads parsing pages beside the one driving curl (0 = one per core, "
                   "1 = parse on that thread; overrides [limits] workers)")
      ->check(CLI::Range(0, 256));
  crawl
      ->add_option("--concurrency", c->concurrency,
                   "Requests in flight at once over all hosts (overrides [limits] concurrency)")
      ->check(CLI::Range(1, 1024));
  crawl
      ->add_option("--connections-per-host", c->connections_per_host,
                   "Requests in flight at once per host (overrides [politeness] "
                   "max_connections_per_host)")
      ->check(CLI::Range(1, 64));
  crawl->add_option("-s,--set", c->overrides,
                    "KEY=VALUE: override a profile key for this run (repeatable), e.g. "
                    "-s politeness.delay_ms=500");
  crawl->add_option("--max-time", c->max_time,
                    "Stop requesting new pages after DURATION (30s, 10m, 2h); resumable");
  crawl->add_flag("--dry-run", c->dry_run,
                  "List the start URLs, sitemaps, feeds and due re-checks; request nothing");
  crawl->add_flag("--progress", c->progress, "Progress bar on stderr");
  crawl->add_flag("--quiet", c->quiet,
                  "Nothing on success; the summary and one line per problem otherwise");
  crawl->add_option("--connect-to", c->connect_to,
                    "HOST:PORT:TO_HOST:TO_PORT (curl syntax; repeatable)");
  crawl->add_option("--resolve", c->resolve, "HOST:PORT:ADDRESS (curl syntax; repeatable)");
  crawl->add_flag("--allow-private", c->allow_private,
                  "Connect to loopback/private/link-local addresses (refused by default)");
  registry[crawl] = [c] { return run_crawl(*c); };

  auto f = std::make_shared<FetchArgs>();
  CLI::App* fetch = app.add_subcommand(
      "fetch", "Fetch pages politely and print their records (JSON lines by default)");
  fetch->add_option("urls", f->inputs.args, "Page URLs; - reads a list of URLs from stdin");
  add_batch_options(fetch, f->inputs, f->output, f->jobs);
  fetch->add_option("--db", f->db, "Also store the records in this database");
  fetch->add_option("--site", f->site, "Profile to take user agent, time zone, timeouts from");
  fetch->add_flag("--ignore-robots", f->ignore_robots, "Do not fetch or obey robots.txt");
  fetch->add_option("--connect-to", f->connect_to,
                    "HOST:PORT:TO_HOST:TO_PORT (curl syntax; repeatable)");
  fetch->add_option("--resolve", f->resolve, "HOST:PORT:ADDRESS (curl syntax; repeatable)");
  fetch->add_flag("--allow-private", f->allow_private,
                  "Connect to loopback/private/link-local addresses (refused by default)");
  registry[fetch] = [f] { return run_fetch(*f); };
}

}  // namespace nh::cli
