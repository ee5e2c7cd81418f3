// libFuzzer target for nh::extract::parse (DESIGN.md §6 "Total parsers": any bytes in, a Page
// out, never a crash or a hang).
//
// The whole input is always the page bytes, so every golden page under tests/fixtures/pages is a
// valid seed as is. A control byte at the END of the input (0x00-0x08 or 0x0E-0x1F: text files
// never end with one) chooses how parse() is called, to reach the charset paths plain bytes
// cannot; any other last byte means "plain, with a page URL".
//   bit 0        explain = true (fills Page::trace)
//   bits 1-2  0: plain (detection: BOM / <meta> / ICU), with a page URL
//             1: forced charset kCharsets[second-last byte % size] (as `extract --charset`)
//             2: HTTP Content-Type = the first line of the input (up to '\n', at most 256 bytes),
//                e.g. "text/html; charset=gbk\n<html>..."
//             3: plain, no URL
// Besides "no crash", it checks the output contract: every string of the Page is valid UTF-8
// (the store and JSON consumers need it; dump() would throw without a replace handler), missing
// fields are nullopt, never "". NH_FUZZ_ALLOW (below) skips the UTF-8 check of named fields.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "extract/charset.h"
#include "extract/extract.h"
#include "extract/record.h"

namespace {

// Labels the crawler may meet in headers and <meta>, some aliases, some ICU-only converters with
// stateful or unusual decoders, and junk.
constexpr std::string_view kCharsets[] = {
    "utf-8",      "UTF8",           "gbk",          "gb2312",     "GB18030",      "x-gbk",
    "big5",       "big5-hkscs",     "shift_jis",    "euc-jp",     "euc-kr",       "iso-2022-jp",
    "hz-gb-2312", "utf-16",         "utf-16le",     "utf-16be",   "utf-32",       "utf-7",
    "iso-8859-1", "windows-1252",   "us-ascii",     "koi8-r",     "windows-1251", "scsu",
    "bocu-1",     "x-user-defined", "replacement",  "ibm-1390",   "cesu-8",       "imap-mailbox",
    "",           "bogus-charset",  "\xe4\xb8\xad", "gb2312;q=1", " GBK "};

[[noreturn]] void fail(const char* what, std::string_view value) {
  std::fprintf(stderr, "contract violation: %s (%zu bytes): ", what, value.size());
  for (unsigned char c : value.substr(0, 200))
    std::fprintf(stderr, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
  std::fprintf(stderr, "\n");
  std::abort();
}

// NH_FUZZ_ALLOW="trace,source": skip the UTF-8 check of these fields (known findings), so a
// long run can get past them. The name before the first '.' is matched ("trace" = trace.*).
bool allowed(std::string_view what) {
  static const std::string allow = [] {
    const char* a = std::getenv("NH_FUZZ_ALLOW");
    return "," + std::string(a ? a : "") + ",";
  }();
  const std::string key = "," + std::string(what.substr(0, what.find('.'))) + ",";
  return allow.find(key) != std::string::npos;
}

void check_text(const char* what, const std::string& s) {
  if (!nh::extract::valid_utf8(s) && !allowed(what)) fail(what, s);
}

void check_opt(const char* what, const std::optional<std::string>& s) {
  if (!s) return;
  if (s->empty()) fail(what, *s);  // §4: missing fields are null, never ""
  check_text(what, *s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nh::extract::ParseOptions opt;
  opt.url = "http://www.example.gov.cn/xwzx/2021/05/26/art_1_123.html?a=1#x";
  const uint8_t b = size > 0 ? data[size - 1] : 0x20;
  if (b < 0x09 || (b >= 0x0e && b < 0x20)) {
    opt.explain = (b & 1u) != 0;
    switch ((b >> 1) & 3u) {
      case 1:
        opt.charset =
            std::string(kCharsets[(size > 1 ? data[size - 2] : 0) % std::size(kCharsets)]);
        break;
      case 2: {
        const size_t nl = bytes.substr(0, 256).find('\n');
        opt.content_type = std::string(bytes.substr(0, nl == std::string_view::npos ? 0 : nl));
        break;
      }
      case 3:
        opt.url.clear();
        break;
      default:
        break;
    }
  }

  const nh::extract::Page page = nh::extract::parse(bytes, opt);

  const auto& a = page.article;
  check_opt("site", a.site);
  check_opt("section", a.section);
  check_opt("title", a.title);
  check_opt("subtitle", a.subtitle);
  check_opt("published_at", a.published_at);
  check_opt("source", a.source);
  check_opt("body", a.body);
  check_opt("language", a.language);
  for (const auto& r : a.reporters) check_text("reporter", r);
  for (const auto& c : a.contributors) check_text("contributor", c.name);
  for (const auto& l : page.links) {
    check_text("link.url", l.url);
    check_text("link.text", l.text);
  }
  for (const auto& [k, v] : page.provenance) {
    check_text("provenance key", k);
    check_text("provenance value", v);
  }
  for (const auto& c : page.trace) {
    check_text("trace.field", c.field);
    check_text("trace.rule", c.rule);
    check_text("trace.value", c.value);
    check_text("trace.note", c.note);
  }
  if (page.charset.empty()) fail("charset empty", page.charset);
  // The record as the CLI prints it (cli_extract.cpp dumps with error_handler_t::replace; the
  // checks above are what catch invalid UTF-8).
  const std::string json = nh::extract::to_json(page, "fuzz", true, opt.explain)
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (json.empty()) fail("empty record", json);
  return 0;
}
