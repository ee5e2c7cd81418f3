#include "crawler/links.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace nh::crawler {
namespace {

struct KindCase {
  const char* url;
  LinkKind kind;
};

const KindCase kHeuristics[] = {
    // articles
    {"http://www.gov.cn/zhengce/content/t20210526_123456.html", LinkKind::article},
    {"http://www.gxzx.gov.cn/a/t20210526_123456_2.shtml", LinkKind::article},
    {"http://www.gov.cn/xinwen/2021-05/26/content_5612345.htm", LinkKind::article},
    {"http://www.news.cn/politics/2021-05/26/c_1127493.htm", LinkKind::article},
    {"http://x.gov.cn/zwgk/content_123.htm", LinkKind::article},
    {"http://x.gov.cn/xw/202105/26/abc123.html", LinkKind::article},
    {"http://x.gov.cn/xw/202105/26/t20210526_9.html", LinkKind::article},
    {"http://x.com/html/2021/05/26/news.html", LinkKind::article},
    {"http://x.com/news/show-12-345.html", LinkKind::article},
    {"http://x.com/news/show-12-345-2.html", LinkKind::article},
    {"http://x.com/show.php?catid=3&id=1234", LinkKind::article},
    {"http://x.com/show.php?id=1234&page=2", LinkKind::article},
    {"http://x.com/detail.jsp?docid=99", LinkKind::article},
    {"http://x.com/news/view.aspx?newsid=55", LinkKind::article},
    {"http://x.gov.cn/art/2021/5/26/art_1_2.html", LinkKind::article},
    {"http://x.com/a/20210526/123.html", LinkKind::article},
    {"http://x.com/news/2021-05-26/5678.html", LinkKind::article},
    {"http://politics.people.com.cn/n1/2021/0526/c1001-32113456.html", LinkKind::article},
    {"http://x.com/news/1234567.html", LinkKind::article},
    {"http://x.com/news/12345.html", LinkKind::other},  // too short to be an id by itself
    // lists
    {"http://x.gov.cn/xwzx/index.html", LinkKind::list},
    {"http://x.gov.cn/xwzx/index_3.html", LinkKind::list},
    {"http://x.gov.cn/xwzx/202105/26/index.html", LinkKind::list},
    {"http://x.com/default.aspx", LinkKind::list},
    {"http://x.com/html/list-12-3.html", LinkKind::list},
    {"http://x.com/html/list_12_3.html", LinkKind::list},
    {"http://x.com/news/list.php?catid=3&page=2", LinkKind::list},
    {"http://x.com/news?page=2", LinkKind::list},
    {"http://x.com/news?cat=1&page=2", LinkKind::list},
    {"http://x.com/list/politics", LinkKind::list},
    {"http://www.news.cn/node_1234.htm", LinkKind::list},
    {"http://x.gov.cn/col/col123/index.html", LinkKind::list},
    {"http://x.gov.cn/col/col123/", LinkKind::list},
    {"http://x.gov.cn/xwzx/", LinkKind::list},
    {"http://x.gov.cn/", LinkKind::list},
    // ignore
    {"http://x.gov.cn/uploads/a.jpg", LinkKind::ignore},
    {"http://x.gov.cn/uploads/A.JPEG", LinkKind::ignore},
    {"http://x.gov.cn/css/site.css?v=3", LinkKind::ignore},
    {"http://x.gov.cn/js/app.js", LinkKind::ignore},
    {"http://x.gov.cn/files/t20210526_1.pdf", LinkKind::ignore},
    {"http://x.gov.cn/files/report.docx", LinkKind::ignore},
    {"http://x.gov.cn/files/data.xls", LinkKind::ignore},
    {"http://x.gov.cn/files/pack.zip", LinkKind::ignore},
    {"http://x.gov.cn/login.jsp", LinkKind::ignore},
    {"http://x.gov.cn/user/login?next=/", LinkKind::ignore},
    {"http://x.gov.cn/search/index.html?q=1", LinkKind::ignore},
    {"http://x.gov.cn/was5/web/search?channelid=1", LinkKind::ignore},
    {"http://x.gov.cn/index.php?m=search&q=1", LinkKind::ignore},
    {"http://x.gov.cn/print.jsp?id=3", LinkKind::ignore},
    {"mailto:a@x.gov.cn", LinkKind::ignore},
    {"javascript:void(0)", LinkKind::ignore},
    {"not a url", LinkKind::ignore},
    // other
    {"http://x.gov.cn/about", LinkKind::other},
    {"http://x.gov.cn/researcher.html", LinkKind::other},
};

TEST(LinksTest, Policy_HeuristicTable) {
  LinkClassifier c;
  for (const KindCase& k : kHeuristics) {
    Classification got = c.classify(k.url);
    EXPECT_EQ(to_string(got.kind), to_string(k.kind)) << k.url << " (" << got.rule << ")";
  }
}

TEST(LinksTest, Spec_ProfilePatternsReplaceHeuristics) {
  LinkProfile profile;
  profile.article_patterns = {R"(/news/\d+\.html$)"};
  profile.list_patterns = {R"(/news/$)", R"(/news/p\d+/$)"};
  profile.ignore_patterns = {R"(/news/999\.html)"};
  LinkClassifier c(profile);
  EXPECT_EQ(c.kind("http://x.com/news/12.html"), LinkKind::article);
  EXPECT_EQ(c.classify("http://x.com/news/12.html").rule, "profile:article:0");
  EXPECT_EQ(c.kind("http://x.com/news/"), LinkKind::list);
  EXPECT_EQ(c.classify("http://x.com/news/p2/").rule, "profile:list:1");
  EXPECT_EQ(c.kind("http://x.com/news/999.html"), LinkKind::ignore);
  // heuristics no longer decide articles/lists...
  EXPECT_EQ(c.kind("http://x.gov.cn/a/t20210526_1.html"), LinkKind::other);
  EXPECT_EQ(c.kind("http://x.gov.cn/a/index.html"), LinkKind::other);
  // ...but the built-in ignores still apply.
  EXPECT_EQ(c.kind("http://x.com/news/1.jpg"), LinkKind::ignore);
  EXPECT_EQ(c.kind("mailto:a@b.c"), LinkKind::ignore);
}

TEST(LinksTest, Spec_ProfileIgnoreOnlyKeepsHeuristics) {
  LinkProfile profile;
  profile.ignore_patterns = {"/english/"};
  LinkClassifier c(profile);
  EXPECT_EQ(c.kind("http://x.gov.cn/english/t20210526_1.html"), LinkKind::ignore);
  EXPECT_EQ(c.kind("http://x.gov.cn/a/t20210526_1.html"), LinkKind::article);
}

TEST(LinksTest, Spec_InvalidProfilePatternThrows) {
  LinkProfile profile;
  profile.article_patterns = {"(unclosed"};
  EXPECT_THROW(LinkClassifier{profile}, std::invalid_argument);
}

TEST(LinksTest, Spec_RuleTableIsInspectable) {
  ASSERT_FALSE(link_rules().empty());
  for (const LinkRuleInfo& r : link_rules()) {
    EXPECT_FALSE(r.pattern.empty());
    EXPECT_FALSE(r.note.empty());
  }
  EXPECT_EQ(LinkClassifier().classify("http://x.gov.cn/a.jpg").rule, "heuristic:0");
}

TEST(LinksTest, Spec_PagerOfTrsListPage) {
  const std::string page = "http://x.gov.cn/xwzx/index.html";
  std::vector<Link> links = {
      {"http://x.gov.cn/xwzx/index.html", "首页"},
      {"http://x.gov.cn/xwzx/index.html", "上一页"},
      {"http://x.gov.cn/xwzx/index_1.html", "下一页"},
      {"http://x.gov.cn/xwzx/index_9.html", "尾页"},
      {"http://x.gov.cn/xwzx/index_2.html", " 3 "},
      {"http://x.gov.cn/xwzx/index_1.html", "[2]"},
      {"http://x.gov.cn/xwzx/index.html", "1"},
      {"http://x.gov.cn/xwzx/t20210526_1.html", "某某新闻 2021"},
      {"http://other.gov.cn/index_1.html", "4"},
  };
  Pager p = find_pager(page, links);
  EXPECT_EQ(p.next, "http://x.gov.cn/xwzx/index_1.html");
  EXPECT_EQ(p.last, "http://x.gov.cn/xwzx/index_9.html");
  EXPECT_EQ(p.numbered, (std::vector<std::string>{"http://x.gov.cn/xwzx/index_1.html",
                                                  "http://x.gov.cn/xwzx/index_2.html"}));
}

TEST(LinksTest, Spec_PagerTexts) {
  struct Case {
    const char* text;
    bool next;
    bool last;
  } cases[] = {
      {"下一页", true, false},
      {"下页", true, false},
      {"下一页>>", true, false},
      {"[下一页]", true, false},
      {"\xE3\x80\x80下一页 ", true, false},
      {">", true, false},
      {"»", true, false},
      {"Next", true, false},
      {"Next »", true, false},
      {"next page", true, false},
      {"尾页", false, true},
      {"末页", false, true},
      {"最后一页", false, true},
      {">>", false, true},
      {"Last", false, true},
      {"上一页", false, false},
      {"<", false, false},
      {"<<", false, false},
      {"下一篇", false, false},
      {"首页", false, false},
  };
  for (const Case& c : cases) {
    Pager p = find_pager("http://x.com/list/", {{"http://x.com/list/?page=2", c.text}});
    EXPECT_EQ(p.next.has_value(), c.next) << c.text;
    EXPECT_EQ(p.last.has_value(), c.last) << c.text;
  }
}

TEST(LinksTest, Spec_PagerNumbersAreSortedAndDeduplicated) {
  Pager p = find_pager("http://x.com/list?page=1", {{"http://x.com/list?page=10", "10"},
                                                    {"http://x.com/list?page=2", "2"},
                                                    {"http://x.com/list?page=3", "3"},
                                                    {"http://x.com/list?page=2", "2"},
                                                    {"http://x.com/list?page=1", "1"},
                                                    {"http://x.com/list?page=0", "0"},
                                                    {"http://x.com/list?page=4", "2021"}});
  EXPECT_EQ(p.numbered,
            (std::vector<std::string>{"http://x.com/list?page=2", "http://x.com/list?page=3",
                                      "http://x.com/list?page=10", "http://x.com/list?page=4"}));
  EXPECT_FALSE(p.next);
}

TEST(LinksTest, Spec_ArticleContinuationsBySuffix) {
  const std::string art = "http://x.gov.cn/a/202105/t20210526_123.html";
  std::vector<Link> links = {
      {"http://x.gov.cn/a/202105/t20210526_123_3.html", "3"},
      {"http://x.gov.cn/a/202105/t20210526_123_2.html", "2"},
      {"http://x.gov.cn/a/202105/t20210526_123_2.html", "下一页"},
      {"http://x.gov.cn/a/202105/t20210526_123.html", "1"},
      {"http://x.gov.cn/a/202105/t20210526_1234.html", "another article"},
      {"http://x.gov.cn/a/202105/t20210526_123_2.htm", "different extension"},
      {"http://y.gov.cn/a/202105/t20210526_123_4.html", "other host"},
      {"http://x.gov.cn/a/202105/t20210526_123_x.html", "not a number"},
  };
  EXPECT_EQ(article_continuations(art, links),
            (std::vector<std::string>{"http://x.gov.cn/a/202105/t20210526_123_2.html",
                                      "http://x.gov.cn/a/202105/t20210526_123_3.html"}));
  EXPECT_EQ(article_continuations("http://www.gov.cn/2021-05/26/content_5.htm",
                                  {{"http://www.gov.cn/2021-05/26/content_5_2.htm", "2"}}),
            (std::vector<std::string>{"http://www.gov.cn/2021-05/26/content_5_2.htm"}));
}

TEST(LinksTest, Spec_ArticleContinuationsByQuery) {
  const std::string art = "http://x.com/show.php?catid=3&id=5";
  std::vector<Link> links = {
      {"http://x.com/show.php?catid=3&id=5&page=3", "3"},
      {"http://x.com/show.php?catid=3&id=5&page=2", "2"},
      {"http://x.com/show.php?catid=3&id=5&page=1", "1"},
      {"http://x.com/show.php?catid=3&id=6&page=2", "another article"},
      {"http://x.com/show.php?catid=3&id=5", "this page"},
  };
  EXPECT_EQ(article_continuations(art, links),
            (std::vector<std::string>{"http://x.com/show.php?catid=3&id=5&page=2",
                                      "http://x.com/show.php?catid=3&id=5&page=3"}));
  EXPECT_TRUE(article_continuations("mailto:a@b", links).empty());
  EXPECT_TRUE(article_continuations(art, {}).empty());
}

}  // namespace
}  // namespace nh::crawler
