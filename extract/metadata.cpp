#include "extract/metadata.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "extract/normalize.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

std::string as_string(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object()) {
    if (v.contains("name")) return as_string(v["name"]);
    if (v.contains("@value")) return as_string(v["@value"]);
  }
  if (v.is_array() && !v.empty()) return as_string(v[0]);
  return {};
}

bool article_like(const std::string& type) {
  if (type.find("Article") != std::string::npos) return true;
  for (auto t : rules::article_types())
    if (type == t) return true;
  return false;
}

std::string type_of(const nlohmann::json& o) {
  if (!o.contains("@type")) return {};
  const auto& t = o["@type"];
  if (t.is_string()) return t.get<std::string>();
  if (t.is_array()) {
    for (const auto& x : t)
      if (x.is_string() && article_like(x.get<std::string>())) return x.get<std::string>();
    if (!t.empty() && t[0].is_string()) return t[0].get<std::string>();
  }
  return {};
}

JsonLdAuthor author_of(const nlohmann::json& x) {
  JsonLdAuthor a;
  if (x.is_string()) {
    a.name = x.get<std::string>();
  } else if (x.is_object()) {
    a.type = type_of(x);
    if (x.contains("name")) a.name = as_string(x["name"]);
    // A reference into the @graph: the name comes from the node with that @id (resolved later).
    if (a.name.empty() && x.contains("@id") && x["@id"].is_string())
      a.name = "@id:" + x["@id"].get<std::string>();
  }
  return a;
}

void collect_jsonld(const nlohmann::json& root, std::vector<JsonLdArticle>& out) {
  // Iterative walk over objects/arrays (@graph, mainEntity, nested arrays).
  std::vector<const nlohmann::json*> stack{&root};
  std::map<std::string, JsonLdAuthor> named;  // @id -> the named node it identifies
  const size_t first = out.size();
  int budget = 10000;
  while (!stack.empty() && budget-- > 0) {
    const nlohmann::json* j = stack.back();
    stack.pop_back();
    if (j->is_array()) {
      for (auto it = j->rbegin(); it != j->rend(); ++it) stack.push_back(&*it);
      continue;
    }
    if (!j->is_object()) continue;
    const std::string type = type_of(*j);
    if (j->contains("@id") && (*j)["@id"].is_string() && j->contains("name"))
      named.emplace((*j)["@id"].get<std::string>(), JsonLdAuthor{as_string((*j)["name"]), type});
    if (article_like(type)) {
      JsonLdArticle a;
      a.type = type;
      if (j->contains("headline")) a.headline = as_string((*j)["headline"]);
      // A Recipe's or HowTo's name is the card's, often not the page's headline.
      if (a.headline.empty() && j->contains("name") && type != "WebPage" && type != "Recipe" &&
          type != "HowTo")
        a.headline = as_string((*j)["name"]);
      if (j->contains("datePublished")) a.date_published = as_string((*j)["datePublished"]);
      if (j->contains("articleSection")) a.section = as_string((*j)["articleSection"]);
      if (j->contains("publisher")) a.publisher = as_string((*j)["publisher"]);
      if (j->contains("author")) {
        const auto& au = (*j)["author"];
        if (au.is_array()) {
          for (const auto& x : au)
            if (JsonLdAuthor w = author_of(x); !w.name.empty()) a.authors.push_back(std::move(w));
        } else if (JsonLdAuthor w = author_of(au); !w.name.empty()) {
          a.authors.push_back(std::move(w));
        }
      }
      out.push_back(std::move(a));
    }
    for (const char* key : {"@graph", "mainEntity", "mainEntityOfPage", "itemListElement"}) {
      if (j->contains(key)) stack.push_back(&(*j)[key]);
    }
  }
  for (size_t k = first; k < out.size(); ++k) {
    auto& authors = out[k].authors;
    for (auto& w : authors)
      if (w.name.starts_with("@id:")) {
        auto it = named.find(w.name.substr(4));
        w = it == named.end() ? JsonLdAuthor{} : it->second;
      }
    std::erase_if(authors, [](const JsonLdAuthor& w) { return w.name.empty(); });
  }
}

