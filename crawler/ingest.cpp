#include "crawler/ingest.h"

#include <utility>
#include <vector>

#include "crawler/urls.h"

namespace nh::crawler {
namespace {

LinkProfile link_profile(const config::Config& cfg) {
  LinkProfile p;
  for (const auto& x : cfg.article_patterns) p.article_patterns.push_back(x.text);
  for (const auto& x : cfg.list_patterns) p.list_patterns.push_back(x.text);
  for (const auto& x : cfg.exclude_patterns) p.ignore_patterns.push_back(x.text);
  return p;
}

bool filled(const std::optional<std::string>& v) { return v && !v->empty(); }

constexpr const char* kProfileSections = "profile:sections";

}  // namespace

Ingest::Ingest(const config::Config& profile)
    : profile_(&profile),
      site_(profile.name),
      patterns_(!profile.article_patterns.empty() || !profile.list_patterns.empty()),
      classifier_(link_profile(profile)) {
  std::vector<std::string> named = profile.start_urls();
  named.insert(named.end(), profile.sitemaps.begin(), profile.sitemaps.end());
  named.insert(named.end(), profile.feeds.begin(), profile.feeds.end());
  for (const std::string& u : named) {
    if (UrlResult n = normalize(u)) scope_ports_.emplace(host_of(n.url), port_of(n.url));
  }
}

Ingest::Ingest(std::string site) : site_(std::move(site)) {}

extract::ParseOptions Ingest::parse_options(std::string url, std::string final_url,
                                            std::string content_type) const {
  extract::ParseOptions o;
  o.url = std::move(url);
  o.final_url = std::move(final_url);
  o.content_type = std::move(content_type);
  if (profile_) {
    o.charset = profile_->charset.value_or("");
    o.time_zone = profile_->time_zone;
  }
  return o;
}

bool Ingest::in_scope(std::string_view url, std::string_view page_url) const {
  const std::string host = host_of(url);
  if (host.empty()) return false;
  if (!profile_) return host == host_of(page_url) && port_of(url) == port_of(page_url);
  if (!profile_->host_allowed(host) || profile_->is_excluded(url)) return false;
  const int port = port_of(url);
  return port == 80 || port == 443 || scope_ports_.contains({host, port});
}

bool Ingest::is_article(const extract::Page& page, std::string_view url) const {
  const bool has_body = filled(page.article.body);
  const LinkKind shape = classifier_.kind(url);
  if (patterns_) return shape == LinkKind::article && (has_body || filled(page.article.title));
  return has_body && (shape == LinkKind::article || page.kind == extract::PageKind::article);
}

std::string Ingest::canonical(const std::string& url, const extract::Page& page) const {
  if (page.canonical.empty()) return url;
  UrlResult c = resolve(url, page.canonical);
  if (!c || !in_scope(c.url, url)) return url;
  if (patterns_ && classifier_.kind(c.url) != LinkKind::article) return url;
  return c.url;
}

void Ingest::complete(extract::Page& page, std::string_view canonical,
                      const store::StoredArticle* stored) const {
  if (page.article.section) return;
  if (const config::Section* s = profile_ ? profile_->section_for(canonical) : nullptr) {
    page.article.section = s->name;
    page.provenance["section"] = kProfileSections;
    return;
  }
  if (stored && stored->article.section) {
    const auto it = stored->provenance.find("section");
    if (it != stored->provenance.end() && it->second == kProfileSections) {
      page.article.section = stored->article.section;
      page.provenance["section"] = it->second;
    }
  }
}

}  // namespace nh::crawler
