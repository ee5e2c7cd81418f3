#include "extract/normalize.h"

#include "extract/rules.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/timezone.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

namespace nh::extract {
namespace {

// NFKC minus U+2026. Built once; FilteredNormalizer2 keeps a reference to the set, so both
// live in one static object.
struct Nfkc {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet keep;
  std::unique_ptr<icu::FilteredNormalizer2> norm;
  Nfkc() : keep(u"[^\\u2026]", status) {
    const icu::Normalizer2* base = icu::Normalizer2::getNFKCInstance(status);
    if (U_SUCCESS(status)) norm = std::make_unique<icu::FilteredNormalizer2>(*base, keep);
  }
};

const Nfkc& nfkc() {
  static const Nfkc instance;
  return instance;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool is_zero_width(char32_t cp) {
  // U+00AD (soft hyphen) is kept: it is part of the text as published (German compounds).
  return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF || cp == 0x2060 ||
         cp == 0x200E || cp == 0x200F || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
         (cp >= 0x7F && cp < 0xA0);
}

std::string nfkc_utf8(std::string_view s) {
  if (is_ascii(s)) return std::string(s);
  const Nfkc& n = nfkc();
  if (!n.norm) return std::string(s);
  // The UTF-8 entry points (ICU 60+/68+) avoid two UTF-16 conversions per string.
  const icu::StringPiece piece(s.data(), static_cast<int32_t>(s.size()));
  UErrorCode status = U_ZERO_ERROR;
  if (n.norm->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  std::string out;
  out.reserve(s.size());
  icu::StringByteSink<std::string> sink(&out);
  n.norm->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return std::string(s);
  return out;
}

}  // namespace

char32_t decode_utf8(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c >= 0xF5 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_cjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0xA0 || cp == 0x3000 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x85 ||
         // Private use (icon-font glyphs "&#xe600;", GBK user-defined bytes): not text, a gap.
         (cp >= 0xE000 && cp <= 0xF8FF);
}

bool is_sentence_punct(char32_t cp) {
  switch (cp) {
    case ',':
    case '.':
    case ';':
    case '!':
    case '?':
    case 0xFF0C:
    case 0x3002:
    case 0xFF1B:
    case 0xFF01:
    case 0xFF1F:
    case 0x3001:
    case 0xFF0E:
      return true;
    default:
      return false;
  }
}

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }
bool contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

std::string lower_ascii(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

std::string utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut));
}

