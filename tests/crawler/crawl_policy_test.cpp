// Crawl policy in-process: the real crawl loop (crawler/crawl.h) against a scripted web
// (FakeWeb, CrawlOptions::transport) and an in-memory frontier (MemoryFrontier,
// CrawlOptions::frontier), with the store in memory. No server, no subprocess: each test states
// the exact requests the crawl makes and the exact frontier rows it leaves. End-to-end
// behaviour over HTTP stays in tests/integration (the Python portal).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/crawl.h"
#include "crawler/crawl_store.h"
#include "crawler/frontier.h"
#include "store/store.h"
#include "tests/crawler/fake_web.h"

namespace nh::crawler {
namespace {

using store::FrontierState;
using testing::FakeWeb;
using testing::html_page;
using testing::status_page;
using testing::text_page;

const std::string kSite = "http://news.test";

std::string article_html(const std::string& title) {
  std::string p;
  for (int i = 0; i < 4; ++i)
    p += "<p>" + title + "的正文内容，政协委员围绕议题建言献策，第" + std::to_string(i) +
         "段。</p>\n";
  return "<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title +
         "</h1><div class=\"content\">" + p + "</div></body></html>";
}

std::string links_html(const std::vector<std::string>& hrefs) {
  std::string out = "<html><body><ul>";
  for (const auto& h : hrefs) out += "<li><a href=\"" + h + "\">" + h + "</a></li>";
  return out + "</ul></body></html>";
}

std::string art(int n) { return "/a/20260101/" + std::to_string(n) + ".html"; }

config::Config profile(const std::string& extra = "") {
  return config::parse_profile("name = \"policy\"\nseeds = [\"" + kSite +
                                   "/\"]\n"
                                   "[urls]\narticle = ['/a/\\d{8}/\\d+\\.html$']\n"
                                   "list = ['/news/list(_\\d+)?\\.html$']\n"
                                   "[politeness]\ndelay_ms = 0\nrobots = true\n"
                                   "[drift]\nmin_article_links_per_list_page = 0\n" +
                                   extra,
                               "policy.toml");
}

struct Harness {
  FakeWeb web;
  MemoryFrontier frontier;
  store::Store store = store::Store::open(":memory:");
  std::ostringstream log;

  CrawlResult run(const config::Config& cfg, std::optional<std::int64_t> max_pages = {}) {
    CrawlOptions opt;
    opt.transport = &web;
    opt.frontier = &frontier;
    opt.progress = ProgressMode::quiet;
    opt.log = &log;
    opt.workers = 1;
    opt.retry_base = std::chrono::milliseconds(1);
    opt.retry_cap = std::chrono::milliseconds(4);
    opt.max_pages = max_pages;
    return crawl(cfg, store, opt);
  }
  std::optional<FrontierState> state(const std::string& path) {
    return frontier.state(kSite + path);
  }
};

// A home page linking a list page and a robots-disallowed page; the list links three articles.
void small_site(FakeWeb& web) {
  web.set(kSite + "/robots.txt", text_page("User-agent: *\nDisallow: /private/\n"));
  web.set(kSite + "/", html_page(links_html({"/news/list.html", "/private/a.html"})));
  web.set(kSite + "/news/list.html", html_page(links_html({art(1), art(2), art(3)})));
  for (int i = 1; i <= 3; ++i)
    web.set(kSite + art(i), html_page(article_html("第" + std::to_string(i) + "篇报道")));
}

TEST(CrawlPolicy, Spec_RobotsFirstThenEveryAllowedPageOnceAndTheFrontierRecordsIt) {
  Harness h;
  small_site(h.web);
  CrawlResult r = h.run(profile());
  EXPECT_EQ(r.exit_code(), 0) << h.log.str();
  EXPECT_EQ(h.web.urls(),
            (std::vector<std::string>{kSite + "/robots.txt", kSite + "/", kSite + "/news/list.html",
                                      kSite + art(1), kSite + art(2), kSite + art(3)}));
  EXPECT_EQ(r.robots_blocked, 1);
  EXPECT_EQ(r.counts.articles_new, 3);
  for (const char* p : {"/", "/news/list.html"}) EXPECT_EQ(h.state(p), FrontierState::done) << p;
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(h.state(art(i)), FrontierState::done) << i;
  EXPECT_EQ(h.state("/private/a.html"), std::nullopt);  // refused, never queued
  EXPECT_EQ(h.frontier.size(), 5u);
  ASSERT_TRUE(h.store.find_article(kSite + art(2)).has_value());
  EXPECT_EQ(h.store.find_article(kSite + art(2))->article.title, "第2篇报道");
}

TEST(CrawlPolicy, Spec_ServerErrorsAreRetriedThenFailedForGood) {
  Harness h;
  small_site(h.web);
  h.web.set(kSite + art(1), status_page(503));            // always
  h.web.fail_first(kSite + art(2), 1, status_page(503));  // once
  CrawlResult r = h.run(profile("[limits]\nmax_retries = 2\n"));
  EXPECT_EQ(h.web.count(kSite + art(1)), 3);  // first attempt + max_retries
  EXPECT_EQ(h.web.count(kSite + art(2)), 2);
  EXPECT_EQ(h.web.count(kSite + art(3)), 1);
  EXPECT_EQ(r.retries, 3);
  EXPECT_EQ(r.counts.articles_new, 2);
  EXPECT_EQ(r.counts.pages_failed, 1);
  ASSERT_NE(h.frontier.row(kSite + art(1)), nullptr);
  EXPECT_EQ(h.frontier.row(kSite + art(1))->state, FrontierState::failed);
  EXPECT_EQ(h.frontier.row(kSite + art(1))->attempts, 3);
  EXPECT_EQ(h.frontier.row(kSite + art(1))->error, "HTTP 503");
  EXPECT_EQ(h.state(art(2)), FrontierState::done);
}

// A page budget stops the first run; the second continues from the frontier: the start page
// again (that is how new articles are found), the rest once, nothing fetched twice.
TEST(CrawlPolicy, Spec_ARunResumesFromTheFrontierItLeft) {
  Harness h;
  small_site(h.web);
  CrawlResult first = h.run(profile(), 3);  // "/", the list, one article
  EXPECT_EQ(first.counts.articles_new, 1);
  EXPECT_EQ(first.pending, 2);
  EXPECT_EQ(h.state(art(2)), FrontierState::pending);
  EXPECT_EQ(h.state(art(3)), FrontierState::pending);
  const std::size_t before = h.web.requests().size();
  CrawlResult second = h.run(profile());
  EXPECT_EQ(second.counts.articles_new, 2);
  EXPECT_EQ(second.pending, 0);
  const std::vector<std::string> all = h.web.urls();
  std::vector<std::string> again(all.begin() + static_cast<long>(before), all.end());
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::string>{kSite + "/", kSite + "/a/20260101/2.html",
                                             kSite + "/a/20260101/3.html", kSite + "/robots.txt"}));
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(h.web.count(kSite + art(i)), 1) << i;
}

