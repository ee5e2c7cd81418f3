#include "extract/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "extract/normalize.h"

namespace nh::extract {
namespace {

struct CsdetCloser {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};
using DetectorPtr = std::unique_ptr<UCharsetDetector, CsdetCloser>;

// The ICU converter name for a canonical label.
std::string icu_name(std::string_view canonical) {
  if (canonical == "big5") return "Big5-HKSCS";
  if (canonical == "gb18030") return "GB18030";
  return std::string(canonical);
}

std::string trim_label(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '"' || s[b] == '\'' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '"' || s[e - 1] == '\'' || s[e - 1] == ';' ||
                   s[e - 1] == '\t'))
    --e;
  return lower_ascii(s.substr(b, e - b));
}

// charset=... inside a Content-Type value (HTTP header or http-equiv content).
std::string charset_param(std::string_view content_type) {
  const std::string lower = lower_ascii(content_type);
  const size_t p = lower.find("charset");
  if (p == std::string::npos) return {};
  size_t i = p + 7;
  while (i < lower.size() && lower[i] == ' ') ++i;
  if (i >= lower.size() || lower[i] != '=') return {};
  ++i;
  size_t e = i;
  while (e < lower.size() && lower[e] != ';' && lower[e] != ',' && lower[e] != '>' &&
         lower[e] != '/')
    ++e;
  return trim_label(lower.substr(i, e - i));
}

// The HTML "prescan": <meta charset=X> or <meta http-equiv content="...charset=X">. A cheap
// scan of the first 16 KiB (the spec says 1024 bytes; real portals put scripts first).
std::string meta_charset(std::string_view bytes) {
  const std::string head = lower_ascii(bytes.substr(0, 16384));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const size_t end = head.find('>', pos);
    if (end == std::string::npos) break;
    std::string_view tag(head.data() + pos, end - pos);
    pos = end;
    const size_t c = tag.find("charset");
    if (c == std::string_view::npos) continue;
    size_t i = c + 7;
    while (i < tag.size() && tag[i] == ' ') ++i;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && (tag[i] == ' ' || tag[i] == '"' || tag[i] == '\'')) ++i;
      size_t e = i;
      while (e < tag.size() && tag[e] != '"' && tag[e] != '\'' && tag[e] != ' ' && tag[e] != ';' &&
             tag[e] != '/')
        ++e;
      std::string label = trim_label(tag.substr(i, e - i));
      if (!label.empty()) return label;
    }
  }
  return {};
}

bool has_non_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

std::string convert(std::string_view bytes, const std::string& canonical) {
  if (canonical == "utf-8" && valid_utf8(bytes)) return std::string(bytes);
  UErrorCode status = U_ZERO_ERROR;
  icu::LocalUConverterPointer from(ucnv_open(icu_name(canonical).c_str(), &status));
  if (U_FAILURE(status)) {
    status = U_ZERO_ERROR;
    from.adoptInstead(ucnv_open("UTF-8", &status));
    if (U_FAILURE(status)) return {};
  }
  icu::LocalUConverterPointer to(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) return {};
  std::string out;
  out.resize(bytes.size() * 3 + 16);
  char* target = out.data();
  const char* source = bytes.data();
  // ucnv_convertEx with a pivot buffer: one pass, substitution characters for bad bytes.
  UChar pivot[1024];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  ucnv_convertEx(to.getAlias(), from.getAlias(), &target, out.data() + out.size(), &source,
                 bytes.data() + bytes.size(), pivot, &pivot_source, &pivot_target, pivot + 1024,
                 true, true, &status);
  out.resize(static_cast<size_t>(target - out.data()));
  if (U_FAILURE(status)) return {};
  return out;
}

std::string detect(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  DetectorPtr det(ucsdet_open(&status));
  if (U_FAILURE(status)) return "utf-8";
  const auto len = static_cast<int32_t>(std::min<size_t>(bytes.size(), 65536));
  ucsdet_enableInputFilter(det.get(), true);  // ignore markup
  ucsdet_setText(det.get(), bytes.data(), len, &status);
  const UCharsetMatch* m = ucsdet_detect(det.get(), &status);
  if (U_FAILURE(status) || m == nullptr) return "utf-8";
  const char* name = ucsdet_getName(m, &status);
  if (U_FAILURE(status) || name == nullptr) return "utf-8";
  std::string c = canonical_charset(name);
  return c.empty() ? "utf-8" : c;
}

// Non-ASCII units of a page read as UTF-8: well-formed multi-byte characters and invalid bytes.
struct Utf8Census {
  size_t multi = 0;
  size_t bad = 0;
};

// A page declared UTF-8 stays UTF-8 — decoded per character, every invalid byte a U+FFFD —
// unless more than this share (per mille) of its non-ASCII units are invalid bytes: then it is
// another encoding with a wrong label (GBK read as UTF-8 is mostly invalid bytes: its lead bytes
// 0x81-0xFE seldom start a well-formed sequence). 500: half. A UTF-8 page damaged in a few places
// is far below it, however little non-ASCII text it has.
constexpr size_t kMaxInvalidUtf8PerMille = 500;

