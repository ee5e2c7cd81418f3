#include "crawler/robots.h"

#include <gtest/gtest.h>

#include <string>

namespace nh::crawler {
namespace {

struct MatchCase {
  const char* agent;
  const char* path;
  bool allowed;
};

void expect_cases(const Robots& robots, std::initializer_list<MatchCase> cases) {
  for (const MatchCase& c : cases) {
    EXPECT_EQ(robots.allowed(c.agent, c.path), c.allowed) << c.agent << " " << c.path;
  }
}

// RFC 9309 §5.1 "Simple Example".
TEST(RobotsTest, Spec_Rfc9309SimpleExample) {
  Robots r = Robots::parse(
      "User-Agent: *\n"
      "Disallow: *.gif$\n"
      "Disallow: /example/\n"
      "Allow: /publications/\n"
      "\n"
      "User-Agent: foobot\n"
      "Disallow:/\n"
      "Allow:/example/page.html\n"
      "Allow:/example/allowed.gif\n"
      "\n"
      "User-Agent: barbot\n"
      "User-Agent: bazbot\n"
      "Disallow: /example/page.html\n"
      "\n"
      "User-Agent: quxbot\n");
  expect_cases(r, {
                      {"foobot", "/example/page.html", true},
                      {"foobot", "/example/allowed.gif", true},
                      {"foobot", "/example/other.html", false},
                      {"foobot", "/", false},
                      {"barbot", "/example/page.html", false},
                      {"bazbot", "/example/page.html", false},
                      {"barbot", "/example/other.html", true},
                      {"barbot", "/a.gif", true},
                      {"quxbot", "/example/page.html", true},
                      {"quxbot", "/a.gif", true},
                      {"otherbot", "/a.gif", false},
                      {"otherbot", "/a.gif?x", true},
                      {"otherbot", "/example/", false},
                      {"otherbot", "/example/x", false},
                      {"otherbot", "/publications/x", true},
                      {"otherbot", "/", true},
                  });
  EXPECT_EQ(r.groups().size(), 4u);
  EXPECT_EQ(r.groups()[2].agents, (std::vector<std::string>{"barbot", "bazbot"}));
}

// RFC 9309 §5.2 "Longest Match".
TEST(RobotsTest, Spec_Rfc9309LongestMatch) {
  Robots r = Robots::parse(
      "User-Agent: foobot\n"
      "Allow: /example/page/\n"
      "Disallow: /example/page/disallowed.gif\n");
  expect_cases(r, {
                      {"foobot", "/example/page/", true},
                      {"foobot", "/example/page/x.html", true},
                      {"foobot", "/example/page/disallowed.gif", false},
                      {"foobot", "/example/page/disallowed.gif?v=1", false},
                  });
}

TEST(RobotsTest, Spec_LongestMatchByPatternLengthAndTiesGoToAllow) {
  Robots r = Robots::parse(
      "user-agent: a\n"
      "allow: /page\n"
      "disallow: /*.html\n"
      "user-agent: b\n"
      "allow: /page\n"
      "disallow: /page\n"
      "user-agent: c\n"
      "disallow: /page\n"
      "allow: /page\n"
      "user-agent: d\n"
      "allow: /$\n"
      "disallow: /\n");
  expect_cases(r, {
                      {"a", "/page", true},
                      {"a", "/page.html", false},  // "/*.html" (7) beats "/page" (5)
                      {"b", "/page", true},
                      {"c", "/page", true},
                      {"d", "/", true},
                      {"d", "/x", false},
                  });
}

TEST(RobotsTest, Spec_Wildcards) {
  Robots r = Robots::parse(
      "User-agent: *\n"
      "Disallow: /*/private/*.pdf\n"
      "Disallow: /x$\n"
      "Disallow: /*?\n"
      "Disallow: /fish*\n"
      "Disallow: /a$b\n"
      "Allow: /*?public=1$\n");
  expect_cases(r, {
                      {"bot", "/a/private/b.pdf", false},
                      {"bot", "/a/b/private/c/d.pdf.bak", false},
                      {"bot", "/a/public/b.pdf", true},
                      {"bot", "/x", false},
                      {"bot", "/x/", true},
                      {"bot", "/xy", true},
                      {"bot", "/list?page=2", false},
                      {"bot", "/list?public=1", true},
                      {"bot", "/fish", false},
                      {"bot", "/fishheads/x", false},
                      {"bot", "/Fish", true},  // paths are case-sensitive
                      {"bot", "/a$b", false},  // '$' not at the end is literal
                      {"bot", "/ab", true},
                  });
}

TEST(RobotsTest, Spec_PercentEncodingNormalisation) {
  // RFC 9309 §2.2.2 table.
  Robots r = Robots::parse(
      "User-agent: *\n"
      "Disallow: /foo/bar?baz=quz\n"
      "Disallow: /foo/bar/ツ\n"
      "Disallow: /foo/bar/%62%61%7A\n"
      "Disallow: /新闻/\n"
      "Disallow: /%7euser/\n");
  expect_cases(r, {
                      {"bot", "/foo/bar?baz=quz", false},
                      {"bot", "/foo/bar/%E3%83%84", false},
                      {"bot", "/foo/bar/%e3%83%84", false},
                      {"bot", "/foo/bar/ツ", false},
                      {"bot", "/foo/bar/baz", false},
                      {"bot", "/foo/bar/%62%61%7A", false},
                      {"bot", "/%E6%96%B0%E9%97%BB/a.html", false},
                      {"bot", "/新闻/a.html", false},
                      {"bot", "/~user/a", false},
                      {"bot", "/foo/bar/other", true},
                  });
}

TEST(RobotsTest, Spec_AgentMatchingIsCaseInsensitiveOnProductToken) {
  Robots r = Robots::parse(
      "User-agent: NewsHarvest/1.0\n"
      "Disallow: /private/\n"
      "User-agent: *\n"
      "Disallow: /\n");
  expect_cases(r, {
                      {"newsharvest", "/a", true},
                      {"newsharvest/0.1 (+http://example.com/bot)", "/a", true},
                      {"NEWSHARVEST", "/private/x", false},
                      {"newsharvester", "/a", false},
                      {"news", "/a", false},
                  });
  EXPECT_EQ(Robots::product_token("NewsHarvest/0.1 (+http://x)"), "newsharvest");
  EXPECT_EQ(Robots::product_token("  Foo-Bot "), "foo-bot");
}

TEST(RobotsTest, Spec_GroupsNamingTheSameAgentAreMerged) {
  Robots r = Robots::parse(
      "user-agent: foobot\n"
      "disallow: /a\n"
      "user-agent: *\n"
      "disallow: /\n"
      "user-agent: FOOBOT\n"
      "disallow: /b\n"
      "crawl-delay: 3\n");
  expect_cases(r, {
                      {"foobot", "/a", false},
                      {"foobot", "/b", false},
                      {"foobot", "/c", true},
                      {"other", "/c", false},
                  });
  EXPECT_EQ(r.crawl_delay("foobot"), 3.0);
  EXPECT_EQ(r.crawl_delay("other"), std::nullopt);
}

TEST(RobotsTest, Spec_NoMatchingGroupAllowsAll) {
  Robots r = Robots::parse("user-agent: foobot\ndisallow: /\n");
  EXPECT_TRUE(r.allowed("otherbot", "/x"));
  EXPECT_FALSE(r.allowed("foobot", "/x"));
  EXPECT_TRUE(Robots::parse("").allowed("bot", "/x"));
  EXPECT_TRUE(Robots().allowed("bot", "/x"));
}

TEST(RobotsTest, Spec_EmptyDisallowAllows) {
  Robots r = Robots::parse("user-agent: *\ndisallow:\n");
  EXPECT_TRUE(r.allowed("bot", "/anything"));
}

TEST(RobotsTest, Spec_RobotsTxtAlwaysAllowed) {
  Robots r = Robots::parse("user-agent: *\ndisallow: /\n");
  EXPECT_TRUE(r.allowed("bot", "/robots.txt"));
  EXPECT_FALSE(r.allowed("bot", "/robots.txt.bak"));
  EXPECT_TRUE(Robots::disallow_all().allowed("bot", "/robots.txt"));
}

TEST(RobotsTest, Spec_RulesBeforeFirstGroupAreIgnored) {
  Robots r = Robots::parse("disallow: /\nallow: /x\nuser-agent: *\ndisallow: /y\n");
  EXPECT_TRUE(r.allowed("bot", "/a"));
  EXPECT_FALSE(r.allowed("bot", "/y"));
}

TEST(RobotsTest, Spec_LineEndingsBomAndComments) {
  const std::string bodies[] = {
      "\xEF\xBB\xBFuser-agent: *\ndisallow: /a # comment\n",
      "user-agent: *\r\ndisallow: /a\r\n",
      "user-agent: *\rdisallow: /a\r",
      "# header comment\nuser-agent: *   # who\n\n\ndisallow: /a",
      "  USER-AGENT :*\n\tDisAllow\t:\t/a\t\n",
      "user-agent: *\ndisallow /a\n",   // missing colon
      "useragent: *\ndissallow: /a\n",  // common misspellings
  };
  for (const std::string& body : bodies) {
    Robots r = Robots::parse(body);
    EXPECT_FALSE(r.allowed("bot", "/a")) << body;
    EXPECT_TRUE(r.allowed("bot", "/b")) << body;
  }
}

TEST(RobotsTest, Spec_TotalParserOnGarbage) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 131) % 256);
  garbage += std::string(100000, ':');
  garbage += "\nuser-agent: *\ndisallow: /z\n";
  garbage += std::string("\0\0\0", 3);
  Robots r = Robots::parse(garbage);
  EXPECT_FALSE(r.allowed("bot", "/z"));
  EXPECT_TRUE(r.allowed("bot", "/a"));
  EXPECT_TRUE(Robots::parse("<html><body>Not found</body></html>").allowed("bot", "/a"));
}

