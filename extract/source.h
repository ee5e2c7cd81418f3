// The source (Article::source): the outlet the article comes from (来源), DESIGN.md §4.
//
// Named rules in order of trust: the labelled 来源 of the info region; the metadata
// (ContentSource, source); a labelled line under the text; the outlet right after the info
// line's date; an info-strip element classed as the source holding an outlet's name; a credit
// line closing the text ("（本文来源：经济日报）", "本文转自：…"); the agency of a dateline
// opening it ("（新华社北京5月26日电）"); last, the outlet of a press mark opening it
// ("新京报讯", "【大公報訊】"; 本报讯 names none). A labelled 来源 with nothing after it means the
// page names no source (null). A generic value — a reprint marker (转载, 综合), 网络, 本站
// (rules::generic_sources()) — gives way to an outlet another rule names. The site's own name
// is not generic: a portal's own copy names the portal (新华网 on news.cn, not the 新华社 of
// its dateline; measured on zh-dev).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/content.h"
#include "extract/metadata.h"
#include "extract/page.h"

namespace nh::extract {

struct SourceEvidence {
  const Document& doc;
  const Metadata& md;
  const std::vector<Line>& lines;
  const std::vector<int>& info;                // the info region's lines
  const std::vector<int>& tail;                // lines under the text
  const std::vector<std::string>& body_lines;  // the body's paragraphs
};

struct SourceResult {
  std::optional<std::string> value;
  std::string rule;
};

SourceResult find_source(const SourceEvidence& ev, std::vector<Candidate>* trace);

// Whether a source value names no outlet: 本站, 网络, 转载, 综合.
bool generic_source(std::string_view value);

}  // namespace nh::extract
