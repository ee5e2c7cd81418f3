// Site profile parsing and validation.
//
// Why a hand-written checker instead of mapping TOML straight onto the struct: the user of a
// profile needs to be told *where* every mistake is (file:line:column and the dotted key), and
// all of them at once, so that one edit-check cycle fixes a whole file. So the Checker below
// never stops at the first problem: each getter records an Issue and returns nullopt, the caller
// keeps the default, and at the end one ConfigError carries the sorted list.
#include "config/config.h"

#include "crawler/urls.h"

#include <re2/re2.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <utility>
#include <variant>

#ifndef NH_SITES_DIR
#define NH_SITES_DIR ""
#endif

namespace nh::config {

// ---------------------------------------------------------------------------------------------
// Issue, ConfigError, Pattern, Resolve, ConnectTo, Config helpers

std::string Issue::to_string() const {
  std::string out;
  if (!source.empty()) {
    out += source;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
  }
  if (!key.empty()) out += key + ": ";
  out += message;
  return out;
}

namespace {

std::string join_issues(const std::vector<Issue>& issues) {
  std::string out;
  for (const Issue& issue : issues) {
    if (!out.empty()) out += '\n';
    out += issue.to_string();
  }
  return out;
}

}  // namespace

ConfigError::ConfigError(std::vector<Issue> issues)
    : std::runtime_error(join_issues(issues)), issues_(std::move(issues)) {}

bool Pattern::matches(std::string_view url) const {
  return regex && RE2::PartialMatch(url, *regex);
}

std::string Resolve::curl_spec() const { return host + ':' + std::to_string(port) + ':' + address; }

std::string ConnectTo::curl_spec() const {
  auto port_text = [](int p) { return p > 0 ? std::to_string(p) : std::string(); };
  return host + ':' + port_text(port) + ':' + to_host + ':' + port_text(to_port);
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// The crawler's one host-scope rule (crawler/urls.h host_matches): "*.example.com" allows
// "a.example.com" and "b.a.example.com" but not "example.com".
bool Config::host_allowed(std::string_view host) const {
  const std::string h = crawler::normalize_host(host);
  if (h.empty()) return false;
  for (const std::string& entry : hosts)
    if (crawler::host_matches(entry, h)) return true;
  return false;
}

std::vector<std::string> Config::start_urls() const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& url) {
    if (seen.insert(url).second) out.push_back(url);
  };
  for (const auto& s : seeds) add(s);
  for (const auto& s : sections) add(s.url);
  return out;
}

const Section* Config::section_for(std::string_view url) const {
  for (const Section& s : sections)
    if (s.pattern && s.pattern->matches(url)) return &s;
  const Section* best = nullptr;
  std::size_t best_len = 0;
  for (const Section& s : sections) {
    if (url == s.url) return &s;
    // Directory of the list URL: up to the last '/' before any query.
    const std::string_view list(s.url);
    const std::size_t path_start = list.find('/', list.find("://") + 3);
    const std::size_t query = list.find('?');
    const std::size_t slash = list.substr(0, query).rfind('/');
    if (path_start == std::string_view::npos || slash <= path_start) continue;  // root: exact only
    const std::string_view dir = list.substr(0, slash + 1);
    if (url.starts_with(dir) && dir.size() > best_len) {
      best = &s;
      best_len = dir.size();
    }
  }
  return best;
}

namespace {

bool any_match(const std::vector<Pattern>& patterns, std::string_view url) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const Pattern& p) { return p.matches(url); });
}

}  // namespace

bool Config::is_list_url(std::string_view url) const { return any_match(list_patterns, url); }
bool Config::is_article_url(std::string_view url) const { return any_match(article_patterns, url); }
bool Config::is_excluded(std::string_view url) const { return any_match(exclude_patterns, url); }

// ---------------------------------------------------------------------------------------------
// Small validators shared by the profile checker and the command-line overrides.

