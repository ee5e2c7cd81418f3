#include "crawler/crawl.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <deque>
#include <future>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "crawler/crawl_store.h"
#include "crawler/feeds.h"
#include "crawler/frontier.h"
#include "crawler/gzip.h"
#include "crawler/host_queues.h"
#include "crawler/ingest.h"
#include "crawler/intake.h"
#include "crawler/join.h"
#include "crawler/links.h"
#include "crawler/parse_pool.h"
#include "crawler/robots.h"
#include "crawler/run_report.h"
#include "crawler/urls.h"
#include "extract/extract.h"

namespace nh::crawler {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Added to every host delay: the delay is enforced when a request is handed to curl, and the
// server sees it a little later or earlier (event-loop turn, loopback scheduling). 2 ms keeps
// the gap the server observes at or above the configured delay (tuned on the demo portal's
// millisecond request log).
constexpr milliseconds kDelayMargin{2};
// How often a worker with nothing queued looks for work other workers of the crawl left
// (PostgreSQL): lapsed claims, links their pages yielded.
constexpr milliseconds kSharedWorkPoll{250};

// Redirect hops the crawl follows for one URL; one more is a redirect loop. 5: what curl's
// former CURLOPT_MAXREDIRS here was, and more than any portal's http -> https -> www -> page.
constexpr int kMaxRedirectHops = 5;

// Pages this large are parsed on a worker thread while curl keeps running (parse_aside). 256 KiB:
// typical article pages (30-150 KiB) parse in a few milliseconds, and a thread per page would
// cost more than it saves; the bounded pre-pass (extract/document.h) keeps the largest (8 MiB)
// under a second, which the transfers in flight no longer wait for.
constexpr std::size_t kParseAsideBytes = 256 * 1024;
// Responses waiting for a parse worker, per worker, before the crawl stops taking in more.
constexpr std::size_t kMaxAwaitingParsePerWorker = 8;

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The URL a frontier item requests: its redirect hop when it is following one.
const std::string& request_url(const FrontierItem& item) {
  return item.fetch_url.empty() ? item.url : item.fetch_url;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_success(const Response& r) { return r.ok() && r.status >= 200 && r.status < 300; }

// Pages fetched again on every run (start pages, pagination, sitemaps, feeds): their last 200
// is kept in the store's page cache and revalidated with a conditional request.
bool cacheable(UrlKind kind) {
  return kind == UrlKind::seed || kind == UrlKind::list || kind == UrlKind::sitemap ||
         kind == UrlKind::feed;
}

// What is worth another try: the network or the server being temporarily unable, and a body
// cut short (a connection that died mid-transfer). Not: redirect loops, oversized bodies,
// protocol errors, 4xx other than 429 — those fail the same way every time.
bool retryable(const Response& r) {
  switch (r.error) {
    case FetchError::timeout:
    case FetchError::connect:
    case FetchError::reset:
    case FetchError::truncated:
      return true;
    case FetchError::none:
      return r.status >= 500 || r.status == 429 || r.status == 0;
    default:
      return false;
  }
}

std::string describe(const Response& r) {
  if (!r.ok()) {
    std::string s(to_string(r.error));
    if (!r.message.empty()) s += ": " + r.message;
    return s;
  }
  return "HTTP " + std::to_string(r.status);
}

// A page number from its digits; 0 when there are none or they overflow an int (a hostile
// "_99999999999999999999.html" is not page 2^64).
int page_digits(std::string_view digits) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return ec == std::errc() && ptr == digits.data() + digits.size() ? v : 0;
}

// Page number of a continuation URL (t…_123_2.html -> 2, ?page=3 -> 3); 1 otherwise.
// RE2: linear in the URL's length whatever the URL (std::regex recursed once per character).
int page_number(std::string_view url) {
  static const RE2 kSuffix(R"(_(\d+)\.[A-Za-z]+(?:\?.*)?$)");
  static const RE2 kQuery(R"([?&]page=(\d+))");
  re2::StringPiece m;
  if (RE2::PartialMatch(url, kQuery, &m)) return page_digits({m.data(), m.size()});
  if (RE2::PartialMatch(url, kSuffix, &m)) return page_digits({m.data(), m.size()});
  return 1;
}

// Page 1 of a continuation URL ("…_123_2.html" -> "…_123.html", "123_2.html" -> "123.html",
// "?id=5&page=2" -> "?id=5"); "" when the URL is not in that shape. Only used to look up
// known first pages, so a page-1 URL that merely looks like one ("t2021_1234.html") is harmless.
std::string first_page_of(const std::string& url) {
  static const RE2 kSuffix(R"((.*/[^/]*?\d)_(\d+)(\.[A-Za-z]+))");
  static const RE2 kQuery(R"((.*)[?&]page=(\d+))");
  std::string head, n, ext;
  if (RE2::FullMatch(url, kSuffix, &head, &n, &ext) && page_digits(n) >= 2) return head + ext;
  if (RE2::FullMatch(url, kQuery, &head, &n) && page_digits(n) >= 2) return head;
  return {};
}

struct Assembly {
  std::string canonical;
  std::string item_url;  // page 1 as the frontier knows it: marked done once the article is stored
  std::string first_url;
  int depth = 0;
  extract::Page first;
  store::RawPage raw;                  // page 1's response: the article's raw page
  std::map<int, std::string> pending;  // page number -> URL, not yet answered
  std::map<int, extract::Page> pages;  // page number -> extracted continuation
  std::map<int, store::RawPage> raws;  // page number -> that continuation's response
  std::vector<std::string> failed;
};

class Crawler {
 public:
  Crawler(const config::Config& cfg, CrawlStore& db, const CrawlOptions& opt)
      : cfg_(cfg),
        db_(db),
        opt_(opt),
        log_(opt.log ? *opt.log : std::cerr),
        own_fetcher_(opt.transport ? nullptr : std::make_unique<Fetcher>(fetcher_options())),
        net_(opt.transport ? *opt.transport : *own_fetcher_),
        frontier_(opt.frontier ? *opt.frontier : db.frontier()),
        queues_(HostPolicy{cfg.politeness.delay + kDelayMargin, per_host_limit()}),
        ingest_(cfg),
        rng_(std::random_device{}()),
        report_(opt.progress, log_, opt.log == nullptr, opt.summary_interval),
        intake_(cfg, ingest_, frontier_, queues_, robots_, result_, [this] { commit(); }) {
    queues_.set_closed_by_default(cfg.politeness.robots);
    queues_.set_shared_slots(db.shared_slots());
    max_pages_ = opt.max_pages.value_or(cfg.limits.max_pages);
    int workers = opt.workers.value_or(cfg.limits.workers);
    if (workers == 0) workers = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (workers > 1) pool_ = std::make_unique<ParsePool>(workers);
  }

