// Cron-grade operation against the demo portal: incremental re-crawls (conditional requests,
// the pagination stop rule, article re-checks), crash safety (kill -9 at random points, then
// the database equals a clean crawl's), SIGINT/SIGTERM, the overlap lock, concurrent sites in
// one database, and drift alarms when the portal's article template changes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "portal.h"
#include "store/store.h"

namespace nh::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kDemoProfile = std::string(NH_SOURCE_DIR) + "/config/sites/demo.toml";
const std::string kMain = "http://demo.portal.test";
const std::string kMirror = "http://www.gxzx-mirror.test";

// "http://demo.portal.test/a/b?c" -> {"demo.portal.test", "/a/b?c"}
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme + 3);
  return {url.substr(scheme + 3, slash - scheme - 3), url.substr(slash)};
}

std::string host_of_log(const json& r) {
  std::string h = r.value("host", "");
  return h.substr(0, h.find(':'));
}

// host + path of every page of every article in the manifest (the pages a crawl downloads
// to get articles, alternates included).
std::set<std::pair<std::string, std::string>> article_pages(const json& manifest) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& a : manifest["articles"]) {
    for (const auto& p : a["pages"]) out.insert(split_url(p.get<std::string>()));
    for (const auto& x : a["alternates"]) out.insert(split_url(x["url"].get<std::string>()));
  }
  return out;
}

std::vector<json> since(const std::vector<json>& log, std::size_t from) {
  return {log.begin() + static_cast<std::ptrdiff_t>(std::min(from, log.size())), log.end()};
}

std::vector<std::string> crawl_args(const Portal& p, const std::string& db,
                                    const std::string& profile = kDemoProfile) {
  // Not --quiet: these tests read the summary line, which --quiet leaves out on success.
  return {"crawl", "--config", profile, "--db", db, "--connect-to", p.connect_to()};
}

// A copy of the demo profile with `edits` applied (each: replace the first occurrence).
std::string write_profile(const fs::path& dir, const std::string& file,
                          const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = read_text(kDemoProfile);
  for (const auto& [from, to] : edits) {
    auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("profile has no " + from);
    text.replace(at, from.size(), to);
  }
  const fs::path p = dir / file;
  std::ofstream(p) << text;
  return p.string();
}

// Every stored article as comparable text: url, fields, contributors, duplicate_of's url.
std::map<std::string, std::string> article_dump(const std::string& db_path) {
  store::Store st = store::Store::open(db_path, read_only());
  std::map<std::string, std::string> out;
  for (const Row& r : query(st.raw_handle(),
                            "SELECT a.url, a.title, a.subtitle, a.published_at, a.reporters, "
                            "a.section, a.source, a.body, a.site, a.language, a.charset, "
                            "(SELECT group_concat(c.role || ':' || c.name, '|') FROM "
                            "(SELECT * FROM contributors WHERE article_id = a.id ORDER BY "
                            "position) c), d.url FROM articles a LEFT JOIN articles d ON d.id = "
                            "a.duplicate_of ORDER BY a.url")) {
    std::string v;
    for (std::size_t i = 1; i < r.size(); ++i) v += (r[i] ? *r[i] : "<null>") + "\x1f";
    out[*r[0]] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Three runs over one portal: a first full crawl, a second over the unchanged site, a third
// after the portal published 10 articles.
class Incremental : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    portal_ = new Portal({"--crawl-delay", "0.01", "--per-section", "40"});
    tmp_ = new TempDir();
    db_ = (tmp_->path() / "cron.db").string();
    for (int i = 0; i < 3; ++i) {
      if (i == 2) {
        before_publish_ = new json(portal_->live_manifest());
        published_ = new json(portal_->admin("/__admin/publish?n=10"));
      }
      marks_[i] = portal_->requests().size();
      runs_[i] = run_cli(crawl_args(*portal_, db_));
      ends_[i] = portal_->requests().size();
    }
    log_ = new std::vector<json>(portal_->requests());
    for (int i = 0; i < 3; ++i) std::cerr << "[ run " << i + 1 << " ] " << runs_[i].err;
  }
  static void TearDownTestSuite() {
    delete log_;
    delete published_;
    delete before_publish_;
    delete tmp_;
    delete portal_;
  }
  static std::vector<json> log_of(int run) {
    return {log_->begin() + static_cast<std::ptrdiff_t>(marks_[run]),
            log_->begin() + static_cast<std::ptrdiff_t>(ends_[run])};
  }

  static Portal* portal_;
  static TempDir* tmp_;
  static std::string db_;
  static std::size_t marks_[3];
  static std::size_t ends_[3];
  static CommandResult runs_[3];
  static json* before_publish_;
  static json* published_;
  static std::vector<json>* log_;
};
Portal* Incremental::portal_ = nullptr;
TempDir* Incremental::tmp_ = nullptr;
std::string Incremental::db_;
std::size_t Incremental::marks_[3] = {};
std::size_t Incremental::ends_[3] = {};
CommandResult Incremental::runs_[3];
json* Incremental::before_publish_ = nullptr;
json* Incremental::published_ = nullptr;
std::vector<json>* Incremental::log_ = nullptr;