TEST(RobotsTest, Policy_OnlyFirstHalfMebibyteIsParsed) {
  std::string body = "user-agent: *\n";
  body += std::string(kMaxRobotsBytes, '\n');
  body += "disallow: /\n";
  EXPECT_TRUE(Robots::parse(body).allowed("bot", "/a"));
}

TEST(RobotsTest, Policy_CrawlDelay) {
  Robots r = Robots::parse(
      "user-agent: a\ncrawl-delay: 2.5\n"
      "user-agent: b\ncrawl-delay: abc\n"
      "user-agent: c\ncrawl-delay: -1\n"
      "user-agent: d\ncrawl-delay: 10\ncrawl-delay: 1\n"
      "user-agent: *\ncrawl-delay: 0.5\n");
  EXPECT_EQ(r.crawl_delay("a"), 2.5);
  EXPECT_EQ(r.crawl_delay("b"), std::nullopt);
  EXPECT_EQ(r.crawl_delay("c"), std::nullopt);
  EXPECT_EQ(r.crawl_delay("d"), 10.0);
  EXPECT_EQ(r.crawl_delay("zzz"), 0.5);
}

TEST(RobotsTest, Spec_SitemapsCollectedFromAnywhere) {
  Robots r = Robots::parse(
      "Sitemap: http://x.gov.cn/sitemap.xml\n"
      "user-agent: a\n"
      "sitemap:   http://x.gov.cn/news.xml   \n"
      "user-agent: b\n"
      "disallow: /p\n"
      "SITEMAP: http://x.gov.cn/s3.xml # c\n"
      "sitemap:\n");
  EXPECT_EQ(r.sitemaps(),
            (std::vector<std::string>{"http://x.gov.cn/sitemap.xml", "http://x.gov.cn/news.xml",
                                      "http://x.gov.cn/s3.xml"}));
  // The sitemap line does not end the run of user-agent lines: a and b share one group.
  EXPECT_FALSE(r.allowed("a", "/p"));
  EXPECT_FALSE(r.allowed("b", "/p"));
}

