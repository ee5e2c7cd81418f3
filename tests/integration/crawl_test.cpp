// The crawl against the demo portal: a full crawl through the CLI (records equal to the
// manifest, robots.txt obeyed, politeness), fault routes (retries, backoff, Retry-After, errors,
// degraded exit code), and stop-and-resume with --max-pages.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/config.h"
#include "crawler/crawl.h"
#include "portal.h"
#include "store/store.h"

namespace nh::testing {
namespace {

using nlohmann::json;

const std::string kDemoProfile = std::string(NH_SOURCE_DIR) + "/config/sites/demo.toml";

std::string str(const std::optional<std::string>& v) { return v ? *v : "null"; }

// Requests of one host, ordered by the time the server logged them.
std::vector<json> of_host(const std::vector<json>& log, const std::string& host) {
  std::vector<json> out;
  for (const auto& r : log) {
    if (r.value("host", "") == host) out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return log_ms(a["time"]) < log_ms(b["time"]);
  });
  return out;
}

// Server-side times of the requests whose path starts with `prefix`, in order.
std::vector<long long> times_of(const std::vector<json>& log, const std::string& prefix) {
  std::vector<long long> t;
  for (const auto& r : log) {
    if (r.value("path", "").starts_with(prefix)) t.push_back(log_ms(r["time"]));
  }
  std::sort(t.begin(), t.end());
  return t;
}

// ---------------------------------------------------------------------------------------------
// One full crawl of the whole demo portal through the CLI, shared by the checks below.
class FullCrawl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Crawl-delay 0.05 s instead of the portal's 0.1 s keeps the run near 20 s; the profile's
    // own delay (20 ms) is below it, so the robots.txt value is the one in force.
    portal_ = new Portal({"--crawl-delay", "0.05"});
    tmp_ = new TempDir();
    db_path_ = (tmp_->path() / "crawl.db").string();
    const auto t0 = std::chrono::steady_clock::now();
    // Two parse workers (the default is one per core): every check below runs on the pool.
    result_ =
        new CommandResult(run_cli({"crawl", "--site", "demo", "--db", db_path_, "--connect-to",
                                   portal_->connect_to(), "--quiet", "--workers", "2"}));
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    log_ = new std::vector<json>(portal_->requests());
    manifest_ = new json(portal_->manifest());
    store_ = new store::Store(store::Store::open(db_path_, read_only()));
    std::cerr << "[ full crawl ] " << seconds_ << " s, " << log_->size()
              << " requests: " << result_->err;
  }
  static void TearDownTestSuite() {
    delete store_;
    delete manifest_;
    delete log_;
    delete result_;
    delete tmp_;
    delete portal_;
  }
  static sqlite3* db() { return store_->raw_handle(); }

  static inline Portal* portal_ = nullptr;
  static inline TempDir* tmp_ = nullptr;
  static inline std::string db_path_;
  static inline CommandResult* result_ = nullptr;
  static inline double seconds_ = 0;
  static inline std::vector<json>* log_ = nullptr;
  static inline json* manifest_ = nullptr;
  static inline store::Store* store_ = nullptr;
};

// --quiet (what a crontab entry uses): nothing at all on success, so cron mails nothing.
TEST_F(FullCrawl, Spec_QuietExitsZeroAndPrintsNothing) {
  EXPECT_EQ(result_->exit_code, 0) << result_->err;
  EXPECT_EQ(result_->out, "") << "crawl prints nothing on stdout";
  EXPECT_EQ(result_->err, "") << "--quiet prints nothing on success";
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM articles"),
            std::to_string((*manifest_)["articles"].size()));
}