TEST_F(Incremental, Spec_UnchangedSiteSecondRunMakesNoArticleRequests) {
  ASSERT_EQ(runs_[0].exit_code, 0) << runs_[0].err;
  ASSERT_EQ(runs_[1].exit_code, 0) << runs_[1].err;
  const auto articles = article_pages(*before_publish_);
  std::set<std::pair<std::string, std::string>> seen;
  for (const json& r : log_of(1)) {
    std::pair<std::string, std::string> key{host_of_log(r), r["path"].get<std::string>()};
    EXPECT_FALSE(articles.contains(key)) << "article re-downloaded: " << key.second;
    EXPECT_TRUE(seen.insert(key).second) << "requested twice: " << key.first << key.second;
    if (key.second == "/robots.txt") continue;
    EXPECT_EQ(r["status"], 304) << key.second;
    EXPECT_FALSE(r.value("if_none_match", "").empty()) << key.second;
  }
  // Exactly the requests the policy calls for: start pages, sitemaps, the feed, and (look-back
  // 2 in the demo profile) page 2 of every paginated section, nothing deeper.
  std::set<std::pair<std::string, std::string>> expected{
      {"demo.portal.test", "/robots.txt"}, {"www.gxzx-mirror.test", "/robots.txt"},
      {"demo.portal.test", "/"},           {"demo.portal.test", "/sitemap.xml"},
      {"demo.portal.test", "/rss.xml"},    {"www.gxzx-mirror.test", "/sitemap.xml"}};
  for (const auto& [slug, list] : (*before_publish_)["lists"].items()) {
    const auto& pages = list["pages"];
    ASSERT_GE(pages.size(), 1u) << slug;
    expected.insert(split_url(pages[0]));
    if (pages.size() >= 3) expected.insert(split_url(pages[1]));  // the section has a page 3
  }
  EXPECT_EQ(seen, expected);
  EXPECT_NE(
      runs_[1].err.find(" 0 articles new, 0 changed, 0 failed, " + std::to_string(expected.size()) +
                        " requests (" + std::to_string(expected.size() - 2) + " not modified)"),
      std::string::npos)
      << runs_[1].err;
}

TEST_F(Incremental, Spec_AfterTenNewArticlesTheNextRunStoresExactlyThoseTen) {
  ASSERT_EQ(runs_[2].exit_code, 0) << runs_[2].err;
  EXPECT_NE(runs_[2].err.find(" 10 articles new, 0 changed, 0 failed"), std::string::npos)
      << runs_[2].err;
  std::set<std::string> fresh;
  for (const auto& u : (*published_)["published"]) fresh.insert(u.get<std::string>());
  ASSERT_EQ(fresh.size(), 10u);

  store::Store st = store::Store::open(db_, read_only());
  const json live = portal_->live_manifest();
  int found = 0;
  for (const auto& a : live["articles"]) {
    const std::string url = a["url"];
    auto stored = st.find_article(url);
    ASSERT_TRUE(stored.has_value()) << url;
    if (!fresh.contains(url)) continue;
    ++found;
    EXPECT_EQ(stored->article.title, a["expected"]["title"].get<std::string>()) << url;
    EXPECT_EQ(stored->article.body, a["expected"]["body"].get<std::string>()) << url;
  }
  EXPECT_EQ(found, 10);
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(live["article_count"].get<int>()));
  // The runs table has the three runs with their counts.
  EXPECT_EQ(query(st.raw_handle(),
                  "SELECT status, articles_new, articles_changed, pages_failed FROM runs ORDER BY "
                  "id"),
            (std::vector<Row>{{"ok", before_publish_->at("article_count").dump(), "0", "0"},
                              {"ok", "0", "0", "0"},
                              {"ok", "10", "0", "0"}}));

  // Nothing stored before the publish was downloaded again.
  const auto old_pages = article_pages(*before_publish_);
  for (const json& r : log_of(2)) {
    std::pair<std::string, std::string> key{host_of_log(r), r["path"].get<std::string>()};
    EXPECT_FALSE(old_pages.contains(key)) << "old article re-downloaded: " << key.second;
  }
}

