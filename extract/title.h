// The headline module: headings and title-classed elements scored as a sum of named evidence
// (TitleEvidence; `--explain` prints it) against the <title>, meta titles and the site's name,
// with meta / JSON-LD / <title> fallbacks; and the <title> helpers the other modules share
// (segments, the site suffix, the comparison key, the headline as readers see it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "extract/document.h"
#include "extract/metadata.h"
#include "extract/page.h"

namespace nh::extract {

struct TitleResult {
  std::string title;  // folded; "" when nothing credible
  std::string rule;   // "h1", "meta:articletitle", "title-tag", ...
  int node = -1;      // element the headline came from, -1 for meta/title tag
  bool weak = false;  // no candidate agreed with <title> or meta: a guess
};

// The evidence a headline candidate's score is the sum of (`--explain` prints it).
enum class TitleEvidence {
  tag,           // h1 (a page's only h1 more), other headings, title-classed elements
  title_words,   // share of its text the <title> has (characters for Han, words otherwise)
  title_cover,   // share of the <title> it covers
  meta,          // equals og:title / ArticleTitle / JSON-LD headline
  site_name,     // is the site's name, a logo heading, or the <title>'s site segment
  section_name,  // a short middle <title> segment ("Site - Section - Headline")
  permalink,     // links to this very page (blogs) / sits inside a link
  chrome,        // inside nav/footer, a chrome line, a breadcrumb trail
  shape,         // too short, too long, a prompt or a sentence
  teaser,        // a truncated teaser of a longer candidate
  position,      // just before or inside the chosen content
  count
};

struct TitleCandidate {
  int node = -1;
  std::string text;
  double score = 0;  // the sum of `evidence`
  std::string rule;
  double evidence[static_cast<int>(TitleEvidence::count)] = {};
  void add(TitleEvidence e, double v) {
    evidence[static_cast<int>(e)] += v;
    score += v;
  }
};

// `content_top` is the chosen content node (-1 if none): the headline sits just before it.
// A winning headline cut short with an ellipsis is completed from the <title> or a meta title
// that starts with it.
// `cache`, when given, keeps the scored candidates between calls on the same page (the
// headline is looked for before and after the content is chosen).
TitleResult find_title(const Document& doc, const Metadata& md, int content_top,
                       const std::string& site_hint, std::vector<Candidate>* trace,
                       std::vector<TitleCandidate>* cache = nullptr,
                       std::string_view page_url = {});

// Comparison key of a headline: no white space, no punctuation or quotes, lower case (ASCII
// and Latin-1), so "Kicker: Headline" and "Kicker – „Headline“" share their words.
std::string title_key(std::string_view text);

// A headline as readers see it: markup escaped into the text removed ("<b>标题</b>"), a forum's
// reply marker or post tag dropped ("Re: …", "[原创] …", rules::forum_tags()), no separator
// dangling at either end ("标题 -"). Text must be fold()ed.
std::string clean_headline(std::string_view title);

// The <title> split into segments on the usual separators ("_", " - ", "|", ...).
std::vector<std::string> title_segments(std::string_view title_tag);

// The site name from the <title> given the headline ("headline_site" -> "site").
std::string site_from_title(std::string_view title_tag, std::string_view headline);

}  // namespace nh::extract
