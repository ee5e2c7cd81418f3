#include "extract/fields.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iterator>

#include <unicode/uchar.h>

#include "crawler/urls.h"
#include "extract/normalize.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out += decode_utf8(s, i);
  return out;
}

std::string from_u32(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

// ---- credits ---------------------------------------------------------------------------

// Characters that never occur inside a Chinese personal name in a credit line (function words
// and the words around credits). Learned from zh-dev bylines vs. sentences starting "记者...".
constexpr std::u32string_view kNotInName =
    U"的了是从到对将就也都而等获悉说据称这那们个没很更最又已要并但因所被把让给至其此该每各某今昨"
    U"年日时电讯报社网站台记者编辑稿责审核校源布浏览击阅读次数字号打印闭窗口享页省市县区镇乡部局委"
    U"厅处室办"
    U"组队院团";

bool han(char32_t c) { return is_cjk(c); }

// The longest press mark read (code points up to 讯/电): an outlet of up to ~8 characters, a
// place and a day ("人民网北京12月31日电").
constexpr size_t kPressMarkChars = 18;

// An outlet name is Han characters (and digits: "39健康网"), nothing else.
bool valid_outlet_chars(std::string_view token) {
  for (size_t i = 0; i < token.size();) {
    const char32_t c = decode_utf8(token, i);
    if (!han(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_outlet_word(std::u32string_view w) {
  const std::string s = from_u32(w);
  for (auto n : rules::not_person_words())
    if (s == n) return true;
  // "新华社北京5月26日电", "本报讯", "人民网北京电" — agency leads.
  if (w.size() >= 2 && (w.back() == U'电' || w.back() == U'讯')) return true;
  for (auto suf : rules::organisation_suffixes())
    if (s.size() > suf.size() && s.ends_with(suf) && s.size() <= 24) return true;
  return false;
}

}  // namespace

bool outlet_name(std::string_view text) {
  const size_t n = count_code_points(text);
  return n >= 3 && n <= 16 && valid_outlet_chars(text) && is_outlet_word(to_u32(text));
}

namespace {

struct Label {
  size_t pos = 0, len = 0;  // in code points
  Role role = Role::reporter;
  bool photographer_too = false;
};

// Finds role labels in t (longest at each position). ASCII "By" is English and not handled here.
std::vector<Label> find_labels(std::u32string_view t) {
  std::vector<Label> out;
  // The label table in UTF-32, built once (thread-safe static initialisation).
  static const std::vector<std::pair<std::u32string, rules::RoleLabel>> labels = [] {
    std::vector<std::pair<std::u32string, rules::RoleLabel>> v;
    for (const auto& l : rules::role_labels()) {
      if (!l.label.empty() && static_cast<unsigned char>(l.label[0]) < 0x80) continue;
      v.emplace_back(to_u32(l.label), l);
    }
    return v;
  }();
  static const std::u32string first_chars = [] {
    std::u32string f;
    for (const auto& [u, l] : labels)
      if (!u.empty() && f.find(u[0]) == std::u32string::npos) f += u[0];
    return f;
  }();
  for (size_t i = 0; i < t.size();) {
    if (first_chars.find(t[i]) == std::u32string::npos) {
      ++i;
      continue;
    }
    size_t best = 0;
    const rules::RoleLabel* hit = nullptr;
    for (const auto& [u, l] : labels)
      if (u.size() > best && t.substr(i, u.size()) == u) {
        best = u.size();
        hit = &l;
      }
    if (hit) {
      // "编辑部", "记者站", "作者简介" are not credits.
      const char32_t next = i + best < t.size() ? t[i + best] : 0;
      if (next == U'部' || next == U'站' || next == U'简' || next == U'们' || next == U'证' ||
          next == U'节' || next == U'会' || next == U'团' || next == U'协') {
        i += best;
        continue;
      }
      // Office labels (作者, 编辑, 审核 ...) are followed by a colon or a space; glued to more
      // text they are words of a sentence ("本文仅代表作者观点"). 记者/通讯员 may be glued.
      // Glued to a short name that ends the field, at the start of one, they credit it
      // ("… | 来源CSDN | 作者魏星").
      size_t run = 0;
      while (i + best + run < t.size() && han(t[i + best + run])) ++run;
      const bool field_start = i == 0 || t[i - 1] == U' ' || t[i - 1] == U'|';
      const bool field_end =
          i + best + run == t.size() || t[i + best + run] == U' ' || t[i + best + run] == U'|';
      // (A line that is only label + two characters is a link: "作者须知".)
      const bool whole_line = i == 0 && i + best + run == t.size();
      const bool glued_name = field_start && field_end && !whole_line && run >= 2 && run <= 3 &&
                              han_personal_name(from_u32(t.substr(i + best, run)));
      if (hit->role != Role::reporter && hit->role != Role::correspondent &&
          hit->role != Role::intern && !hit->photographer_too && next != 0 && han(next) &&
          next != U'丨' && t[i + best - 1] != U'/' && t[i + best - 1] != U'丨' &&
          t[i + best - 1] != U'|' && !glued_name) {
        i += best;
        continue;
      }
      // "图/记者 吴强": a staff title right after a role label is the same credit; the role
      // label says what the person did (photographer), the title only that they are staff.
      if (!out.empty() && hit->role == Role::reporter && out.back().pos + out.back().len == i &&
          out.back().role != Role::reporter && out.back().role != Role::author) {
        out.back().len += best;
        i += best;
        continue;
      }
      out.push_back({i, best, hit->role, hit->photographer_too});
      i += best;
    } else {
      ++i;
    }
  }
  return out;
}

// Splits a segment into name tokens; joins "王 芳" (a two-character name padded with a space).
std::vector<std::u32string> name_tokens(std::u32string_view seg) {
  std::vector<std::u32string> toks;
  std::u32string cur;
  for (char32_t c : seg) {
    if (c == ' ' || c == U'、' || c == ',' || c == ';' || c == U'，' || c == U'；' || c == '/' ||
        c == '|' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == U'【' ||
        c == U'∕' || c == U'⁄' || c == U'︱' || c == U'丨' || c == U'】' || c == U'“' ||
        c == U'”' || c == U'—' || c == '&' || c == U'＆') {
      if (!cur.empty()) toks.push_back(std::move(cur));
      cur.clear();
      // A bracket starts another field ("作者:马丽 【字体:大 中 小】"): names stop there.
      const bool stop = c == U'【' || c == '[' || c == '(' || c == '|';
      toks.push_back(std::u32string(1, c == ' ' ? U' ' : stop ? U'|' : U','));
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) toks.push_back(std::move(cur));
  // Merge single Han characters separated only by spaces: "王", " ", "芳" -> "王芳".
  std::vector<std::u32string> merged;
  for (size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].size() == 1 && han(toks[i][0]) && i + 2 < toks.size() && toks[i + 1] == U" " &&
        toks[i + 2].size() == 1 && han(toks[i + 2][0])) {
      merged.push_back(toks[i] + toks[i + 2]);
      i += 2;
      continue;
    }
    merged.push_back(toks[i]);
  }
  return merged;
}

}  // namespace

// Trims whole code points in `chars` from both ends (the set may hold multi-byte characters:
// trimming them byte by byte would cut other characters that share a last byte).
std::string trim(std::string_view s, std::string_view chars) {
  const std::u32string set = to_u32(chars);
  size_t b = 0, e = s.size();
  while (b < e) {
    size_t k = b;
    if (set.find(decode_utf8(s, k)) == std::u32string::npos) break;
    b = k;
  }
  while (e > b) {
    size_t start = e - 1;
    while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t k = start;
    if (set.find(decode_utf8(s, k)) == std::u32string::npos || k != e) break;
    e = start;
  }
  return std::string(s.substr(b, e - b));
}

// A compound surname and one or two given characters, or a single surname and one to three.
bool starts_with_surname(std::u32string_view u) {
  static const std::u32string singles = to_u32(rules::han_surnames());
  static const std::vector<std::u32string> compounds = [] {
    std::vector<std::u32string> v;
    for (auto c : rules::han_compound_surnames()) v.push_back(to_u32(c));
    return v;
  }();
  for (const auto& c : compounds)
    if (u.size() >= c.size() + 1 && u.substr(0, c.size()) == c) return true;
  return !u.empty() && singles.find(u[0]) != std::u32string::npos;
}

bool valid_cjk_name(std::string_view name) {
  const std::u32string u = to_u32(name);
  size_t hans = 0, dots = 0;
  for (char32_t c : u) {
    if (han(c))
      ++hans;
    else if (c == U'·' || c == U'•' || c == U'・')
      ++dots;
    else
      return false;
  }
  if (dots == 0 && (hans < 2 || hans > 4)) return false;
  if (dots > 0 && (hans < 3 || hans > 12 || dots > 3)) return false;
  for (size_t i = 1; i < u.size(); ++i) {
    // "杨仕省" ends in 省 as a name does; "广东省" is a province.
    if (u[i] == U'省' && i + 1 == u.size() && hans == 3 && dots == 0) {
      const std::string_view head = name.substr(0, name.size() - std::string_view("省").size());
      const auto prov = rules::province_names();
      if (std::find(prov.begin(), prov.end(), head) == prov.end()) continue;
    }
    if (kNotInName.find(u[i]) != std::u32string_view::npos) return false;
  }
  if (kNotInName.substr(0, 36).find(u[0]) != std::u32string_view::npos) return false;
  if (is_outlet_word(u)) return false;
  for (auto w : rules::not_name_words())
    if (name.find(w) != std::string_view::npos) return false;
  return true;
}

bool han_personal_name(std::string_view name) {
  if (!valid_cjk_name(name)) return false;
  const std::u32string u = to_u32(name);
  return u.find_first_of(U"·•・") != std::u32string::npos || starts_with_surname(u);
}

namespace {
bool root_path(std::string_view path) {
  return path.empty() || path == "/" || path == "./" || path.starts_with("/index.") ||
         path.starts_with("/default.");
}
}  // namespace

bool root_link(std::string_view href) {
  if (href.find("://") == std::string_view::npos) return root_path(href);
  const crawler::UrlParts link = crawler::parse_url(href);
  return link.ok() && root_path(link.path);
}

bool home_link(std::string_view href, std::string_view page_url) {
  if (href.find("://") == std::string_view::npos) return root_path(href);
  // An absolute link is the front page only on the page's own host: the root of another
  // host ("https://culture.example.com/") is a channel's front page.
  auto bare = [](std::string h) { return h.starts_with("www.") ? h.substr(4) : h; };
  const crawler::UrlParts link = crawler::parse_url(href);
  const crawler::UrlParts page = crawler::parse_url(page_url);
  return link.ok() && page.ok() && bare(link.host) == bare(page.host) && root_path(link.path);
}

std::string home_link_text(const Document& doc, const std::vector<std::string>& texts,
                           std::string_view page_url, bool any_host) {
  for (int i = 0; i < doc.size(); ++i) {
    const Node& n = doc.node(i);
    if (n.type != NodeType::element || n.tag != Tag::a || n.text == 0 || n.text > 40) continue;
    const std::string_view href = doc.attr(i, "href");
    if (!(any_host ? root_link(href) : home_link(href, page_url))) continue;
    const std::string t = fold(doc.text(i));
    if (std::find(texts.begin(), texts.end(), t) != texts.end()) return t;
  }
  return {};
}

// How many letters a name may have before a capital inside the word (Mac|Arthur).
constexpr size_t kNamePrefixLetters = 3;

bool valid_latin_name(std::string_view name) {
  // 1-4 words, each capitalised (or a particle), letters, dots, hyphens, apostrophes.
  const std::span<const std::string_view> particles = rules::latin_name_particles();
  size_t words = 0, caps = 0;
  size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && name[i] == ' ') ++i;
    size_t j = i;
    while (j < name.size() && name[j] != ' ') ++j;
    if (j == i) break;
    std::string_view w = name.substr(i, j - i);
    ++words;
    for (char c : w) {
      const auto uc = static_cast<unsigned char>(c);
      if (!(std::isalpha(uc) || c == '.' || c == '-' || c == '\'' || uc >= 0x80)) return false;
      if (uc >= 0xE0) return false;  // CJK and other 3-byte scripts are not Latin names
    }
    // Two words glued where an element ended ("CategoryBy"): a capital after more than
    // kNamePrefixLetters lower-case letters (McDonald, MacArthur, DeShawn stay names).
    for (size_t k = kNamePrefixLetters + 1; k < w.size(); ++k)
      if (std::isupper(static_cast<unsigned char>(w[k])) &&
          std::islower(static_cast<unsigned char>(w[k - 1])))
        return false;
    if (std::isupper(static_cast<unsigned char>(w[0])) || static_cast<unsigned char>(w[0]) >= 0x80)
      ++caps;
    else if (std::find(particles.begin(), particles.end(), w) == particles.end())
      return false;
    i = j;
  }
  if (words < 2 || words > 4 || caps < 2) return false;
  for (auto n : rules::not_latin_names())
    if (name.find(n) != std::string_view::npos) return false;
  return true;
}

// The personal name in a credit token that glues a position before it ("研究员徐占忱") or an
// affiliation after it ("方敏北京大学经济学院教授": the rest must start with a province or a
// national head and end in an institution or a position). nullopt when neither reading holds.
static bool starts_affiliation(std::string_view rest) {
  auto any_prefix = [&](std::span<const std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](auto w) { return rest.starts_with(w); });
  };
  const auto tails = rules::affiliation_tails();
  return (any_prefix(rules::province_names()) || any_prefix(rules::affiliation_heads())) &&
         std::any_of(tails.begin(), tails.end(), [&](auto w) { return rest.ends_with(w); });
}

