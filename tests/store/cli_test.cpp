// The newsharvest binary's store commands: output shapes and exit codes (0 ok, 1 storage
// failure, 2 usage), and that refused files keep their bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "extract/extract.h"
#include "extract/record.h"
#include "helpers.h"

namespace nh::store::test {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line in t's directory; stderr captured through a temp file.
Result shell(const TempDir& t, const std::string& line) {
  const std::string err_file = t.file("stderr.txt");
  const std::string cmd = "cd '" + t.dir.string() + "' && " + line + " 2>'" + err_file + "'";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_bytes(err_file);
  return r;
}

// Runs the binary with a shell line of arguments.
Result run(const TempDir& t, const std::string& args) {
  return shell(t, "'" + std::string(NH_BINARY) + "' " + args);
}

const std::string kUrl = "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345.html";

// A database holding the sample article (with its HTML archived) and one synthetic article.
std::string make_db(const TempDir& t, const std::string& name = "news.db") {
  const std::string path = t.file(name);
  auto s = Store::open(path);
  auto b = s.begin_batch();
  RawPage raw;
  raw.url = kUrl;
  raw.content_type = "text/html; charset=utf-8";
  raw.bytes = read_bytes(fixture_path("sample_page.html"));
  b.upsert_article("gxzx", kUrl, sample_page(), &raw);
  auto p = synthetic_page(1);
  p.article.body = "第一段,含\"引号\",和逗号\n第二段";
  b.upsert_article("demo", "http://example.gov.cn/a/1.html", p);
  b.commit();
  return path;
}

TEST(CliTest, Spec_ExportJsonlIsTheRecordShape) {
  TempDir t;
  const std::string db = make_db(t);
  const Result r = run(t, "export --db news.db");
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<nlohmann::json> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  const auto& j = lines[0];
  EXPECT_EQ(j["url"], kUrl);
  EXPECT_EQ(j["site"], "广西政协报新闻中心");
  EXPECT_EQ(j["title"], "互学互促共提升");
  EXPECT_EQ(j["published_at"], "2021-05-26");
  EXPECT_EQ(j["reporters"], nlohmann::json::array({"黄富强"}));
  EXPECT_EQ(j["contributors"][1], (nlohmann::json{{"name", "农喜养"}, {"role", "correspondent"}}));
  EXPECT_TRUE(j["source"].is_null());
  EXPECT_EQ(j["body"], *sample_page().article.body);
  EXPECT_EQ(j["provenance"]["title"], "h1");
  // The keys analysts join on come first.
  std::vector<std::string> keys;
  const auto ordered = nlohmann::ordered_json::parse(r.out.substr(0, r.out.find('\n')));
  for (auto it = ordered.begin(); it != ordered.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 6),
            (std::vector<std::string>{"id", "duplicate_of", "profile", "published_date",
                                      "published_time", "url"}));
  EXPECT_EQ(j["id"], 1);
  EXPECT_TRUE(j["duplicate_of"].is_null());
  EXPECT_EQ(j["profile"], "gxzx");
  EXPECT_EQ(j["published_date"], "2021-05-26");
  EXPECT_TRUE(j["published_time"].is_null());
  const Result one_site = run(t, "export --db news.db --site demo --since 2024-01-01");
  EXPECT_EQ(one_site.code, 0);
  EXPECT_EQ(std::count(one_site.out.begin(), one_site.out.end(), '\n'), 1);
  EXPECT_THAT(one_site.out, HasSubstr("http://example.gov.cn/a/1.html"));
}

TEST(CliTest, Spec_ExportCsvIsRfc4180WithHeader) {
  TempDir t;
  make_db(t);
  const Result r = run(t, "export --db news.db --format csv --site demo");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "id,url,final_url,profile,site,section,title,subtitle,published_at,reporters,"
            "contributors,source,body,language,published_date,published_time,charset,"
            "duplicate_of\r\n"
            "2,http://example.gov.cn/a/1.html,http://example.gov.cn/a/1.html,demo,示例门户,要闻,"
            "第1号文章,,2024-03-02,\"[\"\"记者1\"\"]\",\"[{\"\"name\"\":\"\"记者1\"\","
            "\"\"role\"\":\"\"reporter\"\"}]\",,\"第一段,含\"\"引号\"\",和逗号\n第二段\",zh,"
            "2024-03-02,,utf-8,\r\n");
}

TEST(CliTest, Spec_StatsHumanAndJson) {
  TempDir t;
  make_db(t);
  const Result human = run(t, "stats --db news.db");
  ASSERT_EQ(human.code, 0) << human.err;
  EXPECT_THAT(human.out, HasSubstr("gxzx: 1 articles, 0 duplicates"));
  EXPECT_THAT(human.out, HasSubstr("title 100.0%  published_at 100.0%  reporters 100.0%  "
                                   "section 100.0%  source 0.0%  body 100.0%"));
  const Result js = run(t, "stats --db news.db --json");
  ASSERT_EQ(js.code, 0) << js.err;
  const auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["schema_version"], kSchemaVersion);
  EXPECT_EQ(j["index_pending"], 2);  // written by the store API, never indexed
  ASSERT_EQ(j["sites"].size(), 2u);
  EXPECT_EQ(j["sites"][1]["site"], "gxzx");
  EXPECT_EQ(j["sites"][1]["articles"], 1);
  EXPECT_EQ(j["sites"][1]["fill_rates"]["source"], 0.0);
  EXPECT_EQ(j["sites"][1]["fill_rates"]["title"], 1.0);
  EXPECT_TRUE(j["sites"][1]["last_run"].is_null());
  EXPECT_EQ(j["sites"][1]["recent_runs"], nlohmann::json::array());
}