std::string fold(std::string_view utf8) {
  const std::string n = nfkc_utf8(utf8);
  std::string out;
  out.reserve(n.size());
  bool pending_space = false;
  for (size_t i = 0; i < n.size();) {
    const auto byte = static_cast<unsigned char>(n[i]);
    if (byte < 0x80) {  // ASCII: the same rules as below, without decoding
      ++i;
      if (byte == ' ' || (byte >= '\t' && byte <= '\r')) {
        pending_space = !out.empty();
      } else if (byte >= 0x20 && byte != 0x7F) {
        if (pending_space) out += ' ';
        pending_space = false;
        out += static_cast<char>(byte);
      }
      continue;
    }
    const char32_t cp = decode_utf8(n, i);
    if (is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (is_zero_width(cp)) continue;
    if (pending_space) out += ' ';
    pending_space = false;
    append_utf8(out, cp);
  }
  return out;
}

std::string squash_folded(std::string_view f) {
  std::string out;
  out.reserve(f.size());
  for (char c : f)
    if (c != ' ') out += c;
  return out;
}

std::string squash(std::string_view utf8) {
  std::string f = fold(utf8);
  std::string out;
  out.reserve(f.size());
  for (char c : f)
    if (c != ' ') out += c;
  return out;
}

// ---------------------------------------------------------------------------------------
// Dates

namespace {

// A real calendar day (2021-02-29 is not one) in the years news pages date themselves.
bool valid_date(int y, int m, int d) {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                     std::chrono::day{unsigned(d)}}
      .ok();
}

bool digit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max digits at i; returns -1 when none.
int read_int(std::string_view s, size_t& i, int max_digits) {
  int v = 0, n = 0;
  while (i < s.size() && digit(s[i]) && n < max_digits) {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  return n == 0 ? -1 : v;
}

bool eat(std::string_view s, size_t& i, std::string_view token) {
  // i may be past the end (a caller's cursor after the last character): no token there, and
  // substr() would throw out of the total extractor (fuzz: date).
  if (i <= s.size() && s.substr(i).starts_with(token)) {
    i += token.size();
    return true;
  }
  return false;
}

void skip_spaces(std::string_view s, size_t& i) {
  while (i < s.size() && s[i] == ' ') ++i;
}

// Optional time after a date: " 10:23", " 10:23:45", "10时23分", "T10:23:45.123+08:00".
void read_time(std::string_view s, size_t& i, DateTime& dt) {
  size_t j = i;
  if (j < s.size() && (s[j] == 'T' || s[j] == 't')) {
    ++j;
  } else if (j + 3 < s.size() && s[j] == '-' && digit(s[j + 1]) && digit(s[j + 2]) &&
             s[j + 3] == ':') {
    ++j;  // Hanweb writes "2022-11-03-15:47:21"
  } else {
    skip_spaces(s, j);
    // Chinese pages often put a weekday or "日" between date and time.
    if (eat(s, j, "日")) skip_spaces(s, j);
  }
  // "2024年5月22日 週三 上午8:21": weekday, then the half of the day.
  for (std::string_view wk : rules::weekday_markers()) {
    size_t k = j;
    if (eat(s, k, wk)) {
      decode_utf8(s, k);  // the day character
      if (k < s.size() && s[k] == ')') ++k;
      skip_spaces(s, k);
      j = k;
      break;
    }
  }
  int half = 0;  // +12 h for 下午/晚上
  for (auto [word, add] : {std::pair<std::string_view, int>{"上午", 0},
                           {"早上", 0},
                           {"凌晨", 0},
                           {"中午", 0},
                           {"下午", 12},
                           {"晚上", 12}}) {
    if (eat(s, j, word)) {
      half = add;
      skip_spaces(s, j);
      break;
    }
  }
  const size_t start = j;
  int h = read_int(s, j, 2);
  if (h < 0 || h > 23) return;
  bool cn = false;
  if (eat(s, j, ":")) {
  } else if (eat(s, j, "时") || eat(s, j, "點") || eat(s, j, "点")) {
    cn = true;
  } else {
    return;
  }
  int m = read_int(s, j, 2);
  if (m < 0 || m > 59) return;
  if (cn) eat(s, j, "分");
  int sec = -1;
  size_t ks = j;
  if (eat(s, ks, ":")) {
    sec = read_int(s, ks, 2);
    if (sec >= 0 && sec <= 59)
      j = ks;
    else
      sec = -1;
  } else if (cn) {
    sec = read_int(s, ks, 2);
    if (sec >= 0 && sec <= 59 && eat(s, ks, "秒"))
      j = ks;
    else
      sec = -1;
  }
  (void)start;
  if (half && h < 12) h += half;
  dt.hour = h;
  dt.minute = m;
  dt.second = sec;
  // fractional seconds
  if (j < s.size() && s[j] == '.') {
    size_t k2 = j + 1;
    if (read_int(s, k2, 9) >= 0) j = k2;
  }
  // 12-hour clock: "2:20 p.m.", "10:05 PM"
  {
    size_t k = j;
    skip_spaces(s, k);
    const std::string w = lower_ascii(s.substr(k, 4));
    int add = -1;
    size_t len = 0;
    if (w.starts_with("p.m."))
      add = 12, len = 4;
    else if (w.starts_with("a.m."))
      add = 0, len = 4;
    else if (w.starts_with("pm"))
      add = 12, len = 2;
    else if (w.starts_with("am"))
      add = 0, len = 2;
    if (add >= 0 && dt.hour >= 1 && dt.hour <= 12 &&
        (k + len >= s.size() || !std::isalpha(static_cast<unsigned char>(s[k + len])))) {
      dt.hour = dt.hour % 12 + add;
      j = k + len;
    }
  }
  // Zone abbreviation: "UTC", "CEST"
  {
    size_t k = j;
    skip_spaces(s, k);
    for (const auto& z : rules::zone_abbreviations()) {
      if (s.substr(k, z.name.size()) == z.name &&
          (k + z.name.size() >= s.size() ||
           !std::isalpha(static_cast<unsigned char>(s[k + z.name.size()])))) {
        dt.offset_minutes = z.offset_minutes;
        i = k + z.name.size();
        return;
      }
    }
  }
  // offset
  if (j < s.size() && (s[j] == 'Z' || s[j] == 'z')) {
    dt.offset_minutes = 0;
    ++j;
  } else if (j < s.size() && (s[j] == '+' || s[j] == '-')) {
    size_t k2 = j + 1;
    const size_t d0 = k2;
    int oh = read_int(s, k2, 2);
    if (oh >= 0 && k2 - d0 == 2) {
      int om = 0;
      if (eat(s, k2, ":"))
        om = read_int(s, k2, 2);
      else if (k2 + 1 < s.size() && digit(s[k2]))
        om = read_int(s, k2, 2);
      if (om >= 0 && oh <= 14) {
        dt.offset_minutes = (s[j] == '-' ? -1 : 1) * (oh * 60 + om);
        j = k2;
      }
    }
  }
  i = j;
}

// Chinese numeral digits for dates written out: 二〇二一年五月二十六日.
int cn_digit(char32_t cp) {
  switch (cp) {
    case U'〇':
    case U'零':
    case U'○':
    case U'Ｏ':
    case U'O':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

// Parses 二十六 / 十二 / 五 at i; returns -1 if not a number.
int read_cn_number(std::string_view s, size_t& i) {
  size_t j = i;
  int value = 0;
  bool any = false;
  int pending = -1;
  while (j < s.size()) {
    size_t k = j;
    char32_t cp = decode_utf8(s, k);
    int d = cn_digit(cp);
    if (d >= 0) {
      pending = d;
      any = true;
      j = k;
    } else if (cp == U'十') {
      value += (pending < 0 ? 1 : pending) * 10;
      pending = -1;
      any = true;
      j = k;
    } else {
      break;
    }
  }
  if (!any) return -1;
  if (pending >= 0) value += pending;
  i = j;
  return value;
}

std::optional<DateMatch> cn_numeral_date(std::string_view s, size_t i) {
  // Year: four numeral digits.
  size_t j = i;
  int y = 0;
  for (int k = 0; k < 4; ++k) {
    if (j >= s.size()) return std::nullopt;
    size_t n = j;
    int d = cn_digit(decode_utf8(s, n));
    if (d < 0) return std::nullopt;
    y = y * 10 + d;
    j = n;
  }
  if (!eat(s, j, "年")) return std::nullopt;
  int m = read_cn_number(s, j);
  if (m < 0 || !eat(s, j, "月")) return std::nullopt;
  int d = read_cn_number(s, j);
  if (d < 0 || !(eat(s, j, "日") || eat(s, j, "号"))) return std::nullopt;
  if (!valid_date(y, m, d)) return std::nullopt;
  DateMatch r;
  r.value.year = y;
  r.value.month = m;
  r.value.day = d;
  r.begin = i;
  r.end = j;
  return r;
}

std::optional<DateMatch> date_at(std::string_view s, size_t i) {
  // Not in the middle of a longer number.
  if (i > 0 && digit(s[i - 1])) return std::nullopt;
  size_t j = i;
  const int y = read_int(s, j, 4);
  if (y < 0 || j - i != 4) return std::nullopt;
  DateTime dt;
  dt.year = y;
  int m = -1, d = -1;
  bool cn_form = false;
  if (j < s.size() && (s[j] == '-' || s[j] == '/' || s[j] == '.')) {
    const char sep = s[j++];
    m = read_int(s, j, 2);
    if (m < 0 || j >= s.size() || s[j] != sep) return std::nullopt;
    ++j;
    d = read_int(s, j, 2);
    if (d < 0) return std::nullopt;
  } else if (eat(s, j, "年")) {
    cn_form = true;
    skip_spaces(s, j);
    m = read_int(s, j, 2);
    skip_spaces(s, j);
    if (m < 0 || !eat(s, j, "月")) return std::nullopt;
    skip_spaces(s, j);
    d = read_int(s, j, 2);
    skip_spaces(s, j);
    if (d < 0 || !(eat(s, j, "日") || eat(s, j, "号"))) return std::nullopt;
  } else if (j + 4 <= s.size() && digit(s[j]) && digit(s[j + 1]) && digit(s[j + 2]) &&
             digit(s[j + 3]) && (j + 4 == s.size() || !digit(s[j + 4]))) {
    // 20210526 — only as a standalone token.
    m = (s[j] - '0') * 10 + (s[j + 1] - '0');
    d = (s[j + 2] - '0') * 10 + (s[j + 3] - '0');
    j += 4;
  } else if (j + 6 <= s.size() && s[j] == ' ' && digit(s[j + 1]) && digit(s[j + 2]) &&
             s[j + 3] == '/' && digit(s[j + 4]) && digit(s[j + 5]) &&
             (j + 6 == s.size() || (s[j + 6] != '/' && !digit(s[j + 6])))) {
    // "2024 01/02 10:01:02": the year, then month/day (Xinhua's article header).
    m = (s[j + 1] - '0') * 10 + (s[j + 2] - '0');
    d = (s[j + 4] - '0') * 10 + (s[j + 5] - '0');
    j += 6;
  } else {
    return std::nullopt;
  }
  if (!cn_form && j < s.size() && digit(s[j])) return std::nullopt;
  if (!valid_date(y, m, d)) return std::nullopt;
  dt.month = m;
  dt.day = d;
  read_time(s, j, dt);
  DateMatch r;
  r.value = dt;
  r.begin = i;
  r.end = j;
  return r;
}

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A month name at i (case-insensitive for ASCII letters); the longest that ends at a word
// boundary. Returns the month and advances i past the name (and an abbreviation's dot).
int month_at(std::string_view s, size_t& i) {
  if (i > 0 && (ascii_alpha(s[i - 1]) || static_cast<unsigned char>(s[i - 1]) >= 0x80)) return 0;
  // Month names start with one of these letters: skip everything else without comparing.
  const char first = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  if (std::string_view("jfmasondé").find(first) == std::string_view::npos) return 0;
  auto equals_lower = [&](std::string_view name) {
    for (size_t k = 0; k < name.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(s[i + k])) != static_cast<unsigned char>(name[k]))
        return false;
    return true;
  };
  int best_month = 0;
  size_t best_len = 0;
  for (const auto& m : rules::month_names()) {
    if (m.name.size() <= best_len || i + m.name.size() > s.size()) continue;
    if (!equals_lower(m.name)) continue;
    const size_t e = i + m.name.size();
    if (e < s.size() && (ascii_alpha(s[e]) || static_cast<unsigned char>(s[e]) >= 0x80)) continue;
    best_month = m.month;
    best_len = m.name.size();
  }
  if (!best_month) return 0;
  i += best_len;
  if (i < s.size() && s[i] == '.') ++i;
  return best_month;
}

DateMatch with_optional_time(std::string_view s, size_t i, size_t j, DateTime dt);

// ", 2019" after a month and day: fills dt when the whole date is valid.
bool read_year(std::string_view s, size_t& j, int m, int d, DateTime& dt) {
  if (j < s.size() && s[j] == ',') ++j;
  skip_spaces(s, j);
  const size_t y0 = j;
  const int y = read_int(s, j, 4);
  if (j - y0 != 4 || !valid_date(y, m, d)) return false;
  dt.year = y;
  dt.month = m;
  dt.day = d;
  return true;
}

// "2023 Jan 7", "2023 January 07" (citation metadata, PubMed): year, month name, day.
std::optional<DateMatch> year_month_name_day_at(std::string_view s, size_t i) {
  size_t j = i;
  const int y = read_int(s, j, 4);
  if (j - i != 4 || j >= s.size() || s[j] != ' ') return std::nullopt;
  skip_spaces(s, j);
  const int m = month_at(s, j);
  if (!m) return std::nullopt;
  skip_spaces(s, j);
  const size_t d0 = j;
  const int d = read_int(s, j, 2);
  if (j == d0 || (j < s.size() && digit(s[j])) || !valid_date(y, m, d)) return std::nullopt;
  DateTime dt;
  dt.year = y;
  dt.month = m;
  dt.day = d;
  return with_optional_time(s, i, j, dt);
}

// Day-first and month-name dates: 16.08.2019, 16/08/2019, 16. August 2019, 16 août 2019,
// 16 de agosto de 2019, August 16, 2019, Aug 16th 2019.
std::optional<DateMatch> latin_date_at(std::string_view s, size_t i) {
  DateTime dt;
  size_t j = i;
  if (digit(s[i])) {
    if (i > 0 && (digit(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '/')) return std::nullopt;
    if (auto r = year_month_name_day_at(s, i)) return r;
    const int d = read_int(s, j, 2);
    if (d < 1 || d > 31 || j >= s.size()) return std::nullopt;
    if (s[j] == '.' || s[j] == '/' || s[j] == '-') {
      const char sep = s[j];
      size_t k = j + 1;
      const int m = read_int(s, k, 2);
      if (m >= 1 && k < s.size() && s[k] == sep) {
        ++k;
        const size_t y0 = k;
        int y = read_int(s, k, 4);
        // "23.09.22": a two-digit year after a two-digit day and month with dots, read as
        // POSIX strptime %y does (69-99 -> 19xx, 00-68 -> 20xx).
        if (k - y0 == 2 && sep == '.' && j - i == 2 && y0 - j == 4 &&
            !(k + 1 < s.size() && (s[k] == '.' || s[k] == ':') && digit(s[k + 1])))
          y += y >= 69 ? 1900 : 2000;
        else if (k - y0 != 4)
          return std::nullopt;
        if (k < s.size() && digit(s[k])) return std::nullopt;
        // Day-first (16.08.2019, 16/08/2019) unless the second number cannot be a month
        // (08/16/2019). Tuned on trafilatura-eval, where day-first slashes outnumber US ones.
        int day = d, month = m;
        if (month > 12 && day <= 12) std::swap(day, month);
        if (!valid_date(y, month, day)) return std::nullopt;
        dt.year = y;
        dt.month = month;
        dt.day = day;
        j = k;
        DateMatch r = with_optional_time(s, i, j, dt);
        // A 12-hour clock goes with the US order: "7/5/2005 9:23:57 PM" (ASP.NET en-US) is
        // 5 July.
        if (sep == '/' && d <= 12 && m <= 12 && d != m && r.value.has_time()) {
          const std::string tail = lower_ascii(s.substr(k, r.end - k));
          if (tail.ends_with("am") || tail.ends_with("pm") || tail.ends_with("a.m.") ||
              tail.ends_with("p.m.")) {
            r.value.month = d;
            r.value.day = m;
          }
        }
        return r;
      }
      if (sep != '.') return std::nullopt;
      ++j;  // "16. August 2019"
    }
    skip_spaces(s, j);
    if (eat(s, j, "de ")) skip_spaces(s, j);
    const int m = month_at(s, j);
    if (!m) return std::nullopt;
    skip_spaces(s, j);
    if (eat(s, j, "de ")) skip_spaces(s, j);
    if (!read_year(s, j, m, d, dt)) return std::nullopt;
  } else {
    const int m = month_at(s, j);
    if (!m) return std::nullopt;
    skip_spaces(s, j);
    const int d = read_int(s, j, 2);
    if (d < 1) return std::nullopt;
    for (std::string_view suf : rules::ordinal_suffixes())
      if (eat(s, j, suf)) break;
    if (!read_year(s, j, m, d, dt)) return std::nullopt;
  }
  return with_optional_time(s, i, j, dt);
}

// "um 10:23 Uhr", "at 10:23", ", 10:23" after a date that ends at j.
DateMatch with_optional_time(std::string_view s, size_t i, size_t j, DateTime dt) {
  size_t k = j;
  if (k < s.size() && s[k] == ',') ++k;
  skip_spaces(s, k);
  for (std::string_view w : rules::time_connectors())
    if (eat(s, k, w)) break;
  DateTime with_time = dt;
  const size_t before = k;
  read_time(s, k, with_time);
  if (with_time.has_time() && k > before) {
    dt = with_time;
    j = k;
  }
  return DateMatch{dt, i, j};
}

}  // namespace

std::optional<DateMatch> find_date(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (digit(text[i])) {
      if (c == '1' || c == '2')
        if (auto m = date_at(text, i)) return m;
      if (auto m = latin_date_at(text, i)) return m;
    } else if (ascii_alpha(text[i])) {
      if (auto m = latin_date_at(text, i)) return m;
    } else if (c >= 0xE0) {
      if (auto m = cn_numeral_date(text, i)) return m;
    }
    // advance one code point
    size_t k = i;
    decode_utf8(text, k);
    i = k;
  }
  return std::nullopt;
}

std::vector<DateMatch> find_dates(std::string_view text) {
  std::vector<DateMatch> out;
  size_t from = 0;
  while (auto m = find_date(text, from)) {
    out.push_back(*m);
    from = m->end > m->begin ? m->end : m->begin + 1;
  }
  return out;
}

std::optional<DateTime> date_from_url(std::string_view url) {
  // Only the path: skip scheme://host.
  size_t p = url.find("://");
  p = p == std::string_view::npos ? 0 : url.find('/', p + 3);
  if (p == std::string_view::npos) return std::nullopt;
  std::string_view path = url.substr(p);
  for (size_t i = 0; i + 8 <= path.size(); ++i) {
    if (!digit(path[i]) || (i > 0 && digit(path[i - 1]))) continue;
    size_t j = i;
    int y = read_int(path, j, 4);
    if (j - i != 4 || y < 1990 || y > 2100) continue;
    int m = -1, d = -1;
    size_t k = j;
    if (k < path.size() && (path[k] == '-' || path[k] == '/' || path[k] == '_')) {
      ++k;
      size_t k0 = k;
      m = read_int(path, k, 2);
      if (m < 0) continue;
      if (k - k0 == 2 && k < path.size() && digit(path[k])) {  // /2021/0526/
        d = read_int(path, k, 2);
      } else if (k < path.size() && (path[k] == '-' || path[k] == '/' || path[k] == '_')) {
        ++k;
        d = read_int(path, k, 2);
      }
    } else {  // 20210526 or 202105/26
      size_t k0 = k;
      m = read_int(path, k, 2);
      if (k - k0 != 2) continue;
      if (k < path.size() && digit(path[k])) {
        size_t k1 = k;
        d = read_int(path, k, 2);
        if (k - k1 != 2) continue;
      } else if (k < path.size() && path[k] == '/') {
        ++k;
        size_t k1 = k;
        d = read_int(path, k, 2);
        if (k - k1 != 2) continue;
      }
    }
    if (d < 0 || (k < path.size() && digit(path[k]))) continue;
    if (!valid_date(y, m, d)) continue;
    DateTime dt;
    dt.year = y;
    dt.month = m;
    dt.day = d;
    return dt;
  }
  return std::nullopt;
}

int days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

namespace {

// The civil date of a day count since 1970-01-01 (H. Hinnant's algorithm).
void civil_from_days(int z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe) + era * 400 + (m <= 2);
}

// Offset of `zone` in minutes at a moment given as milliseconds since the epoch, either of
// UTC (`local` false) or of the zone's own wall clock (`local` true); nullopt for a zone ICU
// does not know.
std::optional<int> zone_offset(std::string_view zone, double ms, bool local) {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(
      icu::UnicodeString::fromUTF8(icu::StringPiece(zone.data(), int32_t(zone.size())))));
  if (!tz || *tz == icu::TimeZone::getUnknown()) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  int32_t raw = 0, dst = 0;
  tz->getOffset(ms, local, raw, dst, status);
  if (U_FAILURE(status)) return std::nullopt;
  return (raw + dst) / 60000;
}

}  // namespace

