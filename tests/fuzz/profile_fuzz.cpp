// libFuzzer target: a TOML site profile either validates or throws ConfigError — never another
// exception, a crash or a hang (config/config.h).
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    nh::config::Config c = nh::config::parse_profile(text, "fuzz.toml");
    for (const std::string& u : c.start_urls()) (void)c.section_for(u), (void)c.is_excluded(u);
  } catch (const nh::config::ConfigError& e) {
    if (e.issues().empty()) nh::fuzz::fail("ConfigError without an issue", text);
  }
  return 0;
}
