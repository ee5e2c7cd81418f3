// JSON form of a Page: the record of DESIGN.md §4 (same names as the `articles` table).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "page.h"

namespace nh::extract {

// The record: input (if non-empty), url, final_url, site ... provenance, plus "kind" and
// "links" only when with_links, and "explain" (the trace) when with_trace.
nlohmann::ordered_json to_json(const Page& page, const std::string& input = {},
                               bool with_links = false, bool with_trace = false);

// Article fields back from a record (used by tests and by the store's re-extraction diff).
Article article_from_json(const nlohmann::json& record);

}  // namespace nh::extract
