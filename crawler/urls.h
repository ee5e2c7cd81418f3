// The URL model of every layer (newsharvest::urls, its own library: extract, config and the
// crawler link it), built on libcurl's URL API (curl_url): no other file calls curl_url.
//
// Contract: every URL the crawler stores, compares or schedules goes through normalize() or
// resolve(), so two spellings of one page become one string (the frontier and the articles
// table key on it). Only http and https URLs with a host are accepted; anything else
// (javascript:, mailto:, tel:, data:, ftp:, garbage) is a UrlError value, never an exception.
//
// The canonical form:
//   - scheme and host lower-case; a trailing dot on the host removed; IDN hosts in punycode
//     (UTS #46 non-transitional via libidn2). curl 7.88 has CURLU_PUNYCODE, but its
//     curl_url_get fails with CURLUE_OUT_OF_MEMORY for every non-ASCII host (curl/curl#10984,
//     fixed in 8.1), so the conversion is done here;
//   - the scheme's default port dropped (http:80, https:443); empty path becomes "/";
//   - dot segments resolved ("/a/./b/../c" -> "/a/c"); backslashes before the query become "/"
//     as browsers do;
//   - fragment dropped;
//   - path and query percent-encoding normalised (RFC 3986 §6.2.2): hex digits upper-case,
//     encoded unreserved characters decoded (%7E -> ~, %41 -> A; except %2E, which would
//     reintroduce dot segments), raw non-ASCII bytes (Chinese paths are UTF-8 after extraction)
//     and spaces/controls percent-encoded as %XX. Reserved characters keep their encoding
//     (%2F stays %2F), so the server sees the same resource;
//   - session ids removed: ";jsessionid=..." path parameters and the phpsessid query parameter;
//   - tracking parameters removed (see kTrackingParams in urls.cpp), other query parameters kept
//     in their order, empty parameters ("&&") dropped, an empty query removed;
//   - user info kept as given (rare on portals, and dropping it could change the resource).
//
// normalize() is idempotent: normalize(normalize(x).url) == normalize(x).
// All functions are thread-safe (each call owns its CURLU handle) and keep no state.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nh::crawler {

// Longest URL the crawler accepts, in bytes, of the text given and of the canonical form.
// 8 KiB: the request-line limit of common servers (Apache LimitRequestLine and nginx
// large_client_header_buffers default to 8 KiB), so a longer URL could not be fetched anyway;
// it also bounds every per-URL cost (pattern matching, the frontier key, the lock of a page).
inline constexpr std::size_t kMaxUrlBytes = 8 * 1024;

enum class UrlError {
  none,
  empty,               // nothing left after trimming
  unsupported_scheme,  // javascript:, mailto:, tel:, data:, ftp:, ...
  no_host,             // http:///path
  malformed,           // curl_url rejected it, bad port, bad IDN host
  too_long,            // longer than kMaxUrlBytes (as given or once canonical)
};

// The outcome of normalize()/resolve(): a canonical URL or why there is none.
struct [[nodiscard]] UrlResult {
  std::string url;  // canonical URL; empty unless ok()
  UrlError error = UrlError::none;

  bool ok() const { return error == UrlError::none; }
  explicit operator bool() const { return ok(); }
};

// Canonical form of an absolute http(s) URL. Leading/trailing whitespace is trimmed; tabs and
// newlines inside are removed (WHATWG URL does the same); inner spaces are encoded as %20
// before curl sees them (CURLU_URLENCODE would write '+' in the query, which a server may
// read as a literal plus).
UrlResult normalize(std::string_view url);

// Resolves `href` (as found in an <a href>, possibly relative, possibly absolute) against
// `base` (an absolute URL: use effective_base()) and returns its canonical form. An empty
// href or a fragment-only href ("#top") is the base itself.
UrlResult resolve(std::string_view base, std::string_view href);

// The base for relative links on a page (HTML §4.2.3): the page's <base href> resolved against
// the final URL after redirects when present and valid, otherwise the final URL. Returns an
// error only when final_url itself is not an http(s) URL.
UrlResult effective_base(std::string_view final_url, std::string_view base_href);

// Canonical host of an absolute URL (lower-case, punycode, no port), or "" when the URL is not
// a valid http(s) URL.
std::string host_of(std::string_view url);

// Port of a canonical URL (normalize() drops the scheme's default port, so "no port" means 80
// for http and 443 for https); 0 when the URL has no authority.
int port_of(std::string_view url);

// Canonical form of a bare host name as written in a config file ("WWW.Example.COM.",
// "例子.中国"); "" when it is not a valid host.
std::string normalize_host(std::string_view host);

// Percent-encoding normalisation of a path or query (see the header comment): upper-case hex,
// decoded unreserved characters except '.', encoded non-ASCII/space/control bytes, and a stray
// '%' not followed by two hex digits encoded as %25. Shared with robots.txt matching, which
// needs the same comparison rule (RFC 9309 §2.2.2).
std::string normalize_percent_encoding(std::string_view s, bool decode_dot = false);

// True when `key` (a query parameter name, compared case-insensitively) is a tracking
// parameter that normalize() removes.
bool is_tracking_param(std::string_view key);

// An absolute URL's parts as libcurl reads them (any scheme: the caller decides which it
// accepts), or why it has none. `text` may be relative to `base` when a base is given.
struct UrlParts {
  std::string url;     // the whole URL as curl writes it back, host lower-case
  std::string scheme;  // lower-case
  std::string host;    // lower-case, as written (not punycode)
  std::string path;
  std::string query;  // without '?'
  // "empty URL", "not a valid absolute URL (<curl's message>)", "URL has no host"; "" = ok.
  std::string error;
  bool ok() const { return error.empty(); }
};
UrlParts parse_url(std::string_view text, std::string_view base = {});

// The links of one page, resolved as a browser would: against the page's URL, or against its
// <base href> (itself resolved against the page) when that is a valid URL. resolve(href) is the
// absolute http(s) URL as written (percent-encoded where needed; not normalised: normalize()
// does that), or "" for an empty or fragment-only href, javascript:, mailto:, tel:, data: and
// anything that is not http(s). Repeated hrefs are resolved once. Not thread-safe (one page).
class PageResolver {
 public:
  PageResolver(std::string_view page_url, std::string_view base_href = {});
  ~PageResolver();
  PageResolver(const PageResolver&) = delete;
  PageResolver& operator=(const PageResolver&) = delete;
  std::string resolve(std::string_view href) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The host-scope rule (one for profiles and crawls): an entry "example.gov.cn" is that host
// only; "*.example.gov.cn" its subdomains but not the apex (usually another site, to be listed
// on its own); ".example.gov.cn" the apex and its subdomains. scope_entry() is an entry's
// canonical form (the host part through normalize_host(); "" when invalid), and
// host_matches(entry, host) compares a canonical entry with a canonical host (host_of()).
std::string scope_entry(std::string_view entry);
bool host_matches(std::string_view entry, std::string_view host);

// Scope check: which hosts a crawl may visit, by the rule above. Entries are made canonical on
// construction (invalid entries are dropped).
class HostScope {
 public:
  HostScope() = default;
  explicit HostScope(const std::vector<std::string>& entries);

  bool contains_host(std::string_view canonical_host) const;
  // host_of(url) in scope; false for invalid URLs.
  bool contains_url(std::string_view url) const;
  bool empty() const { return exact_.empty() && wildcards_.empty(); }

 private:
  std::vector<std::string> exact_;      // sorted canonical hosts
  std::vector<std::string> wildcards_;  // canonical "*.x" and ".x" entries
};

}  // namespace nh::crawler