static std::optional<std::string> name_with_affiliation(std::string_view token) {
  for (auto job : rules::job_titles())
    if (token.size() > job.size() && token.starts_with(job) &&
        han_personal_name(token.substr(job.size())))
      return std::string(token.substr(job.size()));
  constexpr size_t kHan = 3;  // bytes of a Han character in UTF-8
  for (size_t chars = 2; chars <= 4; ++chars) {
    if (token.size() <= chars * kHan) break;
    const std::string_view name = token.substr(0, chars * kHan), rest = token.substr(chars * kHan);
    if (han_personal_name(name) && starts_affiliation(rest)) return std::string(name);
  }
  return std::nullopt;
}

// "李明明来源" (from "作者：李明明来源：新华网"): a name token that ends in the next field's label
// is cut before it. Returns the code points cut off (0 when there is no such label).
static int cut_at_glued_label(std::u32string& tok) {
  const std::string t8 = from_u32(tok);
  size_t cut = std::string::npos;
  for (auto stop : rules::info_stop_labels())
    if (const size_t q = t8.find(stop);
        q != std::string::npos && q >= 6 && q < cut && q + stop.size() == t8.size())
      cut = q;
  if (cut == std::string::npos) return 0;
  const std::u32string kept = to_u32(t8.substr(0, cut));
  const int removed = static_cast<int>(tok.size() - kept.size());
  tok = kept;
  return removed;
}

