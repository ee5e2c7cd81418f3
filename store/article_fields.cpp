// The article's fields as data (store.h: ArticleField): one row per field of the DESIGN.md §4
// record, in record order, with how it is stored, hashed, compared and counted. store.cpp
// builds the INSERT/UPDATE/history column lists, binds, the row reader, content_hash,
// changed_fields and the per-run fill counts from it; the CLI builds the CSV header and rows.
// Adding a field: a row here, a migration (schema.cpp) and docs/SCHEMA.md.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "store/article_codec.h"
#include "store/fingerprint.h"
#include "store/store.h"

namespace nh::store {
namespace {

using extract::Article;
using Opt = std::optional<std::string>;

// content_hash's encoding of one value: tag, then NULL or length-prefixed bytes.
void hash_value(std::uint64_t& h, std::string_view tag, const Opt& v) {
  h = fnv1a64(tag, h);
  if (!v) {
    h = fnv1a64(std::string_view("\x00N", 2), h);
    return;
  }
  const std::string len = std::to_string(v->size());
  h = fnv1a64(std::string_view("\x01", 1), h);
  h = fnv1a64(len, h);
  h = fnv1a64(std::string_view(":", 1), h);
  h = fnv1a64(*v, h);
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> string_array(const Opt& v) {
  std::vector<std::string> out;
  if (!v) return out;
  for (const auto& x : nlohmann::json::parse(*v, nullptr, false))
    if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

// A text field: stored as is, hashed under its own name.
#define NH_TEXT_FIELD(member, tracked_member, is_tracked)                                   \
  ArticleField {                                                                            \
#member, "TEXT", true, true, true, is_tracked, tracked_member,                            \
        [](const Article& a) -> Opt { return a.member; },                                     \
        [](Article& a, Opt v) { a.member = std::move(v); },                                   \
        [](std::uint64_t& h, const Article& a) { hash_value(h, #member, a.member); } \
  }

const ArticleField kFields[] = {
    NH_TEXT_FIELD(site, nullptr, false),
    NH_TEXT_FIELD(section, &FillCounts::section, true),
    NH_TEXT_FIELD(title, &FillCounts::title, true),
    NH_TEXT_FIELD(subtitle, nullptr, false),
    NH_TEXT_FIELD(published_at, &FillCounts::published_at, true),
    ArticleField{"reporters", "TEXT JSON array NOT NULL", true, true, true, true,
                 &FillCounts::reporters,
                 [](const Article& a) -> Opt { return json_text(nlohmann::json(a.reporters)); },
                 [](Article& a, Opt v) { a.reporters = string_array(v); },
                 [](std::uint64_t& h, const Article& a) {
                   for (const auto& r : a.reporters) hash_value(h, "reporter", r);
                 }},
    // Not an articles column: the contributors table (and article_history.contributors).
    ArticleField{
        "contributors", "table contributors", false, true, true, false, nullptr,
        [](const Article& a) -> Opt {
          auto arr = nlohmann::ordered_json::array();
          for (const auto& c : a.contributors)
            arr.push_back({{"name", c.name}, {"role", std::string(extract::role_name(c.role))}});
          return arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        },
        nullptr,
        [](std::uint64_t& h, const Article& a) {
          for (const auto& c : a.contributors) {
            hash_value(h, "contributor", c.name);
            hash_value(h, "role", std::string(extract::role_name(c.role)));
          }
        }},
    NH_TEXT_FIELD(source, &FillCounts::source, true),
    NH_TEXT_FIELD(body, &FillCounts::body, true),
    NH_TEXT_FIELD(language, nullptr, false),
};

#undef NH_TEXT_FIELD

}  // namespace

std::span<const ArticleField> article_fields() { return kFields; }

bool ArticleField::filled(const Article& a) const {
  const Opt v = get(a);
  return v && *v != "[]";
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Change detection covers the record's article fields only. final_url, charset and provenance
// are how we got the content, not the content: a redirect or a renamed extractor rule alone is
// not a new version of the story.
std::string content_hash(const extract::Article& a) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const ArticleField& f : article_fields())
    if (f.hashed) f.hash(h, a);
  return hex64(h);
}

std::string string_array_json(const std::vector<std::string>& r) {
  return nlohmann::json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string provenance_json(const std::map<std::string, std::string>& p) {
  return nlohmann::json(p).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> changed_fields(const extract::Article& o, const extract::Article& n) {
  std::vector<std::string> out;
  for (const ArticleField& f : article_fields())
    if (f.diffed && f.get(o) != f.get(n)) out.push_back(f.name);
  return out;
}

}  // namespace nh::store