namespace {

// Levenshtein distance; the key vocabularies are tiny, so the O(n*m) table is fine.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The closest candidate when it is close enough to be a plausible typo: at most 2 edits (1 for
// short words, where 2 edits turn anything into anything), or a prefix ("delay" → "delay_ms").
std::optional<std::string> suggest(std::string_view word,
                                   const std::vector<std::string_view>& candidates) {
  const std::string w = lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(w, lower(c));
    const std::size_t limit = c.size() <= 4 ? 1 : 2;
    if (d > limit) {
      if (w.size() >= 3 && (c.starts_with(w) || w.starts_with(c)))
        d = limit;  // a prefix: as good as a typo
      else
        continue;
    }
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}

struct UrlInfo {
  std::string url;   // normalised by libcurl
  std::string host;  // lower-case
  std::string error;
};

// Checks that `text` is an absolute http(s) URL with a host. When `base` is given, `text` may
// also be relative to it (used for sitemap/feed paths). The crawler's URL model
// (crawler/urls.h) does the parsing, so that the crawler and the profile agree on what a URL is.
UrlInfo check_url(std::string_view text, const std::string* base = nullptr) {
  UrlInfo info;
  const crawler::UrlParts p = crawler::parse_url(text, base ? std::string_view(*base) : "");
  if (!p.ok()) {
    info.error = p.error;
    return info;
  }
  if (p.scheme != "http" && p.scheme != "https") {
    info.error = "scheme must be http or https, got \"" + p.scheme + "\"";
    return info;
  }
  info.url = p.url;
  info.host = p.host;
  return info;
}

// A DNS name (or "*." + name): letters, digits, hyphens; no scheme, port or path. IP literals
// are accepted too since they are what test servers use.
bool valid_host(std::string_view host) {
  static const RE2 re(
      R"((\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?)");
  static const RE2 ipv6(R"(\[[0-9a-f:.]+\])");
  return host.size() <= 253 && (RE2::FullMatch(host, re) || RE2::FullMatch(host, ipv6));
}

std::optional<std::string> time_zone_error(const std::string& name) {
  // ICU rather than a syntactic Area/City check: the extractor formats dates with ICU, so the
  // zone must be one ICU knows (IANA names and their aliases, e.g. "PRC", "Etc/GMT-8").
  // createTimeZone never fails; an unknown ID yields a copy of the "Etc/Unknown" zone.
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
  if (tz && *tz != icu::TimeZone::getUnknown()) return std::nullopt;
  std::string msg = "unknown time zone \"" + name + "\"";
  // Offer the closest IANA ID; there are only ~600 of them.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> ids(icu::TimeZone::createEnumeration(status));
  std::vector<std::string> names;
  if (ids && U_SUCCESS(status)) {
    while (const char* id = ids->next(nullptr, status)) {
      if (U_FAILURE(status)) break;
      names.emplace_back(id);
    }
  }
  std::vector<std::string_view> views(names.begin(), names.end());
  if (auto s = suggest(name, views)) msg += "; did you mean \"" + *s + "\"?";
  msg += " (IANA name such as \"Asia/Shanghai\")";
  return msg;
}

bool known_charset(const std::string& name) {
  if (name.empty()) return false;
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(name.c_str(), &status);
  if (conv) ucnv_close(conv);
  return U_SUCCESS(status) && conv != nullptr;
}

std::optional<int> parse_port(std::string_view s, bool allow_empty) {
  if (s.empty()) return allow_empty ? std::optional<int>(0) : std::nullopt;
  if (s.size() > 5) return std::nullopt;
  int port = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

// Splits curl's "a:b:c[:d]" syntax where a field may be a bracketed IPv6 literal.
std::vector<std::string> split_colon_fields(std::string_view s, std::size_t max_fields) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (fields.size() + 1 < max_fields) {
    std::size_t end;
    if (i < s.size() && s[i] == '[') {
      end = s.find(']', i);
      end = end == std::string_view::npos ? std::string_view::npos : s.find(':', end);
    } else {
      end = s.find(':', i);
    }
    if (end == std::string_view::npos) break;
    fields.emplace_back(s.substr(i, end - i));
    i = end + 1;
  }
  fields.emplace_back(s.substr(std::min(i, s.size())));
  return fields;
}

// Both return an error message or the parsed value; the public wrappers turn errors into
// ConfigError, the profile checker into Issues.
std::variant<Resolve, std::string> try_parse_resolve(std::string_view spec) {
  const auto f = split_colon_fields(spec, 3);
  const char* form = "expected HOST:PORT:ADDRESS, e.g. \"demo.portal.test:80:127.0.0.1\"";
  if (f.size() != 3 || f[0].empty() || f[2].empty()) return std::string(form);
  auto port = parse_port(f[1], false);
  if (!port) return "port must be 1..65535 in \"" + std::string(spec) + "\"";
  return Resolve{lower(f[0]), *port, f[2]};
}

std::variant<ConnectTo, std::string> try_parse_connect_to(std::string_view spec) {
  const auto f = split_colon_fields(spec, 4);
  const char* form =
      "expected HOST:PORT:TO_HOST:TO_PORT, e.g. \"demo.portal.test:80:127.0.0.1:8080\"";
  if (f.size() != 4 || (f[2].empty() && f[3].empty())) return std::string(form);
  auto port = parse_port(f[1], true);
  auto to_port = parse_port(f[3], true);
  if (!port || !to_port) return "ports must be empty or 1..65535 in \"" + std::string(spec) + "\"";
  return ConnectTo{lower(f[0]), *port, lower(f[2]), *to_port};
}

}  // namespace

Resolve parse_resolve(std::string_view spec, std::string_view option) {
  auto r = try_parse_resolve(spec);
  if (auto* err = std::get_if<std::string>(&r))
    throw ConfigError({Issue{"", 0, 0, std::string(option), *err}});
  return std::get<Resolve>(r);
}