// Two runs of gxzx with a fixed clock: #1 ok, #2 degraded with an alarm. demo has none.
std::string make_runs_db(const TempDir& t) {
  const std::string path = t.file("runs.db");
  std::int64_t now = 1700000000;  // 2023-11-14T22:13:20Z
  auto s = Store::open(path, {.clock = [&now] { return now; }});
  const std::int64_t r1 = s.begin_run("gxzx");
  {
    auto b = s.begin_batch(r1);
    auto p = sample_page();
    p.article.title = "旧标题";
    b.upsert_article("gxzx", kUrl, p);
    b.upsert_article("demo", "http://example.gov.cn/a/1.html", synthetic_page(1));
    b.commit();
  }
  now += 90;
  RunCounts c1;
  c1.pages_fetched = 3;
  c1.articles_new = 1;
  c1.requests = 5;
  c1.not_modified = 1;
  c1.list_pages = 2;
  c1.list_article_links = 7;
  s.finish_run(r1, RunStatus::ok, c1);
  now = 1700000000 + 3600;
  const std::int64_t r2 = s.begin_run("gxzx");
  {
    auto b = s.begin_batch(r2);
    b.upsert_article("gxzx", kUrl, sample_page());  // changed title
    b.commit();
  }
  now += 3725;
  RunCounts c2;
  c2.pages_fetched = 2;
  c2.pages_failed = 1;
  c2.articles_changed = 1;
  c2.requests = 4;
  c2.not_modified = 2;
  c2.list_pages = 1;
  c2.list_article_links = 0;
  s.finish_run(r2, RunStatus::degraded, c2, {"list pages yielded 0 article links (last runs: 7)"});
  return path;
}

TEST(CliTest, Spec_StatsShowsRecentRunsWithAlarms) {
  TempDir t;
  make_runs_db(t);
  const Result human = run(t, "stats --db runs.db");
  ASSERT_EQ(human.code, 0) << human.err;
  EXPECT_EQ(human.out,
            "runs.db (schema version 8): 2 sites\n"
            "search index: 2 articles not indexed yet (indexed after each crawl batch; "
            "`newsharvest index` catches up now)\n"
            "\n"
            "demo: 1 articles, 0 duplicates\n"
            "  last run:     #1 ok, started 2023-11-14T22:13:20Z, finished 2023-11-14T22:14:50Z\n"
            "  last success: #1 ok, started 2023-11-14T22:13:20Z, finished 2023-11-14T22:14:50Z\n"
            "  filled:       title 100.0%  published_at 100.0%  reporters 100.0%  section 100.0%  "
            "source 0.0%  body 100.0%\n"
            "  recent runs:\n"
            "    #1  2023-11-14T22:13:20Z  1m30s  ok  pages 3 fetched, 0 failed  requests 5, 1 not "
            "modified (304)  articles 1 new, 0 changed\n"
            "\n"
            "gxzx: 1 articles, 0 duplicates\n"
            "  last run:     #2 degraded, started 2023-11-14T23:13:20Z, finished "
            "2023-11-15T00:15:25Z\n"
            "  last success: #1 ok, started 2023-11-14T22:13:20Z, finished 2023-11-14T22:14:50Z\n"
            "  filled:       title 100.0%  published_at 100.0%  reporters 100.0%  section 100.0%  "
            "source 0.0%  body 100.0%\n"
            "  recent runs:\n"
            "    #2  2023-11-14T23:13:20Z  1h02m05s  degraded  pages 2 fetched, 1 failed  requests "
            "4, 2 not modified (304)  articles 0 new, 1 changed\n"
            "      alarm: list pages yielded 0 article links (last runs: 7)\n"
            "    #1  2023-11-14T22:13:20Z  1m30s  ok  pages 3 fetched, 0 failed  requests 5, 1 not "
            "modified (304)  articles 1 new, 0 changed\n");
  const Result js = run(t, "stats --db runs.db --json");
  ASSERT_EQ(js.code, 0) << js.err;
  const auto j = nlohmann::json::parse(js.out);
  ASSERT_EQ(j["sites"].size(), 2u);
  EXPECT_EQ(j["sites"][1]["site"], "gxzx");
  EXPECT_EQ(j["sites"][1]["last_run"]["id"], 2);  // existing keys stay
  EXPECT_EQ(j["sites"][1]["recent_runs"], nlohmann::json::parse(R"json([
    {"id": 2, "started_at": "2023-11-14T23:13:20Z", "finished_at": "2023-11-15T00:15:25Z",
     "status": "degraded", "pages_fetched": 2, "pages_failed": 1, "requests": 4,
     "not_modified": 2, "articles_new": 0, "articles_changed": 1, "list_pages": 1,
     "list_article_links": 0,
     "fill": {"articles": 1, "title": 1, "published_at": 1, "reporters": 1, "section": 1,
              "source": 0, "body": 1},
     "alarms": ["list pages yielded 0 article links (last runs: 7)"]},
    {"id": 1, "started_at": "2023-11-14T22:13:20Z", "finished_at": "2023-11-14T22:14:50Z",
     "status": "ok", "pages_fetched": 3, "pages_failed": 0, "requests": 5,
     "not_modified": 1, "articles_new": 1, "articles_changed": 0, "list_pages": 2,
     "list_article_links": 7,
     "fill": {"articles": 1, "title": 1, "published_at": 1, "reporters": 1, "section": 1,
              "source": 0, "body": 1},
     "alarms": []}])json"));
  // Key order of a run object, as documented.
  std::vector<std::string> keys;
  const auto ordered = nlohmann::ordered_json::parse(js.out);
  for (const auto& [k, v] : ordered["sites"][1]["recent_runs"][0].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "started_at", "finished_at", "status",
                                            "pages_fetched", "pages_failed", "requests",
                                            "not_modified", "articles_new", "articles_changed",
                                            "list_pages", "list_article_links", "fill", "alarms"}));
  EXPECT_EQ(j["sites"][0]["recent_runs"].size(), 1u);  // demo: run 1 wrote its article
}

