// parse(): decode -> one Gumbo parse -> the page's analysis (metadata, lines, content choice,
// headline, layout, subtitle, body, info and tail regions) -> one module per field -> Page.
// Every step is total; the worst a hostile page gets is empty fields.
#include "extract/extract.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "crawler/urls.h"
#include "extract/charset.h"
#include "extract/content.h"
#include "extract/credits.h"
#include "extract/dates.h"
#include "extract/document.h"
#include "extract/fields.h"
#include "extract/metadata.h"
#include "extract/normalize.h"
#include "extract/rules.h"
#include "extract/section.h"
#include "extract/source.h"
#include "extract/title.h"

namespace nh::extract {
namespace {

// "... (Foto: Getty)", "... © CAE", "... /domena publiczna": a caption's credit at its end.
bool picture_credit(std::string_view text) {
  const std::string t =
      lower_ascii(std::string(text.substr(text.size() > 60 ? text.size() - 60 : 0)));
  for (auto c : rules::picture_credit_marks())
    if (t.find(c) != std::string::npos) return true;
  return false;
}

std::string strip_dashes(std::string_view s) {
  std::string r(s);
  while (true) {
    if (r.starts_with("——"))
      r = r.substr(6);
    else if (r.starts_with("—"))
      r = r.substr(3);
    else if (r.starts_with("--"))
      r = r.substr(2);
    else if (r.starts_with("-"))
      r = r.substr(1);
    else
      break;
  }
  return fold(r);
}

bool starts_with_dash(std::string_view s) {
  return s.starts_with("——") || s.starts_with("—") || s.starts_with("--");
}

// "访问:121369", "点击: 35": a counter, not a headline.
bool label_and_number(std::string_view t) {
  const size_t c = t.find(':');
  if (c == std::string_view::npos) return false;
  size_t i = c + 1;
  while (i < t.size() && t[i] == ' ') ++i;
  if (i == t.size()) return true;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == ',')) ++i;
  return i == t.size();
}

// The host of an absolute URL, lower case as written; "" when there is none.
std::string url_host(const std::string& url) {
  if (url.empty()) return {};
  const crawler::UrlParts p = crawler::parse_url(url);
  return p.ok() ? p.host : std::string();
}

// The zone dates are read on (see ParseOptions::time_zone).
struct SiteZone {
  std::string name;
  bool known = false;  // given, or the country domain's: dates with offsets move onto it
  std::string why;
};
SiteZone site_zone(const ParseOptions& opt, const std::string& final_url) {
  if (!opt.time_zone.empty()) return {opt.time_zone, true, "option"};
  const std::string host = url_host(final_url.empty() ? opt.url : final_url);
  const size_t dot = host.rfind('.');
  if (dot != std::string::npos) {
    const std::string tld = host.substr(dot + 1);
    if (auto z = rules::country_time_zone(tld); !z.empty())
      return {std::string(z), true, "domain ." + tld};
  }
  return {"Asia/Shanghai", false, "default"};
}

// Rows of a table section (<tbody>, <table>): its <tr> children.
int table_rows(const Document& doc, int section) {
  if (section < 0) return 0;
  int rows = 0;
  for (int k = section + 1; k < doc.node(section).end; ++k)
    if (doc.node(k).parent == section && doc.node(k).type == NodeType::element &&
        doc.node(k).tag == Tag::tr)
      ++rows;
  return rows;
}

// How far into a paragraph an unbracketed credit after a press mark may end (bytes).
constexpr size_t kLeadCreditBytes = 90;

// Bracketed credit at the start or end of a paragraph: "(记者 王明 实习生 李雪)"; at the very
// end of the text a group of bare names "(张巨峰)" credits the writers.
std::vector<Contributor> bracket_credits(std::string_view text, bool last_paragraph) {
  std::vector<Contributor> out;
  auto try_group = [&](std::string_view g) {
    Credits c = parse_credits(g);
    if (c.byline_only()) {
      add_people(out, c.people);
      return;
    }
    // "(张三 李四 报道)": bare names closed by the report word are the reporters.
    Role role = Role::author;
    for (std::string_view w : {"报道", "報導", "報道", "报导"})
      if (g.size() > w.size() && g.ends_with(w)) {
        g.remove_suffix(w.size());
        role = Role::reporter;
        break;
      }
    if (!last_paragraph || g.size() > 60) return;
    std::vector<Contributor> names;
    size_t from = 0;
    const std::string f = trim(fold(g));
    while (from <= f.size()) {
      size_t sp = f.find_first_of(" ,", from);
      if (sp == std::string::npos) sp = f.size();
      const std::string n = f.substr(from, sp - from);
      if (!n.empty()) {
        if (!han_personal_name(n)) return;
        names.push_back({n, role});
      }
      from = sp + 1;
    }
    if (!names.empty() && names.size() <= 5) add_people(out, names);
  };
  // Last group.
  size_t close = text.rfind(')');
  if (close != std::string_view::npos && close + 12 >= text.size()) {
    size_t open = text.rfind('(', close);
    if (open != std::string_view::npos && close - open < 120)
      try_group(text.substr(open + 1, close - open - 1));
  }
  // Lead: "新华社北京5月26日电(记者 张三)" within the first 60 bytes, or a bracketed byline
  // opening the paragraph in any of the press's brackets ("〔记者王明/台南报导〕", "【记者…】").
  size_t open = std::string_view::npos;
  std::pair<std::string_view, std::string_view> pair;
  for (const auto& b : rules::credit_brackets())
    if (size_t at = text.find(b.first); at < open && at < 60) {
      open = at;
      pair = b;
    }
  if (open != std::string_view::npos) {
    const size_t start = open + pair.first.size();
    const size_t end = text.find(pair.second, start);
    if (end != std::string_view::npos && end - open < 80)
      try_group(text.substr(start, end - start));
  }
  // After a press mark, unbracketed up to 报道/報道 or a colon: "【大公報訊】記者黃山報道：",
  // "羊城晚报讯 记者张三、通讯员李四报道：".
  if (const size_t pm = press_mark_end(text); out.empty() && pm < kLeadCreditBytes) {
    const std::string_view rest = text.substr(pm, kLeadCreditBytes);
    size_t end = rest.find(':');
    for (std::string_view w : {"报道", "報道", "报导", "報導"})
      if (size_t at = rest.find(w); at != std::string_view::npos && at < end) end = at;
    if (end != std::string_view::npos) try_group(rest.substr(0, end));
  }
  return out;
}

