// Full-text search (docs/SCHEMA.md, articles_fts): segmentation, exact result sets for queries
// of every word length, Traditional and full-width input, the index off the write path.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "helpers.h"
#include "store/search_text.h"

namespace nh::store::test {
namespace {

using Ids = std::vector<std::int64_t>;

extract::Page doc(const std::string& title, const std::string& body) {
  extract::Page p;
  p.charset = "utf-8";
  p.article.site = "示例门户";
  p.article.title = title;
  p.article.body = body;
  p.article.published_at = "2024-03-01T08:30:00+08:00";
  p.article.language = "zh";
  return p;
}

class SearchTest : public ::testing::Test {
 protected:
  Store store = Store::open(":memory:");
  sqlite3* db() { return store.raw_handle(); }

  // The corpus every query below is checked against (stored text is NFKC, as the extractor
  // writes it: "，" is ",").
  void SetUp() override {
    const std::pair<const char*, const char*> docs[] = {
        {"乡村振兴战略推进会召开", "市政协委员围绕乡村振兴建言献策。县里召开会议。"},
        {"政协常委会议", "全国政协委员会常委会第三次会议在京开幕。COVID-19疫苗接种工作。"},
        {"鄉村振興論壇", "香港舉行鄉村振興論壇,政協委員出席。"},
        {"Economy Report", "The economy grew 5% in Q1. 经济发展平稳。"},
        {"县域经济", "县域经济发展报告发布,全文共12页(摘要)。"},
        {"乡村的振兴之路", "委员们说,会议开得很好。"},
    };
    auto b = store.begin_batch();
    int n = 0;
    for (const auto& [t, body] : docs)
      b.upsert_article("demo", "http://example.gov.cn/s/" + std::to_string(++n) + ".html",
                       doc(t, body));
    b.commit();
  }