void check_time_zone(std::string_view value, std::string_view option) {
  if (value.empty()) return;
  if (auto err = time_zone_error(std::string(value)))
    throw ConfigError({Issue{"", 0, 0, std::string(option), *err}});
}

void check_charset(std::string_view value, std::string_view option) {
  if (value.empty() || known_charset(std::string(value))) return;
  throw ConfigError({Issue{
      "", 0, 0, std::string(option),
      "unknown charset \"" + std::string(value) + "\" (e.g. \"utf-8\", \"gbk\", \"gb18030\")"}});
}

ConnectTo parse_connect_to(std::string_view spec, std::string_view option) {
  auto r = try_parse_connect_to(spec);
  if (auto* err = std::get_if<std::string>(&r))
    throw ConfigError({Issue{"", 0, 0, std::string(option), *err}});
  return std::get<ConnectTo>(r);
}

// ---------------------------------------------------------------------------------------------
// The profile checker.

namespace {

std::string describe(toml::node_type t) {
  switch (t) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// Top-level keys (the other tables' vocabularies are below the checker).
const std::vector<std::string_view> kRootKeys = {
    "name",    "display_name", "seeds",   "hosts",      "sections", "urls",       "sitemaps",
    "feeds",   "time_zone",    "charset", "user_agent", "database", "politeness", "limits",
    "failure", "drift",        "recrawl", "connect",    "follow"};

// A value found in the document together with where to point at it.
struct Found {
  const toml::node* node;
  std::string key;  // dotted path for messages
  toml::source_position where;
};

class Checker {
 public:
  explicit Checker(std::string source) : source_(std::move(source)) {}

  void error(toml::source_position where, std::string key, std::string message) {
    issues_.push_back(Issue{source_, static_cast<int>(where.line), static_cast<int>(where.column),
                            std::move(key), std::move(message)});
  }
  void error(const Found& f, std::string message) { error(f.where, f.key, std::move(message)); }

  std::vector<Issue> take_issues() {
    std::stable_sort(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return std::move(issues_);
  }

  // Reports every key of `table` that is not in `known`, with a suggestion when one is close.
  void check_keys(const toml::table& table, const std::string& prefix,
                  const std::vector<std::string_view>& known) {
    for (auto&& [k, v] : table) {
      (void)v;
      const std::string_view name = k.str();
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string msg = "unknown key";
      if (auto s = suggest(name, known)) {
        msg += "; did you mean \"" + prefix + *s + "\"?";
      } else if (!prefix.empty() &&
                 std::find(kRootKeys.begin(), kRootKeys.end(), name) != kRootKeys.end()) {
        // TOML's classic trap: a key written below a [table] header belongs to that table.
        msg += "; \"" + std::string(name) +
               "\" is a top-level key: move it above the first [table] header";
      }
      error(k.source().begin, prefix + std::string(name), std::move(msg));
    }
  }

  std::optional<Found> find(const toml::table& table, const std::string& prefix,
                            std::string_view key) {
    auto it = table.find(key);
    if (it == table.end()) return std::nullopt;
    toml::source_position where = it->first.source().begin;
    if (!where) where = it->second.source().begin;
    return Found{&it->second, prefix + std::string(key), where};
  }

  // Typed getters: nullopt when absent or wrong (wrong is reported).
  std::optional<std::string> string(const std::optional<Found>& f) {
    if (!f) return std::nullopt;
    if (auto v = f->node->value<std::string>(); v && f->node->is_string()) return *v;
    type_error(*f, "a string");
    return std::nullopt;
  }

  std::optional<std::string> nonempty_string(const std::optional<Found>& f) {
    auto s = string(f);
    if (s && s->empty()) {
      error(*f, "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<bool> boolean(const std::optional<Found>& f) {
    if (!f) return std::nullopt;
    if (f->node->is_boolean()) return *f->node->value<bool>();
    type_error(*f, "a boolean (true or false)");
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const std::optional<Found>& f, std::int64_t min,
                                      std::int64_t max = std::numeric_limits<int>::max()) {
    if (!f) return std::nullopt;
    if (!f->node->is_integer()) {
      type_error(*f, "an integer");
      return std::nullopt;
    }
    const std::int64_t v = *f->node->value<std::int64_t>();
    if (v < min) {
      error(*f, (min == 1   ? "must be positive"
                 : min == 0 ? "must not be negative"
                            : "must be at least " + std::to_string(min)) +
                    std::string(", got ") + std::to_string(v));
      return std::nullopt;
    }
    if (v > max) {
      error(*f, "must be at most " + std::to_string(max) + ", got " + std::to_string(v));
      return std::nullopt;
    }
    return v;
  }

  // A float or an integer within [min, max].
  std::optional<double> number(const std::optional<Found>& f, double min, double max) {
    if (!f) return std::nullopt;
    double v;
    if (f->node->is_floating_point())
      v = *f->node->value<double>();
    else if (f->node->is_integer())
      v = static_cast<double>(*f->node->value<std::int64_t>());
    else {
      type_error(*f, "a number");
      return std::nullopt;
    }
    if (!(v >= min && v <= max)) {  // also rejects nan
      std::ostringstream msg;
      msg << "must be between " << min << " and " << max << ", got " << v;
      error(*f, msg.str());
      return std::nullopt;
    }
    return v;
  }

  const toml::table* table(const std::optional<Found>& f) {
    if (!f) return nullptr;
    if (const toml::table* t = f->node->as_table()) return t;
    type_error(*f, "a table");
    return nullptr;
  }

  // An array of strings; each element comes back with its own key ("seeds[1]") and position so
  // that per-element checks can point at the element. Wrong elements are reported and dropped.
  std::optional<std::vector<Found>> string_array(const std::optional<Found>& f) {
    if (!f) return std::nullopt;
    const toml::array* arr = f->node->as_array();
    if (!arr) {
      // A lone string where a list is expected is the most common slip; say so.
      type_error(*f, "an array of strings");
      return std::nullopt;
    }
    std::vector<Found> out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::node& el = (*arr)[i];
      Found ef{&el, f->key + '[' + std::to_string(i) + ']', el.source().begin};
      if (!ef.where) ef.where = f->where;
      if (!el.is_string()) {
        type_error(ef, "a string");
        continue;
      }
      out.push_back(ef);
    }
    return out;
  }

  static std::string str(const Found& f) { return *f.node->value<std::string>(); }

 private:
  void type_error(const Found& f, std::string_view expected) {
    error(f, "expected " + std::string(expected) + ", got " + describe(f.node->type()));
  }

  std::string source_;
  std::vector<Issue> issues_;
};

// The key vocabulary: one list per table, used for unknown-key checks and suggestions.
const std::vector<std::string_view> kSectionKeys = {"name", "url", "pattern"};
const std::vector<std::string_view> kUrlsKeys = {"list", "article", "exclude"};
const std::vector<std::string_view> kPolitenessKeys = {"delay_ms", "max_connections_per_host",
                                                       "robots", "crawl_delay_cap_ms"};
const std::vector<std::string_view> kLimitsKeys = {
    "max_pages",          "max_depth",        "max_body_bytes",
    "connect_timeout_ms", "total_timeout_ms", "low_speed_bytes_per_sec",
    "low_speed_time_s",   "max_retries",      "workers",
    "concurrency",        "frontier_window"};
const std::vector<std::string_view> kFailureKeys = {"max_failed_share"};
const std::vector<std::string_view> kDriftKeys = {
    "baseline_runs", "min_articles",   "min_published_at_fill",
    "min_body_fill", "min_title_fill", "min_article_links_per_list_page"};
const std::vector<std::string_view> kRecrawlKeys = {"list_lookback_pages",
                                                    "recheck_articles_younger_than_days"};
const std::vector<std::string_view> kConnectKeys = {"resolve", "connect_to", "allow_private"};

// A profile name is used as a file name (NAME.toml), a CLI argument and a database key.
bool valid_name(std::string_view name) {
  static const RE2 re(R"([A-Za-z0-9][A-Za-z0-9_.-]*)");
  return name.size() <= 64 && RE2::FullMatch(name, re);
}

// Compiles now, at validation time, so that a bad pattern is reported with its position
// instead of surfacing as an exception in the middle of a crawl.
std::optional<Pattern> compile_pattern(Checker& c, const Found& f, const std::string& text) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(text, options);
  if (!re->ok()) {
    // RE2's message is "what: where" ("missing ): /t(\d+"); the pattern is quoted already.
    std::string what = re->error().substr(0, re->error().find(": "));
    c.error(f, "invalid regular expression \"" + text + "\": " + what +
                   " (RE2 syntax: no backreferences or lookaround)");
    return std::nullopt;
  }
  return Pattern{text, std::move(re)};
}

std::vector<Pattern> compile_patterns(Checker& c, const toml::table& urls, std::string_view key) {
  std::vector<Pattern> out;
  auto items = c.string_array(c.find(urls, "urls.", key));
  if (!items) return out;
  for (const Found& f : *items) {
    std::string text = Checker::str(f);
    if (text.empty()) {
      c.error(f, "empty regular expression (it would match every URL)");
      continue;
    }
    if (auto p = compile_pattern(c, f, text)) out.push_back(std::move(*p));
  }
  return out;
}

// Sets `out` from the TOML value when present and valid; otherwise leaves the default.
template <typename T, typename V>
void assign(T& out, const std::optional<V>& v) {
  if (v) out = static_cast<T>(*v);
}

void read_politeness(Checker& c, const toml::table& t, Politeness& p) {
  const std::string pre = "politeness.";
  c.check_keys(t, pre, kPolitenessKeys);
  if (auto v = c.integer(c.find(t, pre, "delay_ms"), 0)) p.delay = std::chrono::milliseconds(*v);
  assign(p.max_connections_per_host, c.integer(c.find(t, pre, "max_connections_per_host"), 1, 64));
  assign(p.robots, c.boolean(c.find(t, pre, "robots")));
  if (auto v = c.integer(c.find(t, pre, "crawl_delay_cap_ms"), 0))
    p.crawl_delay_cap = std::chrono::milliseconds(*v);
}

void read_limits(Checker& c, const toml::table& t, Limits& l) {
  const std::string pre = "limits.";
  c.check_keys(t, pre, kLimitsKeys);
  constexpr auto kMax64 = std::numeric_limits<std::int64_t>::max();
  assign(l.max_pages, c.integer(c.find(t, pre, "max_pages"), 1, kMax64));
  assign(l.max_depth, c.integer(c.find(t, pre, "max_depth"), 0));
  assign(l.max_body_bytes, c.integer(c.find(t, pre, "max_body_bytes"), 1, kMax64));
  auto connect = c.find(t, pre, "connect_timeout_ms");
  if (auto v = c.integer(connect, 1)) l.connect_timeout = std::chrono::milliseconds(*v);
  if (auto v = c.integer(c.find(t, pre, "total_timeout_ms"), 1))
    l.total_timeout = std::chrono::milliseconds(*v);
  if (l.connect_timeout > l.total_timeout) {
    // Point at whichever of the two the file sets (connect first).
    auto where = connect ? connect : c.find(t, pre, "total_timeout_ms");
    if (where)
      c.error(*where, "connect_timeout_ms (" + std::to_string(l.connect_timeout.count()) +
                          ") exceeds total_timeout_ms (" + std::to_string(l.total_timeout.count()) +
                          ")");
  }
  assign(l.low_speed_bytes_per_sec,
         c.integer(c.find(t, pre, "low_speed_bytes_per_sec"), 1, kMax64));
  if (auto v = c.integer(c.find(t, pre, "low_speed_time_s"), 1))
    l.low_speed_time = std::chrono::seconds(*v);
  assign(l.max_retries, c.integer(c.find(t, pre, "max_retries"), 0, 100));
  assign(l.workers, c.integer(c.find(t, pre, "workers"), 0, 256));
  assign(l.concurrency, c.integer(c.find(t, pre, "concurrency"), 1, 1024));
  assign(l.frontier_window, c.integer(c.find(t, pre, "frontier_window"), 1, 100'000'000));
}

void read_drift(Checker& c, const toml::table& t, DriftPolicy& d) {
  const std::string pre = "drift.";
  c.check_keys(t, pre, kDriftKeys);
  assign(d.baseline_runs, c.integer(c.find(t, pre, "baseline_runs"), 1, 1000));
  assign(d.min_articles, c.integer(c.find(t, pre, "min_articles"), 1, 1000000));
  assign(d.min_published_at_fill, c.number(c.find(t, pre, "min_published_at_fill"), 0, 1));
  assign(d.min_body_fill, c.number(c.find(t, pre, "min_body_fill"), 0, 1));
  assign(d.min_title_fill, c.number(c.find(t, pre, "min_title_fill"), 0, 1));
  assign(d.min_article_links_per_list_page,
         c.number(c.find(t, pre, "min_article_links_per_list_page"), 0, 1e6));
}

void read_recrawl(Checker& c, const toml::table& t, RecrawlPolicy& r) {
  const std::string pre = "recrawl.";
  c.check_keys(t, pre, kRecrawlKeys);
  assign(r.list_lookback_pages, c.integer(c.find(t, pre, "list_lookback_pages"), 1, 100000));
  if (auto v = c.integer(c.find(t, pre, "recheck_articles_younger_than_days"), 0, 100000))
    r.recheck_articles_younger_than = std::chrono::days(*v);
}

void read_connect(Checker& c, const toml::table& t, Connect& out) {
  const std::string pre = "connect.";
  c.check_keys(t, pre, kConnectKeys);
  assign(out.allow_private, c.boolean(c.find(t, pre, "allow_private")));
  if (auto items = c.string_array(c.find(t, pre, "resolve"))) {
    for (const Found& f : *items) {
      auto r = try_parse_resolve(Checker::str(f));
      if (auto* err = std::get_if<std::string>(&r))
        c.error(f, *err);
      else
        out.resolve.push_back(std::get<Resolve>(r));
    }
  }
  if (auto items = c.string_array(c.find(t, pre, "connect_to"))) {
    for (const Found& f : *items) {
      auto r = try_parse_connect_to(Checker::str(f));
      if (auto* err = std::get_if<std::string>(&r))
        c.error(f, *err);
      else
        out.connect_to.push_back(std::get<ConnectTo>(r));
    }
  }
}

// For a TOML syntax error toml++ gives a position but no key; recover the key from the text so
// that the message still says which setting is broken: the `key =` on the error line, prefixed
// with the last [table] header above it.
std::string key_at_line(std::string_view text, std::size_t line) {
  static const RE2 header(R"(^\s*\[\[?\s*([^\]\s]+)\s*\]\]?)");
  static const RE2 assignment(R"(^\s*([A-Za-z0-9_.\-"']+)\s*=)");
  std::string table, key;
  std::size_t n = 1, pos = 0;
  while (pos <= text.size() && n <= line) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(pos, end - pos);
    std::string m;
    if (RE2::PartialMatch(l, header, &m)) {
      table = m;
      if (n == line) key = table;
    } else if (n == line && RE2::PartialMatch(l, assignment, &m)) {
      key = (table.empty() ? "" : table + ".") + m;
    }
    pos = end + 1;
    ++n;
  }
  return key;
}

Config check_profile(const toml::table& doc, const std::string& source);

// Sets `KEY=VALUE` (one command-line override) in the parsed profile. Returns the key, or
// throws ConfigError naming the override when it cannot be applied.
std::string apply_override(toml::table& doc, const std::string& spec) {
  const std::string where = "-s " + spec;
  const std::size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError({Issue{where, 0, 0, "", "expected KEY=VALUE (e.g. limits.max_pages=50)"}});
  const std::string key = spec.substr(0, eq);
  const std::string value = spec.substr(eq + 1);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& p : parts)
    if (p.empty() || p.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                         "0123456789_-") != std::string::npos)
      throw ConfigError({Issue{where, 0, 0, key, "not a profile key (KEY is dotted: table.key)"}});
  // The value as TOML (500, true, 0.5, "text", ['a', 'b']); anything TOML cannot read is taken
  // as a string (a user agent, a time zone name, a path).
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value, where);
  } catch (const toml::parse_error&) {
    parsed = toml::table{};
    parsed.insert("v", value);
  }
  toml::table* t = &doc;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::node* n = t->get(parts[i]);
    if (!n) n = &t->insert_or_assign(parts[i], toml::table{}).first->second;
    if (!n->is_table())
      throw ConfigError({Issue{where, 0, 0, key,
                               "cannot set a key inside " + parts[i] + " (not a table; arrays " +
                                   "of tables such as [[sections]] cannot be overridden)"}});
    t = n->as_table();
  }
  t->insert_or_assign(parts.back(), std::move(*parsed.get("v")));
  return key;
}

