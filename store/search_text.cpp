// Segmentation for the full-text index (see search_text.h for the design).
#include "store/search_text.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <memory>
#include <unordered_map>

#include "extract/normalize.h"

namespace nh::store::search {
namespace {

// Traditional -> Simplified, one character to one character: the single-character mappings of
// ICU's Traditional-Simplified transliterator, read once (its source set is ~3,500 characters).
const std::unordered_map<char32_t, char32_t>& simplified_map() {
  static const std::unordered_map<char32_t, char32_t> map = [] {
    std::unordered_map<char32_t, char32_t> m;
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, err));
    if (U_FAILURE(err) || !t) return m;  // ICU without the rule: no folding, still consistent
    icu::UnicodeSet source;
    t->getSourceSet(source);
    for (int32_t r = 0; r < source.getRangeCount(); ++r) {
      for (UChar32 c = source.getRangeStart(r); c <= source.getRangeEnd(r); ++c) {
        icu::UnicodeString s(c);
        t->transliterate(s);
        if (s.countChar32() == 1 && s.char32At(0) != c)
          m.emplace(static_cast<char32_t>(c), static_cast<char32_t>(s.char32At(0)));
      }
    }
    return m;
  }();
  return map;
}

char32_t fold_cp(char32_t c, const std::unordered_map<char32_t, char32_t>& simp) {
  c = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
  if (c >= 0x3400) {
    if (auto it = simp.find(c); it != simp.end()) return it->second;
  }
  return c;
}

// Characters segmented into bigrams: Han ideographs and kana (written without spaces).
bool is_segmented(char32_t c) {
  return extract::is_cjk(c) || (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) ||
         (c >= 0x31F0 && c <= 0x31FF);
}

// What unicode61 (default options) keeps in a token: letters, numbers, private use.
bool is_token_char(char32_t c) {
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_CO_MASK)) != 0;
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(extract::decode_utf8(s, i));
  return out;
}

void append(std::string& out, char32_t c) { extract::append_utf8(out, c); }

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::u32string key(std::string_view utf8) {
  const auto& simp = simplified_map();
  std::u32string out = decode(extract::fold(utf8));
  for (char32_t& c : out) c = fold_cp(c, simp);
  return out;
}

std::string terms(std::string_view utf8) {
  const std::u32string k = key(utf8);
  std::string words, chars;
  words.reserve(utf8.size() * 3);
  const size_t n = k.size();
  for (size_t i = 0; i < n;) {
    if (!is_segmented(k[i])) {
      // Only tokens and single spaces reach the index (its `ascii` tokenizer would take any
      // non-ASCII character for part of a token).
      if (is_token_char(k[i]))
        append(words, k[i]);
      else if (!words.empty() && words.back() != ' ')
        words += ' ';
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && is_segmented(k[j])) ++j;
    if (!words.empty() && words.back() != ' ') words += ' ';
    if (j - i >= 2) {
      for (size_t p = i; p + 1 < j; ++p) {
        append(words, k[p]);
        append(words, k[p + 1]);
        words += ' ';
      }
    }
    append(chars, k[j - 1]);  // the one character of the run that starts no bigram
    chars += ' ';
    i = j;
  }
  while (!words.empty() && words.back() == ' ') words.pop_back();
  while (!chars.empty() && chars.back() == ' ') chars.pop_back();
  if (chars.empty()) return words;
  return words + "\n" + chars;
}