// ---- the analysis: everything the field modules read, computed once per page ----

// The site's name and the rule that found it.
struct SiteName {
  std::string name;  // folded; "" when unknown
  std::string rule;
};

// Where the headline, the text and the lines between them are, in line indexes.
struct Layout {
  int title_line = -1;         // the line that shows the headline, -1 when none
  std::vector<int> body_idx;   // the chosen content's lines, minus those above the headline
  std::vector<int> head_info;  // content lines above the headline (breadcrumbs, dates)
  std::vector<int> lede;       // a standfirst between the headline and the text
};

// 副题 / 引题 and the line it was read from (a dash line is kept out of the body).
struct Subtitle {
  std::optional<std::string> text;
  std::string rule;
  std::optional<int> line;  // set for a dash line only
};

// The body's paragraphs and what assembling it learned about the lines around it.
struct Body {
  std::vector<std::string> lines;
  std::vector<Contributor> credits;  // bylines read (and removed) from the text
  std::vector<std::string> credit_rules;
  std::vector<int> head_info;  // Layout::head_info plus info lines at the head of the text
  std::vector<int> tail_info;  // chrome and info lines at the foot of the text
  std::string lead_rule;       // "meta:description" when a lead paragraph was added, else ""
};

// The info region (between headline and text, plus lines above the headline and info lines
// removed from the text's head) and the tail region (under the text, to the foot of the
// article container).
struct Regions {
  std::vector<int> info;
  std::vector<int> tail;
};

// The one analysis of a page. Built once by analyse(); the field modules only read it.
struct Analysis {
  explicit Analysis(std::string utf8) : doc(std::move(utf8)) {}
  Document doc;
  Metadata md;
  std::vector<Line> lines;
  ContentChoice content;
  TitleResult title;     // the headline as found (before clean_headline)
  std::string site;      // "" when unknown
  std::string title_sq;  // the cleaned headline, squash_folded
  Layout layout;
  Subtitle subtitle;
  Body body;
  Regions regions;
};

// The bounds this page hit, ";"-separated ("" for an ordinary page).
std::string limits_hit(const Document& doc) {
  std::string limits;
  auto note = [&](bool hit, const char* what) {
    if (hit) limits += (limits.empty() ? "" : ";") + std::string(what);
  };
  note(doc.truncated(), "input cut at 8 MiB");
  note(doc.depth_limited(), "nesting flattened");
  note(doc.prepass().attributes_cut, "attributes per element capped");
  note(doc.prepass().elements_cut, "elements capped");
  note(doc.prepass().title_cut, "<title> cut");
  return limits;
}

// The site's name from metadata (needed to tell the headline from the logo).
SiteName site_from_metadata(const Metadata& md) {
  if (auto [k, v] = md.first(rules::meta_site_names()); !v.empty()) return {fold(v), "meta:" + k};
  for (const auto& j : md.jsonld)
    if (!j.publisher.empty()) return {fold(j.publisher), "jsonld:publisher"};
  return {};
}