// Whether an issue reported under `issue_key` is about the override of `key` (the same key,
// one inside it, or the table it created).
bool about_key(const std::string& issue_key, const std::string& key) {
  auto under = [](const std::string& a, const std::string& b) {
    return a == b ||
           (a.size() > b.size() && a.starts_with(b) && (a[b.size()] == '.' || a[b.size()] == '['));
  };
  return under(issue_key, key) || under(key, issue_key);
}

}  // namespace

Config parse_profile(std::string_view text, std::string_view source_name) {
  return parse_profile(text, source_name, {});
}

Config parse_profile(std::string_view text, std::string_view source_name,
                     std::span<const std::string> overrides) {
  const std::string source(source_name);
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    std::string key = key_at_line(text, where.line);
    throw ConfigError({Issue{source, static_cast<int>(where.line), static_cast<int>(where.column),
                             key, "TOML syntax error: " + std::string(e.description())}});
  }
  std::vector<std::pair<std::string, std::string>> keys;  // key, spec
  for (const auto& spec : overrides) keys.emplace_back(apply_override(doc, spec), spec);
  try {
    return check_profile(doc, source);
  } catch (const ConfigError& e) {
    if (keys.empty()) throw;
    // Problems with an overridden value are reported against the override, not the file.
    std::vector<Issue> issues = e.issues();
    for (Issue& issue : issues)
      for (const auto& [key, spec] : keys)
        if (about_key(issue.key, key)) {
          issue.source = "-s " + spec;
          issue.line = issue.column = 0;
        }
    throw ConfigError(std::move(issues));
  }
}

