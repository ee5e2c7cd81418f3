#include "crawler/intake.h"

#include <algorithm>

#include "crawler/urls.h"

namespace nh::crawler {

bool list_like(UrlKind kind) { return kind == UrlKind::seed || kind == UrlKind::list; }

UrlKind kind_of(LinkKind k) {
  return k == LinkKind::article ? UrlKind::article
         : k == LinkKind::list  ? UrlKind::list
                                : UrlKind::other;
}

std::string origin_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  auto path = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, path));
}

LinkIntake::LinkIntake(const config::Config& cfg, const Ingest& ingest, Frontier& frontier,
                       HostQueues& queues, const std::map<std::string, Robots>& robots,
                       CrawlResult& result, std::function<void()> commit)
    : cfg_(cfg),
      ingest_(ingest),
      frontier_(frontier),
      queues_(queues),
      robots_(robots),
      result_(result),
      commit_(std::move(commit)),
      window_(static_cast<std::size_t>(std::max<std::int64_t>(1, cfg.limits.frontier_window))) {}

std::optional<bool> LinkIntake::robots_allows(std::string_view url, const std::string& host) const {
  if (!cfg_.politeness.robots) return true;
  auto it = robots_.find(host);
  if (it == robots_.end()) return std::nullopt;
  return it->second.allowed(cfg_.user_agent, url);
}

void LinkIntake::note_origin(const std::string& host, std::string_view url) {
  origins_.try_emplace(host, origin_of(url));
}

bool LinkIntake::enqueue(const std::string& url, UrlKind kind, int depth,
                         const std::optional<std::string>& referrer, bool force, int stale) {
  if (frontier_.seen(url)) return false;
  if (!ingest_.in_scope(url)) return false;
  // follow = "patterns": links are followed only in a shape the profile names (start URLs,
  // sitemaps, feeds and the later pages of an article being fetched always are).
  if (cfg_.follow == config::Follow::patterns && kind != UrlKind::seed &&
      kind != UrlKind::sitemap && kind != UrlKind::feed && kind != UrlKind::continuation &&
      !cfg_.is_list_url(url) && !cfg_.is_article_url(url)) {
    frontier_.mark_seen(url);
    ++result_.unmatched_skipped;
    return false;
  }
  std::string host = host_of(url);
  if (auto allowed = robots_allows(url, host); allowed && !*allowed) {
    frontier_.mark_seen(url);
    ++result_.robots_blocked;
    return false;
  }
  frontier_.mark_seen(url);
  origins_.try_emplace(host, origin_of(url));
  // In memory (claimed in the store) unless it can wait there: out of page budget (the next
  // run), or the in-memory window is full (a later refill() claims it). Start URLs, sitemaps,
  // feeds, the later pages of an article and forced URLs always go in.
  const bool must = force || kind == UrlKind::seed || kind == UrlKind::sitemap ||
                    kind == UrlKind::feed || kind == UrlKind::continuation;
  const bool in_memory =
      kind == UrlKind::continuation || (!budget_exhausted_ && (must || queues_.queued() < window_));
  store::FrontierEntry e{url,          cfg_.name, std::string(to_string(kind)), depth, referrer,
                         std::nullopt, in_memory};
  bool added = frontier_.add(e);
  // Not added: the URL is in the frontier table from an earlier run (done, failed, or waiting
  // for a retry). Start URLs are fetched every run anyway: that is how new articles are found.
  // The later pages of an article go with its page 1 (whoever holds page 1 fetches them); the
  // claim is taken where it can be, so no other worker hands the row out again.
  if (!added && (!force || !frontier_.take_forced(url)) && kind != UrlKind::continuation)
    return false;
  if (added) ++result_.counts.links_enqueued;
  if (!in_memory) {
    if (!budget_exhausted_) ++deferred_;  // pending in the store until refill() claims it
    return added;
  }
  FrontierItem item;
  item.url = url;
  item.host = std::move(host);
  item.kind = kind;
  item.depth = depth;
  item.referrer = referrer;
  item.stale = stale;
  queues_.add(std::move(item));
  return true;
}