// No heading agreed with <title> or meta: the headline is usually the short line right above
// the text (a bold or centred line on old portals and forums). Changes `title` only when it is
// weak or empty.
void headline_from_lines(const Document& doc, const std::vector<Line>& lines,
                         const ContentChoice& content, TitleResult& title) {
  if (!((title.weak || title.title.empty()) && content.top >= 0)) return;
  int first = -1;
  for (size_t i = 0; i < lines.size(); ++i)
    if (in_content(doc, content, lines[i].first)) {
      first = static_cast<int>(i);
      break;
    }
  // On old portals the bold, centred headline is the first line inside the text's cell
  // (after a breadcrumb or info line sharing the cell: "当前位置：首页->军事技术").
  int head = first;
  while (head >= 0 && head < first + 3 && static_cast<size_t>(head) + 1 < lines.size()) {
    const std::string& t = lines[static_cast<size_t>(head)].text;
    if (!section_from_breadcrumb(t, "", true) && !is_info_line(t) && !is_chrome_line(t)) break;
    ++head;
  }
  if (head >= 0 && !in_content(doc, content, lines[static_cast<size_t>(head)].first)) head = first;
  if (head >= 0) {
    const Line& l = lines[static_cast<size_t>(head)];
    const size_t cp = count_code_points(l.text);
    bool emphasised = false;
    for (int p = l.first; p >= 0 && p >= l.block; p = doc.node(p).parent) {
      const Tag t = doc.node(p).tag;
      if (t == Tag::b || t == Tag::strong || t == Tag::center || t == Tag::font ||
          (t >= Tag::h1 && t <= Tag::h6) || lower_ascii(doc.attr(p, "align")) == "center")
        emphasised = true;
    }
    // With no candidate at all, a short plain first line followed by prose will do.
    const bool next_prose = static_cast<size_t>(head) + 1 < lines.size() &&
                            is_prose(lines[static_cast<size_t>(head) + 1]);
    if (title.title.empty() && cp <= 30 && next_prose) emphasised = true;
    if (emphasised && cp >= 4 && cp <= 60 && !is_prose(l) && l.link_chars == 0 &&
        !find_date(l.text) && !is_info_line(l.text)) {
      title.title = l.text;
      title.rule = "first-line-of-text";
      title.node = l.block;
      title.weak = false;
    }
  }
  for (int i = first - 1; (title.weak || title.title.empty()) && i >= 0 && i >= first - 4; --i) {
    const Line& l = lines[static_cast<size_t>(i)];
    const size_t cp = count_code_points(l.text);
    // "正在读取评论……", "Loading...": a placeholder, as is a prompt ending in a colon.
    if (l.text.ends_with("…") || l.text.ends_with("...") || l.text.ends_with(":") ||
        l.text.ends_with("：") || l.link_chars > 0 || is_chrome_line(l.text) ||
        is_info_line(l.text) || l.text.starts_with("http") || label_and_number(l.text) ||
        find_date(l.text) || section_from_breadcrumb(l.text, "", true))
      continue;
    if (cp >= 4 && cp <= 60) {
      title.title = l.text;
      title.rule = "line-above-text";
      title.node = l.block;
    }
    break;
  }
}

// With no site name in metadata: the <title>'s suffix after the headline, or a <title> that is
// only the site's name ("青石论坛") while the headline is elsewhere.
SiteName site_from_title_tag(const Document& doc, const Metadata& md, const TitleResult& title,
                             const std::optional<std::string>& headline, std::string_view url) {
  // "标题｜示范01｜社区新闻": the segment the front-page link shows is the site's name.
  if (!title.title.empty()) {
    std::vector<std::string> segs = title_segments(md.title);
    // Only when the last segment is no front page's link text ("标题--文化--人民网": 人民网).
    if (segs.size() >= 3 && home_link_text(doc, {segs.back()}, url, true).empty()) {
      segs.erase(segs.begin());
      if (std::string s = home_link_text(doc, segs, url); !s.empty())
        return {std::move(s), "title-home-link"};
    }
  }
  if (!title.title.empty())
    if (std::string s = site_from_title(md.title, title.title); !s.empty())
      return {std::move(s), "title-suffix"};
  if (headline) {
    const auto segs = title_segments(md.title);
    if (segs.size() == 1 && squash_folded(segs[0]) != squash_folded(*headline) &&
        count_code_points(segs[0]) <= 12) {
      for (auto suffix : rules::site_name_suffixes())
        if (segs[0].ends_with(suffix)) return {segs[0], "title-is-site"};
    }
  }
  return {};
}

// The line that shows the headline: inside its element, or (a headline from <title> or meta)
// the last line before the text's fifth line that reads the same. -1 when none.
int find_title_line(const Document& doc, const std::vector<Line>& lines, int title_node,
                    const std::string& title_sq, const std::vector<int>& body_idx) {
  int title_line = -1;
  if (title_node >= 0) {
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i].first >= title_node && lines[i].first < doc.node(title_node).end) {
        title_line = static_cast<int>(i);
        break;
      }
  }
  if (title_line < 0 && !title_sq.empty()) {
    const int limit = body_idx.empty() ? static_cast<int>(lines.size()) : body_idx.front() + 5;
    for (int i = 0; i < limit && i < static_cast<int>(lines.size()); ++i)
      if (squash_folded(lines[static_cast<size_t>(i)].text) == title_sq) title_line = i;
  }
  return title_line;
}

// Lines of the content that come before the headline are page chrome (breadcrumbs, dates)
// when they are under 30% of the content's characters: moved from body_idx to head_info.
void split_head(const std::vector<Line>& lines, Layout& layout) {
  std::vector<int>& body_idx = layout.body_idx;
  const int title_line = layout.title_line;
  if (title_line < 0 || body_idx.empty() || title_line < body_idx.front()) return;
  int before = 0, total = 0;
  for (int i : body_idx) {
    total += lines[static_cast<size_t>(i)].chars;
    if (i <= title_line) before += lines[static_cast<size_t>(i)].chars;
  }
  if (before * 10 >= total * 3) return;
  std::vector<int> kept;
  for (int i : body_idx)
    if (i > title_line)
      kept.push_back(i);
    else
      layout.head_info.push_back(i);
  body_idx = std::move(kept);
}

