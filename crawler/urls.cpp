#include "crawler/urls.h"

#include <curl/curl.h>
#include <idn2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace nh::crawler {
namespace {

// Tracking parameters: query parameters that only say how a reader arrived, never which page
// they get, so dropping them merges duplicate frontier entries. Where they come from:
//   - utm_* : Google Analytics campaign tags (any parameter with this prefix);
//   - fbclid, gclid, dclid, gbraid, wbraid, msclkid, yclid, igshid: ad-click ids of Facebook,
//     Google, Microsoft, Yandex and Instagram;
//   - mc_cid, mc_eid, _hsenc, _hsmi: Mailchimp and HubSpot e-mail campaign ids;
//   - spm, scm: Alibaba/UC "super position model" click tracking, common on Chinese portals;
//   - from, isappinstalled, share_token, share_from, share_source, sharer_*, wxfrom, tt_from:
//     what WeChat, Toutiao and news apps append when an article is shared
//     ("?from=singlemessage&isappinstalled=0").
//   - phpsessid: PHP's session id when cookies are off (the query twin of ";jsessionid=",
//     which strip_session_path_param removes from paths).
// Keep the list conservative: a parameter that selects content (id, page, p, docid...) must
// never be here.
constexpr std::array<std::string_view, 1> kTrackingPrefixes = {"utm_"};
constexpr std::array<std::string_view, 25> kTrackingParams = {"phpsessid",
                                                              "fbclid",
                                                              "gclid",
                                                              "dclid",
                                                              "gbraid",
                                                              "wbraid",
                                                              "msclkid",
                                                              "yclid",
                                                              "igshid",
                                                              "mc_cid",
                                                              "mc_eid",
                                                              "_hsenc",
                                                              "_hsmi",
                                                              "spm",
                                                              "scm",
                                                              "from",
                                                              "isappinstalled",
                                                              "share_token",
                                                              "share_from",
                                                              "share_source",
                                                              "sharer_shareid",
                                                              "sharer_sharetime",
                                                              "sharer_shareinfo",
                                                              "wxfrom",
                                                              "tt_from"};

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* p) const { curl_free(p); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
// Bytes that may not appear raw in a path or query (RFC 3986 §2 plus the characters WHATWG's
// path percent-encode set covers); everything else printable stays as written.
bool must_encode(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return true;
  switch (c) {
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
      return true;
    default:
      return false;
  }
}

void append_encoded(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

CurlString get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, flags) != CURLUE_OK) {
    curl_free(raw);
    return nullptr;
  }
  return CurlString(raw);
}

bool is_space_byte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Trims ASCII whitespace and the two Unicode spaces that Chinese CMSs leave around hrefs
// (U+00A0 NBSP, U+3000 ideographic space), both as UTF-8.
std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_space_byte(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else if (s.starts_with("\xC2\xA0")) {
      s.remove_prefix(2);
    } else if (s.starts_with("\xE3\x80\x80")) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && is_space_byte(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    } else if (s.ends_with("\xC2\xA0")) {
      s.remove_suffix(2);
    } else if (s.ends_with("\xE3\x80\x80")) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

// What curl_url is given: trimmed, tabs/newlines removed (WHATWG), fragment cut (curl 7.88
// rejects spaces in fragments and resolves "#x" against the base directory instead of the
// base document), backslashes before the query turned into slashes (browsers do; IIS-hosted
// portals write "..\\a.html"), and spaces/controls encoded so curl accepts them. Non-ASCII bytes
// stay raw because the host may be an IDN; the path and query are encoded after parsing.
std::string prepare(std::string_view href) {
  href = trim(href);
  if (auto hash = href.find('#'); hash != std::string_view::npos) href = href.substr(0, hash);
  std::string out;
  out.reserve(href.size());
  bool in_query = false;
  for (char ch : href) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '?') in_query = true;
    if (c == '\\' && !in_query) {
      out += '/';
    } else if (c <= 0x20 || c == 0x7f) {
      append_encoded(out, c);
    } else {
      out += ch;
    }
  }
  return out;
}