  CrawlResult run();

 private:
  bool stopping() const { return opt_.stop != nullptr && opt_.stop->load(); }
  std::size_t in_flight_limit() const {
    return static_cast<std::size_t>(
        std::max(1, opt_.concurrency.value_or(cfg_.limits.concurrency)));
  }
  int per_host_limit() const {
    return std::max(1,
                    opt_.connections_per_host.value_or(cfg_.politeness.max_connections_per_host));
  }
  FetcherOptions fetcher_options() const {
    FetcherOptions f;
    f.max_in_flight = in_flight_limit();
    f.max_host_connections = per_host_limit();
    f.connect_timeout = cfg_.limits.connect_timeout;
    f.total_timeout = cfg_.limits.total_timeout;
    f.low_speed_limit = static_cast<long>(cfg_.limits.low_speed_bytes_per_sec);
    f.low_speed_time = cfg_.limits.low_speed_time;
    f.max_body_bytes = static_cast<std::size_t>(cfg_.limits.max_body_bytes);
    f.user_agent = cfg_.user_agent;
    for (const auto& r : cfg_.connect.resolve) f.resolve.push_back(r.curl_spec());
    for (const auto& r : opt_.resolve) f.resolve.push_back(r);
    for (const auto& c : cfg_.connect.connect_to) f.connect_to.push_back(c.curl_spec());
    for (const auto& c : opt_.connect_to) f.connect_to.push_back(c);
    f.follow_redirects = false;  // every hop is checked here first (on_redirect)
    f.allow_private = cfg_.connect.allow_private || opt_.allow_private;
    return f;
  }

  // Ends the write transaction: it never stays open while the crawler waits on the network.
  // The run's counters go with it (a killed run shows what it stored). The search index is
  // brought up to date after the commit, in its own short transactions, every kIndexInterval
  // (and at the end of the run) — and on every turn while a backlog remains — for at most
  // kIndexBudget a turn, so indexing never holds the crawl's batch nor its next requests.
  void commit() {
    if (db_.batch_started()) {
      store::RunCounts counts = result_.counts;
      counts.requests = result_.requests;
      db_.commit(counts);
      batch_responses_ = 0;
    }
    db_.keep_alive();
    if (index_backlog_ || Clock::now() - last_index_ >= kIndexInterval) index_slice();
  }
  // Indexes for about kIndexBudget, in slices sized from the measured cost of an article (it
  // grows with the body's length: 1,000 characters ~0.4 ms, 13,000 ~5 ms).
  void index_slice() {
    const auto deadline = Clock::now() + kIndexBudget;
    std::int64_t slice = 0, n = 0;
    do {
      slice = index_slice_docs_;
      const auto t = Clock::now();
      n = db_.index_pending(slice, static_cast<int>(slice));
      if (n > 0) {
        const auto per_doc =
            std::max<Clock::duration>((Clock::now() - t) / n, std::chrono::microseconds(1));
        index_slice_docs_ = std::clamp<std::int64_t>((kIndexBudget / 4) / per_doc, 1, 500);
      }
    } while (n == slice && Clock::now() < deadline);
    index_backlog_ = n == slice;
    last_index_ = Clock::now();
  }
  // All of it (max_docs < 0) or at most max_docs: the end of a run.
  void index_now(std::int64_t max_docs = -1) {
    db_.index_pending(max_docs, kIndexChunk);
    last_index_ = Clock::now();
    index_backlog_ = false;
  }
  static constexpr std::chrono::seconds kIndexInterval{5};
  static constexpr int kIndexChunk = 1000;  // articles per transaction at the end of a run
  // 40 ms: a polite crawl's requests fall due every few milliseconds across many hosts; a turn
  // of the event loop held longer than this shows as late requests (scripts/bench/politeness.sh).
  static constexpr std::chrono::milliseconds kIndexBudget{40};
  static constexpr std::int64_t kIndexPerCall = 2000;  // at the end of a stopped run

  // resolve() for a link found on a page; a link over kMaxUrlBytes is skipped and counted.
  UrlResult resolve_link(std::string_view base, std::string_view href) {
    UrlResult u = resolve(base, href);
    if (u.error == UrlError::too_long) ++result_.urls_too_long;
    return u;
  }

  // Host and port: see crawl.h (Ingest::in_scope).
  bool in_scope(std::string_view url) const { return ingest_.in_scope(url); }
  const LinkClassifier& classifier() const { return ingest_.classifier(); }

  // robots.txt verdict for a URL whose host's robots.txt is known; nullopt while unknown.
  std::optional<bool> robots_allows(std::string_view url, const std::string& host) const {
    if (!cfg_.politeness.robots) return true;
    auto it = robots_.find(host);
    if (it == robots_.end()) return std::nullopt;
    return it->second.allowed(cfg_.user_agent, url);
  }

