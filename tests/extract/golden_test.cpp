// Golden pages: tests/fixtures/pages/NAME.html + NAME.expected.json, written by the project.
// Every field of the expected record is asserted exactly; "not_in_body" strings must not leak.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "extract/extract.h"
#include "extract/record.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(NH_FIXTURES)) {
    const std::string f = e.path().filename().string();
    const std::string suffix = ".expected.json";
    if (f.size() > suffix.size() && f.ends_with(suffix))
      names.push_back(f.substr(0, f.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

void expect_record(const json& expected, const nlohmann::ordered_json& got) {
  for (const auto& [key, want] : expected.items()) {
    if (key == "not_in_body" || key == "url") continue;
    ASSERT_TRUE(got.contains(key)) << key;
    EXPECT_EQ(json(got[key]), want) << "field " << key;
  }
  if (expected.contains("not_in_body") && got["body"].is_string()) {
    const std::string body = got["body"].get<std::string>();
    for (const auto& s : expected["not_in_body"])
      EXPECT_EQ(body.find(s.get<std::string>()), std::string::npos) << "leaked: " << s;
  }
}

// tests/fixtures/pages/known-failures.txt: NAME<TAB>reason for pages not met yet.
std::map<std::string, std::string> known_failures() {
  std::map<std::string, std::string> out;
  std::ifstream in(fs::path(NH_FIXTURES) / "known-failures.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, Spec_RecordMatchesExpected) {
  const fs::path dir = NH_FIXTURES;
  if (auto k = known_failures(); k.count(GetParam()))
    GTEST_SKIP() << "known failure: " << k[GetParam()];
  const json expected = json::parse(slurp(dir / (GetParam() + ".expected.json")));
  nh::extract::ParseOptions opt;
  if (expected.contains("url") && expected["url"].is_string()) opt.url = expected["url"];
  const auto page = nh::extract::parse(slurp(dir / (GetParam() + ".html")), opt);
  expect_record(expected, nh::extract::to_json(page));
}

INSTANTIATE_TEST_SUITE_P(Pages, Golden, ::testing::ValuesIn(golden_names()), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
});

// The mission's own contract: the sample page yields ../shared/mission/seed-expected.json.
TEST(Mission, Spec_SamplePageMatchesSeedExpected) {
  const fs::path seed = fs::path(NH_SHARED) / "mission" / "seed-expected.json";
  if (!fs::exists(seed)) GTEST_SKIP() << "../shared is absent";
  const json expected = json::parse(slurp(seed));
  const auto page = nh::extract::parse(slurp(fs::path(NH_FIXTURES) / "sample-portal-article.html"));
  expect_record(expected, nh::extract::to_json(page));
}

}  // namespace

// --explain names, for every field, the rule that won and the candidates that lost.
TEST(Explain, Spec_EveryFieldHasItsWinningRule) {
  const fs::path dir = NH_FIXTURES;
  nh::extract::ParseOptions opt;
  opt.url = "http://www.nanhe.gov.cn/bmdt/202506/t20250612_1.html";
  opt.explain = true;
  const auto page = nh::extract::parse(slurp(dir / "date-shown-over-meta.html"), opt);
  auto won = [&](const std::string& field) {
    std::vector<std::string> out;
    for (const auto& c : page.trace)
      if (c.field == field && c.note.starts_with("won")) out.push_back(c.rule + "=" + c.value);
    return out;
  };
  auto all = [&](const std::string& field) {
    std::vector<std::string> out;
    for (const auto& c : page.trace)
      if (c.field == field) out.push_back(c.rule + "=" + c.value + " (" + c.note + ")");
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(won("published_at"), (V{"info-line=2025-06-12 16:20"}));
  EXPECT_EQ(all("published_at"),
            (V{"meta:pubdate=2025-12-01 02:10 (lost)", "info-line=2025-06-12 16:20 (won)"}));
  EXPECT_EQ(won("source"), (V{"info-line=县农业农村局"}));
  EXPECT_EQ(all("section"),
            (V{"breadcrumb=部门动态 (won)", "breadcrumb-element=部门动态 (lost: a rule above won)",
               "meta:columnname=部门动态 (lost: a rule above won)",
               "url-column-link=部门动态 (lost: a rule above won)"}));
  EXPECT_EQ(won("site"), (V{"meta:sitename=南河县人民政府"}));
  ASSERT_FALSE(won("title").empty() && all("title").empty());
  bool title_h1 = false;
  for (const auto& c : page.trace)
    if (c.field == "title" && c.rule == "h1" && c.value == "南河县完成首批高标准农田建设验收")
      title_h1 = true;
  EXPECT_TRUE(title_h1);
  bool body_block = false;
  for (const auto& c : page.trace)
    if (c.field == "body" && c.rule.starts_with("node:div[") && c.score > 0) body_block = true;
  EXPECT_TRUE(body_block);

  // Credits and subtitle on a page that has both.
  nh::extract::ParseOptions opt2;
  opt2.explain = true;
  const auto sample = nh::extract::parse(slurp(dir / "sample-portal-article.html"), opt2);
  std::vector<std::string> credits, subtitle;
  for (const auto& c : sample.trace) {
    if (c.field == "contributors") credits.push_back(c.rule + "=" + c.value + " (" + c.note + ")");
    if (c.field == "subtitle") subtitle.push_back(c.rule + "=" + c.value);
  }
  EXPECT_EQ(credits,
            (V{"visible=黄富强 (reporter) (won)", "visible=农喜养 (correspondent) (won)"}));
  EXPECT_EQ(subtitle, (V{"dash-line=百色市全市政协主席工作经验交流会侧记"}));
}