TEST(CliTest, Spec_ReextractRebuildsFromRawPagesThenIsANoOp) {
  TempDir t;
  const std::string db = make_db(t);
  const Result first = run(t, "reextract --db news.db");
  ASSERT_EQ(first.code, 0) << first.err;
  // The stored record was not what the extractor makes of the archived HTML.
  EXPECT_THAT(first.out, HasSubstr("reextract: 1 archived articles: 1 changed, 0 unchanged"));
  EXPECT_THAT(first.out, HasSubstr("  title: 1\n"));
  const auto hash = file_hash(db);
  const Result second = run(t, "reextract --db news.db");
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("reextract: 1 archived articles: 0 changed, 1 unchanged\n"));
  EXPECT_EQ(file_hash(db), hash) << "a no-op reextract modified the database";
  auto s = Store::open(db, {.read_only = true});
  EXPECT_EQ(one(s.raw_handle(), "SELECT count(*) FROM article_history"), "1");
}

// A section the crawl took from the profile (the page names none) survives reextract, also
// when the profile cannot be found (a site profile that was renamed or removed).
TEST(CliTest, Spec_ReextractKeepsAProfileSuppliedSection) {
  TempDir t;
  const std::string db = t.file("news.db");
  const std::string url = "http://news.example.gov.cn/2021/05/26/n1.html";
  const std::string html =
      "<html><head><meta charset=\"utf-8\"><title>委员视察河湖长制落实情况</title></head><body>"
      "<h1>委员视察河湖长制落实情况</h1><p>发布时间：2021-05-26</p><div class=\"article\">"
      "<p>5月26日，市政协组织部分委员视察河湖长制落实情况，实地察看了三处河段的治理成效。</p>"
      "<p>委员们建议进一步完善考核机制，加大巡河力度，推动河湖管护常态化、长效化。</p>"
      "</div></body></html>";
  {
    auto s = Store::open(db);
    RawPage raw;
    raw.url = url;
    raw.content_type = "text/html; charset=utf-8";
    raw.bytes = html;
    extract::ParseOptions o;
    o.url = url;
    o.content_type = "text/html; charset=utf-8";
    extract::Page page = extract::parse(html, o);
    ASSERT_FALSE(page.article.section.has_value());
    page.article.section = "要闻动态";
    page.provenance["section"] = "profile:sections";
    auto b = s.begin_batch();
    b.upsert_article("no-such-profile", url, page, &raw);
    b.commit();
  }
  const auto hash = file_hash(db);
  const Result r = run(t, "reextract --db news.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "reextract: 1 archived articles: 0 changed, 1 unchanged\n");
  EXPECT_THAT(r.err, HasSubstr("no usable profile for site no-such-profile"));
  EXPECT_EQ(file_hash(db), hash);
}

// The sample page as page n of a multi-page article: the same template, its paragraphs marked
// with the page number (page 1 is the fixture itself).
std::string page_html(int n) {
  std::string html = read_bytes(fixture_path("sample_page.html"));
  if (n == 1) return html;
  const std::string mark = "【第" + std::to_string(n) + "页】";
  for (std::size_t at = 0; (at = html.find("<p>", at)) != std::string::npos; at += 3)
    html.insert(at + 3, mark);
  return html;
}

RawPage raw_page(const std::string& url, const std::string& bytes) {
  RawPage raw;
  raw.url = url;
  raw.content_type = "text/html; charset=utf-8";
  raw.bytes = bytes;
  return raw;
}

const std::string kUrl2 = "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345_2.html";
const std::string kUrl3 = "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345_3.html";

TEST(CliTest, Spec_ReextractRebuildsAMultiPageArticleFromAllItsPages) {
  TempDir t;
  const std::string db = t.file("news.db");
  {
    auto s = Store::open(db);
    auto b = s.begin_batch();
    const RawPage raw = raw_page(kUrl, page_html(1));
    const std::vector<RawPage> more{raw_page(kUrl2, page_html(2)), raw_page(kUrl3, page_html(3))};
    b.upsert_article("gxzx", kUrl, sample_page(), &raw, more);
    b.commit();
  }
  const Result first = run(t, "reextract --db news.db");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("reextract: 1 archived articles: 1 changed, 0 unchanged\n"));
  std::string body, provenance;
  {
    auto s = Store::open(db, {.read_only = true});
    body = one(s.raw_handle(), "SELECT body FROM articles");
    provenance = one(s.raw_handle(), "SELECT json_extract(provenance, '$.body') FROM articles");
  }
  // All three pages' paragraphs, in page order, one per line.
  const auto p2 = body.find("【第2页】"), p3 = body.find("【第3页】");
  ASSERT_NE(p2, std::string::npos) << body;
  ASSERT_NE(p3, std::string::npos) << body;
  EXPECT_LT(p2, p3);
  EXPECT_EQ(body.rfind("5月28日,百色市召开乡村振兴工作推进会", p2), 0u) << body;
  EXPECT_EQ(body.substr(p2 - 1, 1), "\n");
  EXPECT_THAT(provenance, HasSubstr(" (joined 3 pages)"));

  // Damage the stored body: reextract restores it from all pages, with history.
  {
    sqlite3* raw = nullptr;
    sqlite3_open(db.c_str(), &raw);
    sqlite3_exec(raw, "UPDATE articles SET body = '只剩第一页', content_hash = 'x'", nullptr,
                 nullptr, nullptr);
    sqlite3_close(raw);
  }
  const Result second = run(t, "reextract --db news.db");
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.out, "reextract: 1 archived articles: 1 changed, 0 unchanged\n  body: 1\n");
  {
    auto s = Store::open(db, {.read_only = true});
    EXPECT_EQ(one(s.raw_handle(), "SELECT body FROM articles"), body);
    EXPECT_EQ(one(s.raw_handle(), "SELECT body FROM article_history ORDER BY version DESC"),
              "只剩第一页");
    EXPECT_EQ(rows(s.raw_handle(),
                   "SELECT p.page, r.url FROM article_pages p JOIN raw_pages r ON "
                   "r.id = p.raw_page_id ORDER BY p.page"),
              (Rows{{"1", kUrl}, {"2", kUrl2}, {"3", kUrl3}}));
  }
  // And now it is a no-op.
  const auto hash = file_hash(db);
  const Result third = run(t, "reextract --db news.db");
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_EQ(third.out, "reextract: 1 archived articles: 0 changed, 1 unchanged\n");
  EXPECT_EQ(file_hash(db), hash) << "a no-op reextract modified the database";
}

