#include "crawler/urls.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nh::crawler {
namespace {

struct NormCase {
  const char* in;
  const char* out;  // expected canonical URL; nullptr when an error is expected
  UrlError error = UrlError::none;
};

const NormCase kNormalize[] = {
    // scheme/host case, default ports, dot segments, fragments
    {"HTTP://WWW.Example.COM/a", "http://www.example.com/a"},
    {"http://example.com:80/a", "http://example.com/a"},
    {"https://example.com:443/a", "https://example.com/a"},
    {"http://example.com:443/a", "http://example.com:443/a"},
    {"https://example.com:80/a", "https://example.com:80/a"},
    {"http://example.com:8080/a", "http://example.com:8080/a"},
    {"http://example.com", "http://example.com/"},
    {"http://example.com.", "http://example.com/"},
    {"http://example.com/a/./b/../c", "http://example.com/a/c"},
    {"http://example.com/../../a", "http://example.com/a"},
    {"http://example.com/a/b/..", "http://example.com/a/"},
    {"http://example.com/a#frag", "http://example.com/a"},
    {"http://example.com/a?x=1#frag with space", "http://example.com/a?x=1"},
    // query: tracking parameters stripped, order kept, empties dropped
    {"http://example.com/a?utm_source=wx&id=5&utm_medium=x", "http://example.com/a?id=5"},
    {"http://example.com/a?b=2&a=1", "http://example.com/a?b=2&a=1"},
    {"http://example.com/a?UTM_Campaign=z&p=1", "http://example.com/a?p=1"},
    {"http://example.com/a?spm=a.b.c&from=singlemessage&isappinstalled=0", "http://example.com/a"},
    {"http://example.com/a?fbclid=1&gclid=2&share_token=3&id=9", "http://example.com/a?id=9"},
    {"http://example.com/a?fromx=1", "http://example.com/a?fromx=1"},
    {"http://example.com/a?", "http://example.com/a"},
    {"http://example.com/a?&&id=1&", "http://example.com/a?id=1"},
    {"http://example.com/a?q=a+b", "http://example.com/a?q=a+b"},
    // session ids
    {"http://x.gov.cn/col/index.jsp;jsessionid=AB12CD?id=3", "http://x.gov.cn/col/index.jsp?id=3"},
    {"http://x.gov.cn/a;JSESSIONID=AB12/b.html", "http://x.gov.cn/a/b.html"},
    {"http://x.gov.cn/a;v=1/b.html", "http://x.gov.cn/a;v=1/b.html"},
    {"http://x.com/list.php?PHPSESSID=abc&page=2", "http://x.com/list.php?page=2"},
    {"http://example.com/a?flag", "http://example.com/a?flag"},
    // percent-encoding: hex upper-cased, unreserved decoded, reserved kept, raw UTF-8 encoded
    {"http://example.com/%e6%96%b0%e9%97%bb/a.html",
     "http://example.com/%E6%96%B0%E9%97%BB/a.html"},
    {"http://example.com/新闻/a.html", "http://example.com/%E6%96%B0%E9%97%BB/a.html"},
    {"http://example.com/a?kw=中国", "http://example.com/a?kw=%E4%B8%AD%E5%9B%BD"},
    {"http://example.com/%7euser/%41%2f%2F", "http://example.com/~user/A%2F%2F"},
    {"http://example.com/a%2Eb", "http://example.com/a%2Eb"},
    {"http://example.com/100%", "http://example.com/100%25"},
    {"http://example.com/a b.html", "http://example.com/a%20b.html"},
    {"http://example.com/a?q=x y", "http://example.com/a?q=x%20y"},
    {"http://example.com/a|b{c}", "http://example.com/a%7Cb%7Bc%7D"},
    {"http://example.com/a\\b\\c.html", "http://example.com/a/b/c.html"},
    {"http://example.com/a?x=\\", "http://example.com/a?x=%5C"},
    // whitespace
    {"  http://example.com/a  ", "http://example.com/a"},
    {"\thttp://example.com/a\n", "http://example.com/a"},
    {"http://exa\nmple.com/a\r\n/b", "http://example.com/a/b"},
    {"\xE3\x80\x80http://example.com/a\xC2\xA0", "http://example.com/a"},
    // IDN hosts become punycode; punycode input stays
    {"http://例子.中国/a", "http://xn--fsqu00a.xn--fiqs8s/a"},
    {"http://xn--fsqu00a.xn--fiqs8s/a", "http://xn--fsqu00a.xn--fiqs8s/a"},
    {"http://Bücher.DE/", "http://xn--bcher-kva.de/"},
    // IP literals and user info
    {"http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"},
    {"http://[::1]:80/x", "http://[::1]/x"},
    {"http://user:pw@example.com/", "http://user:pw@example.com/"},
    // rejections
    {"", nullptr, UrlError::empty},
    {"   ", nullptr, UrlError::empty},
    {"javascript:void(0)", nullptr, UrlError::unsupported_scheme},
    {"JavaScript:alert(1)", nullptr, UrlError::unsupported_scheme},
    {"mailto:editor@example.com", nullptr, UrlError::unsupported_scheme},
    {"tel:+86-10-1234", nullptr, UrlError::unsupported_scheme},
    {"data:text/html,hi", nullptr, UrlError::unsupported_scheme},
    {"ftp://example.com/a", nullptr, UrlError::unsupported_scheme},
    {"/relative/path", nullptr, UrlError::malformed},
    {"http://example.com:99999/", nullptr, UrlError::malformed},
    {"http://exa mple.com/", nullptr, UrlError::malformed},
};

TEST(UrlsTest, Spec_NormalizeTable) {
  for (const NormCase& c : kNormalize) {
    UrlResult r = normalize(c.in);
    if (c.out != nullptr) {
      EXPECT_TRUE(r.ok()) << c.in;
      EXPECT_EQ(r.url, c.out) << c.in;
    } else {
      EXPECT_FALSE(r.ok()) << c.in << " -> " << r.url;
      EXPECT_EQ(r.error, c.error) << c.in;
      EXPECT_EQ(r.url, "") << c.in;
    }
  }
}

TEST(UrlsTest, Spec_NormalizeIsIdempotent) {
  for (const NormCase& c : kNormalize) {
    if (c.out == nullptr) continue;
    UrlResult again = normalize(c.out);
    ASSERT_TRUE(again.ok()) << c.out;
    EXPECT_EQ(again.url, c.out);
  }
}

// curl (like WHATWG URL) skips extra slashes after "http:", so "http:///a" names host "a";
// a URL with no host at all is rejected.
TEST(UrlsTest, Spec_ExtraSlashesAndNoHost) {
  EXPECT_EQ(normalize("http:///a").url, "http://a/");
  EXPECT_FALSE(normalize("http://").ok());
  EXPECT_FALSE(normalize("http://:80/").ok());
}

struct ResolveCase {
  const char* base;
  const char* href;
  const char* out;
  UrlError error = UrlError::none;
};

const ResolveCase kResolve[] = {
    // RFC 3986 §5.4.1 normal examples (http flavoured)
    {"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
    {"http://a/b/c/d;p?q", "/g", "http://a/g"},
    {"http://a/b/c/d;p?q", "//g", "http://g/"},
    {"http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
    {"http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"},
    {"http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q"},
    {"http://a/b/c/d;p?q", "g#s", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", ";x", "http://a/b/c/;x"},
    {"http://a/b/c/d;p?q", "", nullptr, UrlError::empty},
    {"http://a/b/c/d;p?q", ".", "http://a/b/c/"},
    {"http://a/b/c/d;p?q", "./", "http://a/b/c/"},
    {"http://a/b/c/d;p?q", "..", "http://a/b/"},
    {"http://a/b/c/d;p?q", "../g", "http://a/b/g"},
    {"http://a/b/c/d;p?q", "../..", "http://a/"},
    {"http://a/b/c/d;p?q", "../../g", "http://a/g"},
    // §5.4.2 abnormal examples
    {"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "/./g", "http://a/g"},
    {"http://a/b/c/d;p?q", "/../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "g.", "http://a/b/c/g."},
    {"http://a/b/c/d;p?q", "..g", "http://a/b/c/..g"},
    {"http://a/b/c/d;p?q", "./../g", "http://a/b/g"},
    {"http://a/b/c/d;p?q", "g/./h", "http://a/b/c/g/h"},
    {"http://a/b/c/d;p?q", "g/../h", "http://a/b/c/h"},
    // portal-shaped links
    {"http://www.gov.cn/xinwen/index.htm", "./2021-05/26/content_5612345.htm",
     "http://www.gov.cn/xinwen/2021-05/26/content_5612345.htm"},
    {"http://www.gov.cn/xinwen/index.htm", "../zhengce/t20210526_123.html",
     "http://www.gov.cn/zhengce/t20210526_123.html"},
    {"http://x.gov.cn/col/col12/index.html", "/art/2021/5/26/art_12_345.html",
     "http://x.gov.cn/art/2021/5/26/art_12_345.html"},
    {"http://x.gov.cn/a/index.html", "  t20210526_1.html  ", "http://x.gov.cn/a/t20210526_1.html"},
    {"http://x.gov.cn/a/index.html", "新闻 中心.html",
     "http://x.gov.cn/a/%E6%96%B0%E9%97%BB%20%E4%B8%AD%E5%BF%83.html"},
    {"http://x.gov.cn/a/index.html", "..\\b\\c.html", "http://x.gov.cn/b/c.html"},
    {"http://x.gov.cn/a/index.html", "list.html?page=2&utm_source=x",
     "http://x.gov.cn/a/list.html?page=2"},
    {"http://x.gov.cn/a/index.html", "HTTPS://Y.gov.cn:443/z", "https://y.gov.cn/z"},
    {"https://x.gov.cn/a/index.html", "//cdn.x.gov.cn/p.html", "https://cdn.x.gov.cn/p.html"},
    {"http://x.gov.cn/a/index.html?spm=1", "#", "http://x.gov.cn/a/index.html"},
    {"http://x.gov.cn/a/index.html", "#top", "http://x.gov.cn/a/index.html"},
    // rejected references
    {"http://x.gov.cn/a/", "javascript:void(0);", nullptr, UrlError::unsupported_scheme},
    {"http://x.gov.cn/a/", " javascript:;", nullptr, UrlError::unsupported_scheme},
    {"http://x.gov.cn/a/", "mailto:a@x.gov.cn", nullptr, UrlError::unsupported_scheme},
    {"http://x.gov.cn/a/", "tel:12345", nullptr, UrlError::unsupported_scheme},
    {"http://x.gov.cn/a/", "data:image/png;base64,AAAA", nullptr, UrlError::unsupported_scheme},
    {"http://x.gov.cn/a/", "   ", nullptr, UrlError::empty},
    {"not a url", "a.html", nullptr, UrlError::malformed},
    {"ftp://x.gov.cn/", "a.html", nullptr, UrlError::unsupported_scheme},
};

TEST(UrlsTest, Spec_ResolveTable) {
  for (const ResolveCase& c : kResolve) {
    UrlResult r = resolve(c.base, c.href);
    if (c.out != nullptr) {
      EXPECT_TRUE(r.ok()) << c.base << " + " << c.href;
      EXPECT_EQ(r.url, c.out) << c.base << " + " << c.href;
    } else {
      EXPECT_FALSE(r.ok()) << c.base << " + " << c.href << " -> " << r.url;
      EXPECT_EQ(r.error, c.error) << c.base << " + " << c.href;
    }
  }
}

TEST(UrlsTest, Spec_EffectiveBasePrefersBaseHref) {
  EXPECT_EQ(effective_base("http://x.gov.cn/a/b.html", "http://cdn.x.gov.cn/root/").url,
            "http://cdn.x.gov.cn/root/");
  EXPECT_EQ(effective_base("http://x.gov.cn/a/b.html", "/c/").url, "http://x.gov.cn/c/");
  EXPECT_EQ(effective_base("http://x.gov.cn/a/b.html", "").url, "http://x.gov.cn/a/b.html");
  EXPECT_EQ(effective_base("http://x.gov.cn/a/b.html", "javascript:;").url,
            "http://x.gov.cn/a/b.html");
  UrlResult base = effective_base("http://x.gov.cn/a/b.html", "/c/");
  EXPECT_EQ(resolve(base.url, "d.html").url, "http://x.gov.cn/c/d.html");
  EXPECT_FALSE(effective_base("mailto:a@b", "").ok());
}

TEST(UrlsTest, Spec_HostOf) {
  EXPECT_EQ(host_of("HTTP://WWW.Gov.CN:80/x"), "www.gov.cn");
  EXPECT_EQ(host_of("http://www.gov.cn:8080/x"), "www.gov.cn");
  EXPECT_EQ(host_of("http://例子.中国/"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(host_of("mailto:a@b.c"), "");
  EXPECT_EQ(host_of("/relative"), "");
  EXPECT_EQ(normalize_host("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(normalize_host("例子.中国"), "xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(normalize_host("bad host"), "");
}

TEST(UrlsTest, Policy_HostScope) {
  HostScope scope({"www.gxzx.gov.cn", ".news.cn", "例子.中国", "bad host"});
  EXPECT_TRUE(scope.contains_url("http://www.gxzx.gov.cn/a"));
  EXPECT_TRUE(scope.contains_url("http://WWW.GXZX.GOV.CN:8080/a"));
  EXPECT_FALSE(scope.contains_url("http://gxzx.gov.cn/a"));
  EXPECT_FALSE(scope.contains_url("http://evil-www.gxzx.gov.cn.example.com/a"));
  EXPECT_TRUE(scope.contains_url("http://news.cn/a"));
  EXPECT_TRUE(scope.contains_url("http://www.news.cn/a"));
  EXPECT_TRUE(scope.contains_url("http://a.b.news.cn/a"));
  EXPECT_FALSE(scope.contains_url("http://fakenews.cn/a"));
  EXPECT_TRUE(scope.contains_url("http://xn--fsqu00a.xn--fiqs8s/"));
  EXPECT_FALSE(scope.contains_url("javascript:void(0)"));
  EXPECT_FALSE(HostScope().contains_url("http://www.gxzx.gov.cn/"));
  EXPECT_TRUE(HostScope().empty());
}

// One host-scope rule for profiles and crawls: exact, "*." (subdomains only) and "." (apex too).
TEST(UrlsTest, Policy_OneHostScopeRuleForEveryEntryForm) {
  EXPECT_EQ(scope_entry(" WWW.Example.CN. "), "www.example.cn");
  EXPECT_EQ(scope_entry("*.例子.中国"), "*.xn--fsqu00a.xn--fiqs8s");
  EXPECT_EQ(scope_entry(".News.cn"), ".news.cn");
  EXPECT_EQ(scope_entry("bad host"), "");
  struct Case {
    const char* entry;
    const char* host;
    bool in;
  };
  for (const Case& c :
       {Case{"www.example.cn", "www.example.cn", true}, Case{"www.example.cn", "example.cn", false},
        Case{"*.gov.example", "news.gov.example", true},
        Case{"*.gov.example", "a.b.gov.example", true}, Case{"*.gov.example", "gov.example", false},
        Case{"*.gov.example", "evilgov.example", false}, Case{".news.cn", "news.cn", true},
        Case{".news.cn", "www.news.cn", true}, Case{".news.cn", "fakenews.cn", false}}) {
    EXPECT_EQ(host_matches(c.entry, c.host), c.in) << c.entry << " " << c.host;
    EXPECT_EQ(HostScope({c.entry}).contains_host(c.host), c.in) << c.entry << " " << c.host;
  }
}

TEST(UrlsTest, Spec_ParseUrlGivesPartsOrSaysWhy) {
  const UrlParts p = parse_url("HTTP://News.Example.CN/a/b.html?id=3#x");
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.scheme, "http");
  EXPECT_EQ(p.host, "news.example.cn");
  EXPECT_EQ(p.path, "/a/b.html");
  EXPECT_EQ(p.query, "id=3");
  EXPECT_EQ(p.url, "http://news.example.cn/a/b.html?id=3#x");
  EXPECT_EQ(parse_url("/sitemap.xml", "http://example.cn/x/").url, "http://example.cn/sitemap.xml");
  EXPECT_EQ(parse_url("ftp://example.cn/a").scheme, "ftp") << "any scheme parses";
  EXPECT_EQ(parse_url("  ").error, "empty URL");
  EXPECT_EQ(parse_url("file:///etc/passwd").error, "URL has no host");
  EXPECT_EQ(parse_url("/relative").error.rfind("not a valid absolute URL (", 0), 0u);
}

TEST(UrlsTest, Spec_PageResolverResolvesAgainstBaseHrefAndSkipsNonHttp) {
  const PageResolver r("http://example.cn/news/a.html", "/static/");
  EXPECT_EQ(r.resolve("b.html"), "http://example.cn/static/b.html");
  EXPECT_EQ(r.resolve("//cdn.example.cn/x"), "http://cdn.example.cn/x");
  EXPECT_EQ(r.resolve("https://other.cn/y#f"), "https://other.cn/y#f");
  EXPECT_EQ(r.resolve("中文.html"), "http://example.cn/static/%e4%b8%ad%e6%96%87.html");
  for (const char* no : {"", "#top", "javascript:void(0)", "MAILTO:a@b.cn", "tel:1", "ftp://x.cn/"})
    EXPECT_EQ(r.resolve(no), "") << no;
  const PageResolver bad_base("http://example.cn/news/a.html", "javascript:x");
  EXPECT_EQ(bad_base.resolve("b.html"), "http://example.cn/news/b.html");
  const PageResolver no_page("", "");
  EXPECT_EQ(no_page.resolve("b.html"), "");
  EXPECT_EQ(no_page.resolve("http://example.cn/c"), "http://example.cn/c");
}

TEST(UrlsTest, Policy_TrackingParams) {
  EXPECT_TRUE(is_tracking_param("utm_source"));
  EXPECT_TRUE(is_tracking_param("UTM_anything"));
  EXPECT_TRUE(is_tracking_param("spm"));
  EXPECT_TRUE(is_tracking_param("from"));
  EXPECT_FALSE(is_tracking_param("id"));
  EXPECT_FALSE(is_tracking_param("page"));
  EXPECT_FALSE(is_tracking_param("utm"));
}

TEST(UrlsTest, Spec_PercentEncodingNormalisation) {
  EXPECT_EQ(normalize_percent_encoding("/a%2fb%7E%e4%b8%ad"), "/a%2Fb~%E4%B8%AD");
  EXPECT_EQ(normalize_percent_encoding("/%2E/x"), "/%2E/x");
  EXPECT_EQ(normalize_percent_encoding("/%2E/x", true), "/./x");
  EXPECT_EQ(normalize_percent_encoding("%zz%4"), "%25zz%254");
  EXPECT_EQ(normalize_percent_encoding("\xE3\x83\x84"), "%E3%83%84");
}

}  // namespace
}  // namespace nh::crawler

namespace nh::crawler {
namespace {

// Any bytes in, a value out: no crash, and every accepted URL is a fixed point.
TEST(UrlsTest, Spec_TotalOnArbitraryBytes) {
  const std::string alphabet = std::string("aZ09:/?#[]@!$&'()*+,;=%-._~ \t\n\\\"<>|{}^`") +
                               "\xE4\xB8\xAD\xC2\xA0\xFF\x80" + std::string(1, '\0');
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return state >> 8;
  };
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = (i % 2 == 0) ? "http://x.gov.cn/" : "";
    std::size_t len = next() % 24;
    for (std::size_t k = 0; k < len; ++k) s += alphabet[next() % alphabet.size()];
    UrlResult r = resolve("http://x.gov.cn/a/b.html", s);
    UrlResult n = normalize(s);
    for (const UrlResult* res : {&r, &n}) {
      if (!res->ok()) continue;
      ++accepted;
      UrlResult again = normalize(res->url);
      EXPECT_TRUE(again.ok()) << res->url;
      EXPECT_EQ(again.url, res->url) << "from " << s;
    }
  }
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace nh::crawler

namespace nh::crawler {
namespace {

// Issue 13 (a fuzz finding): a host holding a percent-encoded invalid byte must not come back
// as a URL with a raw invalid byte in its host; every canonical URL is printable ASCII.
TEST(Urls, Spec_PercentEncodedInvalidHostByteIsMalformed) {
  for (const char* u : {"http://%be.example.com/", "http://a%BEb.example.com/x"}) {
    const UrlResult r = normalize(u);
    EXPECT_FALSE(r.ok()) << u << " -> " << r.url;
    const UrlResult rr = resolve("http://www.example.com/", std::string("//") + (u + 7));
    EXPECT_FALSE(rr.ok()) << u << " -> " << rr.url;
  }
  const UrlResult ok = normalize("http://www.example.com/\xe4\xb8\xad?q=\xe6\x96\x87");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.url, "http://www.example.com/%E4%B8%AD?q=%E6%96%87");
}

}  // namespace
}  // namespace nh::crawler