std::string match_expression(std::string_view query) {
  const std::u32string k = key(query);
  std::vector<std::string> parts;
  std::string cur;
  bool has_token = false;
  auto flush = [&] {
    if (has_token) parts.push_back(quoted(cur));
    cur.clear();
    has_token = false;
  };
  const size_t n = k.size();
  for (size_t i = 0; i < n;) {
    if (k[i] == U' ') {  // fold() made every run of white space one space: a new part
      flush();
      ++i;
      continue;
    }
    if (!is_segmented(k[i])) {
      if (is_token_char(k[i])) {
        has_token = true;
        append(cur, k[i]);
      } else if (!cur.empty() && cur.back() != ' ') {
        cur += ' ';  // a separator, as in terms()
      }
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && is_segmented(k[j])) ++j;
    if (j - i == 1) {
      // A lone character is the prefix of every token it starts: a bigram, or a run's last
      // character in the tails (FTS5 prefix query "县"*).
      flush();
      std::string one;
      append(one, k[i]);
      parts.push_back(quoted(one) + "*");
    } else {
      if (!cur.empty() && cur.back() != ' ') cur += ' ';
      for (size_t p = i; p + 1 < j; ++p) {
        append(cur, k[p]);
        append(cur, k[p + 1]);
        cur += ' ';
      }
      has_token = true;
    }
    i = j;
  }
  flush();
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += " AND ";
    out += p;
  }
  return out;
}

std::string tsquery_expression(std::string_view query) {
  const std::string match = match_expression(query);
  std::string out;
  std::size_t pos = 0;
  while (pos < match.size()) {
    std::size_t end = match.find(" AND ", pos);
    if (end == std::string::npos) end = match.size();
    std::string_view part(match.data() + pos, end - pos);
    pos = end == match.size() ? end : end + 5;
    const bool prefix = part.ends_with('*');
    if (prefix) part.remove_suffix(1);
    if (part.size() >= 2 && part.front() == '"' && part.back() == '"')
      part = part.substr(1, part.size() - 2);
    std::string phrase;
    std::size_t i = 0;
    while (i < part.size()) {
      std::size_t j = part.find(' ', i);
      if (j == std::string_view::npos) j = part.size();
      if (j > i) {
        if (!phrase.empty()) phrase += " <-> ";
        phrase += "'" + std::string(part.substr(i, j - i)) + "'";
        if (prefix) phrase += ":*";
      }
      i = j + 1;
    }
    if (phrase.empty()) continue;
    if (!out.empty()) out += " & ";
    out += "(" + phrase + ")";
  }
  return out;
}

std::vector<std::u32string> needles(std::string_view query) {
  const std::u32string k = key(query);
  std::vector<std::u32string> out;
  const size_t n = k.size();
  for (size_t i = 0; i < n;) {
    const bool seg = is_segmented(k[i]);
    if (!seg && !is_token_char(k[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && is_segmented(k[j]) == seg && (seg || is_token_char(k[j]))) ++j;
    out.push_back(k.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string snippet(std::string_view text, const std::vector<std::u32string>& needles,
                    std::size_t width, std::string_view open, std::string_view close) {
  const auto& simp = simplified_map();
  const std::u32string orig = decode(extract::fold(text));
  std::u32string k = orig;
  for (char32_t& c : k) c = fold_cp(c, simp);
  const size_t n = k.size();
  auto word = [&](size_t p) { return p < n && is_token_char(k[p]) && !is_segmented(k[p]); };
  // Length of the longest needle at p (0 when none); words only on word boundaries.
  auto match_at = [&](size_t p) -> size_t {
    size_t best = 0;
    for (const auto& nd : needles) {
      if (nd.empty() || nd.size() <= best || p + nd.size() > n) continue;
      if (k.compare(p, nd.size(), nd) != 0) continue;
      if (!is_segmented(nd.front()) && ((p > 0 && word(p - 1)) || word(p + nd.size()))) continue;
      best = nd.size();
    }
    return best;
  };
  size_t first = n;
  for (size_t p = 0; p < n && first == n; ++p)
    if (match_at(p) > 0) first = p;
  size_t start = 0;
  if (first != n && first > width / 4) start = first - width / 4;
  const size_t end = std::min(n, start + width);
  std::string out;
  if (start > 0) out += "…";
  for (size_t p = start; p < end;) {
    const size_t m = first == n ? 0 : match_at(p);
    if (m == 0) {
      append(out, orig[p++]);
      continue;
    }
    out += open;
    for (size_t q = p; q < p + m; ++q) append(out, orig[q]);
    out += close;
    p += m;
  }
  if (end < n) out += "…";
  return out;
}

}  // namespace nh::store::search
