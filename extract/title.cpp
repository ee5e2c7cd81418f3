#include "extract/title.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iterator>

#include <unicode/uchar.h>

#include "extract/fields.h"
#include "extract/normalize.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

bool is_heading(Tag t) { return t == Tag::h1 || t == Tag::h2 || t == Tag::h3 || t == Tag::h4; }

bool inside(const Document& doc, int node, Tag tag) {
  for (int p = doc.node(node).parent; p >= 0; p = doc.node(p).parent)
    if (doc.node(p).tag == tag) return true;
  return false;
}

}  // namespace

std::string clean_headline(std::string_view title) {
  std::string t(title);
  // Markup escaped into a <title> or og:title ("&lt;b&gt;标题&lt;/b&gt;"): only when a closing
  // tag is there too, so a headline about "<br> tags" keeps its words.
  if (t.find("</") != std::string::npos) {
    std::string out;
    for (size_t i = 0; i < t.size();) {
      const size_t close = t[i] == '<' ? t.find('>', i) : std::string::npos;
      const bool tag = close != std::string::npos && close - i <= 12 && i + 1 < t.size() &&
                       (std::isalpha(uint8_t(t[i + 1])) || t[i + 1] == '/');
      if (tag) {
        i = close + 1;
      } else {
        out += t[i++];
      }
    }
    t = fold(out);
  }
  // A forum's reply marker or post tag before the subject: "Re: …", "回复：…", "[原创] …".
  for (bool again = true; again;) {
    again = false;
    const std::string lower = lower_ascii(t.substr(0, 8));
    for (std::string_view re : rules::reply_markers())
      if (lower.starts_with(re)) {
        t = trim(t.substr(re.size()));
        again = true;
      }
    for (auto [open, close] :
         {std::pair<std::string_view, std::string_view>{"[", "]"}, {"【", "】"}}) {
      if (!t.starts_with(open)) continue;
      const size_t c = t.find(close);
      if (c == std::string::npos) continue;
      const std::string tag = t.substr(open.size(), c - open.size());
      for (auto f : rules::forum_tags())
        if (tag == f && c + close.size() < t.size()) {
          t = trim(t.substr(c + close.size()));
          again = true;
          break;
        }
    }
  }
  // A separator left dangling at either end ("标题 -", "| 标题").
  return trim(t, " -_|–—·");  // not quotes: «…» and »…« are part of a headline
}

std::vector<std::string> title_segments(std::string_view title_tag) {
  // A bare hyphen between two Han characters separates too ("监察法-纪检"); "COVID-19" and
  // "e-mail" keep theirs.
  std::string folded = fold(title_tag);
  {
    std::string out;
    for (size_t i = 0; i < folded.size();) {
      if (folded[i] == '-' && i > 0 && i + 1 < folded.size()) {
        size_t b = i - 1;
        while (b > 0 && (static_cast<unsigned char>(folded[b]) & 0xC0) == 0x80) --b;
        size_t k = b, n = i + 1;
        const char32_t before = decode_utf8(folded, k);
        const char32_t after = decode_utf8(folded, n);
        auto cjk_side = [](char32_t c) {
          return is_cjk(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0x2018 && c <= 0x201D) ||
                 (c >= 0xFF01 && c <= 0xFF5E);
        };
        if (cjk_side(before) && cjk_side(after) && (is_cjk(before) || is_cjk(after))) {
          out += " - ";
          ++i;
          continue;
        }
      }
      out += folded[i++];
    }
    folded = std::move(out);
  }
  std::vector<std::string> segs{folded};
  for (auto sep : rules::title_separators()) {
    std::vector<std::string> next;
    for (const auto& s : segs) {
      size_t from = 0, p;
      while ((p = s.find(sep, from)) != std::string::npos) {
        next.push_back(trim(s.substr(from, p - from)));
        from = p + sep.size();
      }
      next.push_back(trim(s.substr(from)));
    }
    segs.clear();
    for (auto& s : next) {
      s = trim(s, " -_|:·–—/»«•");  // "site // » headline": no separator left on a segment
      if (!s.empty()) segs.push_back(std::move(s));
    }
  }
  return segs;
}

std::string site_from_title(std::string_view title_tag, std::string_view headline) {
  // "headline-site" with a bare hyphen: walk past the headline (spaces ignored) and take the
  // rest after the separator.
  {
    const std::string t = fold(title_tag);
    const std::string h = squash(headline);
    size_t ti = 0, hi = 0;
    while (ti < t.size() && hi < h.size()) {
      if (t[ti] == ' ') {
        ++ti;
        continue;
      }
      if (t[ti] != h[hi]) break;
      ++ti;
      ++hi;
    }
    if (!h.empty() && hi == h.size() && ti < t.size()) {
      std::string rest = trim(t.substr(ti), " -_|:·–—");
      const auto segs = title_segments(rest);
      if (!segs.empty() && count_code_points(segs.back()) <= 30) return segs.back();
    }
  }
  const std::vector<std::string> segs = title_segments(title_tag);
  if (segs.size() < 2) return {};
  const std::string h = squash(headline);
  if (!h.empty() && squash(segs.front()) == h) return segs.back();
  if (!h.empty() && squash(segs.back()) == h) return segs.front();
  if (!h.empty() && h.find(squash(segs.front())) == 0) return segs.back();
  return {};
}