// A labelled name token that runs into what follows it is cut there: the next field's label
// ("作者：李明明来源：新华网", "作者:张三字号:大中小"; the label's colon has already split the
// token), then the date of the next element ("周可馨2025-05-06"). Returns the code points cut.
static int cut_glued_tail(std::u32string& tok) {
  int cut = tok.size() > 2 ? cut_at_glued_label(tok) : 0;
  if (tok.size() > 2)
    if (const size_t d = tok.find_first_of(U"0123456789"); d >= 2 && d != tok.npos) {
      cut += static_cast<int>(tok.size() - d);
      tok.resize(d);
    }
  return cut;
}

Credits parse_credits(std::string_view line) {
  Credits out;
  // Every label and name read here is Han (three-byte UTF-8); a line of more than 160 code
  // points is prose. Both are decided on the bytes, before any conversion.
  if (line.size() > 4 * 160 ||
      std::none_of(line.begin(), line.end(), [](char c) { return (c & 0xF0) == 0xE0; }))
    return out;
  const std::u32string t = to_u32(line);
  for (char32_t c : t)
    if (c != ' ') ++out.total;
  if (out.total == 0 || out.total > 160) return out;
  const std::vector<Label> labels = find_labels(t);
  auto add = [&](std::string name, Role role) {
    for (const auto& p : out.people)
      if (p.name == name && p.role == role) return;
    out.people.push_back({std::move(name), role});
  };
  // "石佳/中国青年报 2019-09-24 09:10": a name and the outlet it writes for, opening an info
  // line without labels (The Paper, reprints).
  if (labels.empty()) {
    const std::u32string_view first = std::u32string_view(t).substr(0, t.find(U' '));
    const size_t slash = first.find(U'/');
    if (slash != std::u32string_view::npos && slash > 0) {
      const std::u32string_view name = first.substr(0, slash), outlet = first.substr(slash + 1);
      if (valid_cjk_name(from_u32(name)) && !outlet.empty() && is_outlet_word(outlet)) {
        add(from_u32(name), Role::reporter);
        out.covered += static_cast<int>(name.size());  // the outlet and "/" count below
      }
    }
  }
  auto count_nonspace = [](std::u32string_view s) {
    int n = 0;
    for (char32_t c : s)
      if (c != ' ') ++n;
    return n;
  };
  // Segment before the first label: may hold "张三 摄" style credits or outlet words.
  auto handle_segment = [&](std::u32string_view seg, const Label* label) {
    std::vector<std::u32string> toks = name_tokens(seg);
    bool taking = label != nullptr;
    bool first = true;  // the label's own separator: "作者 | 张三"
    for (size_t k = 0; k < toks.size(); ++k) {
      std::u32string tok = toks[k];
      if (tok == U" " || tok == U",") continue;
      if (tok == U"|") {
        if (!(first && label != nullptr)) taking = false;
        first = false;
        continue;
      }
      first = false;
      // Suffix role: "张三摄", "张三 摄", "李四/文" (slash split already), "林志明报道".
      std::optional<Role> suffix_role;
      {
        size_t nk = k + 1;
        while (nk < toks.size() && toks[nk] == U" ") ++nk;
        if (nk < toks.size())
          for (const auto& sfx : rules::role_suffixes())
            if (to_u32(sfx.label) == toks[nk] && valid_cjk_name(from_u32(tok))) {
              // "记者 甲 / 摄影 乙 报导": a closing 报导 ends the line; the label keeps its role.
              if (!(sfx.role == Role::reporter && taking)) suffix_role = sfx.role;
              out.covered += static_cast<int>(toks[nk].size());
              toks[nk].clear();
              break;
            }
      }
      for (const auto& sfx : rules::role_suffixes()) {
        const std::u32string su = to_u32(sfx.label);
        if (su.empty() || su[0] == U'/') continue;
        if (suffix_role) break;
        if (tok.size() > su.size() && tok.ends_with(su)) {
          // "台北报导" after a labelled name is where the report came from, not a person.
          if (sfx.role == Role::reporter && label != nullptr) {
            out.covered += static_cast<int>(tok.size());
            tok.clear();
            break;
          }
          tok.resize(tok.size() - su.size());
          suffix_role = sfx.role;
          out.covered += static_cast<int>(su.size());
          break;
        }
        if (tok == su && !out.people.empty()) {  // "张三 摄": applies to the previous name
          if (!(sfx.role == Role::reporter && label != nullptr)) out.people.back().role = sfx.role;
          out.covered += static_cast<int>(su.size());
          tok.clear();
          break;
        }
      }
      if (tok.empty()) continue;
      if (taking) out.covered += cut_glued_tail(tok);
      const std::string name = from_u32(tok);
      if (valid_cjk_name(name) && (taking || suffix_role)) {
        const Role r = suffix_role ? *suffix_role : label->role;
        add(name, r);
        if (label && label->photographer_too && !suffix_role) add(name, Role::photographer);
        out.covered += static_cast<int>(tok.size());
        continue;
      }
      if (is_outlet_word(tok) || tok == U"本报" || tok == U"讯" || tok == U"整合" ||
          tok == U"综合" || tok == U"整理" || tok == U"发自" || tok == U"报道" ||
          (tok.size() >= 3 && tok.front() == U'《' && tok.back() == U'》')) {
        out.covered += static_cast<int>(tok.size());
        continue;
      }
      // "研究员徐占忱", "方敏北京大学经济学院教授": a labelled name with its position or
      // affiliation glued to it.
      if (taking) {
        if (auto glued = name_with_affiliation(name)) {
          const Role r = suffix_role ? *suffix_role : label->role;
          add(*glued, r);
          out.covered += static_cast<int>(tok.size());
          continue;
        }
        if (starts_affiliation(name)) {  // "作者：中国…研究部部长，研究员徐占忱"
          out.covered += static_cast<int>(tok.size());
          continue;
        }
      }
      // A location after "记者 林志明/台北报导" was handled by the suffix; anything else ends
      // the run of names for this label.
      taking = false;
    }
  };
  size_t prev_end = 0;
  const Label* prev = nullptr;
  for (const Label& l : labels) {
    handle_segment(std::u32string_view(t).substr(prev_end, l.pos - prev_end), prev);
    out.covered += static_cast<int>(l.len);
    prev = &l;
    prev_end = l.pos + l.len;
  }
  handle_segment(std::u32string_view(t).substr(prev_end), prev);
  // Brackets and colons are part of a credit line's form.
  for (char32_t c : t)
    if (c == '(' || c == ')' || c == ':' || c == '[' || c == ']' || c == U'【' || c == U'】' ||
        c == U'、' || c == ',' || c == ';' || c == U'，' || c == U'；' || c == '/' || c == '|')
      ++out.covered;
  // "（編輯：陳怡君）1141203": the agency's filing code after the closing bracket (CNA's ROC
  // date) belongs to the credit line.
  if (size_t close = t.rfind(')'); close != std::u32string::npos && close + 1 < t.size() &&
                                   t.size() - close <= 12 &&
                                   std::all_of(t.begin() + static_cast<long>(close) + 1, t.end(),
                                               [](char32_t c) { return c >= '0' && c <= '9'; }))
    out.covered += static_cast<int>(t.size() - close - 1);
  (void)count_nonspace;
  return out;
}