// A window of one URL in memory: the others wait in the frontier and are claimed as it drains.
// Same records, every URL requested once.
TEST(CrawlPolicy, Spec_AOneUrlWindowStillCrawlsEverythingOnce) {
  Harness h;
  small_site(h.web);
  for (int i = 4; i <= 12; ++i)
    h.web.set(kSite + art(i), html_page(article_html("报道" + std::to_string(i))));
  std::vector<std::string> links;
  for (int i = 1; i <= 12; ++i) links.push_back(art(i));
  h.web.set(kSite + "/news/list.html", html_page(links_html(links)));
  CrawlResult r = h.run(profile("[limits]\nfrontier_window = 1\n"));
  EXPECT_EQ(r.exit_code(), 0) << h.log.str();
  EXPECT_EQ(r.counts.articles_new, 12);
  for (int i = 1; i <= 12; ++i) {
    EXPECT_EQ(h.web.count(kSite + art(i)), 1) << i;
    EXPECT_EQ(h.state(art(i)), FrontierState::done) << i;
  }
}

// Re-crawl: a pagination chain with nothing new stops after list_lookback_pages pages.
TEST(CrawlPolicy, Spec_AReCrawlStopsPagingWhereNothingIsNew) {
  Harness h;
  small_site(h.web);
  // /news/list.html -> list_1 -> ... -> list_5, two articles each.
  for (int p = 0; p <= 5; ++p) {
    const std::string self =
        p == 0 ? "/news/list.html" : "/news/list_" + std::to_string(p) + ".html";
    std::string next = "<a href=\"/news/list_" + std::to_string(p + 1) + ".html\">下一页</a>";
    if (p == 5) next.clear();
    h.web.set(kSite + self, html_page(links_html({art(10 * p + 1), art(10 * p + 2)}) + next));
    for (int k = 1; k <= 2; ++k)
      h.web.set(kSite + art(10 * p + k),
                html_page(article_html("文章" + std::to_string(10 * p + k))));
  }
  // The list is a section: a start URL, fetched every run.
  const std::string extra =
      "[limits]\nmax_depth = 10\n[recrawl]\nlist_lookback_pages = 2\n"
      "[[sections]]\nname = \"要闻\"\nurl = \"" +
      kSite + "/news/list.html\"\n";
  CrawlResult first = h.run(profile(extra));
  EXPECT_EQ(first.counts.articles_new, 12);
  // One new article at the top of the first list page.
  h.web.set(kSite + "/news/list.html", html_page(links_html({art(99), art(1), art(2)}) +
                                                 "<a href=\"/news/list_1.html\">下一页</a>"));
  h.web.set(kSite + art(99), html_page(article_html("最新的文章")));
  const std::size_t before = h.web.requests().size();
  CrawlResult second = h.run(profile(extra));
  EXPECT_EQ(second.counts.articles_new, 1);
  const std::vector<std::string> all = h.web.urls();
  std::vector<std::string> again(all.begin() + static_cast<long>(before), all.end());
  // list.html had something new; list_1 and list_2 had nothing: the chain stops there.
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again[0], kSite + "/robots.txt");
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::string>{kSite + "/", kSite + art(99),
                                             kSite + "/news/list.html", kSite + "/news/list_1.html",
                                             kSite + "/news/list_2.html", kSite + "/robots.txt"}));
  EXPECT_EQ(second.counts.list_pages, 4);  // the start page counts as one
}