// The recrawl policy re-checks young articles with conditional requests from their archive.
TEST(Recheck, Policy_YoungArticlesRecheckedConditionallyAndUnchanged) {
  Portal portal({"--crawl-delay", "0.01", "--per-section", "6"});
  TempDir tmp;
  const std::string db = (tmp.path() / "recheck.db").string();
  // The portal's articles are from 2021: "younger than 100000 days" re-checks all of them.
  const std::string profile = write_profile(
      tmp.path(), "recheck.toml",
      {{"recheck_articles_younger_than_days = 0", "recheck_articles_younger_than_days = 100000"}});
  CommandResult first = run_cli(crawl_args(portal, db, profile));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::size_t mark = portal.requests().size();
  CommandResult second = run_cli(crawl_args(portal, db, profile));
  ASSERT_EQ(second.exit_code, 0) << second.err;

  const json manifest = portal.manifest();
  std::set<std::pair<std::string, std::string>> first_pages;
  for (const auto& a : manifest["articles"]) first_pages.insert(split_url(a["pages"][0]));
  std::set<std::pair<std::string, std::string>> rechecked;
  for (const json& r : since(portal.requests(), mark)) {
    std::pair<std::string, std::string> key{host_of_log(r), r["path"].get<std::string>()};
    if (!first_pages.contains(key)) continue;
    EXPECT_EQ(r["status"], 304) << key.second;
    EXPECT_FALSE(r.value("if_none_match", "").empty()) << key.second;
    rechecked.insert(key);
  }
  EXPECT_EQ(rechecked, first_pages);
  EXPECT_NE(second.err.find(" 0 articles new, 0 changed, 0 failed"), std::string::npos)
      << second.err;
}