bool all_capitals(std::string_view word) {
  return word.size() >= 2 &&
         std::all_of(word.begin(), word.end(), [](char c) { return std::isupper(uint8_t(c)); });
}

// Whether a word ends a name: a job title or UI word, a month name (those that are also names —
// May, June, Jan — only after two words), an all-capitals word after two (an outlet: "USA
// TODAY", a credential: "RN").
bool ends_name(std::string_view word, size_t index) {
  const std::string w = lower_ascii(word);
  for (auto s : rules::name_stop_words())
    if (w == s) return true;
  const std::span<const std::string_view> name_like = rules::name_like_months();
  for (const auto& m : rules::month_names())
    if (w == m.name)
      return index >= 2 || std::find(name_like.begin(), name_like.end(), w) == name_like.end();
  return index >= 2 && all_capitals(word);
}

// A name part cut where it runs into what follows: "Sara Coughlin June" -> "Sara Coughlin",
// "Author Isaiah Shelton" -> "Isaiah Shelton", "Jeffrey ZeldmanNovember" -> "Jeffrey Zeldman";
// "" when the part starts with a title ("Senior Editor", "Written By").
std::string trim_name_words(std::string_view part) {
  std::vector<std::string> words;
  for (size_t i = 0; i < part.size();) {
    size_t j = part.find(' ', i);
    if (j == std::string_view::npos) j = part.size();
    if (j > i) {
      std::string w(part.substr(i, j - i));
      // A label glued to the name: "ZeldmanNovember", "HabernyFounder".
      for (size_t k = 2; k + 2 < w.size(); ++k)
        if (std::islower(uint8_t(w[k - 1])) && std::isupper(uint8_t(w[k])) &&
            ends_name(w.substr(k), 2)) {
          words.push_back(w.substr(0, k));
          w = w.substr(k);
          break;
        }
      words.push_back(std::move(w));
    }
    i = j + 1;
  }
  size_t from = 0;
  if (!words.empty() && lower_ascii(words[0]) == "author") from = 1;  // "Author Jane Doe"
  std::string out;
  const bool capitals = !words.empty() && all_capitals(words[from < words.size() ? from : 0]);
  for (size_t k = from; k < words.size(); ++k) {
    if (ends_name(words[k], capitals ? 0 : k - from)) {
      if (k == from) return {};
      break;
    }
    out += (out.empty() ? "" : " ") + words[k];
  }
  return out;
}

// One word after an explicit "By"/"Posted by": a first name or a user handle ("BeauHD",
// "ibby"), the label vouching for it as 作者： does for a pen name.
bool handle_name(std::string_view w) {
  if (w.size() < 3 || w.size() > 24 || !std::isalpha(static_cast<unsigned char>(w[0])))
    return false;
  for (char c : w)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  const std::string lower = lower_ascii(w);
  for (auto stop : rules::name_stop_words())
    if (lower == stop) return false;
  for (auto p : rules::author_placeholders())
    if (lower == p) return false;
  return true;
}

