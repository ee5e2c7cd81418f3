// newsharvest::config — site profiles (TOML) validated into one plain `Config` value.
//
// Contract:
//  * `parse_profile` / `load_profile` either return a fully validated Config or throw one
//    `ConfigError` that lists EVERY problem found in the file, each as
//    `SOURCE:LINE:COLUMN: KEY: MESSAGE` (sorted by position). Nothing is half-applied.
//  * Every optional setting has its built-in default in exactly one place: the default member
//    initialisers below. `Config{}` is "the defaults"; docs/CONFIG.md documents the same values
//    (tests/config checks the two agree for a minimal profile).
//  * A Config is a plain value: copyable, no references into the TOML text, no global state.
//    Compiled regexes live next to their source text (`Pattern`).
//  * URLs in a Config are absolute http/https URLs as normalised by libcurl's URL API; hosts are
//    lower-case. Sitemap/feed entries written as paths ("/sitemap.xml") are resolved against the
//    first seed.
//
// The library depends on toml++ (parsing, source positions), libcurl's URL API (URL checks) and
// ICU (time zone and charset names); none of them appears in this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace nh::config {

// One problem in a profile. `line`/`column` are 1-based; 0 when unknown (e.g. unreadable file).
struct Issue {
  std::string source;  // file name as given by the caller (or the source_name of parse_profile)
  int line = 0;
  int column = 0;
  std::string key;  // dotted key path, e.g. "politeness.delay_ms", "seeds[2]", "sections[1].url"
  std::string message;

  // "source:line:column: key: message" (position and key parts omitted when unknown).
  std::string to_string() const;
};

// Configuration fault: bad profile, unknown site, malformed --connect-to. The CLI maps it to
// exit code 2. what() is every issue's to_string(), one per line.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Issue> issues);
  const std::vector<Issue>& issues() const noexcept { return issues_; }

 private:
  std::vector<Issue> issues_;
};

// A URL regex (RE2 syntax: linear-time matching, no backreferences or lookaround), kept with
// its text for messages and --explain output. Matching is a search (not a full match) against
// the absolute URL: anchor with ^...$ if needed. The compiled form is shared (immutable) so a
// Config stays a copyable value.
struct Pattern {
  std::string text;
  std::shared_ptr<const re2::RE2> regex;

  bool matches(std::string_view url) const;
};

// A named section of the portal ("时政动态") and its first list page. Section list pages are
// start URLs like seeds. `pattern` (optional) matches the URLs that belong to the section
// (its list pages and articles), for labelling pages whose HTML names no section.
struct Section {
  std::string name;
  std::string url;
  std::optional<Pattern> pattern;
};

// curl's CURLOPT_RESOLVE entry "HOST:PORT:ADDRESS": connect to ADDRESS instead of resolving HOST
// (port unchanged).
struct Resolve {
  std::string host;
  int port = 0;
  std::string address;
  std::string curl_spec() const;  // "host:port:address"
};

// curl's CURLOPT_CONNECT_TO entry "HOST:PORT:TO_HOST:TO_PORT": requests for HOST:PORT are sent
// to TO_HOST:TO_PORT while the URL and Host header keep HOST. This is what lets a profile whose
// seeds say http://demo.portal.test/ crawl a test server on 127.0.0.1:<random port>.
// An empty `host` (or port 0) matches any host (or port), as in curl.
struct ConnectTo {
  std::string host;
  int port = 0;
  std::string to_host;
  int to_port = 0;
  std::string curl_spec() const;  // "host:port:to_host:to_port"
};

struct Politeness {
  // Minimum gap between two requests to the same host. 1 s: a conservative default for small
  // government sites, which are often on shared hosting.
  std::chrono::milliseconds delay{1000};
  // Concurrent connections per host. 2 follows the old RFC 2616 advice for well-behaved clients.
  int max_connections_per_host = 2;
  // Obey robots.txt (RFC 9309) and its Crawl-delay.
  bool robots = true;
  // Upper bound applied to a robots.txt Crawl-delay, so one odd robots.txt cannot stall a run.
  std::chrono::milliseconds crawl_delay_cap{30000};
};

