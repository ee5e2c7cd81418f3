// libFuzzer target: sitemaps, sitemap indexes, RSS and Atom (crawler/feeds.h) parse any bytes.
#include <cstdint>
#include <string_view>

#include "crawler/feeds.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nh::crawler::Feed feed =
      nh::crawler::parse_feed(std::string_view(reinterpret_cast<const char*>(data), size));
  for (const auto& u : feed.pages)
    if (u.empty()) nh::fuzz::fail("empty page URL", u);
  for (const auto& u : feed.sitemaps)
    if (u.empty()) nh::fuzz::fail("empty sitemap URL", u);
  return 0;
}
