// Link classification for Chinese news and government portals: which links are articles,
// which are list (column/section) pages, which to ignore; plus pagination.
//
// Contract:
//   - Input links are absolute, already resolved and normalised (urls.h resolve()); anchor text
//     is UTF-8 as extracted. Nothing here touches the network.
//   - Classification order (first match wins): ignore rules (static assets, non-http(s) links,
//     login/search/print pages) always apply; then, if the profile gives any article or list
//     pattern, the profile alone decides (an unmatched link is `other`); otherwise the built-in
//     URL-shape heuristics of links.cpp's rule table decide. `other` means "in no known shape":
//     the crawl decides whether such links are worth following.
//   - Profile patterns are RE2 regular expressions (linear time in the URL's length; no
//     backreferences or lookaround) searched (not anchored) in the whole URL. An invalid pattern is
//     a configuration error: the LinkClassifier constructor throws std::invalid_argument naming the
//     pattern (DESIGN.md §6: bad configuration is an exception).
//   - Every built-in pattern lives in one table (kLinkRules / kPagerTexts in links.cpp) with a
//     note on where it comes from; link_rules() exposes it for inspection and `--explain`.
//
// LinkClassifier is immutable after construction and safe to share between threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/page.h"

namespace re2 {
class RE2;
}

namespace nh::crawler {

enum class LinkKind { article, list, ignore, other };

std::string_view to_string(LinkKind kind);

// One link type for extract and crawler (extract/page.h): here its url is absolute and
// normalised (urls.h resolve()), its text the anchor text (or title/alt when it has none).
using Link = extract::Link;

// Site profile patterns (config/sites/*.toml), RE2 regexes over the full URL.
struct LinkProfile {
  std::vector<std::string> article_patterns;
  std::vector<std::string> list_patterns;
  std::vector<std::string> ignore_patterns;  // extra ignores, applied before everything else
};

// One built-in rule, for inspection: which kind it gives, its regex, and why it exists.
struct LinkRuleInfo {
  LinkKind kind;
  std::string_view pattern;  // RE2, case-insensitive, searched in path + "?" + query
  std::string_view note;
};
const std::vector<LinkRuleInfo>& link_rules();

// A classification and the rule that decided it ("heuristic:<index>", "profile:article:<i>",
// "profile:list:<i>", "profile:ignore:<i>", "scheme", "none").
struct Classification {
  LinkKind kind = LinkKind::other;
  std::string rule;
};

class LinkClassifier {
 public:
  // Throws std::invalid_argument on an invalid profile regex.
  explicit LinkClassifier(const LinkProfile& profile = {});

  Classification classify(std::string_view url) const;
  LinkKind kind(std::string_view url) const { return classify(url).kind; }

 private:
  using Regex = std::shared_ptr<const re2::RE2>;  // immutable, shared by copies
  std::vector<Regex> article_;
  std::vector<Regex> list_;
  std::vector<Regex> ignore_;
};

// Pager of a list page: the "next" link, the "last" link, and numbered page links in numeric
// order (deduplicated, page_url itself excluded). Only links to the same host as page_url count.
struct Pager {
  std::optional<std::string> next;
  std::optional<std::string> last;
  std::vector<std::string> numbered;
};
Pager find_pager(std::string_view page_url, const std::vector<Link>& links);

// Continuation pages of a multi-page article, in page order, deduplicated: links on the same
// host whose URL is the article's with "_N" before the extension (t20210526_123_2.html,
// content_123_2.htm) or with a page=N query parameter (show.php?id=5&page=2), N >= 2.
std::vector<std::string> article_continuations(std::string_view article_url,
                                               const std::vector<Link>& links);

}  // namespace nh::crawler