namespace {

Config check_profile(const toml::table& doc, const std::string& source) {
  Checker c(source);
  Config cfg;
  const std::string root;
  c.check_keys(doc, root, kRootKeys);
  const toml::source_position top{1, 1};

  // name (required)
  if (auto f = c.find(doc, root, "name")) {
    if (auto s = c.string(f)) {
      if (valid_name(*s))
        cfg.name = *s;
      else
        c.error(*f, "\"" + *s +
                        "\" is not a valid profile name (letters, digits, '_', '.', '-'; "
                        "starting with a letter or digit; at most 64)");
    }
  } else {
    c.error(top, "name", "required key is missing");
  }
  assign(cfg.display_name, c.nonempty_string(c.find(doc, root, "display_name")));
  if (cfg.display_name.empty()) cfg.display_name = cfg.name;

  // hosts (optional; checked before seeds, which must lie on them)
  bool hosts_given = false;
  if (auto items = c.string_array(c.find(doc, root, "hosts"))) {
    hosts_given = true;
    for (const Found& f : *items) {
      const std::string h = lower(Checker::str(f));
      if (!valid_host(h)) {
        c.error(f, "\"" + Checker::str(f) +
                       "\" is not a host name (write the host only: no scheme, port or path)");
        continue;
      }
      const std::string entry = crawler::scope_entry(h);  // canonical: punycode, no final dot
      if (std::find(cfg.hosts.begin(), cfg.hosts.end(), entry) == cfg.hosts.end())
        cfg.hosts.push_back(entry);
    }
    if (items->empty()) c.error(*c.find(doc, root, "hosts"), "must list at least one host");
  }

  // Checks one URL-valued entry: valid, and on an allowed host when hosts were given.
  auto check_site_url = [&](const Found& f, const std::string* base) -> std::optional<UrlInfo> {
    UrlInfo u = check_url(Checker::str(f), base);
    if (!u.error.empty()) {
      c.error(f, "\"" + Checker::str(f) + "\": " + u.error);
      return std::nullopt;
    }
    // With no valid host at all the real error is already reported; don't repeat it per URL.
    if (hosts_given && !cfg.hosts.empty() && !cfg.host_allowed(u.host)) {
      c.error(f, "host \"" + u.host + "\" of \"" + u.url + "\" is not in hosts");
      return std::nullopt;
    }
    return u;
  };

  // seeds (required, at least one)
  if (auto f = c.find(doc, root, "seeds")) {
    if (auto items = c.string_array(f)) {
      if (items->empty()) c.error(*f, "must list at least one URL");
      for (const Found& e : *items) {
        if (auto u = check_site_url(e, nullptr)) {
          if (std::find(cfg.seeds.begin(), cfg.seeds.end(), u->url) == cfg.seeds.end())
            cfg.seeds.push_back(u->url);
          const std::string entry = crawler::scope_entry(u->host);
          if (!hosts_given && !entry.empty() &&
              std::find(cfg.hosts.begin(), cfg.hosts.end(), entry) == cfg.hosts.end())
            cfg.hosts.push_back(entry);
        }
      }
    }
  } else {
    c.error(top, "seeds", "required key is missing");
  }
  // After the seeds, every other URL must be on the (possibly derived) hosts.
  hosts_given = true;

  // sections: array of tables {name, url}
  if (auto f = c.find(doc, root, "sections")) {
    const toml::array* arr = f->node->as_array();
    if (!arr) {
      c.error(*f, "expected an array of tables ([[sections]]), got " + describe(f->node->type()));
    } else {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string pre = "sections[" + std::to_string(i) + "].";
        const toml::table* t = (*arr)[i].as_table();
        toml::source_position where = (*arr)[i].source().begin;
        if (!where) where = f->where;
        if (!t) {
          c.error(where, pre.substr(0, pre.size() - 1),
                  "expected a table with name and url, got " + describe((*arr)[i].type()));
          continue;
        }
        c.check_keys(*t, pre, kSectionKeys);
        Section s;
        auto name = c.find(*t, pre, "name");
        auto url = c.find(*t, pre, "url");
        if (!name) c.error(where, pre + "name", "required key is missing");
        if (!url) c.error(where, pre + "url", "required key is missing");
        auto name_value = c.nonempty_string(name);
        std::optional<UrlInfo> u;
        if (auto url_value = c.string(url)) u = check_site_url(*url, nullptr);
        std::optional<Pattern> pattern;
        bool pattern_ok = true;
        if (auto pf = c.find(*t, pre, "pattern")) {
          pattern_ok = false;
          if (auto pattern_text = c.nonempty_string(pf)) {
            if (auto p = compile_pattern(c, *pf, *pattern_text)) {
              pattern = std::move(p);
              pattern_ok = true;
            }
          }
        }
        if (name_value && u && pattern_ok)
          cfg.sections.push_back(Section{*name_value, u->url, std::move(pattern)});
      }
    }
  }