  bool enqueue(const std::string& url, UrlKind kind, int depth,
               const std::optional<std::string>& referrer, bool force, int stale = 0) {
    return intake_.enqueue(url, kind, depth, referrer, force, stale);
  }
  void dispatch();
  void kick();       // curl sends what was handed out (Fetcher::kick), then note_sent()
  void note_sent();  // Transport::take_sent() -> HostQueues::sent()
  void release(const std::string& host, std::uint64_t tag);
  void submit(FrontierItem item);
  void submit_robots(const std::string& host);
  void on_robots(const Response& r, const std::string& host);
  void on_response(Response r);
  // The part of on_response after the page is parsed (on this thread or by the pool).
  void after_parse(FrontierItem item, Response r, store::FetchLogEntry entry, Parsed parsed);
  // Hands back what the pool finished: each parsed page continues as after_parse.
  void take_parsed(milliseconds wait) {
    for (auto& [id, parsed] : pool_->take_finished(wait)) {
      auto node = awaiting_parse_.extract(id);
      if (node.empty()) continue;
      AwaitingParse& w = node.mapped();
      after_parse(std::move(w.item), std::move(w.response), std::move(w.entry), std::move(parsed));
    }
  }
  bool parsing() const { return pool_ && pool_->pending() > 0; }
  void on_redirect(FrontierItem item, const Response& r);
  void handle(Response r) {
    if (auto rt = robots_in_flight_.find(r.tag); rt != robots_in_flight_.end()) {
      std::string host = rt->second;
      robots_in_flight_.erase(rt);
      on_robots(r, host);
    } else {
      on_response(std::move(r));
    }
  }
  // extract::parse off the network loop: a page of kParseAsideBytes or more is parsed on a
  // worker thread while this thread keeps driving curl (transfers in flight keep receiving and
  // their timeouts do not fire because of our parse); what finishes meanwhile is parked and
  // handled next. extract::parse is pure and thread-safe (extract/extract.h).
  Parsed parse_aside(const std::string& body, const extract::ParseOptions& po,
                     const std::string& item_url) {
    if (body.size() < kParseAsideBytes || net_.idle()) return parse_and_resolve(body, po, item_url);
    auto parsed =
        std::async(std::launch::async, [&] { return parse_and_resolve(body, po, item_url); });
    while (parsed.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      for (Response& r : net_.poll(milliseconds(5))) parked_.push_back(std::move(r));
    }
    return parsed.get();
  }
  void fail_for_good(const FrontierItem& item, const std::string& error, bool counts);
  void store_article(const std::string& canonical, extract::Page page, const store::RawPage& raw,
                     std::span<const store::RawPage> more_pages = {});
  // page and raw: the continuation's extract and response (both or neither: null = failed).
  void continuation_done(const std::string& url, const extract::Page* page,
                         const store::RawPage* raw, const std::string& error);
  void finish_assembly(Assembly& a);
  void enforce_budget();
  void enqueue_rechecks();
  bool recheck_if_newer(const std::string& url, const std::string& lastmod);
  void abandon_in_flight();
  // Nothing queued here: true (go on) while other workers of the crawl hold work of the site
  // (after a pause, claiming what fell due); false when this process may finish.
  bool await_shared_work();
  void progress(bool final) {
    report_.update(result_, queues_.queued() + in_flight_.size(), final);
  }

  const config::Config& cfg_;
  CrawlStore& db_;  // the database: records, runs, and (unless injected) the frontier
  CrawlOptions opt_;
  std::ostream& log_;
  std::unique_ptr<Fetcher> own_fetcher_;  // unless CrawlOptions::transport
  Transport& net_;
  Frontier& frontier_;  // every URL and its state (durable)
  HostQueues queues_;   // the window of due URLs, per host, politely
  Ingest ingest_;       // the profile's scope, article decision, canonical URL, section fallback
  std::mt19937_64 rng_;
  ProgressReport report_;
  std::deque<Response> parked_;  // finished while a page was parsed aside (parse_aside)
  // With more than one worker, pages are parsed by the pool; a response waits here meanwhile.
  struct AwaitingParse {
    FrontierItem item;
    Response response;
    store::FetchLogEntry entry;
  };
  std::unique_ptr<ParsePool> pool_;
  std::unordered_map<std::uint64_t, AwaitingParse> awaiting_parse_;
  std::uint64_t next_parse_id_ = 0;
  std::int64_t max_pages_ = 0;

  std::int64_t run_id_ = 0;
  Clock::time_point last_index_ = Clock::now();
  bool index_backlog_ = false;          // the last index_slice() left articles waiting
  std::int64_t index_slice_docs_ = 16;  // articles per index transaction (index_slice())
  std::size_t batch_responses_ = 0;

  std::map<std::string, Robots> robots_;  // host -> robots.txt (once per host per run)
  std::map<std::string, bool> robots_unreachable_;
  std::set<std::string> robots_fetching_;
  std::uint64_t next_tag_ = 0;
  std::unordered_map<std::uint64_t, FrontierItem> in_flight_;
  std::unordered_map<std::uint64_t, std::string> robots_in_flight_;  // tag -> host
  std::unordered_set<std::uint64_t> sent_tags_;  // requests in flight that went out
  // tag -> the cached copy whose validators the request carries (served on a 304): read once,
  // when the request is sent.
  std::unordered_map<std::uint64_t, store::CachedPage> cached_in_flight_;
  std::map<std::string, Assembly> assemblies_;          // first-page URL -> assembly
  std::map<std::string, std::string> continuation_of_;  // continuation URL -> first-page URL
  std::unordered_set<std::string> stored_;              // canonical URLs stored this run