// The scheme of an absolute reference (RFC 3986 §3.1), lower-cased; "" for a relative one.
std::string scheme_of(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return {};
  for (std::size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') return lower(s.substr(0, i));
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.';
    if (!ok) return {};
  }
  return {};
}

bool is_tracking_key(std::string_view key) {
  std::string k = lower(key);
  for (auto prefix : kTrackingPrefixes) {
    if (k.starts_with(prefix)) return true;
  }
  return std::find(kTrackingParams.begin(), kTrackingParams.end(), k) != kTrackingParams.end();
}

// Java servlet containers (the TRS, Hanweb and Founder CMSs behind most government portals)
// append ";jsessionid=..." to links when cookies are off; it names a session, not a page.
void strip_session_path_param(std::string& path) {
  static constexpr std::string_view kParam = ";jsessionid=";
  std::string lowered = lower(path);
  for (auto at = lowered.find(kParam); at != std::string::npos; at = lowered.find(kParam)) {
    auto end = lowered.find_first_of("/;", at + 1);
    if (end == std::string::npos) end = lowered.size();
    path.erase(at, end - at);
    lowered.erase(at, end - at);
  }
}

// Rewrites the parsed URL in `u` into the canonical form described in urls.h.
UrlResult canonicalize(CURLU* u) {
  CurlString scheme = get_part(u, CURLUPART_SCHEME);
  if (!scheme) return {{}, UrlError::malformed};
  std::string sch = lower(scheme.get());
  if (sch != "http" && sch != "https") return {{}, UrlError::unsupported_scheme};

  CurlString host = get_part(u, CURLUPART_HOST);
  if (!host || host.get()[0] == '\0') return {{}, UrlError::no_host};
  std::string canonical_host = normalize_host(host.get());
  if (canonical_host.empty()) return {{}, UrlError::malformed};
  if (curl_url_set(u, CURLUPART_HOST, canonical_host.c_str(), 0) != CURLUE_OK) {
    return {{}, UrlError::malformed};
  }

  if (CurlString port = get_part(u, CURLUPART_PORT)) {
    std::string_view p = port.get();
    if ((sch == "http" && p == "80") || (sch == "https" && p == "443")) {
      curl_url_set(u, CURLUPART_PORT, nullptr, 0);
    }
  }

  CurlString path = get_part(u, CURLUPART_PATH);
  std::string new_path = path ? normalize_percent_encoding(path.get()) : std::string();
  strip_session_path_param(new_path);
  if (new_path.empty()) new_path = "/";
  if (curl_url_set(u, CURLUPART_PATH, new_path.c_str(), 0) != CURLUE_OK) {
    return {{}, UrlError::malformed};
  }

  std::string new_query;
  if (CurlString query = get_part(u, CURLUPART_QUERY)) {
    std::string_view q = query.get();
    while (!q.empty()) {
      auto amp = q.find('&');
      std::string_view param = q.substr(0, amp);
      q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
      if (param.empty()) continue;
      if (is_tracking_key(param.substr(0, param.find('=')))) continue;
      if (!new_query.empty()) new_query += '&';
      new_query += normalize_percent_encoding(param);
    }
  }
  curl_url_set(u, CURLUPART_QUERY, new_query.empty() ? nullptr : new_query.c_str(), 0);
  curl_url_set(u, CURLUPART_FRAGMENT, nullptr, 0);

  CurlString full = get_part(u, CURLUPART_URL);
  if (!full) return {{}, UrlError::malformed};
  // curl 7.88 lower-cases percent-encoding hex when it assembles the URL, so the path and
  // query are normalised once more on the assembled string; the authority never holds a '/'.
  std::string_view assembled = full.get();
  std::size_t authority = assembled.find("://");
  std::size_t path_start = authority == std::string_view::npos ? std::string_view::npos
                                                               : assembled.find('/', authority + 3);
  if (path_start == std::string_view::npos) return {{}, UrlError::malformed};
  return {std::string(assembled.substr(0, path_start)) +
              normalize_percent_encoding(assembled.substr(path_start)),
          UrlError::none};
}