namespace {
// Lower-cased words (runs of letters and digits) of a text.
std::vector<std::u32string> words_of(std::string_view text) {
  std::vector<std::u32string> out;
  std::u32string w;
  for (size_t i = 0; i < text.size();) {
    const char32_t c = decode_utf8(text, i);
    if (u_isalnum(static_cast<UChar32>(c))) {
      w += static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

// How much of a (non-CJK) headline candidate the <title> has, by words: the share of its
// letters in words the <title> has too. "Projektwettbewerb Neubau Werkstattgebäude WSL" keeps
// three words of "Neubau Werkstattgebäude - Neubau WSL", where the longest common substring
// keeps one; "User" shares no word with "BeginnersGuide/Download", only the letters "er".
struct WordAgreement {
  double share = 0;   // of the candidate's letters
  size_t words = 0;   // the candidate's words
  size_t shared = 0;  // of which the <title> has
};
WordAgreement word_agreement(std::string_view candidate,
                             const std::vector<std::u32string>& title_words) {
  WordAgreement r;
  size_t all = 0, found = 0;
  for (const auto& w : words_of(candidate)) {
    all += w.size();
    ++r.words;
    if (std::find(title_words.begin(), title_words.end(), w) != title_words.end()) {
      found += w.size();
      ++r.shared;
    }
  }
  r.share = all ? double(found) / double(all) : 0.0;
  return r;
}

// The path of an absolute URL ("https://host/a/b.html?x" -> "/a/b.html?x"), "" if none.
std::string_view url_path(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const size_t slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string_view() : url.substr(slash);
}

bool links_to_page(const Document& doc, int heading, std::string_view page_url) {
  const std::string_view path = url_path(page_url);
  if (path.size() < 2) return false;
  for (int k = heading; k < doc.node(heading).end; ++k) {
    if (doc.node(k).tag != Tag::a) continue;
    const std::string_view href = doc.attr(k, "href");
    if (href == page_url || href == path || url_path(href) == path) return true;
  }
  return false;
}

// A heading that links to the site's home page ("<h1><a href=/>Site</a></h1>") or sits in a
// site-name/logo element is the site's name, not the headline.
bool site_name_heading(const Document& doc, int heading) {
  for (int p = heading, up = 0; p >= 0 && up < 3; p = doc.node(p).parent, ++up) {
    const std::string& cls = doc.class_id(p);
    if (cls.empty()) continue;
    for (auto t : rules::site_name_class_tokens())
      if (cls.find(t) != std::string::npos) return true;
  }
  auto home = [](std::string_view href) {
    if (href == "/" || href == "./" || href == "index.html" || href == "/index.html" ||
        href == "/index.php")
      return true;
    const size_t scheme = href.find("://");
    if (scheme == std::string_view::npos || scheme > 6) return false;
    const std::string_view path = url_path(href);
    return path.empty() || path == "/";
  };
  for (int k = heading; k < doc.node(heading).end; ++k)
    if (doc.node(k).tag == Tag::a && home(doc.attr(k, "href"))) return true;
  for (int p = doc.node(heading).parent; p >= 0; p = doc.node(p).parent)
    if (doc.node(p).tag == Tag::a) return home(doc.attr(p, "href"));
  return false;
}

// Text of a headline element: line breaks of the page source are spaces (an inline headline
// is one line however the HTML is wrapped); <br> and block elements break lines.
std::string heading_raw_text(const Document& doc, int i) {
  return doc.text(i, /*source_breaks_as_spaces=*/true);
}

}  // namespace

std::string title_key(std::string_view text) {
  const std::string sq = squash(text);
  std::string out;
  for (size_t i = 0; i < sq.size();) {
    char32_t c = decode_utf8(sq, i);
    if (c < 0x80) {
      if (!std::isalnum(static_cast<unsigned char>(c))) continue;
      c = static_cast<char32_t>(std::tolower(static_cast<int>(c)));
    } else if ((c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
               (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
               (c >= 0xFF1A && c <= 0xFF20)) {
      continue;
    } else if (c >= 0xC0 && c <= 0xDE) {
      c += 0x20;
    }
    append_utf8(out, c);
  }
  return out;
}

namespace {

bool has_class_token(const Document& doc, int node, int stop,
                     std::span<const std::string_view> tokens) {
  for (int p = node; p >= 0 && p != stop; p = doc.node(p).parent) {
    const std::string& cls = doc.class_id(p);
    if (cls.empty()) continue;
    for (auto t : tokens)
      if (cls.find(t) != std::string::npos) return true;
  }
  return false;
}

bool has_kicker_class(const Document& doc, int node, int stop) {
  return has_class_token(doc, node, stop, rules::kicker_class_tokens());
}

// The non-empty lines of raw headline text, each fold()ed.
std::vector<std::string> folded_lines(const std::string& raw) {
  std::vector<std::string> out;
  for (size_t from = 0; from <= raw.size();) {
    size_t nl = raw.find('\n', from);
    if (nl == std::string::npos) nl = raw.size();
    if (std::string line = fold(std::string_view(raw).substr(from, nl - from)); !line.empty())
      out.push_back(std::move(line));
    from = nl + 1;
  }
  return out;
}

// First line of raw headline text (lines that read like an info line skipped), or two
// when the first is a kicker ending in a colon ("Kicker:<br>Headline").
std::string first_headline_line(const std::string& raw) {
  std::string text;
  for (const std::string& line : folded_lines(raw)) {
    if (is_info_line(line)) continue;
    text += (text.empty() ? "" : " ") + line;
    if (!text.ends_with(':')) break;  // only a "Kicker:" line continues
  }
  return text;
}

// Raw text of the direct children [from, to) of `container` (indices into `kids`).
std::string pieces_raw(const Document& doc, const std::vector<int>& kids, size_t from, size_t to) {
  std::string out;
  for (size_t p = from; p < to && p < kids.size(); ++p) {
    const Node& n = doc.node(kids[p]);
    if (n.type == NodeType::element && n.tag == Tag::br) {
      out += '\n';
    } else if (n.type == NodeType::element) {
      if (n.block) out += '\n';
      out += heading_raw_text(doc, kids[p]);
      if (n.block) out += '\n';
    } else {
      for (char c : n.data) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
  }
  return out;
}

// A Han headline wrapped by hand over lines ("关于做好…城乡居民<br>医疗保险…的通知"): its
// lines joined, when the <title> or a meta title starts with the whole of them; "" otherwise.
std::string wrapped_headline(const std::string& raw, const std::vector<std::string>& agree_keys) {
  if (raw.find('\n') == std::string::npos) return {};
  std::string joined;
  int lines = 0;
  for (const std::string& line : folded_lines(raw)) {
    // The lines of a Han headline join without a space; a Latin one broken over lines is a
    // kicker and its headline ("Einheit der Woche<br>Lagen-Pyramide") as often as not.
    if (!joined.empty()) {
      size_t k = 0, back = joined.size() - 1;
      while (back > 0 && (static_cast<unsigned char>(joined[back]) & 0xC0) == 0x80) --back;
      if (!is_cjk(decode_utf8(joined, back)) || !is_cjk(decode_utf8(line, k))) return {};
    }
    joined += line;
    ++lines;
  }
  const std::string key = title_key(joined);
  if (lines < 2 || key.empty()) return {};
  for (const std::string& k : agree_keys)
    if (k.starts_with(key)) return joined;
  return {};
}

// The headline text of a heading-like element: its first line (or two when the first is a
// "Kicker:" line), without a kicker set in its own element before the headline
// ("<h1><span class=dachzeile>Nach der Wahl</span> Headline</h1>",
// "<h1><small>Tunesien</small><br>Headline</h1>") or a trailing sub-line / "more" link
// ("<h1><span>Headline</span><small class=subtitle>…</small></h1>", "<h4>排行<a>更多+</a>"):
// the piece goes when the rest is what <title>/meta name and the whole is not, or the piece
// is classed as a kicker.
std::string heading_text(const Document& doc, int i, const std::vector<std::string>& agree_keys) {
  const std::string raw = heading_raw_text(doc, i);
  if (std::string whole = wrapped_headline(raw, agree_keys); !whole.empty()) return whole;
  const std::string text = first_headline_line(raw);
  if (text.empty()) return text;
  // The pieces of the headline: descend through single wrappers (<a>, <div>).
  int container = i;
  std::vector<int> kids;       // direct children, BRs included
  std::vector<size_t> pieces;  // positions in kids of children with text
  bool hidden_sep = false;
  for (int guard = 0; guard < 8; ++guard) {
    kids.clear();
    pieces.clear();
    hidden_sep = false;
    const Node& c = doc.node(container);
    for (int k = container + 1; k < c.end; ++k) {
      const Node& n = doc.node(k);
      if (n.parent != container) continue;
      if (n.skip) {
        // A hidden separator after the first piece ("<span class=sr-only>: </span>") says
        // the page shows the two apart.
        if (pieces.size() == 1 && n.type == NodeType::element) hidden_sep = true;
        continue;
      }
      if (n.type == NodeType::element && n.tag == Tag::br) {
        kids.push_back(k);
        continue;
      }
      const bool has_text = n.type == NodeType::text || (n.type == NodeType::element && n.text > 0);
      if (!has_text) continue;
      pieces.push_back(kids.size());
      kids.push_back(k);
    }
    if (pieces.size() == 1 && doc.node(kids[pieces[0]]).type == NodeType::element) {
      container = kids[pieces[0]];
      continue;
    }
    break;
  }
  if (pieces.size() < 2) return text;
  auto one_line = [&](size_t from, size_t to) {
    std::string r = pieces_raw(doc, kids, from, to);
    std::replace(r.begin(), r.end(), '\n', ' ');
    return fold(r);
  };
  auto agrees = [&](const std::string& s) {
    const std::string k = title_key(s);
    const size_t cp = count_code_points(k);
    bool cjk = false;
    for (size_t p = 0; p < k.size();)
      if (is_cjk(decode_utf8(k, p))) cjk = true;
    if (cp < (cjk ? 4u : 8u)) return false;
    for (const auto& a : agree_keys)
      if (a.find(k) != std::string::npos) return true;
    return false;
  };
  auto piece_ok = [&](int k) {
    const Node& n = doc.node(k);
    if (n.type != NodeType::element || n.tag == Tag::ruby || n.tag == Tag::rt) return false;
    const size_t cp = count_code_points(squash(heading_raw_text(doc, k)));
    return cp >= 2 && cp <= 80;
  };
  size_t lo = 0;  // the first kid kept
  std::string out = text;
  // A kicker before the headline.
  {
    const size_t p0 = pieces.front(), p1 = pieces[1];
    const int f = kids[p0];
    if (piece_ok(f)) {
      const std::string kick = one_line(p0, p0 + 1);
      const std::string rest =
          trim(first_headline_line(pieces_raw(doc, kids, p0 + 1, kids.size())), " -_|:·–—/");
      bool br_after = false;
      for (size_t q = p0 + 1; q < p1; ++q)
        if (doc.node(kids[q]).tag == Tag::br) br_after = true;
      const bool kclass = has_kicker_class(doc, f, container);
      const bool sep = kclass || br_after || hidden_sep || doc.node(f).block ||
                       has_class_token(doc, f, container, rules::headline_piece_class_tokens());
      // "<a href=/topic/3>Topic</a> : Headline": a linked label before unlinked text.
      const bool link_label =
          doc.node(f).tag == Tag::a && doc.node(container).link * 2 < doc.node(container).text;
      const bool valid = sep || link_label || !doc.class_id(f).empty();
      if (valid && count_code_points(squash_folded(rest)) >= 4) {
        const bool ra = agrees(rest), fa = agrees(kick + " " + rest);
        bool drop = false;
        if (kick.ends_with(':') && fa)
          drop = false;
        else if (ra && !fa)
          drop = true;
        else if (ra && fa && sep)
          drop = true;
        else if (!ra && !fa && kclass)
          drop = true;
        if (drop) {
          lo = p0 + 1;
          out = rest;
        }
      }
    }
  }
  // A sub-line or a "more" link after it.
  {
    size_t kept = 0;
    for (size_t p : pieces)
      if (p >= lo) ++kept;
    const size_t pl = pieces.back();
    const int l = kids[pl];
    if (kept >= 2 && piece_ok(l)) {
      const std::string tail = one_line(pl, pl + 1);
      const std::string head =
          trim(first_headline_line(pieces_raw(doc, kids, lo, pl)), " -_|:·–—/");
      const Node& ln = doc.node(l);
      bool more_link = ln.tag == Tag::a && count_code_points(squash_folded(tail)) <= 6;
      if (more_link)
        for (size_t p : pieces)
          if (p >= lo && p != pl && doc.node(kids[p]).link * 2 > doc.node(kids[p]).text)
            more_link = false;
      bool br_before = false;
      for (size_t q = lo; q < pl; ++q)
        if (doc.node(kids[q]).tag == Tag::br) br_before = true;
      const bool kclass = has_kicker_class(doc, l, container);
      const bool valid = kclass || br_before || ln.block || !doc.class_id(l).empty();
      if (count_code_points(squash_folded(head)) >= 4) {
        bool drop = more_link;
        if (!drop && valid) {
          const bool ha = agrees(head), fa = agrees(head + " " + tail);
          drop = (ha && !fa) || (!fa && kclass);
        }
        if (drop) {
          out = head;
        }
      }
    }
  }
  return out;
}

// "[> Jens Weber", "» Headline", "• Headline": a leading run of symbols set apart by a space
// is decoration, unless it opens a quote or bracket the text closes ("« Citation »").
std::string strip_decoration(const std::string& text) {
  const size_t space = text.find(' ');
  if (space == std::string::npos || space == 0 || space > 12) return text;
  const std::string_view lead(text.data(), space);
  static constexpr std::pair<char32_t, char32_t> kPairs[] = {
      {U'(', U')'},   {U'[', U']'}, {U'«', U'»'}, {U'»', U'«'},   {U'„', U'“'},
      {U'“', U'”'},   {U'"', U'"'}, {U'‹', U'›'}, {U'「', U'」'}, {U'《', U'》'},
      {U'\'', U'\''}, {U'‚', U'‘'}, {U'‘', U'’'},
  };
  const std::string rest = text.substr(space + 1);
  for (size_t i = 0; i < lead.size();) {
    const char32_t c = decode_utf8(lead, i);
    if (u_isalnum(static_cast<UChar32>(c))) return text;
    for (const auto& [open, close] : kPairs) {
      std::string cl;
      append_utf8(cl, close);
      if (c == open && rest.find(cl) != std::string::npos) return text;
    }
  }
  return count_code_points(squash(rest)) >= 2 ? fold(rest) : text;
}

// "tag +7, title_words +8.5, meta +5": the evidence behind a headline candidate's score.
std::string evidence_note(const TitleCandidate& c) {
  static constexpr const char* kNames[] = {"tag",       "title_words",  "title_cover", "meta",
                                           "site_name", "section_name", "permalink",   "chrome",
                                           "shape",     "teaser",       "position"};
  static_assert(std::size(kNames) == static_cast<size_t>(TitleEvidence::count));
  std::string out;
  for (size_t k = 0; k < std::size(kNames); ++k) {
    const double v = c.evidence[k];
    if (v == 0) continue;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%s %+.3g", out.empty() ? "" : ", ", kNames[k], v);
    out += buf;
  }
  return out;
}

// "原创最不愁吃肉的国家…": a badge element glued to the headline, not part of it — unless
// the <title> has it too.
std::string strip_badge(const std::string& title, const std::string& title_tag_squashed) {
  for (auto b : rules::title_badges()) {
    if (title.starts_with(b) && count_code_points(title) >= count_code_points(b) + 4 &&
        !title_tag_squashed.starts_with(b))
      return fold(title.substr(b.size()));
  }
  return title;
}

// What every headline candidate is compared with: the <title>, its segments, meta titles.
struct TitleContext {
  std::string title_tag;                 // <title>, squash()ed
  std::vector<std::string> segs;         // its segments
  std::string last_seg;                  // the shorter last segment (a site name?), squashed
  std::string site;                      // the site's name, squashed
  std::vector<std::string> meta_titles;  // meta and JSON-LD headlines, squashed
  // Punctuation- and case-blind keys: "Kicker: Headline" agrees with "Kicker – „Headline“".
  std::vector<std::string> meta_keys;
  std::vector<std::u32string> title_words;
  std::vector<std::string> agree_keys;  // meta keys and the <title>'s key
  int h1_count = 0;                     // a page with a single <h1> usually means it
  std::string_view page_url;
};

TitleContext title_context(const Document& doc, const Metadata& md, const std::string& site_hint,
                           std::string_view page_url, bool count_h1) {
  TitleContext ctx;
  ctx.title_tag = squash(md.title);
  ctx.segs = title_segments(md.title);
  const auto& segs = ctx.segs;
  // The last <title> segment is the site's name in "headline_site", but the headline in
  // "site--headline": only when it is the shorter end is it taken for the site.
  // A first segment that is a host name ("example.de // Headline") is the site.
  auto host_like = [](const std::string& seg) {
    const size_t dot = seg.rfind('.');
    return seg.find(' ') == std::string::npos && dot != std::string::npos && dot > 0 &&
           seg.size() - dot >= 3 &&
           std::all_of(seg.begin() + static_cast<long>(dot) + 1, seg.end(),
                       [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  };
  ctx.last_seg = segs.size() >= 2 && !host_like(segs.front()) &&
                         count_code_points(segs.back()) < count_code_points(segs.front())
                     ? squash(segs.back())
                     : std::string();
  ctx.site = squash(site_hint);
  for (auto name : rules::meta_title_names()) {
    std::string v = md.get(name);
    if (!v.empty()) ctx.meta_titles.push_back(squash(v));
  }
  for (const auto& j : md.jsonld)
    if (!j.headline.empty()) ctx.meta_titles.push_back(squash(j.headline));
  for (const auto& m : ctx.meta_titles) ctx.meta_keys.push_back(title_key(m));
  ctx.title_words = words_of(md.title);
  ctx.agree_keys = ctx.meta_keys;
  if (!md.title.empty()) ctx.agree_keys.push_back(title_key(md.title));
  for (int i = 0; i < doc.size() && count_h1; ++i) {
    const Node& n = doc.node(i);
    if (n.skip) {
      i = n.end - 1;
      continue;
    }
    if (n.type == NodeType::element && n.tag == Tag::h1 && n.text >= 2) ++ctx.h1_count;
  }
  ctx.page_url = page_url;
  return ctx;
}

// Whether element n (not a heading) is classed as a title ("title", "biaoti", "headline",
// "timu"; not a subtitle).
bool title_classed(const Node& n, const std::string& cls) {
  if (cls.empty() || n.text <= 0 || n.text > 120) return false;
  auto has = [&](std::string_view w) { return cls.find(w) != std::string::npos; };
  return std::any_of(rules::title_class_words().begin(), rules::title_class_words().end(), has) &&
         std::none_of(rules::subtitle_class_words().begin(), rules::subtitle_class_words().end(),
                      has);
}

// Agreement of a candidate with the <title>: the share of its text in the <title> (Han
// characters in common; words in common otherwise), and the share of the <title> it covers.
void add_title_agreement(TitleCandidate& c, const std::string& sq, const TitleContext& ctx) {
  using E = TitleEvidence;
  const std::string& title_tag = ctx.title_tag;
  const size_t len = count_code_points(sq);
  const size_t lcs =
      title_tag.find(sq) != std::string::npos ? len : common_substring(sq, title_tag);
  bool cjk = false;
  for (size_t p = 0; p < sq.size() && !cjk;)
    if (is_cjk(decode_utf8(sq, p))) cjk = true;
  // Han text has no word breaks: characters in common; other scripts: words in common.
  const double chars = double(lcs) / double(std::max<size_t>(len, 1));
  double agree = chars;
  if (!cjk && lcs != len) {
    const WordAgreement wa = word_agreement(c.text, ctx.title_words);
    agree = std::max(lcs >= 5 ? chars : 0.0, wa.share);
    // One word in common ("Thema – Corona" with "Big Data gegen Corona?", "Stadtwerke App"
    // with "Stadtwerke Nordheim") names a topic or the site, it is not agreement.
    if (wa.words >= 2 && wa.shared <= 1) agree /= 2;
  }
  c.add(E::title_words, 10.0 * agree);
  // Of two headings inside the <title> ("site - section - headline"), the one that covers
  // more of it.
  c.add(E::title_cover,
        2.0 * double(lcs) / double(std::max<size_t>(count_code_points(title_tag), 1)));
}

// The headline candidates of the page, each scored on the evidence that does not depend on
// where the content is.
struct TitleCandidates {
  std::vector<TitleCandidate> cands;
  std::vector<size_t> last_seg_cands;  // candidates equal to the last <title> segment
  bool front_seen = false;             // a candidate equals the first segment
};

// Scores heading or title-classed element i (text `text`) into `out`.
void score_candidate(const Document& doc, int i, std::string text, const TitleContext& ctx,
                     TitleCandidates& out) {
  using E = TitleEvidence;
  const Node& n = doc.node(i);
  const bool heading = is_heading(n.tag);
  const auto& segs = ctx.segs;
  const std::string sq = squash(text);
  TitleCandidate c{i, std::move(text), 0, heading ? tag_name(n.tag) : "class:title"};
  c.add(E::tag, n.tag == Tag::h1 ? (ctx.h1_count == 1 ? 7 : 3) : heading ? 2 : 1.5);
  if (!ctx.title_tag.empty()) add_title_agreement(c, sq, ctx);
  const std::string key = title_key(sq);
  for (size_t k = 0; k < ctx.meta_titles.size(); ++k)
    if (ctx.meta_titles[k] == sq)
      c.add(E::meta, 5);
    else if (!key.empty() && ctx.meta_keys[k] == key)
      c.add(E::meta, 4);  // the same words, cased or punctuated otherwise
  if (!ctx.site.empty() && sq == ctx.site) c.add(E::site_name, -12);
  // The shorter last segment is the site's name in "Headline - Site"; in "Site - Section -
  // Headline" it is the headline. With three or more segments it is taken for the site only
  // when a heading shows the first segment (the headline is on the page, the site a logo).
  if (!ctx.last_seg.empty() && sq == ctx.last_seg) {
    if (segs.size() == 2)
      c.add(E::site_name, -12);
    else
      out.last_seg_cands.push_back(out.cands.size());
  }
  if (segs.size() >= 3 && !out.front_seen && sq == squash(segs.front())) out.front_seen = true;
  // "Site - Section - Headline", "标题_栏目_站点": a short middle segment is a section name
  // (a long one can be the headline: "Kicker – Headline | Site").
  if (count_code_points(sq) <= 16)
    for (size_t k = 1; k + 1 < segs.size(); ++k)
      if (sq == squash(segs[k])) c.add(E::section_name, -8);
  // A heading that links to this very page is its permalink title (blogs): the headline.
  if (links_to_page(doc, i, ctx.page_url))
    c.add(E::permalink, 5);
  else if (site_name_heading(doc, i))
    c.add(E::site_name, -8);
  else if (inside(doc, i, Tag::a) || n.link * 2 > n.text)
    c.add(E::permalink, -2);
  // Headings in navigation and footers are chrome — except an unlinked h1 ending the
  // breadcrumb trail (<nav><ol>…<li><h1>Headline</h1>): the trail ends at this page.
  const bool trail_h1 = n.tag == Tag::h1 && n.link * 2 <= n.text;
  if ((inside(doc, i, Tag::nav) && !trail_h1) || inside(doc, i, Tag::footer)) c.add(E::chrome, -6);
  const size_t cp = count_code_points(sq);
  if (cp < 4) c.add(E::shape, -6);
  if (is_chrome_line(c.text)) c.add(E::chrome, -6);  // "All rights reserved", "分享到"
  // A prompt ("请在表格中填入您的邮件地址：") or sentences ("…。…") are not a headline.
  if (sq.ends_with(":") || sq.ends_with("：") ||
      (sq.find("。") != std::string::npos && sq.find("。") + 3 < sq.size()))
    c.add(E::shape, -3);
  if (cp > 80) c.add(E::shape, -4);
  for (auto h : rules::breadcrumb_home_words())  // "首页 - 新闻动态" is a trail, not a headline
    if (sq.starts_with(h)) c.add(E::chrome, -8);
  out.cands.push_back(std::move(c));
}

TitleCandidates collect_candidates(const Document& doc, const TitleContext& ctx) {
  TitleCandidates out;
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.skip) {
      i = n.end - 1;
      continue;
    }
    if (n.type != NodeType::element) continue;
    const bool heading = is_heading(n.tag);
    const bool titled = !heading && title_classed(n, doc.class_id(i));
    if (!heading && !titled) continue;
    // Long headlines exist (a quote after the news): headings get more room than classes.
    if (n.text < 2 || n.text > (heading ? 240 : 120)) continue;
    // A headline is its first line ("<h1>标题<br><span>2021年6月8日 来源…</span></h1>"), or
    // two when the first is a kicker ending in a colon ("Kicker:<br>Headline"), without a
    // kicker element before it.
    std::string text = strip_decoration(heading_text(doc, i, ctx.agree_keys));
    if (text.empty()) continue;
    score_candidate(doc, i, std::move(text), ctx, out);
  }
  return out;
}

// "Headline of this page, trunc...": a teaser of this article in a list, cut short; the
// heading that has the whole text is the headline.
void mark_teasers(std::vector<TitleCandidate>& cands) {
  for (auto& c : cands) {
    std::string_view t = c.text;
    if (t.ends_with("..."))
      t.remove_suffix(3);
    else if (t.ends_with("…"))
      t.remove_suffix(std::string_view("…").size());
    else
      continue;
    if (count_code_points(t) < 8) continue;
    for (const auto& o : cands)
      if (o.text.size() > t.size() && o.text.starts_with(t) && !o.text.ends_with("...") &&
          !o.text.ends_with("…")) {
        c.add(TitleEvidence::teaser, -6);
        break;
      }
  }
}

// Where the text is: the candidate nearest before it, or inside it, is the headline.
void add_position(const Document& doc, int content_top, std::vector<TitleCandidate>& cands) {
  if (content_top < 0) return;
  int nearest_before_content = -1;
  for (size_t k = 0; k < cands.size(); ++k) {
    const int i = cands[k].node;
    if (i <= content_top) nearest_before_content = static_cast<int>(k);
    if (i > content_top && i < doc.node(content_top).end)
      cands[k].add(TitleEvidence::position, 1.5);
  }
  if (nearest_before_content >= 0)
    cands[static_cast<size_t>(nearest_before_content)].add(TitleEvidence::position, 2);
}

// No candidate cleared the bar: meta titles (a site suffix stripped), JSON-LD, a weaker
// candidate, then the <title>'s first segment.
// "Critics' Choice: Best UK Art Exhibitions 2025 – Artlyst": a headline element that ends in
// the site's name after a separator loses it (the site's name as found for the page:
// og:site_name, the front-page link…; a <title>'s last segment alone is not enough).
std::string strip_site_tail(const std::string& headline, const TitleContext& ctx) {
  for (std::string_view sep : {" | ", " – ", " — ", " - ", " · ", " :: ", "｜"}) {
    const size_t at = headline.rfind(sep);
    if (at == std::string::npos || at == 0) continue;
    const std::string tail = lower_ascii(squash(headline.substr(at + sep.size())));
    if (tail.empty() || tail != lower_ascii(ctx.site)) continue;
    const std::string head = trim(headline.substr(0, at));
    if (count_code_points(head) >= 4) return head;
  }
  return headline;
}

// The shortest stem (code points) of a headline cut short with an ellipsis that is completed.
constexpr int kCutHeadlineStem = 6;

// "某地启动老旧小区改造..." shown as the headline while the <title> or a meta title holds the
// whole of it: the whole one. Anything else: the headline as it is.
std::string complete_cut_headline(const std::string& headline, const Metadata& md,
                                  const TitleContext& ctx) {
  std::string_view stem = headline;
  if (stem.ends_with("..."))
    stem.remove_suffix(3);
  else if (stem.ends_with("…"))
    stem.remove_suffix(std::string_view("…").size());
  else
    return headline;
  const std::string key = squash(stem);
  if (static_cast<int>(count_code_points(key)) < kCutHeadlineStem) return headline;
  std::vector<std::string> wholes = ctx.segs;
  for (auto name : rules::meta_title_names())
    if (std::string v = md.get(name); !v.empty()) wholes.push_back(fold(v));
  for (const auto& w : wholes) {
    const std::string sq = squash(w);
    if (sq.size() > key.size() && sq.starts_with(key) && !w.ends_with("...") && !w.ends_with("…"))
      return w;
  }
  return headline;
}

TitleResult title_without_heading(const Metadata& md, const TitleContext& ctx,
                                  const TitleCandidate* win) {
  TitleResult best;
  for (auto name : rules::meta_title_names()) {
    std::string v = md.get(name);
    if (v.empty()) continue;
    const auto s = title_segments(v);
    if (s.empty()) continue;
    // "Headline | Site" loses its site; "Headline - a long quote" is one headline.
    const bool site_tail =
        s.size() >= 2 && (count_code_points(s.back()) <= 30 || squash(s.back()) == ctx.site ||
                          v.find('|') != std::string::npos);
    best.title = site_tail && count_code_points(s.front()) >= 4 ? s.front() : fold(v);
    best.rule = "meta:" + std::string(name);
    return best;
  }
  for (const auto& j : md.jsonld)
    if (!j.headline.empty()) {
      best.title = fold(j.headline);
      best.rule = "jsonld:headline";
      return best;
    }
  // Without a <title> the heading-like element nearest before the text is the headline.
  if (win && (win->score >= 5.0 || (ctx.title_tag.empty() && win->score >= 1.5))) {
    best.title = win->text;
    best.rule = win->rule;
    best.node = win->node;
    best.weak = win->score < 9.0;
    return best;
  }
  const auto& segs = ctx.segs;
  if (!segs.empty()) {
    std::string t = segs.front();
    if (count_code_points(t) < 4) {
      for (const auto& s : segs)
        if (count_code_points(s) > count_code_points(t)) t = s;
    }
    best.title = t;
    best.rule = "title-tag";
    // "headline - site" is a fair answer; a one-part or "首页 - 栏目" <title> is not.
    best.weak = segs.size() < 2;
    for (auto h : rules::breadcrumb_home_words())
      if (segs.front().starts_with(h)) best.weak = true;
  }
  return best;
}
}  // namespace

TitleResult find_title(const Document& doc, const Metadata& md, int content_top,
                       const std::string& site_hint, std::vector<Candidate>* trace,
                       std::vector<TitleCandidate>* cache, std::string_view page_url) {
  const bool cached = cache && !cache->empty();
  const TitleContext ctx = title_context(doc, md, site_hint, page_url, !cached);
  TitleCandidates found;
  if (!cached) found = collect_candidates(doc, ctx);
  std::vector<TitleCandidate> cands = cached ? *cache : std::move(found.cands);
  // (A cached list is marked again: a teaser's penalty counts twice after the content is
  // chosen, as it always has.)
  mark_teasers(cands);
  if (found.front_seen)
    for (size_t k : found.last_seg_cands) cands[k].add(TitleEvidence::site_name, -12);
  if (cache && !cached) *cache = cands;
  add_position(doc, content_top, cands);
  if (trace)
    for (const auto& c : cands)
      trace->push_back({"title", c.rule, c.text, c.score, evidence_note(c)});
  // Pick the best-scoring candidate that clears the bar (agreement with <title> or meta).
  const TitleCandidate* win = nullptr;
  for (const auto& c : cands)
    // The same headline twice with the same score: the later one stands over its text.
    if (!win || c.score > win->score || (c.score == win->score && c.text == win->text)) win = &c;
  // The headline's text shown again where the text is (a teaser of this page elsewhere won
  // on its permalink): that copy is where the info line and the text are looked for.
  const TitleCandidate* shown = win;
  if (win && win->evidence[static_cast<int>(TitleEvidence::permalink)] > 0 &&
      win->evidence[static_cast<int>(TitleEvidence::position)] <= 0)
    for (const auto& c : cands)
      if (&c != win && c.text == win->text &&
          c.evidence[static_cast<int>(TitleEvidence::position)] > 0) {
        shown = &c;
        break;
      }
  if (win && win->score >= 9.0) {
    TitleResult best;
    best.title =
        strip_site_tail(complete_cut_headline(strip_badge(win->text, ctx.title_tag), md, ctx), ctx);
    best.rule = shown->rule;
    best.node = shown->node;
    return best;
  }
  return title_without_heading(md, ctx, win);
}

}  // namespace nh::extract