std::vector<std::string> split_name_list(std::string_view rest) {
  // Split on ",", " and ", " & " (and their German, French, Spanish forms).
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < rest.size();) {
    if (rest.compare(i, 5, " and ") == 0 || rest.compare(i, 5, " und ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 5;
    } else if (rest.compare(i, 4, " et ") == 0 || rest.compare(i, 3, " y ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += rest.compare(i, 4, " et ") == 0 ? 4 : 3;
    } else if (rest.compare(i, 3, " & ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 3;
    } else if (rest[i] == ',') {
      parts.push_back(cur);
      cur.clear();
      ++i;
    } else {
      cur += rest[i++];
    }
  }
  parts.push_back(cur);
  for (auto& p : parts) p = trim_name_end(trim(p, " :;"));
  std::erase_if(parts, [](const std::string& p) { return p.empty(); });
  return parts;
}

std::string trim_name_end(std::string name) {
  while (name.ends_with('.')) {
    // "Perry Bacon Jr.", "Joe S.": the period belongs to an initial or a suffix.
    const size_t sp = name.find_last_of(" .", name.size() - 2);
    const std::string_view last =
        std::string_view(name).substr(sp == std::string::npos ? 0 : sp + 1,
                                      name.size() - 1 - (sp == std::string::npos ? 0 : sp + 1));
    const bool initial = last.size() == 1 && std::isupper(static_cast<unsigned char>(last[0]));
    if (sp != std::string::npos && (initial || last == "Jr" || last == "Sr")) break;
    name.pop_back();
  }
  return trim(name, " ");
}

std::vector<std::string> english_byline(std::string_view line, bool bare) {
  std::vector<std::string> names;
  std::string s = trim(line);
  if (s.size() > 200) return names;
  std::string lower = lower_ascii(s);
  size_t start = 0;
  for (auto prefix : rules::byline_prefixes())
    if (lower.starts_with(prefix)) {
      start = prefix.size();
      break;
    }
  if (start == 0 && !bare) return names;
  std::string rest = trim(s.substr(start));
  // Cut at the first thing that is not part of a name list.
  for (auto cut : rules::english_byline_cuts()) {
    size_t p = rest.find(cut);
    if (p != std::string::npos) rest.resize(p);
  }
  for (size_t i = 0; i < rest.size(); ++i)
    if (std::isdigit(static_cast<unsigned char>(rest[i]))) {
      rest.resize(i);
      break;
    }
  const std::vector<std::string> parts = split_name_list(rest);
  for (auto& p : parts) {
    std::string n = trim_name_words(p);
    if (n.empty()) continue;
    // ALL CAPS names: Title Case them? No — keep as written, validate loosely.
    if (valid_latin_name(n) || (start > 0 && parts.size() == 1 && handle_name(n)))
      names.push_back(n);
  }
  return names;
}

std::optional<std::string> source_from_line(std::string_view line) {
  for (auto label : rules::source_labels()) {
    size_t p = line.find(label);
    if (p == std::string_view::npos) continue;
    // "来源" inside a word ("资料来源于网络" still counts; "来源地" does not).
    size_t i = p + label.size();
    while (i < line.size() && (line[i] == ' ')) ++i;
    if (i < line.size() && line[i] == ':')
      ++i;
    else if (line.substr(i).starts_with("："))
      i += 3;
    else if (label != "来源于" && !(i > p + label.size())) {
      // Needs a colon or a space after the label to be a field.
      if (i < line.size()) continue;
    }
    // "来源:[ 国际金融报 ]", "来源：【人民日报】": the brackets around the value are its frame.
    while (i < line.size()) {
      if (line[i] == ' ' || line[i] == '[' || line[i] == '(')
        ++i;
      else if (line.substr(i).starts_with("【"))
        i += std::string_view("【").size();
      else
        break;
    }
    std::string_view rest = line.substr(i);
    size_t cut = rest.size();
    for (auto stop : rules::info_stop_labels()) {
      size_t q = rest.find(stop);
      if (q != std::string_view::npos && q < cut) cut = q;
    }
    // Two spaces or a date end the value too.
    size_t dbl = rest.find("  ");
    if (dbl != std::string_view::npos && dbl < cut) cut = dbl;
    if (auto d = find_date(rest); d && d->begin < cut) cut = d->begin;
    std::string v = trim(rest.substr(0, cut), " :|[]【】");
    // "华夏时报(北京)" keeps its brackets; unmatched ones around the value go.
    if (v.find('(') == std::string::npos) v = trim(v, " )");
    if (v.find(')') == std::string::npos) v = trim(v, " (");
    // A Chinese outlet name has no inner space: "新华社 我要纠错" ends at the space.
    if (size_t sp = v.find(' '); sp != std::string::npos) {
      size_t i0 = 0;
      if (sp >= 3 && is_cjk(decode_utf8(v, i0))) v = v.substr(0, sp);
    }
    // A value that runs on into a sentence is not a source.
    if (count_code_points(v) > 30) {
      size_t sp = v.find(' ');
      if (sp == std::string::npos) return std::nullopt;
      v = v.substr(0, sp);
    }
    if (v.ends_with("。") || v.find("http") == 0) v = trim(v, "。");
    // "转载自澎湃新闻", "摘自人民日报": the reprint marker is not part of the outlet's name.
    for (auto marker : rules::reprint_markers())
      if (v.starts_with(marker) && v.size() > marker.size()) {
        v = trim(v.substr(marker.size()), " :");
        break;
      }
    return v;
  }
  return std::nullopt;
}

std::optional<std::string> bracketed_writer_after_date(std::string_view line) {
  const auto d = find_date(line);
  if (!d) return std::nullopt;
  const std::string after = trim(line.substr(d->end));
  const size_t close = after.find(']');
  if (!after.starts_with('[') || close == std::string::npos) return std::nullopt;
  std::string name = trim(std::string_view(after).substr(1, close - 1));
  const std::string next = trim(std::string_view(after).substr(close + 1));
  bool source_next = next.empty();
  for (auto label : rules::source_labels())
    if (next.starts_with(label)) source_next = true;
  if (!source_next || !han_personal_name(name)) return std::nullopt;
  return name;
}

std::optional<std::string> dateline_writer(std::string_view line) {
  const std::u32string t = to_u32(line.substr(0, std::min<size_t>(line.size(), 240)));
  for (std::u32string_view label : {std::u32string_view(U"记者"), std::u32string_view(U"記者")}) {
    const size_t p = t.find(label);
    if (p == std::u32string::npos || p == 0 || p > 20) continue;
    const char32_t agency_end = t[p - 1];
    if (agency_end != U'社' && agency_end != U'网' && agency_end != U'網' && agency_end != U'报' &&
        agency_end != U'報')
      continue;
    size_t q = p + label.size();
    while (q < t.size() && han(t[q])) ++q;
    const size_t run = q - (p + label.size());
    auto digits = [&](size_t from) {
      while (from < t.size() && t[from] >= '0' && t[from] <= '9') ++from;
      return from;
    };
    size_t d = digits(q);
    if (d > q && d < t.size() && t[d] == U'月') d = digits(d + 1);  // "5月8日电"
    if (d == q || d + 1 >= t.size() || t[d] != U'日') continue;
    const char32_t kind = t[d + 1];
    if (kind != U'电' && kind != U'電' && kind != U'讯' && kind != U'訊') continue;
    // The name runs into the place: three characters when a place of two or more follows,
    // else two ("黃小華台北" = 黃小華 + 台北, "王明北京" = 王明 + 北京).
    if (run < 4 || run > 8) continue;
    const size_t n = run >= 5 ? 3 : 2;
    const std::string name = from_u32(t.substr(p + label.size(), n));
    if (han_personal_name(name)) return name;
  }
  return std::nullopt;
}

std::optional<std::string> agency_from_dateline(std::string_view line) {
  std::u32string t = to_u32(line.substr(0, std::min<size_t>(line.size(), 120)));
  size_t i = 0;
  while (i < t.size() && (t[i] == U'(' || t[i] == U'[' || t[i] == U'【' || t[i] == U' ')) ++i;
  // The agency: 2-4 Han characters ending in 社 (新华社, 中新社, 法新社, 美联社, 路透社).
  size_t she = std::u32string::npos;
  for (size_t k = i + 1; k < t.size() && k <= i + 3; ++k)
    if (t[k] == U'社') {
      she = k;
      break;
    }
  if (she == std::u32string::npos) return std::nullopt;
  for (size_t k = i; k < she; ++k)
    if (!is_cjk(t[k])) return std::nullopt;
  // Then a place and a day within a few characters, closed by 电/電/讯/訊.
  bool day = false;
  for (size_t k = she + 1; k < t.size() && k <= she + 20; ++k) {
    if (t[k] == U'日') day = true;
    if (t[k] == U'电' || t[k] == U'電' || t[k] == U'讯' || t[k] == U'訊') {
      if (!day) return std::nullopt;
      return from_u32(t.substr(i, she - i + 1));
    }
    if (t[k] == U')' || t[k] == U'。' || t[k] == U',') return std::nullopt;
  }
  return std::nullopt;
}

namespace {

// A press mark: an outlet, optionally a place and a day ("北京5月8日"), then 讯/訊/专讯/專訊/
// 电/電 (or 报道/報道 closing a bracket). Sets `outlet` (may be "本报") and returns the end
// of the mark in code points, or npos.
size_t find_press_mark(std::u32string_view t, std::u32string* outlet) {
  size_t i = 0;
  char32_t open = 0;
  while (i < t.size() &&
         (t[i] == U' ' || t[i] == U'(' || t[i] == U'[' || t[i] == U'【' || t[i] == U'〔')) {
    if (t[i] != U' ') open = t[i];
    ++i;
  }
  const size_t from = i;
  for (size_t k = from + 2; k < t.size() && k <= from + kPressMarkChars; ++k) {
    const char32_t c = t[k];
    const bool mark = c == U'讯' || c == U'訊' || c == U'电' || c == U'電';
    const bool report = open != 0 && k + 2 < t.size() && (c == U'报' || c == U'報') &&
                        (t[k + 1] == U'道' || t[k + 1] == U'导' || t[k + 1] == U'導') &&
                        (t[k + 2] == U']' || t[k + 2] == U'】' || t[k + 2] == U')');
    if (!mark && !report) {
      if (!han(c) && !(c >= '0' && c <= '9')) return std::u32string::npos;
      continue;
    }
    size_t end = k + (report ? 2 : 1);
    size_t stop = k;
    if (!report && k >= from + 3 && (t[k - 1] == U'专' || t[k - 1] == U'專')) stop = k - 1;
    // The outlet is the shortest organisation word the mark starts with; what follows it up
    // to the mark may only be a place and a day.
    for (size_t n = 2; from + n <= stop; ++n) {
      const std::u32string_view name = t.substr(from, n),
                                rest = t.substr(from + n, stop - from - n);
      if (!is_outlet_word(name) || name.back() == U'讯' || name.back() == U'訊' ||
          name[0] == U'据' || name[0] == U'據')
        continue;
      if ((c == U'电' || c == U'電') && rest.empty()) continue;  // 电 only after a day
      const size_t day = rest.find(U'日');
      if (!rest.empty() && (day == std::u32string_view::npos || day + 1 != rest.size() ||
                            rest.find(U'月') == std::u32string_view::npos))
        continue;
      *outlet = std::u32string(name);
      if (open != 0 && end < t.size() &&
          (t[end] == U']' || t[end] == U'】' || t[end] == U')' || t[end] == U'〕'))
        ++end;
      while (end < t.size() && t[end] == U' ') ++end;
      return end;
    }
    return std::u32string::npos;
  }
  return std::u32string::npos;
}

}  // namespace

size_t press_mark_end(std::string_view line) {
  std::u32string outlet;
  const std::u32string t = to_u32(line.substr(0, std::min<size_t>(line.size(), 160)));
  const size_t end = find_press_mark(t, &outlet);
  if (end == std::u32string::npos) return std::string_view::npos;
  return from_u32(t.substr(0, end)).size();
}

std::optional<std::string> outlet_from_press_mark(std::string_view line) {
  std::u32string outlet;
  const std::u32string t = to_u32(line.substr(0, std::min<size_t>(line.size(), 160)));
  if (find_press_mark(t, &outlet) == std::u32string::npos) return std::nullopt;
  const std::string o = from_u32(outlet);
  if (outlet[0] == U'本' || !valid_outlet_chars(o)) return std::nullopt;  // 本报讯, 本網訊
  return o;
}

std::optional<std::string> outlet_after_date(std::string_view line) {
  const auto d = find_date(line);
  if (!d || count_code_points(line) > 80) return std::nullopt;
  std::string_view rest = line.substr(d->end);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '|')) rest.remove_prefix(1);
  const std::string_view token = rest.substr(0, rest.find(' '));
  const size_t n = count_code_points(token);
  if (n < 2 || n > 14) return std::nullopt;
  if (token.starts_with("《") && token.ends_with("》") && n >= 4) return std::string(token);
  // "本报讯", "新华社北京5月26日电" open the text; they are not the source field.
  if (token.ends_with("讯") || token.ends_with("电") || token.starts_with("本报") ||
      token.starts_with("本网") || token.starts_with("本站"))
    return std::nullopt;
  // "举报" (report abuse) and other furniture words end like outlets too.
  for (auto w : rules::not_name_words())
    if (token == w) return std::nullopt;
  if (n >= 3 && is_outlet_word(to_u32(token)) && valid_outlet_chars(token))
    return std::string(token);
  return std::nullopt;
}

