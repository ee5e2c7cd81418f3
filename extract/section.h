// The section (Article::section): the column or channel a page files the article under.
//
// An ordered table of named rules, each reading one kind of evidence: the breadcrumb line above
// the headline, a breadcrumb element, an e-paper's page name, a filing label (栏目：, 分类：),
// the metadata (ColumnName, article:section, JSON-LD articleSection), the <title>'s middle
// segment when the page links to it, and last a Han-named navigation link to a directory the
// page's URL lies in (/gzdt/ for /gzdt/202503/t…html). The first rule with a value wins; with a
// trace every rule's value is recorded with why it won or lost. A UI word (正文, 当前位置,
// 返回首页) is never a section.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "extract/content.h"
#include "extract/document.h"
#include "extract/metadata.h"
#include "extract/page.h"

namespace nh::extract {

struct SectionEvidence {
  const Document& doc;
  const Metadata& md;
  const std::vector<Line>& lines;
  const std::vector<int>& info;  // the info region's lines
  int limit = 0;                 // lines before this index are above the headline / text
  std::string title_squashed;    // the headline, squash()ed: never a section
  std::string url;               // the page's (final) URL, "" for a local file
};

struct SectionResult {
  std::optional<std::string> value;
  std::string rule;
};

SectionResult find_section(const SectionEvidence& ev, std::vector<Candidate>* trace);

// "栏目：时政动态 作者：…" -> "时政动态": the value of a filing label (rules::section_labels());
// nullopt when the line has none.
std::optional<std::string> section_from_label(std::string_view line);

}  // namespace nh::extract
