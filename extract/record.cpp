#include "extract/record.h"

namespace nh::extract {
namespace {

nlohmann::ordered_json opt(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::optional<std::string> opt_from(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  std::string s = j[key].get<std::string>();
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

nlohmann::ordered_json to_json(const Page& page, const std::string& input, bool with_links,
                               bool with_trace) {
  nlohmann::ordered_json j;
  const Article& a = page.article;
  if (!input.empty()) j["input"] = input;
  j["url"] = page.url.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(page.url);
  j["final_url"] = page.final_url.empty() ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(page.final_url);
  j["site"] = opt(a.site);
  j["section"] = opt(a.section);
  j["title"] = opt(a.title);
  j["subtitle"] = opt(a.subtitle);
  j["published_at"] = opt(a.published_at);
  j["reporters"] = a.reporters;
  auto contributors = nlohmann::ordered_json::array();
  for (const auto& c : a.contributors)
    contributors.push_back({{"name", c.name}, {"role", std::string(role_name(c.role))}});
  j["contributors"] = std::move(contributors);
  j["source"] = opt(a.source);
  j["body"] = opt(a.body);
  j["language"] = opt(a.language);
  j["charset"] = page.charset;
  j["kind"] = std::string(kind_name(page.kind));
  nlohmann::ordered_json prov = nlohmann::ordered_json::object();
  for (const auto& [k, v] : page.provenance) prov[k] = v;
  j["provenance"] = std::move(prov);
  if (with_links) {
    auto links = nlohmann::ordered_json::array();
    for (const auto& l : page.links) links.push_back({{"url", l.url}, {"text", l.text}});
    j["links"] = std::move(links);
  }
  if (with_trace) {
    auto t = nlohmann::ordered_json::array();
    for (const auto& c : page.trace)
      t.push_back({{"field", c.field},
                   {"rule", c.rule},
                   {"value", c.value},
                   {"score", c.score},
                   {"note", c.note}});
    j["explain"] = std::move(t);
  }
  return j;
}

Article article_from_json(const nlohmann::json& r) {
  Article a;
  a.site = opt_from(r, "site");
  a.section = opt_from(r, "section");
  a.title = opt_from(r, "title");
  a.subtitle = opt_from(r, "subtitle");
  a.published_at = opt_from(r, "published_at");
  a.source = opt_from(r, "source");
  a.body = opt_from(r, "body");
  a.language = opt_from(r, "language");
  if (r.contains("reporters") && r["reporters"].is_array())
    for (const auto& x : r["reporters"])
      if (x.is_string()) a.reporters.push_back(x.get<std::string>());
  if (r.contains("contributors") && r["contributors"].is_array())
    for (const auto& x : r["contributors"]) {
      if (!x.is_object() || !x.contains("name") || !x.contains("role")) continue;
      auto role = role_from_name(x["role"].get<std::string>());
      if (role) a.contributors.push_back({x["name"].get<std::string>(), *role});
    }
  return a;
}

}  // namespace nh::extract