// A record joined from more pages than are linked (stored before schema 4, when only page 1
// was linked) is kept: page 1 alone would cut its body. The join is data (articles.page_count);
// a schema-6 database gets it, once, from the note the crawl wrote into the body's provenance.
TEST(CliTest, Spec_ReextractKeepsAJoinedArticleWhosePagesAreNotAllLinked) {
  TempDir t;
  const std::string db = t.file("news.db");
  {
    auto s = Store::open(db);
    auto b = s.begin_batch();
    const RawPage raw = raw_page(kUrl, page_html(1));
    auto page = sample_page();
    page.provenance["body"] = "content:density (joined 2 pages)";
    b.upsert_article("gxzx", kUrl, page, &raw);
    b.commit();
    EXPECT_EQ(one(s.raw_handle(), "SELECT page_count FROM articles"), "1")
        << "what was stored is one page, whatever the provenance text says";
  }
  // Back to schema 6 (no page_count): the migration reads the note.
  load_sql(db,
           "ALTER TABLE articles DROP COLUMN page_count; DROP TABLE crawl_seen; "
           "PRAGMA user_version = 6;");
  { EXPECT_EQ(one(Store::open(db).raw_handle(), "SELECT page_count FROM articles"), "2"); }
  const auto hash = file_hash(db);
  const Result r = run(t, "reextract --db news.db");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "reextract: 1 archived articles: 0 changed, 0 unchanged, 1 kept (joined from pages "
            "that are not all linked: recrawl to link them)\n");
  EXPECT_EQ(file_hash(db), hash);
}

