#include "crawler/robots.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "crawler/urls.h"

namespace nh::crawler {
namespace {

enum class Key { unknown, user_agent, allow, disallow, crawl_delay, sitemap };

// Key spellings accepted. RFC 9309 §2.2.1 asks parsers to be liberal; the misspellings are the
// ones google/robotstxt accepts because they occur in real files ("Dissallow", "User agent").
struct KeySpelling {
  std::string_view text;
  Key key;
};
constexpr std::array<KeySpelling, 16> kKeys = {{
    {"user-agent", Key::user_agent},
    {"useragent", Key::user_agent},
    {"user agent", Key::user_agent},
    {"allow", Key::allow},
    {"disallow", Key::disallow},
    {"dissallow", Key::disallow},
    {"dissalow", Key::disallow},
    {"disalow", Key::disallow},
    {"diasllow", Key::disallow},
    {"disallaw", Key::disallow},
    {"crawl-delay", Key::crawl_delay},
    {"crawldelay", Key::crawl_delay},
    {"crawl_delay", Key::crawl_delay},
    {"sitemap", Key::sitemap},
    {"site-map", Key::sitemap},
    {"site map", Key::sitemap},
}};

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Key classify(std::string_view raw_key) {
  std::string k = lower(trim(raw_key));
  for (const KeySpelling& s : kKeys) {
    if (k == s.text) return s.key;
  }
  return Key::unknown;
}

// Splits "key: value" (or, as google/robotstxt allows, "key value" when there is no colon).
bool split_line(std::string_view line, Key& key, std::string_view& value) {
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    key = classify(line.substr(0, colon));
    value = trim(line.substr(colon + 1));
    return key != Key::unknown;
  }
  auto ws = line.find_first_of(" \t");
  if (ws == std::string_view::npos) return false;
  key = classify(line.substr(0, ws));
  value = trim(line.substr(ws + 1));
  // "user agent foo" has no colon and a space inside the key: not worth guessing.
  return key != Key::unknown && !value.empty();
}

// The product token a robots.txt user-agent line names: "*" or the leading [A-Za-z_-] run
// (RFC 9309 §2.2.1), lower-cased. "Googlebot/2.1" names "googlebot".
std::string agent_token(std::string_view value) {
  if (value.starts_with('*')) return "*";
  std::size_t n = 0;
  while (n < value.size() &&
         ((value[n] >= 'a' && value[n] <= 'z') || (value[n] >= 'A' && value[n] <= 'Z') ||
          value[n] == '_' || value[n] == '-')) {
    ++n;
  }
  return lower(value.substr(0, n));
}

std::optional<double> parse_delay(std::string_view value) {
  double d = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
  if (ec != std::errc() || ptr == value.data()) return std::nullopt;
  if (!std::isfinite(d) || d < 0) return std::nullopt;
  return d;
}

// Pattern match anchored at the start of `path`: '*' is any run, a final '$' anchors the end.
// Tracks the set of path offsets reachable after each pattern octet (the approach of
// google/robotstxt's Matches()): O(|path| * |pattern|), no backtracking blow-up.
bool matches(std::string_view path, std::string_view pattern) {
  std::vector<std::size_t> pos{0};
  std::vector<std::size_t> next;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '$' && i + 1 == pattern.size()) return pos.back() == path.size();
    next.clear();
    if (c == '*') {
      for (std::size_t p = pos.front(); p <= path.size(); ++p) next.push_back(p);
    } else {
      for (std::size_t p : pos) {
        if (p < path.size() && path[p] == c) next.push_back(p + 1);
      }
      if (next.empty()) return false;
    }
    pos.swap(next);
  }
  return true;
}

// Path and query of whatever the caller passed (a path, or a full URL), fragment dropped,
// percent-encoding normalised like the patterns.
std::string match_path(std::string_view path) {
  if (auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
  std::string lowered = lower(path.substr(0, std::min<std::size_t>(path.size(), 8)));
  if (lowered.starts_with("http://") || lowered.starts_with("https://")) {
    auto slash = path.find('/', path.find("://") + 3);
    auto query = path.find('?', path.find("://") + 3);
    if (slash == std::string_view::npos || (query != std::string_view::npos && query < slash)) {
      path = query == std::string_view::npos ? std::string_view("/") : path.substr(query);
      if (path.starts_with('?')) return "/" + normalize_percent_encoding(path, true);
    } else {
      path = path.substr(slash);
    }
  }
  if (path.empty()) return "/";
  return normalize_percent_encoding(path, true);
}

}  // namespace

