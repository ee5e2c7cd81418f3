// libFuzzer target: robots.txt (RFC 9309) parsing and matching are total. The input is the file;
// its last line (after the final '\n', at most 512 bytes) is also used as a path to match.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "crawler/robots.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  nh::crawler::Robots robots = nh::crawler::Robots::parse(body);
  std::string_view path =
      body.substr(body.rfind('\n') == std::string_view::npos ? 0 : body.rfind('\n') + 1);
  path = path.substr(0, 512);
  for (std::string_view ua : {"newsharvest/0.1", "Googlebot", "*", ""}) {
    (void)robots.allowed(ua, path);
    (void)robots.allowed(ua, "/");
    if (auto d = robots.crawl_delay(ua); d && (!std::isfinite(*d) || *d < 0))
      nh::fuzz::fail("crawl-delay not a finite non-negative number", body.substr(0, 200));
  }
  return 0;
}