TEST(CliTest, Policy_BadFilesExitOneWithTheFileNameAndKeepTheirBytes) {
  TempDir t;
  write_bytes(t.file("text.db"), std::string(300, 'x'));
  load_sql(t.file("other.db"), "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
  const std::string newer = make_db(t, "newer.db");
  load_sql(newer, "PRAGMA user_version = 9;");
  const std::string corrupt = make_db(t, "corrupt.db");
  {
    std::string bytes = read_bytes(corrupt);
    for (std::size_t i = 100; i < 8192 && i < bytes.size(); ++i)
      bytes[i] = static_cast<char>((i * 131) & 0xFF);
    write_bytes(corrupt, bytes);
  }
  struct Case {
    std::string file, args, message;
  };
  const std::vector<Case> cases = {
      {"text.db", "export --db text.db", "text.db: not a SQLite database"},
      {"other.db", "stats --db other.db", "other.db: not a newsharvest database"},
      {"newer.db", "reextract --db newer.db", "newer.db: database schema version 9 is newer"},
      {"newer.db", "export --db newer.db", "newer.db: database schema version 9 is newer"},
      {"corrupt.db", "stats --db corrupt.db", "corrupt.db: database file is corrupt"},
      {"corrupt.db", "reextract --db corrupt.db", "corrupt.db: database file is corrupt"},
      {"missing.db", "export --db missing.db", "missing.db: no such database file"},
  };
  for (const auto& c : cases) {
    const bool exists = std::filesystem::exists(t.file(c.file));
    const auto before = exists ? file_hash(t.file(c.file)) : 0;
    const Result r = run(t, c.args);
    EXPECT_EQ(r.code, 1) << c.args << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
    if (exists) EXPECT_EQ(file_hash(t.file(c.file)), before) << c.args;
    EXPECT_EQ(std::filesystem::exists(t.file(c.file)), exists) << c.args;
  }
}

TEST(CliTest, Policy_ReadOnlyFileExportsButRefusesReextract) {
  TempDir t;
  const std::string db = make_db(t);
  ::chmod(db.c_str(), 0444);
  const auto hash = file_hash(db);
  const Result ok = run(t, "export --db news.db --format csv");
  EXPECT_EQ(ok.code, 0) << ok.err;
  const Result refused = run(t, "reextract --db news.db");
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("news.db: database file is read-only"));
  EXPECT_EQ(file_hash(db), hash);
  ::chmod(db.c_str(), 0644);
}

TEST(CliTest, Policy_UsageErrorsExitTwo) {
  TempDir t;
  make_db(t);
  EXPECT_EQ(run(t, "export --db news.db --format xml").code, 2);
  const Result since = run(t, "export --db news.db --since 2021/05/01");
  EXPECT_EQ(since.code, 2);
  EXPECT_THAT(since.err, HasSubstr("--since wants a date YYYY-MM-DD"));
  EXPECT_EQ(run(t, "stats --db").code, 2);
  EXPECT_EQ(run(t, "reextract --db news.db --batch 0").code, 2);
}

}  // namespace
}  // namespace nh::store::test

namespace nh::store::test {
namespace {

// `extract FILE --db PATH` stores what it printed; re-running it is a no-op; a bad database is
// refused before anything is written.
TEST(CliTest, Spec_ExtractWithDbStoresTheRecord) {
  TempDir t;
  const std::string page = fixture_path("sample_page.html");
  const Result first = run(t, "extract '" + page + "' --url " + kUrl + " --site gxzx --db news.db");
  ASSERT_EQ(first.code, 0) << first.err;
  const auto printed = nlohmann::json::parse(first.out);
  {
    auto s = Store::open(t.file("news.db"));
    const auto a = s.find_article(kUrl);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->site_name, "gxzx");
    EXPECT_EQ(a->article.title, printed["title"].get<std::string>());
    EXPECT_EQ(a->article.body, printed["body"].get<std::string>());
    EXPECT_EQ(a->version, 1);
  }
  const Result again = run(t, "extract '" + page + "' --url " + kUrl + " --site gxzx --db news.db");
  ASSERT_EQ(again.code, 0) << again.err;
  auto s = Store::open(t.file("news.db"));
  EXPECT_EQ(s.find_article(kUrl)->version, 1);
  std::ofstream(t.file("junk.db")) << "not a database";
  const Result bad = run(t, "extract '" + page + "' --db junk.db");
  EXPECT_EQ(bad.code, 1);
  EXPECT_THAT(bad.err, HasSubstr("junk.db"));
}

}  // namespace
}  // namespace nh::store::test

namespace nh::store::test {
namespace search_cli {

// The corpus of search_test.cpp, in a file, indexed by `newsharvest index`.
std::string make_search_db(const TempDir& t) {
  const std::string path = t.file("search.db");
  auto s = Store::open(path);
  const std::pair<const char*, const char*> docs[] = {
      {"乡村振兴战略推进会召开", "市政协委员围绕乡村振兴建言献策。县里召开会议。"},
      {"政协常委会议", "全国政协委员会常委会第三次会议在京开幕。COVID-19疫苗接种工作。"},
      {"鄉村振興論壇", "香港舉行鄉村振興論壇,政協委員出席。"},
      {"Economy Report", "The economy grew 5% in Q1. 经济发展平稳。"},
      {"县域经济", "县域经济发展报告发布,全文共12页(摘要)。"},
      {"乡村的振兴之路", "委员们说,会议开得很好。"},
  };
  auto b = s.begin_batch();
  int n = 0;
  for (const auto& [title, body] : docs) {
    extract::Page p;
    p.article.title = title;
    p.article.body = body;
    p.article.published_at = "2024-03-0" + std::to_string(1 + n % 2);
    const int id = ++n;  // one statement: argument evaluation order is unspecified
    b.upsert_article(id < 3 ? "gxzx" : "demo",
                     "http://example.gov.cn/s/" + std::to_string(id) + ".html", p);
  }
  b.commit();
  return path;
}

std::set<std::string> lines_of(const std::string& out) {
  std::set<std::string> ids;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CSV line ends
    if (!line.empty()) ids.insert(line);
  }
  return ids;
}

std::set<std::string> newsharvest_ids(const TempDir& t, const std::string& q,
                                      const std::string& extra = "") {
  const Result r = run(t, "search --db search.db --limit 0 " + extra + " '" + q + "'");
  EXPECT_EQ(r.code, 0) << r.err;
  std::set<std::string> ids;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    ids.insert(std::to_string(nlohmann::json::parse(line)["id"].get<int>()));
  return ids;
}

}  // namespace search_cli