std::optional<std::string> section_from_breadcrumb(std::string_view line,
                                                   std::string_view title_squashed,
                                                   bool require_marker) {
  std::string s(line);
  bool marker = false;
  for (auto m : rules::breadcrumb_markers()) {
    size_t p = s.find(m);
    if (p != std::string::npos && p < 40) {
      s = s.substr(p + m.size());
      marker = true;
      break;
    }
  }
  s = trim(s, " :");
  // Split on the separators that occur.
  std::vector<std::string> items;
  {
    std::vector<std::string> seps;
    for (auto sep : rules::breadcrumb_separators())
      if (s.find(sep) != std::string::npos) seps.emplace_back(sep);
    if (seps.empty()) {
      // "首页 时政动态 正文" separated by spaces only.
      seps.emplace_back(" ");
    }
    std::string cur;
    for (size_t i = 0; i < s.size();) {
      bool hit = false;
      for (const auto& sep : seps) {
        if (sep == "-" && !(i > 0 && s[i - 1] == ' ')) continue;
        // "健康·生活" is one item of "人民网 >> 健康·生活": an unspaced middle dot separates
        // only when nothing else does.
        if (sep == "·" && seps.size() > 1 && !(i > 0 && s[i - 1] == ' ')) continue;
        if (s.compare(i, sep.size(), sep) == 0) {
          items.push_back(trim(cur));
          cur.clear();
          i += sep.size();
          hit = true;
          break;
        }
      }
      if (!hit) cur += s[i++];
    }
    items.push_back(trim(cur));
  }
  bool arrows = false;
  for (std::string_view a : rules::breadcrumb_arrows())
    if (s.find(a) != std::string::npos) arrows = true;
  // The trail's first item: a home word, "网易首页" (the home page of 网易), or with arrow
  // separators the site's own name ("人民网 >> 文化", "财经频道 > 国内财经").
  auto is_home = [&](const std::string& it, bool first) {
    for (auto h : rules::breadcrumb_home_words())
      if (it == h) return true;
    if (!first || count_code_points(it) > 8) return false;
    if (it.ends_with("首页")) return true;
    if (arrows)
      for (auto suffix : rules::site_name_suffixes())
        if (it.ends_with(suffix) && count_code_points(it) >= 3) return true;
    return false;
  };
  const std::string* first_item = nullptr;
  for (const auto& it : items)
    if (!it.empty()) {
      first_item = &it;
      break;
    }
  // "网易 --> 商业频道 --> --> 标题": what is left between two separators may be a stray
  // piece of one ("-"); an item names something only with a letter, digit or ideograph in it.
  auto names_something = [](const std::string& it) {
    for (size_t i = 0; i < it.size();)
      if (u_isalnum(static_cast<UChar32>(decode_utf8(it, i)))) return true;
    return false;
  };
  std::vector<std::string> kept;
  bool saw_home = false;
  bool ends_at_title = false;  // the trail's last item is the headline itself
  for (auto& it : items) {
    if (it.empty() || !names_something(it)) continue;
    bool home = is_home(it, &it == first_item), terminal = false;
    for (auto t : rules::breadcrumb_terminal_words())
      if (it == t) terminal = true;
    if (home) {
      saw_home = true;
      continue;
    }
    if (terminal) break;
    if (!title_squashed.empty() && squash(it) == title_squashed) {
      ends_at_title = true;
      break;
    }
    // "Aktuelle Seite:", "Sie sind hier:": a label before the trail, not one of its items.
    if (it.ends_with(':') || it.ends_with("：")) continue;
    kept.push_back(it);
  }
  // A trail of two or more columns that ends at the headline with arrow separators is a
  // breadcrumb without a marker or a home item ("留学攻略> 英国> 日记感受> 标题").
  const bool trail_to_title = ends_at_title && arrows && kept.size() >= 2;
  if (!marker && !saw_home && !trail_to_title) return std::nullopt;
  if (!marker && require_marker) {
    // Without a "当前位置" marker a line is a breadcrumb only when it starts at the home page
    // and uses arrow separators ("首页 > 社会 > 正文"); "首页 | 江城 | 社会" is a menu.
    const bool home_first = first_item && is_home(*first_item, true);
    if (!arrows || !(home_first || trail_to_title)) return std::nullopt;
  }
  if (kept.empty()) return std::nullopt;
  std::string v = kept.back();
  if (count_code_points(v) > 20) return std::nullopt;
  return v;
}