Robots Robots::disallow_all() {
  Robots r;
  r.disallow_all_ = true;
  return r;
}

Robots Robots::from_fetch(const RobotsFetch& fetch) {
  if (!fetch.reachable || fetch.status <= 0) return disallow_all();
  if (fetch.status >= 200 && fetch.status < 300) return parse(fetch.body);
  if (fetch.status == 429) return disallow_all();
  // §2.3.1.2: a redirect chain that did not end in a file means "unavailable", like a 4xx.
  if (fetch.status >= 300 && fetch.status < 500) return allow_all();
  return disallow_all();  // 5xx and anything stranger: §2.3.1.4 "unreachable"
}

std::string Robots::product_token(std::string_view user_agent) {
  user_agent = trim(user_agent);
  auto end = user_agent.find_first_of("/ ;(\t");
  return lower(user_agent.substr(0, end));
}

Robots Robots::parse(std::string_view body) {
  Robots r;
  if (body.size() > kMaxRobotsBytes) body = body.substr(0, kMaxRobotsBytes);
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);

  bool in_agent_lines = false;  // the previous record was a user-agent line
  while (!body.empty()) {
    auto eol = body.find_first_of("\r\n");
    std::string_view line = body.substr(0, eol);
    if (eol == std::string_view::npos) {
      body = {};
    } else {
      body.remove_prefix(
          eol + ((body[eol] == '\r' && eol + 1 < body.size() && body[eol + 1] == '\n') ? 2 : 1));
    }
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    Key key = Key::unknown;
    std::string_view value;
    if (line.empty() || !split_line(line, key, value)) continue;

    switch (key) {
      case Key::user_agent:
        if (!in_agent_lines) r.groups_.emplace_back();
        r.groups_.back().agents.push_back(agent_token(value));
        in_agent_lines = true;
        break;
      case Key::allow:
      case Key::disallow:
        in_agent_lines = false;
        if (r.groups_.empty()) break;  // rules before any user-agent line belong to no group
        // An empty pattern matches nothing (§2.2.2: "Disallow:" allows everything).
        if (!value.empty()) {
          r.groups_.back().rules.push_back(
              {key == Key::allow, normalize_percent_encoding(value, true)});
        }
        break;
      case Key::crawl_delay:
        in_agent_lines = false;
        if (r.groups_.empty()) break;
        if (auto d = parse_delay(value)) {
          auto& cd = r.groups_.back().crawl_delay;
          cd = cd ? std::max(*cd, *d) : *d;
        }
        break;
      case Key::sitemap:
        // Not a group member: does not end a run of user-agent lines (google/robotstxt agrees).
        if (!value.empty()) r.sitemaps_.emplace_back(value);
        break;
      case Key::unknown:
        break;
    }
  }
  return r;
}

std::vector<const Robots::Group*> Robots::select(std::string_view user_agent) const {
  std::string token = product_token(user_agent);
  std::vector<const Group*> named;
  std::vector<const Group*> star;
  for (const Group& g : groups_) {
    bool is_named = false;
    bool is_star = false;
    for (const std::string& a : g.agents) {
      if (a == "*") is_star = true;
      if (!token.empty() && a == token) is_named = true;
    }
    if (is_named) named.push_back(&g);
    if (is_star) star.push_back(&g);
  }
  return named.empty() ? star : named;
}

bool Robots::allowed(std::string_view user_agent, std::string_view path) const {
  std::string p = match_path(path);
  if (p == "/robots.txt") return true;
  if (disallow_all_) return false;

  long best = -1;
  bool best_allow = true;
  for (const Group* g : select(user_agent)) {
    for (const Rule& rule : g->rules) {
      auto len = static_cast<long>(rule.pattern.size());
      if (len < best || (len == best && !rule.allow)) continue;
      if (!matches(p, rule.pattern)) continue;
      best_allow = (len == best) ? (best_allow || rule.allow) : rule.allow;
      best = len;
    }
  }
  return best < 0 || best_allow;
}

std::optional<double> Robots::crawl_delay(std::string_view user_agent) const {
  std::optional<double> delay;
  for (const Group* g : select(user_agent)) {
    if (g->crawl_delay) delay = delay ? std::max(*delay, *g->crawl_delay) : *g->crawl_delay;
  }
  return delay;
}

}  // namespace nh::crawler