namespace {

TEST(CliTest, Spec_SearchPrintsRankedRecordsWithSnippets) {
  TempDir t;
  search_cli::make_search_db(t);
  // Not indexed yet: nothing found, and search says why.
  const Result before = run(t, "search --db search.db 政协");
  EXPECT_EQ(before.code, 0);
  EXPECT_EQ(before.out, "");
  EXPECT_THAT(before.err, HasSubstr("6 articles are not indexed yet"));
  EXPECT_THAT(run(t, "stats --db search.db").out,
              HasSubstr("search index: 6 articles not indexed yet"));
  const Result idx = run(t, "index --db search.db");
  EXPECT_EQ(idx.code, 0) << idx.err;
  EXPECT_EQ(idx.out, "index: 6 articles indexed, 0 pending\n");
  EXPECT_THAT(run(t, "stats --db search.db").out, HasSubstr("search index: up to date\n"));
  const Result r = run(t, "search --db search.db 政协 --limit 1");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["id"], 2);
  EXPECT_EQ(j["profile"], "gxzx");
  EXPECT_EQ(j["title"], "政协常委会议");
  EXPECT_EQ(j["published_date"], "2024-03-02");
  EXPECT_EQ(j["snippet"], "全国[政协]委员会常委会第三次会议在京开幕。COVID-19疫苗接种工作。");
  EXPECT_EQ(search_cli::newsharvest_ids(t, "乡村振兴"), (std::set<std::string>{"1", "3"}));
  EXPECT_EQ(search_cli::newsharvest_ids(t, "县", "--site demo"), (std::set<std::string>{"5"}));
  EXPECT_EQ(search_cli::newsharvest_ids(t, "政协", "--since 2024-03-02"),
            (std::set<std::string>{"2"}));
  EXPECT_EQ(search_cli::newsharvest_ids(t, "发布，全文共１２页（摘要）"),
            (std::set<std::string>{"5"}));
  const Result csv = run(t, "search --db search.db economy --format csv");
  EXPECT_THAT(csv.out,
              ::testing::StartsWith(
                  "id,profile,url,title,published_date,published_at,duplicate_of,score,snippet\r\n"
                  "4,demo,http://example.gov.cn/s/4.html,Economy Report,2024-03-02,2024-03-02,,"));
  EXPECT_THAT(csv.out, ::testing::EndsWith(",The [economy] grew 5% in Q1. 经济发展平稳。\r\n"));
  EXPECT_EQ(run(t, "search --db search.db '，。'").code, 2);  // nothing to search for
}

// sqlite-utils (Debian package sqlite-utils) finds the index of `articles` and returns the same
// rows as `newsharvest search` for the MATCH expression newsharvest prints — and for two-character
// words as typed, one character as the prefix query `县*`.
TEST(CliTest, Spec_SqliteUtilsSearchReturnsTheSameRows) {
  if (std::system("command -v sqlite-utils >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "sqlite-utils is not installed (Debian package sqlite-utils)";
  TempDir t;
  search_cli::make_search_db(t);
  ASSERT_EQ(run(t, "index --db search.db").code, 0);
  for (const std::string q : {"县", "政协", "委员会", "乡村振兴", "鄉村振興", "economy",
                              "COVID-19疫苗", "发布，全文共１２页（摘要）", "经济 发展"}) {
    const Result expr = run(t, "search --match-expression '" + q + "'");
    ASSERT_EQ(expr.code, 0) << expr.err;
    std::string match = expr.out.substr(0, expr.out.size() - 1);
    std::string quoted;  // for the shell: single quotes around, ' as '\''
    for (char c : match) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    const Result su = shell(
        t, "sqlite-utils search search.db articles '" + quoted + "' -c id --csv --no-headers");
    ASSERT_EQ(su.code, 0) << su.err;
    EXPECT_EQ(search_cli::lines_of(su.out), search_cli::newsharvest_ids(t, q)) << q;
  }
  for (const std::string q : {"县*", "政协", "经济"}) {  // typed as is (one character: a prefix)
    const Result su =
        shell(t, "sqlite-utils search search.db articles '" + q + "' -c id --csv --no-headers");
    ASSERT_EQ(su.code, 0) << su.err;
    const std::string word = q.back() == '*' ? q.substr(0, q.size() - 1) : q;
    EXPECT_EQ(search_cli::lines_of(su.out), search_cli::newsharvest_ids(t, word)) << q;
  }
}

}  // namespace
}  // namespace nh::store::test