// ---------------------------------------------------------------------------------------------
// kill -9 at 20 random moments, then a run to the end: the database equals a clean crawl's,
// and no article was downloaded again once it was stored.
TEST(CrashResume, Spec_Kill9TwentyTimesThenFinishEqualsACleanCrawl) {
  Portal portal({"--crawl-delay", "0.01", "--per-section", "40"});
  TempDir tmp;
  const std::string clean_db = (tmp.path() / "clean.db").string();
  const auto t0 = std::chrono::steady_clock::now();
  CommandResult clean = run_cli(crawl_args(portal, clean_db));
  const double clean_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(clean.exit_code, 0) << clean.err;

  const std::string db = (tmp.path() / "killed.db").string();
  const std::size_t mark = portal.requests().size();
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  // Kill points from "still starting" to "a batch or two committed" (batches commit every
  // second or 50 responses): most kills land in the middle of the crawl, at every phase of a
  // batch; the last few hit re-runs of an almost finished crawl.
  std::uniform_int_distribution<int> after_ms(50, 1500);
  struct Kill {
    long long at_ms;               // wall clock, like the portal log
    std::set<std::string> stored;  // article URLs (and final URLs) committed at that moment
  };
  std::vector<Kill> kills;
  for (int i = 0; i < 20; ++i) {
    Background crawl(crawl_args(portal, db));
    std::this_thread::sleep_for(std::chrono::milliseconds(after_ms(rng)));
    crawl.signal(SIGKILL);
    const CommandResult r = crawl.wait();
    const long long at = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    Kill k{at, {}};
    try {  // a kill while the file was being created leaves it empty: nothing stored
      store::Store st = store::Store::open(db, read_only());
      for (const Row& row : query(st.raw_handle(), "SELECT url, final_url FROM articles")) {
        k.stored.insert(*row[0]);
        k.stored.insert(*row[1]);
      }
    } catch (const store::StoreError&) {
    }
    kills.push_back(std::move(k));
    if (r.exit_code != 128 + SIGKILL) {
      // The crawl finished before the kill: the remaining iterations kill re-runs.
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }
  std::cerr << "[ kills ] seed " << seed << ", clean crawl " << clean_s
            << " s; URLs stored at each kill:";
  for (const Kill& k : kills) std::cerr << " " << k.stored.size();
  std::cerr << "\n";
  CommandResult last = run_cli(crawl_args(portal, db));
  ASSERT_EQ(last.exit_code, 0) << "seed " << seed << "\n" << last.err;

  const auto want = article_dump(clean_db);
  const auto got = article_dump(db);
  EXPECT_EQ(got.size(), want.size()) << "seed " << seed;
  for (const auto& [url, fields] : want) {
    auto it = got.find(url);
    ASSERT_NE(it, got.end()) << "missing after the kills: " << url << " (seed " << seed << ")";
    EXPECT_EQ(it->second, fields) << url << " (seed " << seed << ")";
  }

  // No article fetched after it was stored: every request that started after kill k is not
  // for an article committed before kill k.
  const auto log = since(portal.requests(), mark);
  int checked = 0;
  for (const json& r : log) {
    const std::string url = "http://" + host_of_log(r) + r["path"].get<std::string>();
    const long long start = log_ms(r["start"]);
    for (const Kill& k : kills) {
      if (start <= k.at_ms) continue;
      EXPECT_FALSE(k.stored.contains(url))
          << url << " fetched again after it was stored (seed " << seed << ")";
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);

  store::Store st = store::Store::open(db, read_only());
  // Every killed run is closed as interrupted by the next one; the last run is ok.
  const auto runs = query(st.raw_handle(), "SELECT status FROM runs ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(runs, (std::vector<Row>{{"ok"}}));
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM runs WHERE status = 'running'"), "0");
  EXPECT_EQ(scalar(st.raw_handle(),
                   "SELECT count(*) FROM frontier WHERE state IN "
                   "('pending', 'in_progress')"),
            "0");
}

// ---------------------------------------------------------------------------------------------
// SIGINT / SIGTERM: graceful stop, 130 / 143, a resume hint, and the next run completes.
void stop_with(int sig, int code) {
  // A slow portal (robots Crawl-delay 0.1 s) keeps the crawl busy long enough to signal it.
  Portal portal({"--crawl-delay", "0.1", "--per-section", "8"});
  TempDir tmp;
  const std::string db = (tmp.path() / "sig.db").string();
  Background crawl(crawl_args(portal, db));
  // Wait until the crawl has stored something (or give up after 10 s).
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {  // the crawl may be creating the file right now
      store::Store st = store::Store::open(db, read_only());
      if (scalar(st.raw_handle(), "SELECT count(*) FROM articles") != "0") break;
    } catch (const store::StoreError&) {
    }
  }
  crawl.signal(sig);
  CommandResult r = crawl.wait();
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_NE(r.err.find("(interrupted)"), std::string::npos) << r.err;
  // The hint repeats the whole command, --connect-to included (it used to drop it).
  std::string words;
  for (const std::string& w : crawl_args(portal, db)) words += " " + w;
  EXPECT_NE(r.err.find("Run the same command again to resume: newsharvest" + words + "\n"),
            std::string::npos)
      << r.err;
  {
    store::Store st = store::Store::open(db, read_only());
    EXPECT_EQ(query(st.raw_handle(), "SELECT status FROM runs"),
              (std::vector<Row>{{"interrupted"}}));
    EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM frontier WHERE state = 'in_progress'"),
              "0");
  }
  CommandResult rest = run_cli(crawl_args(portal, db));
  EXPECT_EQ(rest.exit_code, 0) << rest.err;
  const auto want = portal.manifest()["article_count"].get<int>();
  store::Store st = store::Store::open(db, read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"), std::to_string(want));
}

TEST(Signals, Spec_SigintStopsGracefullyWith130) { stop_with(SIGINT, 130); }
TEST(Signals, Spec_SigtermStopsGracefullyWith143) { stop_with(SIGTERM, 143); }

// ---------------------------------------------------------------------------------------------
TEST(Overlap, Spec_SecondRunSeesTheLockAndExitsZeroStaleLockTakenOver) {
  Portal portal({"--crawl-delay", "0.1", "--per-section", "8"});
  TempDir tmp;
  const std::string db = (tmp.path() / "lock.db").string();
  const fs::path lock = db + ".demo.lock";
  Background first(crawl_args(portal, db));
  for (int i = 0; i < 200 && (!fs::exists(lock) || fs::file_size(lock) == 0); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(lock));
  // robots.txt requests per Host header. A crawl asks each host once per run, so a second run
  // that crawled would make some host's count 2. (Not a mark in the request log: the lock file
  // appears before the first run's own robots.txt request, and a mark taken in between would
  // blame that request on the second run.)
  auto robots_per_host = [&] {
    std::map<std::string, int> n;
    for (const json& r : portal.requests())
      if (r["path"] == "/robots.txt")
        ++n[r["host"].is_string() ? r["host"].get<std::string>() : ""];
    return n;
  };
  CommandResult second = run_cli(crawl_args(portal, db));
  EXPECT_EQ(second.exit_code, 0);
  // One line: who holds the lock, where, and that this run does nothing.
  EXPECT_EQ(std::count(second.err.begin(), second.err.end(), '\n'), 1) << second.err;
  EXPECT_EQ(second.err.rfind("newsharvest: site demo is already being crawled into " + db +
                                 " by pid " + std::to_string(first.pid()) + " on ",
                             0),
            0u)
      << second.err;
  EXPECT_NE(second.err.find("(lock " + lock.string() + "); not starting another run\n"),
            std::string::npos)
      << second.err;
  // It sent no request: a crawl that started would have fetched robots.txt first.
  EXPECT_FALSE(first.exited());
  for (const auto& [host, n] : robots_per_host())
    EXPECT_EQ(n, 1) << host << ": robots.txt requested " << n << " times: the second run crawled";

  first.signal(SIGKILL);
  EXPECT_EQ(first.wait().exit_code, 128 + SIGKILL);
  CommandResult third = run_cli(crawl_args(portal, db));
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.err.find("the previous run of demo (pid " + std::to_string(first.pid())),
            std::string::npos)
      << third.err;
  EXPECT_NE(third.err.find("did not finish; taking over its lock and resuming its frontier"),
            std::string::npos)
      << third.err;
  store::Store st = store::Store::open(db, read_only());
  EXPECT_EQ(query(st.raw_handle(), "SELECT status, alarms FROM runs ORDER BY id"),
            (std::vector<Row>{
                {"interrupted", R"(["abandoned: the process ended without finishing the run"])"},
                {"ok", "[]"}}));
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"),
            std::to_string(portal.manifest()["article_count"].get<int>()));
}

