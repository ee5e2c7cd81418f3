// The publish date (Article::published_at, DESIGN.md §4): one cascade over the evidence the
// page analysis found — metadata (<meta>, JSON-LD, <time>, page-data scripts), the date shown
// to readers (the info region between headline and text, date-classed elements, the tail
// under the text), a dateline opening the text, the URL — recording the winning rule and, with
// a trace, every candidate with why it won or lost. The zone the result is written in is the
// caller's (ParseOptions::time_zone).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/content.h"
#include "extract/document.h"
#include "extract/metadata.h"
#include "extract/normalize.h"
#include "extract/page.h"

namespace nh::extract {

// What parse() has analysed that the date cascade reads. References outlive the call.
struct DateEvidence {
  const Document& doc;
  const Metadata& md;
  const std::vector<Line>& lines;
  const std::vector<int>& info;      // the info region's lines
  const std::vector<int>& tail;      // lines under the text
  const std::vector<int>& body_idx;  // lines of the chosen text
  int title_node = -1;               // the headline's element, -1 when none
  int content_top = -1;              // the chosen content's top node, -1 when none
  std::string url;                   // the page's (final) URL, "" for a local file
};

struct DateResult {
  std::optional<DateTime> value;  // as written on the page (offset only when it gives one)
  std::string rule;               // provenance: "meta:article:published_time", "info-line" ...
};

// Total: any evidence gives a result (value nullopt when the page names no date).
DateResult find_published(const DateEvidence& ev, std::vector<Candidate>* trace);

}  // namespace nh::extract