  // urls: list / article / exclude regexes
  if (const toml::table* t = c.table(c.find(doc, root, "urls"))) {
    c.check_keys(*t, "urls.", kUrlsKeys);
    cfg.list_patterns = compile_patterns(c, *t, "list");
    cfg.article_patterns = compile_patterns(c, *t, "article");
    cfg.exclude_patterns = compile_patterns(c, *t, "exclude");
  }

  // sitemaps / feeds: absolute URLs, or paths relative to the first seed
  const std::string* base = cfg.seeds.empty() ? nullptr : &cfg.seeds.front();
  for (auto [key, out] : {std::pair{"sitemaps", &cfg.sitemaps}, std::pair{"feeds", &cfg.feeds}}) {
    if (auto items = c.string_array(c.find(doc, root, key))) {
      for (const Found& f : *items) {
        if (!base && !Checker::str(f).starts_with("http")) continue;  // seeds already reported
        if (auto u = check_site_url(f, base)) out->push_back(u->url);
      }
    }
  }

  // reading
  if (auto f = c.find(doc, root, "time_zone")) {
    if (auto s = c.string(f)) {
      if (auto err = time_zone_error(*s))
        c.error(*f, *err);
      else
        cfg.time_zone = *s;
    }
  }
  if (auto f = c.find(doc, root, "charset")) {
    if (auto s = c.string(f)) {
      if (known_charset(*s))
        cfg.charset = *s;
      else
        c.error(*f, "unknown charset \"" + *s + "\" (e.g. \"utf-8\", \"gbk\", \"gb18030\")");
    }
  }
  if (auto f = c.find(doc, root, "user_agent")) {
    if (auto s = c.nonempty_string(f)) {
      if (std::any_of(s->begin(), s->end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < 0x20; }))
        c.error(*f, "must not contain control characters (it is sent as an HTTP header)");
      else
        cfg.user_agent = *s;
    }
  }
  if (auto s = c.nonempty_string(c.find(doc, root, "database"))) cfg.database = *s;
  if (auto f = c.find(doc, root, "follow")) {
    if (auto s = c.string(f)) {
      if (*s == "scope") {
        cfg.follow = Follow::scope;
      } else if (*s == "patterns") {
        cfg.follow = Follow::patterns;
        if (cfg.list_patterns.empty() && cfg.article_patterns.empty())
          c.error(*f, "\"patterns\" needs [urls] list or article patterns to follow");
      } else {
        c.error(*f, "expected \"scope\" or \"patterns\", got \"" + *s + "\"");
      }
    }
  }

  // policy tables
  if (auto t = c.table(c.find(doc, root, "politeness"))) read_politeness(c, *t, cfg.politeness);
  if (auto t = c.table(c.find(doc, root, "limits"))) read_limits(c, *t, cfg.limits);
  if (auto t = c.table(c.find(doc, root, "failure"))) {
    c.check_keys(*t, "failure.", kFailureKeys);
    assign(cfg.failure.max_failed_share,
           c.number(c.find(*t, "failure.", "max_failed_share"), 0, 1));
  }
  if (auto t = c.table(c.find(doc, root, "drift"))) read_drift(c, *t, cfg.drift);
  if (auto t = c.table(c.find(doc, root, "recrawl"))) read_recrawl(c, *t, cfg.recrawl);
  if (auto t = c.table(c.find(doc, root, "connect"))) read_connect(c, *t, cfg.connect);

  if (auto issues = c.take_issues(); !issues.empty()) throw ConfigError(std::move(issues));
  return cfg;
}

}  // namespace