std::string to_iso(const DateTime& given, std::string_view time_zone, bool in_zone) {
  char buf[64];
  if (!given.has_time()) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", given.year, given.month, given.day);
    return buf;
  }
  DateTime dt = given;
  // The wall-clock time as milliseconds since the epoch "as if UTC".
  const double wall_ms =
      (double(days_from_civil(dt.year, unsigned(dt.month), unsigned(dt.day))) * 86400.0 +
       dt.hour * 3600.0 + dt.minute * 60.0 + (dt.second < 0 ? 0 : dt.second)) *
      1000.0;
  int offset = 0;
  if (dt.offset_minutes && in_zone) {
    const double utc_ms = wall_ms - *dt.offset_minutes * 60000.0;
    if (auto z = zone_offset(time_zone, utc_ms, /*local=*/false)) {
      offset = *z;
      const double there = utc_ms / 1000.0 + offset * 60.0;  // seconds on the zone's clock
      const double day = std::floor(there / 86400.0);
      civil_from_days(static_cast<int>(day), dt.year, dt.month, dt.day);
      const int secs = static_cast<int>(there - day * 86400.0);
      dt.hour = secs / 3600;
      dt.minute = secs / 60 % 60;
      if (dt.second >= 0) dt.second = secs % 60;
    } else {
      offset = *dt.offset_minutes;
    }
  } else if (dt.offset_minutes) {
    offset = *dt.offset_minutes;
  } else if (auto z = zone_offset(time_zone, wall_ms, /*local=*/true)) {
    offset = *z;
  }
  const char sign = offset < 0 ? '-' : '+';
  const int a = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", dt.year, dt.month,
                dt.day, dt.hour, dt.minute, dt.second < 0 ? 0 : dt.second, sign, a / 60, a % 60);
  return buf;
}

}  // namespace nh::extract