// The standfirst: prose between the headline and the chosen text, inside the article that
// holds both (a lede in the article header, an intro block beside the body container, an
// abstract above the full text). Page builders put it in a separate module that does not
// score as the body. Not captions, not chrome subtrees, not bylines or dates.
// Kept apart from body_idx: the info lines at the head of the text (dates, bylines) are
// read relative to where the chosen content starts.
std::vector<int> find_lede(const Document& doc, const std::vector<Line>& lines, int title_node,
                           int content_top, const Layout& layout) {
  std::vector<int> lede;
  const int title_line = layout.title_line;
  const std::vector<int>& body_idx = layout.body_idx;
  if (!(title_node >= 0 && content_top >= 0 && title_line >= 0 && !body_idx.empty() &&
        title_line < body_idx.front()))
    return lede;
  int scope = doc.node(title_node).parent;
  while (scope >= 0 && !(content_top >= scope && content_top < doc.node(scope).end))
    scope = doc.node(scope).parent;
  if (scope < 0 || doc.node(scope).tag == Tag::body || doc.node(scope).tag == Tag::html)
    return lede;
  for (int i = title_line + 1; i < body_idx.front(); ++i) {
    const Line& l = lines[static_cast<size_t>(i)];
    if (l.first < scope || l.first >= doc.node(scope).end) continue;
    if (!is_prose(l) || l.link_chars * 4 > l.chars) continue;
    if (is_chrome_line(l.text) || is_info_line(l.text) || parse_credits(l.text).byline_only())
      continue;
    bool chrome = false;
    for (int p = l.first; p > scope && !chrome; p = doc.node(p).parent) {
      const Node& pn = doc.node(p);
      if (pn.type != NodeType::element) continue;
      if (pn.tag == Tag::nav || pn.tag == Tag::aside || pn.tag == Tag::footer ||
          pn.tag == Tag::menu || pn.tag == Tag::form || pn.tag == Tag::figure ||
          pn.tag == Tag::figcaption || pn.tag == Tag::li ||
          class_matches(doc.class_id(p), rules::strong_negative_tokens()) ||
          class_matches(doc.class_id(p), rules::naming_negative_tokens()) ||
          class_matches(doc.class_id(p), rules::caption_tokens()))
        chrome = true;
    }
    // A caption: beside an image in a small box, or ending in a picture credit.
    if (const int b = l.block; !chrome && b > scope && doc.node(b).text <= 2 * l.chars + 20)
      for (int k = b; k < doc.node(b).end && !chrome; ++k)
        if (doc.node(k).tag == Tag::img) chrome = true;
    if (!chrome && picture_credit(l.text)) chrome = true;
    if (!chrome) lede.push_back(i);
  }
  return lede;
}

Layout find_layout(const Analysis& an) {
  Layout layout;
  for (size_t i = 0; i < an.lines.size(); ++i)
    if (an.content.top >= 0 && in_content(an.doc, an.content, an.lines[i].first))
      layout.body_idx.push_back(static_cast<int>(i));
  layout.title_line =
      find_title_line(an.doc, an.lines, an.title.node, an.title_sq, layout.body_idx);
  split_head(an.lines, layout);
  layout.lede = find_lede(an.doc, an.lines, an.title.node, an.content.top, layout);
  return layout;
}

// 引题: a short heading-like line right above the headline in the same title block. The
// headline's element is the one it was found in, or for a headline taken from <title>, the
// block of the line that shows it.
std::optional<std::string> kicker_line(const Analysis& an, const std::optional<std::string>& site) {
  const Document& doc = an.doc;
  const int title_line = an.layout.title_line;
  const int title_el = an.title.node >= 0 ? an.title.node
                       : title_line >= 0  ? an.lines[static_cast<size_t>(title_line)].block
                                          : -1;
  if (title_el < 0 || title_line <= 0) return std::nullopt;
  const Line& prev = an.lines[static_cast<size_t>(title_line - 1)];
  const int tparent = doc.node(title_el).parent;
  const int pblock = prev.block;
  const bool same_block = pblock >= 0 && tparent >= 0 &&
                          (pblock == tparent || doc.node(pblock).parent == tparent ||
                           doc.node(pblock).parent == doc.node(tparent).parent);
  // E-paper title tables (Founder): 引题, 主题 and 副题 in the cells of a table of their own,
  // one row each.
  const bool title_table = pblock >= 0 && tparent >= 0 && doc.node(title_el).tag == Tag::td &&
                           doc.node(pblock).tag == Tag::td && doc.node(pblock).parent >= 0 &&
                           doc.node(doc.node(pblock).parent).parent == doc.node(tparent).parent &&
                           table_rows(doc, doc.node(tparent).parent) <= 4;
  const bool kicker_like = (doc.node(pblock).tag >= Tag::h1 && doc.node(pblock).tag <= Tag::h6) ||
                           class_matches(doc.class_id(pblock), rules::lead_title_class_tokens()) ||
                           title_table;
  if ((same_block || title_table) && kicker_like && prev.link_chars == 0 &&
      count_code_points(prev.text) <= 40 && !prev.text.ends_with(':') &&
      !prev.text.ends_with("：") && !find_date(prev.text) && !is_info_line(prev.text) &&
      squash_folded(prev.text) != an.title_sq &&
      (!site || squash_folded(prev.text) != squash_folded(*site))) {
    if (std::string k = strip_dashes(prev.text); !k.empty()) return k;
  }
  return std::nullopt;
}

