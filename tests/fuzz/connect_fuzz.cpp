// libFuzzer target: --connect-to / --resolve specs parse or throw ConfigError, and a parsed
// spec written back in curl's syntax parses to the same spec.
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view spec(reinterpret_cast<const char*>(data), size);
  try {
    const auto c = nh::config::parse_connect_to(spec);
    if (nh::config::parse_connect_to(c.curl_spec()).curl_spec() != c.curl_spec())
      nh::fuzz::fail("connect-to does not round-trip", spec);
  } catch (const nh::config::ConfigError&) {
  }
  try {
    const auto r = nh::config::parse_resolve(spec);
    if (nh::config::parse_resolve(r.curl_spec()).curl_spec() != r.curl_spec())
      nh::fuzz::fail("resolve does not round-trip", spec);
  } catch (const nh::config::ConfigError&) {
  }
  return 0;
}
