// Shared by the libFuzzer targets (tests/fuzz/*_fuzz.cpp): a contract violation prints what and
// the offending value, then aborts (a finding for libFuzzer, a failure for the ctest replay).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "extract/charset.h"

namespace nh::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view value) {
  std::fprintf(stderr, "contract violation: %s (%zu bytes): ", what, value.size());
  for (unsigned char c : value.substr(0, 200))
    std::fprintf(stderr, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
  std::fprintf(stderr, "\n");
  std::abort();
}

inline void check_utf8(const char* what, std::string_view s) {
  if (!nh::extract::valid_utf8(s)) fail(what, s);
}

// Printable ASCII without spaces: what a canonical URL must be (non-ASCII percent-encoded,
// hosts in punycode).
inline void check_url_text(const char* what, std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f) fail(what, s);
}

}  // namespace nh::fuzz