namespace nh::store::test {
namespace {

// docs/SCHEMA.md "Datasette, sqlite-utils and pandas": every ```python doc-example block runs
// against a small database and prints exactly the ```text block that follows it.
TEST(CliTest, Spec_SchemaDocExamplesRunAndPrintWhatTheDocSays) {
  TempDir t;
  {
    auto s = Store::open(t.file("doc.db"));
    auto b = s.begin_batch();
    const std::string body =
        "市政协委员围绕乡村振兴建言献策,提出发展特色产业、完善基础设施、培养乡村人才等建议。"
        "会议指出,要坚持农业农村优先发展,扎实推进乡村全面振兴。";
    auto page = [&](const std::string& title, const std::string& text, const std::string& at) {
      extract::Page p;
      p.article.title = title;
      p.article.body = text;
      p.article.published_at = at;
      return p;
    };
    b.upsert_article("gxzx", "http://gxzx.test/1.html",
                     page("乡村振兴推进会在南宁召开", body, "2024-03-01T08:30:00+08:00"));
    b.upsert_article(
        "gxzx", "http://gxzx.test/2.html",
        page("政协常委会议", "全国政协常委会第三次会议在京开幕,审议有关报告。" + body.substr(0, 30),
             "2024-03-15"));
    b.upsert_article("demo", "http://demo.test/3.html",
                     page("乡村振兴推进会在南宁召开", body, "2024-03-02"));
    b.upsert_article("demo", "http://demo.test/4.html",
                     page("经济形势分析", "一季度经济运行总体平稳,主要指标好于预期。",
                          "2024-04-01T10:00:00+08:00"));
    b.commit();
    s.index_pending();
    ASSERT_EQ(one(s.raw_handle(), "SELECT duplicate_of FROM articles WHERE id = 3"), "1");
  }
  ASSERT_EQ(run(t, "export --db doc.db > export.jsonl").code, 0);
  // The first Python that has pandas (python3 on PATH may be another installation than
  // Debian's /usr/bin/python3, where the python3-pandas package installs it).
  std::string python = "python3";
  bool pandas = false;
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    if (std::system((std::string(py) + " -c 'import pandas' >/dev/null 2>&1").c_str()) == 0) {
      python = py;
      pandas = true;
      break;
    }
  }
  const std::string doc = read_bytes(std::string(NH_SCHEMA_DOC));
  const std::string open_code = "```python doc-example\n", open_text = "```text\n";
  int examples = 0, ran = 0;
  for (std::size_t at = doc.find(open_code); at != std::string::npos;
       at = doc.find(open_code, at + 1)) {
    ++examples;
    const std::size_t code_begin = at + open_code.size();
    const std::string code = doc.substr(code_begin, doc.find("```", code_begin) - code_begin);
    const std::size_t text_at = doc.find(open_text, code_begin);
    ASSERT_NE(text_at, std::string::npos);
    const std::size_t text_begin = text_at + open_text.size();
    const std::string expected = doc.substr(text_begin, doc.find("```", text_begin) - text_begin);
    if (code.find("pandas") != std::string::npos && !pandas) continue;
    write_bytes(t.file("example.py"), "db = 'doc.db'\nexport = 'export.jsonl'\n" + code);
    const Result r = shell(t, python + " example.py");
    EXPECT_EQ(r.code, 0) << code << r.err;
    EXPECT_EQ(r.out, expected) << code;
    ++ran;
  }
  EXPECT_EQ(examples, 3);
  if (ran < examples) GTEST_SKIP() << "pandas examples not run: python3-pandas is not installed";
}

}  // namespace
}  // namespace nh::store::test

