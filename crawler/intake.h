// Link intake: what the crawl does with a URL it found (a link on a page, a start URL, a
// sitemap entry, a redirect target) and how the in-memory window is filled from the frontier.
//
// Contract:
//   - enqueue(url, kind, …) queues a URL once per run: out of scope, out of the profile's
//     patterns (follow = "patterns") or disallowed by a known robots.txt, it is refused and
//     counted (CrawlResult::unmatched_skipped, robots_blocked); otherwise it is added to the
//     Frontier (a URL an earlier run added is queued again only when `force`: start pages,
//     the pagination chain of a re-crawl) and, while the window has room, to the HostQueues
//     (its row claimed); else it waits in the frontier until refill() claims it. The later
//     page of an article (kind continuation) is queued whatever its row says: whoever holds
//     page 1 fetches the pages it is joined from (a dead worker's claim, or a row another
//     worker marked done, does not split the article). After
//     out_of_budget() nothing new enters memory but the later pages of articles in progress.
//   - refill(first) claims due rows into the window: at the start of a run (first), and later
//     when the window is under half full while rows this run deferred (or an earlier run
//     left) wait. It calls `commit` first (claim_due runs its own transaction).
//   - follow_links() takes a fetched page's links: every link in a known shape is enqueued;
//     on list pages, the pager's "next" link is followed even when known while the page shows
//     an article the store lacks, and the chain stops after RecrawlPolicy::list_lookback_pages
//     list pages in a row with nothing new (crawl.h, incremental re-crawls).
//   - seen() is the run's set of URLs considered (queued, refused, fetched), kept by the
//     Frontier (on disk for SqliteFrontier); origin(host) the
//     "scheme://host[:port]" the crawl uses for the host's robots.txt.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "crawler/crawl.h"
#include "crawler/frontier.h"
#include "crawler/host_queues.h"
#include "crawler/ingest.h"
#include "crawler/links.h"
#include "crawler/robots.h"

namespace nh::crawler {

// Start and list pages: their links and pager are followed as a list's.
bool list_like(UrlKind kind);
// The frontier kind of a link the classifier placed (ignored links are never queued).
UrlKind kind_of(LinkKind k);
// "http://host:port" of an absolute URL.
std::string origin_of(std::string_view url);

class LinkIntake {
 public:
  // `robots`: the crawl's robots.txt per host (known ones); `result`: the run's counters;
  // `commit`: ends the crawl's open store transaction.
  LinkIntake(const config::Config& cfg, const Ingest& ingest, Frontier& frontier,
             HostQueues& queues, const std::map<std::string, Robots>& robots, CrawlResult& result,
             std::function<void()> commit);

  bool enqueue(const std::string& url, UrlKind kind, int depth,
               const std::optional<std::string>& referrer, bool force, int stale = 0);
  void refill(bool first);
  void follow_links(const std::vector<Link>& links, int too_long, const FrontierItem& item,
                    const std::string& base_url, const std::set<std::string>& skip);

  void set_out_of_budget() { budget_exhausted_ = true; }
  bool out_of_budget() const { return budget_exhausted_; }
  // The run's seen set (Frontier::seen): URLs considered this run (queued, refused, fetched).
  bool seen(std::string_view url) { return frontier_.seen(url); }
  void mark_seen(std::string_view url) { frontier_.mark_seen(url); }
  void unmark_seen(std::string_view url) { frontier_.unmark_seen(url); }
  // Records the origin of a URL's host (first one wins); the origin of a host ("" unknown).
  void note_origin(const std::string& host, std::string_view url);
  const std::string& origin(const std::string& host) { return origins_[host]; }

 private:
  void add_claimed(const store::FrontierItem& item);
  // robots.txt verdict for a URL whose host's robots.txt is known; nullopt while unknown.
  std::optional<bool> robots_allows(std::string_view url, const std::string& host) const;

  const config::Config& cfg_;
  const Ingest& ingest_;
  Frontier& frontier_;
  HostQueues& queues_;
  const std::map<std::string, Robots>& robots_;
  CrawlResult& result_;
  std::function<void()> commit_;

  std::map<std::string, std::string> origins_;  // host -> "http://host[:port]"
  std::size_t window_ = 1;                      // Limits::frontier_window
  std::int64_t deferred_ = 0;                   // rows this run left pending (window full)
  bool store_has_more_ = false;                 // the last claim filled the window
  bool budget_exhausted_ = false;
};

}  // namespace nh::crawler
