// Choosing the encoding of a page and converting it to UTF-8 (ICU).
//
// Order of evidence: forced label > BOM > HTTP Content-Type charset > <meta charset> /
// http-equiv in the first 16 KiB > ICU detection. A declared charset the bytes contradict is
// corrected: pages that declare GB2312/GBK but whose bytes are valid UTF-8 (common on portals
// that migrated their templates) decode as UTF-8; pages that declare UTF-8 but are not valid
// UTF-8 go to detection. Labels follow the WHATWG Encoding Standard where it matters:
// gb2312/gbk/x-gbk decode as GB18030, big5 as Big5-HKSCS, iso-8859-1/ascii as windows-1252.
#pragma once

#include <string>
#include <string_view>

namespace nh::extract {

struct Decoded {
  std::string utf8;     // valid UTF-8; undecodable bytes become U+FFFD
  std::string charset;  // canonical lower-case label: "utf-8", "gb18030", "big5", ...
  std::string
      reason;  // provenance: "bom", "http", "meta", "meta-contradicted:gb2312", "detected", ...
};

Decoded decode(std::string_view bytes, std::string_view content_type = {},
               std::string_view forced = {});

// The canonical label for a declared one ("GB2312" -> "gb18030"), "" if unknown to ICU.
std::string canonical_charset(std::string_view label);

// True when bytes are well-formed UTF-8.
bool valid_utf8(std::string_view bytes);

}  // namespace nh::extract
