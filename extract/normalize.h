// Text normalisation (DESIGN.md §4) and date parsing/normalisation.
//
// fold(): NFKC — except U+2026 "…", which Chinese typography uses as a word ("……") and which
// NFKC would turn into "..." — plus whitespace folding: every run of Unicode white space
// (NBSP, U+3000, tabs, newlines — and private-use code points: icon-font glyphs, GBK
// user-defined bytes) becomes one ASCII space; zero-width and control characters are
// dropped; the result is trimmed. Thread-safe; ICU normalisers are created once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nh::extract {

std::string fold(std::string_view utf8);
// fold() without any white space at all: the key used to compare titles, lines, names.
std::string squash(std::string_view utf8);
// squash() of text that is already fold()ed: only drops the spaces (no second NFKC pass).
std::string squash_folded(std::string_view folded);

// UTF-8 helpers. decode_utf8 returns U+FFFD for a bad sequence and always advances.
char32_t decode_utf8(std::string_view s, size_t& i);
void append_utf8(std::string& out, char32_t cp);
bool is_cjk(char32_t cp);             // Han ideographs (incl. extensions, compatibility)
bool is_space(char32_t cp);           // Unicode white space incl. NBSP, U+3000, private use
bool is_sentence_punct(char32_t cp);  // , . ; ! ? and their CJK forms, 、。
size_t count_code_points(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool contains(std::string_view s, std::string_view needle);
std::string lower_ascii(std::string_view s);
// At most max_bytes of s, cut at a character boundary.
std::string utf8_prefix(std::string_view s, size_t max_bytes);

// A date/time as written on the page.
struct DateTime {
  int year = 0, month = 0, day = 0;
  int hour = -1, minute = -1, second = -1;  // -1 = not given
  std::optional<int> offset_minutes;        // given by the page (Z, +08:00), else nullopt
  bool has_time() const { return hour >= 0; }
  bool operator==(const DateTime&) const = default;
};

struct DateMatch {
  DateTime value;
  size_t begin = 0, end = 0;  // byte range in the searched text
};

// First plausible date in text (years 1990..2100): 2021-05-26, 2021/5/26, 2021.05.26,
// 2021年5月26日, 二〇二一年五月二十六日, 20210526 (only when standalone), each optionally followed
// by a time (10:23, 10:23:45, 10时23分) and an offset. ISO 8601 strings parse too. Text must be
// fold()ed first (full-width digits become ASCII).
std::optional<DateMatch> find_date(std::string_view text, size_t from = 0);
// All dates in order.
std::vector<DateMatch> find_dates(std::string_view text);
// A date in a URL path: t20210526_123.html, /2021-05/26/, /202105/26/, /2021/0526/, /20210526/.
std::optional<DateTime> date_from_url(std::string_view url);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int days_from_civil(int y, unsigned m, unsigned d);

// ISO 8601: "YYYY-MM-DD" without a time; with one, "YYYY-MM-DDTHH:MM:SS+HH:MM" using the
// page's own offset when given, else the offset of time_zone (IANA) at that local time.
// `in_zone`: a time the page gives with an offset of its own is expressed on time_zone's
// clock instead (the same instant: "2022-11-06T23:00:00Z" in Europe/Berlin is
// "2022-11-07T00:00:00+01:00") — for when time_zone is known to be the site's.
std::string to_iso(const DateTime& dt, std::string_view time_zone, bool in_zone = false);

}  // namespace nh::extract
