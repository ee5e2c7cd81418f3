// `newsharvest discover URL` on the demo portal: a bounded sample of requests, a draft that
// check-config accepts, with the sections of the home page, article patterns that match the
// portal's article URLs (and not its list pages), the pager's form, feed and sitemap — and a
// crawl with the draft stores articles.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "config/config.h"
#include "portal.h"
#include "store/store.h"

namespace nh::testing {
namespace {

using nlohmann::json;

TEST(Discover, Spec_DraftsAProfileThatChecksAndCrawls) {
  Portal portal({"--per-section", "20", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string file = (tmp.path() / "draft.toml").string();
  auto r = run_cli({"discover", "http://demo.portal.test/", "--connect-to", portal.connect_to(),
                    "--allow-private", "--delay-ms", "0", "--max-pages", "12", "-o", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // At most 12 pages; robots.txt is read before each (fetch's rule) and once for its Sitemap:.
  long pages = 0, robots = 0;
  for (const auto& q : portal.requests()) (q["path"] == "/robots.txt" ? robots : pages)++;
  EXPECT_LE(pages, 12);
  EXPECT_LE(robots, 13);

  auto check = run_cli({"check-config", file});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  const config::Config cfg = config::load_profile(file);
  EXPECT_EQ(cfg.name, "demo");
  EXPECT_EQ(cfg.display_name, "示范政协新闻网");
  EXPECT_EQ(cfg.seeds, std::vector<std::string>{"http://demo.portal.test/"});
  EXPECT_EQ(cfg.sitemaps, std::vector<std::string>{"http://demo.portal.test/sitemap.xml"});
  EXPECT_EQ(cfg.feeds, std::vector<std::string>{"http://demo.portal.test/rss.xml"});
  std::vector<std::pair<std::string, std::string>> sections;
  for (const auto& s : cfg.sections) sections.emplace_back(s.name, s.url);
  EXPECT_NE(std::find(sections.begin(), sections.end(),
                      std::pair<std::string, std::string>{
                          "时政动态", "http://demo.portal.test/szdt/index.html"}),
            sections.end());
  // The pager's form: the section's next page is a list page.
  EXPECT_TRUE(cfg.is_list_url("http://demo.portal.test/szdt/index_1.html"));
  EXPECT_TRUE(cfg.is_list_url("http://demo.portal.test/szdt/index_7.html"));
  for (const auto& s : cfg.sections) EXPECT_FALSE(cfg.is_article_url(s.url)) << s.url;
  // Every article of the sections drafted matches an article pattern, whatever its id.
  const json manifest = portal.manifest();  // named: the loop borrows from it
  int checked = 0;
  for (const auto& a : manifest["articles"]) {
    const std::string url = a["url"];
    if (url.starts_with("http://demo.portal.test/szdt/2") ||
        url.starts_with("http://demo.portal.test/tzgg/2")) {
      EXPECT_TRUE(cfg.is_article_url(url)) << url;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
  EXPECT_TRUE(cfg.is_article_url("http://demo.portal.test/szdt/202612/t20261201_123456.html"));

  // The draft follows only what its patterns name, on the site's clock.
  EXPECT_EQ(cfg.follow, config::Follow::patterns);
  EXPECT_EQ(cfg.time_zone, "Asia/Shanghai");
  // The report: what the extractor read on three sampled articles.
  EXPECT_NE(r.err.find("newsharvest discover: the extractor on 3 sampled article(s):\n"),
            std::string::npos)
      << r.err;
  size_t titled = 0;
  for (size_t p = r.err.find("\n    title: "); p != std::string::npos;
       p = r.err.find("\n    title: ", p + 1))
    if (r.err.compare(p + 12, 2, "- ") != 0) ++titled;
  EXPECT_EQ(titled, 3u) << r.err;

  // The draft crawls as written (the portal is on 127.0.0.1: allowed for this test), to the
  // end: the portal's articles are stored, although only pattern-matching links were followed.
  auto crawl =
      run_cli({"crawl", "--config", file, "--db", (tmp.path() / "d.db").string(), "--connect-to",
               portal.connect_to(), "--allow-private", "--quiet", "-s", "politeness.delay_ms=0"});
  EXPECT_EQ(crawl.exit_code, 0) << crawl.err;
  auto st = store::Store::open((tmp.path() / "d.db").string(), read_only());
  int want = 0, stored = 0;
  for (const auto& a : manifest["articles"]) {
    const std::string url = a["url"];
    if (!url.starts_with("http://demo.portal.test/")) continue;
    ++want;
    if (st.find_article(url)) ++stored;
  }
  EXPECT_GT(want, 100);
  EXPECT_GE(stored * 100, want * 95) << stored << " of " << want;
}

// The drafted [urls] patterns classify the demo portal's URLs: of its article URLs (on the
// portal's host) and list URLs (every page of every section list, the e-paper's issue pages),
// at least 95 % are classified as what they are (article: an article pattern and no list
// pattern matches; list: the other way round).
TEST(Discover, Spec_DraftedPatternsClassifyTheDemoPortalsArticleAndListUrls) {
  Portal portal({"--per-section", "20", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string file = (tmp.path() / "draft.toml").string();
  auto r = run_cli({"discover", "http://demo.portal.test/", "--connect-to", portal.connect_to(),
                    "--allow-private", "--delay-ms", "0", "--max-pages", "12", "-o", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const config::Config cfg = config::load_profile(file);
  const json manifest = portal.manifest();
  int total = 0, right = 0;
  std::string wrong;
  auto score = [&](const std::string& url, bool article) {
    ++total;
    if (cfg.is_article_url(url) == article && cfg.is_list_url(url) == !article)
      ++right;
    else
      wrong += (article ? "article " : "list ") + url + "\n";
  };
  for (const auto& a : manifest["articles"])
    if (const std::string url = a["url"]; url.starts_with("http://demo.portal.test/"))
      score(url, true);
  for (const auto& [slug, l] : manifest["lists"].items()) {
    for (const auto& p : l["pages"]) score(p.get<std::string>(), false);
    if (l.contains("issues"))
      for (const auto& p : l["issues"]) score(p.get<std::string>(), false);
  }
  ASSERT_GT(total, 100);
  const double share = static_cast<double>(right) / total;
  EXPECT_GE(share, 0.95) << right << " of " << total << " classified right; wrong:\n" << wrong;
  // The PHPCMS section (a query-string list) is a section, its pages list pages.
  std::vector<std::string> urls;
  for (const auto& s : cfg.sections) urls.push_back(s.url);
  EXPECT_NE(std::find(urls.begin(), urls.end(),
                      "http://demo.portal.test/index.php?m=content&c=index&a=lists&catid=12"),
            urls.end());
  EXPECT_TRUE(cfg.is_list_url(
      "http://demo.portal.test/index.php?m=content&c=index&a=lists&catid=12&page=3"));
}

TEST(Discover, Spec_UnreachableHomePageExitsOne) {
  Portal portal({"--per-section", "1"});
  auto r = run_cli({"discover", "http://demo.portal.test/no/such/", "--connect-to",
                    portal.connect_to(), "--allow-private", "--delay-ms", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "newsharvest discover: http://demo.portal.test/no/such/: HTTP 404\n");
}

}  // namespace
}  // namespace nh::testing
