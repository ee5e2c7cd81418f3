// robots.txt (RFC 9309) parser and matcher, plus the non-standard Crawl-delay and the Sitemap
// lines.
//
// Contract:
//   - Robots::parse() is total: it accepts any bytes (BOM, CR/LF/CRLF, NUL, binary, missing
//     colons, unknown keys) and never throws; lines it does not understand are ignored. Only
//     the first kMaxRobotsBytes are parsed (RFC 9309 §2.5 asks for at least 500 KiB).
//   - Groups: one or more consecutive `user-agent` lines followed by rules. Rules before the
//     first user-agent line are ignored. Every group naming the crawler's product token
//     (case-insensitive) is merged into one rule set; when none does, the `*` groups are merged;
//     when there is neither, everything is allowed (§2.2.1).
//   - Matching (§2.2.2): the longest matching pattern (in octets) wins; a tie between Allow and
//     Disallow goes to Allow; `*` matches any run of characters, `$` at the end anchors it.
//     Pattern and path are compared after the same percent-encoding normalisation as urls.h
//     (non-ASCII encoded, hex upper-case, unreserved characters decoded), so "/ツ",
//     "/%E3%83%84" and "/%e3%83%84" are one path. An empty Disallow allows everything.
//     "/robots.txt" is always allowed (§2.2.2).
//   - Fetch outcomes (§2.3.1): 2xx → parse the body; 4xx (incl. 404) → allow all; 5xx, 429 or
//     unreachable → disallow all. 429 counts as "unreachable" by policy (it asks us to back off,
//     as Google does), not as "unavailable".
//   - Crawl-delay is not in RFC 9309: seconds, fractional allowed, per group; when merged groups
//     give several values the largest is kept (the polite reading). Negative, NaN or infinite
//     values are ignored.
//   - Sitemap lines (§2.2.4 "other records") are collected in order from anywhere in the file,
//     independent of groups, exactly as written (trimmed).
//
// A Robots value is immutable after construction and safe to share between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nh::crawler {

inline constexpr std::size_t kMaxRobotsBytes = 512 * 1024;

// What fetching /robots.txt produced, as the fetcher reports it.
struct RobotsFetch {
  bool reachable = true;  // false: DNS/connect/timeout/reset — no HTTP status at all
  long status = 0;        // final HTTP status after redirects
  std::string_view body;  // only read for 2xx
};

class Robots {
 public:
  struct Rule {
    bool allow = false;
    std::string pattern;  // normalised, starts with '/' or '*'
  };
  struct Group {
    std::vector<std::string> agents;  // product tokens as written, lower-cased; "*" for all
    std::vector<Rule> rules;
    std::optional<double> crawl_delay;
  };

  // Allows everything (no robots.txt or a 4xx).
  Robots() = default;

  static Robots parse(std::string_view body);
  static Robots allow_all() { return Robots(); }
  static Robots disallow_all();
  // RFC 9309 §2.3.1 semantics for a fetch outcome.
  static Robots from_fetch(const RobotsFetch& fetch);

  // The product token of a full User-Agent header: "newsharvest/0.1 (+http://...)" →
  // "newsharvest". Lower-cased.
  static std::string product_token(std::string_view user_agent);

  // May `user_agent` (a product token or a full User-Agent header) fetch `path`? `path` is the
  // path and query of the URL ("/a/b?c=1"); a full http(s) URL is accepted too and reduced to
  // its path and query. An empty path means "/".
  bool allowed(std::string_view user_agent, std::string_view path) const;

  // Crawl-delay in seconds for `user_agent` (same group selection as allowed()).
  std::optional<double> crawl_delay(std::string_view user_agent) const;

  const std::vector<std::string>& sitemaps() const { return sitemaps_; }
  const std::vector<Group>& groups() const { return groups_; }

 private:
  // The groups that apply to a product token (see header comment).
  std::vector<const Group*> select(std::string_view user_agent) const;

  std::vector<Group> groups_;
  std::vector<std::string> sitemaps_;
  bool disallow_all_ = false;
};

}  // namespace nh::crawler
