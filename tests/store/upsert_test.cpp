// Article upsert, history, FTS, near-duplicates, views: in-memory databases, exact rows.
#include <gtest/gtest.h>

#include <span>

#include "helpers.h"

namespace nh::store::test {
namespace {

constexpr std::int64_t kT0 = 1700000000;  // 2023-11-14T22:13:20Z

class StoreTest : public ::testing::Test {
 protected:
  std::int64_t now = kT0;
  Store store = Store::open(":memory:", OpenOptions{.clock = [this] { return now; }});
  sqlite3* db() { return store.raw_handle(); }

  UpsertResult put(const std::string& site, const std::string& url, const extract::Page& p,
                   const RawPage* raw = nullptr, std::span<const RawPage> more = {}) {
    auto b = store.begin_batch();
    auto r = b.upsert_article(site, url, p, raw, more);
    b.commit();
    return r;
  }
};

const std::string kUrl = "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345.html";

TEST_F(StoreTest, Spec_InsertStoresEveryRecordFieldAsColumns) {
  const auto r = put("gxzx", kUrl, sample_page());
  EXPECT_EQ(r.outcome, Upsert::inserted);
  EXPECT_EQ(r.article_id, 1);
  EXPECT_EQ(rows(db(),
                 "SELECT a.url, s.name, a.final_url, a.site, a.section, a.title, a.subtitle, "
                 "a.published_at, a.published_date, a.reporters, a.source, a.body IS NOT NULL, "
                 "a.language, a.charset, a.provenance, a.version, a.first_seen_at, a.updated_at, "
                 "a.raw_page_id, a.run_id, a.duplicate_of FROM articles a JOIN sites s ON "
                 "s.id = a.site_id"),
            (Rows{{kUrl,
                   "gxzx",
                   kUrl,
                   "广西政协报新闻中心",
                   "时政动态",
                   "互学互促共提升",
                   "百色市全市政协主席工作经验交流会侧记",
                   "2021-05-26",
                   "2021-05-26",
                   "[\"黄富强\"]",
                   "NULL",
                   "1",
                   "zh",
                   "utf-8",
                   "{\"body\":\"content:density\",\"published_at\":\"text:date\",\"section\":"
                   "\"breadcrumb\",\"title\":\"h1\"}",
                   "1",
                   "2023-11-14T22:13:20Z",
                   "2023-11-14T22:13:20Z",
                   "NULL",
                   "NULL",
                   "NULL"}}));
  EXPECT_EQ(one(db(), "SELECT body FROM articles"), *sample_page().article.body);
  EXPECT_EQ(
      rows(db(), "SELECT article_id, position, name, role FROM contributors ORDER BY position"),
      (Rows{{"1", "0", "黄富强", "reporter"}, {"1", "1", "农喜养", "correspondent"}}));
  // And back out through the API, field for field.
  const auto back = store.find_article(kUrl);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->article, sample_page().article);
  EXPECT_EQ(back->provenance, sample_page().provenance);
  EXPECT_EQ(back->site_name, "gxzx");
}

TEST_F(StoreTest, Spec_PublishedDateIsTheLocalCalendarDate) {
  EXPECT_EQ(published_date("2021-05-26"), "2021-05-26");
  EXPECT_EQ(published_date("2021-05-26T23:30:00+08:00"), "2021-05-26");
  EXPECT_EQ(published_date("2021-05-26 09:30"), "2021-05-26");
  EXPECT_EQ(published_date("26/05/2021"), std::nullopt);
  EXPECT_EQ(published_date("2021-5-26"), std::nullopt);
  auto p = sample_page();
  p.article.published_at = "2021-05-26T23:30:00+08:00";
  put("gxzx", kUrl, p);
  EXPECT_EQ(rows(db(), "SELECT published_at, published_date FROM articles"),
            (Rows{{"2021-05-26T23:30:00+08:00", "2021-05-26"}}));
}

TEST_F(StoreTest, Spec_SameCanonicalUrlNeverMakesTwoArticles) {
  put("gxzx", kUrl, sample_page());
  auto p = sample_page();
  p.article.title = "互学互促共提升(更新)";
  put("gxzx", kUrl, p);
  put("gxzx", kUrl, p);
  EXPECT_EQ(one(db(), "SELECT count(*) FROM articles"), "1");
}

TEST_F(StoreTest, Spec_UnchangedContentIsANoOp) {
  put("gxzx", kUrl, sample_page());
  const int before = sqlite3_total_changes(db());
  now += 3600;
  auto p = sample_page();
  p.provenance["title"] = "meta:ArticleTitle";  // how, not what: not a change
  const auto r = put("gxzx", kUrl, p);
  EXPECT_EQ(r.outcome, Upsert::unchanged);
  EXPECT_EQ(r.article_id, 1);
  EXPECT_EQ(sqlite3_total_changes(db()), before) << "a no-op upsert wrote rows";
  EXPECT_EQ(rows(db(), "SELECT version, updated_at FROM articles"),
            (Rows{{"1", "2023-11-14T22:13:20Z"}}));
  EXPECT_EQ(one(db(), "SELECT count(*) FROM article_history"), "0");
}

TEST_F(StoreTest, Spec_ChangedContentUpdatesInPlaceAndKeepsPreviousVersion) {
  put("gxzx", kUrl, sample_page());
  now += 86400;
  auto p = sample_page();
  p.article.title = "互学互促 共提升";
  p.article.contributors.pop_back();
  const auto r = put("gxzx", kUrl, p);
  EXPECT_EQ(r.outcome, Upsert::updated);
  EXPECT_EQ(r.article_id, 1);
  EXPECT_EQ(r.changed_fields, (std::vector<std::string>{"title", "contributors"}));
  EXPECT_EQ(rows(db(), "SELECT id, title, version, first_seen_at, updated_at FROM articles"),
            (Rows{{"1", "互学互促 共提升", "2", "2023-11-14T22:13:20Z", "2023-11-15T22:13:20Z"}}));
  EXPECT_EQ(rows(db(), "SELECT name, role FROM contributors ORDER BY position"),
            (Rows{{"黄富强", "reporter"}}));
  EXPECT_EQ(rows(db(),
                 "SELECT article_id, version, replaced_at, updated_at, title, reporters, "
                 "contributors, published_date FROM article_history"),
            (Rows{{"1", "1", "2023-11-15T22:13:20Z", "2023-11-14T22:13:20Z", "互学互促共提升",
                   "[\"黄富强\"]",
                   "[{\"name\":\"黄富强\",\"role\":\"reporter\"},{\"name\":\"农喜养\",\"role\":"
                   "\"correspondent\"}]",
                   "2021-05-26"}}));
}

TEST_F(StoreTest, Spec_FullTextSearchFindsChineseAndFollowsUpdates) {
  put("gxzx", kUrl, sample_page());
  put("demo", "http://example.gov.cn/a/1.html", synthetic_page(1));
  EXPECT_EQ(store.index_pending(), 2);
  EXPECT_EQ(rows(db(),
                 "SELECT a.url FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                 "WHERE articles_fts MATCH '\"政协 协委 委员\"'"),
            (Rows{{kUrl}}));
  EXPECT_EQ(rows(db(),
                 "SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                 "'title_terms:\"互学 学互 互促\"'"),
            (Rows{{"1"}}));
  auto p = sample_page();
  p.article.title = "经验交流会侧记";
  put("gxzx", kUrl, p);
  EXPECT_EQ(store.index_pending(), 1);
  EXPECT_EQ(rows(db(),
                 "SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                 "'title_terms:\"互学 学互 互促\"'"),
            Rows{});
  EXPECT_EQ(rows(db(),
                 "SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                 "'title_terms:\"交流 流会\"'"),
            (Rows{{"1"}}));
  // The external-content index agrees with the table it indexes.
  EXPECT_NO_THROW(
      rows(db(), "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"));
}

// Many articles indexed in one catch-up: phrase queries and title queries stay exact.
TEST_F(StoreTest, Spec_BulkIndexingKeepsQueriesExact) {
  {
    auto b = store.begin_batch();
    b.upsert_article("gxzx", kUrl, sample_page());
    for (int i = 1; i <= 300; ++i)
      b.upsert_article("demo", "http://example.gov.cn/a/" + std::to_string(i) + ".html",
                       synthetic_page(i));
    b.commit();
  }
  EXPECT_EQ(store.index_pending(-1, 64), 301);
  EXPECT_EQ(rows(db(),
                 "SELECT rowid FROM articles_fts WHERE articles_fts MATCH "
                 "'\"政协 协委 委员\"'"),
            (Rows{{"1"}}));
  EXPECT_EQ(rows(db(), "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '\"编号 217\"'"),
            (Rows{{"218"}}));
  EXPECT_EQ(rows(db(),
                 "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH "
                 "'title_terms:\"号文 文章\"'"),
            (Rows{{"300"}}));
  EXPECT_NO_THROW(
      rows(db(), "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"));
}

// Templated notices (the same text but for a date or a number, each with its own headline)
// are different articles, not reprints. Found by the demo-portal crawl.
TEST_F(StoreTest, Policy_TemplatedNoticesWithOtherHeadlinesAreNotDuplicates) {
  auto first = sample_page();
  first.article.title = "关于召开2021年第二季度委员学习会的通知";
  put("demo", "http://example.gov.cn/tzgg/1.html", first);
  auto second = sample_page();
  second.article.title = "关于召开2021年第三季度委员学习会的通知";
  std::string body = *second.article.body;
  body.replace(body.find("12月3日"), std::string("12月3日").size(), "9月8日");
  second.article.body = body;
  const auto r = put("demo", "http://example.gov.cn/tzgg/2.html", second);
  EXPECT_EQ(r.duplicate_of, std::nullopt);
  // The same headline with a site suffix is still the same story.
  auto reprint = first;
  reprint.article.title = "关于召开2021年第二季度委员学习会的通知_转载";
  EXPECT_EQ(put("other", "http://other.cn/1.html", reprint).duplicate_of, 1);
}

// More templated notices than the duplicate check reads per band (kCandidatesPerBand): a
// reprint of a late one under its own headline is still found (the exact fingerprint and
// headline seek), and the notices among themselves stay originals.
TEST_F(StoreTest, Policy_ReprintOfTheHundredthTemplatedNoticeIsFound) {
  auto notice = [](int i) {
    auto p = sample_page();
    p.article.title = "关于第" + std::to_string(i) + "号事项的公示";
    return p;
  };
  {
    auto b = store.begin_batch();
    for (int i = 1; i <= 100; ++i)
      EXPECT_EQ(b.upsert_article("demo", "http://example.gov.cn/gs/" + std::to_string(i), notice(i))
                    .duplicate_of,
                std::nullopt);
    b.commit();
  }
  EXPECT_EQ(put("other", "http://other.cn/gs/90.html", notice(90)).duplicate_of, 90);
}

TEST_F(StoreTest, Spec_NearDuplicateReprintLinksToFirstCopy) {
  put("gxzx", kUrl, sample_page());
  // 转载: another site, other URL, punctuation and spacing changed, a reprint note added.
  auto reprint = sample_page();
  std::string body = *reprint.article.body;
  for (std::size_t pos; (pos = body.find("。")) != std::string::npos;) body.replace(pos, 3, ". ");
  body = "(转载自广西政协报)\n" + body;
  reprint.article.body = body;
  reprint.article.site = "百色新闻网";
  const auto r2 = put("bsnews", "http://www.bsxww.com/2021/0527/1.html", reprint);
  EXPECT_EQ(r2.duplicate_of, 1);
  // A reprint of the reprint still points at the first copy.
  auto third = reprint;
  third.article.body = *reprint.article.body + "\n(责任编辑:某某)";
  const auto r3 = put("other", "http://news.other.cn/3.html", third);
  EXPECT_EQ(r3.duplicate_of, 1);
  // Different stories are not linked; too-short bodies get no fingerprint.
  put("demo", "http://example.gov.cn/a/1.html", synthetic_page(1));
  auto tiny = synthetic_page(2);
  tiny.article.body = "通知";
  put("demo", "http://example.gov.cn/a/2.html", tiny);
  EXPECT_EQ(rows(db(), "SELECT id, duplicate_of, simhash IS NULL FROM articles ORDER BY id"),
            (Rows{{"1", "NULL", "0"},
                  {"2", "1", "0"},
                  {"3", "1", "0"},
                  {"4", "NULL", "0"},
                  {"5", "NULL", "1"}}));
  EXPECT_EQ(rows(db(), "SELECT id, site, original_id, original_site FROM duplicates ORDER BY id"),
            (Rows{{"2", "bsnews", "1", "gxzx"}, {"3", "other", "1", "gxzx"}}));
  // Nothing was dropped.
  EXPECT_EQ(one(db(), "SELECT count(*) FROM articles"), "5");
}

// A reprint crawled before its original: when the original (published earlier) arrives, it
// becomes the first copy and every reprint points at it. Same-day copies keep the first stored.
TEST_F(StoreTest, Spec_EarliestPublishedCopyIsTheOriginal) {
  auto reprint = sample_page();
  reprint.article.published_at = "2021-05-28T09:00:00+08:00";
  reprint.article.body = "(转载自广西政协报)\n" + *reprint.article.body;
  put("bsnews", "http://www.bsxww.com/2021/0528/1.html", reprint);
  auto second_reprint = reprint;
  second_reprint.article.published_at = "2021-05-29";
  put("other", "http://news.other.cn/3.html", second_reprint);
  auto original = sample_page();
  original.article.published_at = "2021-05-26T10:23:00+08:00";
  const auto r = put("gxzx", kUrl, original);
  EXPECT_EQ(r.article_id, 3);
  EXPECT_EQ(r.duplicate_of, std::nullopt);
  EXPECT_EQ(rows(db(), "SELECT id, duplicate_of FROM articles ORDER BY id"),
            (Rows{{"1", "3"}, {"2", "3"}, {"3", "NULL"}}));
  EXPECT_EQ(rows(db(), "SELECT id, original_id, original_site FROM duplicates ORDER BY id"),
            (Rows{{"1", "3", "gxzx"}, {"2", "3", "gxzx"}}));
  // Another copy of the same day as the original: the original stays.
  auto same_day = original;
  same_day.article.body = *original.article.body + "\n(责任编辑:某某)";
  EXPECT_EQ(put("daily", "http://daily.example.cn/1.html", same_day).duplicate_of, 3);
  // A copy without a date never takes over.
  auto undated = original;
  undated.article.published_at.reset();
  undated.article.body = *original.article.body + "\n(来源:百色日报)";
  EXPECT_EQ(put("undated", "http://undated.example.cn/1.html", undated).duplicate_of, 3);
  EXPECT_EQ(one(db(), "SELECT count(*) FROM articles WHERE duplicate_of IS NULL"), "1");
}

TEST_F(StoreTest, Spec_SimHashToleratesSmallEditsAndSeparatesStories) {
  const std::string body = *sample_page().article.body;
  const auto a = simhash64(body);
  const auto b = simhash64(body + "\n(来源:百色日报)");
  const auto c = simhash64(*synthetic_page(7).article.body);
  ASSERT_TRUE(a && b && c);
  EXPECT_LE(hamming(*a, *b), kNearDuplicateBits);
  EXPECT_GT(hamming(*a, *c), kNearDuplicateBits);
  EXPECT_EQ(simhash64("太短"), std::nullopt);
  for (int i = 0; i < 50; ++i)
    for (int j = i + 1; j < 50; ++j)
      EXPECT_GT(hamming(*simhash64(*synthetic_page(i).article.body),
                        *simhash64(*synthetic_page(j).article.body)),
                kNearDuplicateBits)
          << i << " vs " << j;
}

TEST_F(StoreTest, Spec_AnalystViews) {
  put("gxzx", kUrl, sample_page());
  auto b = store.begin_batch();
  for (int n = 1; n <= 4; ++n) {
    auto p = synthetic_page(n, n % 2 ? "要闻" : "政务");
    p.article.published_at = n <= 2 ? "2024-03-01" : "2024-03-02T10:00:00+08:00";
    if (n == 4) {
      p.article.reporters.clear();
      p.article.title.reset();
    }
    b.upsert_article("demo", "http://example.gov.cn/a/" + std::to_string(n) + ".html", p);
  }
  b.commit();
  EXPECT_EQ(
      rows(db(), "SELECT site, day, articles FROM articles_per_site_day ORDER BY 1, 2"),
      (Rows{
          {"demo", "2024-03-01", "2"}, {"demo", "2024-03-02", "2"}, {"gxzx", "2021-05-26", "1"}}));
  EXPECT_EQ(rows(db(), "SELECT site, section, articles FROM articles_per_section ORDER BY 1, 2"),
            (Rows{{"demo", "政务", "2"}, {"demo", "要闻", "2"}, {"gxzx", "时政动态", "1"}}));
  EXPECT_EQ(rows(db(), "SELECT site, reporter, articles FROM articles_per_reporter ORDER BY 1, 2"),
            (Rows{{"demo", "记者0", "1"},
                  {"demo", "记者1", "1"},
                  {"demo", "记者2", "1"},
                  {"gxzx", "黄富强", "1"}}));
  EXPECT_EQ(rows(db(),
                 "SELECT site, articles, title, subtitle, published_at, reporters, section, "
                 "source, body, duplicates FROM fill_rates ORDER BY site"),
            (Rows{{"demo", "4", "0.75", "0.0", "1.0", "0.75", "1.0", "0.0", "1.0", "0"},
                  {"gxzx", "1", "1.0", "1.0", "1.0", "1.0", "1.0", "0.0", "1.0", "0"}}));
}

TEST_F(StoreTest, Spec_BatchWithoutCommitRollsBack) {
  {
    auto b = store.begin_batch();
    b.upsert_article("gxzx", kUrl, sample_page());
    b.enqueue({"http://www.gxzx.gov.cn/list.html", "gxzx", "list", 0});
  }
  EXPECT_EQ(one(db(),
                "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM sites) + "
                "(SELECT count(*) FROM frontier) + (SELECT count(*) FROM contributors)"),
            "0");
  // The rolled-back site is not remembered: the next batch creates it again.
  const auto r = put("gxzx", kUrl, sample_page());
  EXPECT_EQ(r.outcome, Upsert::inserted);
  EXPECT_EQ(rows(db(), "SELECT id, name FROM sites"), (Rows{{"1", "gxzx"}}));
  EXPECT_THROW(
      {
        auto b1 = store.begin_batch();
        auto b2 = store.begin_batch();
      },
      StoreError);
}

TEST_F(StoreTest, Spec_RawPageArchivedCompressedOnceAndLinked) {
  RawPage raw;
  raw.url = kUrl;
  raw.status = 200;
  raw.content_type = "text/html; charset=utf-8";
  raw.etag = "\"abc\"";
  raw.last_modified = "Wed, 26 May 2021 01:00:00 GMT";
  raw.charset = "utf-8";
  for (int i = 0; i < 200; ++i) raw.bytes += "<p>互学互促共提升 政协委员</p>\n";
  put("gxzx", kUrl, sample_page(), &raw);
  now += 60;
  put("gxzx", kUrl, sample_page(), &raw);  // same bytes: no second copy
  EXPECT_EQ(rows(db(),
                 "SELECT id, url, final_url, status, content_type, etag, last_modified, "
                 "charset, fetched_at, last_seen_at, size, length(body) < size / 10, "
                 "length(content_hash) FROM raw_pages"),
            (Rows{{"1", kUrl, kUrl, "200", "text/html; charset=utf-8", "\"abc\"",
                   "Wed, 26 May 2021 01:00:00 GMT", "utf-8", "2023-11-14T22:13:20Z",
                   "2023-11-14T22:14:20Z", std::to_string(raw.bytes.size()), "1", "16"}}));
  EXPECT_EQ(one(db(), "SELECT raw_page_id FROM articles"), "1");
  const auto pages = store.archived_pages(std::nullopt, 0, 10);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].pages.size(), 1u);
  EXPECT_EQ(pages[0].pages[0].bytes, raw.bytes);
  EXPECT_EQ(pages[0].pages[0].content_type, raw.content_type);
  // New bytes with unchanged content: archived, and the article points at the latest bytes
  // without an updated_at bump.
  raw.bytes += "<!-- ad rotated -->";
  put("gxzx", kUrl, sample_page(), &raw);
  EXPECT_EQ(rows(db(), "SELECT raw_page_id, version, updated_at FROM articles"),
            (Rows{{"2", "1", "2023-11-14T22:13:20Z"}}));
  // ... and its only linked page follows.
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages"),
            (Rows{{"1", "1", "2"}}));
}

RawPage raw_of(const std::string& url, const std::string& bytes) {
  RawPage r;
  r.url = url;
  r.status = 200;
  r.content_type = "text/html; charset=utf-8";
  r.bytes = bytes;
  return r;
}

const std::string kUrl2 = "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345_2.html";
const std::string kUrl3 = "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345_3.html";

TEST_F(StoreTest, Spec_SinglePageArticleLinksItsRawPageAsPage1) {
  const RawPage raw = raw_of(kUrl, "<p>page one</p>");
  put("gxzx", kUrl, sample_page(), &raw);
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages"),
            (Rows{{"1", "1", "1"}}));
  // Without a raw page an article has no linked pages (and upserting without one later keeps
  // the links it has).
  put("gxzx", "http://www.gxzx.gov.cn/other.html", synthetic_page(1));
  EXPECT_EQ(one(db(), "SELECT count(*) FROM article_pages WHERE article_id = 2"), "0");
  auto changed = sample_page();
  changed.article.title = "改过的标题";
  EXPECT_EQ(put("gxzx", kUrl, changed).outcome, Upsert::updated);
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages"),
            (Rows{{"1", "1", "1"}}));
}

