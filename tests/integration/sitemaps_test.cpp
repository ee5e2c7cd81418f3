// Sitemaps as sites publish them: the robots.txt Sitemap: lines when the profile names none,
// a sitemap index of .xml.gz sitemaps served without Content-Encoding, and <lastmod> telling
// which stored articles changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "portal.h"
#include "store/store.h"

namespace nh::testing {
namespace {

using nlohmann::json;

// The articles the portal serves on demo.portal.test (the mirror's are in its own sitemap).
std::set<std::string> main_articles(const Portal& portal) {
  std::set<std::string> out;
  const json manifest = portal.manifest();  // named: the loop borrows from it
  for (const auto& a : manifest["articles"]) {
    const std::string url = a["url"];
    if (url.starts_with("http://demo.portal.test/")) out.insert(url);
  }
  return out;
}

std::set<std::string> stored(const std::string& db) {
  auto st = store::Store::open(db, read_only());
  std::set<std::string> out;
  for (const auto& row : query(st.raw_handle(), "SELECT url FROM articles")) out.insert(*row[0]);
  return out;
}

// Requests to demo.portal.test, path only, in order.
std::vector<std::string> main_paths(const Portal& portal) {
  std::vector<std::string> out;
  for (const auto& q : portal.requests())
    if (q["host"] == "demo.portal.test") out.push_back(q["path"]);
  return out;
}

// Start URLs only (max_depth 0: no link of a page is followed), no feed: every article comes
// from a sitemap.
std::vector<std::string> args(const Portal& portal, const std::string& db, const char* sitemaps) {
  return {"crawl",
          "--site",
          "demo",
          "--db",
          db,
          "--connect-to",
          portal.connect_to(),
          "--quiet",
          "-s",
          std::string("sitemaps=") + sitemaps,
          "-s",
          "feeds=[]",
          "-s",
          "limits.max_depth=0"};
}

TEST(Sitemaps, Spec_RobotsTxtSitemapLinesAreFollowedWhenTheProfileHasNone) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "robots.db").string();
  auto r = run_cli(args(portal, db, "[]"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto paths = main_paths(portal);
  ASSERT_GE(paths.size(), 2u);
  EXPECT_EQ(paths[0], "/robots.txt");
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/sitemap.xml"), 1);
  EXPECT_EQ(stored(db), main_articles(portal));
}

TEST(Sitemaps, Spec_GzipSitemapsInAnIndexAreRead) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "gz.db").string();
  auto r = run_cli(args(portal, db, "['/sitemaps/index.xml']"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto paths = main_paths(portal);
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/sitemaps/index.xml"), 1);
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/sitemaps/articles.xml.gz"), 1);
  // The profile names a sitemap: robots.txt's Sitemap: line is not used.
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/sitemap.xml"), 0);
  EXPECT_EQ(stored(db), main_articles(portal));
  // Capped like any body: a limit below the inflated size fails the sitemap (and so the run).
  const std::string small = (tmp.path() / "small.db").string();
  auto a = args(portal, small, "['/sitemaps/index.xml']");
  a.insert(a.end(), {"-s", "limits.max_body_bytes=600", "-s", "limits.max_retries=0"});
  auto capped = run_cli(a);
  EXPECT_EQ(capped.exit_code, 3) << capped.err;
  auto st = store::Store::open(small, read_only());
  EXPECT_EQ(scalar(st.raw_handle(),
                   "SELECT last_error FROM frontier WHERE url = "
                   "'http://demo.portal.test/sitemaps/articles.xml.gz'"),
            "gzip body over max_body_bytes");
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"), "0");
}

// <lastmod> guides re-checks: an article the sitemap dates after its stored version is fetched
// again (and its correction stored as a new version); the others are not, and once the new
// version is stored the next run leaves it alone.
TEST(Sitemaps, Spec_LastmodNewerThanTheStoredVersionIsFetchedAgain) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "lastmod.db").string();
  auto crawl = [&] {
    return run_cli(
        {"crawl", "--site", "demo", "--db", db, "--connect-to", portal.connect_to(), "--quiet"});
  };
  auto first = crawl();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // The store keeps times to the second: the correction comes a second after the crawl.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const json revised = portal.admin("/__admin/revise?n=2")["revised"];
  ASSERT_EQ(revised.size(), 2u);
  auto count_fetches = [&](std::size_t from) {
    std::map<std::string, int> n;
    const auto log = portal.requests();
    for (std::size_t i = from; i < log.size(); ++i)
      n["http://" + log[i]["host"].get<std::string>() + log[i]["path"].get<std::string>()]++;
    return n;
  };
  const std::size_t before = portal.requests().size();
  auto second = crawl();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto fetched = count_fetches(before);
  const json manifest = portal.manifest();  // named: the loop borrows from it
  for (const auto& a : manifest["articles"]) {
    const std::string url = a["url"];
    const bool is_revised = std::find(revised.begin(), revised.end(), url) != revised.end();
    EXPECT_EQ(fetched[url], is_revised ? 1 : 0) << url;
  }
  {
    auto st = store::Store::open(db, read_only());
    for (const auto& url : revised) {
      auto got = st.find_article(url.get<std::string>());
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(got->version, 2) << url;
      ASSERT_TRUE(got->article.body.has_value());
      EXPECT_TRUE(got->article.body->ends_with("(更正:本文有关数据已于今日核实更新。)"))
          << *got->article.body;
    }
  }
  const std::size_t before_third = portal.requests().size();
  auto third = crawl();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  auto again = count_fetches(before_third);
  for (const auto& url : revised) EXPECT_EQ(again[url.get<std::string>()], 0) << url;
}

}  // namespace
}  // namespace nh::testing