// Two sites into one database at the same time: both finish, no "database is locked".
TEST(Overlap, Spec_DifferentSitesCrawlConcurrentlyIntoOneDatabase) {
  Portal a({"--crawl-delay", "0.01", "--per-section", "15"});
  Portal b({"--crawl-delay", "0.01", "--per-section", "15", "--gen-seed", "7"});
  TempDir tmp;
  const std::string db = (tmp.path() / "shared.db").string();
  // Site b: the second portal addressed by IP and port (its links follow the Host it sees).
  const std::string origin_b = "http://127.0.0.1:" + std::to_string(b.port());
  std::string text_b = read_text(kDemoProfile);
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto at = text_b.find(from); at != std::string::npos;
         at = text_b.find(from, at + to.size()))
      text_b.replace(at, from.size(), to);
  };
  replace_all(R"(name = "demo")", R"(name = "demo-b")");
  {
    const auto at = text_b.find("hosts = [");
    ASSERT_NE(at, std::string::npos);
    text_b.replace(at, text_b.find(']', at) + 1 - at, R"(hosts = ["127.0.0.1"])");
  }
  replace_all(R"(, "http://www.gxzx-mirror.test/sitemap.xml")", "");
  replace_all("http://demo.portal.test", origin_b);
  const fs::path profile_b = tmp.path() / "demo-b.toml";
  std::ofstream(profile_b) << text_b;

  Background run_a(crawl_args(a, db));
  Background run_b({"crawl", "--config", profile_b.string(), "--db", db, "--quiet"});
  CommandResult ra = run_a.wait();
  CommandResult rb = run_b.wait();
  EXPECT_EQ(ra.exit_code, 0) << ra.err;
  EXPECT_EQ(rb.exit_code, 0) << rb.err;
  EXPECT_EQ(ra.err.find("locked"), std::string::npos) << ra.err;
  EXPECT_EQ(rb.err.find("locked"), std::string::npos) << rb.err;
  store::Store st = store::Store::open(db, read_only());
  EXPECT_EQ(query(st.raw_handle(),
                  "SELECT s.name, count(*) FROM articles a JOIN sites s ON s.id = a.site_id "
                  "GROUP BY s.name ORDER BY s.name"),
            (std::vector<Row>{{"demo", std::to_string(a.manifest()["article_count"].get<int>())},
                              {"demo-b", std::to_string(b.manifest()["article_count"].get<int>() -
                                                        3)}}));  // b cannot reach the mirror
  EXPECT_EQ(query(st.raw_handle(),
                  "SELECT s.name, r.status FROM runs r JOIN sites s ON s.id = r.site_id ORDER BY "
                  "s.name"),
            (std::vector<Row>{{"demo", "ok"}, {"demo-b", "ok"}}));
}