// Claims due URLs of this site from the store into the in-memory window: at the start (what
// earlier runs left), and later whenever the window is under half full while URLs this run
// deferred (or more of an earlier run's) wait there. claim_due runs its own transaction.
void LinkIntake::refill(bool first) {
  if (budget_exhausted_) return;
  if (!first && ((deferred_ <= 0 && !store_has_more_) || queues_.queued() * 2 >= window_)) return;
  const std::size_t room = window_ > queues_.queued() ? window_ - queues_.queued() : 0;
  if (room == 0) return;
  commit_();
  const auto items = frontier_.claim_due(static_cast<int>(room));
  for (const store::FrontierItem& item : items) add_claimed(item);
  store_has_more_ = items.size() == room;
  if (!first) deferred_ -= static_cast<std::int64_t>(items.size());
  if (!store_has_more_) deferred_ = 0;
}

// A row claim_due() handed out: never one in memory already (those are claimed in the store).
void LinkIntake::add_claimed(const store::FrontierItem& c) {
  std::string host = host_of(c.url);
  if (host.empty()) return;
  frontier_.mark_seen(c.url);
  origins_.try_emplace(host, origin_of(c.url));
  FrontierItem item;
  item.url = c.url;
  item.host = std::move(host);
  item.kind = url_kind(c.kind);
  item.depth = c.depth;
  item.attempts = c.attempts;
  queues_.add(std::move(item));
}

void LinkIntake::follow_links(const std::vector<Link>& links, int too_long,
                              const FrontierItem& item, const std::string& base_url,
                              const std::set<std::string>& skip) {
  result_.urls_too_long += too_long;
  const bool listy = list_like(item.kind);
  Pager pager = find_pager(base_url, links);
  std::set<std::string> pager_urls(pager.numbered.begin(), pager.numbered.end());
  if (pager.next) pager_urls.insert(*pager.next);
  if (pager.last) pager_urls.insert(*pager.last);

  // What this list page says about the section: its article links, and how many of them the
  // store lacks (not in the frontier, or still waiting there). Counted before enqueueing.
  int unstored = 0;
  if (listy) {
    std::set<std::string> articles;
    for (const Link& l : links) {
      if (skip.contains(l.url) || !ingest_.in_scope(l.url)) continue;
      if (ingest_.classifier().kind(l.url) != LinkKind::article || !articles.insert(l.url).second)
        continue;
      auto state = frontier_.state(l.url);
      if (!state || *state == store::FrontierState::pending ||
          *state == store::FrontierState::in_progress) {
        ++unstored;
      }
    }
    ++result_.counts.list_pages;
    result_.counts.list_article_links += static_cast<std::int64_t>(articles.size());
  }

  const int depth = item.depth + 1;
  if (depth > cfg_.limits.max_depth) return;
  for (const Link& l : links) {
    if (skip.contains(l.url) || frontier_.seen(l.url)) continue;
    if (listy && pager_urls.contains(l.url)) continue;  // decided below
    Classification c = ingest_.classifier().classify(l.url);
    if (c.kind == LinkKind::ignore) continue;
    enqueue(l.url, kind_of(c.kind), depth, item.url, false);
  }

  // Pagination (also pagers the URL shapes did not catch: a "下一页" link in an unknown shape).
  // A list page that found nothing new extends its chain's stale run; the chain ends after
  // list_lookback_pages of them. While it goes on, the next page is fetched even when known
  // (it may hold articles pushed down by new ones); other pager links only when never seen.
  int stale = 0;
  if (listy) {
    stale = unstored > 0 ? 0 : item.stale + 1;
    if (stale >= std::max(1, cfg_.recrawl.list_lookback_pages)) return;
  }
  auto page_link = [&](const std::string& u, bool force) {
    if (skip.contains(u) || frontier_.seen(u)) return;
    enqueue(u, UrlKind::list, depth, item.url, force && listy, stale);
  };
  if (pager.next) page_link(*pager.next, true);
  for (const auto& u : pager.numbered) page_link(u, false);
  if (pager.last) page_link(*pager.last, false);
}

}  // namespace nh::crawler
