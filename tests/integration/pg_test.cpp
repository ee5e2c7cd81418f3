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

// Three worker processes crawl the demo portal into one PostgreSQL database; the one holding
// the most claimed URLs is killed with SIGKILL mid-crawl. The two left finish the crawl (taking
// over the dead worker's URLs when its leases lapse), and then:
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
  // Once a third of the portal is stored, kill the worker that holds the most claimed URLs
  // (which one gets work depends on timing): its claims must go to the others.
  Conn watch(pg.url().c_str());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
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
  const auto holder = watch.exec(
      "SELECT r.worker, count(*) FROM frontier f JOIN runs r ON r.id = f.lease_owner WHERE "
      "f.state = 'in_progress' GROUP BY r.worker ORDER BY count(*) DESC LIMIT 1");
  ASSERT_EQ(holder.rows(), 1) << "no worker holds a claim";
  const std::string holder_worker = holder.text(0, 0);
  const std::int64_t claims_at_kill = holder.i64(0, 1);
  std::size_t victim = workers.size();
  for (std::size_t i = 0; i < workers.size(); ++i)
    if (holder_worker.ends_with(":" + std::to_string(workers[i]->pid()))) victim = i;
  ASSERT_LT(victim, workers.size()) << holder_worker;
  const pid_t killed_pid = workers[victim]->pid();
  workers[victim]->signal(SIGKILL);
  EXPECT_EQ(workers[victim]->wait().exit_code, 128 + SIGKILL);
  for (std::size_t i = 0; i < workers.size(); ++i) {
    if (i == victim) continue;
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
  const std::string killed_agent = "newsharvest/test (worker " + std::to_string(victim + 1) + ")";
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
  std::cerr << "[ pg workers ] worker " << victim + 1 << " killed at " << stored_at_kill
            << " articles, holding " << claims_at_kill << " claims; " << log.size() << " requests, "
            << refetched << " page(s) fetched again after the kill, " << committed_by_killed.size()
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
    const CommandResult r1 = w1->wait(), r3 = w3->wait();
    EXPECT_EQ(r1.exit_code, 0) << "worker 1: " << r1.err;
    EXPECT_EQ(r3.exit_code, 0) << "worker 3: " << r3.err;
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

// One-off commands store into PostgreSQL too: extract --db and fetch --db write the records a
// crawl would; an unreachable server is an error naming it, and nothing is made on disk (an
// SQLite path "postgresql://..." would be a directory "postgresql:").
TEST(PgCli, Spec_ExtractAndFetchStoreIntoPostgresql) {
  TempDir tmp;
  const std::string page = (tmp.path() / "p.html").string();
  {
    std::ofstream out(page);
    out << "<html><head><title>县政协召开全体会议</title></head><body><h1>县政协召开全体会议"
           "</h1>";
    for (int i = 0; i < 6; ++i)
      out << "<p>会议听取了常委会工作报告，审议通过了有关决议。与会委员围绕全县发展大局，"
             "就乡村振兴、生态保护和民生改善积极建言献策，提出了许多有价值的意见建议。</p>";
    out << "</body></html>";
  }
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(tmp.path());
  const CommandResult bad = run_cli({"extract", page, "--db", "postgresql://u@127.0.0.1:1/x"});
  std::filesystem::current_path(cwd);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("postgresql://u@127.0.0.1:1/x: cannot connect"), std::string::npos)
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "postgresql:"));
  EXPECT_EQ(run_cli({"migrate-db", "a.db", "b.db"}).exit_code, 2);  // two files: usage

  PgTestDb pg;
  NH_REQUIRE_PG(pg);
  const CommandResult ex = run_cli(
      {"extract", page, "--db", pg.url(), "--url", "http://x.test/szdt/202105/t20210526_1.html"});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  Portal portal;
  const std::string url = "http://demo.portal.test/szdt/202105/t20210526_1234.html";
  const CommandResult fe = run_cli(
      {"fetch", url, "--db", pg.url(), "--connect-to", portal.connect_to(), "--allow-private"});
  ASSERT_EQ(fe.exit_code, 0) << fe.err;
  auto st = store::pg::PgStore::open(pg.url());
  const auto a = st.find_article("http://x.test/szdt/202105/t20210526_1.html");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->article.title, "县政协召开全体会议");
  const auto f = st.find_article(url);
  ASSERT_TRUE(f);
  EXPECT_EQ(json::parse(ex.out)["title"], "县政协召开全体会议");
  EXPECT_EQ(f->article.title, json::parse(fe.out)["title"].get<std::string>());
  EXPECT_EQ(st.index_lag(), 0);  // searchable at once
}

}  // namespace
}  // namespace nh::testing