Config load_profile(const std::filesystem::path& path) { return load_profile(path, {}); }

Config load_profile(const std::filesystem::path& path, std::span<const std::string> overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({Issue{path.string(), 0, 0, "", "cannot open profile"}});
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ConfigError({Issue{path.string(), 0, 0, "", "cannot read profile"}});
  Config cfg = parse_profile(ss.str(), path.string(), overrides);
  cfg.source = path;
  return cfg;
}

std::vector<std::filesystem::path> site_search_path() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("NEWSHARVEST_SITES"); env && *env) {
    std::string_view rest(env);
    while (true) {
      const std::size_t colon = rest.find(':');
      const std::string_view dir = rest.substr(0, colon);
      if (!dir.empty()) dirs.emplace_back(dir);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  dirs.emplace_back("config/sites");
  // The installed profiles: beside the running binary (PREFIX/bin/newsharvest ->
  // PREFIX/share/newsharvest/sites, so an installed tree can be moved), then the data directory
  // the build was configured to install into.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    const std::filesystem::path rel =
        (exe.parent_path().parent_path() / NH_DATA_SUBDIR).lexically_normal();
    if (std::filesystem::is_directory(rel, ec)) dirs.push_back(rel);
  }
  const std::filesystem::path installed(NH_SITES_DIR);
  if (std::find(dirs.begin(), dirs.end(), installed) == dirs.end()) dirs.push_back(installed);
  return dirs;
}

std::filesystem::path find_site(std::string_view name,
                                std::span<const std::filesystem::path> search_path) {
  if (!valid_name(name))
    throw ConfigError({Issue{
        "", 0, 0, "--site",
        "\"" + std::string(name) + "\" is not a profile name (letters, digits, '_', '.', '-')"}});
  std::string searched;
  for (const auto& dir : search_path) {
    std::filesystem::path p = dir / (std::string(name) + ".toml");
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
    if (!searched.empty()) searched += ", ";
    searched += dir.string();
  }
  throw ConfigError({Issue{"", 0, 0, "--site",
                           "no profile \"" + std::string(name) + ".toml\" in " +
                               (searched.empty() ? std::string("(no directories)") : searched)}});
}

std::filesystem::path find_site(std::string_view name) {
  const auto dirs = site_search_path();
  return find_site(name, dirs);
}

}  // namespace nh::config