// ---------------------------------------------------------------------------------------------
// The portal switches its article template; the next run's new articles lose fields: alarm.
TEST(Drift, Spec_TemplateSwitchRaisesAnAlarmAndExitsThree) {
  Portal portal({"--crawl-delay", "0.01", "--per-section", "10"});
  TempDir tmp;
  const std::string db = (tmp.path() / "drift.db").string();
  CommandResult first = run_cli(crawl_args(portal, db));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // An unchanged template with new articles: no alarm.
  portal.admin("/__admin/publish?n=10");
  CommandResult second = run_cli(crawl_args(portal, db));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find("alarm"), std::string::npos) << second.err;

  portal.admin("/__admin/template?family=app");
  portal.admin("/__admin/publish?n=10");
  CommandResult third = run_cli(crawl_args(portal, db));
  EXPECT_EQ(third.exit_code, 3) << third.err;
  EXPECT_NE(third.err.find("(degraded)\n  alarm: "), std::string::npos) << third.err;
  EXPECT_NE(third.err.find("did the article template change?"), std::string::npos) << third.err;

  store::Store st = store::Store::open(db, read_only());
  const auto runs = query(st.raw_handle(),
                          "SELECT status, json_array_length(alarms) FROM runs "
                          "ORDER BY id");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0], (Row{"ok", "0"}));
  EXPECT_EQ(runs[1], (Row{"ok", "0"}));
  EXPECT_EQ(*runs[2][0], "degraded");
  EXPECT_GE(std::stoi(*runs[2][1]), 1);

  // stats shows the last runs with their status and the alarm.
  CommandResult stats = run_cli({"stats", "--db", db});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("degraded"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("did the article template change?"), std::string::npos) << stats.out;
}

}  // namespace
}  // namespace nh::testing

