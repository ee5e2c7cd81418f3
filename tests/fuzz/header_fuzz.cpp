// libFuzzer target: HTTP response header lines as curl hands them to the fetcher
// (crawler/fetcher.h parse_header_line): a lower-case, trimmed name or nothing.
#include <cstdint>
#include <string_view>

#include "crawler/fetcher.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  if (auto h = nh::crawler::parse_header_line(line)) {
    if (h->first.empty()) nh::fuzz::fail("empty header name", line);
    for (char c : h->first)
      if (c >= 'A' && c <= 'Z') nh::fuzz::fail("header name not lower-case", h->first);
    if (!h->second.empty() && (h->second.front() == ' ' || h->second.back() == ' '))
      nh::fuzz::fail("header value not trimmed", h->second);
  }
  return 0;
}
