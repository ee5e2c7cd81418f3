// libFuzzer target: credit/byline and source lines (extract/fields.h) on any text: names and
// outlets come back as valid UTF-8, never empty.
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/fields.h"
#include "extract/normalize.h"
#include "fuzz_check.h"

namespace {
void check_opt(const char* what, const std::optional<std::string>& s) {
  if (!s) return;
  if (s->empty()) nh::fuzz::fail(what, *s);
  nh::fuzz::check_utf8(what, *s);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The domain is text lines of a decoded page: valid UTF-8 (extract::decode guarantees it
  // before anything reads a line), fold()ed.
  if (!nh::extract::valid_utf8(std::string_view(reinterpret_cast<const char*>(data), size)))
    return 0;
  const std::string line =
      nh::extract::fold(std::string_view(reinterpret_cast<const char*>(data), size));
  const nh::extract::Credits c = nh::extract::parse_credits(line);
  for (const auto& p : c.people) {
    if (p.name.empty()) nh::fuzz::fail("empty credited name", line);
    nh::fuzz::check_utf8("credited name", p.name);
  }
  for (bool bare : {false, true})
    for (const auto& n : nh::extract::english_byline(line, bare)) nh::fuzz::check_utf8("byline", n);
  // source_from_line: "" is its documented "label, no value" answer (fields.h), not a finding.
  if (auto s = nh::extract::source_from_line(line)) nh::fuzz::check_utf8("source_from_line", *s);
  check_opt("outlet_after_date", nh::extract::outlet_after_date(line));
  check_opt("bracketed_writer_after_date", nh::extract::bracketed_writer_after_date(line));
  check_opt("agency_from_dateline", nh::extract::agency_from_dateline(line));
  return 0;
}
