// libFuzzer target: date finding and ISO formatting (extract/normalize.h) on any text and URL:
// matches lie inside the text and format as ISO 8601 ("YYYY-MM-DD...").
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/normalize.h"
#include "fuzz_check.h"

namespace {
void check_iso(const std::string& iso, std::string_view input) {
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') nh::fuzz::fail("not ISO 8601", iso);
  nh::fuzz::check_utf8("iso", iso);
  (void)input;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  // The domain is decoded page text (valid UTF-8, extract::decode guarantees it) and URLs.
  if (!nh::extract::valid_utf8(raw)) return 0;
  const std::string text = nh::extract::fold(raw);
  for (const auto& m : nh::extract::find_dates(text)) {
    if (m.begin > m.end || m.end > text.size()) nh::fuzz::fail("match outside the text", text);
    check_iso(nh::extract::to_iso(m.value, "Asia/Shanghai"), text);
    check_iso(nh::extract::to_iso(m.value, "Europe/Berlin", true), text);
  }
  if (auto d = nh::extract::date_from_url(raw)) check_iso(nh::extract::to_iso(*d, "UTC"), raw);
  return 0;
}
