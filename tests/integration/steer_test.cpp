// Steering a crawl from the command line: -s KEY=VALUE overrides (validated like the file, errors
// name the key), --max-time (a clean, resumable stop), --dry-run (lists the start URLs and due
// re-checks, requests nothing); and the profile's follow = "patterns".
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "portal.h"
#include "store/store.h"

namespace nh::testing {
namespace {

using nlohmann::json;

const char* kStartLines =
    "seed\thttp://demo.portal.test/\n"
    "section\thttp://demo.portal.test/szdt/index.html\n"
    "section\thttp://demo.portal.test/index.php?m=content&c=index&a=lists&catid=12\n"
    "section\thttp://demo.portal.test/wyfc/index.html\n"
    "section\thttp://demo.portal.test/col/col15/index.html\n"
    "section\thttp://demo.portal.test/tzgg/index.html\n"
    "section\thttp://demo.portal.test/epaper/index.html\n"
    "sitemap\thttp://demo.portal.test/sitemap.xml\n"
    "sitemap\thttp://www.gxzx-mirror.test/sitemap.xml\n"
    "feed\thttp://demo.portal.test/rss.xml\n";

std::vector<std::string> crawl_args(const Portal& portal, const std::string& db,
                                    std::vector<std::string> more) {
  std::vector<std::string> a{
      "crawl", "--site", "demo", "--db", db, "--connect-to", portal.connect_to(), "--quiet"};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

TEST(Steer, Spec_DryRunListsStartUrlsAndDueRechecksWithoutARequest) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "dry.db").string();
  auto dry = run_cli(crawl_args(portal, db, {"--dry-run"}));
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out, kStartLines);
  EXPECT_EQ(dry.err, "newsharvest: dry run of site demo (database " + db +
                         "): nothing was requested; 0 re-check(s) due\n");
  EXPECT_TRUE(portal.requests().empty()) << "not even robots.txt";
  EXPECT_FALSE(std::filesystem::exists(db)) << "a dry run creates no database";

