// Unit tests of the crawl's building blocks that need no server: sitemap/feed parsing, the
// per-host scheduler, backoff.
#include <gtest/gtest.h>

#include "crawler/crawl.h"
#include "crawler/feeds.h"
#include "crawler/host_queues.h"

#include <thread>

namespace nh::crawler {
namespace {

using namespace std::chrono_literals;

TEST(Feeds, Spec_SitemapUrlset) {
  Feed f = parse_feed(
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/"
      "sitemap/0.9\"><url><loc> http://a.test/1.html </loc><lastmod>2021</lastmod></url>"
      "<url><loc>http://a.test/2.html?x=1&amp;y=2</loc></url><url><loc>http://a.test/1.html</loc>"
      "</url></urlset>");
  EXPECT_EQ(f.kind, FeedKind::sitemap);
  EXPECT_EQ(f.pages,
            (std::vector<std::string>{"http://a.test/1.html", "http://a.test/2.html?x=1&y=2"}));
  EXPECT_TRUE(f.sitemaps.empty());
}

TEST(Feeds, Spec_SitemapIndex) {
  Feed f = parse_feed(
      "<sitemapindex><sitemap><loc>http://a.test/s1.xml</loc></sitemap><sitemap><loc><![CDATA["
      "http://a.test/s2.xml]]></loc></sitemap></sitemapindex>");
  EXPECT_EQ(f.kind, FeedKind::sitemap_index);
  EXPECT_EQ(f.sitemaps, (std::vector<std::string>{"http://a.test/s1.xml", "http://a.test/s2.xml"}));
  EXPECT_TRUE(f.pages.empty());
}

TEST(Feeds, Spec_Rss) {
  Feed f = parse_feed(
      "<rss version=\"2.0\"><channel><title>t</title><link>http://a.test/</link>"
      "<item><title>x</title><link>http://a.test/a.html</link></item>"
      "<item><guid isPermaLink=\"true\">http://a.test/b.html</guid></item>"
      "<item><guid isPermaLink=\"false\">tag:1</guid><link><![CDATA[http://a.test/c.html?a=1&b=2]]>"
      "</link></item></channel></rss>");
  EXPECT_EQ(f.kind, FeedKind::rss);
  // The channel's own <link> is not an item.
  EXPECT_EQ(f.pages, (std::vector<std::string>{"http://a.test/a.html", "http://a.test/b.html",
                                               "http://a.test/c.html?a=1&b=2"}));
}

TEST(Feeds, Spec_Atom) {
  Feed f = parse_feed(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><link href=\"http://a.test/\"/>"
      "<entry><link rel=\"alternate\" href=\"http://a.test/e1\"/><link rel=\"edit\" "
      "href=\"http://a.test/edit\"/></entry><entry><atom:link href='http://a.test/e2'/></entry>"
      "</feed>");
  EXPECT_EQ(f.kind, FeedKind::atom);
  EXPECT_EQ(f.pages, (std::vector<std::string>{"http://a.test/e1", "http://a.test/e2"}));
}

TEST(Feeds, Spec_TotalOnGarbage) {
  for (std::string_view junk : {"", "<", "<<<>>>", "<loc>", "<urlset><url><loc>unterminated",
                                "\x00\xff<item><link>", "<!-- <loc>x</loc>"}) {
    Feed f = parse_feed(junk);
    (void)f;
  }
  EXPECT_EQ(parse_feed("<urlset><url><loc>http://a.test/x").pages,
            std::vector<std::string>{"http://a.test/x"});
  EXPECT_EQ(parse_feed("<!-- <loc>http://a.test/x</loc> -->").pages.size(), 0u);
}

FrontierItem item(std::string url, std::string host, std::string kind = "article", int depth = 1) {
  FrontierItem i;
  i.url = std::move(url);
  i.host = std::move(host);
  i.kind = url_kind(kind);
  i.depth = depth;
  return i;
}

TEST(HostQueues, Policy_DelayBetweenRequestsToAHost) {
  HostQueues f(HostPolicy{100ms, 4});
  f.add(item("http://a/1", "a"));
  f.add(item("http://a/2", "a"));
  f.add(item("http://b/1", "b"));
  const auto t0 = Clock::now();
  auto x = f.next(t0);
  auto y = f.next(t0);
  ASSERT_TRUE(x && y);
  EXPECT_NE(x->host, y->host) << "second request goes to the other host";
  f.sent("a", t0);
  f.sent("b", t0);
  EXPECT_FALSE(f.next(t0 + 50ms)) << "a and b both wait for their delay";
  EXPECT_TRUE(f.next(t0 + 100ms));
  auto ready = f.next_ready_time(t0);
  EXPECT_FALSE(f.empty() && ready);
}

TEST(HostQueues, Policy_DelayCountsFromTheStartOfTheLastRequest) {
  HostQueues f(HostPolicy{50ms, 4});
  f.add(item("http://a/1", "a"));
  f.add(item("http://a/2", "a"));
  f.add(item("http://a/3", "a"));
  const auto t0 = Clock::now();
  ASSERT_TRUE(f.next(t0));
  f.sent("a", t0);
  f.finished("a");  // however late the end is seen, the next start is due at t0 + 50 ms
  EXPECT_FALSE(f.next(t0 + 49ms));
  EXPECT_EQ(f.next_ready_time(t0 + 10ms), t0 + 50ms);
  // Started late (at +80 ms instead of +50): the next gap counts from that real start, so the
  // host never sees two starts closer than the delay.
  ASSERT_TRUE(f.next(t0 + 80ms));
  f.sent("a", t0 + 80ms);
  EXPECT_FALSE(f.next(t0 + 129ms));
  EXPECT_TRUE(f.next(t0 + 130ms));
}

TEST(HostQueues, Policy_ARequestSentLateMovesTheNextStartToo) {
  HostQueues f(HostPolicy{50ms, 4});
  f.add(item("http://a/1", "a"));
  f.add(item("http://a/2", "a"));
  const auto t0 = Clock::now();
  ASSERT_TRUE(f.next(t0));
  EXPECT_FALSE(f.next(t0 + 60ms)) << "the first request has not gone out yet";
  EXPECT_FALSE(f.next_ready_time(t0 + 60ms));
  f.sent("a", t0 + 30ms);  // handed out at t0, but it went out only at t0 + 30 ms
  EXPECT_FALSE(f.next(t0 + 60ms)) << "50 ms after the hand-out, only 30 after the send";
  EXPECT_EQ(f.next_ready_time(t0 + 60ms), t0 + 80ms);
  EXPECT_TRUE(f.next(t0 + 80ms));
  f.sent("a", std::nullopt);  // never went out (connect failed): the host is free again
  f.finished("a");
  f.finished("a");
  EXPECT_EQ(f.in_flight(), 0u);
}

TEST(HostQueues, Policy_MaxConnectionsPerHost) {
  HostQueues f(HostPolicy{0ms, 2});
  for (int i = 0; i < 5; ++i) f.add(item("http://a/" + std::to_string(i), "a"));
  const auto t = Clock::now();
  EXPECT_TRUE(f.next(t));
  EXPECT_TRUE(f.next(t));
  EXPECT_FALSE(f.next(t)) << "two in flight";
  f.finished("a");
  EXPECT_TRUE(f.next(Clock::now()));
  EXPECT_EQ(f.in_flight(), 2u);
}

TEST(HostQueues, Policy_PriorityThenDepthThenOrder) {
  HostQueues f(HostPolicy{0ms, 1});
  f.add(item("other", "a", "other", 1));
  f.add(item("article2", "a", "article", 2));
  f.add(item("article1", "a", "article", 1));
  f.add(item("list", "a", "list", 3));
  f.add(item("cont", "a", "continuation", 5));
  std::vector<std::string> order;
  while (auto i = f.next(Clock::now())) {
    order.push_back(i->url);
    f.finished("a");
  }
  EXPECT_EQ(order, (std::vector<std::string>{"cont", "list", "article1", "article2", "other"}));
}

TEST(HostQueues, Policy_ClosedHostsWaitAndRetriesWaitTheirTime) {
  HostQueues f(HostPolicy{0ms, 4});
  f.set_closed_by_default(true);
  f.add(item("http://a/1", "a"));
  EXPECT_FALSE(f.next(Clock::now()));
  EXPECT_EQ(f.closed_hosts_with_work(), std::vector<std::string>{"a"});
  f.open_host("a");
  auto x = f.next(Clock::now());
  ASSERT_TRUE(x);
  f.finished("a");
  f.retry(*x, Clock::now() + 200ms);
  EXPECT_FALSE(f.next(Clock::now()));
  EXPECT_TRUE(f.next(Clock::now() + 201ms));
}

TEST(HostQueues, Policy_SecondaryHostsWaitForThePrimaryOnes) {
  HostQueues f(HostPolicy{0ms, 4});
  f.set_primary_hosts({"a"});
  f.add(item("http://a/1", "a"));
  f.add(item("http://m/1", "m"));
  auto x = f.next(Clock::now());
  ASSERT_TRUE(x);
  EXPECT_EQ(x->host, "a");
  EXPECT_FALSE(f.next(Clock::now())) << "a still in flight";
  f.finished("a");
  auto y = f.next(Clock::now());
  ASSERT_TRUE(y);
  EXPECT_EQ(y->host, "m");
}

TEST(Backoff, Policy_ExponentialWithJitterAndRetryAfter) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 50; ++i) {
    auto b1 = backoff(1, 1000ms, 60000ms, 0ms, rng);
    auto b2 = backoff(2, 1000ms, 60000ms, 0ms, rng);
    auto b3 = backoff(3, 1000ms, 60000ms, 0ms, rng);
    EXPECT_GE(b1, 1000ms);
    EXPECT_LE(b1, 1250ms);
    EXPECT_GE(b2, 2000ms);
    EXPECT_LE(b2, 2500ms);
    EXPECT_GE(b3, 4000ms);
    EXPECT_LE(b3, 5000ms);
  }
  EXPECT_GE(backoff(1, 100ms, 60000ms, 5000ms, rng), 5000ms) << "Retry-After wins";
  EXPECT_LE(backoff(30, 1000ms, 60000ms, 0ms, rng), 75000ms) << "capped (+jitter)";
  EXPECT_EQ(backoff(1, 100ms, 60000ms, std::chrono::milliseconds(3600000), rng), 60000ms)
      << "a huge Retry-After is capped";
}

}  // namespace
}  // namespace nh::crawler
