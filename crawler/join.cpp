#include "crawler/join.h"

#include <algorithm>
#include <string>

namespace nh::crawler {

extract::Page join_pages(const std::vector<const extract::Page*>& pages) {
  extract::Page out = *pages.front();
  extract::Article& a = out.article;
  std::string body;
  a.reporters.clear();
  a.contributors.clear();
  for (const extract::Page* p : pages) {
    const extract::Article& pa = p->article;
    if (pa.body && !pa.body->empty()) {
      if (!body.empty()) body += '\n';
      body += *pa.body;
    }
    auto fill = [](std::optional<std::string>& dst, const std::optional<std::string>& src) {
      if (!dst && src) dst = src;
    };
    fill(a.site, pa.site);
    fill(a.section, pa.section);
    fill(a.title, pa.title);
    fill(a.subtitle, pa.subtitle);
    fill(a.published_at, pa.published_at);
    fill(a.source, pa.source);
    fill(a.language, pa.language);
    for (const auto& r : pa.reporters) {
      if (std::find(a.reporters.begin(), a.reporters.end(), r) == a.reporters.end()) {
        a.reporters.push_back(r);
      }
    }
    for (const auto& c : pa.contributors) {
      if (std::find(a.contributors.begin(), a.contributors.end(), c) == a.contributors.end()) {
        a.contributors.push_back(c);
      }
    }
    for (const auto& [field, rule] : p->provenance) out.provenance.emplace(field, rule);
  }
  if (!body.empty()) a.body = body;
  if (pages.size() > 1)
    out.provenance["body"] += " (joined " + std::to_string(pages.size()) + " pages)";
  return out;
}

}  // namespace nh::crawler
