// The crawl against hostile loopback servers (issue 13): every redirect hop checked against
// scope (host AND port) and robots.txt before it is requested, continuation pages included;
// loopback refused unless the profile opts in; a 100,000-character link skipped and counted;
// robots.txt shutting out the whole site is a degraded run. Assertions are on the exact
// requests each server saw and the rows the store holds.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/crawl.h"
#include "crawler/urls.h"
#include "extract/charset.h"
#include "extract/extract.h"
#include "store/store.h"
#include "tests/crawler/loopback_server.h"

namespace nh::crawler {
namespace {

using testing::HttpRequest;
using testing::LoopbackServer;
using testing::Reply;

// A server that answers from a route table and records every request target it receives.
class Site {
 public:
  explicit Site(std::map<std::string, Reply> routes)
      : routes_(std::move(routes)), server_([this](const HttpRequest& r) { return serve(r); }) {}

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  int port() const { return server_.port(); }
  int peak_concurrent() const { return server_.peak_concurrent(); }
  std::vector<std::string> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  std::set<std::string> seen_set() const {
    auto v = seen();
    return {v.begin(), v.end()};
  }

 private:
  Reply serve(const HttpRequest& r) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(r.target);
    }
    auto it = routes_.find(r.target);
    if (it != routes_.end()) return it->second;
    Reply nf;
    nf.status = 404;
    nf.body = "not found";
    return nf;
  }

  std::map<std::string, Reply> routes_;
  mutable std::mutex mu_;
  std::vector<std::string> seen_;
  LoopbackServer server_;  // last: stopped (destroyed) before the routes it reads
};

Reply html(std::string body) {
  Reply r;
  r.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  r.body = std::move(body);
  return r;
}

Reply redirect(int status, std::string location) {
  Reply r;
  r.status = status;
  r.headers = {{"Location", std::move(location)}};
  return r;
}

Reply text(std::string body) {
  Reply r;
  r.headers = {{"Content-Type", "text/plain"}};
  r.body = std::move(body);
  return r;
}

std::string article(const std::string& title, const std::string& para, const std::string& extra) {
  std::string p;
  for (int i = 0; i < 4; ++i) p += "<p>" + para + " 第" + std::to_string(i) + "段。</p>\n";
  return "<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title +
         "</h1><div class=\"content\">" + p + "</div>" + extra + "</body></html>";
}

std::string profile(const Site& site, bool allow_private) {
  return "name = \"hostile\"\nseeds = [\"" + site.origin() +
         "/\"]\n"
         "[urls]\narticle = ['/a/\\d{8}/\\d+(_\\d+)?\\.html$']\n"
         "[politeness]\ndelay_ms = 0\nrobots = true\n"
         "[limits]\nmax_retries = 0\nconnect_timeout_ms = 2000\ntotal_timeout_ms = 5000\n"
         "[drift]\nmin_article_links_per_list_page = 0\n"  // a home page without articles
         "[connect]\nallow_private = " +
         std::string(allow_private ? "true" : "false") + "\n";
}

std::vector<std::vector<std::string>> rows(sqlite3* db, const std::string& sql) {
  std::vector<std::vector<std::string>> out;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << ": " << sql;
    return out;
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  while (sqlite3_step(raw) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(raw); ++i) {
      const unsigned char* t = sqlite3_column_text(raw, i);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    out.push_back(std::move(row));
  }
  return out;
}

struct CrawlRun {
  CrawlResult result;
  std::string log;
};

CrawlRun crawl_site(const Site& site, store::Store& st, bool allow_private,
                    bool cli_allow_private = false) {
  config::Config cfg = config::parse_profile(profile(site, allow_private), "hostile.toml");
  CrawlOptions opt;
  opt.progress = ProgressMode::lines;
  opt.allow_private = cli_allow_private;
  std::ostringstream log;
  opt.log = &log;
  opt.retry_base = std::chrono::milliseconds(10);
  CrawlRun r{crawl(cfg, st, opt), {}};
  r.log = log.str();
  return r;
}

// One redirect case: the path the home page links to, and what each server must (not) see.
struct RedirectCase {
  const char* name;
  std::string link;                     // linked from the home page (on the site)
  std::set<std::string> site_must_see;  // requests the site receives for this case
  std::set<std::string> site_must_not_see;
  bool other_port_contacted = false;  // the server on another port must stay untouched
};