// A re-run that only re-checks stored articles (all 304) while robots.txt now shuts out the
// start page is not "robots.txt disallows every URL": the re-checks were allowed and answered.
// (With several workers over one database, a worker that claimed only re-checks and one
// disallowed URL was reported degraded this way.)
TEST(CrawlPolicy, Regression_NotModifiedRechecksCountAgainstTheRobotsShutOutAlarm) {
  Harness h;
  small_site(h.web);
  const std::string extra = "[recrawl]\nrecheck_articles_younger_than_days = 100000\n";
  CrawlResult first = h.run(profile(extra));
  ASSERT_EQ(first.counts.articles_new, 3) << h.log.str();
  h.web.set(kSite + "/robots.txt", text_page("User-agent: *\nDisallow: /$\nDisallow: /news/\n"));
  for (int i = 1; i <= 3; ++i) h.web.set(kSite + art(i), status_page(304));
  const std::size_t before = h.web.requests().size();
  CrawlResult second = h.run(profile(extra));
  const std::vector<std::string> all = h.web.urls();
  std::vector<std::string> again(all.begin() + static_cast<long>(before), all.end());
  std::sort(again.begin(), again.end());
  EXPECT_EQ(again, (std::vector<std::string>{kSite + art(1), kSite + art(2), kSite + art(3),
                                             kSite + "/robots.txt"}));
  EXPECT_EQ(second.robots_blocked, 1);  // the start page
  EXPECT_EQ(second.counts.not_modified, 3);
  EXPECT_EQ(second.counts.articles_unchanged, 3);
  EXPECT_EQ(second.alarms, std::vector<std::string>{});
  EXPECT_EQ(second.exit_code(), 0) << h.log.str();
}

// A crawl killed while it joined a two-page article leaves page 1 and its later page both in
// the frontier. The later page, claimed on its own, is not fetched (nothing to join it to);
// whoever fetches page 1 fetches it with it — even when another worker of a shared crawl holds
// its row (take_forced false). Each page is requested once and the record has both pages.
TEST(CrawlPolicy, Regression_AKilledJoinIsRedoneFromPageOneWithEveryPage) {
  Harness h;
  small_site(h.web);
  const std::string page2 = "/a/20260101/1_2.html";
  h.web.set(kSite + "/news/list.html", html_page(links_html({art(1)})));
  std::string first = article_html("两页的报道");
  first.insert(first.find("</div>"), "<a href=\"1_2.html\">2</a>");
  h.web.set(kSite + art(1), html_page(first));
  h.web.set(kSite + page2,
            html_page("<html><body><div class=\"content\"><p>第二页的正文内容，委员们继续"
                      "建言献策，会议取得圆满成功。</p><a href=\"1.html\">1</a></div></body>"
                      "</html>"));
  // What the killed run left: both rows pending (its claims requeued or lapsed).
  h.frontier.add({kSite + art(1), "policy", "article", 2, kSite + "/news/list.html", {}, false});
  h.frontier.add({kSite + page2, "policy", "continuation", 2, kSite + art(1), {}, false});
  h.frontier.held_elsewhere(kSite + page2);
  CrawlResult r = h.run(profile());
  EXPECT_EQ(r.exit_code(), 0) << h.log.str();
  std::vector<std::string> urls = h.web.urls();
  std::sort(urls.begin(), urls.end());
  EXPECT_EQ(urls, (std::vector<std::string>{kSite + "/", kSite + art(1), kSite + page2,
                                            kSite + "/news/list.html", kSite + "/robots.txt"}));
  const auto stored = h.store.find_article(kSite + art(1));
  ASSERT_TRUE(stored.has_value());
  const std::string body = stored->article.body.value_or("");
  EXPECT_NE(body.find("第二页的正文内容"), std::string::npos) << body;
  EXPECT_EQ(h.state(art(1)), FrontierState::done);
  EXPECT_EQ(h.state(page2), FrontierState::done);
}

