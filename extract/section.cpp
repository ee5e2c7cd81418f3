// The section cascade (see section.h).
#include "extract/section.h"

#include <algorithm>
#include <array>

#include "crawler/urls.h"
#include "extract/cascade.h"
#include "extract/fields.h"
#include "extract/normalize.h"
#include "extract/rules.h"
#include "extract/title.h"

namespace nh::extract {
namespace {

// "当前位置：首页 > 时政动态 > 正文" on a line above the headline.
std::optional<std::string> breadcrumb_line(const SectionEvidence& ev) {
  for (int i = 0; i < ev.limit; ++i)
    if (auto s =
            section_from_breadcrumb(ev.lines[static_cast<size_t>(i)].text, ev.title_squashed, true))
      return s;
  return std::nullopt;
}

// An element classed as a breadcrumb; items in their own blocks (<li>) are items even without
// a separator between them: "<li>Start</li><li>Lokales</li><li><h1>Headline</h1></li>".
std::optional<std::string> breadcrumb_element(const SectionEvidence& ev) {
  const Document& doc = ev.doc;
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element || n.skip || n.text == 0 || n.text > 200) continue;
    const bool crumb = class_matches(doc.class_id(i), rules::breadcrumb_class_tokens());
    // A list of links whatever its class ("<ul class=navbar><li>留学攻略&gt;</li>…<li>标题</li>")
    // is a trail when its last item is the headline itself.
    const bool list = n.tag == Tag::ul || n.tag == Tag::ol;
    if (!crumb && !list) continue;
    std::string t;
    for (char ch : doc.text(i)) {
      if (ch == '\n')
        t += " > ";
      else
        t += ch;
    }
    t = trim(fold(t), " >");
    if (!crumb) {
      const size_t last = t.rfind('>');
      if (ev.title_squashed.empty() || last == std::string::npos ||
          squash_folded(t.substr(last + 1)) != ev.title_squashed)
        continue;
    }
    if (auto s = section_from_breadcrumb(t, ev.title_squashed, false)) return s;
    i = n.end - 1;
  }
  return std::nullopt;
}

// E-paper pages name their page: "第03版:要闻".
std::optional<std::string> epaper_page_name(const SectionEvidence& ev) {
  for (int i = 0; i < ev.limit; ++i) {
    const Line& l = ev.lines[static_cast<size_t>(i)];
    if (l.link_chars * 2 > l.chars) continue;
    const size_t p = l.text.find("版:");
    if (p == std::string::npos || l.text.find("第") == std::string::npos) continue;
    std::string v = l.text.substr(p + 4);
    if (size_t sp = v.find(' '); sp != std::string::npos) v.resize(sp);
    if (!v.empty() && count_code_points(v) <= 10) return v;
  }
  return std::nullopt;
}

// "栏目：时政动态", "所属分类：通知公告" in the info region or above the headline.
std::optional<std::string> filing_label(const SectionEvidence& ev) {
  for (int i : ev.info)
    if (auto s = section_from_label(ev.lines[static_cast<size_t>(i)].text)) return s;
  for (int i = 0; i < ev.limit; ++i)
    if (auto s = section_from_label(ev.lines[static_cast<size_t>(i)].text)) return s;
  return std::nullopt;
}

std::optional<std::string> meta_section(const SectionEvidence& ev) {
  if (auto [k, v] = ev.md.first(rules::meta_section_names()); !v.empty()) return fold(v);
  return std::nullopt;
}

std::optional<std::string> jsonld_section(const SectionEvidence& ev) {
  for (const auto& j : ev.md.jsonld)
    if (!j.section.empty()) return fold(j.section);
  return std::nullopt;
}

// "标题_国内新闻_示范网", "Headline - Section - Site": a short middle segment of a <title> that
// starts with the headline names the column when the page links to it (its navigation or
// breadcrumb): the <title> and the page agree.
std::optional<std::string> title_segment(const SectionEvidence& ev) {
  const std::vector<std::string> segs = title_segments(ev.md.title);
  if (segs.size() < 3 || squash(segs.front()) != ev.title_squashed) return std::nullopt;
  const std::string& mid = segs[segs.size() - 2];
  if (mid.empty() || count_code_points(mid) > 12) return std::nullopt;
  // "标题｜示范01｜社区新闻": the middle segment is the site's name, linked to its front page.
  if (!home_link_text(ev.doc, {mid}, ev.url).empty()) return std::nullopt;
  const Document& doc = ev.doc;
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element || n.tag != Tag::a || n.text == 0 || n.text > 24) continue;
    if (fold(doc.text(i)) == mid) return mid;
  }
  return std::nullopt;
}