// The hostile site both the redirect test and the fault table crawl: redirects to another
// port, to a private-looking name, to the metadata address, out and back in, a loop, a
// robots-disallowed hop, an article whose page 2 redirects off the site, a 100,000-character
// link. `other` is the server on another port.
std::map<std::string, Reply> hostile_routes(const Site& other, const std::string& long_link) {
  return {
      {"/robots.txt", text("User-agent: *\nDisallow: /blocked/\n")},
      // to another port of the same host
      {"/r/port", redirect(302, other.origin() + "/secret")},
      // to a private-looking name (not in the profile's hosts)
      {"/r/name", redirect(301, "http://localhost:" + std::to_string(other.port()) + "/secret")},
      {"/r/metadata", redirect(302, "http://169.254.169.254/latest/meta-data/")},
      // in scope -> out of scope -> back in scope: stops at the first hop out
      {"/r/chain1", redirect(301, "/r/chain2")},
      {"/r/chain2", redirect(307, other.origin() + "/secret?then=back")},
      // in -> in -> article: followed, stored under the last hop
      {"/r/good1", redirect(301, "/r/good2")},
      {"/r/good2", redirect(302, "/a/20210526/7.html")},
      // to an in-scope path robots.txt disallows
      {"/r/robots", redirect(302, "/blocked/page.html")},
      // a loop: more than kMaxRedirectHops
      {"/r/loop-a", redirect(302, "/r/loop-b")},
      {"/r/loop-b", redirect(302, "/r/loop-a")},
      // an article whose page 2 redirects off the site
      {"/a/20210526/1.html",
       html(article("第一页标题", "第一页的正文内容很长很长", "<a href=\"1_2.html\">2</a>"))},
      {"/a/20210526/1_2.html", redirect(302, other.origin() + "/foreign_2.html")},
      {"/a/20210526/7.html", html(article("重定向到达", "经过两次站内重定向到达的正文", ""))},
      {"/", html("<html><body>"
                 "<a href=\"/r/port\">a</a><a href=\"/r/name\">b</a><a href=\"/r/metadata\">c</a>"
                 "<a href=\"/r/chain1\">d</a><a href=\"/r/good1\">e</a>"
                 "<a href=\"/r/robots\">f</a><a href=\"/r/loop-a\">g</a>"
                 "<a href=\"/a/20210526/1.html\">h</a>"
                 "<a href=\"" +
                 long_link + "\">long</a></body></html>")}};
}

