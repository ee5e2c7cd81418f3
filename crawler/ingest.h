// One ingest path (issue 14): a fetched or read page becomes a stored record the same way
// whoever got it — the crawl, `fetch --db`, `extract --db` and `reextract` all go through here.
//
// Contract:
//   - An Ingest is built for one site: from its profile (config::Config), or for pages without
//     one (a one-off fetch or file: no patterns, no sections, the site name given).
//   - parse_options(): the extractor's options for a page of the site: the URL requested, the
//     final URL, the response's Content-Type, and the profile's forced charset and time zone.
//   - in_scope(url, page_url): with a profile, the url's host is allowed, the url is not
//     excluded, and its port is the scheme's default (80/443) or one the profile's start URLs,
//     sitemaps or feeds name for that host. Without a profile: the same host and port as
//     page_url (the page the url was found on).
//   - is_article(page, url): with profile article/list patterns the profile decides — url in
//     article shape and the extractor found a body or a title (a template change then shows as
//     falling fill rates instead of vanishing articles). Otherwise a body is required, and the
//     url in article shape (built-in heuristics, links.h) or the extractor's verdict.
//   - canonical(url, page): the page's <link rel=canonical> resolved against url when it is in
//     scope (and, with patterns, in article shape); else url.
//   - complete(page, canonical, stored): the section fallback — the profile's section for the
//     canonical URL when the page names none; without a profile section, a section a profile
//     supplied to the stored record (provenance "profile:sections") is kept.
//   - store(): complete() then Batch::upsert_article. raw (page 1) and more_pages (pages 2..n,
//     join order) are archived and linked; the record's page count (articles.page_count) is
//     1 + more_pages.size() — the join is recorded as data. Without raw the stored pages and
//     page count stay.
// Immutable after construction; safe to share between threads.
#pragma once

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "config/config.h"
#include "crawler/links.h"
#include "extract/extract.h"
#include "store/store.h"

namespace nh::crawler {

class Ingest {
 public:
  // A site with a profile (kept by reference: it must outlive this object).
  explicit Ingest(const config::Config& profile);
  // Pages without a profile, stored under `site`.
  explicit Ingest(std::string site);

  const std::string& site() const { return site_; }
  const LinkClassifier& classifier() const { return classifier_; }

  extract::ParseOptions parse_options(std::string url, std::string final_url,
                                      std::string content_type) const;
  bool in_scope(std::string_view url, std::string_view page_url = {}) const;
  bool is_article(const extract::Page& page, std::string_view url) const;
  std::string canonical(const std::string& url, const extract::Page& page) const;
  void complete(extract::Page& page, std::string_view canonical,
                const store::StoredArticle* stored = nullptr) const;
  // `sink`: a store::Batch, or the crawl's CrawlStore (crawl_store.h) — anything with
  // upsert_article(site, canonical, page, raw, more_pages).
  template <class Sink>
  store::UpsertResult store(Sink& sink, const std::string& canonical, extract::Page page,
                            const store::RawPage* raw,
                            std::span<const store::RawPage> more_pages = {},
                            const store::StoredArticle* stored = nullptr) const {
    complete(page, canonical, stored);
    return sink.upsert_article(site_, canonical, page, raw, more_pages);
  }

 private:
  const config::Config* profile_ = nullptr;
  std::string site_;
  bool patterns_ = false;
  LinkClassifier classifier_;
  std::set<std::pair<std::string, int>> scope_ports_;  // (host, port) the profile names
};

}  // namespace nh::crawler