namespace nh::store::test {
namespace {

// RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// A database the schema-4 release wrote (a crawl of the demo portal) opens, migrates to the
// current version keeping every row, and exports exactly what that release exported, plus the
// new keys and columns.
TEST(CliTest, Spec_V4DatabaseOfTheLastReleaseMigratesAndExportsIdentically) {
  TempDir t;
  load_sql(t.file("v4.db"), read_bytes(fixture_path("schema_v4.sql")));
  ASSERT_EQ(one_of_file(t.file("v4.db"), "PRAGMA user_version"), "4");
  const Result idx = run(t, "index --db v4.db");  // read-write open: migrates, then indexes
  ASSERT_EQ(idx.code, 0) << idx.err;
  EXPECT_EQ(idx.out, "index: 10 articles indexed, 0 pending\n");
  EXPECT_EQ(one_of_file(t.file("v4.db"), "PRAGMA user_version"), std::to_string(kSchemaVersion));
  // JSONL: each line is the old line with the join keys in front.
  const Result jl = run(t, "export --db v4.db");
  ASSERT_EQ(jl.code, 0) << jl.err;
  std::istringstream old_in(read_bytes(fixture_path("v4.export.jsonl"))), new_in(jl.out);
  std::string old_line, new_line;
  int n = 0;
  while (std::getline(old_in, old_line)) {
    ASSERT_TRUE(std::getline(new_in, new_line)) << "line " << n;
    ++n;
    auto j = nlohmann::ordered_json::parse(new_line);
    const auto old = nlohmann::ordered_json::parse(old_line);
    EXPECT_EQ(j["id"], n);
    EXPECT_EQ(j["profile"], "demo");
    const std::string at = old["published_at"].get<std::string>();
    EXPECT_EQ(j["published_date"], at.substr(0, 10));
    EXPECT_EQ(j["published_time"], at.size() > 10 ? nlohmann::ordered_json(at.substr(11, 8))
                                                  : nlohmann::ordered_json(nullptr));
    EXPECT_EQ(j["duplicate_of"],
              one_of_file(t.file("v4.db"),
                          "SELECT coalesce(duplicate_of, 'null') FROM articles WHERE id = " +
                              std::to_string(n)) == "null"
                  ? nlohmann::ordered_json(nullptr)
                  : nlohmann::ordered_json(std::stoi(one_of_file(
                        t.file("v4.db"),
                        "SELECT duplicate_of FROM articles WHERE id = " + std::to_string(n)))));
    for (const char* k : {"id", "duplicate_of", "profile", "published_date", "published_time"})
      j.erase(k);
    EXPECT_EQ(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), old_line)
        << "line " << n;
  }
  EXPECT_EQ(n, 10);
  EXPECT_FALSE(std::getline(new_in, new_line));
  // CSV: every old column, by name, holds exactly what it held.
  const Result cs = run(t, "export --db v4.db --format csv");
  ASSERT_EQ(cs.code, 0) << cs.err;
  const auto old_rows = csv_rows(read_bytes(fixture_path("v4.export.csv")));
  const auto new_rows = csv_rows(cs.out);
  ASSERT_EQ(new_rows.size(), old_rows.size());
  for (std::size_t c = 0; c < old_rows[0].size(); ++c) {
    const auto it = std::find(new_rows[0].begin(), new_rows[0].end(), old_rows[0][c]);
    ASSERT_NE(it, new_rows[0].end()) << old_rows[0][c];
    const auto nc = static_cast<std::size_t>(it - new_rows[0].begin());
    for (std::size_t r = 1; r < old_rows.size(); ++r)
      EXPECT_EQ(new_rows[r][nc], old_rows[r][c]) << old_rows[0][c] << " row " << r;
  }
  // content_hash is computed as the release computed it: storing each exported record again
  // changes nothing (no new version, no history row).
  {
    auto store = Store::open(t.file("v4.db"));
    auto b = store.begin_batch();
    std::istringstream again(jl.out);
    for (std::string line; std::getline(again, line);) {
      const auto j = nlohmann::json::parse(line);
      extract::Page p;
      p.article = extract::article_from_json(j);  // the exported record, read back as stored
      EXPECT_EQ(b.upsert_article("demo", j["url"].get<std::string>(), p).outcome, Upsert::unchanged)
          << j["url"];
    }
    b.commit();
    EXPECT_EQ(one(store.raw_handle(), "SELECT count(*) FROM article_history"), "0");
  }
  // And the migrated file is searchable at every word length.
  EXPECT_EQ(run(t, "search --db v4.db 政协 --limit 0 | wc -l").out,
            one_of_file(t.file("v4.db"),
                        "SELECT count(*) FROM articles WHERE title LIKE '%政协%' OR body LIKE "
                        "'%政协%'") +
                "\n");
}

// A database the schema-5 release wrote and indexed (its terms held every Han character as a
// unigram, its index used unicode61) migrates to the current version: every row kept, the
// export byte for byte what that release exported, and the whole file re-indexed in the new
// form, so search finds what the text holds at every word length.
TEST(CliTest, Spec_V5DatabaseOfTheLastReleaseMigratesReindexesAndExportsIdentically) {
  TempDir t;
  load_sql(t.file("v5.db"), read_bytes(fixture_path("schema_v5.sql")));
  ASSERT_EQ(one_of_file(t.file("v5.db"), "PRAGMA user_version"), "5");
  ASSERT_EQ(one_of_file(t.file("v5.db"),
                        "SELECT count(*) FROM articles WHERE body_terms LIKE "
                        "'%' || char(10) || '%'"),
            "10");  // the schema-5 unigram section
  const std::string v5_terms =
      one_of_file(t.file("v5.db"), "SELECT sum(length(body_terms)) FROM articles");
  const Result idx = run(t, "index --db v5.db");
  ASSERT_EQ(idx.code, 0) << idx.err;
  EXPECT_EQ(idx.out, "index: 10 articles indexed, 0 pending\n");
  EXPECT_EQ(one_of_file(t.file("v5.db"), "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(run(t, "export --db v5.db").out, read_bytes(fixture_path("v5.export.jsonl")));
  EXPECT_EQ(run(t, "export --db v5.db --format csv").out,
            read_bytes(fixture_path("v5.export.csv")));
  EXPECT_EQ(
      one_of_file(t.file("v5.db"), "SELECT count(*) FROM articles WHERE indexed_version = version"),
      "10");
  // Re-indexed in the new form: a tail per run instead of every character a second time.
  EXPECT_LT(
      std::stoll(one_of_file(t.file("v5.db"), "SELECT sum(length(body_terms)) FROM articles")),
      std::stoll(v5_terms));
  for (const std::string q : {"县", "政协", "委员会"}) {
    const std::string like =
        one_of_file(t.file("v5.db"), "SELECT count(*) FROM articles WHERE title LIKE '%" + q +
                                         "%' OR body LIKE '%" + q + "%'");
    EXPECT_EQ(run(t, "search --db v5.db " + q + " --limit 0 | wc -l").out, like + "\n") << q;
  }
}

}  // namespace
}  // namespace nh::store::test