UrlResult parse_into(CURLU* u, std::string_view text) {
  std::string prepared = prepare(text);
  if (prepared.empty()) return {{}, UrlError::empty};
  std::string sch = scheme_of(prepared);
  if (!sch.empty() && sch != "http" && sch != "https") return {{}, UrlError::unsupported_scheme};
  if (curl_url_set(u, CURLUPART_URL, prepared.c_str(), 0) != CURLUE_OK) {
    return {{}, UrlError::malformed};
  }
  return {{}, UrlError::none};
}

}  // namespace

std::string normalize_percent_encoding(std::string_view s, bool decode_dot) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
        auto v = static_cast<unsigned char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
        if (is_unreserved(v) && (v != '.' || decode_dot)) {
          out += static_cast<char>(v);
        } else {
          append_encoded(out, v);
        }
        i += 2;
      } else {
        out += "%25";
      }
    } else if (must_encode(c)) {
      append_encoded(out, c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool is_tracking_param(std::string_view key) { return is_tracking_key(key); }

std::string normalize_host(std::string_view host) {
  host = trim(host);
  while (host.ends_with('.')) host.remove_suffix(1);
  if (host.empty()) return {};
  if (host.front() == '[') {
    // IPv6 literal: brackets around hex digits, ':' and '.' (an embedded IPv4) only. curl has
    // validated what comes from a URL, but a host from a config file has not been (fuzz: url).
    const std::string h = lower(host);
    const bool ok =
        h.size() > 2 && h.back() == ']' && std::all_of(h.begin() + 1, h.end() - 1, [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
        });
    return ok ? h : std::string();
  }
  std::string h = lower(host);
  const auto ldh = [](const std::string& name) {
    return std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    });
  };
  bool ascii =
      std::all_of(h.begin(), h.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return ldh(h) ? h : std::string();
  // UTS #46 non-transitional mapping (what browsers do): lower-cases, NFC, then punycode.
  char* out = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(h.c_str()),
                          reinterpret_cast<uint8_t**>(&out), IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  std::string result = (rc == IDN2_OK && out != nullptr) ? std::string(out) : std::string();
  idn2_free(out);
  // idn2 maps what it is given; it does not reject ASCII that no host may hold ("a/b", control
  // characters, ','): the result must be letters, digits, '-', '.', '_' (fuzz: url).
  result = lower(result);
  return ldh(result) ? result : std::string();
}

namespace {
// The cap applies to the text given and to the canonical form (percent-encoding can triple it).
// A canonical URL is printable ASCII (non-ASCII percent-encoded, hosts in punycode): anything
// else got through a corner of curl's parser (a fuzz finding: a host written "%be" came back
// as a raw 0xBE byte) and is malformed.
UrlResult capped(UrlResult r) {
  if (!r.ok()) return r;
  if (r.url.size() > kMaxUrlBytes) return {{}, UrlError::too_long};
  for (unsigned char c : r.url)
    if (c <= 0x20 || c >= 0x7F) return {{}, UrlError::malformed};
  return r;
}
}  // namespace

UrlResult normalize_once(std::string_view url);

// Twice: removing session parameters can expose dot segments ("/a/.;jsessionid=x/b/../c" ->
// "/a/./b/../c") that only a fresh parse resolves (fuzz: url). After the second pass no session
// parameter is left, so the result is a fixed point.
UrlResult normalize(std::string_view url) {
  UrlResult r = normalize_once(url);
  if (!r) return r;
  return normalize_once(r.url);
}

UrlResult normalize_once(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return {{}, UrlError::too_long};
  UrlHandle u(curl_url());
  if (!u) return {{}, UrlError::malformed};
  std::string prepared = prepare(url);
  if (prepared.empty()) return {{}, UrlError::empty};
  std::string sch = scheme_of(prepared);
  if (sch.empty()) return {{}, UrlError::malformed};  // relative: needs resolve()
  if (UrlResult r = parse_into(u.get(), url); !r.ok()) return r;
  return capped(canonicalize(u.get()));
}

UrlResult resolve(std::string_view base, std::string_view href) {
  UrlResult canonical_base = normalize(base);
  if (!canonical_base.ok()) return canonical_base;
  if (href.size() > kMaxUrlBytes) return {{}, UrlError::too_long};
  std::string prepared = prepare(href);
  // Empty and fragment-only references are the base document itself (RFC 3986 §5.2.2);
  // curl 7.88 would return the base's directory instead.
  if (prepared.empty()) {
    return trim(href).empty() ? UrlResult{{}, UrlError::empty} : canonical_base;
  }
  UrlHandle u(curl_url());
  if (!u) return {{}, UrlError::malformed};
  if (curl_url_set(u.get(), CURLUPART_URL, canonical_base.url.c_str(), 0) != CURLUE_OK) {
    return {{}, UrlError::malformed};
  }
  if (UrlResult r = parse_into(u.get(), href); !r.ok()) return r;
  UrlResult r = capped(canonicalize(u.get()));
  // curl's reference resolution can leave what a fresh parse removes ("…//./x" keeps its "./"
  // there, a parse of the result drops it: fuzz: url); one more normalize() makes the result
  // canonical, a fixed point of normalize() like every URL the crawler keys on.
  return r ? normalize(r.url) : r;
}

UrlResult effective_base(std::string_view final_url, std::string_view base_href) {
  if (!trim(base_href).empty()) {
    UrlResult r = resolve(final_url, base_href);
    if (r.ok()) return r;
  }
  return normalize(final_url);
}

std::string host_of(std::string_view url) {
  UrlResult r = normalize(url);
  if (!r.ok()) return {};
  UrlHandle u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, r.url.c_str(), 0) != CURLUE_OK) return {};
  CurlString host = get_part(u.get(), CURLUPART_HOST);
  return host ? std::string(host.get()) : std::string();
}