// 副题: a "——" line right under the headline (inside the content or just before it); else the
// 引题 above it.
Subtitle find_subtitle(const Analysis& an, const std::optional<std::string>& site) {
  Subtitle sub;
  const int title_line = an.layout.title_line;
  if (title_line < 0) return sub;
  const auto& lines = an.lines;
  for (int i = title_line + 1; i < static_cast<int>(lines.size()) && i <= title_line + 4; ++i) {
    const std::string& t = lines[static_cast<size_t>(i)].text;
    if (starts_with_dash(t) && count_code_points(t) <= 80 && !strip_dashes(t).empty()) {
      sub.text = strip_dashes(t);
      sub.rule = "dash-line";
      sub.line = i;
      return sub;
    }
    if (squash_folded(t) == an.title_sq) continue;  // the headline repeated in the content
    if (is_prose(lines[static_cast<size_t>(i)])) break;
  }
  if ((sub.text = kicker_line(an, site))) sub.rule = "kicker-line";
  return sub;
}

// The headline repeated in the text, also cased or punctuated otherwise ("…With Zsh compdef").
class HeadlineRepeat {
 public:
  explicit HeadlineRepeat(const std::optional<std::string>& title)
      : sq_(title ? squash_folded(*title) : std::string()),
        key_(title ? title_key(*title) : std::string()),
        chars_(static_cast<int>(count_code_points(sq_))) {}
  bool operator()(const Line& l, const std::string& sq) const {
    if (sq == sq_) return true;
    if (key_.size() < 8 || l.chars < chars_ - 8 || l.chars > chars_ + 8) return false;
    return title_key(l.text) == key_;
  }

 private:
  std::string sq_, key_;
  int chars_;
};

// How many lines under a bare name line the text must start within (a subtitle and a
// heading may come between).
constexpr size_t kNameLineTextWithin = 3;

// Whether one of the `n` lines of `body_idx` from position `from` reads as text: prose, or a
// hard-wrapped line of it (20+ characters with a comma or full stop).
bool prose_within(const std::vector<Line>& lines, const std::vector<int>& body_idx, size_t from,
                  size_t n) {
  for (size_t k = from; k < body_idx.size() && k < from + n; ++k) {
    const Line& l = lines[static_cast<size_t>(body_idx[k])];
    if (is_prose(l) || (l.chars >= 20 && (l.text.find("。") != std::string::npos ||
                                          l.text.find(',') != std::string::npos)))
      return true;
  }
  return false;
}

// A header strip the content took in ("Mar 4, 2025" under the lede): a line among the first
// kHeadDateLines of the text that is a date and nothing else is an info line, not text.
constexpr size_t kHeadDateLines = 5;
bool date_only(const Line& l) {
  if (l.chars > 40) return false;
  const auto d = find_date(l.text);
  return d && d->begin == 0 && trim(l.text.substr(d->end), " .,|·").empty();
}

// The content's lines minus the headline, subtitle, chrome, info and link lines and bylines
// (read into body.credits); info lines at the head and foot go to head_info / tail_info.
void read_body_lines(const Analysis& an, const std::optional<std::string>& title,
                     std::vector<Candidate>* trace, Body& body) {
  const auto& lines = an.lines;
  const std::vector<int>& body_idx = an.layout.body_idx;
  const HeadlineRepeat repeats_headline(title);
  const std::string subtitle_sq = an.subtitle.text ? squash_folded(*an.subtitle.text) : "";
  int first_prose = -1, last_prose = -1;
  for (size_t k = 0; k < body_idx.size(); ++k)
    if (is_prose(lines[static_cast<size_t>(body_idx[k])])) {
      if (first_prose < 0) first_prose = static_cast<int>(k);
      last_prose = static_cast<int>(k);
    }
  auto dropped = [&](const Line& l, const char* why) {
    if (trace) trace->push_back({"body-dropped", why, utf8_prefix(l.text, 200), 0, ""});
  };
  for (size_t k = 0; k < body_idx.size(); ++k) {
    const Line& l = lines[static_cast<size_t>(body_idx[k])];
    const std::string sq = squash_folded(l.text);
    const bool head = first_prose < 0 || static_cast<int>(k) < first_prose;
    const bool tail = last_prose >= 0 && static_cast<int>(k) > last_prose;
    if (repeats_headline(l, sq) ||
        (!subtitle_sq.empty() &&
         (sq == subtitle_sq || squash(strip_dashes(l.text)) == subtitle_sq)))
      continue;
    if (an.subtitle.line && body_idx[k] == *an.subtitle.line) continue;
    if (is_chrome_line(l.text)) {
      if (tail) body.tail_info.push_back(body_idx[k]);
      dropped(l, "chrome-line");
      continue;
    }
    if ((head || tail || (k < kHeadDateLines && date_only(l))) && is_info_line(l.text)) {
      (head ? body.head_info : body.tail_info).push_back(body_idx[k]);
      dropped(l, "info-line");
      continue;
    }
    if (l.chars > 0 && l.link_chars * 10 > l.chars * 6 && !is_prose(l)) {
      dropped(l, "link-line");
      continue;
    }
    // A personal name alone on a line right above the text ("胡平" under the headline, a
    // heading or the first paragraph next): its writer (not a name in a table of contents,
    // between titles).
    if (head && k < kHeadDateLines && count_code_points(l.text) <= 3 && han_personal_name(l.text) &&
        prose_within(lines, body_idx, k + 1, kNameLineTextWithin)) {
      add_people(body.credits, {{l.text, Role::author}});
      body.credit_rules.push_back("body-name-line");
      dropped(l, "byline");
      continue;
    }
    Credits c = parse_credits(l.text);
    if (c.byline_only()) {
      add_people(body.credits, c.people);
      body.credit_rules.push_back(head ? "body-first-line" : tail ? "body-last-line" : "body-line");
      dropped(l, "byline");
      continue;
    }
    if (head || tail || k + 3 >= body_idx.size() || k < 2) {
      auto bc = bracket_credits(l.text, false);
      if (!bc.empty()) {
        add_people(body.credits, bc);
        body.credit_rules.push_back("body-bracket");
      } else if (auto w = dateline_writer(l.text); w && k < 2) {
        add_people(body.credits, {{*w, Role::reporter}});
        body.credit_rules.push_back("body-dateline");
      }
    }
    // English bylines at the top of the content.
    if (head || k < 3) {
      auto names = english_byline(l.text);
      if (!names.empty() && l.chars < 80) {
        for (auto& n : names) add_people(body.credits, {{n, Role::reporter}});
        body.credit_rules.push_back("byline-by");
        // "Von: Jonas Petersen | 31.10.23": the byline is the info line too.
        if (head && find_date(l.text)) body.head_info.push_back(body_idx[k]);
        continue;
      }
    }
    body.lines.push_back(l.text);
  }
}