TEST(CrawlSafety, Spec_EveryRedirectHopIsCheckedBeforeItIsRequested) {
  Site other({{"/robots.txt", text("")},
              {"/secret", html("<title>SECRET</title><p>OTHER PORT</p>")},
              {"/foreign_2.html", html("<p>FOREIGN BODY TEXT</p>")}});
  const std::string elsewhere = other.origin();
  const std::string long_link = "/a/20210526/" + std::string(100'000, '9') + ".html";
  Site site(hostile_routes(other, long_link));
  store::Store st = store::Store::open(":memory:");
  CrawlRun run = crawl_site(site, st, /*allow_private=*/true);

  const std::vector<RedirectCase> cases{
      {"another port", "/r/port", {"/r/port"}, {}},
      {"private-looking name", "/r/name", {"/r/name"}, {}},
      {"metadata address", "/r/metadata", {"/r/metadata"}, {}},
      {"in-out-in chain", "/r/chain1", {"/r/chain1", "/r/chain2"}, {}},
      {"in-in chain", "/r/good1", {"/r/good1", "/r/good2", "/a/20210526/7.html"}, {}},
      {"robots.txt", "/r/robots", {"/r/robots"}, {"/blocked/page.html"}},
      {"continuation off-site",
       "/a/20210526/1.html",
       {"/a/20210526/1.html", "/a/20210526/1_2.html"},
       {}},
      {"100,000-character link", long_link, {}, {long_link}},
  };
  const std::set<std::string> seen = site.seen_set();
  for (const RedirectCase& c : cases) {
    for (const auto& p : c.site_must_see) EXPECT_TRUE(seen.contains(p)) << c.name << ": " << p;
    for (const auto& p : c.site_must_not_see)
      EXPECT_FALSE(seen.contains(p)) << c.name << ": " << p.substr(0, 80);
  }
  // The server on the other port (and "localhost" pointing at it) was never contacted.
  EXPECT_EQ(other.seen(), std::vector<std::string>{}) << "an off-scope hop was requested";
  // The loop stopped after kMaxRedirectHops hops: the first request and five more.
  int loop_requests = 0;
  for (const auto& p : site.seen()) loop_requests += p.starts_with("/r/loop-");
  EXPECT_EQ(loop_requests, 6);

  // Exactly two articles: page 1 alone (its redirected page 2 contributes nothing) and the one
  // reached through two in-scope hops, stored under its final URL.
  const auto articles =
      rows(st.raw_handle(), "SELECT url, title, instr(body, 'FOREIGN') FROM articles ORDER BY url");
  ASSERT_EQ(articles.size(), 2u);
  EXPECT_EQ(articles[0],
            (std::vector<std::string>{site.origin() + "/a/20210526/1.html", "第一页标题", "0"}));
  EXPECT_EQ(articles[1],
            (std::vector<std::string>{site.origin() + "/a/20210526/7.html", "重定向到达", "0"}));
  // No stored byte came from the other server.
  EXPECT_EQ(rows(st.raw_handle(), "SELECT count(*) FROM raw_pages WHERE url LIKE '" + elsewhere +
                                      "%' OR final_url LIKE '" + elsewhere + "%'"),
            (std::vector<std::vector<std::string>>{{"0"}}));
  // Why each refused hop was not followed is on its frontier row.
  const auto port_row =
      rows(st.raw_handle(),
           "SELECT state, last_error FROM frontier WHERE url = '" + site.origin() + "/r/port'");
  ASSERT_EQ(port_row.size(), 1u);
  EXPECT_EQ(port_row[0],
            (std::vector<std::string>{
                "failed", "HTTP 302 out of scope to " + elsewhere + "/secret: not requested"}));
  EXPECT_EQ(run.result.redirects_refused, 5);  // port, name, metadata, chain, continuation
  EXPECT_EQ(run.result.urls_too_long, 1);
  EXPECT_EQ(run.result.robots_blocked, 1);
  EXPECT_NE(run.log.find("1 link(s) skipped: URL over 8192 bytes"), std::string::npos) << run.log;
}

// Without allow_private, the crawler does not connect to 127.0.0.1 at all (robots.txt
// included): the site sees no request and the run is degraded with the reason on its rows.
TEST(CrawlSafety, Policy_LoopbackRefusedUnlessTheProfileOrTheOptionAllowsIt) {
  Site site({{"/robots.txt", text("")}, {"/", html("<p>home</p>")}});
  {
    store::Store st = store::Store::open(":memory:");
    CrawlRun run = crawl_site(site, st, /*allow_private=*/false);
    EXPECT_EQ(site.seen(), std::vector<std::string>{});
    EXPECT_EQ(run.result.exit_code(), 3) << run.log;
    const auto r = rows(st.raw_handle(), "SELECT last_error FROM frontier");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_NE(r[0][0].find("127.0.0.1 is a loopback address"), std::string::npos) << r[0][0];
  }
  {
    store::Store st = store::Store::open(":memory:");
    CrawlRun run = crawl_site(site, st, /*allow_private=*/false, /*cli_allow_private=*/true);
    EXPECT_EQ(run.result.exit_code(), 0) << run.log;
    EXPECT_EQ(site.seen(), (std::vector<std::string>{"/robots.txt", "/"}));
  }
}

// robots.txt disallowing everything: nothing fetched, exit 3, and the run says why.
TEST(CrawlSafety, Spec_RobotsBlockingTheWholeSiteIsADegradedRun) {
  Site site({{"/robots.txt", text("User-agent: *\nDisallow: /\n")}, {"/", html("<p>home</p>")}});
  store::Store st = store::Store::open(":memory:");
  CrawlRun run = crawl_site(site, st, true);
  EXPECT_EQ(site.seen(), std::vector<std::string>{"/robots.txt"});
  EXPECT_EQ(run.result.exit_code(), 3);
  ASSERT_EQ(run.result.alarms.size(), 1u);
  EXPECT_EQ(run.result.alarms[0],
            "robots.txt disallows every URL this run tried (1 blocked, 0 pages fetched): nothing "
            "of the site was crawled");
  EXPECT_NE(run.log.find("(degraded)\n  alarm: robots.txt disallows every URL"), std::string::npos)
      << run.log;
}

// Connection limits (issue 14): the global limit (--concurrency / limits.concurrency) and the
// per-host one (--connections-per-host / politeness.max_connections_per_host) both hold, and
// both are reached: the server counts the replies it is working on at once (each takes 80 ms).
TEST(CrawlSafety, Spec_ConcurrencyLimitsAreHeldAndReached) {
  std::map<std::string, Reply> routes{{"/robots.txt", text("User-agent: *\nAllow: /\n")}};
  std::string home = "<html><body>";
  for (int i = 1; i <= 12; ++i) {
    const std::string path = "/a/20210526/" + std::to_string(i) + ".html";
    Reply r = html(article("标题" + std::to_string(i), "并发限制测试的正文", ""));
    r.delay = std::chrono::milliseconds(80);
    routes.emplace(path, r);
    home += "<a href=\"" + path + "\">" + std::to_string(i) + "</a>";
  }
  routes.emplace("/", html(home + "</body></html>"));
  struct Case {
    int concurrency, per_host, peak;
  };
  for (const Case c : {Case{16, 3, 3}, Case{2, 3, 2}, Case{16, 1, 1}}) {
    Site site(routes);
    store::Store st = store::Store::open(":memory:");
    config::Config cfg = config::parse_profile(profile(site, true), "hostile.toml");
    CrawlOptions opt;
    opt.progress = ProgressMode::quiet;
    std::ostringstream log;
    opt.log = &log;
    opt.concurrency = c.concurrency;
    opt.connections_per_host = c.per_host;
    CrawlResult r = crawl(cfg, st, opt);
    SCOPED_TRACE("concurrency " + std::to_string(c.concurrency) + ", per host " +
                 std::to_string(c.per_host));
    EXPECT_EQ(r.counts.articles_new, 12) << log.str();
    EXPECT_EQ(site.peak_concurrent(), c.peak);
  }
}

// Linear-time patterns: a 100,000-character URL through every pattern user (link rules,
// pagination, profile patterns) returns at once instead of overflowing the stack.
TEST(CrawlSafety, Spec_HugeUrlsAreRejectedOrMatchedInLinearTime) {
  const std::string huge = "http://example.com/a/" + std::string(100'000, 'x') + "_2.html";
  EXPECT_EQ(normalize(huge).error, UrlError::too_long);
  EXPECT_EQ(resolve("http://example.com/", "/" + std::string(9000, 'a')).error, UrlError::too_long);
  EXPECT_TRUE(normalize("http://example.com/" + std::string(8000, 'a')).ok());
  config::Config cfg = config::parse_profile(
      "name = \"x\"\nseeds = [\"http://example.com/\"]\n[urls]\narticle = ['_\\d+\\.html$']\n",
      "x.toml");
  EXPECT_TRUE(cfg.is_article_url(huge));
}

}  // namespace
}  // namespace nh::crawler