struct Limits {
  std::int64_t max_pages = 10000;  // fetches per run (all kinds), after which the crawl stops
  int max_depth = 5;               // link hops from a start URL; 0 = start URLs only
  std::int64_t max_body_bytes = 10 * 1024 * 1024;  // larger bodies are cut off and the fetch fails
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{60000};  // whole transfer, redirects included
  // Abort a transfer slower than low_speed_bytes_per_sec for low_speed_time (curl's
  // CURLOPT_LOW_SPEED_LIMIT / CURLOPT_LOW_SPEED_TIME).
  std::int64_t low_speed_bytes_per_sec = 512;
  std::chrono::seconds low_speed_time{30};
  int max_retries = 2;  // retries of a failed fetch (timeouts, 5xx, 429), with backoff
  // Threads that parse pages while one drives curl and writes the store; 0 = one per core,
  // 1 = parse on the crawl's own thread.
  int workers = 0;
  // Requests in flight at once over all hosts (each host also obeys
  // Politeness::max_connections_per_host). 16: enough to keep two parse workers busy on
  // loopback (docs/BENCHMARKS.md "Crawl"), and 8 hosts at 2 connections each.
  int concurrency = 16;
  // URLs of the frontier held in memory at most; the rest wait in the store's frontier table
  // and are claimed as the window drains. 20,000: a few MB of queue and minutes of work at any
  // polite rate, so a crawl that discovers millions of URLs does not grow with them.
  std::int64_t frontier_window = 20000;
};

// When does a finished crawl count as degraded (exit code 3)?
struct FailurePolicy {
  // Share of fetches that failed (network errors, HTTP >= 400 after retries), 0..1.
  double max_failed_share = 0.2;
};

// Extraction-drift alarm (exit code 3 from the scheduled crawl): the site changed its templates
// and fields silently went missing. Fill rates are compared with the mean over recent runs.
struct DriftPolicy {
  int baseline_runs = 5;  // how many previous runs of this site form the baseline
  // Fill rates are judged only over runs (this one and the baseline's) that stored at least
  // this many articles: an hourly run with two new articles says nothing about a template.
  int min_articles = 5;
  // Minimum fill rate of a field in this run relative to the baseline (0.8 = may drop by 20%).
  double min_published_at_fill = 0.8;
  double min_body_fill = 0.8;
  double min_title_fill = 0.8;
  // Minimum mean number of article links found per list page in this run (absolute).
  double min_article_links_per_list_page = 1.0;
};

struct RecrawlPolicy {
  // On a repeat run, how many pages of each paginated list to revisit (newest first).
  int list_lookback_pages = 1;
  // Refetch already stored articles published less than this many days ago; 0 = never refetch.
  std::chrono::days recheck_articles_younger_than{0};
};

struct Connect {
  std::vector<Resolve> resolve;
  std::vector<ConnectTo> connect_to;
  // Connect to loopback, private, link-local and metadata addresses (crawler/fetcher.h
  // FetcherOptions::allow_private). Off by default: a page or a redirect must not be able to
  // point the crawler at the machine's own services or the local network. Test servers and the
  // demo portal on 127.0.0.1 opt in (or `--allow-private`).
  bool allow_private = false;
};

// The default database path (also `--db`'s default, DESIGN.md §3).
inline constexpr std::string_view kDefaultDatabase = "./data/newsharvest.db";
inline constexpr std::string_view kDefaultTimeZone = "Asia/Shanghai";
inline constexpr std::string_view kDefaultUserAgent =
    "newsharvest/0.1 (+https://github.com/newsharvest/newsharvest)";

// Which links a crawl follows (the profile's `follow` key).
enum class Follow {
  scope,     // every in-scope link (hosts, exclude patterns, robots.txt)
  patterns,  // only links matching [urls] list or article patterns (start URLs always)
};

struct Config {
  // --- identity ---
  std::string name;              // required; [A-Za-z0-9][A-Za-z0-9_.-]*: stored with every record
  std::string display_name;      // optional; defaults to `name`
  std::filesystem::path source;  // the profile file (empty for parse_profile from memory)