TEST_F(StoreTest, Spec_MultiPageArticleLinksEveryPageInOrder) {
  const RawPage raw = raw_of(kUrl, "<p>page one</p>");
  // Page 3 archived first (as a crawl may), so raw_pages ids differ from the page order.
  {
    auto b = store.begin_batch();
    EXPECT_EQ(b.store_raw_page("gxzx", raw_of(kUrl3, "<p>page three</p>")), 1);
    b.commit();
  }
  const std::vector<RawPage> more{raw_of(kUrl2, "<p>page two</p>"),
                                  raw_of(kUrl3, "<p>page three</p>")};
  const auto r = put("gxzx", kUrl, sample_page(), &raw, more);
  EXPECT_EQ(r.outcome, Upsert::inserted);
  EXPECT_EQ(rows(db(), "SELECT id, url FROM raw_pages ORDER BY id"),
            (Rows{{"1", kUrl3}, {"2", kUrl}, {"3", kUrl2}}));
  EXPECT_EQ(one(db(), "SELECT raw_page_id FROM articles"), "2");
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages ORDER BY 1, 2"),
            (Rows{{"1", "1", "2"}, {"1", "2", "3"}, {"1", "3", "1"}}));
  // archived_pages hands reextract every page in order.
  const auto archived = store.archived_pages(std::nullopt, 0, 10);
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(archived[0].url, kUrl);
  ASSERT_EQ(archived[0].pages.size(), 3u);
  EXPECT_EQ(archived[0].pages[0].url, kUrl);
  EXPECT_EQ(archived[0].pages[0].final_url, kUrl);
  EXPECT_EQ(archived[0].pages[0].bytes, "<p>page one</p>");
  EXPECT_EQ(archived[0].pages[1].url, kUrl2);
  EXPECT_EQ(archived[0].pages[1].bytes, "<p>page two</p>");
  EXPECT_EQ(archived[0].pages[2].url, kUrl3);
  EXPECT_EQ(archived[0].pages[2].bytes, "<p>page three</p>");
  EXPECT_EQ(archived[0].pages[2].content_type, "text/html; charset=utf-8");
}

