// The records the extractor produces: Page (what a fetched page is) and Article (the
// normalised article fields, DESIGN.md §4). Plain values: no pointers into parser memory,
// so a Page outlives the Document it was extracted from and can be moved across threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nh::extract {

// Fixed role vocabulary of DESIGN.md §4.
enum class Role {
  reporter,
  correspondent,
  intern,
  photographer,
  editor,
  reviewer,
  translator,
  author
};
std::string_view role_name(Role r);
std::optional<Role> role_from_name(std::string_view s);
// Writers go to Article::reporters as well as to contributors.
bool is_writer(Role r);

struct Contributor {
  std::string name;
  Role role = Role::reporter;
  bool operator==(const Contributor&) const = default;
};

struct Link {
  std::string url;   // absolute, resolved against <base> / the page URL; fragment kept as given
  std::string text;  // anchor text, normalised
  bool operator==(const Link&) const = default;
};

// Every text field is NFKC-normalised with whitespace folded; a missing field is nullopt
// (or an empty vector), never "".
struct Article {
  std::optional<std::string> site;     // the portal's name (og:site_name, SiteName, <title> suffix)
  std::optional<std::string> section;  // column / channel
  std::optional<std::string> title;
  std::optional<std::string> subtitle;      // 副题 / 引题
  std::optional<std::string> published_at;  // ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM
  std::vector<std::string> reporters;       // writers, in page order, no duplicates
  std::vector<Contributor> contributors;    // everyone credited, in page order
  std::optional<std::string> source;        // 来源 outlet
  std::optional<std::string> body;          // paragraphs joined by '\n'
  std::optional<std::string> language;      // BCP 47 primary tag ("zh", "en", ...)
  bool operator==(const Article&) const = default;
};

enum class PageKind { article, list, other };
std::string_view kind_name(PageKind k);

// One candidate a field rule considered; only collected when ParseOptions::explain is set.
struct Candidate {
  std::string field;  // "title", "published_at", ...
  std::string rule;   // provenance name of the rule, e.g. "meta:ArticleTitle", "h1"
  std::string value;
  double score = 0;
  std::string note;  // why it won or lost
};

struct Page {
  std::string url;        // the URL it was requested as (may be empty for local files)
  std::string final_url;  // after redirects; equals url when unknown
  PageKind kind = PageKind::other;
  std::string charset;  // the encoding the bytes were decoded from (lower-case label)
  Article article;
  std::vector<Link> links;
  std::string canonical;  // <link rel=canonical>, resolved like the links; "" when absent
  std::map<std::string, std::string> provenance;  // field -> rule that produced it
  std::vector<Candidate> trace;                   // filled only with ParseOptions::explain
};

}  // namespace nh::extract