// The database behind CrawlStore, failing on purpose: the n-th upsert throws StoreError (a full
// disk, a corrupt page). Everything else goes to the real store.
class FailingStore final : public CrawlStore {
 public:
  FailingStore(store::Store& st, int fail_at) : inner_(st, "policy"), fail_at_(fail_at) {}
  std::int64_t close_abandoned_runs(std::string_view s) override {
    return inner_.close_abandoned_runs(s);
  }
  std::int64_t begin_run(std::string_view s) override { return inner_.begin_run(s); }
  void finish_run(std::int64_t r, store::RunStatus st, const store::RunCounts& c,
                  const std::vector<std::string>& a) override {
    inner_.finish_run(r, st, c, a);
  }
  std::vector<store::RunSummary> recent_runs(std::string_view s, int l,
                                             std::optional<std::int64_t> b) override {
    return inner_.recent_runs(s, l, b);
  }
  std::map<std::string, store::FillCounts> run_fill_counts(std::int64_t r) override {
    return inner_.run_fill_counts(r);
  }
  std::optional<store::CachedPage> cached_page(std::string_view u) override {
    return inner_.cached_page(u);
  }
  std::optional<store::StoredArticle> find_article(std::string_view u) override {
    return inner_.find_article(u);
  }
  std::vector<store::RecheckItem> articles_to_recheck(std::string_view s, int d) override {
    return inner_.articles_to_recheck(s, d);
  }
  void log_fetch(const store::FetchLogEntry& e) override { inner_.log_fetch(e); }
  std::int64_t store_raw_page(std::string_view s, const store::RawPage& r) override {
    return inner_.store_raw_page(s, r);
  }
  void cache_page(std::string_view s, const store::CachedPage& p) override {
    inner_.cache_page(s, p);
  }
  void touch_cached_page(std::string_view u) override { inner_.touch_cached_page(u); }
  store::UpsertResult upsert_article(std::string_view s, std::string_view c, const extract::Page& p,
                                     const store::RawPage* r,
                                     std::span<const store::RawPage> m) override {
    if (++upserts_ == fail_at_) throw store::StoreError("policy.db: database or disk is full");
    return inner_.upsert_article(s, c, p, r, m);
  }
  std::optional<Clock::time_point> batch_started() const override { return inner_.batch_started(); }
  void commit(const store::RunCounts& c) override { inner_.commit(c); }
  std::int64_t index_pending(std::int64_t m, int c) override { return inner_.index_pending(m, c); }
  void checkpoint() override { inner_.checkpoint(); }
  Frontier& frontier() override { return inner_.frontier(); }

 private:
  SqliteCrawlStore inner_;
  int fail_at_;
  int upserts_ = 0;
};

// A database fault is not a web failure: the crawl stops with the StoreError (the CLI exits 1
// naming the file), and what earlier runs stored is still there, unchanged.
TEST(CrawlPolicy, Spec_AStoreFaultStopsTheCrawlAndKeepsWhatWasStored) {
  Harness h;
  small_site(h.web);
  CrawlOptions opt;
  opt.transport = &h.web;
  opt.progress = ProgressMode::quiet;
  opt.log = &h.log;
  opt.workers = 1;
  // The list is a section: fetched again by the second run, which finds two new articles.
  const config::Config cfg =
      profile("[[sections]]\nname = \"要闻\"\nurl = \"" + kSite + "/news/list.html\"\n");
  {
    FailingStore db(h.store, 0);  // never fails
    EXPECT_EQ(crawl(cfg, db, opt).counts.articles_new, 3);
  }
  h.web.set(kSite + "/news/list.html", html_page(links_html({art(1), art(4), art(5)})));
  for (int i = 4; i <= 5; ++i)
    h.web.set(kSite + art(i), html_page(article_html("第" + std::to_string(i) + "篇报道")));
  FailingStore db(h.store, 2);  // the second new article of the next run
  EXPECT_THROW(crawl(cfg, db, opt), store::StoreError);
  // The failing upsert stored nothing (whether art(4) made an earlier batch is timing).
  EXPECT_FALSE(h.store.find_article(kSite + art(5)).has_value());
  for (int i = 1; i <= 3; ++i) {
    const auto a = h.store.find_article(kSite + art(i));
    ASSERT_TRUE(a.has_value()) << i;
    EXPECT_EQ(a->article.title, "第" + std::to_string(i) + "篇报道");
    EXPECT_EQ(a->version, 1);
  }
}

}  // namespace
}  // namespace nh::crawler