std::string scope_entry(std::string_view entry) {
  entry = trim(entry);
  std::string_view prefix;
  if (entry.starts_with("*.")) {
    prefix = "*.";
  } else if (entry.starts_with('.')) {
    prefix = ".";
  }
  const std::string h = normalize_host(entry.substr(prefix.size()));
  return h.empty() ? std::string() : std::string(prefix) + h;
}

bool host_matches(std::string_view entry, std::string_view host) {
  if (entry.starts_with("*.")) {
    const std::string_view suffix = entry.substr(1);  // ".example.gov.cn"
    return host.size() > suffix.size() && host.ends_with(suffix);
  }
  if (entry.starts_with('.')) {
    const std::string_view apex = entry.substr(1);
    return host == apex || (host.size() > entry.size() && host.ends_with(entry));
  }
  return host == entry;
}

HostScope::HostScope(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    std::string e = scope_entry(entry);
    if (e.empty()) continue;
    (e.front() == '.' || e.front() == '*' ? wildcards_ : exact_).push_back(std::move(e));
  }
  std::sort(exact_.begin(), exact_.end());
}

bool HostScope::contains_host(std::string_view host) const {
  if (std::binary_search(exact_.begin(), exact_.end(), host)) return true;
  for (const std::string& w : wildcards_)
    if (host_matches(w, host)) return true;
  return false;
}

bool HostScope::contains_url(std::string_view url) const {
  std::string h = host_of(url);
  return !h.empty() && contains_host(h);
}