  // After a crawl, the stored articles younger than the re-check window are listed (the
  // override widens the profile's window of 0 days to all of them).
  auto full = run_cli(crawl_args(portal, db, {}));
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const std::size_t after_crawl = portal.requests().size();
  auto again = run_cli(crawl_args(
      portal, db, {"--dry-run", "-s", "recrawl.recheck_articles_younger_than_days=36500"}));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto st = store::Store::open(db, read_only());
  std::string expected = kStartLines;
  for (const auto& row :
       query(st.raw_handle(),
             "SELECT coalesce(p.url, a.url) FROM articles a LEFT JOIN raw_pages p ON p.id = "
             "a.raw_page_id ORDER BY a.id"))
    expected += "recheck\t" + *row[0] + "\n";
  const json manifest = portal.manifest();
  EXPECT_EQ(again.out, expected);
  EXPECT_NE(again.err.find("; " + std::to_string(manifest["articles"].size()) + " re-check(s) due"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(portal.requests().size(), after_crawl);
}

TEST(Steer, Spec_OverridesApplyForOneRun) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "o.db").string();
  auto r = run_cli(crawl_args(portal, db,
                              {"-s", "limits.max_pages=4", "-s", "politeness.delay_ms=300", "-s",
                               "politeness.max_connections_per_host=1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Exactly four pages (robots.txt aside), to demo.portal.test 300 ms apart at least.
  std::vector<long long> starts;
  std::vector<std::string> pages;
  for (const auto& q : portal.requests()) {
    if (q["path"] == "/robots.txt") continue;
    pages.push_back(q["path"]);
    if (q["host"] == "demo.portal.test")
      starts.push_back(log_ms(q["time"]));  // "start" is the keep-alive wait
  }
  EXPECT_EQ(pages.size(), 4u);
  std::sort(starts.begin(), starts.end());
  for (std::size_t i = 1; i < starts.size(); ++i)
    EXPECT_GE(starts[i] - starts[i - 1], 290) << "request " << i;
  // The profile itself is unchanged: the next run without overrides takes its 2000 pages.
  auto rest = run_cli(crawl_args(portal, db, {}));
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  auto st = store::Store::open(db, read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(portal.manifest()["articles"].size()));
}

TEST(Steer, Spec_BadOverridesNameTheKeyAndNothingIsRequested) {
  Portal portal({"--per-section", "1", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "bad.db").string();
  auto r = run_cli(crawl_args(portal, db,
                              {"-s", "politeness.delay_ms=soon", "-s", "limits.max_pagez=5", "-s",
                               "recrawl.list_lookback_pages=0"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "-s limits.max_pagez=5: limits.max_pagez: unknown key; did you mean "
            "\"limits.max_pages\"?\n"
            "-s politeness.delay_ms=soon: politeness.delay_ms: expected an integer, got a string\n"
            "-s recrawl.list_lookback_pages=0: recrawl.list_lookback_pages: must be positive, got "
            "0\n");
  auto shape = run_cli(crawl_args(portal, db, {"-s", "limits.max_pages"}));
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_EQ(shape.err, "-s limits.max_pages: expected KEY=VALUE (e.g. limits.max_pages=50)\n");
  auto sections = run_cli(crawl_args(portal, db, {"-s", "sections.name=x"}));
  EXPECT_EQ(sections.exit_code, 2);
  EXPECT_EQ(sections.err,
            "-s sections.name=x: sections.name: cannot set a key inside sections (not a table; "
            "arrays of tables such as [[sections]] cannot be overridden)\n");
  auto time = run_cli(crawl_args(portal, db, {"--max-time", "5x"}));
  EXPECT_EQ(time.exit_code, 2);
  EXPECT_EQ(time.err,
            "newsharvest: crawl: --max-time: expected a duration such as 30s, 10m, 2h or 1h30m, "
            "got '5x'\n");
  EXPECT_TRUE(portal.requests().empty());
  EXPECT_FALSE(std::filesystem::exists(db));
}

// --max-time stops requesting new pages when the time is up; the run is recorded ok (exit 0),
// the summary says why it stopped, and the next run finishes the site fetching nothing twice.
TEST(Steer, Spec_MaxTimeStopsCleanlyAndTheNextRunResumes) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "t.db").string();
  auto first = run_cli({"crawl", "--site", "demo", "--db", db, "--connect-to", portal.connect_to(),
                        "-s", "politeness.delay_ms=250", "--max-time", "1s"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find(", stopped at --max-time"), std::string::npos) << first.err;
  const auto log1 = portal.requests();
  ASSERT_FALSE(log1.empty());
  const long long t0 = log_ms(log1.front()["time"]);
  for (const auto& q : log1) EXPECT_LE(log_ms(q["time"]) - t0, 1300) << q["path"];
  auto second = run_cli(crawl_args(portal, db, {}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto st = store::Store::open(db, read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(portal.manifest()["articles"].size()));
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM runs WHERE status = 'ok'"), "2");
  std::map<std::string, int> fetched;
  for (const auto& q : portal.requests())
    fetched[q["host"].get<std::string>() + q["path"].get<std::string>()]++;
  const json manifest = portal.manifest();  // named: the loop borrows from it
  for (const auto& a : manifest["articles"]) {
    const std::string url = a["url"];
    EXPECT_EQ(fetched[url.substr(7)], 1) << url;
  }
}

// follow = "patterns": only URLs in a list or article shape of the profile are requested (plus
// start URLs, sitemaps, feeds and robots.txt), where the default follows every link in scope.
TEST(FollowPatterns, Spec_OnlyUrlsMatchingListOrArticlePatternsAreRequested) {
  Portal portal({"--faults", "--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::vector<std::regex> shapes = {
      // config/sites/demo.toml [urls] list and article, as std::regex (same syntax here).
      std::regex(R"(^https?://[^/]+/(szdt|wyfc|tzgg)/(index(_\d+)?|list(_\d+)?_\d+)\.html$)"),
      std::regex(R"(^https?://[^/]+/index\.php\?m=content&c=index&a=lists&catid=\d+(&page=\d+)?$)"),
      std::regex(R"(^https?://[^/]+/col/col\d+/index\.html(\?page=\d+)?$)"),
      std::regex(R"(^https?://[^/]+/epaper/index\.html$)"),
      std::regex(R"(^https?://[^/]+/html/\d{4}-\d{2}/\d{2}/node_\d+\.htm$)"),
      std::regex(R"(^https?://[^/]+/(szdt|tzgg)/\d{6}/t\d{8}_\d+(_\d+)?\.html$)"),
      std::regex(R"(^https?://[^/]+/xsyz/show-\d+-\d+\.html$)"),
      std::regex(R"(^https?://[^/]+/a/\d{8}/\d+(_\d+)?\.html$)"),
      std::regex(R"(^https?://[^/]+/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$)"),
      std::regex(R"(^https?://[^/]+/html/\d{4}-\d{2}/\d{2}/content_\d+\.htm$)"),
      std::regex(R"(^https?://www\.gxzx-mirror\.test/news/\d{4}/\d{4}/\d+\.html$)"),
  };
  std::set<std::string> start;
  {
    std::istringstream in(kStartLines);
    for (std::string line; std::getline(in, line);) start.insert(line.substr(line.find('\t') + 1));
  }
  // URLs requested that are neither start URLs nor robots.txt nor in a profile shape.
  auto unmatched = [&](std::size_t from) {
    std::vector<std::string> out;
    const auto log = portal.requests();
    for (std::size_t i = from; i < log.size(); ++i) {
      const std::string url =
          "http://" + log[i]["host"].get<std::string>() + log[i]["path"].get<std::string>();
      if (log[i]["path"] == "/robots.txt" || start.contains(url)) continue;
      if (std::none_of(shapes.begin(), shapes.end(),
                       [&](const std::regex& re) { return std::regex_search(url, re); }))
        out.push_back(url);
    }
    return out;
  };
  auto scoped = run_cli({"crawl", "--site", "demo", "--db", (tmp.path() / "scope.db").string(),
                         "--connect-to", portal.connect_to(), "-s", "limits.max_retries=0"});
  EXPECT_EQ(scoped.exit_code, 3) << "the fault links fail: " << scoped.err;
  EXPECT_FALSE(unmatched(0).empty()) << "the default follows links in any shape";
  const std::size_t before = portal.requests().size();
  auto r = run_cli({"crawl", "--site", "demo", "--db", (tmp.path() / "patterns.db").string(),
                    "--connect-to", portal.connect_to(), "-s", "follow=patterns", "-s",
                    "limits.max_retries=0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(unmatched(before), std::vector<std::string>{});
  EXPECT_NE(r.err.find(" link(s) not followed: no list or article pattern matches (follow = "
                       "\"patterns\")"),
            std::string::npos)
      << r.err;
  // Every article is still found.
  auto st = store::Store::open((tmp.path() / "patterns.db").string(), read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(portal.manifest()["articles"].size()));
}

TEST(FollowPatterns, Spec_ProfileValuesAreChecked) {
  TempDir tmp;
  const auto p = tmp.path() / "p.toml";
  {
    std::ofstream out(p);
    out << "name = \"p\"\nseeds = [\"http://a.test/\"]\nfollow = \"patterns\"\n";
  }
  auto none = run_cli({"check-config", p.string()});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, p.string() +
                          ":3:1: follow: \"patterns\" needs [urls] list or article patterns to "
                          "follow\n");
  auto bad = run_cli({"crawl", "--config", p.string(), "--dry-run", "-s", "follow=all"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "-s follow=all: follow: expected \"scope\" or \"patterns\", got \"all\"\n");
}

}  // namespace
}  // namespace nh::testing