// The full crawl above parsed pages on a pool of two worker threads; parsing on the crawl's own
// thread (--workers 1) stores exactly the same records.
TEST_F(FullCrawl, Spec_OneWorkerStoresTheSameRecords) {
  const std::string one = (tmp_->path() / "one-worker.db").string();
  const CommandResult r = run_cli({"crawl", "--site", "demo", "--db", one, "--connect-to",
                                   portal_->connect_to(), "--quiet", "--workers", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string rows =
      "SELECT url, title, subtitle, published_at, section, source, reporters, body, "
      "content_hash, duplicate_of IS NOT NULL FROM articles ORDER BY url";
  const auto pooled = query(db(), rows);
  EXPECT_EQ(pooled.size(), (*manifest_)["articles"].size());
  auto st = store::Store::open(one, read_only());
  EXPECT_EQ(query(st.raw_handle(), rows), pooled);
}

// With a frontier window of 4 URLs (the rest wait in the store's frontier table and are claimed
// as the window drains) the crawl stores exactly the same records, and leaves nothing pending.
TEST_F(FullCrawl, Spec_ASmallFrontierWindowStoresTheSameRecords) {
  const std::string small = (tmp_->path() / "small-window.db").string();
  const CommandResult r =
      run_cli({"crawl", "--site", "demo", "--db", small, "--connect-to", portal_->connect_to(),
               "--quiet", "-s", "limits.frontier_window=4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string rows =
      "SELECT url, title, subtitle, published_at, section, source, reporters, body, "
      "content_hash, duplicate_of IS NOT NULL FROM articles ORDER BY url";
  auto st = store::Store::open(small, read_only());
  EXPECT_EQ(query(st.raw_handle(), rows), query(db(), rows));
  EXPECT_EQ(scalar(st.raw_handle(),
                   "SELECT count(*) FROM frontier WHERE state <> 'done' AND "
                   "state <> 'failed'"),
            "0");
}

TEST_F(FullCrawl, Spec_StoresExactlyTheManifestArticlesOnce) {
  std::set<std::string> expected;
  for (const auto& a : (*manifest_)["articles"]) expected.insert(a["url"].get<std::string>());
  std::multiset<std::string> stored;
  for (const auto& row : query(db(), "SELECT url FROM articles")) stored.insert(*row[0]);
  std::set<std::string> stored_set(stored.begin(), stored.end());
  EXPECT_EQ(stored.size(), stored_set.size()) << "duplicate rows";
  for (const auto& u : expected) EXPECT_TRUE(stored_set.contains(u)) << "missing " << u;
  for (const auto& u : stored_set) EXPECT_TRUE(expected.contains(u)) << "not an article " << u;
  // The duplicate URLs and the continuation pages are not articles of their own.
  for (const auto& d : (*manifest_)["duplicates"]) {
    EXPECT_FALSE(stored_set.contains(d["url"].get<std::string>())) << d["url"];
  }
}

TEST_F(FullCrawl, Spec_JoinsMultiPageArticlesIntoOneRecord) {
  int multi = 0;
  for (const auto& a : (*manifest_)["articles"]) {
    if (a["pages"].size() < 2) continue;
    ++multi;
    auto got = store_->find_article(a["url"].get<std::string>());
    ASSERT_TRUE(got.has_value()) << a["url"];
    // Every page's text is in the one record, in page order: the expected body is the joined
    // paragraphs of all pages.
    EXPECT_EQ(str(got->article.body), a["expected"]["body"].get<std::string>()) << a["url"];
    for (std::size_t i = 1; i < a["pages"].size(); ++i) {
      EXPECT_EQ(scalar(db(), "SELECT count(*) FROM articles WHERE url = '" +
                                 a["pages"][i].get<std::string>() + "'"),
                "0");
    }
  }
  EXPECT_EQ(multi, 6);
}

// reextract over the crawled database: the same extractor gives the same records (nothing
// written), multi-page articles included: they are rebuilt from all their linked pages, joined
// as the crawl joins them, instead of being kept or cut back to page 1.
TEST_F(FullCrawl, Spec_ReextractIsANoOpIncludingMultiPageArticles) {
  TempDir copy;
  const auto db = copy.path() / "copy.db";
  std::filesystem::copy_file(db_path_, db);
  if (std::filesystem::exists(db_path_ + "-wal"))
    std::filesystem::copy_file(db_path_ + "-wal", db.string() + "-wal");
  const auto r = run_cli({"reextract", "--db", db.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "reextract: 324 archived articles: 0 changed, 324 unchanged\n");
}

// Every page of a multi-page article is linked to its record in page order (article_pages);
// every other article links exactly its raw page as page 1.
TEST_F(FullCrawl, Spec_ArticlePagesLinkEveryPageInOrder) {
  int multi = 0;
  for (const auto& a : (*manifest_)["articles"]) {
    const std::string url = a["url"].get<std::string>();
    const auto got = query(db(),
                           "SELECT p.page, r.url FROM article_pages p JOIN articles a ON "
                           "a.id = p.article_id JOIN raw_pages r ON r.id = p.raw_page_id "
                           "WHERE a.url = '" +
                               url + "' ORDER BY p.page");
    if (a["pages"].size() < 2) {
      EXPECT_EQ(got.size(), 1u) << url;
      continue;
    }
    ++multi;
    std::vector<Row> want;
    for (std::size_t i = 0; i < a["pages"].size(); ++i)
      want.push_back(Row{std::to_string(i + 1), a["pages"][i].get<std::string>()});
    EXPECT_EQ(got, want) << url;
  }
  EXPECT_EQ(multi, 6);
  // Page 1 is the article's raw page, for every article.
  EXPECT_EQ(scalar(db(),
                   "SELECT count(*) FROM articles a LEFT JOIN article_pages p ON "
                   "p.article_id = a.id AND p.page = 1 WHERE p.raw_page_id IS NOT a.raw_page_id"),
            "0");
}

TEST_F(FullCrawl, Spec_ReprintIsLinkedAsDuplicate) {
  ASSERT_FALSE((*manifest_)["reprints"].empty());
  for (const auto& r : (*manifest_)["reprints"]) {
    auto copy = store_->find_article(r["url"].get<std::string>());
    auto original = store_->find_article(r["duplicate_of"].get<std::string>());
    ASSERT_TRUE(copy && original);
    ASSERT_TRUE(copy->duplicate_of.has_value()) << r["url"];
    EXPECT_EQ(*copy->duplicate_of, original->id);
    EXPECT_FALSE(original->duplicate_of.has_value());
  }
}

// The manifest has no near-duplicates besides the reprint (the duplicate URLs are not stored
// at all). The store decides duplicate_of (SimHash over the body, store/fingerprint.h); the
// crawl only controls which copy comes first.
TEST_F(FullCrawl, Spec_NoOtherArticleIsMarkedDuplicate) {
  std::ostringstream pairs;
  for (const auto& r : query(db(),
                             "SELECT a.url, o.url FROM articles a JOIN articles o ON "
                             "o.id = a.duplicate_of")) {
    pairs << *r[0] << " -> " << *r[1] << "\n";
  }
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            std::to_string((*manifest_)["reprints"].size()))
      << pairs.str();
}

// Every field of every stored record against the manifest's expected record. Differences are
// listed one per line (URL, field, got, want) so an extractor regression is easy to read.
TEST_F(FullCrawl, Spec_EveryFieldEqualsTheManifest) {
  std::vector<std::string> diffs;
  std::map<std::string, int> per_field;
  for (const auto& a : (*manifest_)["articles"]) {
    const std::string url = a["url"];
    const json& e = a["expected"];
    auto got = store_->find_article(url);
    if (!got) {
      diffs.push_back(url + " missing");
      continue;
    }
    const extract::Article& g = got->article;
    json contributors = json::array();
    for (const auto& c : g.contributors) {
      contributors.push_back({{"name", c.name}, {"role", extract::role_name(c.role)}});
    }
    auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
    const std::map<std::string, json> fields{
        {"site", opt(g.site)},
        {"section", opt(g.section)},
        {"title", opt(g.title)},
        {"subtitle", opt(g.subtitle)},
        {"published_at", opt(g.published_at)},
        {"reporters", json(g.reporters)},
        {"contributors", contributors},
        {"source", opt(g.source)},
        {"body", opt(g.body)},
        {"language", opt(g.language)},
        {"charset", opt(got->charset)},
    };
    for (const auto& [name, value] : fields) {
      if (value != e[name]) {
        ++per_field[name];
        std::string gv = value.dump(-1, ' ', false, json::error_handler_t::replace);
        std::string ev = e[name].dump(-1, ' ', false, json::error_handler_t::replace);
        if (name == "body") {
          gv = gv.substr(0, 80) + "…";
          ev = ev.substr(0, 80) + "…";
        }
        diffs.push_back(url + " " + name + ": got " + gv + " want " + ev);
      }
    }
  }
  std::ostringstream report;
  for (const auto& [f, n] : per_field) report << f << ": " << n << " records differ\n";
  for (const auto& d : diffs) report << d << "\n";
  EXPECT_TRUE(diffs.empty()) << diffs.size() << " differences\n" << report.str();
}

TEST_F(FullCrawl, Policy_RobotsTxtFetchedOncePerHostFirstAndObeyed) {
  const json& robots = (*manifest_)["robots"];
  for (const std::string host : {"demo.portal.test", "www.gxzx-mirror.test"}) {
    auto reqs = of_host(*log_, host);
    ASSERT_FALSE(reqs.empty()) << host;
    EXPECT_EQ(reqs.front()["path"], "/robots.txt") << host << ": robots.txt must come first";
    int n = 0;
    for (const auto& r : reqs) n += r["path"] == "/robots.txt";
    EXPECT_EQ(n, 1) << host;
  }
  for (const auto& r : *log_) {
    const std::string path = r["path"];
    for (const auto& d : robots["disallow"]) {
      EXPECT_FALSE(path.starts_with(d.get<std::string>())) << "disallowed URL requested: " << path;
    }
  }
  // The disallowed links are on every page: the crawl saw them and left them alone.
  ASSERT_FALSE(robots["linked_disallowed"].empty());
}

// Per host, consecutive requests are at least the delay apart (max of the profile's 20 ms and
// robots.txt's Crawl-delay 0.05 s = 50 ms) and never more connections than the profile allows.
//
// The portal logs `time` when it finished answering, not when the request arrived (its `start`
// is when it began waiting on a kept-alive connection). Measured on loopback, `time` lags the
// client's receipt of the response by up to ~11 ms on an idle machine (thread scheduling in the
// Python server; more under load), so single gaps are checked against delay - 25 ms (without the
// delay they would be 1-5 ms) and the median against the full delay.
TEST_F(FullCrawl, Policy_PerHostDelayAndConnectionLimit) {
  const long long delay = 50;
  const int max_connections = 4;  // demo.toml politeness.max_connections_per_host
  for (const std::string host : {"demo.portal.test", "www.gxzx-mirror.test"}) {
    auto reqs = of_host(*log_, host);
    ASSERT_GT(reqs.size(), 3u);
    std::vector<long long> gaps;
    for (std::size_t i = 1; i < reqs.size(); ++i) {
      gaps.push_back(log_ms(reqs[i]["time"]) - log_ms(reqs[i - 1]["time"]));
    }
    // The mirror's robots.txt names no Crawl-delay: only the profile's 20 ms applies there.
    const long long want = host == "demo.portal.test" ? delay : 20;
    std::vector<long long> sorted = gaps;
    std::sort(sorted.begin(), sorted.end());
    // Server-side finish times carry the Python server's scheduling noise: on a loaded machine
    // one response logged late makes the next gap look short (seen: 1 ms, 1 run in 8 of
    // --repeat until-fail:20 with two other builds running). So the 10th percentile, not every
    // gap, is held to delay - margin (without the delay nearly all gaps would be 1-5 ms); the
    // client-side rule itself is exact in HostQueues.Policy_DelayBetweenRequestsToAHost.
    EXPECT_GE(sorted[sorted.size() / 10], want - (host == "demo.portal.test" ? 25 : 15)) << host;
    if (host == "demo.portal.test") {
      EXPECT_GE(sorted[sorted.size() / 2], delay);
    }

    // Connections open at once: a connection is open from its first request's start to its
    // last request's end.
    std::map<long long, std::pair<long long, long long>> conns;
    for (const auto& r : reqs) {
      long long id = r["conn"];
      long long s = log_ms(r["start"]), t = log_ms(r["time"]);
      auto [it, fresh] = conns.try_emplace(id, s, t);
      if (!fresh) {
        it->second.first = std::min(it->second.first, s);
        it->second.second = std::max(it->second.second, t);
      }
    }
    std::vector<std::pair<long long, int>> events;
    for (const auto& [id, span] : conns) {
      events.emplace_back(span.first, +1);
      events.emplace_back(span.second, -1);
    }
    std::sort(events.begin(), events.end(), [](auto a, auto b) {
      return a.first != b.first ? a.first < b.first : a.second < b.second;
    });
    int open = 0, peak = 0;
    for (const auto& [t, d] : events) peak = std::max(peak, open += d);
    EXPECT_LE(peak, max_connections) << host;
  }
}

TEST_F(FullCrawl, Spec_EveryArticleHasItsRawResponseArchived) {
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM articles WHERE raw_page_id IS NULL"), "0");
  auto rows = query(db(),
                    "SELECT a.url, r.status, r.content_type, r.etag, r.last_modified, r.charset, "
                    "r.size FROM articles a JOIN raw_pages r ON r.id = a.raw_page_id");
  ASSERT_EQ(rows.size(), (*manifest_)["articles"].size());
  for (const auto& r : rows) {
    EXPECT_EQ(str(r[1]), "200") << *r[0];
    EXPECT_TRUE(r[2] && r[3] && r[4] && r[5]) << *r[0]
                                              << ": content type, ETag, Last-Modified "
                                                 "and charset are archived";
    EXPECT_NE(str(r[6]), "0");
  }
  // The GBK section is archived as received and labelled with the encoding it was read in.
  EXPECT_EQ(scalar(db(),
                   "SELECT r.charset FROM articles a JOIN raw_pages r ON r.id = "
                   "a.raw_page_id WHERE a.url LIKE 'http://demo.portal.test/a/%' LIMIT 1"),
            "gb18030");
}

TEST_F(FullCrawl, Spec_RunAndFrontierRecorded) {
  auto runs = query(db(),
                    "SELECT status, finished_at, pages_fetched, pages_failed, articles_new FROM "
                    "runs");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(str(runs[0][0]), "ok");
  EXPECT_TRUE(runs[0][1].has_value());
  EXPECT_EQ(str(runs[0][3]), "0");
  EXPECT_EQ(str(runs[0][4]), std::to_string((*manifest_)["articles"].size()));
  // Every URL of the crawl is done; every request but robots.txt is in the fetch log once.
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM frontier WHERE state != 'done'"), "0");
  long long non_robots = 0;
  for (const auto& r : *log_) non_robots += r["path"] != "/robots.txt";
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM fetches WHERE url NOT LIKE '%/robots.txt'"),
            std::to_string(non_robots));
  EXPECT_EQ(str(runs[0][2]), std::to_string(non_robots));
  // The run's seen set lived in crawl_seen while it ran, and went with it.
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM crawl_seen"), "0");
}

// ---------------------------------------------------------------------------------------------
// Fault routes: a small portal (3 articles per section) with --faults, a profile with short
// timeouts, retries starting at 300 ms.
class FaultCrawl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    portal_ = new Portal({"--faults", "--per-section", "3", "--crawl-delay", "0.02"});
    tmp_ = new TempDir();
    // The demo profile with timeouts that let the stall route time out in 2 s (the slow route,
    // ~1 s in 200 ms steps, stays under the low-speed window).
    std::string toml = read_text(kDemoProfile);
    auto set = [&](const std::string& from, const std::string& to) {
      auto p = toml.find(from);
      ASSERT_NE(p, std::string::npos) << from;
      toml.replace(p, from.size(), to);
    };
    set("low_speed_time_s = 5", "low_speed_time_s = 2");
    set("total_timeout_ms = 10000", "total_timeout_ms = 4000");
    const auto profile = tmp_->path() / "demo.toml";
    std::ofstream(profile) << toml;
    config_ = new config::Config(config::load_profile(profile));
    store_ = new store::Store(store::Store::open((tmp_->path() / "faults.db").string()));
    crawler::CrawlOptions opt;
    opt.connect_to = {portal_->connect_to()};
    opt.progress = crawler::ProgressMode::quiet;
    std::ostringstream sink;
    opt.log = &sink;
    opt.retry_base = std::chrono::milliseconds(300);
    result_ = new crawler::CrawlResult(crawler::crawl(*config_, *store_, opt));
    log_ = new std::vector<json>(portal_->requests());
    manifest_ = new json(portal_->manifest());
    std::cerr << "[ fault crawl ] " << sink.str();
  }
  static void TearDownTestSuite() {
    delete manifest_;
    delete log_;
    delete result_;
    delete store_;
    delete config_;
    delete tmp_;
    delete portal_;
  }
  static sqlite3* db() { return store_->raw_handle(); }
  // (state, attempts, last_error) of a frontier URL.
  static Row frontier(const std::string& path) {
    auto rows = query(db(),
                      "SELECT state, attempts, last_error FROM frontier WHERE url = "
                      "'http://demo.portal.test" +
                          path + "'");
    return rows.empty() ? Row{} : rows[0];
  }

  static inline Portal* portal_ = nullptr;
  static inline TempDir* tmp_ = nullptr;
  static inline config::Config* config_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline crawler::CrawlResult* result_ = nullptr;
  static inline std::vector<json>* log_ = nullptr;
  static inline json* manifest_ = nullptr;
};

TEST_F(FaultCrawl, Policy_ServerErrorsRetriedNoSoonerThanRetryAfter) {
  // 503 and 429 carry Retry-After: 1. Backoff alone would wait 300 ms, then 600 ms.
  for (const std::string path : {"/__fault/503", "/__fault/429"}) {
    auto t = times_of(*log_, path);
    ASSERT_EQ(t.size(), 3u) << path << ": one try and max_retries = 2 retries";
    for (std::size_t i = 1; i < t.size(); ++i) {
      EXPECT_GE(t[i] - t[i - 1], 1000 - 15) << path << " retry " << i;
    }
    Row f = frontier(path);
    ASSERT_FALSE(f.empty());
    EXPECT_EQ(str(f[0]), "failed");
    EXPECT_EQ(str(f[1]), "3");
  }
  EXPECT_TRUE(str(frontier("/__fault/503")[2]).starts_with("HTTP 503"));
  EXPECT_TRUE(str(frontier("/__fault/429")[2]).starts_with("HTTP 429"));
}

TEST_F(FaultCrawl, Policy_ResetsRetriedWithGrowingGaps) {
  // A reset on a kept-alive connection makes curl itself resend the request once on a new
  // connection (it cannot tell a reset from a connection the server closed while idle), so one
  // attempt can show up as two requests a few milliseconds apart: count attempts, not requests.
  std::vector<long long> t;
  for (long long x : times_of(*log_, "/__fault/reset")) {
    if (t.empty() || x - t.back() > 100) t.push_back(x);
  }
  ASSERT_EQ(t.size(), 3u);
  const long long g1 = t[1] - t[0], g2 = t[2] - t[1];
  // Backoff 300 ms (+0..25% jitter), then 600 ms (+0..25%): the second gap is the longer one.
  EXPECT_GE(g1, 300 - 15);
  EXPECT_GE(g2, 600 - 15);
  EXPECT_GT(g2, g1);
  Row f = frontier("/__fault/reset");
  EXPECT_EQ(str(f[0]), "failed");
  EXPECT_TRUE(str(f[2]).starts_with("reset")) << str(f[2]);
}

TEST_F(FaultCrawl, Policy_FlakyUrlSucceedsOnItsThirdTry) {
  auto t = times_of(*log_, "/__fault/flaky");
  EXPECT_EQ(t.size(), 3u);
  auto flaky = query(db(),
                     "SELECT state, attempts FROM frontier WHERE url LIKE "
                     "'%/__fault/flaky%'");
  ASSERT_EQ(flaky.size(), 1u);
  EXPECT_EQ(str(flaky[0][0]), "done");
  EXPECT_EQ(str(flaky[0][1]), "2");
}

TEST_F(FaultCrawl, Spec_PermanentFailuresRecordedWithoutRetry) {
  // Not retried: the same answer every time.
  Row loop = frontier("/__fault/loop/a");
  EXPECT_EQ(str(loop[0]), "failed");
  EXPECT_EQ(str(loop[1]), "1");
  EXPECT_TRUE(str(loop[2]).starts_with("redirect_loop")) << str(loop[2]);
  // curl follows max_redirects = 5 hops once (a b a b a b), and the crawl does not try again.
  EXPECT_EQ(times_of(*log_, "/__fault/loop/").size(), 6u);

  auto big = query(db(),
                   "SELECT state, attempts, last_error FROM frontier WHERE url LIKE "
                   "'%/__fault/oversized%'");
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(str(big[0][0]), "failed");
  EXPECT_EQ(str(big[0][1]), "1");
  EXPECT_TRUE(str(big[0][2]).starts_with("too_large")) << str(big[0][2]);
  EXPECT_EQ(times_of(*log_, "/__fault/oversized").size(), 1u);

  Row missing = frontier("/__fault/404");
  EXPECT_EQ(str(missing[0]), "failed");
  EXPECT_EQ(str(missing[1]), "1");
  EXPECT_EQ(str(missing[2]), "HTTP 404");
}

TEST_F(FaultCrawl, Policy_TruncatedAndStalledBodiesRefusedAfterRetries) {
  Row cut = frontier("/__fault/truncated");
  EXPECT_EQ(str(cut[0]), "failed");
  EXPECT_EQ(str(cut[1]), "3");
  EXPECT_TRUE(str(cut[2]).starts_with("truncated")) << str(cut[2]);
  auto stall = query(db(),
                     "SELECT state, attempts, last_error FROM frontier WHERE url LIKE "
                     "'%/__fault/stall%'");
  ASSERT_EQ(stall.size(), 1u);
  EXPECT_EQ(str(stall[0][0]), "failed");
  EXPECT_EQ(str(stall[0][1]), "3");
  EXPECT_TRUE(str(stall[0][2]).starts_with("timeout")) << str(stall[0][2]);
  // Nothing of a refused body is stored as an article.
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM articles WHERE url LIKE '%/__fault/%'"), "0");
}

TEST_F(FaultCrawl, Spec_CrawlCompletesAndIsDegraded) {
  // Every article is still stored...
  std::set<std::string> stored;
  for (const auto& row : query(db(), "SELECT url FROM articles")) stored.insert(*row[0]);
  for (const auto& a : (*manifest_)["articles"]) {
    EXPECT_TRUE(stored.contains(a["url"].get<std::string>())) << a["url"];
  }
  // ...but 8 fault URLs fail for good (503, 429, 404, loop, truncated, reset, stall, oversized),
  // far over the profile's max_failed_share of 0.1 on a site this small: exit code 3.
  EXPECT_EQ(result_->counts.pages_failed, 8);
  EXPECT_GT(result_->failed_share, config_->failure.max_failed_share);
  EXPECT_EQ(result_->status, store::RunStatus::degraded);
  EXPECT_EQ(result_->exit_code(), 3);
  EXPECT_EQ(scalar(db(), "SELECT status FROM runs"), "degraded");
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM frontier WHERE state = 'failed'"), "8");
  // The fetch log has every attempt, with its error.
  EXPECT_EQ(scalar(db(), "SELECT count(*) FROM fetches WHERE url LIKE '%/__fault/503'"), "3");
}

// ---------------------------------------------------------------------------------------------
// A crawl stopped by --max-pages continues where it stopped: the second run fetches what the
// first left in the frontier and nothing twice (start URLs aside, which every run revisits).
TEST(Resume, Spec_MaxPagesStopsAndTheNextRunContinues) {
  Portal portal({"--per-section", "2", "--crawl-delay", "0.01"});
  TempDir tmp;
  const std::string db = (tmp.path() / "resume.db").string();
  auto first = run_cli({"crawl", "--site", "demo", "--db", db, "--connect-to", portal.connect_to(),
                        "--max-pages", "12", "--quiet"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto log1 = portal.requests();
  long long pages1 = 0;
  for (const auto& r : log1) pages1 += r["path"] != "/robots.txt";
  EXPECT_LE(pages1, 12);
  {
    auto st = store::Store::open(db, read_only());
    EXPECT_GT(std::stoll(
                  scalar(st.raw_handle(), "SELECT count(*) FROM frontier WHERE state = 'pending'")),
              0);
    EXPECT_EQ(scalar(st.raw_handle(),
                     "SELECT count(*) FROM frontier WHERE state = "
                     "'in_progress'"),
              "0");
  }
  auto second = run_cli(
      {"crawl", "--site", "demo", "--db", db, "--connect-to", portal.connect_to(), "--quiet"});
  ASSERT_EQ(second.exit_code, 0) << second.err;

  json manifest = portal.manifest();
  auto st = store::Store::open(db, read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(manifest["articles"].size()));
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM frontier WHERE state != 'done'"), "0");
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM runs WHERE status = 'ok'"), "2");
  // Articles are fetched once over both runs.
  std::map<std::string, int> fetched;
  const auto log = portal.requests();
  for (const auto& r : log) fetched[r["host"].get<std::string>() + r["path"].get<std::string>()]++;
  for (const auto& a : manifest["articles"]) {
    const std::string url = a["url"];
    const std::string key = url.substr(7);  // drop "http://"
    EXPECT_EQ(fetched[key], 1) << url;
  }
}

}  // namespace
}  // namespace nh::testing

namespace nh::testing {
namespace {

// The CLI end to end on a degraded crawl: fault links, no retries, exit code 3. The low-speed
// window is 2 s: the stall route times out, the slow one (~1 s in 200 ms steps) never trips it.
TEST(DegradedCli, Spec_FailuresOverThresholdExitThree) {
  Portal portal({"--faults", "--per-section", "1", "--crawl-delay", "0.01"});
  TempDir tmp;
  std::string toml = read_text(kDemoProfile);
  for (auto [from, to] : {std::pair<std::string, std::string>{"max_retries = 2", "max_retries = 0"},
                          {"low_speed_time_s = 5", "low_speed_time_s = 2"}}) {
    auto p = toml.find(from);
    ASSERT_NE(p, std::string::npos) << from;
    toml.replace(p, from.size(), to);
  }
  const auto profile = tmp.path() / "demo.toml";
  std::ofstream(profile) << toml;
  const std::string db = (tmp.path() / "degraded.db").string();
  auto r = run_cli({"crawl", "--config", profile.string(), "--db", db, "--connect-to",
                    portal.connect_to(), "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // Without retries the flaky route fails too: 503, 429, 404, flaky, loop, truncated, reset,
  // stall and oversized.
  EXPECT_NE(r.err.find(" 9 failed, "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(degraded)"), std::string::npos) << r.err;
  auto st = store::Store::open(db, read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT status FROM runs"), "degraded");
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM frontier WHERE state = 'failed'"), "9");
  EXPECT_EQ(times_of(portal.requests(), "/__fault/503").size(), 1u) << "max_retries = 0";
}

}  // namespace
}  // namespace nh::testing
