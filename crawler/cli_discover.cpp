// `newsharvest discover URL`: drafts a commented site profile from a portal's home page and a
// bounded sample of the pages it links to (sections from the home page's list links, list and
// article URL patterns from the shapes of the sampled URLs, the pager's form, feeds linked from
// the home page, sitemaps named in robots.txt). The draft is validated like any profile before
// it is written; it is a starting point to check against the site, not a finished profile.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "crawler/cli.h"
#include "crawler/crawl.h"
#include "crawler/links.h"
#include "crawler/robots.h"
#include "crawler/urls.h"
#include "extract/page.h"
#include "extract/rules.h"

#include <re2/re2.h>
#include <nlohmann/json.hpp>

namespace nh::cli {
namespace {

struct DiscoverArgs {
  std::string url;
  std::string name;
  std::string output;  // "" = stdout
  int max_pages = 12;
  std::int64_t delay_ms = 1000;
  std::vector<std::string> connect_to;
  std::vector<std::string> resolve;
  bool allow_private = false;
};

// Whether a run of digits reads as a date: a year (19xx, 20xx), year and month, or a full date.
bool date_like(std::string_view d) {
  return (d.size() == 4 || d.size() == 6 || d.size() == 8) &&
         (d.starts_with("19") || d.starts_with("20"));
}

// The URL's shape as an anchored pattern: any host of the profile, the path and query with
// digit runs generalised (\d{N} for a date-like run, \d+ otherwise: ids grow), the rest escaped.
std::string shape_of(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::string rest = path == std::string::npos ? "/" : url.substr(path);
  std::string out = "^https?://[^/]+";
  for (size_t i = 0; i < rest.size();) {
    if (std::isdigit(static_cast<unsigned char>(rest[i]))) {
      size_t j = i;
      while (j < rest.size() && std::isdigit(static_cast<unsigned char>(rest[j]))) ++j;
      out += date_like(std::string_view(rest).substr(i, j - i))
                 ? "\\d{" + std::to_string(j - i) + "}"
                 : std::string("\\d+");
      i = j;
      continue;
    }
    if (std::string_view(".?+*()[]{}|^$\\").find(rest[i]) != std::string_view::npos) out += '\\';
    out += rest[i++];
  }
  return out + "$";
}

size_t code_points(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

struct Sample {
  std::vector<std::pair<std::string, std::string>> sections;  // name, url (home page order)
  std::map<std::string, std::vector<std::string>> articles;   // shape -> example URLs
  std::map<std::string, std::vector<std::string>> lists;      // shape -> example URLs
  // Shapes the URL heuristics do not know (show.php?id=123) repeated on a section page: kept
  // as article shapes only when their sampled page is an article.
  std::map<std::string, std::vector<std::string>> maybe_articles;
  std::vector<std::string> feeds;
  std::vector<std::string> sitemaps;
  std::string site;
  int fetched = 0;
  // What the extractor read on the first sampled articles (at most kReportedArticles): the
  // report printed with the draft, so a user sees at once whether the site's pages extract.
  std::vector<std::pair<std::string, extract::Article>> sampled_articles;
};

constexpr size_t kReportedArticles = 3;

class Discoverer {
 public:
  Discoverer(const DiscoverArgs& a, crawler::FetchOneOptions o) : a_(a), o_(std::move(o)) {
    host_ = crawler::host_of(a.url);
  }
  int run(Sample& s);

 private:
  const DiscoverArgs& a_;
  crawler::FetchOneOptions o_;
  std::string host_;
  std::set<std::string> fetched_;
  crawler::LinkClassifier classifier_;

  std::optional<crawler::FetchOneResult> fetch(const std::string& url, Sample& s) {
    if (s.fetched >= a_.max_pages || !fetched_.insert(url).second) return std::nullopt;
    if (s.fetched > 0) std::this_thread::sleep_for(o_.delay);
    ++s.fetched;
    crawler::FetchOneResult r = crawler::fetch_one(url, o_);
    if (!r.ok) {
      std::cerr << "newsharvest discover: " << url << ": " << r.error << "\n";
      return std::nullopt;
    }
    return r;
  }
  std::vector<crawler::Link> links_of(const extract::Page& page) const {
    std::vector<crawler::Link> out;
    for (const auto& l : page.links) {
      crawler::UrlResult n = crawler::normalize(l.url);
      if (n && crawler::host_of(n.url) == host_) out.push_back({n.url, l.text});
    }
    return out;
  }
  // The heuristics' kind, and a list for a query naming a list action (PHPCMS
  // index.php?m=content&c=index&a=lists&catid=12, ?action=list).
  crawler::LinkKind kind(const std::string& url) const {
    const crawler::LinkKind k = classifier_.kind(url);
    if (k != crawler::LinkKind::other) return k;
    static const re2::RE2 list_query(R"([?&][A-Za-z_]+=(list|lists)(&|$))");
    return re2::RE2::PartialMatch(url, list_query) ? crawler::LinkKind::list : k;
  }
  void note_links(const std::vector<crawler::Link>& links, Sample& s) const {
    for (const auto& l : links)
      if (kind(l.url) == crawler::LinkKind::article) s.articles[shape_of(l.url)].push_back(l.url);
  }
  // A section page's links of no known kind whose shape has an id (digits) and recurs on the
  // page (3 distinct URLs or more): a list's items, articles to confirm.
  void note_unknown_items(const std::vector<crawler::Link>& links, Sample& s) const {
    std::map<std::string, std::set<std::string>> by_shape;
    for (const auto& l : links)
      if (kind(l.url) == crawler::LinkKind::other) by_shape[shape_of(l.url)].insert(l.url);
    for (const auto& [shape, urls] : by_shape)
      if (urls.size() >= 3 && shape.find("\\d") != std::string::npos && !s.lists.contains(shape))
        for (const auto& u : urls) s.maybe_articles[shape].push_back(u);
  }
  void read_robots(Sample& s);
  static void note_article(const std::string& url, const extract::Page& page, Sample& s) {
    if (s.sampled_articles.size() < kReportedArticles)
      s.sampled_articles.emplace_back(url, page.article);
  }
};

void Discoverer::read_robots(Sample& s) {
  crawler::FetchOneOptions ro = o_;
  ro.ignore_robots = true;
  crawler::UrlResult origin = crawler::resolve(a_.url, "/robots.txt");
  if (!origin) return;
  crawler::FetchOneResult r = crawler::fetch_one(origin.url, ro);
  if (!r.ok) return;
  const crawler::Robots robots = crawler::Robots::parse(r.response.body);
  for (const auto& m : robots.sitemaps())
    if (crawler::UrlResult u = crawler::normalize(m); u && crawler::host_of(u.url) == host_)
      s.sitemaps.push_back(u.url);
}

int Discoverer::run(Sample& s) {
  auto home = fetch(a_.url, s);
  if (!home) return kFailure;
  s.site = home->page.article.site.value_or("");
  const std::vector<crawler::Link> links = links_of(home->page);
  std::set<std::string> seen_sections;
  for (const auto& l : links) {
    const std::string low = l.url;
    if ((low.ends_with(".xml") || low.find("rss") != std::string::npos ||
         low.find("feed") != std::string::npos) &&
        std::find(s.feeds.begin(), s.feeds.end(), l.url) == s.feeds.end() &&
        low.find("sitemap") == std::string::npos)
      s.feeds.push_back(l.url);
    const size_t cp = code_points(l.text);
    if (kind(l.url) == crawler::LinkKind::list && cp >= 2 && cp <= 10 && l.url != a_.url &&
        seen_sections.insert(l.url).second)
      s.sections.emplace_back(l.text, l.url);
  }
  note_links(links, s);
  read_robots(s);
  // The sections' first pages (their pager and articles), then one article of each shape.
  for (const auto& [name, url] : s.sections) {
    auto r = fetch(url, s);
    if (!r) continue;
    s.lists[shape_of(url)].push_back(url);
    const auto page_links = links_of(r->page);
    note_links(page_links, s);
    crawler::Pager pager = crawler::find_pager(url, page_links);
    if (pager.next) s.lists[shape_of(*pager.next)].push_back(*pager.next);
    note_unknown_items(page_links, s);
    // A section page without article links is an index of lists (an e-paper's issues): its
    // first list link that is no section, no home page and no pager page is sampled too.
    if (std::none_of(page_links.begin(), page_links.end(), [&](const crawler::Link& l) {
          return kind(l.url) == crawler::LinkKind::article;
        })) {
      for (const auto& l : page_links) {
        if (kind(l.url) != crawler::LinkKind::list || l.url == url || l.url == a_.url ||
            seen_sections.contains(l.url) || (pager.next && l.url == *pager.next) ||
            std::find(pager.numbered.begin(), pager.numbered.end(), l.url) !=
                pager.numbered.end() ||
            crawler::resolve(a_.url, "/").url == l.url)
          continue;
        if (auto sub = fetch(l.url, s)) {
          s.lists[shape_of(l.url)].push_back(l.url);
          const auto sub_links = links_of(sub->page);
          note_links(sub_links, s);
          note_unknown_items(sub_links, s);
        }
        break;
      }
    }
  }
  // Unknown shapes first: they are kept only when confirmed.
  for (auto& [shape, urls] : s.maybe_articles) {
    if (s.lists.contains(shape) || s.articles.contains(shape)) continue;
    auto r = fetch(urls.front(), s);
    if (r && r->page.kind == extract::PageKind::article) {
      s.articles[shape] = urls;
      note_article(urls.front(), r->page, s);
    }
  }
  for (auto it = s.articles.begin(); it != s.articles.end();) {
    auto r = fetch(it->second.front(), s);
    // An unfetched shape (sample exhausted) is kept on the URL heuristics' word; a fetched page
    // that is no article drops its shape.
    if (r && r->page.kind != extract::PageKind::article) {
      it = s.articles.erase(it);
    } else {
      if (r) note_article(it->second.front(), r->page, s);
      ++it;
    }
  }
  return kOk;
}

std::string toml_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string draft(const DiscoverArgs& a, const Sample& s, const std::string& name) {
  const std::string host = crawler::host_of(a.url);
  std::string t = "# Drafted by `newsharvest discover " + a.url + "` from the home page and " +
                  std::to_string(s.fetched) +
                  " sampled page(s).\n# Check it against the site before crawling: sections "
                  "are the home page's short list links,\n# URL patterns the shapes of the "
                  "URLs seen (digits generalised). Validate: newsharvest check-config FILE\n\n";
  t += "name = " + toml_string(name) + "\n";
  if (!s.site.empty()) t += "display_name = " + toml_string(s.site) + "\n";
  t += "seeds = [" + toml_string(a.url) + "]\nhosts = [" + toml_string(host) + "]\n";
  // The zone of the host's country domain when that country keeps one clock, else the default.
  const std::string_view tld = std::string_view(host).substr(host.rfind('.') + 1);
  const std::string_view zone = extract::rules::country_time_zone(tld);
  t += std::string(zone.empty() ? "# the default zone; set the site's own\n"
                                : "# from the host's country domain\n") +
       "time_zone = " + toml_string(zone.empty() ? "Asia/Shanghai" : std::string(zone)) + "\n";
  t += "# only links matching [urls] list/article below (plus sections, feeds, sitemaps)\n"
       "follow = \"patterns\"\n";
  auto list = [&](const char* key, const std::vector<std::string>& v, const char* why) {
    t += std::string("# ") + why + "\n" + key + " = [";
    for (size_t i = 0; i < v.size(); ++i) t += (i ? ", " : "") + toml_string(v[i]);
    t += "]\n";
  };
  list("sitemaps", s.sitemaps, "named in robots.txt (empty: robots.txt's are used anyway)");
  list("feeds", s.feeds, "linked from the home page");
  for (const auto& [sec, url] : s.sections)
    t += "\n[[sections]]  # linked from the home page\nname = " + toml_string(sec) +
         "\nurl = " + toml_string(url) + "\n";
  t += "\n[urls]\n";
  auto patterns = [&](const char* key, const std::map<std::string, std::vector<std::string>>& m,
                      const char* what) {
    t += std::string("# ") + what + "\n" + key + " = [\n";
    for (const auto& [shape, urls] : m)
      if (shape.find('\'') == std::string::npos)
        t += "  '" + shape + "',  # " + std::to_string(urls.size()) + " seen, e.g. " +
             urls.front() + "\n";
    t += "]\n";
  };
  patterns("list", s.lists, "section pages and their next pages");
  patterns("article", s.articles, "article links (pages in the sample confirmed as articles)");
  t += "\n[politeness]\ndelay_ms = 1000\n";
  return t;
}

// On stderr, what the extractor read on the sampled articles (the draft's comments count the
// sampled URLs each pattern matched).
void report(const Sample& s) {
  std::cerr << "newsharvest discover: the extractor on " << s.sampled_articles.size()
            << " sampled article(s):\n";
  for (const auto& [url, art] : s.sampled_articles) {
    std::string people;
    for (const auto& r : art.reporters) people += (people.empty() ? "" : ", ") + r;
    std::cerr << "  " << url << "\n    title: " << art.title.value_or("-")
              << "\n    published: " << art.published_at.value_or("-")
              << "\n    reporters: " << (people.empty() ? "-" : people)
              << "\n    section: " << art.section.value_or("-") << "\n";
  }
}

int run_discover(const DiscoverArgs& a) {
  if (!crawler::normalize(a.url)) throw UsageError("discover: not an http(s) URL: " + a.url);
  crawler::FetchOneOptions o;
  for (const auto& c : a.connect_to)
    o.connect_to.push_back(config::parse_connect_to(c, "--connect-to").curl_spec());
  for (const auto& r : a.resolve)
    o.resolve.push_back(config::parse_resolve(r, "--resolve").curl_spec());
  o.allow_private = a.allow_private;
  o.delay = std::chrono::milliseconds(a.delay_ms);
  Sample s;
  Discoverer d(a, o);
  if (d.run(s) != kOk) return kFailure;
  std::string name = a.name;
  if (name.empty()) {
    std::string host = crawler::host_of(a.url);
    if (host.starts_with("www.")) host = host.substr(4);
    name = host.substr(0, host.find('.'));
  }
  const std::string text = draft(a, s, name);
  config::parse_profile(text, "discover draft");  // a ConfigError here is a bug: exit 2
  report(s);
  if (a.output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + a.output);
    std::cerr << "newsharvest discover: wrote " << a.output << " (" << s.sections.size()
              << " sections, " << s.articles.size() << " article pattern(s), " << s.fetched
              << " page(s) fetched)\n";
  }
  return kOk;
}

}  // namespace

void add_discover_command(CLI::App& app, Registry& registry) {
  auto a = std::make_shared<DiscoverArgs>();
  CLI::App* sub = app.add_subcommand(
      "discover", "Draft a site profile from a portal's home page and a sample of its pages");
  sub->add_option("url", a->url, "The portal's home page")->required();
  sub->add_option("--name", a->name, "Profile name (default: from the host)");
  sub->add_option("-o,--output", a->output, "Write the draft here (default: stdout)");
  sub->add_option("--max-pages", a->max_pages, "Pages fetched at most, home page included")
      ->check(CLI::Range(1, 200));
  sub->add_option("--delay-ms", a->delay_ms, "Pause between two requests")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--connect-to", a->connect_to, "HOST:PORT:TO_HOST:TO_PORT (repeatable)");
  sub->add_option("--resolve", a->resolve, "HOST:PORT:ADDRESS (repeatable)");
  sub->add_flag("--allow-private", a->allow_private,
                "Connect to loopback/private/link-local addresses (refused by default)");
  registry[sub] = [a] { return run_discover(*a); };
}

}  // namespace nh::cli