TEST(RobotsTest, Spec_FullUrlAsPath) {
  Robots r = Robots::parse("user-agent: *\ndisallow: /a\ndisallow: /*?q\n");
  EXPECT_FALSE(r.allowed("bot", "http://x.gov.cn/a/b.html"));
  EXPECT_TRUE(r.allowed("bot", "https://x.gov.cn/b#a"));
  EXPECT_TRUE(r.allowed("bot", "http://x.gov.cn"));
  EXPECT_FALSE(r.allowed("bot", "http://x.gov.cn?q=1"));
  EXPECT_TRUE(r.allowed("bot", ""));
}

TEST(RobotsTest, Spec_FetchOutcomes) {
  const char* body = "user-agent: *\ndisallow: /a\n";
  struct Case {
    bool reachable;
    long status;
    bool a_allowed;
    bool b_allowed;
  } cases[] = {
      {true, 200, false, true},  // 2xx: parse
      {true, 204, true, true},   // 2xx with an empty body: nothing disallowed
      {true, 404, true, true},   // 4xx: unavailable, allow all
      {true, 401, true, true},   {true, 403, true, true},
      {true, 410, true, true},   {true, 301, true, true},  // redirects not resolved: unavailable
      {true, 429, false, false},                           // policy: back off
      {true, 500, false, false},                           // 5xx: unreachable, disallow all
      {true, 503, false, false}, {false, 0, false, false},
  };
  for (const Case& c : cases) {
    std::string_view b = c.status == 204 ? std::string_view() : std::string_view(body);
    Robots r = Robots::from_fetch({c.reachable, c.status, b});
    EXPECT_EQ(r.allowed("bot", "/a"), c.a_allowed) << c.status;
    EXPECT_EQ(r.allowed("bot", "/b"), c.b_allowed) << c.status;
  }
}

}  // namespace
}  // namespace nh::crawler