bool is_info_line(std::string_view line) {
  const size_t n = count_code_points(line);
  if (n > 120) return false;
  int labels = 0;
  for (auto l : rules::info_line_han_labels())
    if (line.find(l) != std::string_view::npos) ++labels;
  if (labels == 0) {
    const std::string lower = lower_ascii(line);
    for (auto l : rules::info_line_labels())
      if (lower.find(l) != std::string::npos) ++labels;
  }
  const bool date = find_date(line).has_value();
  if (date && (labels > 0 || n < 30)) return true;
  // A sentence that happens to hold two labels ("…(记者梁薇薇)继华夏保险公开发布声明…，…。") is
  // text: info lines are not written as sentences.
  if ((line.ends_with("。") || line.ends_with(".")) && line.find(",") != std::string_view::npos)
    return false;
  return labels >= 2 && n < 80;
}

namespace {
// The text of li outside its links, folded.
std::string unlinked_text(const Document& doc, int li) {
  std::string out;
  const int end = doc.node(li).end;
  for (int k = li + 1; k < end; ++k) {
    const Node& n = doc.node(k);
    if (n.skip ||
        (n.type == NodeType::element && n.tag == Tag::a && !doc.attr(k, "href").empty())) {
      k = n.end - 1;
      out += ' ';
      continue;
    }
    if (n.type == NodeType::text || n.type == NodeType::whitespace) out.append(n.data);
  }
  return fold(out);
}
}  // namespace