// The standfirst's lines (not the dash subtitle, not already in the body) go first.
void add_lede(const Analysis& an, Body& body) {
  std::vector<std::string> lead;
  for (int i : an.layout.lede) {
    if (an.subtitle.line && i == *an.subtitle.line) continue;
    const std::string& t = an.lines[static_cast<size_t>(i)].text;
    if (std::find(body.lines.begin(), body.lines.end(), t) == body.lines.end()) lead.push_back(t);
  }
  body.lines.insert(body.lines.begin(), lead.begin(), lead.end());
}

// A lead paragraph set apart in the article header (between headline and text) is part of the
// article when the page's own description says so.
void add_described_lead(const Analysis& an, Body& body) {
  std::string desc = an.md.get("description");
  if (desc.empty()) desc = an.md.get("og:description");
  const std::string dsq = squash(desc);
  const int title_line = an.layout.title_line;
  const int body_start = an.layout.body_idx.empty() ? -1 : an.layout.body_idx.front();
  if (dsq.size() < 40 || title_line < 0 || body_start <= title_line) return;
  for (int i = title_line + 1; i < body_start && i <= title_line + 12; ++i) {
    const Line& l = an.lines[static_cast<size_t>(i)];
    const std::string lsq = squash_folded(l.text);
    if (lsq.size() < 40 || l.link_chars * 4 > l.chars) continue;
    const bool same = lsq == dsq ||
                      (lsq.size() > 30 && dsq.starts_with(lsq.substr(0, lsq.size() * 4 / 5))) ||
                      (dsq.size() > 30 && lsq.starts_with(dsq.substr(0, dsq.size() * 4 / 5)));
    if (!same) continue;
    bool present = false;
    for (const auto& b : body.lines)
      if (squash_folded(b) == lsq) present = true;
    if (!present) {
      body.lines.insert(body.lines.begin(), l.text);
      body.lead_rule = "meta:description";
    }
    return;
  }
}

// A summary box above the text repeats its first paragraph: keep the one in the text.
void drop_repeated_summary(std::vector<std::string>& body_lines) {
  for (size_t k = 0; k < body_lines.size() && k < 3; ++k) {
    const std::string sq = squash_folded(body_lines[k]);
    bool again = false;
    for (size_t m = k + 1; m < body_lines.size() && m < k + 6; ++m)
      if (squash_folded(body_lines[m]) == sq) again = true;
    if (again) {
      body_lines.erase(body_lines.begin() + static_cast<long>(k));
      return;
    }
  }
}

Body assemble_body(const Analysis& an, const std::optional<std::string>& title,
                   std::vector<Candidate>* trace) {
  Body body;
  body.head_info = an.layout.head_info;
  read_body_lines(an, title, trace, body);
  add_lede(an, body);
  add_described_lead(an, body);
  if (!body.lines.empty()) {
    auto bc = bracket_credits(body.lines.back(), true);
    if (!bc.empty()) {
      add_people(body.credits, bc);
      body.credit_rules.push_back("body-end-bracket");
    }
  }
  drop_repeated_summary(body.lines);
  return body;
}

// The info region: the lines between the headline and the body (or the few above the body),
// the info lines removed from the body's head, and a few lines above the headline.
std::vector<int> info_region(const Analysis& an) {
  std::vector<int> info;
  const auto& body_idx = an.layout.body_idx;
  const int title_line = an.layout.title_line;
  const int body_start = body_idx.empty() ? static_cast<int>(an.lines.size()) : body_idx.front();
  int from = title_line >= 0 ? title_line + 1 : std::max(0, body_start - 6);
  int to = body_start;
  if (title_line >= 0 && title_line >= body_start)
    to = std::min<int>(title_line + 6, static_cast<int>(an.lines.size()));
  for (int i = from; i < to && i < from + 12; ++i) info.push_back(i);
  for (int i : an.body.head_info)
    if (std::find(info.begin(), info.end(), i) == info.end() && i != title_line) info.push_back(i);
  // A few lines above the headline (dates often sit over it).
  if (title_line > 0)
    for (int i = std::max(0, title_line - 3); i < title_line; ++i) info.push_back(i);
  return info;
}

