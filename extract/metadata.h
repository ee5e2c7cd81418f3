// Page-level metadata: <meta> (name / property / itemprop / http-equiv), JSON-LD, OpenGraph,
// the Chinese government page meta standard (ArticleTitle, PubDate, ColumnName, ContentSource,
// Author, SiteName), <title>, <html lang>, <base href>, <link rel=canonical>.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/document.h"

namespace nh::extract {

// An author entry of JSON-LD: a Person, an Organization, or a bare string (type "").
// Entries given only as {"@id": …} (Yoast's @graph) are resolved to the node with that @id.
struct JsonLdAuthor {
  std::string name;
  std::string type;  // "Person", "Organization", ... ; "" for a plain string
};

struct JsonLdArticle {
  std::string type;  // "NewsArticle", ...
  std::string headline;
  std::string date_published;
  std::string section;
  std::string publisher;
  std::vector<JsonLdAuthor> authors;
};

struct Metadata {
  // (lower-cased key, raw value) in document order; key is name/property/itemprop.
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<JsonLdArticle> jsonld;  // Article-like objects first
  std::string title;                  // <title>, raw
  std::string lang;                   // <html lang>, lower-cased
  std::string base_href;
  std::string canonical;
  // The first publish time in a page-data object inside a plain <script>
  // (`"pubtime": "2019-09-07 19:02:26"`, keys in rules::script_date_keys()), raw; "" if none.
  std::string script_date;

  // First non-empty value for any of the names (lower-case), in the order of `names`.
  std::pair<std::string, std::string> first(std::span<const std::string_view> names) const;
  std::string get(std::string_view name) const;
};

Metadata read_metadata(const Document& doc);

}  // namespace nh::extract