TEST_F(StoreTest, Spec_ReUpsertWithTheSamePagesWritesNothing) {
  const RawPage raw = raw_of(kUrl, "<p>page one</p>");
  const std::vector<RawPage> more{raw_of(kUrl2, "<p>page two</p>"),
                                  raw_of(kUrl3, "<p>page three</p>")};
  put("gxzx", kUrl, sample_page(), &raw, more);
  const auto before = sqlite3_total_changes(db());
  now += 60;
  const auto r = put("gxzx", kUrl, sample_page(), &raw, more);
  EXPECT_EQ(r.outcome, Upsert::unchanged);
  // Only the raw pages' fetch bookkeeping (last_seen_at) moves: three UPDATEs of raw_pages,
  // nothing in articles or article_pages.
  EXPECT_EQ(sqlite3_total_changes(db()) - before, 3);
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages ORDER BY 1, 2"),
            (Rows{{"1", "1", "1"}, {"1", "2", "2"}, {"1", "3", "3"}}));
  EXPECT_EQ(rows(db(), "SELECT version, updated_at FROM articles"),
            (Rows{{"1", "2023-11-14T22:13:20Z"}}));
}

TEST_F(StoreTest, Spec_ChangedPageSetRewritesTheLinks) {
  const RawPage raw = raw_of(kUrl, "<p>page one</p>");
  std::vector<RawPage> more{raw_of(kUrl2, "<p>page two</p>"), raw_of(kUrl3, "<p>page three</p>")};
  put("gxzx", kUrl, sample_page(), &raw, more);
  // Page 2's bytes changed (content unchanged): the article links the new copy.
  more[0].bytes = "<p>page two, new ad</p>";
  EXPECT_EQ(put("gxzx", kUrl, sample_page(), &raw, more).outcome, Upsert::unchanged);
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages ORDER BY 1, 2"),
            (Rows{{"1", "1", "1"}, {"1", "2", "4"}, {"1", "3", "3"}}));
  // Page 3 gone (content changed): two pages left.
  auto changed = sample_page();
  changed.article.body = "第一页\n第二页";
  EXPECT_EQ(put("gxzx", kUrl, changed, &raw, std::span(more).first(1)).outcome, Upsert::updated);
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages ORDER BY 1, 2"),
            (Rows{{"1", "1", "1"}, {"1", "2", "4"}}));
  // Down to a single page.
  EXPECT_EQ(put("gxzx", kUrl, changed, &raw).outcome, Upsert::unchanged);
  EXPECT_EQ(rows(db(), "SELECT article_id, page, raw_page_id FROM article_pages ORDER BY 1, 2"),
            (Rows{{"1", "1", "1"}}));
  // Continuations without page 1 are refused, and nothing is written.
  auto b = store.begin_batch();
  EXPECT_THROW(b.upsert_article("gxzx", kUrl, changed, nullptr, more), StoreError);
}

TEST_F(StoreTest, Spec_ForEachArticleFiltersBySiteAndSinceInIdOrder) {
  put("gxzx", kUrl, sample_page());
  for (int n = 1; n <= 3; ++n)
    put("demo", "http://example.gov.cn/a/" + std::to_string(n) + ".html", synthetic_page(n));
  auto urls = [&](ExportFilter f) {
    std::vector<std::string> out;
    store.for_each_article(f, [&](const StoredArticle& a) { out.push_back(a.url); });
    return out;
  };
  EXPECT_EQ(urls({}).size(), 4u);
  EXPECT_EQ(urls({.site = "gxzx"}), std::vector<std::string>{kUrl});
  EXPECT_EQ(urls({.site = "demo", .since = "2024-03-03"}),
            (std::vector<std::string>{"http://example.gov.cn/a/2.html",
                                      "http://example.gov.cn/a/3.html"}));
  EXPECT_TRUE(urls({.site = "nope"}).empty());
}

}  // namespace
}  // namespace nh::store::test