// The tail region: info lines at the text's foot, eight lines under it, and the rest of the
// smallest ancestor not much larger than the content (credits often sit at the foot of the
// article container, after related lists).
std::vector<int> tail_region(const Analysis& an) {
  const Document& doc = an.doc;
  const auto& body_idx = an.layout.body_idx;
  const int n_lines = static_cast<int>(an.lines.size());
  const int body_end = body_idx.empty() ? -1 : body_idx.back();
  std::vector<int> tail = an.body.tail_info;
  if (body_end >= 0)
    for (int i = body_end + 1; i < n_lines && i <= body_end + 8; ++i) tail.push_back(i);
  if (body_end >= 0 && an.content.top >= 0) {
    int box = an.content.top;
    const int top_text = doc.node(an.content.top).text;
    for (int p = doc.node(box).parent; p > 0; p = doc.node(p).parent) {
      if (doc.node(p).text > top_text * 3 / 2 + 300 || doc.node(p).tag == Tag::body) break;
      box = p;
    }
    const int box_end = doc.node(box).end;
    int added = 0;
    for (int i = body_end + 9; i < n_lines && added < 40; ++i, ++added) {
      if (an.lines[static_cast<size_t>(i)].first >= box_end) break;
      tail.push_back(i);
    }
  }
  return tail;
}

// ---- the field modules that read the analysis ----

// Records a field's value and its rule; an empty optional leaves the field unset.
void set_field(Page& page, std::optional<std::string>& field, const char* name,
               std::optional<std::string> value, const std::string& rule) {
  if (!value) return;
  field = std::move(value);
  page.provenance[name] = rule;
}

void published_field(const Analysis& an, const ParseOptions& opt, Page& page,
                     std::vector<Candidate>* trace) {
  const Layout& ly = an.layout;
  const DateEvidence ev{an.doc,          an.md,           an.lines,
                        an.regions.info, an.regions.tail, ly.body_idx,
                        an.title.node,   an.content.top,  opt.url.empty() ? "" : page.final_url};
  const DateResult d = find_published(ev, trace);
  if (!d.value) return;
  const SiteZone zone = site_zone(opt, page.final_url);
  page.article.published_at = to_iso(*d.value, zone.name, zone.known);
  page.provenance["published_at"] = d.rule;
  if (d.value->has_time()) page.provenance["time_zone"] = zone.name + " (" + zone.why + ")";
}

void source_field(const Analysis& an, Page& page, std::vector<Candidate>* trace) {
  const SourceEvidence ev{an.doc, an.md, an.lines, an.regions.info, an.regions.tail, an.body.lines};
  SourceResult src = find_source(ev, trace);
  set_field(page, page.article.source, "source", std::move(src.value), src.rule);
}

void credits_field(const Analysis& an, Page& page, std::vector<Candidate>* trace) {
  const CreditEvidence ev{an.doc,
                          an.md,
                          an.lines,
                          an.regions.info,
                          an.regions.tail,
                          an.body.credits,
                          an.body.credit_rules,
                          an.site};
  CreditsResult c = find_credits(ev, trace);
  page.article.contributors = std::move(c.contributors);
  page.article.reporters = std::move(c.reporters);
  if (!c.rule.empty()) page.provenance["contributors"] = c.rule;
}

void section_field(const Analysis& an, Page& page, std::vector<Candidate>* trace) {
  const auto& ly = an.layout;
  const int limit = ly.title_line >= 0 ? ly.title_line
                                       : (ly.body_idx.empty() ? static_cast<int>(an.lines.size())
                                                              : ly.body_idx.front());
  const SectionEvidence ev{an.doc, an.md,       an.lines,      an.regions.info,
                           limit,  an.title_sq, page.final_url};
  SectionResult s = find_section(ev, trace);
  set_field(page, page.article.section, "section", std::move(s.value), s.rule);
}

// <html lang>, else "zh" when Han characters are over a third of the content's text.
void language_field(const Analysis& an, Page& page) {
  std::string lang = an.md.lang.substr(0, an.md.lang.find_first_of("-_"));
  if (!lang.empty() && lang.size() <= 3) {
    page.article.language = lang;
    page.provenance["language"] = "html-lang";
  } else if (an.content.top >= 0 && an.doc.node(an.content.top).text > 0) {
    const Node& n = an.doc.node(an.content.top);
    if (n.cjk * 3 > n.text) {
      page.article.language = "zh";
      page.provenance["language"] = "script";
    }
  }
}

// Every <a href> resolved against <base> / the final URL (crawler/urls.h), and the canonical URL.
void links_field(const Analysis& an, Page& page) {
  const crawler::PageResolver resolver(page.final_url, fold(an.md.base_href));
  if (!an.md.canonical.empty()) page.canonical = resolver.resolve(fold(an.md.canonical));
  for (int i = 0; i < an.doc.size(); ++i) {
    const Node& n = an.doc.node(i);
    if (n.type != NodeType::element || n.tag != Tag::a) continue;
    std::string_view href = an.doc.attr(i, "href");
    if (href.empty()) continue;
    std::string url = resolver.resolve(fold(href));
    if (url.empty()) continue;
    std::string text = an.doc.text(i);
    std::replace(text.begin(), text.end(), '\n', ' ');
    page.links.push_back({std::move(url), fold(text)});
  }
}

