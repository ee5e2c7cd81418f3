// newsharvest::extract — bytes in, Page out.
//
// Contract: parse() is total. It accepts any bytes (binary, truncated, empty, deeply nested)
// and always returns a Page; it never throws for bad input, never touches the network or the
// disk, and keeps no state between calls, so it is safe to call from several threads at once.
#pragma once

#include <string>
#include <string_view>

#include "page.h"

namespace nh::extract {

struct ParseOptions {
  std::string url;           // the URL the page was requested as; "" for a local file
  std::string final_url;     // after redirects; "" = same as url
  std::string content_type;  // HTTP Content-Type header, "" when unknown
  std::string charset;       // forced encoding label (e.g. --charset gbk); "" = detect
  // The site's IANA zone: dates shown without an offset are on its clock, and dates given
  // with another offset are expressed on it. "" = the zone of the URL's country domain
  // (.de → Europe/Berlin, .cn → Asia/Shanghai); without one, dates without an offset are
  // taken as Asia/Shanghai and dates with one keep it.
  std::string time_zone;
  bool explain = false;  // fill Page::trace with every candidate considered
};

[[nodiscard]] Page parse(std::string_view bytes, const ParseOptions& options = {});

}  // namespace nh::extract