  // --- what to crawl ---
  std::vector<std::string> seeds;  // required, at least one
  std::vector<std::string> hosts;  // allowed hosts; default: the hosts of the seeds.
                                   // "*.example.com" allows every subdomain of example.com.
  std::vector<Section> sections;
  std::vector<Pattern> list_patterns;     // [urls] list
  std::vector<Pattern> article_patterns;  // [urls] article
  std::vector<Pattern> exclude_patterns;  // [urls] exclude: never fetched
  std::vector<std::string> sitemaps;
  std::vector<std::string> feeds;
  Follow follow = Follow::scope;

  // --- how to read it ---
  std::string time_zone{kDefaultTimeZone};  // IANA zone for dates without an offset
  std::optional<std::string> charset;       // forces the page encoding when set
  std::string user_agent{kDefaultUserAgent};
  std::filesystem::path database{std::string(kDefaultDatabase)};

  Politeness politeness;
  Limits limits;
  FailurePolicy failure;
  DriftPolicy drift;
  RecrawlPolicy recrawl;
  Connect connect;

  // True when `host` (case-insensitive, no port) is one of `hosts` or under a "*." entry.
  bool host_allowed(std::string_view host) const;
  // Seeds then section list pages, without duplicates, in profile order.
  std::vector<std::string> start_urls() const;
  // The section `url` belongs to (nullptr if none): the first section whose pattern matches;
  // else the one whose list URL's directory is the longest prefix of `url` (a list page at the
  // site root, e.g. "/index.php?…", only claims its own URL).
  const Section* section_for(std::string_view url) const;
  bool is_list_url(std::string_view url) const;
  bool is_article_url(std::string_view url) const;
  bool is_excluded(std::string_view url) const;
};

// Parses and validates a profile held in memory; `source_name` prefixes every message.
Config parse_profile(std::string_view toml, std::string_view source_name);

// Reads and validates a profile file. Messages use `path` as given (relative stays relative).
Config load_profile(const std::filesystem::path& path);

// The same with command-line overrides (`crawl -s KEY=VALUE`) applied before validation: KEY is
// a dotted profile key (`limits.max_pages`, `politeness.delay_ms`, `seeds`), VALUE a TOML value
// (`500`, `true`, `0.5`, `"x"`, `['a', 'b']`) or, when TOML cannot read it, a string. The result
// is validated exactly like the file; a problem with an overridden key is reported with the
// source "-s KEY=VALUE" (no line) instead of the file's position. Keys inside arrays of tables
// ([[sections]]) cannot be overridden.
Config load_profile(const std::filesystem::path& path, std::span<const std::string> overrides);
Config parse_profile(std::string_view toml, std::string_view source_name,
                     std::span<const std::string> overrides);

// Directories searched by find_site, in order: each entry of $NEWSHARVEST_SITES (':'-separated),
// ./config/sites, the installed profiles beside the running binary (BINDIR/../share/newsharvest/
// sites, when that directory exists), then the configured install data directory
// (${CMAKE_INSTALL_FULL_DATADIR}/newsharvest/sites, e.g. /usr/local/share/newsharvest/sites).
std::vector<std::filesystem::path> site_search_path();

// Resolves `--site NAME` to the first existing DIR/NAME.toml along `search_path`.
// Throws ConfigError when NAME is not a plain name or no profile is found (listing the
// directories searched).
std::filesystem::path find_site(std::string_view name,
                                std::span<const std::filesystem::path> search_path);
std::filesystem::path find_site(std::string_view name);  // uses site_search_path()

// Parse a command-line override (`--resolve`, `--connect-to`) in curl's syntax; throw
// ConfigError naming `option` on a malformed value.
Resolve parse_resolve(std::string_view spec, std::string_view option = "--resolve");
ConnectTo parse_connect_to(std::string_view spec, std::string_view option = "--connect-to");

// Command-line overrides validated like the profile's `time_zone` and `charset` keys: throw
// ConfigError naming `option` (e.g. "--time-zone: unknown time zone \"Mars/Base\"; ...") when
// ICU does not know the value. An empty value is accepted (it means "not given").
void check_time_zone(std::string_view value, std::string_view option = "--time-zone");
void check_charset(std::string_view value, std::string_view option = "--charset");

}  // namespace nh::config