// Field length caps (issue 13: a 10 MB <title> became a 2.8M-character title). Headline-like
// fields are cut at kMaxHeadlineChars code points; a "name" longer than kMaxNameChars is not a
// name and is dropped.
void cap_lengths(Page& page) {
  constexpr size_t kMaxHeadlineChars = 500;  // longest real headline seen: ~200 (English)
  constexpr size_t kMaxNameChars = 64;       // longest credited name seen: ~30 (transliterated)
  Article& a = page.article;
  auto cut = [&](std::optional<std::string>& f, const char* name) {
    if (!f || count_code_points(*f) <= kMaxHeadlineChars) return;
    size_t i = 0;
    for (size_t n = 0; n < kMaxHeadlineChars && i < f->size(); ++n) decode_utf8(*f, i);
    f->resize(i);
    page.provenance["limits"] += std::string(";") + name + " cut";
  };
  cut(a.title, "title");
  cut(a.subtitle, "subtitle");
  cut(a.site, "site");
  cut(a.section, "section");
  cut(a.source, "source");
  auto too_long = [&](const std::string& n) { return count_code_points(n) > kMaxNameChars; };
  std::erase_if(a.reporters, too_long);
  std::erase_if(a.contributors, [&](const Contributor& c) { return too_long(c.name); });
  if (auto l = page.provenance.find("limits");
      l != page.provenance.end() && l->second.starts_with(";"))
    l->second.erase(0, 1);
}

// An article has a headline and at least 60 weighted characters of text (Han 1, others 0.4);
// else a list when it has 20 links or more.
PageKind page_kind(const Page& page) {
  const Article& a = page.article;
  int body_cjk = 0;
  if (a.body)
    for (size_t i = 0; i < a.body->size();)
      if (is_cjk(decode_utf8(*a.body, i))) ++body_cjk;
  const double w = a.body ? body_cjk + 0.4 * (double(count_code_points(*a.body)) - body_cjk) : 0;
  if (a.title && w >= 60) return PageKind::article;
  if (page.links.size() >= 20) return PageKind::list;
  return PageKind::other;
}

// The headline, the site, the layout, the subtitle, the body and the regions, in that order
// (each step reads the ones before). Sets the title, site, subtitle and body fields on the way,
// as later steps read them.
void analyse(Analysis& an, Page& page, std::vector<Candidate>* trace) {
  Article& a = page.article;
  an.md = read_metadata(an.doc);
  an.lines = linearize(an.doc);
  SiteName site = site_from_metadata(an.md);
  // The title, the content, then the title again knowing where the content is.
  std::vector<TitleCandidate> title_cache;
  const TitleResult first_title =
      find_title(an.doc, an.md, -1, site.name, nullptr, &title_cache, page.final_url);
  an.content = choose_content(an.doc, first_title.node, trace != nullptr, trace);
  an.title =
      find_title(an.doc, an.md, an.content.top, site.name, trace, &title_cache, page.final_url);
  headline_from_lines(an.doc, an.lines, an.content, an.title);
  if (std::string t = clean_headline(an.title.title); !t.empty()) {
    a.title = std::move(t);
    page.provenance["title"] = an.title.rule;
  }
  if (site.name.empty())
    site = site_from_title_tag(an.doc, an.md, an.title, a.title, page.final_url);
  if (!site.name.empty()) {
    a.site = site.name;
    page.provenance["site"] = site.rule;
    if (trace) trace->push_back({"site", site.rule, site.name, 0, "won"});
  }
  an.site = site.name;
  an.title_sq = a.title ? squash_folded(*a.title) : std::string();
  an.layout = find_layout(an);
  an.subtitle = find_subtitle(an, a.site);
  if (an.subtitle.text) {
    a.subtitle = an.subtitle.text;
    page.provenance["subtitle"] = an.subtitle.rule;
    if (trace) trace->push_back({"subtitle", an.subtitle.rule, *a.subtitle, 0, "won"});
  }
  an.body = assemble_body(an, a.title, trace);
  if (!an.body.lead_rule.empty()) page.provenance["lead"] = an.body.lead_rule;
  if (!an.body.lines.empty()) {
    std::string body;
    for (const auto& l : an.body.lines) {
      if (!body.empty()) body += '\n';
      body += l;
    }
    a.body = std::move(body);
    page.provenance["body"] = "content-score";
  }
  an.regions.info = info_region(an);
  an.regions.tail = tail_region(an);
  if (trace) {
    for (int i : an.regions.info)
      trace->push_back({"info-region", "line", an.lines[static_cast<size_t>(i)].text, 0, ""});
    for (int i : an.regions.tail)
      trace->push_back({"tail-region", "line", an.lines[static_cast<size_t>(i)].text, 0, ""});
  }
}

}  // namespace

Page parse(std::string_view bytes, const ParseOptions& opt) {
  Page page;
  page.url = opt.url;
  page.final_url = opt.final_url.empty() ? opt.url : opt.final_url;
  Decoded decoded = decode(bytes, opt.content_type, opt.charset);
  page.charset = decoded.charset;
  page.provenance["charset"] = decoded.reason;
  Analysis an(std::move(decoded.utf8));
  if (std::string limits = limits_hit(an.doc); !limits.empty())
    page.provenance["limits"] = std::move(limits);
  std::vector<Candidate>* trace = opt.explain ? &page.trace : nullptr;
  analyse(an, page, trace);
  // One module per remaining field, each reading the finished analysis.
  published_field(an, opt, page, trace);
  source_field(an, page, trace);
  credits_field(an, page, trace);
  section_field(an, page, trace);
  language_field(an, page);
  links_field(an, page);
  cap_lengths(page);
  page.kind = page_kind(page);
  return page;
}

}  // namespace nh::extract