Utf8Census utf8_census(std::string_view s) {
  Utf8Census c;
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t before = i;
    const char32_t cp = decode_utf8(s, i);
    if (cp == 0xFFFD && i - before == 1)
      ++c.bad;
    else
      ++c.multi;
  }
  return c;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII runs eight bytes at a time: most of an HTML page is markup.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + len > n) return false;
    char32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = p[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string canonical_charset(std::string_view label_in) {
  const std::string label = trim_label(label_in);
  if (label.empty()) return {};
  if (label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8") return "utf-8";
  if (label == "gb2312" || label == "gbk" || label == "x-gbk" || label == "gb18030" ||
      label == "gb_2312-80" || label == "cp936" || label == "ms936" || label == "windows-936" ||
      label == "euc-cn" || label == "chinese" || label == "csgb2312" || label == "iso-ir-58" ||
      label == "gb_2312" || label == "x-euc-cn")
    return "gb18030";
  if (label == "big5" || label == "big5-hkscs" || label == "cn-big5" || label == "x-x-big5" ||
      label == "csbig5" || label == "big-5")
    return "big5";
  if (label == "iso-8859-1" || label == "latin1" || label == "us-ascii" || label == "ascii" ||
      label == "iso8859-1" || label == "l1" || label == "cp1252" || label == "windows-1252" ||
      label == "iso_8859-1")
    return "windows-1252";
  if (label == "utf-16" || label == "utf-16le") return "utf-16le";
  if (label == "utf-16be") return "utf-16be";
  if (label == "shift_jis" || label == "sjis" || label == "x-sjis" || label == "ms_kanji")
    return "shift_jis";
  // Anything else ICU knows, by its canonical lower-case name.
  UErrorCode status = U_ZERO_ERROR;
  const char* name = ucnv_getCanonicalName(label.c_str(), "WINDOWS", &status);
  if (U_FAILURE(status) || name == nullptr) {
    status = U_ZERO_ERROR;
    name = ucnv_getCanonicalName(label.c_str(), "IANA", &status);
  }
  if (U_FAILURE(status) || name == nullptr) {
    status = U_ZERO_ERROR;
    icu::LocalUConverterPointer probe(ucnv_open(label.c_str(), &status));
    if (U_FAILURE(status)) return {};
    return label;
  }
  return lower_ascii(name);
}

Decoded decode(std::string_view bytes, std::string_view content_type, std::string_view forced) {
  Decoded d;
  auto finish = [&](std::string canonical, std::string reason, std::string_view body) {
    d.charset = std::move(canonical);
    d.reason = std::move(reason);
    d.utf8 = convert(body, d.charset);
    if (d.utf8.empty() && !body.empty()) {  // converter refused: fall back to lossy UTF-8
      d.charset = "utf-8";
      d.reason += ";fallback";
      d.utf8 = convert(body, "utf-8");
    }
    return d;
  };
  if (!forced.empty()) {
    std::string c = canonical_charset(forced);
    if (!c.empty()) return finish(c, "option", bytes);
  }
  if (bytes.starts_with("\xEF\xBB\xBF")) return finish("utf-8", "bom", bytes.substr(3));
  if (bytes.starts_with("\xFF\xFE")) return finish("utf-16le", "bom", bytes.substr(2));
  if (bytes.starts_with("\xFE\xFF")) return finish("utf-16be", "bom", bytes.substr(2));

  std::string declared, source;
  if (!content_type.empty()) {
    declared = canonical_charset(charset_param(content_type));
    if (!declared.empty()) source = "http";
  }
  if (declared.empty()) {
    declared = canonical_charset(meta_charset(bytes));
    if (!declared.empty()) source = "meta";
  }
  const bool non_ascii = has_non_ascii(bytes);
  if (!declared.empty()) {
    if (!non_ascii) return finish(declared, source, bytes);
    if (declared == "utf-8") {
      if (valid_utf8(bytes)) return finish("utf-8", source, bytes);
      // A few stray bytes (a truncated last character, one bad byte) do not make a page GBK:
      // decoded per character, and the provenance says how many bytes were replaced.
      const Utf8Census c = utf8_census(bytes);
      if (c.bad * 1000 <= (c.bad + c.multi) * kMaxInvalidUtf8PerMille)
        return finish("utf-8", source + ";invalid-bytes:" + std::to_string(c.bad), bytes);
      std::string guess = detect(bytes);
      return finish(guess, source + "-contradicted:utf-8;detected", bytes);
    }
    if (declared != "utf-16le" && declared != "utf-16be" && valid_utf8(bytes))
      return finish("utf-8", source + "-contradicted:" + declared, bytes);
    return finish(declared, source, bytes);
  }
  if (!non_ascii || valid_utf8(bytes)) return finish("utf-8", "default", bytes);
  return finish(detect(bytes), "detected", bytes);
}

}  // namespace nh::extract
