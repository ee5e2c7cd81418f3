// Site profiles: every kind of mistake is reported with file, line, column and key; all
// mistakes of a file come in one ConfigError; defaults are applied; shipped profiles load.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "config/config.h"

namespace nh::config {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* kSource = "config/sites/demo.toml";

// The message a profile produces, or "" when it is valid.
std::string error_of(const std::string& toml) {
  try {
    parse_profile(toml, kSource);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const std::string kMinimal =
    "name = \"demo\"\n"
    "seeds = [\"http://demo.portal.test/\"]\n";

// ----- each kind of mistake -----------------------------------------------------------------

TEST(ConfigProfile, Spec_UnknownKeySuggestsTheClosestKnownKey) {
  EXPECT_EQ(error_of(kMinimal + "[politeness]\ndelay_msec = 20\n"),
            "config/sites/demo.toml:4:1: politeness.delay_msec: unknown key; did you mean "
            "\"politeness.delay_ms\"?");
  EXPECT_EQ(error_of(kMinimal + "timezone = \"Asia/Shanghai\"\n"),
            "config/sites/demo.toml:3:1: timezone: unknown key; did you mean \"time_zone\"?");
}

TEST(ConfigProfile, Spec_UnknownKeyWithoutCloseMatchHasNoSuggestion) {
  EXPECT_EQ(error_of(kMinimal + "colour = \"blue\"\n"),
            "config/sites/demo.toml:3:1: colour: unknown key");
}

TEST(ConfigProfile, Spec_TopLevelKeyBelowATableHeaderGetsAHint) {
  EXPECT_EQ(error_of(kMinimal + "[politeness]\ndelay_ms = 20\ntime_zone = \"Asia/Shanghai\"\n"),
            "config/sites/demo.toml:5:1: politeness.time_zone: unknown key; \"time_zone\" is a "
            "top-level key: move it above the first [table] header");
}

TEST(ConfigProfile, Spec_WrongTypeNamesExpectedAndActual) {
  EXPECT_EQ(error_of(kMinimal + "\n[politeness]\ndelay_ms = \"20\"\n"),
            "config/sites/demo.toml:5:1: politeness.delay_ms: expected an integer, got a string");
  EXPECT_EQ(error_of("name = \"demo\"\nseeds = \"http://demo.portal.test/\"\n"),
            "config/sites/demo.toml:2:1: seeds: expected an array of strings, got a string");
  EXPECT_EQ(error_of(kMinimal + "[politeness]\nrobots = \"yes\"\n"),
            "config/sites/demo.toml:4:1: politeness.robots: expected a boolean (true or false), "
            "got a string");
}

TEST(ConfigProfile, Spec_BadRegexIsReportedAtItsArrayElement) {
  EXPECT_EQ(error_of(kMinimal + "[urls]\narticle = [\n  '^ok$',\n  '/t(\\d+\\.html$',\n]\n"),
            "config/sites/demo.toml:6:3: urls.article[1]: invalid regular expression "
            "\"/t(\\d+\\.html$\": missing ) (RE2 syntax: no backreferences or lookaround)");
}

TEST(ConfigProfile, Spec_BadUrlSchemeAndMissingHost) {
  EXPECT_EQ(error_of("name = \"demo\"\nseeds = [\"ftp://demo.portal.test/\"]\n"),
            "config/sites/demo.toml:2:10: seeds[0]: \"ftp://demo.portal.test/\": scheme must be "
            "http or https, got \"ftp\"");
  // The text in parentheses is libcurl's curl_url_strerror().
  EXPECT_EQ(error_of("name = \"demo\"\nseeds = [\"http://:8080/\"]\n"),
            "config/sites/demo.toml:2:10: seeds[0]: \"http://:8080/\": not a valid absolute URL "
            "(No host part in the URL)");
  EXPECT_EQ(error_of("name = \"demo\"\nseeds = [\"demo.portal.test/\"]\n"),
            "config/sites/demo.toml:2:10: seeds[0]: \"demo.portal.test/\": not a valid absolute "
            "URL (Bad scheme)");
}

TEST(ConfigProfile, Spec_SeedHostMustBeInHosts) {
  EXPECT_EQ(error_of("name = \"demo\"\nhosts = [\"demo.portal.test\"]\n"
                     "seeds = [\"http://demo.portal.test/\", \"http://other.test/a\"]\n"),
            "config/sites/demo.toml:3:38: seeds[1]: host \"other.test\" of "
            "\"http://other.test/a\" is not in hosts");
}

TEST(ConfigProfile, Spec_UnknownTimeZoneSuggestsTheClosestZone) {
  EXPECT_EQ(error_of(kMinimal + "time_zone = \"Asia/Shangai\"\n"),
            "config/sites/demo.toml:3:1: time_zone: unknown time zone \"Asia/Shangai\"; did you "
            "mean \"Asia/Shanghai\"? (IANA name such as \"Asia/Shanghai\")");
}

TEST(ConfigProfile, Spec_MissingRequiredKeysAreBothReported) {
  EXPECT_EQ(error_of("display_name = \"x\"\n"),
            "config/sites/demo.toml:1:1: name: required key is missing\n"
            "config/sites/demo.toml:1:1: seeds: required key is missing");
  EXPECT_EQ(error_of("name = \"demo\"\nseeds = []\n"),
            "config/sites/demo.toml:2:1: seeds: must list at least one URL");
}

TEST(ConfigProfile, Spec_TomlSyntaxErrorNamesTheKeyOnTheLine) {
  const std::string msg = error_of(kMinimal + "[politeness]\ndelay_ms = 20 ms\n");
  EXPECT_EQ(msg.rfind("config/sites/demo.toml:4:", 0), 0u) << msg;
  EXPECT_NE(msg.find(": politeness.delay_ms: TOML syntax error: "), std::string::npos) << msg;
}

TEST(ConfigProfile, Spec_NegativeAndZeroLimitsAreRejected) {
  EXPECT_EQ(error_of(kMinimal + "[limits]\nmax_pages = 0\nmax_depth = -1\n"
                                "connect_timeout_ms = -5\n"),
            "config/sites/demo.toml:4:1: limits.max_pages: must be positive, got 0\n"
            "config/sites/demo.toml:5:1: limits.max_depth: must not be negative, got -1\n"
            "config/sites/demo.toml:6:1: limits.connect_timeout_ms: must be positive, got -5");
  EXPECT_EQ(error_of(kMinimal + "[limits]\nconcurrency = 0\n"),
            "config/sites/demo.toml:4:1: limits.concurrency: must be positive, got 0");
  EXPECT_EQ(error_of(kMinimal + "[limits]\nconcurrency = 5000\n"),
            "config/sites/demo.toml:4:1: limits.concurrency: must be at most 1024, got 5000");
  EXPECT_EQ(error_of(kMinimal + "[failure]\nmax_failed_share = 1.5\n"),
            "config/sites/demo.toml:4:1: failure.max_failed_share: must be between 0 and 1, "
            "got 1.5");
}

TEST(ConfigProfile, Spec_BadCharsetHostAndConnectEntries) {
  EXPECT_EQ(error_of(kMinimal + "charset = \"klingon-8\"\n"),
            "config/sites/demo.toml:3:1: charset: unknown charset \"klingon-8\" (e.g. \"utf-8\", "
            "\"gbk\", \"gb18030\")");
  EXPECT_EQ(error_of("name = \"demo\"\nhosts = [\"http://demo.portal.test\"]\n"
                     "seeds = [\"http://demo.portal.test/\"]\n"),
            "config/sites/demo.toml:2:10: hosts[0]: \"http://demo.portal.test\" is not a host "
            "name (write the host only: no scheme, port or path)");  // no echo on the seeds
  EXPECT_EQ(error_of(kMinimal + "[connect]\nconnect_to = [\"demo.portal.test:80:127.0.0.1:x\"]\n"),
            "config/sites/demo.toml:4:15: connect.connect_to[0]: ports must be empty or 1..65535 "
            "in \"demo.portal.test:80:127.0.0.1:x\"");
}

TEST(ConfigProfile, Spec_AllErrorsOfAFileComeInOneExceptionSortedByPosition) {
  const std::string toml =
      "name = \"bad name\"\n"             // 1
      "seeds = [\"gopher://x.test/\"]\n"  // 2
      "[politeness]\n"                    // 3
      "delay_ms = \"slow\"\n"             // 4
      "[urls]\n"                          // 5
      "list = ['(']\n"                    // 6
      "[limits]\n"                        // 7
      "max_pagez = 3\n";                  // 8
  try {
    parse_profile(toml, kSource);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.issues().size(), 5u) << e.what();
    EXPECT_EQ(e.issues()[0].line, 1);
    EXPECT_EQ(e.issues()[0].key, "name");
    EXPECT_EQ(e.issues()[1].line, 2);
    EXPECT_EQ(e.issues()[1].key, "seeds[0]");
    EXPECT_EQ(e.issues()[2].line, 4);
    EXPECT_EQ(e.issues()[2].key, "politeness.delay_ms");
    EXPECT_EQ(e.issues()[3].line, 6);
    EXPECT_EQ(e.issues()[3].key, "urls.list[0]");
    EXPECT_EQ(e.issues()[4].line, 8);
    EXPECT_EQ(e.issues()[4].key, "limits.max_pagez");
    EXPECT_EQ(e.issues()[4].message, "unknown key; did you mean \"limits.max_pages\"?");
    for (const Issue& issue : e.issues()) EXPECT_EQ(issue.source, kSource);
  }
}

TEST(ConfigProfile, Spec_SectionEntriesAreChecked) {
  EXPECT_EQ(error_of(kMinimal + "[[sections]]\nname = \"时政动态\"\n"
                                "[[sections]]\nurl = \"http://demo.portal.test/x/\"\n"
                                "pattern = \"[\"\n"),
            "config/sites/demo.toml:3:1: sections[0].url: required key is missing\n"
            "config/sites/demo.toml:5:1: sections[1].name: required key is missing\n"
            "config/sites/demo.toml:7:1: sections[1].pattern: invalid regular expression \"[\": "
            "missing ] (RE2 syntax: no backreferences or lookaround)");
}

// ----- defaults and derived values ------------------------------------------------------------

TEST(ConfigProfile, Spec_DefaultsAppliedToAMinimalProfile) {
  const Config c = parse_profile(kMinimal, kSource);
  EXPECT_EQ(c.name, "demo");
  EXPECT_EQ(c.display_name, "demo");
  EXPECT_EQ(c.seeds, std::vector<std::string>{"http://demo.portal.test/"});
  EXPECT_EQ(c.hosts, std::vector<std::string>{"demo.portal.test"});
  EXPECT_TRUE(c.sections.empty());
  EXPECT_TRUE(c.list_patterns.empty());
  EXPECT_TRUE(c.article_patterns.empty());
  EXPECT_TRUE(c.sitemaps.empty());
  EXPECT_TRUE(c.feeds.empty());
  EXPECT_EQ(c.time_zone, "Asia/Shanghai");
  EXPECT_FALSE(c.charset.has_value());
  EXPECT_EQ(c.user_agent, "newsharvest/0.1 (+https://github.com/newsharvest/newsharvest)");
  EXPECT_EQ(c.database, fs::path("./data/newsharvest.db"));
  EXPECT_EQ(c.politeness.delay, milliseconds(1000));
  EXPECT_EQ(c.politeness.max_connections_per_host, 2);
  EXPECT_TRUE(c.politeness.robots);
  EXPECT_EQ(c.politeness.crawl_delay_cap, milliseconds(30000));
  EXPECT_EQ(c.limits.max_pages, 10000);
  EXPECT_EQ(c.limits.max_depth, 5);
  EXPECT_EQ(c.limits.max_body_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(c.limits.connect_timeout, milliseconds(10000));
  EXPECT_EQ(c.limits.total_timeout, milliseconds(60000));
  EXPECT_EQ(c.limits.low_speed_bytes_per_sec, 512);
  EXPECT_EQ(c.limits.low_speed_time, std::chrono::seconds(30));
  EXPECT_EQ(c.limits.max_retries, 2);
  EXPECT_EQ(c.limits.workers, 0);
  EXPECT_EQ(c.limits.concurrency, 16);
  EXPECT_EQ(c.politeness.max_connections_per_host, 2);
  EXPECT_EQ(c.failure.max_failed_share, 0.2);
  EXPECT_EQ(c.drift.baseline_runs, 5);
  EXPECT_EQ(c.drift.min_articles, 5);
  EXPECT_EQ(c.drift.min_published_at_fill, 0.8);
  EXPECT_EQ(c.drift.min_body_fill, 0.8);
  EXPECT_EQ(c.drift.min_title_fill, 0.8);
  EXPECT_EQ(c.drift.min_article_links_per_list_page, 1.0);
  EXPECT_EQ(c.recrawl.list_lookback_pages, 1);
  EXPECT_EQ(c.recrawl.recheck_articles_younger_than, std::chrono::days(0));
  EXPECT_TRUE(c.connect.resolve.empty());
  EXPECT_TRUE(c.connect.connect_to.empty());
}

TEST(ConfigProfile, Spec_ValuesOverrideDefaultsAndUrlsAreNormalised) {
  const Config c = parse_profile(
      "name = \"x\"\n"
      "seeds = [\"HTTP://Demo.Portal.Test\", \"http://demo.portal.test/\"]\n"
      "sitemaps = [\"/sitemap.xml\"]\n"
      "feeds = [\"http://demo.portal.test/rss.xml\"]\n"
      "charset = \"gbk\"\n"
      "[politeness]\ndelay_ms = 20\nrobots = false\nmax_connections_per_host = 4\n"
      "[limits]\nconcurrency = 64\n"
      "[drift]\nmin_body_fill = 1\n"
      "[recrawl]\nrecheck_articles_younger_than_days = 7\n"
      "[connect]\nresolve = [\"demo.portal.test:80:127.0.0.1\"]\n"
      "connect_to = [\"::127.0.0.1:8080\"]\n",
      kSource);
  EXPECT_EQ(c.seeds, std::vector<std::string>{"http://demo.portal.test/"});  // deduplicated
  EXPECT_EQ(c.sitemaps, std::vector<std::string>{"http://demo.portal.test/sitemap.xml"});
  EXPECT_EQ(c.feeds, std::vector<std::string>{"http://demo.portal.test/rss.xml"});
  EXPECT_EQ(c.charset, std::optional<std::string>("gbk"));
  EXPECT_EQ(c.politeness.delay, milliseconds(20));
  EXPECT_FALSE(c.politeness.robots);
  EXPECT_EQ(c.politeness.max_connections_per_host, 4);
  EXPECT_EQ(c.limits.concurrency, 64);
  EXPECT_EQ(c.drift.min_body_fill, 1.0);
  EXPECT_EQ(c.recrawl.recheck_articles_younger_than, std::chrono::days(7));
  ASSERT_EQ(c.connect.resolve.size(), 1u);
  EXPECT_EQ(c.connect.resolve[0].curl_spec(), "demo.portal.test:80:127.0.0.1");
  ASSERT_EQ(c.connect.connect_to.size(), 1u);
  EXPECT_EQ(c.connect.connect_to[0].curl_spec(), "::127.0.0.1:8080");
}

TEST(ConfigProfile, Policy_HostsAllowExactNamesAndWildcardSubdomains) {
  const Config c = parse_profile(
      "name = \"x\"\nhosts = [\"www.example.cn\", \"*.gov.example\"]\n"
      "seeds = [\"http://www.example.cn/\", \"http://news.gov.example/\"]\n",
      kSource);
  EXPECT_TRUE(c.host_allowed("WWW.example.cn"));
  EXPECT_TRUE(c.host_allowed("a.b.gov.example"));
  EXPECT_FALSE(c.host_allowed("gov.example"));  // the apex must be listed on its own
  EXPECT_FALSE(c.host_allowed("example.cn"));
  // The hosts of an IDN seed are kept canonical (punycode), as the crawler spells hosts.
  const Config idn = parse_profile("name = \"x\"\nseeds = [\"http://例子.中国/\"]\n", kSource);
  EXPECT_EQ(idn.hosts, std::vector<std::string>{"xn--fsqu00a.xn--fiqs8s"});
  EXPECT_TRUE(idn.host_allowed("xn--fsqu00a.xn--fiqs8s"));
  EXPECT_TRUE(idn.host_allowed("例子.中国"));
}

TEST(ConfigProfile, Policy_SectionForPrefersPatternThenDirectory) {
  const Config c = parse_profile(
      kMinimal +
          "[[sections]]\nname = \"A\"\nurl = \"http://demo.portal.test/szdt/index.html\"\n"
          "[[sections]]\nname = \"B\"\n"
          "url = \"http://demo.portal.test/index.php?a=lists&catid=12\"\n"
          "pattern = '/xsyz/show-12-'\n",
      kSource);
  ASSERT_EQ(c.sections.size(), 2u);
  auto name = [&](const char* url) {
    const Section* s = c.section_for(url);
    return s ? s->name : std::string("-");
  };
  EXPECT_EQ(name("http://demo.portal.test/szdt/202105/t20210526_1.html"), "A");
  EXPECT_EQ(name("http://demo.portal.test/xsyz/show-12-7.html"), "B");
  EXPECT_EQ(name("http://demo.portal.test/index.php?a=lists&catid=12"), "B");
  EXPECT_EQ(name("http://demo.portal.test/index.php?a=lists&catid=13"), "-");  // root: exact only
  EXPECT_EQ(c.start_urls(),
            (std::vector<std::string>{"http://demo.portal.test/",
                                      "http://demo.portal.test/szdt/index.html",
                                      "http://demo.portal.test/index.php?a=lists&catid=12"}));
}

// ----- shipped profiles ---------------------------------------------------------------------

TEST(ConfigProfile, Spec_ShippedDemoProfileLoads) {
  const Config c = load_profile(fs::path(NH_SOURCE_DIR) / "config/sites/demo.toml");
  EXPECT_EQ(c.name, "demo");
  EXPECT_EQ(c.display_name, "示范政协新闻网");
  EXPECT_EQ(c.hosts, (std::vector<std::string>{"demo.portal.test", "www.gxzx-mirror.test"}));
  EXPECT_EQ(c.sitemaps, (std::vector<std::string>{"http://demo.portal.test/sitemap.xml",
                                                  "http://www.gxzx-mirror.test/sitemap.xml"}));
  EXPECT_EQ(c.feeds, std::vector<std::string>{"http://demo.portal.test/rss.xml"});
  std::vector<std::string> sections;
  for (const auto& s : c.sections) sections.push_back(s.name);
  EXPECT_EQ(sections, (std::vector<std::string>{"时政动态", "协商议政", "委员风采", "市县政协",
                                                "通知公告", "数字报"}));
  EXPECT_EQ(c.politeness.delay, milliseconds(20));
  // The URL layout of scripts/portal/site.py, one CMS family per section.
  EXPECT_TRUE(c.is_article_url("http://demo.portal.test/szdt/202105/t20210526_1234.html"));
  EXPECT_TRUE(c.is_article_url("http://demo.portal.test/xsyz/show-12-77.html"));
  EXPECT_TRUE(c.is_article_url("http://demo.portal.test/a/20210526/88_2.html"));
  EXPECT_TRUE(c.is_article_url("http://demo.portal.test/art/2021/5/26/art_15_99.html"));
  EXPECT_TRUE(c.is_article_url("http://demo.portal.test/html/2021-05/26/content_5.htm"));
  EXPECT_TRUE(c.is_article_url("http://www.gxzx-mirror.test/news/2021/0526/42.html"));
  EXPECT_FALSE(c.is_article_url("http://demo.portal.test/szdt/index_2.html"));
  EXPECT_TRUE(c.is_list_url("http://demo.portal.test/szdt/index_2.html"));
  EXPECT_TRUE(c.is_list_url("http://demo.portal.test/wyfc/list_3_2.html"));
  EXPECT_TRUE(c.is_list_url("http://demo.portal.test/tzgg/list_2.html"));
  EXPECT_TRUE(
      c.is_list_url("http://demo.portal.test/index.php?m=content&c=index&a=lists&catid=12&page=3"));
  EXPECT_TRUE(c.is_list_url("http://demo.portal.test/col/col15/index.html?page=2"));
  ASSERT_NE(c.section_for("http://demo.portal.test/a/20210526/88.html"), nullptr);
  EXPECT_EQ(c.section_for("http://demo.portal.test/a/20210526/88.html")->name, "委员风采");
}

TEST(ConfigProfile, Spec_ShippedGxzxbProfileLoads) {
  const Config c = load_profile(fs::path(NH_SOURCE_DIR) / "config/sites/gxzxb.toml");
  EXPECT_EQ(c.name, "gxzxb");
  EXPECT_EQ(c.display_name, "广西政协报新闻中心");
  EXPECT_EQ(c.seeds, std::vector<std::string>{"http://www.gxzxbxwzx.com.cn/"});
  EXPECT_EQ(c.time_zone, "Asia/Shanghai");
  EXPECT_TRUE(c.politeness.robots);
}

TEST(ConfigProfile, Spec_UnreadableFileIsAConfigError) {
  try {
    load_profile("no/such/profile.toml");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "no/such/profile.toml: cannot open profile");
  }
}

// ----- find_site and command-line overrides --------------------------------------------------

TEST(ConfigFindSite, Spec_SearchesDirectoriesInOrder) {
  const fs::path root =
      fs::path(::testing::TempDir()) / ("nh_find_site_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "first");
  fs::create_directories(root / "second");
  std::ofstream(root / "second" / "demo.toml") << kMinimal;
  std::ofstream(root / "first" / "other.toml") << kMinimal;
  const std::vector<fs::path> dirs{root / "first", root / "second"};
  EXPECT_EQ(find_site("demo", dirs), root / "second" / "demo.toml");
  EXPECT_EQ(find_site("other", dirs), root / "first" / "other.toml");
  try {
    find_site("missing", dirs);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "--site: no profile \"missing.toml\" in " +
                                         (root / "first").string() + ", " +
                                         (root / "second").string());
  }
  EXPECT_THROW(find_site("../demo", dirs), ConfigError);
  fs::remove_all(root);
}

TEST(ConfigFindSite, Spec_EnvironmentComesFirstAndInstalledDirectoryLast) {
  ::setenv("NEWSHARVEST_SITES", "/a:/b", 1);
  const auto dirs = site_search_path();
  ::unsetenv("NEWSHARVEST_SITES");
  // No installed tree beside the test binary (build/tests/config/../share/... does not exist):
  // env, ./config/sites, the configured install data directory. No build-tree path.
  ASSERT_EQ(dirs.size(), 4u);
  EXPECT_EQ(dirs[0], fs::path("/a"));
  EXPECT_EQ(dirs[1], fs::path("/b"));
  EXPECT_EQ(dirs[2], fs::path("config/sites"));
  EXPECT_EQ(dirs[3], fs::path(NH_INSTALL_SITES));
}

TEST(ConfigOverrides, Spec_ConnectToAndResolveUseCurlSyntax) {
  const ConnectTo any = parse_connect_to("::127.0.0.1:8123");
  EXPECT_EQ(any.host, "");
  EXPECT_EQ(any.port, 0);
  EXPECT_EQ(any.to_host, "127.0.0.1");
  EXPECT_EQ(any.to_port, 8123);
  EXPECT_EQ(parse_connect_to("Demo.Portal.Test:80:[::1]:8080").curl_spec(),
            "demo.portal.test:80:[::1]:8080");
  EXPECT_EQ(parse_resolve("demo.portal.test:80:127.0.0.1").curl_spec(),
            "demo.portal.test:80:127.0.0.1");
  try {
    parse_resolve("demo.portal.test:80");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "--resolve: expected HOST:PORT:ADDRESS, e.g. \"demo.portal.test:80:127.0.0.1\"");
  }
  EXPECT_THROW(parse_connect_to("a:99999:b:1"), ConfigError);
}

// `extract --time-zone` / `--charset` are checked like the profile's keys: exit 2 naming the
// option (the CLI maps ConfigError to 2).
TEST(ConfigOverrides, Spec_TimeZoneAndCharsetOptionsAreValidated) {
  EXPECT_NO_THROW(check_time_zone("Asia/Shanghai"));
  EXPECT_NO_THROW(check_time_zone(""));
  EXPECT_NO_THROW(check_charset("gbk"));
  EXPECT_NO_THROW(check_charset(""));
  try {
    check_time_zone("Mars/Base");
    ADD_FAILURE() << "Mars/Base accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--time-zone: unknown time zone \"Mars/Base\"", 0), 0u)
        << e.what();
  }
  try {
    check_charset("nonsense", "--charset");
    ADD_FAILURE() << "nonsense accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--charset: unknown charset \"nonsense\" (e.g. \"utf-8\", \"gbk\", \"gb18030\")");
  }
}

// The demo profile opts in to loopback addresses (its portal is on 127.0.0.1); the default is
// to refuse them.
TEST(ConfigProfile, Policy_PrivateAddressesRefusedUnlessTheProfileAllowsThem) {
  EXPECT_FALSE(Config{}.connect.allow_private);
  EXPECT_TRUE(
      load_profile(fs::path(NH_SOURCE_DIR) / "config/sites/demo.toml").connect.allow_private);
  EXPECT_FALSE(
      load_profile(fs::path(NH_SOURCE_DIR) / "config/sites/gxzxb.toml").connect.allow_private);
}
}  // namespace
}  // namespace nh::config