  std::int64_t dispatched_pages_ = 0;  // first attempts (the max-pages budget)
  std::set<std::string> rechecked_;    // re-checked this run because of a sitemap <lastmod>
  CrawlResult result_;
  LinkIntake intake_;  // links found -> frontier and window (after what it refers to)
  Clock::time_point started_;
};

void Crawler::submit(FrontierItem item) {
  Request req;
  req.url = request_url(item);
  req.tag = ++next_tag_;
  if (!item.fetch_url.empty()) {
    // A redirect hop: the validators and the cached copy belong to the original URL.
  } else if (item.recheck) {
    req.if_none_match = item.if_none_match;
    req.if_modified_since = item.if_modified_since;
  } else if (cacheable(item.kind)) {
    if (auto cached = db_.cached_page(item.url)) {
      req.if_none_match = cached->etag.value_or("");
      req.if_modified_since = cached->last_modified.value_or("");
      cached_in_flight_.emplace(req.tag, std::move(*cached));
    }
  }
  if (item.attempts == 0 && item.redirects == 0 && item.kind != UrlKind::continuation)
    ++dispatched_pages_;
  if (item.attempts > 0) ++result_.retries;
  ++result_.requests;
  in_flight_.emplace(req.tag, std::move(item));
  net_.submit(std::move(req));
}

void Crawler::submit_robots(const std::string& host) {
  Request req;
  req.url = intake_.origin(host) + "/robots.txt";
  req.tag = ++next_tag_;
  ++result_.requests;
  robots_fetching_.insert(host);
  robots_in_flight_.emplace(req.tag, host);
  net_.submit(std::move(req));
}

void Crawler::enforce_budget() {
  if (intake_.out_of_budget()) return;
  const bool pages_out = max_pages_ >= 0 && dispatched_pages_ >= max_pages_;
  const bool time_out = opt_.max_time && Clock::now() - started_ >= *opt_.max_time;
  if (!pages_out && !time_out) return;
  if (time_out) result_.time_limit_reached = true;
  // Out of budget: keep only the continuations of articles in progress; everything else stays
  // pending in the store's frontier for the next run.
  intake_.set_out_of_budget();
  for (const std::string& host : queues_.hosts()) {
    for (FrontierItem& item : queues_.take_all(host)) {
      if (item.kind == UrlKind::continuation) queues_.add(std::move(item));
    }
  }
}

// Hands out every URL that may start now, each sent by curl the moment it is handed out
// (Fetcher::kick): the frontier records its start then, so nothing may delay it before it goes
// out (on a loaded machine even handing out fifty URLs spans several scheduler slices).
void Crawler::dispatch() {
  if (stopping()) return;
  enforce_budget();
  auto room = [&] { return net_.in_flight() + net_.queued() < in_flight_limit(); };
  for (const std::string& host : queues_.closed_hosts_with_work()) {
    if (robots_fetching_.contains(host)) continue;
    if (!room()) break;
    if (queues_.try_start_extra(host, Clock::now())) {
      submit_robots(host);
      kick();
    }
  }
  while (room()) {
    enforce_budget();
    std::optional<FrontierItem> item = queues_.next(Clock::now());
    if (!item) break;
    if (item->kind == UrlKind::continuation && !continuation_of_.contains(item->url)) {
      // A later page whose page 1 is not being assembled here (a crawl killed in between left
      // its row; claimed from the frontier): whoever fetches page 1 again fetches it with it.
      release(item->host, 0);
      frontier_.done(item->url);
      continue;
    }
    submit(std::move(*item));
    kick();
  }
}

void Crawler::kick() {
  net_.kick();
  note_sent();
}

// Tells the frontier when each request actually went out (its host's delay counts from then).
void Crawler::note_sent() {
  for (const auto& [tag, at] : net_.take_sent()) {
    if (auto it = in_flight_.find(tag); it != in_flight_.end()) {
      queues_.sent(it->second.host, at);
    } else if (auto rt = robots_in_flight_.find(tag); rt != robots_in_flight_.end()) {
      queues_.sent(rt->second, at);
    } else {
      continue;
    }
    sent_tags_.insert(tag);
  }
}

// A request of `host` is over: a request that never went out is reported as such first.
void Crawler::release(const std::string& host, std::uint64_t tag) {
  if (sent_tags_.erase(tag) == 0) queues_.sent(host, std::nullopt);
  queues_.finished(host);
}

void Crawler::fail_for_good(const FrontierItem& item, const std::string& error, bool counts) {
  frontier_.failed(item.url, error, std::nullopt);
  if (counts) {
    ++result_.counts.pages_failed;
    if (report_.mode() == ProgressMode::lines)
      log_ << "newsharvest: failed " << item.url << ": " << error << "\n";
  }
  if (item.kind == UrlKind::continuation) continuation_done(item.url, nullptr, nullptr, error);
}

void Crawler::on_robots(const Response& r, const std::string& host) {
  release(host, r.tag);
  robots_fetching_.erase(host);
  RobotsFetch f;
  f.reachable = r.ok() || r.status > 0;
  f.status = r.ok() ? r.status : (r.status > 0 ? r.status : 0);
  if (!r.ok() && r.error != FetchError::none) f.reachable = false;
  f.body = r.body;
  Robots robots = Robots::from_fetch(f);
  const bool unreachable = !f.reachable || f.status >= 500 || f.status == 429;
  robots_unreachable_[host] = unreachable;
  db_.log_fetch(store::FetchLogEntry{
      cfg_.name, r.url,
      r.status > 0 ? std::optional<int>(static_cast<int>(r.status)) : std::nullopt,
      r.ok() ? std::nullopt : std::optional<std::string>(describe(r)), r.elapsed.count(),
      std::nullopt});
  milliseconds delay = cfg_.politeness.delay;
  if (auto cd = robots.crawl_delay(cfg_.user_agent)) {
    auto asked = milliseconds(static_cast<long long>(std::llround(*cd * 1000.0)));
    delay = std::max(delay, std::min(asked, cfg_.politeness.crawl_delay_cap));
  }
  queues_.set_delay(host, delay + kDelayMargin);
  robots_.insert_or_assign(host, std::move(robots));
  const Robots& rb = robots_.at(host);
  for (FrontierItem& item : queues_.take_all(host)) {
    if (rb.allowed(cfg_.user_agent, request_url(item))) {
      queues_.add(std::move(item));
    } else if (unreachable) {
      fail_for_good(item, "robots.txt unavailable (" + describe(r) + ")", true);
    } else {
      ++result_.robots_blocked;
      fail_for_good(item, "disallowed by robots.txt", false);
    }
  }
  queues_.open_host(host);
  // A profile without sitemaps takes the ones robots.txt names (in scope, fetched every run
  // like the profile's).
  if (cfg_.sitemaps.empty() && !unreachable) {
    for (const std::string& s : rb.sitemaps())
      if (UrlResult u = normalize(s)) enqueue(u.url, UrlKind::sitemap, 0, std::nullopt, true);
  }
}

void Crawler::store_article(const std::string& canonical, extract::Page page,
                            const store::RawPage& raw, std::span<const store::RawPage> more_pages) {
  if (!stored_.insert(canonical).second) return;  // another URL of it came first this run
  store::UpsertResult u = ingest_.store(db_, canonical, std::move(page), &raw, more_pages);
  switch (u.outcome) {
    case store::Upsert::inserted:
      ++result_.counts.articles_new;
      break;
    case store::Upsert::updated:
      ++result_.counts.articles_changed;
      break;
    case store::Upsert::unchanged:
      ++result_.counts.articles_unchanged;
      break;
  }
  if (u.duplicate_of) ++result_.duplicates;
}

void Crawler::continuation_done(const std::string& url, const extract::Page* page,
                                const store::RawPage* raw, const std::string& error) {
  auto owner = continuation_of_.find(url);
  if (owner == continuation_of_.end()) return;
  auto it = assemblies_.find(owner->second);
  if (it == assemblies_.end()) return;
  Assembly& a = it->second;
  int n = page_number(url);
  a.pending.erase(n);
  if (page && raw) {
    if (a.pages.emplace(n, *page).second) a.raws.emplace(n, *raw);
    // A pager that shows only neighbouring pages: later pages appear on this one.
    for (const std::string& more : article_continuations(a.first_url, [&] {
           std::vector<Link> v;
           for (const auto& l : page->links) {
             if (UrlResult u = resolve(page->final_url.empty() ? url : page->final_url, l.url)) {
               v.push_back(Link{u.url, l.text});
             }
           }
           return v;
         }())) {
      int m = page_number(more);
      if (m <= 1 || a.pages.contains(m) || a.pending.contains(m) || !in_scope(more)) continue;
      continuation_of_[more] = a.first_url;
      intake_.unmark_seen(
          more);  // may have been seen as an article link; fetch it as a continuation
      a.pending.emplace(m, more);
      if (!enqueue(more, UrlKind::continuation, a.depth, a.first_url, true)) a.pending.erase(m);
    }
  } else {
    a.failed.push_back(url + ": " + error);
  }
  if (a.pending.empty()) finish_assembly(a);
}

void Crawler::finish_assembly(Assembly& a) {
  std::vector<const extract::Page*> pages{&a.first};
  for (const auto& [n, p] : a.pages) pages.push_back(&p);
  // The continuations' responses in the same page order: linked to the article (article_pages)
  // so that reextract rebuilds it from every page it was joined from.
  std::vector<store::RawPage> more;
  more.reserve(a.raws.size());
  for (auto& [n, r] : a.raws) more.push_back(std::move(r));
  if (!a.failed.empty() && report_.mode() != ProgressMode::quiet) {
    log_ << "newsharvest: " << a.canonical << ": stored without " << a.failed.size()
         << " page(s) that failed\n";
  }
  std::string first = a.first_url;
  store_article(a.canonical, join_pages(pages), a.raw, more);
  frontier_.done(a.item_url);
  for (const auto& [n, p] : a.pages) continuation_of_.erase(p.url);
  assemblies_.erase(first);
}

void Crawler::on_response(Response r) {
  auto node = in_flight_.extract(r.tag);
  if (node.empty()) return;  // not a request of ours (cannot happen: every tag is registered)
  FrontierItem item = std::move(node.mapped());
  release(item.host, r.tag);
  ++batch_responses_;
  bool from_cache = false;
  std::optional<store::CachedPage> cached;
  if (auto c = cached_in_flight_.extract(r.tag); !c.empty()) cached = std::move(c.mapped());

  store::FetchLogEntry entry{
      cfg_.name,
      item.url,
      r.status > 0 ? std::optional<int>(static_cast<int>(r.status)) : std::nullopt,
      std::nullopt,
      r.elapsed.count(),
      std::nullopt};
  if (r.ok() && r.status == 304) {
    ++result_.counts.not_modified;
    if (item.recheck) {  // a stored article, unchanged since its archived response
      ++result_.counts.articles_unchanged;
      frontier_.done(item.url);
      db_.log_fetch(entry);
      return;
    }
    if (cached) {
      // Served from the cache: the page is processed as if it had arrived (its links lead the
      // incremental stop rule like a fresh copy would).
      db_.touch_cached_page(item.url);
      r.status = 200;
      r.body = std::move(cached->bytes);
      if (cached->content_type && !r.header("content-type"))
        r.headers.emplace_back("content-type", *cached->content_type);
      from_cache = true;
    }  // else: a 304 without a cached copy fails below as "HTTP 304"
  }
  if (r.ok() && is_redirect(r.status)) {
    entry.url = r.url;  // the hop that answered with the redirect
    db_.log_fetch(entry);
    on_redirect(std::move(item), r);
    return;
  }
  if (!is_success(r)) {
    std::string error = describe(r);
    entry.error = error;
    db_.log_fetch(entry);
    if (retryable(r) && item.attempts < cfg_.limits.max_retries && !stopping()) {
      ++item.attempts;
      milliseconds wait = backoff(item.attempts, opt_.retry_base, opt_.retry_cap,
                                  duration_cast<milliseconds>(r.retry_after), rng_);
      frontier_.failed(item.url, error, unix_now() + (wait.count() + 999) / 1000,
                       /*keep_claimed=*/true);
      queues_.retry(std::move(item), Clock::now() + wait);
    } else {
      fail_for_good(item, error, true);
    }
    return;
  }
  // A .xml.gz sitemap served as it is (no Content-Encoding): inflated here, capped like any
  // body (max_body_bytes).
  if ((item.kind == UrlKind::sitemap || item.kind == UrlKind::feed) && is_gzip(r.body)) {
    Inflated z = gunzip(r.body, static_cast<std::size_t>(cfg_.limits.max_body_bytes));
    if (!z.ok || z.over_cap) {
      entry.error = z.ok ? "gzip body over max_body_bytes" : z.error;
      db_.log_fetch(entry);
      fail_for_good(item, *entry.error, true);
      return;
    }
    r.body = std::move(z.bytes);
  }
  ++result_.counts.pages_fetched;
  if (!from_cache && cacheable(item.kind) && (r.header("etag") || r.header("last-modified"))) {
    store::CachedPage c;
    c.url = item.url;
    c.etag = r.header("etag");
    c.last_modified = r.header("last-modified");
    c.content_type = r.header("content-type");
    c.bytes = r.body;
    db_.cache_page(cfg_.name, c);
  }

  if (item.kind == UrlKind::sitemap || item.kind == UrlKind::feed) {
    Feed feed = parse_feed(r.body);
    const int depth = item.depth + 1;
    for (const std::string& s : feed.sitemaps) {
      if (UrlResult u = resolve_link(r.final_url, s))
        enqueue(u.url, UrlKind::sitemap, item.depth, item.url, false);
    }
    for (const std::string& p : feed.pages) {
      UrlResult u = resolve_link(r.final_url, p);
      if (!u) continue;
      if (auto lm = feed.lastmod.find(p);
          lm != feed.lastmod.end() && recheck_if_newer(u.url, lm->second))
        continue;
      Classification c = classifier().classify(u.url);
      if (c.kind == LinkKind::ignore) continue;
      enqueue(u.url, kind_of(c.kind), depth, item.url, false);
    }
    frontier_.done(item.url);
    db_.log_fetch(entry);
    return;
  }

  extract::ParseOptions po =
      ingest_.parse_options(item.url, r.final_url, r.header("content-type").value_or(""));
  if (pool_) {
    const std::uint64_t id = next_parse_id_++;
    pool_->submit(id, r.body, std::move(po), item.url);
    awaiting_parse_.emplace(id, AwaitingParse{std::move(item), std::move(r), std::move(entry)});
    return;
  }
  Parsed parsed = parse_aside(r.body, po, item.url);
  after_parse(std::move(item), std::move(r), std::move(entry), std::move(parsed));
}

void Crawler::after_parse(FrontierItem item, Response r, store::FetchLogEntry entry,
                          Parsed parsed) {
  extract::Page page = std::move(parsed.page);
  store::RawPage raw = raw_page_of(r, page.charset);

  UrlResult fin = normalize(r.final_url);
  std::string final_url = fin ? fin.url : item.url;
  if (final_url != item.url) intake_.mark_seen(final_url);

  // Every hop was checked before it was requested (on_redirect); this is the last line of
  // defence: nothing from outside the scope is stored, joined or followed.
  if (!in_scope(final_url)) {
    frontier_.done(item.url);
    db_.log_fetch(entry);
    if (item.kind == UrlKind::continuation)
      continuation_done(item.url, nullptr, nullptr, "answered from out of scope: " + final_url);
    return;
  }
  if (item.kind == UrlKind::continuation) {
    entry.raw_page_id = db_.store_raw_page(cfg_.name, raw);
    frontier_.done(item.url);
    db_.log_fetch(entry);
    continuation_done(item.url, &page, &raw, "");
    return;
  }

  // A later page of an article reached as an article of its own (a sitemap listing it, a
  // pager link followed before page 1 was seen as multi-page) is not stored on its own: it
  // belongs to the record of page 1.
  const bool part_of_other =
      continuation_of_.contains(item.url) || continuation_of_.contains(final_url) || [&] {
        std::string base = first_page_of(final_url);
        return !base.empty() && (stored_.contains(base) || assemblies_.contains(base));
      }();
  // What an article is: Ingest::is_article (the profile's patterns decide when it has some).
  const bool is_article = !part_of_other && ingest_.is_article(page, final_url);
  std::set<std::string> skip;
  bool page1_pending = false;
  if (is_article) {
    const std::string canonical = ingest_.canonical(final_url, page);
    entry.raw_page_id = db_.store_raw_page(cfg_.name, raw);
    const std::vector<Link>& links = parsed.links;  // resolved against final_url
    std::vector<std::string> conts;
    for (std::string& c : article_continuations(final_url, links)) {
      if (c != final_url && in_scope(c)) conts.push_back(std::move(c));
    }
    if (!conts.empty() && !stored_.contains(canonical) && !assemblies_.contains(final_url)) {
      Assembly a;
      a.canonical = canonical;
      a.item_url = item.url;
      a.first_url = final_url;
      a.depth = item.depth;
      a.first = page;
      a.raw = raw;
      for (const std::string& c : conts) {
        skip.insert(c);
        int n = page_number(c);
        if (n <= 1 || a.pending.contains(n)) continue;
        continuation_of_[c] = final_url;
        intake_.unmark_seen(c);  // queued as an article from a sitemap? fetch it as a continuation
        a.pending.emplace(n, c);
      }
      auto& ref = assemblies_.emplace(final_url, std::move(a)).first->second;
      std::vector<std::pair<int, std::string>> todo(ref.pending.begin(), ref.pending.end());
      for (const auto& [n, c] : todo) {
        if (!enqueue(c, UrlKind::continuation, item.depth, final_url, true)) ref.pending.erase(n);
      }
      if (ref.pending.empty()) {
        finish_assembly(ref);
      } else {
        // Page 1 stays pending in the frontier until the whole article is stored: a crawl
        // killed in between refetches it (and its continuations) instead of losing the article.
        page1_pending = true;
      }
    } else {
      for (const std::string& c : conts) skip.insert(c);
      store_article(canonical, page, raw);
    }
  }
  intake_.follow_links(parsed.links, parsed.links_too_long, item, final_url, skip);
  if (!page1_pending) frontier_.done(item.url);
  db_.log_fetch(entry);
}

void Crawler::on_redirect(FrontierItem item, const Response& r) {
  const std::string status = "HTTP " + std::to_string(r.status);
  std::optional<std::string> location = r.header("location");
  if (!location || location->empty()) {
    fail_for_good(item, status + " without a Location header", true);
    return;
  }
  UrlResult to = resolve(r.url, *location);
  if (!to) {
    fail_for_good(item, status + " to an unusable URL", true);
    return;
  }
  if (item.redirects >= kMaxRedirectHops) {
    fail_for_good(item,
                  "redirect_loop: more than " + std::to_string(kMaxRedirectHops) +
                      " redirects (last: " + to.url + ")",
                  true);
    return;
  }
  if (!in_scope(to.url)) {
    ++result_.redirects_refused;
    fail_for_good(item, status + " out of scope to " + to.url + ": not requested", false);
    return;
  }
  std::string host = host_of(to.url);
  if (auto allowed = robots_allows(to.url, host); allowed && !*allowed) {
    ++result_.robots_blocked;
    fail_for_good(item, status + " to " + to.url + ", disallowed by robots.txt", false);
    return;
  }
  // The hop waits like any URL of its host: behind that host's robots.txt (fetched first
  // when unknown; on_robots checks the hop's URL) and its politeness delay.
  intake_.note_origin(host, to.url);
  item.fetch_url = to.url;
  item.host = std::move(host);
  ++item.redirects;
  queues_.add(std::move(item));
}

// Seconds since the epoch of a W3C datetime as sitemaps write <lastmod> (YYYY-MM-DD, or with
// THH:MM[:SS[.frac]] and Z or ±HH:MM; a time without a zone is taken as UTC) and as the store
// writes its times; nullopt when unreadable.
std::optional<std::int64_t> w3c_epoch(const std::string& s) {
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10) return std::nullopt;
  std::size_t i = 10;
  std::int64_t offset = 0;
  if (i < s.size() && s[i] == 'T') {
    int m = 0;
    if (std::sscanf(s.c_str() + i, "T%2d:%2d%n", &h, &mi, &m) != 2) return std::nullopt;
    i += static_cast<std::size_t>(m);
    if (i < s.size() && s[i] == ':' && std::sscanf(s.c_str() + i, ":%2d%n", &sec, &m) == 1)
      i += static_cast<std::size_t>(m);
    while (i < s.size() && (s[i] == '.' || std::isdigit(static_cast<unsigned char>(s[i])))) ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      int oh = 0, om = 0;
      if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
      offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

// A stored article a sitemap lists with a <lastmod> later than the stored version's time is
// fetched again (as a re-check: a changed page makes a new version). true when queued so.
bool Crawler::recheck_if_newer(const std::string& url, const std::string& lastmod) {
  // Only an article done in an earlier run (not one queued or fetched in this one), once.
  if (rechecked_.contains(url) || !in_scope(url)) return false;
  const auto when = w3c_epoch(lastmod);
  if (!when) return false;
  if (frontier_.state(url) != store::FrontierState::done) return false;
  const std::optional<store::StoredArticle> stored = db_.find_article(url);
  if (!stored) return false;
  const auto have = w3c_epoch(stored->updated_at);
  if (!have || *when <= *have) return false;
  std::string host = host_of(url);
  intake_.mark_seen(url);
  rechecked_.insert(url);
  intake_.note_origin(host, url);
  FrontierItem item;
  item.url = url;
  item.host = std::move(host);
  item.kind = UrlKind::article;
  item.depth = cfg_.limits.max_depth;  // re-check the article, not what it links to
  item.recheck = true;
  queues_.add(std::move(item));
  ++result_.sitemap_rechecks;
  return true;
}

void Crawler::enqueue_rechecks() {
  const auto days = static_cast<int>(cfg_.recrawl.recheck_articles_younger_than.count());
  if (days <= 0) return;
  for (const store::RecheckItem& r : db_.articles_to_recheck(cfg_.name, days)) {
    UrlResult n = normalize(r.fetch_url);
    if (!n || intake_.seen(n.url) || !in_scope(n.url)) continue;
    std::string host = host_of(n.url);
    intake_.mark_seen(n.url);
    intake_.note_origin(host, n.url);
    FrontierItem item;
    item.url = n.url;
    item.host = std::move(host);
    item.kind = UrlKind::article;
    item.depth = cfg_.limits.max_depth;  // re-check the article, not what it links to
    item.recheck = true;
    item.if_none_match = r.etag.value_or("");
    item.if_modified_since = r.last_modified.value_or("");
    queues_.add(std::move(item));
  }
}

bool Crawler::await_shared_work() {
  commit();
  if (!frontier_.shared_work_pending()) return false;
  std::this_thread::sleep_for(kSharedWorkPoll);
  intake_.refill(true);
  return true;
}

void Crawler::abandon_in_flight() {
  std::size_t n = 0;
  for (std::uint64_t tag : net_.abandon_all()) {
    ++n;
    if (auto rt = robots_in_flight_.find(tag); rt != robots_in_flight_.end()) {
      release(rt->second, tag);
      robots_fetching_.erase(rt->second);
      robots_in_flight_.erase(rt);
      continue;
    }
    cached_in_flight_.erase(tag);
    auto node = in_flight_.extract(tag);
    if (node.empty()) continue;
    release(node.mapped().host, tag);
    queues_.add(std::move(node.mapped()));  // still to do: counted as pending
  }
  if (n > 0 && report_.mode() != ProgressMode::quiet) {
    if (report_.mode() == ProgressMode::bar) log_ << "\r\x1b[K";
    log_ << "newsharvest: abandoned " << n << " request(s) still in flight "
         << opt_.stop_grace.count() << " ms after the stop; they stay pending\n";
  }
}

CrawlResult Crawler::run() {
  started_ = Clock::now();
  result_.site = cfg_.name;
  // The caller holds this site's lock: rows and runs of this site left in progress are dead.
  db_.close_abandoned_runs(cfg_.name);
  frontier_.requeue_claimed();
  run_id_ = db_.begin_run(cfg_.name);
  frontier_.start_run(run_id_);
  result_.run_id = run_id_;

  std::vector<std::string> primary;
  for (const std::string& u : cfg_.start_urls()) {
    if (UrlResult n = normalize(u)) {
      primary.push_back(host_of(n.url));
      enqueue(n.url, UrlKind::seed, 0, std::nullopt, true);
    }
  }
  queues_.set_primary_hosts(std::move(primary));
  for (const std::string& u : cfg_.sitemaps) {
    if (UrlResult n = normalize(u)) enqueue(n.url, UrlKind::sitemap, 0, std::nullopt, true);
  }
  for (const std::string& u : cfg_.feeds) {
    if (UrlResult n = normalize(u)) enqueue(n.url, UrlKind::feed, 0, std::nullopt, true);
  }
  enqueue_rechecks();
  commit();
  // Resume: whatever an earlier run left pending (and what was just enqueued).
  intake_.refill(true);

  std::optional<Clock::time_point> stop_deadline;
  while (true) {
    // Parses waiting for the pool bound memory (each holds a response): past kMaxAwaitingParse
    // per worker, the pool catches up before more responses are taken in.
    while (pool_ && awaiting_parse_.size() >= kMaxAwaitingParsePerWorker * pool_->threads()) {
      commit();  // the wait below is not inside a write transaction
      take_parsed(milliseconds(100));
      dispatch();  // what fell due meanwhile still goes out on time
    }
    // Never wait (sleep, network) inside a write transaction: other writers get the lock. And
    // commit (and index) *before* handing out work: a URL's start is recorded against its
    // host's delay when dispatch() hands it out, and curl sends it in the poll() right after,
    // so nothing slow may stand between the two (a gap the server sees would shrink by it).
    commit();
    intake_.refill(false);
    if (!stopping()) {
      dispatch();
    } else if (!stop_deadline) {
      stop_deadline = Clock::now() + opt_.stop_grace;
    } else if (Clock::now() >= *stop_deadline && !net_.idle()) {
      abandon_in_flight();
    }
    if (net_.idle() && !parsing()) {
      if (stopping() || (intake_.out_of_budget() && queues_.empty())) break;
      if (queues_.empty() && robots_fetching_.empty() && !await_shared_work()) break;
    }
    auto wait = milliseconds(100);
    if (auto t = queues_.next_ready_time(Clock::now())) {
      wait = std::clamp(duration_cast<milliseconds>(*t - Clock::now()), milliseconds(0),
                        milliseconds(100));
    }
    if (net_.idle()) {
      if (parsing())
        take_parsed(std::max(wait, milliseconds(1)));
      else if (wait.count() > 0)
        std::this_thread::sleep_for(wait);
      continue;
    }
    std::vector<Response> done = net_.poll(parsing() ? std::min(wait, milliseconds(2)) : wait);
    note_sent();
    dispatch();  // first what fell due while waiting, then the responses
    for (Response& r : done) handle(std::move(r));
    if (pool_) take_parsed(milliseconds(0));
    // Responses that finished while a large page was being parsed (parse_aside), and those
    // that finish while their own large pages are parsed, in arrival order.
    while (!parked_.empty()) {
      Response r = std::move(parked_.front());
      parked_.pop_front();
      handle(std::move(r));
    }
    if (const auto began = db_.batch_started();
        began &&
        (batch_responses_ >= opt_.batch_size || Clock::now() - *began >= opt_.batch_interval)) {
      commit();
    }
    progress(false);
  }
  // Articles whose continuations were never answered (the crawl was stopped) are not stored
  // half: their page 1 is still pending and the next run assembles them whole.
  assemblies_.clear();
  commit();
  // A search right after the crawl finds every article it stored (a stopped crawl leaves a
  // large backlog to the next run or `newsharvest index`).
  index_now(stopping() ? kIndexPerCall : -1);
  // Claimed rows not processed this run go back to pending for the next one.
  frontier_.requeue_claimed();
  result_.pending = frontier_.pending();

  result_.counts.requests = result_.requests;
  const auto& c = result_.counts;
  const std::int64_t finished = c.pages_fetched + c.pages_failed;
  result_.failed_share =
      finished > 0 ? static_cast<double>(c.pages_failed) / static_cast<double>(finished) : 0.0;
  if (!stopping()) {
    result_.alarms = drift_alarms(db_, cfg_, run_id_, result_.counts);
    // robots.txt shut the whole crawl out: a run that fetched nothing is not a success cron
    // should stay silent about (exit 3, the reason stored with the run). Re-checks answered
    // 304 were allowed and answered: they count as fetched here.
    if (c.pages_fetched == 0 && c.not_modified == 0 && result_.robots_blocked > 0) {
      result_.alarms.push_back("robots.txt disallows every URL this run tried (" +
                               std::to_string(result_.robots_blocked) +
                               " blocked, 0 pages fetched): nothing of the site was crawled");
    }
  }
  if (stopping()) {
    result_.status = store::RunStatus::interrupted;
  } else if (result_.failed_share > cfg_.failure.max_failed_share ||
             (finished == 0 && c.pages_failed > 0) || !result_.alarms.empty()) {
    result_.status = store::RunStatus::degraded;
  } else {
    result_.status = store::RunStatus::ok;
  }
  result_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  db_.finish_run(run_id_, result_.status, result_.counts, result_.alarms);
  db_.checkpoint();  // WAL back to 0 bytes unless someone reads or writes now
  progress(true);
  return result_;
}

}  // namespace

CrawlResult crawl(const config::Config& config, CrawlStore& db, const CrawlOptions& options) {
  Crawler c(config, db, options);
  return c.run();
}

CrawlResult crawl(const config::Config& config, store::Store& store, const CrawlOptions& options) {
  SqliteCrawlStore db(store, config.name);
  return crawl(config, db, options);
}

store::RawPage raw_page_of(const Response& r, const std::string& charset) {
  store::RawPage raw;
  raw.url = r.url;
  raw.final_url = r.final_url;
  raw.status = static_cast<int>(r.status);
  raw.content_type = r.header("content-type");
  raw.etag = r.header("etag");
  raw.last_modified = r.header("last-modified");
  if (!charset.empty()) raw.charset = charset;
  raw.bytes = r.body;
  return raw;
}

FetchOneResult fetch_one(const std::string& url, const FetchOneOptions& o) {
  FetchOneResult out;
  UrlResult n = normalize(url);
  if (!n) {
    out.error = "not an http(s) URL";
    return out;
  }
  FetcherOptions f;
  f.max_in_flight = 1;
  f.connect_timeout = o.connect_timeout;
  f.total_timeout = o.total_timeout;
  f.max_body_bytes = o.max_body_bytes;
  f.user_agent = o.user_agent;
  f.resolve = o.resolve;
  f.connect_to = o.connect_to;
  f.allow_private = o.allow_private;  // checked on every connection, redirect hops included
  // Redirects are followed here, as in a crawl: each hop's robots.txt is read before the hop
  // is requested.
  f.follow_redirects = false;
  Fetcher fetcher(f);
  auto fetch = [&](const std::string& u) {
    fetcher.submit(Request{u, {}, {}, {}, 1});
    std::vector<Response> rs = fetcher.drain();
    return std::move(rs.front());
  };
  std::map<std::string, Robots> robots_by_origin;  // one robots.txt per host of the chain
  // "" when `u` may be fetched; else why not. The first request to a host waits the host's
  // delay after its robots.txt, like in a crawl.
  auto robots_refusal = [&](const std::string& u) -> std::string {
    if (o.ignore_robots) return {};
    const std::string origin = origin_of(u);
    auto it = robots_by_origin.find(origin);
    if (it == robots_by_origin.end()) {
      Response rr = fetch(origin + "/robots.txt");
      RobotsFetch rf;
      rf.reachable = rr.ok();
      rf.status = rr.status;
      rf.body = rr.body;
      it = robots_by_origin.emplace(origin, Robots::from_fetch(rf)).first;
      if (!it->second.allowed(o.user_agent, u))
        return (!rr.ok() || rr.status >= 500 || rr.status == 429)
                   ? "robots.txt unavailable (" + describe(rr) + "), not fetching"
                   : "disallowed by robots.txt";
      milliseconds pause = o.delay;
      if (auto cd = it->second.crawl_delay(o.user_agent)) {
        auto asked = milliseconds(static_cast<long long>(std::llround(*cd * 1000.0)));
        pause = std::max(pause, std::min(asked, o.crawl_delay_cap));
      }
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
      return {};
    }
    return it->second.allowed(o.user_agent, u) ? std::string() : "disallowed by robots.txt";
  };
  std::string current = url;
  for (int hop = 0;; ++hop) {
    if (std::string why = robots_refusal(current); !why.empty()) {
      out.error = hop == 0 ? why : "redirected to " + current + ", " + why;
      return out;
    }
    for (int attempt = 0;; ++attempt) {
      out.response = fetch(current);
      if (is_success(out.response) || !retryable(out.response) || attempt >= o.max_retries) break;
    }
    if (!out.response.ok() || !is_redirect(out.response.status)) break;
    const std::optional<std::string> location = out.response.header("location");
    UrlResult to = resolve(current, location.value_or(""));
    if (!location || location->empty() || !to) {
      out.error = "HTTP " + std::to_string(out.response.status) + " without a usable Location";
      return out;
    }
    if (hop + 1 > kMaxRedirectHops) {
      out.error = "redirect_loop: more than " + std::to_string(kMaxRedirectHops) +
                  " redirects (last: " + to.url + ")";
      return out;
    }
    current = to.url;
  }
  if (!is_success(out.response)) {
    out.error = describe(out.response);
    return out;
  }
  extract::ParseOptions po;
  po.url = url;
  po.final_url = out.response.final_url;
  po.content_type = out.response.header("content-type").value_or("");
  po.charset = o.charset;
  po.time_zone = o.time_zone;
  po.explain = o.explain;
  out.page = extract::parse(out.response.body, po);
  out.ok = true;
  return out;
}

}  // namespace nh::crawler