namespace nh::crawler {
namespace {

// Large pages are parsed off the network loop (crawl.cpp parse_aside): responses that finish
// meanwhile are parked and handled after, none lost. Twelve 400 KiB pages and twelve articles
// fetched concurrently: every article stored, every page requested once.
TEST(CrawlSafety, Spec_ResponsesFinishingWhileALargePageIsParsedAreAllHandled) {
  std::map<std::string, Reply> routes{{"/robots.txt", text("")}};
  std::string home = "<html><body>";
  std::string filler;
  while (filler.size() < 400 * 1024)
    filler += "<div class=\"x\"><span>填充的文字 filler</span></div>\n";
  for (int i = 1; i <= 12; ++i) {
    const std::string big = "/big/" + std::to_string(i) + ".html";
    const std::string art = "/a/20210526/" + std::to_string(100 + i) + ".html";
    routes[big] = html("<html><body>" + filler + "</body></html>");
    routes[art] = html(article("第" + std::to_string(i) + "篇文章", "文章的正文内容很长很长", ""));
    home += "<a href=\"" + big + "\">big</a><a href=\"" + art + "\">article</a>";
  }
  routes["/"] = html(home + "</body></html>");
  Site site(routes);
  store::Store st = store::Store::open(":memory:");
  CrawlRun run = crawl_site(site, st, true);
  EXPECT_EQ(run.result.exit_code(), 0) << run.log;
  EXPECT_EQ(rows(st.raw_handle(), "SELECT count(*) FROM articles"),
            (std::vector<std::vector<std::string>>{{"12"}}));
  const auto seen = site.seen();
  EXPECT_EQ(seen.size(), 2u + 24u);  // robots.txt, home, 12 big pages, 12 articles
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
}

}  // namespace
}  // namespace nh::crawler

