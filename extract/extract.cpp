// parse(): decode -> one Gumbo parse -> metadata + lines + content choice -> fields -> Page.
// Every step is total; the worst a hostile page gets is empty fields.
#include "extract/extract.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

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

namespace nh::extract {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

// Transparent hashing: look a string_view up in a map keyed by std::string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Resolves href against base with libcurl's URL API; "" when it is not an http(s) URL.
class Resolver {
 public:
  explicit Resolver(const std::string& base) : base_(curl_url()) {
    if (base.empty() || !base_ ||
        curl_url_set(base_.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK)
      ok_ = false;
  }
  Resolver(const std::string& page, const std::string& base_href) : Resolver(page) {
    if (!base_href.empty()) {
      std::string b = resolve(base_href);
      if (!b.empty()) {
        base_.reset(curl_url());
        ok_ = curl_url_set(base_.get(), CURLUPART_URL, b.c_str(), 0) == CURLUE_OK;
        cache_.clear();  // resolved against the page, not the new base
      }
    }
  }
  std::string resolve(std::string_view href) const {
    // Pages repeat their links (menus, "more" links, the same story twice): resolve each once.
    if (auto it = cache_.find(href); it != cache_.end()) return it->second;
    std::string r = resolve_uncached(href);
    cache_.emplace(std::string(href), r);
    return r;
  }

 private:
  std::string resolve_uncached(std::string_view href) const {
    std::string h = fold(href);
    if (h.empty() || h[0] == '#') return {};
    const std::string lower = lower_ascii(h.substr(0, 11));
    if (lower.starts_with("javascript:") || lower.starts_with("mailto:") ||
        lower.starts_with("tel:") || lower.starts_with("data:"))
      return {};
    UrlPtr u;
    if (ok_) {
      u.reset(curl_url_dup(base_.get()));
    } else {
      u.reset(curl_url());
    }
    if (!u) return {};
    if (curl_url_set(u.get(), CURLUPART_URL, h.c_str(),
                     CURLU_URLENCODE | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
      return {};
    char* out = nullptr;
    if (curl_url_get(u.get(), CURLUPART_URL, &out, 0) != CURLUE_OK) return {};
    std::string r(out);
    curl_free(out);
    // Only http(s): checked on the result instead of a second curl_url_get.
    if (!(r.size() > 7 &&
          (lower_ascii(r.substr(0, 8)) == "https://" || lower_ascii(r.substr(0, 7)) == "http://")))
      return {};
    return r;
  }

  UrlPtr base_;
  bool ok_ = true;
  mutable std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> cache_;
};

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

// The host of an absolute URL, lower case; "" when there is none.
std::string url_host(const std::string& url) {
  if (url.empty()) return {};
  UrlPtr u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  char* host = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) return {};
  std::string h = lower_ascii(host);
  curl_free(host);
  return h;
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
    if (!last_paragraph || g.size() > 60) return;
    std::vector<Contributor> names;
    size_t from = 0;
    const std::string f = fold(g);
    while (from <= f.size()) {
      size_t sp = f.find_first_of(" ,", from);
      if (sp == std::string::npos) sp = f.size();
      const std::string n = f.substr(from, sp - from);
      if (!n.empty()) {
        if (!han_personal_name(n)) return;
        names.push_back({n, Role::author});
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
  // Lead: "新华社北京5月26日电(记者 张三)" within the first 60 bytes.
  size_t open = text.find('(');
  if (open != std::string_view::npos && open < 60) {
    size_t c2 = text.find(')', open);
    if (c2 != std::string_view::npos && c2 - open < 80)
      try_group(text.substr(open + 1, c2 - open - 1));
  }
  return out;
}

}  // namespace

Page parse(std::string_view bytes, const ParseOptions& opt) {
  Page page;
  page.url = opt.url;
  page.final_url = opt.final_url.empty() ? opt.url : opt.final_url;
  Decoded decoded = decode(bytes, opt.content_type, opt.charset);
  page.charset = decoded.charset;
  page.provenance["charset"] = decoded.reason;
  Document doc(std::move(decoded.utf8));
  {
    std::string limits;  // the bounds this page hit, ";"-separated
    auto note = [&](bool hit, const char* what) {
      if (hit) limits += (limits.empty() ? "" : ";") + std::string(what);
    };
    note(doc.truncated(), "input cut at 8 MiB");
    note(doc.depth_limited(), "nesting flattened");
    note(doc.prepass().attributes_cut, "attributes per element capped");
    note(doc.prepass().elements_cut, "elements capped");
    note(doc.prepass().title_cut, "<title> cut");
    if (!limits.empty()) page.provenance["limits"] = std::move(limits);
  }
  std::vector<Candidate>* trace = opt.explain ? &page.trace : nullptr;
  Article& a = page.article;

  const Metadata md = read_metadata(doc);
  const std::vector<Line> lines = linearize(doc);

  // ---- site (needed to tell the headline from the logo) ----
  std::string site;
  std::string site_rule;
  if (auto [k, v] = md.first(rules::meta_site_names()); !v.empty()) {
    site = fold(v);
    site_rule = "meta:" + k;
  } else {
    for (const auto& j : md.jsonld)
      if (!j.publisher.empty()) {
        site = fold(j.publisher);
        site_rule = "jsonld:publisher";
        break;
      }
  }

  // ---- title, content, then the title again knowing where the content is ----
  std::vector<TitleCandidate> title_cache;
  const TitleResult first_title =
      find_title(doc, md, -1, site, nullptr, &title_cache, page.final_url);
  const ContentChoice content = choose_content(doc, first_title.node, opt.explain, trace);
  TitleResult title = find_title(doc, md, content.top, site, trace, &title_cache, page.final_url);
  // No heading agreed with <title> or meta: the headline is usually the short line right
  // above the text (a bold or centred line on old portals and forums).
  if ((title.weak || title.title.empty()) && content.top >= 0) {
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
    if (head >= 0 && !in_content(doc, content, lines[static_cast<size_t>(head)].first))
      head = first;
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
  if (std::string t = clean_headline(title.title); !t.empty()) {
    a.title = std::move(t);
    page.provenance["title"] = title.rule;
  }
  if (site.empty() && !title.title.empty()) {
    site = site_from_title(md.title, title.title);
    if (!site.empty()) site_rule = "title-suffix";
  }
  // A <title> that is only the site's name ("青石论坛") while the headline is elsewhere.
  if (site.empty() && a.title) {
    const auto segs = title_segments(md.title);
    if (segs.size() == 1 && squash_folded(segs[0]) != squash_folded(*a.title) &&
        count_code_points(segs[0]) <= 12) {
      for (auto suffix : rules::site_name_suffixes())
        if (segs[0].ends_with(suffix)) {
          site = segs[0];
          site_rule = "title-is-site";
          break;
        }
    }
  }
  if (!site.empty()) {
    a.site = site;
    page.provenance["site"] = site_rule;
    if (trace) trace->push_back({"site", site_rule, site, 0, "won"});
  }
  const std::string title_sq = a.title ? squash_folded(*a.title) : std::string();
  // The headline repeated in the text, cased or punctuated otherwise ("…With Zsh compdef").
  const std::string title_k = a.title ? title_key(*a.title) : std::string();
  const int title_chars = static_cast<int>(count_code_points(title_sq));
  auto repeats_headline = [&](const Line& l, const std::string& sq) {
    if (sq == title_sq) return true;
    if (title_k.size() < 8 || l.chars < title_chars - 8 || l.chars > title_chars + 8) return false;
    return title_key(l.text) == title_k;
  };

  // ---- lines: where is the title, where is the body ----
  int title_line = -1;
  if (title.node >= 0) {
    for (size_t i = 0; i < lines.size(); ++i)
      if (lines[i].first >= title.node && lines[i].first < doc.node(title.node).end) {
        title_line = static_cast<int>(i);
        break;
      }
  }
  std::vector<int> body_idx;
  for (size_t i = 0; i < lines.size(); ++i)
    if (content.top >= 0 && in_content(doc, content, lines[i].first))
      body_idx.push_back(static_cast<int>(i));
  if (title_line < 0 && !title_sq.empty()) {
    // Title given by meta: find the line that shows it (before or at the start of the body).
    const int limit = body_idx.empty() ? static_cast<int>(lines.size()) : body_idx.front() + 5;
    for (int i = 0; i < limit && i < static_cast<int>(lines.size()); ++i)
      if (squash_folded(lines[static_cast<size_t>(i)].text) == title_sq) title_line = i;
  }

  // Lines of the content that come before the headline are page chrome (breadcrumbs, dates).
  std::vector<int> head_info;  // info lines removed from the body head
  std::vector<int> tail_info;
  if (title_line >= 0 && !body_idx.empty() && title_line >= body_idx.front()) {
    int before = 0, total = 0;
    for (int i : body_idx) {
      total += lines[static_cast<size_t>(i)].chars;
      if (i <= title_line) before += lines[static_cast<size_t>(i)].chars;
    }
    if (before * 10 < total * 3) {
      std::vector<int> kept;
      for (int i : body_idx)
        if (i > title_line)
          kept.push_back(i);
        else
          head_info.push_back(i);
      body_idx = std::move(kept);
    }
  }

  // The standfirst: prose between the headline and the chosen text, inside the article that
  // holds both (a lede in the article header, an intro block beside the body container, an
  // abstract above the full text). Page builders put it in a separate module that does not
  // score as the body. Not captions, not chrome subtrees, not bylines or dates.
  // Kept apart from body_idx: the info lines at the head of the text (dates, bylines) are
  // read relative to where the chosen content starts.
  std::vector<int> lede;
  if (title.node >= 0 && content.top >= 0 && title_line >= 0 && !body_idx.empty() &&
      title_line < body_idx.front()) {
    int scope = doc.node(title.node).parent;
    while (scope >= 0 && !(content.top >= scope && content.top < doc.node(scope).end))
      scope = doc.node(scope).parent;
    if (scope >= 0 && doc.node(scope).tag != Tag::body && doc.node(scope).tag != Tag::html) {
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
    }
  }

  // ---- subtitle ----
  // 副题: a "——" line right under the headline (inside the content or just before it).
  std::optional<int> subtitle_line;
  if (title_line >= 0) {
    for (int i = title_line + 1; i < static_cast<int>(lines.size()) && i <= title_line + 4; ++i) {
      const std::string& t = lines[static_cast<size_t>(i)].text;
      if (starts_with_dash(t) && count_code_points(t) <= 80 && !strip_dashes(t).empty()) {
        a.subtitle = strip_dashes(t);
        page.provenance["subtitle"] = "dash-line";
        if (trace) trace->push_back({"subtitle", "dash-line", *a.subtitle, 0, "won"});
        subtitle_line = i;
        break;
      }
      if (squash_folded(t) == title_sq) continue;  // the headline repeated in the content
      if (is_prose(lines[static_cast<size_t>(i)])) break;
    }
    // 引题: a short heading-like line right above the headline in the same title block. The
    // headline's element is the one it was found in, or for a headline taken from <title>,
    // the block of the line that shows it.
    const int title_el = title.node >= 0   ? title.node
                         : title_line >= 0 ? lines[static_cast<size_t>(title_line)].block
                                           : -1;
    if (!a.subtitle && title_el >= 0 && title_line > 0) {
      const Line& prev = lines[static_cast<size_t>(title_line - 1)];
      const int tparent = doc.node(title_el).parent;
      const int pblock = prev.block;
      const bool same_block = pblock >= 0 && tparent >= 0 &&
                              (pblock == tparent || doc.node(pblock).parent == tparent ||
                               doc.node(pblock).parent == doc.node(tparent).parent);
      // E-paper title tables (Founder): 引题, 主题 and 副题 in the cells of a table of their
      // own, one row each.
      const bool title_table =
          pblock >= 0 && tparent >= 0 && doc.node(title_el).tag == Tag::td &&
          doc.node(pblock).tag == Tag::td && doc.node(pblock).parent >= 0 &&
          doc.node(doc.node(pblock).parent).parent == doc.node(tparent).parent &&
          table_rows(doc, doc.node(tparent).parent) <= 4;
      const bool kicker_like =
          (doc.node(pblock).tag >= Tag::h1 && doc.node(pblock).tag <= Tag::h6) ||
          class_matches(doc.class_id(pblock), rules::lead_title_class_tokens()) || title_table;
      if ((same_block || title_table) && kicker_like && prev.link_chars == 0 &&
          count_code_points(prev.text) <= 40 && !prev.text.ends_with(':') &&
          !prev.text.ends_with("：") && !find_date(prev.text) && !is_info_line(prev.text) &&
          squash_folded(prev.text) != title_sq &&
          (!a.site || squash_folded(prev.text) != squash_folded(*a.site))) {
        if (std::string k = strip_dashes(prev.text); !k.empty()) {
          a.subtitle = std::move(k);
          page.provenance["subtitle"] = "kicker-line";
          if (trace) trace->push_back({"subtitle", "kicker-line", *a.subtitle, 0, "won"});
        }
      }
    }
  }
  const std::string subtitle_sq = a.subtitle ? squash_folded(*a.subtitle) : std::string();

  // ---- body ----
  std::vector<Contributor> credits;
  std::vector<std::string> credit_rules;
  std::vector<std::string> body_lines;
  {
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
      if (subtitle_line && body_idx[k] == *subtitle_line) continue;
      if (is_chrome_line(l.text)) {
        if (tail) tail_info.push_back(body_idx[k]);
        dropped(l, "chrome-line");
        continue;
      }
      if ((head || tail) && is_info_line(l.text)) {
        (head ? head_info : tail_info).push_back(body_idx[k]);
        dropped(l, "info-line");
        continue;
      }
      if (l.chars > 0 && l.link_chars * 10 > l.chars * 6 && !is_prose(l)) {
        dropped(l, "link-line");
        continue;
      }
      Credits c = parse_credits(l.text);
      if (c.byline_only()) {
        add_people(credits, c.people);
        credit_rules.push_back(head ? "body-first-line" : tail ? "body-last-line" : "body-line");
        dropped(l, "byline");
        continue;
      }
      if (head || tail || k + 3 >= body_idx.size() || k < 2) {
        auto bc = bracket_credits(l.text, false);
        if (!bc.empty()) {
          add_people(credits, bc);
          credit_rules.push_back("body-bracket");
        } else if (auto w = dateline_writer(l.text); w && k < 2) {
          add_people(credits, {{*w, Role::reporter}});
          credit_rules.push_back("body-dateline");
        }
      }
      // English bylines at the top of the content.
      if (head || k < 3) {
        auto names = english_byline(l.text);
        if (!names.empty() && l.chars < 80) {
          for (auto& n : names) add_people(credits, {{n, Role::reporter}});
          credit_rules.push_back("byline-by");
          // "Von: Jonas Petersen | 31.10.23": the byline is the info line too.
          if (head && find_date(l.text)) head_info.push_back(body_idx[k]);
          continue;
        }
      }
      body_lines.push_back(l.text);
    }
  }
  {
    std::vector<std::string> lead;
    for (int i : lede) {
      if (subtitle_line && i == *subtitle_line) continue;
      const std::string& t = lines[static_cast<size_t>(i)].text;
      if (std::find(body_lines.begin(), body_lines.end(), t) == body_lines.end()) lead.push_back(t);
    }
    body_lines.insert(body_lines.begin(), lead.begin(), lead.end());
  }
  // A lead paragraph set apart in the article header (between headline and text) is part of
  // the article when the page's own description says so.
  {
    std::string desc = md.get("description");
    if (desc.empty()) desc = md.get("og:description");
    const std::string dsq = squash(desc);
    const int body_start = body_idx.empty() ? -1 : body_idx.front();
    if (dsq.size() >= 40 && title_line >= 0 && body_start > title_line) {
      for (int i = title_line + 1; i < body_start && i <= title_line + 12; ++i) {
        const Line& l = lines[static_cast<size_t>(i)];
        const std::string lsq = squash_folded(l.text);
        if (lsq.size() < 40 || l.link_chars * 4 > l.chars) continue;
        const bool same = lsq == dsq ||
                          (lsq.size() > 30 && dsq.starts_with(lsq.substr(0, lsq.size() * 4 / 5))) ||
                          (dsq.size() > 30 && lsq.starts_with(dsq.substr(0, dsq.size() * 4 / 5)));
        if (!same) continue;
        bool present = false;
        for (const auto& b : body_lines)
          if (squash_folded(b) == lsq) present = true;
        if (!present) {
          body_lines.insert(body_lines.begin(), l.text);
          page.provenance["lead"] = "meta:description";
        }
        break;
      }
    }
  }
  if (!body_lines.empty()) {
    auto bc = bracket_credits(body_lines.back(), true);
    if (!bc.empty()) {
      add_people(credits, bc);
      credit_rules.push_back("body-end-bracket");
    }
  }
  // A summary box above the text repeats its first paragraph: keep the one in the text.
  for (size_t k = 0; k < body_lines.size() && k < 3; ++k) {
    const std::string sq = squash_folded(body_lines[k]);
    bool again = false;
    for (size_t m = k + 1; m < body_lines.size() && m < k + 6; ++m)
      if (squash_folded(body_lines[m]) == sq) again = true;
    if (again) {
      body_lines.erase(body_lines.begin() + static_cast<long>(k));
      break;
    }
  }
  if (!body_lines.empty()) {
    std::string body;
    for (const auto& l : body_lines) {
      if (!body.empty()) body += '\n';
      body += l;
    }
    a.body = std::move(body);
    page.provenance["body"] = "content-score";
  }

  // ---- the info region: between the headline and the body, plus removed head lines ----
  std::vector<int> info;
  {
    const int body_start = body_idx.empty() ? static_cast<int>(lines.size()) : body_idx.front();
    int from = title_line >= 0 ? title_line + 1 : std::max(0, body_start - 6);
    int to = body_start;
    if (title_line >= 0 && title_line >= body_start)
      to = std::min<int>(title_line + 6, static_cast<int>(lines.size()));
    for (int i = from; i < to && i < from + 12; ++i) info.push_back(i);
    for (int i : head_info)
      if (std::find(info.begin(), info.end(), i) == info.end() && i != title_line)
        info.push_back(i);
    // A few lines above the headline (dates often sit over it).
    if (title_line > 0)
      for (int i = std::max(0, title_line - 3); i < title_line; ++i) info.push_back(i);
  }
  std::vector<int> tail;
  {
    const int body_end = body_idx.empty() ? -1 : body_idx.back();
    tail = tail_info;
    if (body_end >= 0)
      for (int i = body_end + 1; i < static_cast<int>(lines.size()) && i <= body_end + 8; ++i)
        tail.push_back(i);
    // Credits often sit at the foot of the article container, after related lists: take the
    // rest of the smallest ancestor that is not much larger than the content.
    if (body_end >= 0 && content.top >= 0) {
      int box = content.top;
      const int top_text = doc.node(content.top).text;
      for (int p = doc.node(box).parent; p > 0; p = doc.node(p).parent) {
        if (doc.node(p).text > top_text * 3 / 2 + 300 || doc.node(p).tag == Tag::body) break;
        box = p;
      }
      const int box_end = doc.node(box).end;
      int added = 0;
      for (int i = body_end + 9; i < static_cast<int>(lines.size()) && added < 40; ++i, ++added) {
        if (lines[static_cast<size_t>(i)].first >= box_end) break;
        tail.push_back(i);
      }
    }
  }

  if (trace) {
    for (int i : info)
      trace->push_back({"info-region", "line", lines[static_cast<size_t>(i)].text, 0, ""});
    for (int i : tail)
      trace->push_back({"tail-region", "line", lines[static_cast<size_t>(i)].text, 0, ""});
  }

  // ---- published_at ----
  {
    const DateEvidence ev{doc,        md,          lines,
                          info,       tail,        body_idx,
                          title.node, content.top, opt.url.empty() ? "" : page.final_url};
    const DateResult d = find_published(ev, trace);
    if (d.value) {
      const SiteZone zone = site_zone(opt, page.final_url);
      a.published_at = to_iso(*d.value, zone.name, zone.known);
      page.provenance["published_at"] = d.rule;
      if (d.value->has_time()) page.provenance["time_zone"] = zone.name + " (" + zone.why + ")";
    }
  }

  // ---- source ----
  {
    const SourceEvidence ev{md, lines, info, tail, body_lines};
    SourceResult src = find_source(ev, trace);
    if (src.value) {
      a.source = std::move(src.value);
      page.provenance["source"] = src.rule;
    }
  }

  // ---- credits: the info region, the body's bylines, the tail, declared authors ----
  {
    const CreditEvidence ev{doc, md, lines, info, tail, credits, credit_rules, site};
    CreditsResult c = find_credits(ev, trace);
    a.contributors = std::move(c.contributors);
    a.reporters = std::move(c.reporters);
    if (!c.rule.empty()) page.provenance["contributors"] = c.rule;
  }

  // ---- section ----
  {
    const int limit = title_line >= 0
                          ? title_line
                          : (body_idx.empty() ? static_cast<int>(lines.size()) : body_idx.front());
    const SectionEvidence ev{doc, md, lines, info, limit, title_sq};
    SectionResult s = find_section(ev, trace);
    if (s.value) {
      a.section = std::move(s.value);
      page.provenance["section"] = s.rule;
    }
  }

  // ---- language ----
  {
    std::string lang = md.lang.substr(0, md.lang.find_first_of("-_"));
    if (!lang.empty() && lang.size() <= 3) {
      a.language = lang;
      page.provenance["language"] = "html-lang";
    } else if (content.top >= 0 && doc.node(content.top).text > 0) {
      const Node& n = doc.node(content.top);
      if (n.cjk * 3 > n.text) {
        a.language = "zh";
        page.provenance["language"] = "script";
      }
    }
  }

  // ---- links ----
  {
    Resolver resolver(page.final_url, md.base_href);
    if (!md.canonical.empty()) page.canonical = resolver.resolve(md.canonical);
    for (int i = 0; i < doc.size(); ++i) {
      const Node& n = doc.node(i);
      if (n.type != NodeType::element || n.tag != Tag::a) continue;
      std::string_view href = doc.attr(i, "href");
      if (href.empty()) continue;
      std::string url = resolver.resolve(href);
      if (url.empty()) continue;
      std::string text = doc.text(i);
      std::replace(text.begin(), text.end(), '\n', ' ');
      page.links.push_back({std::move(url), fold(text)});
    }
  }

  // ---- field length caps (issue 13: a 10 MB <title> became a 2.8M-character title) ----
  {
    // Headline-like fields are cut at kMaxHeadlineChars code points; a "name" longer than
    // kMaxNameChars is not a name and is dropped.
    constexpr size_t kMaxHeadlineChars = 500;  // longest real headline seen: ~200 (English)
    constexpr size_t kMaxNameChars = 64;       // longest credited name seen: ~30 (transliterated)
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
  }
  if (auto l = page.provenance.find("limits");
      l != page.provenance.end() && l->second.starts_with(";"))
    l->second.erase(0, 1);

  // ---- kind ----
  {
    const double body_w =
        a.body ? weighted_chars(static_cast<int>(count_code_points(*a.body)), 0) : 0;
    int body_cjk = 0;
    if (a.body)
      for (size_t i = 0; i < a.body->size();)
        if (is_cjk(decode_utf8(*a.body, i))) ++body_cjk;
    const double w = a.body ? body_cjk + 0.4 * (double(count_code_points(*a.body)) - body_cjk) : 0;
    (void)body_w;
    if (a.title && w >= 60)
      page.kind = PageKind::article;
    else if (page.links.size() >= 20)
      page.kind = PageKind::list;
    else
      page.kind = PageKind::other;
  }
  return page;
}

}  // namespace nh::extract