bool in_comments(const Document& doc, int node) {
  for (int p = doc.node(node).parent; p >= 0; p = doc.node(p).parent) {
    const Node& n = doc.node(p);
    if (n.type != NodeType::element) continue;
    if (n.tag == Tag::body || n.tag == Tag::html) break;
    if (class_matches(doc.class_id(p), rules::comment_tokens())) return true;
  }
  return false;
}

// lower_ascii() plus the Latin-1 capitals (Ü -> ü), byte for byte the same length.
static std::string lower_latin1(std::string_view s) {
  std::string r = lower_ascii(s);
  for (size_t i = 0; i + 1 < r.size(); ++i)
    if (static_cast<unsigned char>(r[i]) == 0xC3) {
      const auto c = static_cast<unsigned char>(r[i + 1]);
      if (c >= 0x80 && c <= 0x9E && c != 0x97) r[i + 1] = static_cast<char>(c + 0x20);
      ++i;
    }
  return r;
}

std::string strip_author_box_words(std::string text) {
  const std::string lower = lower_latin1(text);
  for (auto w : rules::author_box_prefixes())
    if (lower.starts_with(w) && text.size() > w.size()) {
      text = fold(text.substr(w.size()));
      break;
    }
  const std::string low2 = lower_latin1(text);
  for (auto w : rules::author_box_suffixes())
    if (low2.ends_with(w) && text.size() > w.size()) {
      text = fold(text.substr(0, text.size() - w.size()));
      break;
    }
  return text;
}

bool in_other_stories(const Document& doc, int node) {
  if (node < 0 || node >= doc.size()) return false;
  for (int p = node; p >= 0; p = doc.node(p).parent) {
    const Node& n = doc.node(p);
    if (n.type != NodeType::element) continue;
    if (n.tag == Tag::body || n.tag == Tag::html) break;
    if (class_matches(doc.class_id(p), rules::other_story_tokens())) return true;
    // A teaser: a headline link, and outside it nothing but a date ("<li><a>标题</a>
    // <span>2021-05-19</span></li>"); not a labelled info item ("<li>来源:<a>新华网</a>").
    if ((n.tag == Tag::li || n.tag == Tag::dd || n.tag == Tag::dt) && n.link >= 6) {
      const std::string rest = unlinked_text(doc, p);
      const auto d = find_date(rest);
      if (d && count_code_points(rest) <= 24) {
        bool label = false;
        for (auto l : rules::date_labels())
          if (rest.find(l) != std::string::npos) label = true;
        for (auto l : rules::source_labels())
          if (rest.find(l) != std::string::npos) label = true;
        if (!label) return true;
      }
    }
  }
  return false;
}

namespace {
// "示范省政协办公厅主管 示范政协报社主办", "主办单位:示范市人民政府 技术支持:某某网络公司":
// no sentence, and every space-separated part ends in a sponsor word or is labelled with one
// (two parts at least, or one labelled part).
bool sponsor_line(std::string_view line) {
  for (size_t i = 0; i < line.size();) {
    const char32_t cp = decode_utf8(line, i);
    if (is_sentence_punct(cp) && cp != U'.' && cp != U'、') return false;  // domains, lists
  }
  int parts = 0;
  bool labelled = false;
  for (size_t from = 0; from < line.size();) {
    size_t sp = line.find(' ', from);
    if (sp == std::string_view::npos) sp = line.size();
    const std::string_view part = line.substr(from, sp - from);
    from = sp + 1;
    if (part.empty()) continue;
    bool ok = false;
    for (auto w : rules::sponsor_words()) {
      if (part.size() > w.size() && part.ends_with(w)) ok = true;
      if (part.starts_with(w) && part.size() > w.size() + 1 && part[w.size()] == ':')
        ok = labelled = true;
    }
    if (!ok) return false;
    ++parts;
  }
  // One bare "XX主办" could be a heading of the text; a labelled part or two sponsors are not.
  return parts >= 2 || (parts == 1 && labelled);
}
}  // namespace

bool is_chrome_line(std::string_view line) {
  const size_t n = count_code_points(line);
  const std::string lower = lower_ascii(line);
  for (auto p : rules::chrome_line_prefixes())
    if (lower.starts_with(p)) return true;
  if (n <= 200)
    for (auto d : rules::disclaimer_contains())
      if (line.find(d) != std::string_view::npos) return true;
  // "发布于:北京市", "IP属地:广东": where the poster was, not a date line.
  if (n <= 16 && (line.starts_with("发布于") || line.starts_with("IP属地")) && !find_date(line))
    return true;
  // A credit label with nothing after it ("责任编辑:").
  if (n <= 8 && (line.ends_with(":") || line.ends_with("："))) {
    const std::string_view label = line.substr(0, line.size() - (line.ends_with(":") ? 1 : 3));
    for (const auto& r : rules::role_labels())
      if (label == r.label) return true;
    if (label == "来源") return true;
  }
  if (n <= 40)
    for (auto c : rules::chrome_line_contains())
      if (lower.find(c) != std::string::npos) return true;
  if (n <= 60) {
    for (auto e : rules::english_chrome_lines())
      if (lower.starts_with(e)) return true;
    for (auto c : rules::footer_line_contains())
      if (lower.find(c) != std::string::npos) return true;
    if (sponsor_line(line)) return true;
  }
  return false;
}

size_t common_substring(std::string_view a_in, std::string_view b_in) {
  const std::u32string a = to_u32(a_in), b = to_u32(b_in);
  if (a.empty() || b.empty() || a.size() > 400 || b.size() > 400) return 0;
  std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  size_t best = 0;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : 0;
      best = std::max(best, cur[j]);
    }
    std::swap(prev, cur);
  }
  return best;
}

}  // namespace nh::extract
