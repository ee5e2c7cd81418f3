// parse() is total: any bytes give a Page, never a crash or a hang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "extract/charset.h"
#include "extract/document.h"
#include "extract/normalize.h"

#include "extract/extract.h"

using nh::extract::parse;

TEST(Robustness, Spec_EmptyInput) {
  const auto p = parse("");
  EXPECT_FALSE(p.article.title.has_value());
  EXPECT_FALSE(p.article.body.has_value());
  EXPECT_EQ(p.charset, "utf-8");
}

TEST(Robustness, Spec_RandomBinary) {
  std::mt19937 rng(42);
  for (int round = 0; round < 20; ++round) {
    std::string bytes(static_cast<size_t>(rng() % 20000), '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    const auto p = parse(bytes);
    EXPECT_FALSE(p.charset.empty());
  }
}

TEST(Robustness, Spec_TruncatedPage) {
  const std::string html =
      "<html><head><title>标题_网站</title></head><body><h1>标题</h1><div class=content><p>"
      "第一段内容，很长的一段文字。第一段内容，很长的一段文字。</p><p>第二段\xe6\x94";
  const auto p = parse(html);
  EXPECT_EQ(p.article.title, "标题");
}

TEST(Robustness, Spec_DeepNestingIsFlattenedNotFatal) {
  std::string html = "<html><body>";
  for (int i = 0; i < 200000; ++i) html += "<div>";
  html += "<p>深处的文字，依然可以读到。</p>";
  for (int i = 0; i < 200000; ++i) html += "</div>";
  const auto p = parse(html);
  ASSERT_TRUE(p.article.body.has_value());
  EXPECT_NE(p.article.body->find("深处的文字"), std::string::npos);
  EXPECT_NE(p.provenance.at("limits").find("nesting"), std::string::npos);
}

TEST(Robustness, Policy_HugeInputIsCut) {
  std::string html = "<html><body><div class=content>";
  while (html.size() < (12u << 20)) html += "<p>一段正文内容，用来填充页面。</p>";
  const auto p = parse(html);
  ASSERT_TRUE(p.article.body.has_value());
  EXPECT_NE(p.provenance.at("limits").find("8 MiB"), std::string::npos);
}

// Regression inputs the fuzzer found (tests/fuzz/crashers): every string of the Page is valid
// UTF-8 and no field is "" (missing is nullopt).
TEST(Robustness, Spec_FuzzFindingsStayFixed) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(NH_FIXTURES) / ".." / ".." / "fuzz" / "crashers";
  int pages = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".html") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    nh::extract::ParseOptions opt;
    opt.explain = true;
    const auto p = parse(ss.str(), opt);
    ++pages;
    const auto& a = p.article;
    for (const auto* f : {&a.site, &a.section, &a.title, &a.subtitle, &a.published_at, &a.source,
                          &a.body, &a.language}) {
      if (!f->has_value()) continue;
      EXPECT_FALSE((*f)->empty()) << e.path();
      EXPECT_TRUE(nh::extract::valid_utf8(**f)) << e.path();
    }
    for (const auto& c : p.trace) EXPECT_TRUE(nh::extract::valid_utf8(c.value)) << e.path();
  }
  EXPECT_GE(pages, 3);
}

// <link rel=canonical> comes from the one Gumbo parse, resolved like the links (the crawler
// keys articles by it).
TEST(Canonical, Spec_ResolvedFromTheSameParse) {
  nh::extract::ParseOptions opt;
  opt.url = "http://demo.portal.test/xsxy/show.php?id=1";
  EXPECT_EQ(parse("<html><head><LINK REL=\"canonical\" href=\"/X/show-12-1.html?a=1&amp;b=2\">"
                  "</head><body></body></html>",
                  opt)
                .canonical,
            "http://demo.portal.test/X/show-12-1.html?a=1&b=2");
  EXPECT_EQ(parse("<link rel='stylesheet' href='/s.css'><link href=\"http://a/b\" "
                  "rel=\"canonical\"/>",
                  opt)
                .canonical,
            "http://a/b");
  EXPECT_EQ(parse("<link rel=\"alternate\" href=\"/rss\">", opt).canonical, "");
  EXPECT_EQ(parse("", opt).canonical, "");
}

// Issue 13: bounded work per page. The pre-pass caps attributes per element and elements per
// page before Gumbo; headline-like fields and names are capped after extraction. (Time and
// memory are measured by scripts/bench/hostile.py, not asserted here.)
TEST(Robustness, Policy_AttributeBombIsCappedInThePrePass) {
  std::string html = "<html><body><div class=content";
  for (int i = 0; i < 200000; ++i)
    html += " a" + std::to_string(i) + "=\"" + std::to_string(i) + "\"";
  html += "><h1>标题</h1><p>正文的第一段，足够长的一段文字，用来测试。</p></div></body></html>";
  const auto p = parse(html);
  EXPECT_EQ(p.article.title, "标题");
  EXPECT_NE(p.provenance.at("limits").find("attributes per element capped"), std::string::npos);
  nh::extract::Document doc(html);
  int div = doc.find_first(nh::extract::Tag::div);
  ASSERT_GE(div, 0);
  EXPECT_EQ(doc.attribute_count(div), nh::extract::kMaxAttributesPerElement);
  EXPECT_EQ(doc.attr(div, "class"), "content");
  EXPECT_EQ(doc.attr(div, "a62"), "62");
  EXPECT_EQ(doc.attr(div, "a63"), "");
}

TEST(Robustness, Policy_ElementsCappedAndHugeTitleCut) {
  std::string html = "<html><head><title>";
  html += std::string(3u << 20, 'T');
  html += "</title></head><body>";
  for (int i = 0; i < 300000; ++i) html += "<p>a</p>";
  const auto p = parse(html);
  EXPECT_NE(p.provenance.at("limits").find("elements capped"), std::string::npos);
  nh::extract::Document doc(html);
  int elements = 0;
  for (const auto& n : doc.nodes()) elements += n.type == nh::extract::NodeType::element;
  EXPECT_LE(elements, static_cast<int>(nh::extract::kMaxElements) + 4);  // + html/head/body
  if (p.article.title) EXPECT_LE(nh::extract::count_code_points(*p.article.title), 500u);
}