namespace nh::testing {
namespace {

// The default look-back (1): an unchanged site's second run stops every section at its first
// list page.
TEST(Recheck, Policy_LookbackOneStopsAtTheFirstListPage) {
  Portal portal({"--crawl-delay", "0.01", "--per-section", "40"});
  TempDir tmp;
  const std::string db = (tmp.path() / "lookback.db").string();
  const std::string profile = write_profile(
      tmp.path(), "lookback.toml", {{"list_lookback_pages = 2", "list_lookback_pages = 1"}});
  ASSERT_EQ(run_cli(crawl_args(portal, db, profile)).exit_code, 0);
  const std::size_t mark = portal.requests().size();
  CommandResult second = run_cli(crawl_args(portal, db, profile));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::set<std::string> lists_requested;
  for (const json& r : since(portal.requests(), mark)) lists_requested.insert(r["path"]);
  // A named copy: items() refers into the json it is called on, and a temporary's would be
  // gone before the loop body runs (heap-use-after-free under ASan).
  const json manifest = portal.manifest();
  for (const auto& [slug, list] : manifest["lists"].items()) {
    const auto& pages = list["pages"];
    EXPECT_TRUE(lists_requested.contains(split_url(pages[0]).second)) << slug;
    for (std::size_t i = 1; i < pages.size(); ++i)
      EXPECT_FALSE(lists_requested.contains(split_url(pages[i]).second)) << pages[i];
  }
}

// List pages that stop yielding article links (here: the site moved its articles to URLs the
// profile's article patterns no longer match) raise the list alarm.
TEST(Drift, Spec_ListPagesWithoutArticleLinksRaiseAnAlarm) {
  Portal portal({"--crawl-delay", "0.01", "--per-section", "6"});
  TempDir tmp;
  const std::string db = (tmp.path() / "lists.db").string();
  ASSERT_EQ(run_cli(crawl_args(portal, db)).exit_code, 0);
  const std::string moved = write_profile(
      tmp.path(), "moved.toml",
      {{"article = [", "article = ['^https?://[^/]+/articles-moved-elsewhere/', "},
       {"'^https?://[^/]+/(szdt|tzgg)/\\d{6}/t\\d{8}_\\d+(_\\d+)?\\.html$',", ""},
       {"'^https?://[^/]+/xsyz/show-\\d+-\\d+\\.html$',", ""},
       {"'^https?://[^/]+/a/\\d{8}/\\d+(_\\d+)?\\.html$',", ""},
       {"'^https?://[^/]+/art/\\d{4}/\\d{1,2}/\\d{1,2}/art_\\d+_\\d+\\.html$',", ""},
       {"'^https?://[^/]+/html/\\d{4}-\\d{2}/\\d{2}/content_\\d+\\.htm$',", ""},
       {"'^https?://www\\.gxzx-mirror\\.test/news/\\d{4}/\\d{4}/\\d+\\.html$',", ""}});
  CommandResult r = run_cli(crawl_args(portal, db, moved));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("  alarm: list pages yielded 0.0 article links each over "),
            std::string::npos)
      << r.err;
  store::Store st = store::Store::open(db, read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT status FROM runs ORDER BY id DESC LIMIT 1"),
            "degraded");
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT list_article_links FROM runs ORDER BY id DESC LIMIT 1"),
            "0");
}

}  // namespace
}  // namespace nh::testing

namespace nh::testing {
namespace {

// The profile's `database` is where a crawl without --db goes; --db overrides it. --quiet says
// nothing on success.
TEST(Cron, Spec_ProfileDatabaseIsUsedAndDbOverridesIt) {
  Portal portal({"--crawl-delay", "0.01", "--per-section", "2"});
  TempDir tmp;
  const fs::path from_profile = tmp.path() / "from-profile.db";
  const fs::path override_db = tmp.path() / "override.db";
  const std::string profile = write_profile(
      tmp.path(), "db.toml",
      {{R"(database = "./data/newsharvest.db")", "database = \"" + from_profile.string() + "\""}});
  const std::string articles = std::to_string(portal.manifest()["article_count"].get<int>());

  CommandResult first =
      run_cli({"crawl", "--config", profile, "--connect-to", portal.connect_to(), "--quiet"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "") << "--quiet prints nothing on success";
  ASSERT_TRUE(fs::exists(from_profile));
  {
    store::Store st = store::Store::open(from_profile.string(), read_only());
    EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"), articles);
  }

  CommandResult second = run_cli({"crawl", "--config", profile, "--db", override_db.string(),
                                  "--connect-to", portal.connect_to(), "--quiet"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  store::Store st = store::Store::open(override_db.string(), read_only());
  EXPECT_EQ(scalar(st.raw_handle(), "SELECT count(*) FROM articles"), articles);
  store::Store first_db = store::Store::open(from_profile.string(), read_only());
  EXPECT_EQ(scalar(first_db.raw_handle(), "SELECT count(*) FROM runs"), "1")
      << "--db must not touch the profile's database";
}

// A database that cannot be opened fails the run (exit 1, naming the file) before the lock
// file is created: nothing is left behind for the next cron run to trip over.
TEST(Cron, Spec_NoLockFileWhenTheDatabaseCannotBeOpened) {
  TempDir tmp;
  const fs::path bad = tmp.path() / "not-a-database.db";
  std::ofstream(bad) << "this is not an SQLite file, and it is long enough to have a header\n";
  CommandResult r = run_cli({"crawl", "--site", "demo", "--db", bad.string(), "--connect-to",
                             "::127.0.0.1:9", "--quiet"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(bad.string()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(bad.string() + ".demo.lock"));
}

}  // namespace
}  // namespace nh::testing