  Ids ids(const std::string& q, bool sorted = true) {
    Ids out;
    for (const auto& h : store.search({q, std::nullopt, std::nullopt, 0})) out.push_back(h.id);
    if (sorted) std::sort(out.begin(), out.end());
    return out;
  }
};

TEST(SearchText, Spec_TermsAreBigramsThenEachRunsLastCharacter) {
  EXPECT_EQ(search::terms("乡村振兴"), "乡村 村振 振兴\n兴");
  EXPECT_EQ(search::terms("县"), "\n县");
  EXPECT_EQ(search::terms("COVID-19疫苗，ＡＢＣ"), "covid 19 疫苗 abc\n苗");
  EXPECT_EQ(search::terms("鄉村"), "乡村\n村");  // Traditional folds to Simplified
  EXPECT_EQ(search::terms("在县里，乡"), "在县 县里\n里 乡");
  EXPECT_EQ(search::terms(""), "");
}

TEST(SearchText, Spec_MatchExpressionIsPhrasesOfTheSameTerms) {
  EXPECT_EQ(search::match_expression("县"), "\"县\"*");
  EXPECT_EQ(search::match_expression("5G网"), "\"5g\" AND \"网\"*");
  EXPECT_EQ(search::match_expression("政协"), "\"政协 \"");
  EXPECT_EQ(search::match_expression("乡村振兴 经济"), "\"乡村 村振 振兴 \" AND \"经济 \"");
  EXPECT_EQ(search::match_expression("Ｅｃｏｎｏｍｙ"), "\"economy\"");
  EXPECT_EQ(search::match_expression("say \"hi\""), "\"say\" AND \"hi \"");
  EXPECT_EQ(search::match_expression("COVID-19疫苗"), "\"covid 19 疫苗 \"");
  EXPECT_EQ(search::match_expression(" ，。 "), "");
}

TEST(SearchText, Spec_SnippetHighlightsEveryMatchInTheWindow) {
  const auto n = search::needles("乡村振兴 economy");
  EXPECT_EQ(search::snippet("The Economy of 乡村振兴 is economic.", n),
            "The [Economy] of [乡村振兴] is economic.");
  EXPECT_EQ(search::snippet("一二三四五六七八九十乡村振兴", n, 8), "…九十[乡村振兴]");
  EXPECT_EQ(search::snippet("一二三四五六七八九十乡村振兴一二三四五六", n, 8),
            "…九十[乡村振兴]一二…");
}

TEST_F(SearchTest, Spec_IndexIsOffTheWritePathAndCatchesUp) {
  // The crawl's transaction stored the rows; nothing is indexed until index_pending runs.
  EXPECT_EQ(store.index_lag(), 6);
  EXPECT_EQ(ids("政协"), Ids{});
  EXPECT_EQ(store.index_pending(4, 3), 4);  // chunks of 3: 3 + 1
  EXPECT_EQ(store.index_lag(), 2);
  EXPECT_EQ(store.index_pending(), 2);
  EXPECT_EQ(store.index_lag(), 0);
  EXPECT_EQ(store.index_pending(), 0);
  EXPECT_EQ(rows(db(), "SELECT count(*) FROM articles WHERE indexed_version = version"),
            (Rows{{"6"}}));
  EXPECT_NO_THROW(
      rows(db(), "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"));
}

TEST_F(SearchTest, Spec_ExactResultSetsForEveryWordLength) {
  store.index_pending();
  EXPECT_EQ(ids("县"), (Ids{1, 5}));        // one character
  EXPECT_EQ(ids("政协"), (Ids{1, 2, 3}));   // two (3 is Traditional: 政協)
  EXPECT_EQ(ids("委员会"), (Ids{2}));       // three: not 6 (委员们 … 会议)
  EXPECT_EQ(ids("乡村振兴"), (Ids{1, 3}));  // four: not 6 (乡村的振兴)
  EXPECT_EQ(ids("鄉村振興"), (Ids{1, 3}));  // Traditional query
  EXPECT_EQ(ids("政協委員"), (Ids{1, 2, 3}));
  EXPECT_EQ(ids("economy"), (Ids{4}));  // Latin, any case
  EXPECT_EQ(ids("ECONOMY"), (Ids{4}));
  EXPECT_EQ(ids("COVID-19疫苗"), (Ids{2}));  // mixed
  EXPECT_EQ(ids("经济 发展"), (Ids{4, 5}));  // every part must match
  EXPECT_EQ(ids("乡村 经济"), Ids{});
  EXPECT_EQ(ids("发布，全文共１２页（摘要）"), (Ids{5}));  // pasted with full-width forms
  EXPECT_EQ(ids("振兴之路"), (Ids{6}));
  EXPECT_EQ(ids("。"), Ids{});
}

TEST_F(SearchTest, Spec_RankedByBm25WithTitleFirstAndSnippets) {
  store.index_pending();
  const auto hits = store.search({"政协", std::nullopt, std::nullopt, 0});
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 2);  // in the title (weight 10) and twice in the body
  EXPECT_LE(hits[0].score, hits[1].score);
  EXPECT_LE(hits[1].score, hits[2].score);
  EXPECT_EQ(hits[0].snippet, "全国[政协]委员会常委会第三次会议在京开幕。COVID-19疫苗接种工作。");
  EXPECT_EQ(hits[0].site_name, "demo");
  EXPECT_EQ(hits[0].published_date, "2024-03-01");
  // limit, site and since filters
  EXPECT_EQ(store.search({"政协", std::nullopt, std::nullopt, 1}).size(), 1u);
  EXPECT_EQ(store.search({"政协", "other", std::nullopt, 0}).size(), 0u);
  EXPECT_EQ(store.search({"政协", "demo", "2024-03-02", 0}).size(), 0u);
  EXPECT_EQ(store.search({"政协", "demo", "2024-03-01", 0}).size(), 3u);
}

TEST_F(SearchTest, Spec_UpdatedArticleIsReindexedAndTheOldTextIsGone) {
  store.index_pending();
  {
    auto b = store.begin_batch();
    b.upsert_article("demo", "http://example.gov.cn/s/6.html", doc("生态文明", "绿水青山。"));
    b.commit();
  }
  EXPECT_EQ(store.index_lag(), 1);
  EXPECT_EQ(ids("振兴之路"), (Ids{6}));  // the index still holds version 1 until it catches up
  EXPECT_EQ(store.index_pending(), 1);
  EXPECT_EQ(ids("振兴之路"), Ids{});
  EXPECT_EQ(ids("青山"), (Ids{6}));
  // A deleted article leaves the index with it (trigger).
  rows(db(), "DELETE FROM articles WHERE id = 6");
  EXPECT_EQ(ids("青山"), Ids{});
  EXPECT_NO_THROW(
      rows(db(), "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)"));
}

// What a stock client sees: plain SQL with the documented MATCH forms finds the same rows.
TEST_F(SearchTest, Spec_PlainSqlFindsTheSameRows) {
  store.index_pending();
  auto sql_ids = [&](const std::string& match) {
    std::set<std::string> out;
    for (const auto& r : rows(db(), "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '" +
                                        match + "' ORDER BY rank"))
      out.insert(r[0]);
    return out;
  };
  EXPECT_EQ(sql_ids("县*"), (std::set<std::string>{"1", "5"}));
  EXPECT_EQ(sql_ids("政协"), (std::set<std::string>{"1", "2", "3"}));
  EXPECT_EQ(sql_ids("\"乡村 村振 振兴\""), (std::set<std::string>{"1", "3"}));
  EXPECT_EQ(sql_ids("title_terms:政协"), (std::set<std::string>{"2"}));
  EXPECT_EQ(sql_ids("economy"), (std::set<std::string>{"4"}));
}

}  // namespace
}  // namespace nh::store::test
