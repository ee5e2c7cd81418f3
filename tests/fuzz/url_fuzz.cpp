// libFuzzer target: URL normalisation and resolution (crawler/urls.h) are total, and what they
// return is canonical: printable ASCII, within kMaxUrlBytes, a host, and a fixed point of
// normalize(). Input: "BASE\nHREF" (no '\n': the whole input is both).
#include <cstdint>
#include <string_view>

#include "crawler/urls.h"
#include "fuzz_check.h"

namespace {

void check(const nh::crawler::UrlResult& r) {
  if (!r) return;
  nh::fuzz::check_url_text("canonical URL is not printable ASCII", r.url);
  if (r.url.size() > nh::crawler::kMaxUrlBytes) nh::fuzz::fail("URL over the cap", r.url);
  if (nh::crawler::host_of(r.url).empty()) nh::fuzz::fail("canonical URL without a host", r.url);
  const nh::crawler::UrlResult again = nh::crawler::normalize(r.url);
  if (!again || again.url != r.url) nh::fuzz::fail("normalize is not idempotent", r.url);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto nl = in.find('\n');
  std::string_view base = nl == std::string_view::npos ? in : in.substr(0, nl);
  std::string_view href = nl == std::string_view::npos ? in : in.substr(nl + 1);
  check(nh::crawler::normalize(base));
  check(nh::crawler::resolve(base, href));
  check(nh::crawler::resolve("http://www.example.gov.cn/a/b/index.html", href));
  nh::fuzz::check_url_text("normalize_host", nh::crawler::normalize_host(base));
  return 0;
}