int port_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return 0;
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  auto bracket = authority.rfind(']');
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    int port = 0;
    std::string_view digits = authority.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec == std::errc() && ptr == digits.data() + digits.size()) return port;
    return 0;
  }
  return url.starts_with("https") ? 443 : 80;
}

UrlParts parse_url(std::string_view text, std::string_view base) {
  UrlParts p;
  if (trim(text).empty()) {
    p.error = "empty URL";
    return p;
  }
  UrlHandle u(curl_url());
  if (!u) {
    p.error = "out of memory";
    return p;
  }
  if (!base.empty()) curl_url_set(u.get(), CURLUPART_URL, std::string(base).c_str(), 0);
  // CURLU_NON_SUPPORT_SCHEME: any scheme parses, so a caller can say which it wants.
  const CURLUcode rc =
      curl_url_set(u.get(), CURLUPART_URL, std::string(text).c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    p.error = std::string("not a valid absolute URL (") + curl_url_strerror(rc) + ")";
    return p;
  }
  CurlString host = get_part(u.get(), CURLUPART_HOST);
  if (!host || !*host) {
    p.error = "URL has no host";
    return p;
  }
  p.host = lower(host.get());
  // curl keeps the host's case; one spelling (lower case) makes URLs comparable as strings.
  curl_url_set(u.get(), CURLUPART_HOST, p.host.c_str(), 0);
  if (CurlString v = get_part(u.get(), CURLUPART_SCHEME)) p.scheme = lower(v.get());
  if (CurlString v = get_part(u.get(), CURLUPART_PATH)) p.path = v.get();
  if (CurlString v = get_part(u.get(), CURLUPART_QUERY)) p.query = v.get();
  if (CurlString v = get_part(u.get(), CURLUPART_URL))
    p.url = v.get();
  else
    p.error = "cannot write the URL back";
  return p;
}

struct PageResolver::Impl {
  UrlHandle base;
  bool ok = true;
  mutable std::unordered_map<std::string, std::string> cache;

  void set_base(std::string_view url) {
    base.reset(curl_url());
    ok = base && !url.empty() &&
         curl_url_set(base.get(), CURLUPART_URL, std::string(url).c_str(), 0) == CURLUE_OK;
  }
  std::string resolve_uncached(std::string_view href) const {
    if (href.empty() || href.front() == '#') return {};
    const std::string lower_start = lower(href.substr(0, 11));
    for (std::string_view no : {"javascript:", "mailto:", "tel:", "data:"})
      if (lower_start.starts_with(no)) return {};
    UrlHandle u(ok ? curl_url_dup(base.get()) : curl_url());
    if (!u) return {};
    if (curl_url_set(u.get(), CURLUPART_URL, std::string(href).c_str(),
                     CURLU_URLENCODE | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
      return {};
    CurlString out = get_part(u.get(), CURLUPART_URL);
    if (!out) return {};
    std::string r(out.get());
    // Only http(s): checked on the result instead of a second curl_url_get.
    const std::string head = lower(std::string_view(r).substr(0, 8));
    if (!(head == "https://" || head.starts_with("http://")) || r.size() <= 7) return {};
    return r;
  }
};

PageResolver::PageResolver(std::string_view page_url, std::string_view base_href)
    : impl_(std::make_unique<Impl>()) {
  impl_->set_base(page_url);
  if (!base_href.empty()) {
    const std::string b = resolve(base_href);
    if (!b.empty()) {
      impl_->set_base(b);
      impl_->cache.clear();  // resolved against the page, not the new base
    }
  }
}

PageResolver::~PageResolver() = default;

std::string PageResolver::resolve(std::string_view href) const {
  // Pages repeat their links (menus, "more" links, the same story twice): resolve each once.
  const std::string key(href);
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) return it->second;
  std::string r = impl_->resolve_uncached(href);
  impl_->cache.emplace(key, r);
  return r;
}

}  // namespace nh::crawler
