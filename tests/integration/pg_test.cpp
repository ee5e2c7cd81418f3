// The PostgreSQL backend (issue 15) against a real server: many workers, one crawl.
//
// Needs a PostgreSQL server (tests/support/pg_test_db.h): skipped, saying why, without one.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "portal.h"
#include "store/pg/pg.h"
#include "store/pg/pg_store.h"
#include "store/store.h"
#include "tests/support/pg_test_db.h"

namespace nh::testing {
namespace {

using nlohmann::json;
using store::pg::Conn;

// The record fields a crawl stores, per canonical URL, read through either backend's API.
using Records = std::map<std::string, std::pair<extract::Article, bool>>;
Records records_of(store::pg::PgStore& st) {
  Records out;
  st.for_each_article({}, [&](const store::StoredArticle& a) {
    out[a.url] = {a.article, a.duplicate_of.has_value()};
  });
  return out;
}
Records records_of(store::Store& st) {
  Records out;
  st.for_each_article({}, [&](const store::StoredArticle& a) {
    out[a.url] = {a.article, a.duplicate_of.has_value()};
  });
  return out;
}

std::string worker_agent(int n) {
  return "user_agent=newsharvest/test (worker " + std::to_string(n) + ")";
}

// Three worker processes crawl the demo portal into one PostgreSQL database; the second is
// killed with SIGKILL mid-crawl. The two left finish the crawl (taking over the dead worker's
// URLs when its leases lapse), and then:
//   - the stored records equal a single-process SQLite crawl's;
//   - no page was fetched again after a fetch that the crawl kept (only a page the killed
//     worker fetched and never committed is fetched a second time);
//   - per host, requests of all workers together keep the delay;
//   - the next crawl, by two workers, asks each start/list page once and no article again.
TEST(PgScaleOut, Spec_ThreeWorkersOneKilledStoreWhatOneSqliteCrawlStores) {
  PgTestDb pg;
  NH_REQUIRE_PG(pg);
  // The SQLite reference crawl, on a portal of its own.
  TempDir tmp;
  const std::string sqlite_db = (tmp.path() / "one.db").string();
  {
    Portal ref({"--crawl-delay", "0.05"});
    const CommandResult r = run_cli({"crawl", "--site", "demo", "--db", sqlite_db, "--connect-to",
                                     ref.connect_to(), "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  Portal portal({"--crawl-delay", "0.05"});
  auto worker = [&](int n) {
    return std::make_unique<Background>(std::vector<std::string>{
        "crawl", "--site", "demo", "--db", pg.url(), "--connect-to", portal.connect_to(), "--quiet",
        "--lease", "3", "-s", worker_agent(n)});
  };
  std::vector<std::unique_ptr<Background>> workers;
  for (int n = 1; n <= 3; ++n) workers.push_back(worker(n));
  // Kill worker 2 once a third of the portal is stored.
  Conn watch(pg.url().c_str());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  pid_t killed_pid = workers[1]->pid();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::int64_t n = 0;
    try {
      n = watch.exec("SELECT count(*) FROM articles").i64(0, 0);
    } catch (const store::StoreError&) {  // the schema is not there yet
    }
    if (n >= 100) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the workers stored " << n;
  }
  const std::int64_t stored_at_kill = watch.exec("SELECT count(*) FROM articles").i64(0, 0);
  workers[1]->signal(SIGKILL);
  EXPECT_EQ(workers[1]->wait().exit_code, 128 + SIGKILL);
  for (int i : {0, 2}) {
    const CommandResult r = workers[i]->wait();
    EXPECT_EQ(r.exit_code, 0) << "worker " << i + 1 << ": " << r.err;
  }

  // The records.
  auto st = store::pg::PgStore::open(pg.url());
  auto ref = store::Store::open(sqlite_db, read_only());
  const Records got = records_of(st), want = records_of(ref);
  EXPECT_EQ(got.size(), want.size());
  for (const auto& [url, rec] : want) {
    auto it = got.find(url);
    ASSERT_NE(it, got.end()) << url << " was not stored by the workers";
    EXPECT_EQ(it->second.first, rec.first) << url;
    EXPECT_EQ(it->second.second, rec.second) << url << " duplicate_of";
  }
  EXPECT_EQ(st.frontier_pending("demo"), 0);
  // The commands over the database give what they give on the SQLite crawl: export (the same
  // records, ids aside), search (the same hits), stats, and reextract (nothing changes).
  auto exported = [](const std::string& db) {
    const CommandResult r = run_cli({"export", "--db", db});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> lines;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line);
      j.erase("id");
      j.erase("duplicate_of");
      lines.insert(j.dump());
    }
    return lines;
  };
  EXPECT_EQ(exported(pg.url()), exported(sqlite_db));
  auto hits = [](const std::string& db, const std::string& q) {
    const CommandResult r = run_cli({"search", q, "--db", db, "--limit", "0"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> urls;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) urls.insert(json::parse(line)["url"]);
    return urls;
  };
  for (const char* q : {"县", "政协", "委员会", "全国 政协"}) {
    EXPECT_EQ(hits(pg.url(), q), hits(sqlite_db, q)) << q;
    EXPECT_FALSE(hits(pg.url(), q).empty()) << q;
  }
  const CommandResult stats = run_cli({"stats", "--db", pg.url()});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_NE(stats.out.find("demo: " + std::to_string(want.size()) + " articles, 1 duplicates"),
            std::string::npos)
      << stats.out;
  const CommandResult re = run_cli({"reextract", "--db", pg.url()});
  EXPECT_EQ(re.exit_code, 0) << re.err;
  EXPECT_EQ(re.out, "reextract: " + std::to_string(want.size()) +
                        " archived articles: 0 changed, " + std::to_string(want.size()) +
                        " unchanged\n");

  // Which run is the killed worker's, and which articles it committed.
  const auto killed_run =
      watch.exec("SELECT id FROM runs WHERE worker LIKE $1", {"%:" + std::to_string(killed_pid)});
  ASSERT_EQ(killed_run.rows(), 1);
  std::set<std::string> committed_by_killed;
  const auto kr =
      watch.exec("SELECT final_url FROM articles WHERE run_id = $1", {killed_run.i64(0, 0)});
  for (int i = 0; i < kr.rows(); ++i) committed_by_killed.insert(kr.text(i, 0));
  EXPECT_GT(committed_by_killed.size(), 0u) << "worker 2 was killed before it stored anything";

  // Fetches: every successful fetch of a page but its last is the killed worker's, of a page it
  // never committed. robots.txt is each worker's own.
  const std::vector<json> log = portal.requests();
  std::map<std::string, std::vector<const json*>> ok_fetches;  // host+path -> 200s in order
  std::map<std::string, int> agents;                           // requests per worker
  for (const auto& r : log) {
    ++agents[r.value("user_agent", "")];
    if (r.value("status", 0) != 200 || r.value("path", "") == "/robots.txt") continue;
    ok_fetches[r.value("host", "") + r.value("path", "")].push_back(&r);
  }
  EXPECT_EQ(agents.size(), 3u) << "all three workers fetched";
  const std::string killed_agent = "newsharvest/test (worker 2)";
  int refetched = 0;
  for (auto& [page, fetches] : ok_fetches) {
    std::sort(fetches.begin(), fetches.end(), [](const json* a, const json* b) {
      return log_ms((*a)["time"]) < log_ms((*b)["time"]);
    });
    for (std::size_t i = 0; i + 1 < fetches.size(); ++i) {
      ++refetched;
      EXPECT_EQ((*fetches[i]).value("user_agent", ""), killed_agent)
          << page << " was fetched again after a surviving worker fetched it";
      EXPECT_FALSE(committed_by_killed.contains("http://" + page))
          << page << " was fetched again after the killed worker stored it";
    }
  }
  std::cerr << "[ pg workers ] worker 2 killed at " << stored_at_kill << " articles; " << log.size()
            << " requests, " << refetched << " page(s) fetched again after the kill, "
            << committed_by_killed.size()
            << " articles stored by the killed worker; requests per worker:";
  for (const auto& [agent, n] : agents) std::cerr << " " << n;
  std::cerr << "\n";

  // Politeness across workers: per host, the gaps between the arrivals of all workers'
  // requests together. Crawl-delay 50 ms on the portal, the profile's 20 ms on the mirror;
  // three workers that did not share the delay would send most requests a third of it apart.
  // The server reads a request's arrival on a Python thread (a few ms of noise, more under
  // load), so 10 ms of slack, and at most 1 % of gaps (one, in a short log) may show more noise.
  for (const std::string host : {"demo.portal.test", "www.gxzx-mirror.test"}) {
    std::vector<long long> t;
    for (const auto& r : log)
      if (r.value("host", "") == host) t.push_back(log_ms(r["arrived"]));
    std::sort(t.begin(), t.end());
    ASSERT_GT(t.size(), 3u) << host;
    std::vector<long long> gaps;
    for (std::size_t i = 1; i < t.size(); ++i) gaps.push_back(t[i] - t[i - 1]);
    std::sort(gaps.begin(), gaps.end());
    const long long delay = host == "demo.portal.test" ? 50 : 20;
    const auto short_gaps =
        std::count_if(gaps.begin(), gaps.end(), [&](long long g) { return g < delay - 10; });
    EXPECT_LE(short_gaps, std::max<std::ptrdiff_t>(1, std::ssize(gaps) / 100))
        << host << ": shortest gap " << gaps.front() << " ms";
    EXPECT_GE(gaps[gaps.size() / 2], delay) << host;
  }

  // The next crawl, by two workers: the start pages, sitemaps and feeds are asked again, each
  // by one worker only (conditional requests); no article is fetched again, nothing is new.
  const std::size_t before = portal.requests().size();
  {
    auto w1 = worker(1), w3 = worker(3);
    EXPECT_EQ(w1->wait().exit_code, 0);
    EXPECT_EQ(w3->wait().exit_code, 0);
  }
  const std::vector<json> again = portal.requests();
  std::map<std::string, int> asked;
  for (std::size_t i = before; i < again.size(); ++i) {
    const json& r = again[i];
    if (r.value("path", "") == "/robots.txt") continue;
    ++asked[r.value("host", "") + r.value("path", "")];
  }
  EXPECT_FALSE(asked.empty());
  for (const auto& [page, n] : asked) {
    EXPECT_EQ(n, 1) << page << " was requested by both workers";
    EXPECT_FALSE(committed_by_killed.contains("http://" + page) || got.contains("http://" + page))
        << page << ": an article fetched again";
  }
  EXPECT_EQ(watch
                .exec("SELECT sum(articles_new) FROM runs WHERE id > $1",
                      {watch.exec("SELECT max(id) FROM runs").i64(0, 0) - 2})
                .i64(0, 0),
            0);
}

// Commands that write SQLite files only refuse a PostgreSQL URL, saying so, and create nothing
// (an SQLite path "postgresql://..." would be a directory "postgresql:").
TEST(PgCli, Spec_FileOnlyCommandsRefuseAUrlClearly) {
  TempDir tmp;
  const std::string page = (tmp.path() / "p.html").string();
  {
    std::ofstream(page)
        << "<html><head><title>t</title></head><body><h1>t</h1><p>text</p></body></html>";
  }
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(tmp.path());
  const CommandResult r = run_cli({"extract", page, "--db", "postgresql://u@127.0.0.1:1/x"});
  std::filesystem::current_path(cwd);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("this command stores into an SQLite file only"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "postgresql:"));
  // migrate-db between two files (or two servers) is a usage error.
  EXPECT_EQ(run_cli({"migrate-db", "a.db", "b.db"}).exit_code, 2);
}

}  // namespace
}  // namespace nh::testing