// `"pubtime": "2019-09-07 19:02:26"` in script text: the quoted value of the first key of
// rules::script_date_keys() that occurs, "" when none does.
std::string script_date(std::string_view text) {
  size_t best = std::string_view::npos, key_len = 0;
  for (auto key : rules::script_date_keys()) {
    const size_t p = text.find(key);
    if (p < best) {
      best = p;
      key_len = key.size();
    }
  }
  if (best == std::string_view::npos) return {};
  size_t i = best + key_len;
  while (i < text.size() && (text[i] == ' ' || text[i] == ':')) ++i;
  if (i >= text.size() || text[i] != '"') return {};
  const size_t end = text.find('"', i + 1);
  if (end == std::string_view::npos || end - i > 40) return {};
  return std::string(text.substr(i + 1, end - i - 1));
}

}  // namespace

std::pair<std::string, std::string> Metadata::first(std::span<const std::string_view> names) const {
  for (auto name : names)
    for (const auto& [k, v] : meta)
      if (k == name && !fold(v).empty()) return {k, v};
  return {};
}

std::string Metadata::get(std::string_view name) const {
  for (const auto& [k, v] : meta)
    if (k == name && !v.empty()) return v;
  return {};
}

Metadata read_metadata(const Document& doc) {
  Metadata md;
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element) continue;
    switch (n.tag) {
      case Tag::html: {
        if (md.lang.empty()) md.lang = lower_ascii(doc.attr(i, "lang"));
        if (md.lang.empty()) md.lang = lower_ascii(doc.attr(i, "xml:lang"));
        break;
      }
      case Tag::title:
        if (md.title.empty()) md.title = doc.own_text(i);
        break;
      case Tag::base:
        if (md.base_href.empty()) md.base_href = std::string(doc.attr(i, "href"));
        break;
      case Tag::link:
        if (md.canonical.empty() && lower_ascii(doc.attr(i, "rel")) == "canonical")
          md.canonical = std::string(doc.attr(i, "href"));
        break;
      case Tag::meta: {
        std::string_view key = doc.attr(i, "name");
        if (key.empty()) key = doc.attr(i, "property");
        if (key.empty()) key = doc.attr(i, "itemprop");
        if (key.empty()) key = doc.attr(i, "http-equiv");
        std::string_view content = doc.attr(i, "content");
        if (!key.empty() && !content.empty())
          md.meta.emplace_back(lower_ascii(key), std::string(content));
        break;
      }
      case Tag::script: {
        const std::string type = lower_ascii(doc.attr(i, "type"));
        const std::string text = doc.own_text(i);
        // JSON-LD is sometimes served in a <script> without its type: an object literal with
        // an "@context" is read the same way.
        if (type != "application/ld+json") {
          if (md.script_date.empty()) md.script_date = script_date(text);
          const size_t first = text.find_first_not_of(" \t\r\n");
          if (!type.empty() || first == std::string::npos || text[first] != '{' ||
              text.find("\"@context\"") == std::string::npos)
            break;
        }
        nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false,
                                                 /*ignore_comments=*/true);
        if (!j.is_discarded()) collect_jsonld(j, md.jsonld);
        break;
      }
      default:
        // itemprop on non-meta elements (microdata): datePublished, headline, author.
        if (!doc.attr(i, "itemprop").empty()) {
          const std::string key = lower_ascii(doc.attr(i, "itemprop"));
          if (key == "datepublished") {
            std::string_view v = doc.attr(i, "datetime");
            if (v.empty()) v = doc.attr(i, "content");
            if (!v.empty()) md.meta.emplace_back(key, std::string(v));
          }
        } else if (!doc.attr(i, "property").empty() && !doc.attr(i, "content").empty()) {
          // RDFa on non-meta elements (Drupal: <span property="schema:dateCreated" content=…>).
          const std::string key = lower_ascii(doc.attr(i, "property"));
          if (key == "schema:datepublished" || key == "schema:datecreated" ||
              key == "dc:date dc:created" || key == "dc:created" || key == "dcterms:created")
            md.meta.emplace_back("datepublished", std::string(doc.attr(i, "content")));
        }
        break;
    }
  }
  // Article-like JSON-LD first, WebPage last.
  std::stable_partition(md.jsonld.begin(), md.jsonld.end(),
                        [](const JsonLdArticle& a) { return a.type != "WebPage"; });
  return md;
}

}  // namespace nh::extract
