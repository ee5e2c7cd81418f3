// `newsharvest fetch` against the demo portal: one page, politely, printed as the JSON record.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crawler/fetcher.h"
#include "portal.h"
#include "store/store.h"

namespace nh::testing {
namespace {

using nlohmann::json;

class Fetch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { portal_ = new Portal(); }
  static void TearDownTestSuite() { delete portal_; }
  void SetUp() override { tmp_ = std::make_unique<TempDir>(); }

  static CommandResult fetch(std::vector<std::string> args) {
    std::vector<std::string> all{"fetch"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--connect-to");
    all.push_back(portal_->connect_to());
    all.push_back("--allow-private");  // the portal is on 127.0.0.1
    return run_cli(all);
  }
  static json sample() {
    const json manifest = portal_->manifest();  // a named value: the loop borrows from it
    for (const auto& a : manifest["articles"]) {
      if (a["url"] == "http://demo.portal.test/szdt/202105/t20210526_1234.html") return a;
    }
    return {};
  }
  static long count_requests(const std::string& prefix) {
    long n = 0;
    const auto log = portal_->requests();
    for (const auto& r : log) n += r["path"].get<std::string>().starts_with(prefix);
    return n;
  }

  static inline Portal* portal_ = nullptr;
  std::unique_ptr<TempDir> tmp_;
};

TEST_F(Fetch, Spec_PrintsTheRecordOfAnArticle) {
  const json a = sample();
  ASSERT_FALSE(a.is_null());
  auto r = fetch({a["url"].get<std::string>()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json rec = json::parse(r.out);
  EXPECT_EQ(rec["url"], a["url"]);
  EXPECT_EQ(rec["final_url"], a["url"]);
  EXPECT_EQ(rec["title"], a["expected"]["title"]);
  EXPECT_EQ(rec["published_at"], a["expected"]["published_at"]);
  EXPECT_EQ(rec["body"], a["expected"]["body"]);
  EXPECT_TRUE(rec.contains("provenance"));
  EXPECT_FALSE(rec.contains("explain"));
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line of JSON on stdout";
}

TEST_F(Fetch, Spec_ExplainAddsTheCandidates) {
  auto r = fetch({sample()["url"].get<std::string>(), "--explain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out).contains("explain"));
}

TEST_F(Fetch, Spec_StoresOnlyWithDb) {
  const std::string url = sample()["url"];
  const auto db = tmp_->path() / "one.db";
  ASSERT_EQ(fetch({url}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(db));
  auto r = fetch({url, "--db", db.string(), "--site", "demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto st = store::Store::open(db.string(), read_only());
  auto got = st.find_article(url);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->site_name, "demo");
  EXPECT_EQ(got->article.title, sample()["expected"]["title"].get<std::string>());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM raw_pages"), "1");
  // Searchable at once, as after a crawl: nothing waits for the index.
  EXPECT_EQ(st.index_lag(), 0);
  EXPECT_EQ(st.search({"政协", std::nullopt, std::nullopt, 0}).size(), 1u);
}

// Without --allow-private the portal's loopback address is refused before connecting: exit 1,
// the message names the URL and the address, and the portal sees no request at all.
TEST_F(Fetch, Policy_LoopbackRefusedWithoutAllowPrivate) {
  const std::string url = "http://demo.portal.test/";
  const std::size_t before = portal_->requests().size();
  auto r = run_cli({"fetch", url, "--connect-to", portal_->connect_to()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(url), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused to connect: 127.0.0.1 is a loopback address"), std::string::npos)
      << r.err;
  EXPECT_EQ(portal_->requests().size(), before);
}

TEST_F(Fetch, Spec_NotFoundExitsOneNamingTheUrl) {
  const std::string url = "http://demo.portal.test/no/such/page.html";
  auto r = fetch({url});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(url), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("HTTP 404"), std::string::npos) << r.err;
}

TEST_F(Fetch, Spec_RobotsDisallowedExitsOneWithoutRequestingIt) {
  const std::string url = "http://demo.portal.test/admin/login.php";
  const long before = count_requests("/robots.txt");
  auto r = fetch({url});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(url), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("disallowed by robots.txt"), std::string::npos) << r.err;
  EXPECT_EQ(count_requests("/admin/"), 0);
  EXPECT_EQ(count_requests("/robots.txt"), before + 1);
}

TEST_F(Fetch, Spec_IgnoreRobotsFetchesAnyway) {
  const long before = count_requests("/robots.txt");
  auto r = fetch({"http://demo.portal.test/search/?q=x", "--ignore-robots"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_requests("/search/"), 1);
  EXPECT_EQ(count_requests("/robots.txt"), before);
}

// FetcherOptions::connect_to: the request goes to the portal's port while the URL and the Host
// header keep the virtual host (curl CONNECT_TO), for every host with an empty HOST:PORT.
TEST_F(Fetch, Spec_FetcherConnectToKeepsUrlAndHost) {
  crawler::FetcherOptions o;
  o.connect_to = {portal_->connect_to()};
  o.allow_private = true;  // the portal is on 127.0.0.1
  crawler::Fetcher fetcher(o);
  fetcher.submit(crawler::Request{"http://www.gxzx-mirror.test/sitemap.xml", {}, {}, {}, 7});
  auto rs = fetcher.drain();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].ok()) << rs[0].message;
  EXPECT_EQ(rs[0].status, 200);
  EXPECT_EQ(rs[0].tag, 7u);
  EXPECT_EQ(rs[0].final_url, "http://www.gxzx-mirror.test/sitemap.xml");
  EXPECT_NE(rs[0].body.find("http://www.gxzx-mirror.test/news/"), std::string::npos);
  const auto log = portal_->requests();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back()["host"], "www.gxzx-mirror.test");
  EXPECT_EQ(log.back()["path"], "/sitemap.xml");
}

// Many URLs (arguments and --input-list): records in input order whatever --jobs is, a failed
// URL named on stderr (exit 1 at the end) while the others are still fetched, and the requests
// to the one host made one after the other, robots.txt before each page.
TEST_F(Fetch, Spec_ManyUrlsInInputOrderFailuresNamed) {
  const std::string a = "http://demo.portal.test/szdt/202105/t20210526_1234.html";
  const std::string missing = "http://demo.portal.test/no/such/page.html";
  std::string b;
  const json manifest = portal_->manifest();
  for (const auto& art : manifest["articles"]) {
    const std::string u = art["url"];
    if (u != a && u.find("/xsyz/show-") != std::string::npos) b = u;
  }
  ASSERT_FALSE(b.empty());
  const auto list = tmp_->path() / "urls.txt";
  {
    std::ofstream out(list);
    out << "# two more\n" << missing << "\n\n" << b << "\n";
  }
  std::string first_out;
  for (const char* jobs : {"1", "3"}) {
    const std::size_t before = portal_->requests().size();
    auto r = fetch({a, "--input-list", list.string(), "--jobs", jobs, "--format", "jsonl"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.err, "newsharvest fetch: " + missing + ": HTTP 404\n");
    std::istringstream lines(r.out);
    std::vector<std::string> urls;
    for (std::string l; std::getline(lines, l);) urls.push_back(json::parse(l)["url"]);
    EXPECT_EQ(urls, (std::vector<std::string>{a, b})) << "--jobs " << jobs;
    if (first_out.empty())
      first_out = r.out;
    else
      EXPECT_EQ(r.out, first_out);
    const auto log = portal_->requests();
    std::vector<std::string> paths;
    for (std::size_t i = before; i < log.size(); ++i) paths.push_back(log[i]["path"]);
    const std::string pa = a.substr(a.find("/szdt/")), pb = b.substr(b.find("/xsyz/"));
    if (std::string(jobs) == "1") {
      EXPECT_EQ(paths, (std::vector<std::string>{"/robots.txt", pa, "/robots.txt",
                                                 "/no/such/page.html", "/robots.txt", pb}));
    } else {
      std::sort(paths.begin(), paths.end());
      EXPECT_EQ(paths, (std::vector<std::string>{"/no/such/page.html", "/robots.txt", "/robots.txt",
                                                 "/robots.txt", pa, pb}));
    }
  }
}

TEST_F(Fetch, Spec_BadUsageExitsTwo) {
  EXPECT_EQ(run_cli({"fetch", "mailto:x@example.com"}).exit_code, 2);
  EXPECT_EQ(run_cli({"fetch", "http://demo.portal.test/", "--connect-to", "nonsense"}).exit_code,
            2);
  EXPECT_EQ(run_cli({"crawl"}).exit_code, 2);
  EXPECT_EQ(run_cli({"crawl", "--site", "no-such-site"}).exit_code, 2);
}

TEST_F(Fetch, Spec_RedirectHopsReadTheirRobotsTxtBeforeTheyAreRequested) {
  // Two redirects ending at a path robots.txt disallows: refused without requesting it.
  const std::string url = "http://demo.portal.test/__fault/redirect/1?to=/admin/login.php";
  const long admin_before = count_requests("/admin/");
  auto r = fetch({url});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("redirected to http://demo.portal.test/admin/login.php, disallowed by "
                       "robots.txt"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count_requests("/admin/"), admin_before);
  // An allowed target is fetched at the end of the chain and printed.
  auto ok = fetch({"http://demo.portal.test/__fault/redirect/2"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"final_url\""), std::string::npos);
}

}  // namespace
}  // namespace nh::testing
