// One ingest path (issue 14, crawler/ingest.h): the same article page stored by a crawl, by
// `fetch --db`, by `extract --db` and rebuilt by `reextract` gives the same row — same key
// (the page's canonical URL, not the URL it was reached by), same fields, the profile's section
// fallback, same provenance, same page count. Runs the newsharvest binary against a loopback
// server; the profile is found through $NEWSHARVEST_SITES like any user's.
#include <sqlite3.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "tests/crawler/loopback_server.h"
#include "tests/store/helpers.h"

namespace nh::crawler {
namespace {

using store::test::load_sql;
using store::test::Rows;
using store::test::TempDir;
using testing::HttpRequest;
using testing::LoopbackServer;
using testing::Reply;

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

struct Result {
  int code = -1;
  std::string out;
};

// The binary with a shell line of arguments, in t's directory, with the profiles in t/sites.
Result run(const TempDir& t, const std::string& args) {
  const std::string cmd = "cd '" + t.dir.string() + "' && NEWSHARVEST_SITES='" + t.file("sites") +
                          "' '" + NH_BINARY + "' " + args + " 2>&1";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// store::test::rows() on a database file, through its own connection.
Rows rows(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  return store::test::rows(db.get(), sql);
}

// The stored record: everything of the row but ids, timestamps and versions.
const char* const kRecord =
    "SELECT s.name, a.url, a.site, a.title, a.subtitle, a.published_at, a.reporters, a.section, "
    "a.source, a.body, a.provenance, a.page_count, "
    "(SELECT group_concat(name || '/' || role, ';') FROM contributors c WHERE c.article_id = a.id) "
    "FROM articles a JOIN sites s ON s.id = a.site_id ORDER BY a.url";

// An article page with no section of its own (the profile's sections supply it), reached by a
// URL with a query and declaring its canonical URL without it.
std::string article_page() {
  std::string paras;
  for (int i = 1; i <= 4; ++i)
    paras += "<p>市政协委员围绕乡村振兴开展专题调研，走访了多个村镇，提出了具体建议。第" +
             std::to_string(i) + "段。</p>\n";
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>调研乡村振兴 - 测试网</title>"
         "<link rel=\"canonical\" href=\"/a/20210526/1.html\"></head><body>"
         "<h1>政协委员调研乡村振兴</h1><div class=\"info\">2021-05-26 09:30 来源：测试日报 "
         "记者 张三 通讯员 李四</div><div class=\"content\">" +
         paras + "</div></body></html>";
}

TEST(Ingest, Spec_CrawlFetchExtractAndReextractStoreTheSameRow) {
  const std::string page = article_page();
  LoopbackServer server([&](const HttpRequest& r) {
    Reply reply;
    // No charset in the header: the page's <meta> declares it on every path (a saved file
    // has no header to read it from).
    reply.headers = {{"Content-Type", "text/html"}};
    if (r.target == "/robots.txt") {
      reply.headers = {{"Content-Type", "text/plain"}};
      reply.body = "User-agent: *\nAllow: /\n";
    } else if (r.target == "/") {
      reply.body = "<html><body><a href=\"/a/20210526/1.html?from=home\">调研</a></body></html>";
    } else if (r.target == "/a/20210526/1.html?from=home" || r.target == "/a/20210526/1.html") {
      reply.body = page;
    } else {
      reply.status = 404;
    }
    return reply;
  });
  TempDir t;
  std::filesystem::create_directories(t.file("sites"));
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  write_file(t.file("sites/ingest.toml"), "name = \"ingest\"\nseeds = [\"" + origin +
                                              "/\"]\n"
                                              "[[sections]]\nname = \"要闻\"\nurl = \"" +
                                              origin +
                                              "/\"\npattern = '/a/\\d{8}/'\n"
                                              "[urls]\narticle = ['/a/\\d{8}/\\d+\\.html']\n"
                                              "[politeness]\ndelay_ms = 0\n"
                                              "[drift]\nmin_article_links_per_list_page = 0\n"
                                              "[connect]\nallow_private = true\n");
  const std::string url = origin + "/a/20210526/1.html?from=home";

  Result r = run(t, "crawl --site ingest --db crawl.db --quiet");
  ASSERT_EQ(r.code, 0) << r.out;
  r = run(t, "fetch '" + url + "' --site ingest --db fetch.db");
  ASSERT_EQ(r.code, 0) << r.out;
  write_file(t.file("page.html"), page);
  r = run(t, "extract page.html --url '" + url + "' --site ingest --db extract.db");
  ASSERT_EQ(r.code, 0) << r.out;
  // reextract: the crawled database with the record spoiled (and its hash with it).
  std::filesystem::copy_file(t.file("crawl.db"), t.file("reextract.db"));
  load_sql(t.file("reextract.db"),
           "UPDATE articles SET title = 'x', section = NULL, reporters = '[]', content_hash = '0'");
  r = run(t, "reextract --db reextract.db");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("1 changed"), std::string::npos) << r.out;

  const Rows crawled = rows(t.file("crawl.db"), kRecord);
  ASSERT_EQ(crawled.size(), 1u);
  EXPECT_EQ(crawled[0][0], "ingest");
  EXPECT_EQ(crawled[0][1], origin + "/a/20210526/1.html") << "stored under its canonical URL";
  EXPECT_EQ(crawled[0][3], "政协委员调研乡村振兴");
  EXPECT_EQ(crawled[0][7], "要闻") << "the profile's section";
  EXPECT_EQ(crawled[0][11], "1");
  for (const char* db : {"fetch.db", "extract.db", "reextract.db"})
    EXPECT_EQ(rows(t.file(db), kRecord), crawled) << db;
}

}  // namespace
}  // namespace nh::crawler
