// join_pages (crawler/join.h): one record out of the pages of a multi-page article, as the
// crawl stores it and reextract rebuilds it.
#include "crawler/join.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nh::crawler {
namespace {

using extract::Contributor;
using extract::Page;
using extract::Role;

Page page(const std::string& url, std::optional<std::string> body) {
  Page p;
  p.url = url;
  p.final_url = url;
  p.kind = extract::PageKind::article;
  p.charset = "utf-8";
  p.article.body = std::move(body);
  p.provenance["body"] = "content:density";
  return p;
}

TEST(JoinPages, Spec_BodiesJoinedWithNewlineInPageOrder) {
  const Page p1 = page("http://a.test/t_1.html", "第一页。\n第一页第二段。");
  const Page p2 = page("http://a.test/t_1_2.html", "第二页。");
  const Page p3 = page("http://a.test/t_1_3.html", "第三页。");
  const Page out = join_pages({&p1, &p2, &p3});
  EXPECT_EQ(out.article.body, "第一页。\n第一页第二段。\n第二页。\n第三页。");
  EXPECT_EQ(out.provenance.at("body"), "content:density (joined 3 pages)");
  // url, final_url, charset: page 1's.
  EXPECT_EQ(out.url, p1.url);
  EXPECT_EQ(out.final_url, p1.final_url);
  EXPECT_EQ(out.charset, "utf-8");
}

TEST(JoinPages, Spec_EmptyBodiesAreSkipped) {
  const Page p1 = page("u1", "一");
  const Page p2 = page("u2", std::nullopt);
  const Page p3 = page("u3", "");
  const Page p4 = page("u4", "四");
  EXPECT_EQ(join_pages({&p1, &p2, &p3, &p4}).article.body, "一\n四");
  // Page 1 without a body: the others' bodies.
  const Page none = page("u0", std::nullopt);
  EXPECT_EQ(join_pages({&none, &p4}).article.body, "四");
  // No page with a body: page 1's body as it is.
  EXPECT_EQ(join_pages({&none, &p2}).article.body, std::nullopt);
  EXPECT_EQ(join_pages({&p3, &p2}).article.body, "");
}

TEST(JoinPages, Spec_FieldsFromPage1WithFallbackToLaterPages) {
  Page p1 = page("u1", "一");
  p1.article.title = "标题";
  p1.article.section = "要闻";
  p1.provenance["title"] = "h1";
  Page p2 = page("u2", "二");
  p2.article.title = "别的标题";
  p2.article.source = "新华社";
  p2.article.published_at = "2024-03-01";
  p2.provenance["title"] = "title";
  p2.provenance["source"] = "text:source";
  Page p3 = page("u3", "三");
  p3.article.source = "人民网";
  p3.article.subtitle = "副题";
  p3.provenance["source"] = "meta:source";
  const Page out = join_pages({&p1, &p2, &p3});
  EXPECT_EQ(out.article.title, "标题");
  EXPECT_EQ(out.article.section, "要闻");
  EXPECT_EQ(out.article.source, "新华社");
  EXPECT_EQ(out.article.published_at, "2024-03-01");
  EXPECT_EQ(out.article.subtitle, "副题");
  EXPECT_EQ(out.provenance,
            (std::map<std::string, std::string>{{"body", "content:density (joined 3 pages)"},
                                                {"title", "h1"},
                                                {"source", "text:source"}}));
}

TEST(JoinPages, Spec_CreditsOfAllPagesInPageOrderOnce) {
  Page p1 = page("u1", "一");
  p1.article.reporters = {"张三"};
  p1.article.contributors = {{"张三", Role::reporter}};
  Page p2 = page("u2", "二");
  p2.article.reporters = {"李四", "张三"};
  p2.article.contributors = {{"李四", Role::reporter}, {"王五", Role::editor}};
  Page p3 = page("u3", "三");
  p3.article.contributors = {{"王五", Role::editor}, {"赵六", Role::photographer}};
  const Page out = join_pages({&p1, &p2, &p3});
  EXPECT_EQ(out.article.reporters, (std::vector<std::string>{"张三", "李四"}));
  EXPECT_EQ(out.article.contributors, (std::vector<Contributor>{{"张三", Role::reporter},
                                                                {"李四", Role::reporter},
                                                                {"王五", Role::editor},
                                                                {"赵六", Role::photographer}}));
}

TEST(JoinPages, Spec_SinglePageIsUnchanged) {
  Page p1 = page("u1", "只有一页");
  p1.article.reporters = {"张三"};
  p1.article.title = "标题";
  const Page out = join_pages({&p1});
  EXPECT_EQ(out.article, p1.article);
  EXPECT_EQ(out.provenance, p1.provenance);
}

}  // namespace
}  // namespace nh::crawler