// The directory a link leads to: its path without an index file ("/szyw/index.html" ->
// "/szyw/"); "" when it is not a directory of the page's host or is the root.
std::string link_directory(std::string_view href, const crawler::UrlParts& page) {
  if (href.empty() || href.starts_with('#') || href.starts_with("javascript")) return {};
  const crawler::UrlParts link = crawler::parse_url(href, page.url);
  if (!link.ok() || link.host != page.host || !link.query.empty()) return {};
  std::string path = link.path;
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {};
  if (const std::string_view file = std::string_view(path).substr(slash + 1); !file.empty()) {
    const bool index = file.starts_with("index.") || file.starts_with("default.");
    if (!index || !(file.find(".htm") != std::string_view::npos ||
                    file.find(".shtm") != std::string_view::npos ||
                    file.find(".php") != std::string_view::npos ||
                    file.find(".asp") != std::string_view::npos ||
                    file.find(".jsp") != std::string_view::npos))
      return {};
  }
  path.resize(slash + 1);
  // A date archive (/2015/04/) files by time, not by column.
  const size_t prev = path.rfind('/', path.size() - 2);
  const std::string_view last = std::string_view(path).substr(prev + 1, path.size() - prev - 2);
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
  return path;
}

bool has_han(std::string_view t) {
  for (size_t i = 0; i < t.size();)
    if (is_cjk(decode_utf8(t, i))) return true;
  return false;
}

// The longest code points a column's link text may have.
constexpr int kColumnLinkChars = 10;

// A navigation link to a directory the page's URL lies in ("时政要闻" -> /szyw/ for
// /szyw/202305/t20230512_1.html): the column the CMS files the article under. The deepest such
// directory wins; the front page, the headline and an empty text never.
std::optional<std::string> url_column_link(const SectionEvidence& ev) {
  if (ev.url.empty()) return std::nullopt;
  const crawler::UrlParts page = crawler::parse_url(ev.url);
  if (!page.ok()) return std::nullopt;
  const Document& doc = ev.doc;
  std::string best, best_dir;
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element || n.tag != Tag::a || n.text == 0 ||
        n.text > kColumnLinkChars * 4)
      continue;
    // The text first: resolving a link (libcurl's URL API) costs more than reading it.
    const std::string t = fold(doc.text(i));
    const int chars = static_cast<int>(count_code_points(t));
    if (chars < 2 || chars > kColumnLinkChars || squash(t) == ev.title_squashed) continue;
    // The convention of Chinese portal CMSs (TRS, Hanweb, DedeCMS): a Han column name.
    if (!has_han(t)) continue;
    bool ui = false;
    for (auto w : rules::breadcrumb_home_words()) ui = ui || t == w;
    for (auto w : rules::breadcrumb_terminal_words()) ui = ui || t == w;
    if (ui) continue;
    const std::string dir = link_directory(doc.attr(i, "href"), page);
    if (dir.empty() || dir.size() <= best_dir.size() || !page.path.starts_with(dir) ||
        page.path.size() == dir.size())
      continue;
    best = t;
    best_dir = dir;
  }
  if (best.empty()) return std::nullopt;
  return best;
}

// In order of trust: what the page shows as its trail, then what it declares.
constexpr NamedRule<SectionEvidence, std::string> kRules[] = {
    {"breadcrumb", breadcrumb_line},
    {"breadcrumb-element", breadcrumb_element},
    {"epaper-page-name", epaper_page_name},
    {"filing-label", filing_label},
    {"meta", meta_section},
    {"jsonld:articleSection", jsonld_section},
    {"title-segment", title_segment},
    {"url-column-link", url_column_link},
};

}  // namespace

std::optional<std::string> section_from_label(std::string_view line) {
  for (auto label : rules::section_labels()) {
    const size_t p = line.find(label);
    if (p == std::string_view::npos || p > 60) continue;
    size_t i = p + label.size();
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size() || line[i] != ':') continue;  // a label is followed by its colon
    ++i;
    while (i < line.size() && line[i] == ' ') ++i;
    std::string_view rest = line.substr(i);
    size_t cut = rest.find(' ');
    for (auto stop : rules::info_stop_labels()) cut = std::min(cut, rest.find(stop));
    std::string v = fold(rest.substr(0, cut));
    if (v.empty() || count_code_points(v) > 12) continue;
    for (auto t : rules::breadcrumb_terminal_words())
      if (v == t) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

SectionResult find_section(const SectionEvidence& ev, std::vector<Candidate>* trace) {
  SectionResult r;
  // The first rule that finds a section wins.
  run_cascade<SectionEvidence, std::string>(
      kRules, ev, trace != nullptr, [&](std::string_view rule, std::optional<std::string>&& v) {
        std::string name(rule);
        if (name == "meta") name = "meta:" + ev.md.first(rules::meta_section_names()).first;
        if (trace)
          trace->push_back({"section", name, *v, 0, r.value ? "lost: a rule above won" : "won"});
        if (!r.value) r = {std::move(v), std::move(name)};
        return r.value.has_value();
      });
  return r;
}

}  // namespace nh::extract
