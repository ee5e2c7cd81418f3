#include "extract/fields.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <iterator>

#include <unicode/uchar.h>

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

bool is_heading(Tag t) { return t == Tag::h1 || t == Tag::h2 || t == Tag::h3 || t == Tag::h4; }

bool inside(const Document& doc, int node, Tag tag) {
  for (int p = doc.node(node).parent; p >= 0; p = doc.node(p).parent)
    if (doc.node(p).tag == tag) return true;
  return false;
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
      if (hit->role != Role::reporter && hit->role != Role::correspondent &&
          hit->role != Role::intern && !hit->photographer_too && next != 0 && han(next) &&
          next != U'丨' && t[i + best - 1] != U'/' && t[i + best - 1] != U'丨' &&
          t[i + best - 1] != U'|') {
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

bool valid_latin_name(std::string_view name) {
  // 1-4 words, each capitalised (or a particle), letters, dots, hyphens, apostrophes.
  static constexpr std::string_view kParticles[] = {"de",  "van", "von", "der", "da", "di",
                                                    "del", "la",  "le",  "bin", "al", "du"};
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
    if (std::isupper(static_cast<unsigned char>(w[0])) || static_cast<unsigned char>(w[0]) >= 0x80)
      ++caps;
    else if (std::find(std::begin(kParticles), std::end(kParticles), w) == std::end(kParticles))
      return false;
    i = j;
  }
  if (words < 2 || words > 4 || caps < 2) return false;
  static constexpr std::string_view kNotNames[] = {"Associated Press",  "Staff Writer",
                                                   "Staff Reporter",    "The Associated",
                                                   "Press Association", "Updated On"};
  for (auto n : kNotNames)
    if (name.find(n) != std::string_view::npos) return false;
  return true;
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
    for (size_t k = 0; k < toks.size(); ++k) {
      std::u32string tok = toks[k];
      if (tok == U" " || tok == U",") continue;
      if (tok == U"|") {
        taking = false;
        continue;
      }
      // Suffix role: "张三摄", "张三 摄", "李四/文" (slash split already), "林志明报道".
      std::optional<Role> suffix_role;
      {
        size_t nk = k + 1;
        while (nk < toks.size() && toks[nk] == U" ") ++nk;
        if (nk < toks.size())
          for (const auto& sfx : rules::role_suffixes())
            if (to_u32(sfx.label) == toks[nk] && valid_cjk_name(from_u32(tok))) {
              suffix_role = sfx.role;
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
          out.people.back().role = sfx.role;
          out.covered += static_cast<int>(su.size());
          tok.clear();
          break;
        }
      }
      if (tok.empty()) continue;
      // "作者：李明明来源：新华网", "作者:张三字号:大中小": a name glued to the next label ends
      // where the label starts (the label's colon has already split the token).
      if (taking && tok.size() > 2) {
        const std::string t8 = from_u32(tok);
        size_t cut = std::string::npos;
        for (auto stop : rules::info_stop_labels())
          if (const size_t q = t8.find(stop);
              q != std::string::npos && q >= 6 && q < cut && q + stop.size() == t8.size())
            cut = q;
        if (cut != std::string::npos) {
          out.covered += static_cast<int>(tok.size() - to_u32(t8.substr(0, cut)).size());
          tok = to_u32(t8.substr(0, cut));
        }
      }
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
  static constexpr std::string_view kNameLike[] = {"may", "june", "april", "august", "augustus",
                                                   "mar", "mai",  "jan",   "jun"};
  for (const auto& m : rules::month_names())
    if (w == m.name)
      return index >= 2 ||
             std::find(std::begin(kNameLike), std::end(kNameLike), w) == std::end(kNameLike);
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
  for (auto& p : parts) p = trim(p, " .:;");
  std::erase_if(parts, [](const std::string& p) { return p.empty(); });
  return parts;
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
  static constexpr std::string_view kCuts[] = {
      " | ",        " - ",   " — ",       " – ",  " · ",  " • ", "\n",   " on ", " Updated",
      " Published", " for ", ", Reuters", " at ", " in ", " (",  " is ", " was "};
  for (auto cut : kCuts) {
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
  for (std::string_view a : {">", "›", "»", "→"})
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
  std::vector<std::string> kept;
  bool saw_home = false;
  bool ends_at_title = false;  // the trail's last item is the headline itself
  for (auto& it : items) {
    if (it.empty()) continue;
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
  static constexpr std::string_view kInfo[] = {"来源", "作者", "发布", "时间", "日期", "浏览",
                                               "点击", "编辑", "字号", "阅读", "次数", "分享",
                                               "打印", "记者", "供稿", "访问"};
  for (auto l : kInfo)
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
    for (std::string_view re : {"re:", "回复:", "答复:"})
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

// First line of raw headline text (lines that read like an info line skipped), or two
// when the first is a kicker ending in a colon ("Kicker:<br>Headline").
std::string first_headline_line(const std::string& raw) {
  std::string text;
  size_t from = 0;
  while (from <= raw.size()) {
    size_t nl = raw.find('\n', from);
    if (nl == std::string::npos) nl = raw.size();
    const std::string line = fold(std::string_view(raw).substr(from, nl - from));
    from = nl + 1;
    if (line.empty() || is_info_line(line)) continue;
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

// The headline text of a heading-like element: its first line (or two when the first is a
// "Kicker:" line), without a kicker set in its own element before the headline
// ("<h1><span class=dachzeile>Nach der Wahl</span> Headline</h1>",
// "<h1><small>Tunesien</small><br>Headline</h1>") or a trailing sub-line / "more" link
// ("<h1><span>Headline</span><small class=subtitle>…</small></h1>", "<h4>排行<a>更多+</a>"):
// the piece goes when the rest is what <title>/meta name and the whole is not, or the piece
// is classed as a kicker.
std::string heading_text(const Document& doc, int i, const std::vector<std::string>& agree_keys) {
  const std::string text = first_headline_line(heading_raw_text(doc, i));
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
  return !cls.empty() && n.text > 0 && n.text <= 120 &&
         (cls.find("title") != std::string::npos || cls.find("biaoti") != std::string::npos ||
          cls.find("headline") != std::string::npos || cls.find("timu") != std::string::npos) &&
         cls.find("subtitle") == std::string::npos && cls.find("sub-title") == std::string::npos;
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
    best.title = strip_badge(win->text, ctx.title_tag);
    best.rule = shown->rule;
    best.node = shown->node;
    return best;
  }
  return title_without_heading(md, ctx, win);
}

}  // namespace nh::extract
