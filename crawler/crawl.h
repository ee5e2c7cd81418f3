// The crawl: a site profile in, articles in the store out (DESIGN.md §2).
//
// Contract of crawl():
//   - Start URLs are the profile's seeds and section pages, plus the pages its sitemaps (and
//     sitemap indexes; .xml.gz ones inflated, capped at max_body_bytes) and RSS/Atom feeds list.
//     A profile without sitemaps uses the Sitemap: lines of each host's robots.txt. Only hosts the
//     profile allows are visited; URLs matching its exclude patterns are never requested.
//   - Scope is host AND port: an allowed host on its scheme's default port (80/443) or on a
//     port one of the profile's start URLs, sitemaps or feeds names for that host.
//   - Redirects are followed by the crawl, not by curl: every hop (at most kMaxRedirectHops)
//     is checked against the scope and the target host's robots.txt (fetched first when not
//     yet known) *before* it is requested. A hop out of scope is not requested (the URL is
//     marked failed with the reason, not counted as a failure of the site); a continuation
//     page redirected away contributes nothing to its article.
//   - Addresses: loopback, private, link-local and metadata addresses are refused after DNS
//     resolution (FetcherOptions::allow_private) unless the profile's connect.allow_private or
//     CrawlOptions::allow_private opts in.
//   - Links longer than kMaxUrlBytes (urls.h) are skipped and counted (CrawlResult).
//   - robots.txt is fetched once per host per run before any other request to that host and
//     obeyed (unless Politeness::robots is false): a disallowed URL is never requested.
//     Unreachable robots.txt (5xx, 429, network) disallows the host (RFC 9309 §2.3.1.4); its URLs
//     are recorded as failed.
//   - Per host: request starts are at least max(profile delay, min(robots Crawl-delay, cap))
//     apart, measured from the moment the previous request went out (frontier.h), and at most
//     max_connections_per_host requests are in flight; over all hosts at most
//     Limits::concurrency (CrawlOptions::concurrency overrides both).
//   - Timeouts, resets, truncated bodies, connection failures, 5xx and 429 are retried up to
//     Limits::max_retries times with exponential backoff and jitter, never sooner than
//     Retry-After; then the URL is failed with its error and the crawl goes on. Redirect loops,
//     oversized bodies, protocol errors and other 4xx fail at once.
//   - Article pages (profile article patterns; without patterns, what the extractor calls an
//     article) are extracted and upserted under their canonical URL: the normalised final URL,
//     or its <link rel=canonical> when that is in scope and in article shape. Multi-page
//     articles (_2.html / page=2 continuations) are fetched and stored as one record: bodies
//     joined with '\n' in page order, other fields from page 1 (falling back to later pages for
//     fields page 1 lacks; credits of all pages in page order; crawler/join.h). Every page's
//     raw response is archived and linked to the article in page order (article_pages); the
//     article's raw page is page 1.
//   - List, seed and other pages are followed for links and pagination, up to Limits::max_depth
//     hops from a start URL; pages in no known shape are fetched last.
//   - Every new URL, every outcome and every fetch is written through one store transaction per
//     batch (every CrawlOptions::batch_size responses or batch_interval, whichever is first, and
//     always before the crawler waits on the network), so a reader never sees half a batch. The
//     frontier lives in the store: a crawl that stops (max pages, crash) continues from it next
//     time; at start in_progress rows are requeued. Memory holds at most Limits::frontier_window
//     queued URLs (their rows in_progress); the others stay pending in the store and are claimed
//     as the window drains (a resumed run claims one window, not every pending row). URLs seen
//     in the run are remembered as 64-bit hashes in the store (crawl_seen, Frontier::seen),
//     not in memory; the rows go when the run is finished.
//   - Incremental re-crawls (a frontier with earlier runs in it): start pages, sitemaps and
//     feeds are fetched every run; a URL the frontier already holds is not fetched again, except:
//       * list pages along a section's pagination chain: a list page (or start page) on which
//         some article link is not stored yet (absent from the frontier, or still pending)
//         leads on to its "next" page, fetched again even if known. After
//         RecrawlPolicy::list_lookback_pages list pages in a row with nothing new, the chain
//         stops: their pager links are not followed.
//       * stored articles younger than RecrawlPolicy::recheck_articles_younger_than, re-fetched
//         with the validators of their archived response (304 = unchanged).
//       * stored articles a sitemap lists with a <lastmod> after their stored version's
//         updated_at (CrawlResult::sitemap_rechecks), re-fetched once per run.
//     Start, list, sitemap and feed pages are requested with If-None-Match / If-Modified-Since
//     from the store's page cache (the last 200); a 304 is served from that copy (its links are
//     followed the same way), a 200 with a validator replaces it.
//   - Crash safety: every stored article, its frontier row (done) and the links it yielded are
//     in the same transaction. Page 1 of a multi-page article stays pending until the whole
//     article is stored. A crawl killed at any moment loses at most the uncommitted batch; the
//     next run (requeueing this site's in_progress rows) refetches only what was not committed.
//     Runs of this site still marked running are closed as interrupted (the caller holds the
//     site's RunLock, lock.h, so they are dead).
//   - The run is recorded with begin_run/finish_run; its status is degraded (exit code 3) when
//     failed URLs / finished URLs exceeds FailurePolicy::max_failed_share, or when an
//     extraction-drift alarm fires (DriftPolicy, docs/CONFIG.md): the run's fill rate of title,
//     published_at or body (over at least DriftPolicy::min_articles articles) fell below the
//     allowed share of the mean of the site's recent runs, or its list pages yielded fewer
//     article links each than the minimum. Alarms are printed after the summary and stored
//     with the run.
//   - Web failures never throw; store faults (StoreError) and configuration faults propagate.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/fetcher.h"
#include "crawler/frontier.h"
#include "extract/page.h"
#include "store/store.h"