// ---------------------------------------------------------------------------------------------
// docs/RELIABILITY.md's fault table is generated here: each hostile case is run, and its row is
// (case, expected, got). The test fails when a case does not behave as expected, and when the
// committed table differs from the generated one (NH_UPDATE_DOCS=1 rewrites it).
namespace nh::crawler {
namespace {

struct FaultRow {
  std::string name, expected, got;
};

std::string requested(const std::set<std::string>& seen, const std::string& path) {
  return seen.contains(path) ? "requested" : "not requested";
}

std::vector<FaultRow> run_fault_table() {
  std::vector<FaultRow> rows_out;
  Site other({{"/robots.txt", text("")},
              {"/secret", html("<p>OTHER PORT</p>")},
              {"/foreign_2.html", html("<p>FOREIGN BODY TEXT</p>")}});
  const std::string elsewhere = other.origin();
  const std::string long_link = "/a/20210526/" + std::string(100'000, '9') + ".html";
  Site site(hostile_routes(other, long_link));
  store::Store st = store::Store::open(":memory:");
  CrawlRun run = crawl_site(site, st, true);
  const std::set<std::string> seen = site.seen_set();
  const bool other_untouched = other.seen().empty();
  const auto err = [&](const std::string& path) {
    auto r = rows(st.raw_handle(),
                  "SELECT state || ': ' || coalesce(last_error, '') FROM frontier WHERE url = '" +
                      site.origin() + path + "'");
    return r.empty() ? std::string("(no row)") : r[0][0];
  };
  rows_out.push_back({"redirect to another port of 127.0.0.1", "target not requested",
                      other_untouched ? "target not requested" : "target requested"});
  rows_out.push_back({"redirect to a private-looking name (localhost)",
                      "not requested (out of scope)",
                      err("/r/name").find("out of scope") != std::string::npos && other_untouched
                          ? "not requested (out of scope)"
                          : err("/r/name")});
  rows_out.push_back(
      {"redirect to the metadata address 169.254.169.254", "not requested (out of scope)",
       err("/r/metadata").find("out of scope") != std::string::npos ? "not requested (out of scope)"
                                                                    : err("/r/metadata")});
  rows_out.push_back({"redirect chain in scope -> other port -> back", "stops at the first hop out",
                      seen.contains("/r/chain2") && other_untouched ? "stops at the first hop out"
                                                                    : "followed out of scope"});
  {
    auto a = rows(st.raw_handle(), "SELECT count(*) FROM articles WHERE url = '" + site.origin() +
                                       "/a/20210526/7.html'");
    rows_out.push_back({"redirect chain in scope -> in scope -> article",
                        "followed; stored under the last hop",
                        a[0][0] == "1" ? "followed; stored under the last hop" : "not stored"});
  }
  rows_out.push_back({"redirect to a path robots.txt disallows", "not requested",
                      requested(seen, "/blocked/page.html")});
  {
    int n = 0;
    for (const auto& p : site.seen()) n += p.starts_with("/r/loop-");
    rows_out.push_back({"redirect loop", "failed after 5 hops (6 requests)",
                        err("/r/loop-a").starts_with("failed: redirect_loop")
                            ? "failed after 5 hops (" + std::to_string(n) + " requests)"
                            : err("/r/loop-a")});
  }
  {
    auto a = rows(st.raw_handle(), "SELECT instr(body, 'FOREIGN') FROM articles WHERE url = '" +
                                       site.origin() + "/a/20210526/1.html'");
    rows_out.push_back(
        {"article page 2 redirecting off the site", "page 1 stored alone, no foreign byte",
         !a.empty() && a[0][0] == "0" && other_untouched ? "page 1 stored alone, no foreign byte"
                                                         : "foreign content stored"});
  }
  rows_out.push_back({"100,000-character in-scope link", "skipped and counted (1)",
                      run.result.urls_too_long == 1 && !seen.contains(long_link)
                          ? "skipped and counted (1)"
                          : "not skipped"});
  {
    Site local({{"/robots.txt", text("")}, {"/", html("<p>home</p>")}});
    store::Store s2 = store::Store::open(":memory:");
    CrawlRun r = crawl_site(local, s2, /*allow_private=*/false);
    rows_out.push_back({"site on 127.0.0.1 without allow_private", "no connection, exit 3",
                        local.seen().empty()
                            ? "no connection, exit " + std::to_string(r.result.exit_code())
                            : "connected"});
  }
  {
    Site blocked(
        {{"/robots.txt", text("User-agent: *\nDisallow: /\n")}, {"/", html("<p>home</p>")}});
    store::Store s3 = store::Store::open(":memory:");
    CrawlRun r = crawl_site(blocked, s3, true);
    rows_out.push_back(
        {"robots.txt disallows the whole site", "exit 3 with an alarm",
         "exit " + std::to_string(r.result.exit_code()) +
             (r.result.alarms.size() == 1 ? " with an alarm" : " without an alarm")});
  }
  {
    const auto d = extract::decode("<p>政协委员会议今天召开 report \xFF\xFE and \x80 end</p>",
                                   "text/html; charset=utf-8");
    int fffd = 0;
    for (size_t i = d.utf8.find("\uFFFD"); i != std::string::npos; i = d.utf8.find("\uFFFD", i + 1))
      ++fffd;
    rows_out.push_back({"page declared UTF-8 with 3 invalid bytes", "utf-8, 3 x U+FFFD",
                        d.charset + ", " + std::to_string(fffd) + " x U+FFFD"});
  }
  {
    std::string bomb = "<div class=content";
    for (int i = 0; i < 200000; ++i) bomb += " a" + std::to_string(i) + "=1";
    bomb += "><h1>标题</h1><p>正文。</p></div>";
    const auto p = extract::parse(bomb);
    const std::string limits = p.provenance.count("limits") ? p.provenance.at("limits") : "";
    rows_out.push_back({"200,000 attributes on one element", "attributes capped, parse returns",
                        limits.find("attributes per element capped") != std::string::npos
                            ? "attributes capped, parse returns"
                            : "limits: " + limits});
  }
  {
    std::string many = "<html><head><title>" + std::string(3u << 20, 'T') + "</title></head><body>";
    for (int i = 0; i < 300000; ++i) many += "<p>a</p>";
    const auto p = extract::parse(many);
    const std::string limits = p.provenance.count("limits") ? p.provenance.at("limits") : "";
    rows_out.push_back({"3 MiB <title> and 300,000 elements", "<title> cut, elements capped",
                        limits.find("<title> cut") != std::string::npos &&
                                limits.find("elements capped") != std::string::npos
                            ? "<title> cut, elements capped"
                            : "limits: " + limits});
  }
  return rows_out;
}

TEST(Reliability, Spec_FaultTableMatchesDocsReliability) {
  const std::vector<FaultRow> table = run_fault_table();
  std::string md = "| case | expected | got |\n|---|---|---|\n";
  for (const FaultRow& r : table) {
    EXPECT_EQ(r.got, r.expected) << r.name;
    md += "| " + r.name + " | " + r.expected + " | " + r.got + " |\n";
  }
  namespace fs = std::filesystem;
  const fs::path doc = fs::path(NH_SOURCE_DIR) / "docs" / "RELIABILITY.md";
  const std::string begin =
      "<!-- fault-table:begin (generated by tests/crawler/crawl_safety_test.cpp) -->\n";
  const std::string end = "<!-- fault-table:end -->";
  std::string text;
  {
    std::ifstream in(doc);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto b = text.find(begin);
  const auto e = text.find(end);
  ASSERT_TRUE(b != std::string::npos && e != std::string::npos && b < e)
      << doc << " lacks the markers";
  const std::string committed = text.substr(b + begin.size(), e - b - begin.size());
  if (const char* u = std::getenv("NH_UPDATE_DOCS"); u && std::string(u) == "1") {
    text.replace(b + begin.size(), e - b - begin.size(), md);
    std::ofstream(doc) << text;
  } else {
    EXPECT_EQ(committed, md) << doc << " is out of date: rerun this test with NH_UPDATE_DOCS=1";
  }
}

}  // namespace
}  // namespace nh::crawler