namespace nh::crawler {

enum class ProgressMode {
  automatic,  // bar when stderr is a terminal, periodic lines otherwise
  bar,
  lines,
  quiet,  // nothing on success; the summary line and one line per alarm when degraded
};

struct CrawlOptions {
  std::optional<std::int64_t> max_pages;  // overrides Limits::max_pages
  // --max-time: after this long no new page is requested (like max_pages: requests in flight
  // and the later pages of articles begun finish, the rest stays pending for the next run).
  std::optional<std::chrono::milliseconds> max_time;
  // Extra curl connect-to / resolve specs, appended to the profile's (CLI --connect-to/--resolve).
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  // --allow-private: connect to loopback/private/link-local addresses even when the profile
  // does not allow it (config::Connect::allow_private).
  bool allow_private = false;
  ProgressMode progress = ProgressMode::automatic;
  std::ostream* log = nullptr;  // progress and summary; nullptr = std::cerr
  std::chrono::seconds summary_interval{10};
  // First retry delay; doubles per attempt. 1 s: a 5xx from a small government server is
  // usually overload, and two retries then span ~3 s.
  std::chrono::milliseconds retry_base{1000};
  std::chrono::milliseconds retry_cap{60000};
  std::size_t batch_size = 50;
  std::chrono::milliseconds batch_interval{1000};
  // --concurrency: overrides Limits::concurrency (requests in flight over all hosts).
  std::optional<int> concurrency;
  // --connections-per-host: overrides Politeness::max_connections_per_host.
  std::optional<int> connections_per_host;
  // --workers: overrides Limits::workers (parse threads; 0 = one per core, 1 = none).
  std::optional<int> workers;
  // Set (e.g. from a SIGINT handler) to stop: no new requests; in-flight ones get stop_grace to
  // finish, then are abandoned (their URLs stay pending); the batch commits and the run is
  // recorded as interrupted. May be nullptr.
  const std::atomic<bool>* stop = nullptr;
  std::chrono::milliseconds stop_grace{2000};
  // Tests of crawl policy run in-process: the web (nullptr: libcurl, Fetcher built from the
  // profile) and the frontier (nullptr: the store's frontier table, SqliteFrontier) to use.
  Transport* transport = nullptr;
  Frontier* frontier = nullptr;
};

struct CrawlResult {
  std::int64_t run_id = 0;
  store::RunStatus status = store::RunStatus::ok;
  store::RunCounts counts;
  std::int64_t requests = 0;           // HTTP requests sent, robots.txt and retries included
  std::int64_t retries = 0;            // of those, retries
  std::int64_t robots_blocked = 0;     // URLs not requested because robots.txt disallows them
  std::int64_t duplicates = 0;         // articles stored with duplicate_of set
  std::int64_t urls_too_long = 0;      // links skipped: longer than kMaxUrlBytes (urls.h)
  std::int64_t redirects_refused = 0;  // redirect hops not followed: out of scope (host/port)
  bool time_limit_reached = false;     // CrawlOptions::max_time ended the run
  std::int64_t sitemap_rechecks = 0;   // stored articles fetched again: newer sitemap <lastmod>
  std::int64_t unmatched_skipped = 0;  // links not followed: follow = "patterns", no pattern
  std::int64_t pending = 0;            // URLs left in the frontier for a later run
  std::vector<std::string> alarms;     // drift alarms (the run is degraded when not empty)
  double failed_share = 0;
  double seconds = 0;
  std::string site;

  // "site demo: 350 pages, 327 articles new, 0 changed, 2 failed, 362 requests (0 not
  // modified) in 12.3s", then "  alarm: …" lines.
  std::string summary_line() const;
  int exit_code() const;  // 0 ok, 3 degraded, 1 otherwise
};

CrawlResult crawl(const config::Config& config, store::Store& store,
                  const CrawlOptions& options = {});
// The same over any database the crawl can use (crawl_store.h; the one above adapts Store).
class CrawlStore;
CrawlResult crawl(const config::Config& config, CrawlStore& db, const CrawlOptions& options = {});

// One polite fetch of one page (the `fetch` command): robots.txt first unless ignore_robots,
// the host's delay, then the page, then extraction.
struct FetchOneOptions {
  std::string user_agent{config::kDefaultUserAgent};
  bool ignore_robots = false;
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  bool allow_private = false;  // FetcherOptions::allow_private (refused otherwise, every hop)
  std::string time_zone;       // the site's IANA zone; "" = from the URL (extract::ParseOptions)
  std::string charset;         // forced encoding, "" = detect
  bool explain = false;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{60000};
  std::size_t max_body_bytes = 10u << 20;
  int max_retries = 0;
  // Pause between robots.txt and the page: max(delay, min(robots Crawl-delay, crawl_delay_cap)).
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds crawl_delay_cap{30000};
};

struct [[nodiscard]] FetchOneResult {
  bool ok = false;
  std::string error;  // why not ok: "HTTP 404", "disallowed by robots.txt", "timeout: ..."
  Response response;  // the page's response (empty when never requested)
  extract::Page page;
};

// One page, politely: robots.txt of its host first (unless ignore_robots), then the page.
// Redirects are followed here, not by curl, at most kMaxRedirectHops: every hop's robots.txt
// is read before the hop is requested, and every connection is checked against the address
// policy (allow_private).
FetchOneResult fetch_one(const std::string& url, const FetchOneOptions& options);

// The raw-page record of a response (headers to fields) for the store's archive.
store::RawPage raw_page_of(const Response& response, const std::string& charset);

}  // namespace nh::crawler
