#include "extract/fields.h"

#include <gtest/gtest.h>

#include "extract/normalize.h"
#include "extract/section.h"
#include "extract/title.h"

using namespace nh::extract;

namespace {
std::vector<std::pair<std::string, std::string>> people(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : parse_credits(fold(line)).people)
    out.emplace_back(p.name, std::string(role_name(p.role)));
  return out;
}
using P = std::vector<std::pair<std::string, std::string>>;
}  // namespace

TEST(Credits, Spec_ReporterAndCorrespondent) {
  EXPECT_EQ(people("本报记者 黄富强  通讯员 农喜养"),
            (P{{"黄富强", "reporter"}, {"农喜养", "correspondent"}}));
  EXPECT_TRUE(parse_credits(fold("本报记者 黄富强  通讯员 农喜养")).byline_only());
}

TEST(Credits, Spec_SeveralNamesPerRoleAndSeparators) {
  EXPECT_EQ(people("记者：张三、李四　通讯员:王五，赵六"), (P{{"张三", "reporter"},
                                                              {"李四", "reporter"},
                                                              {"王五", "correspondent"},
                                                              {"赵六", "correspondent"}}));
}

// A bar after a label is the label's separator ("作者 | 张三", "责编|陈梦莹", "文 | 周明"); a
// feature's editorial credits are labels (not writers); a name glued to the next element's
// date ends at its digits.
TEST(Credits, Spec_BarSeparatorsFeatureCreditsAndGluedDates) {
  EXPECT_EQ(people("作者 | 张晓明"), (P{{"张晓明", "author"}}));
  EXPECT_EQ(people("责编|陈梦莹"), (P{{"陈梦莹", "editor"}}));
  EXPECT_EQ(people("文 | 周明"), (P{{"周明", "author"}}));
  EXPECT_EQ(
      people("策划:王刚 统筹:赵敏 文字:张晓明 摄影:李华"),
      (P{{"王刚", "editor"}, {"赵敏", "editor"}, {"张晓明", "author"}, {"李华", "photographer"}}));
  EXPECT_TRUE(parse_credits(fold("策划:王刚 统筹:赵敏 文字:张晓明 摄影:李华")).byline_only());
  EXPECT_EQ(people("作者 | 周可馨2025-05-06 18:20"), (P{{"周可馨", "author"}}));
  // A bar after the first name still ends the run of names.
  EXPECT_EQ(people("作者:张晓明 | 阅读 120"), (P{{"张晓明", "author"}}));
}

TEST(Credits, Spec_PaddedTwoCharacterName) {
  EXPECT_EQ(people("作者：王  芳"), (P{{"王芳", "author"}}));
}

// A writer's position or affiliation glued to the name: the name is cut out of it only when
// the rest reads as an affiliation (a province or national head ... an institution or a
// position), so a three-character name is never cut short on a guess.
TEST(Credits, Spec_NameGluedToPositionOrAffiliation) {
  EXPECT_EQ(people("作者：方敏北京大学经济学院教授"), (P{{"方敏", "author"}}));
  EXPECT_EQ(people("作者：王文中国人民大学重阳金融研究院执行院长"), (P{{"王文", "author"}}));
  EXPECT_EQ(people("作者：研究员徐占忱"), (P{{"徐占忱", "author"}}));
  EXPECT_EQ(people("作者：中国国际经济交流中心世界经济研究部部长，研究员徐占忱"),
            (P{{"徐占忱", "author"}}));
  EXPECT_TRUE(parse_credits(fold("（作者：方敏北京大学经济学院教授）")).byline_only());
  EXPECT_EQ(people("作者：李华清华大学教授"), P{});      // 李华 or 李华清: no guess
  EXPECT_EQ(people("作者：张明远方的来信"), P{});        // no affiliation
  EXPECT_EQ(people("作者：北京大学经济学院教授"), P{});  // an affiliation names nobody
}

TEST(Credits, Spec_TextAndPhoto) {
  EXPECT_EQ(people("文/图 赵强"), (P{{"赵强", "author"}, {"赵强", "photographer"}}));
  EXPECT_EQ(people("张蕊 摄"), (P{{"张蕊", "photographer"}}));
}

TEST(Credits, Spec_BracketsAndEditors) {
  EXPECT_EQ(people("（记者 王明 实习生 李雪）"), (P{{"王明", "reporter"}, {"李雪", "intern"}}));
  EXPECT_EQ(people("（责任编辑：刘畅）"), (P{{"刘畅", "editor"}}));
  EXPECT_EQ(people("（审核：张明　校对：李华）"), (P{{"张明", "reviewer"}, {"李华", "reviewer"}}));
}

TEST(Credits, Policy_AgenciesAreNotPeople) {
  EXPECT_EQ(people("新华社记者 张晓"), (P{{"张晓", "reporter"}}));
  EXPECT_TRUE(people("来源：新华社").empty());
}

TEST(Credits, Policy_SentencesAreNotBylines) {
  EXPECT_FALSE(
      parse_credits(fold("记者从会上获悉，今年全市政协委员共提交提案300余件。")).byline_only());
  EXPECT_FALSE(parse_credits(fold("记者了解到，该项目已于5月开工。")).byline_only());
}

TEST(Credits, Policy_WordsAfterALabelAreNotNames) {
  // Chrome and running text put ordinary words where a name would go.
  EXPECT_TRUE(people("作者 发表于 2014-08-24 21:30").empty());
  EXPECT_TRUE(people("记者 相关报道").empty());
  EXPECT_TRUE(people("记者 其他文章").empty());
  EXPECT_FALSE(valid_cjk_name("相关"));
  EXPECT_TRUE(valid_cjk_name("魏星"));
  // 省 ends a name ("杨仕省") but "广东省" is a province.
  EXPECT_TRUE(valid_cjk_name("杨仕省"));
  EXPECT_FALSE(valid_cjk_name("广东省"));
  EXPECT_FALSE(valid_cjk_name("黑龙江省"));
}

TEST(Credits, Spec_VerticalBarAndDashSeparators) {
  // WeChat/NetEase style: 丨 between label and name, ︱ (NFKC: —), & between names.
  EXPECT_EQ(people("文丨张三 编辑丨李四"), (P{{"张三", "author"}, {"李四", "editor"}}));
  EXPECT_EQ(people("作者︱春春"), (P{{"春春", "author"}}));
  EXPECT_EQ(people("执笔/叨叨姐、胡一刀&李小飞刀"),
            (P{{"叨叨姐", "author"}, {"胡一刀", "author"}, {"李小飞刀", "author"}}));
}

TEST(Credits, Spec_NameSlashOutletOpensInfoLine) {
  EXPECT_EQ(people("石佳/中国青年报 2019-09-24 09:10"), (P{{"石佳", "reporter"}}));
  EXPECT_TRUE(people("新华社/北京 5月26日电").empty());
  EXPECT_TRUE(people("政协/委员 2019-09-24").empty());
}

TEST(Source, Spec_OutletRightAfterTheDate) {
  EXPECT_EQ(outlet_after_date(fold("2022-02-13 09:57 光明网 分享到")), "光明网");
  EXPECT_EQ(outlet_after_date(fold("2005年03月21日 11:21 《理财周刊》")), "《理财周刊》");
  EXPECT_EQ(outlet_after_date(fold("2024-01-08 10:00 39健康网")), "39健康网");
  EXPECT_EQ(outlet_after_date(fold("2021-05-26 本报讯")), std::nullopt);
  EXPECT_EQ(outlet_after_date(fold("2021-05-26 星期三")), std::nullopt);
  EXPECT_EQ(outlet_after_date(fold("2021-05-26 Reuters")), std::nullopt);
  EXPECT_EQ(outlet_after_date(fold("2023-06-10 07:15:32 举报")), std::nullopt);
  EXPECT_EQ(source_from_line(fold("2004年7月16日08:19 来源：[ 国际金融报 ]")), "国际金融报");
}

TEST(Credits, Spec_AuthorBoxWordsAroundTheName) {
  EXPECT_EQ(strip_author_box_words("Veröffentlicht von Cem Basman"), "Cem Basman");
  EXPECT_EQ(strip_author_box_words("Über Creeny"), "Creeny");
  EXPECT_EQ(strip_author_box_words("Harald Bauer Autor"), "Harald Bauer");
  EXPECT_EQ(strip_author_box_words("Jane Doe"), "Jane Doe");
}

TEST(InfoLine, Policy_ASentenceWithTwoLabelsIsText) {
  EXPECT_TRUE(is_info_line(fold("来源：新华社 作者：张三")));
  EXPECT_FALSE(is_info_line(fold(
      "新京报讯 "
      "（记者梁薇薇）继华夏保险公开发布声明近期已大举逢低建仓并将持续加仓入市后，市场关注。")));
}

TEST(Credits, Spec_TraditionalByline) {
  EXPECT_EQ(people("記者 林志明／台北報導"), (P{{"林志明", "reporter"}}));
}

// A closing 報導 ends the credit line: the photographer stays a photographer.
TEST(Credits, Spec_ClosingReportWordKeepsTheLabelsRole) {
  EXPECT_EQ(people("記者 張書豪 / 攝影 吳建國 報導"),
            (P{{"張書豪", "reporter"}, {"吳建國", "photographer"}}));
  EXPECT_EQ(people("林志明報導"), (P{{"林志明", "reporter"}}));
  EXPECT_EQ(people("张三 摄"), (P{{"张三", "photographer"}}));
}

// "图/记者 吴强": a staff title right after a role label is the same credit.
TEST(Credits, Spec_StaffTitleAfterARoleLabelKeepsTheRole) {
  EXPECT_EQ(people("文/记者 周红 图/记者 吴强"),
            (P{{"周红", "reporter"}, {"吴强", "photographer"}}));
  EXPECT_EQ(people("本报记者 周红"), (P{{"周红", "reporter"}}));
}

// An office label glued to a short name that ends its field credits it; a sentence does not.
TEST(Credits, Spec_GluedLabelAtTheEndOfAField) {
  EXPECT_EQ(people("发表于2014-08-24 21:30| 1164次阅读| 来源CSDN| 作者魏星"),
            (P{{"魏星", "author"}}));
  EXPECT_EQ(people("作者须知"), P{});
  EXPECT_EQ(people("本文仅代表作者观点"), P{});
}

TEST(Outlet, Spec_WhatAnOutletsNameIs) {
  EXPECT_TRUE(outlet_name("某某晚报"));
  EXPECT_TRUE(outlet_name("中国新闻网"));
  EXPECT_FALSE(outlet_name("王小明"));
  EXPECT_FALSE(outlet_name("2023-11-20"));
  EXPECT_FALSE(outlet_name("报"));
}

TEST(LatinName, Spec_WordsGluedAtAnElementEdgeAreNoName) {
  EXPECT_FALSE(valid_latin_name("CategoryBy Manufacturer"));
  EXPECT_TRUE(valid_latin_name("Ronald McDonald"));
  EXPECT_TRUE(valid_latin_name("Douglas MacArthur"));
  EXPECT_TRUE(valid_latin_name("DeShawn Jones"));
}

TEST(HomeLink, Spec_TheFrontPageOfThePagesOwnHost) {
  const std::string page = "https://www.example.com/news/2024/a.html";
  EXPECT_TRUE(home_link("/", page));
  EXPECT_TRUE(home_link("/index.html", page));
  EXPECT_TRUE(home_link("https://example.com/", page));
  EXPECT_FALSE(home_link("https://culture.example.com/", page));  // a channel's front page
  EXPECT_FALSE(home_link("/news/", page));
  EXPECT_FALSE(home_link("https://example.com/", ""));  // no page URL: cannot tell
  EXPECT_TRUE(root_link("https://culture.example.com/"));
}

TEST(EnglishByline, Spec_ByAnd) {
  EXPECT_EQ(english_byline("By Jane Doe and Mark Smith"),
            (std::vector<std::string>{"Jane Doe", "Mark Smith"}));
  EXPECT_EQ(english_byline("By Jane Doe | Updated 5 March 2024"),
            (std::vector<std::string>{"Jane Doe"}));
  EXPECT_TRUE(english_byline("By the end of the year, prices rose").empty());
  // A middle dot or bullet ends the names like a bar does.
  EXPECT_EQ(english_byline("Von Katrin Vogel · 14.03.2022, 18:40 Uhr"),
            (std::vector<std::string>{"Katrin Vogel"}));
  EXPECT_EQ(english_byline("By Sam Lee • 5 min read"), (std::vector<std::string>{"Sam Lee"}));
}

// A name's closing period goes, but not the period of an initial or a suffix; German CMS labels
// ("Erstellt von", "Verfasst von") are labels like "By".
TEST(EnglishByline, Spec_InitialsSuffixesAndGermanLabels) {
  EXPECT_EQ(english_byline("By Perry Bacon Jr."), (std::vector<std::string>{"Perry Bacon Jr."}));
  EXPECT_EQ(english_byline("By Joe S. and Anna Berg."),
            (std::vector<std::string>{"Joe S.", "Anna Berg"}));
  EXPECT_EQ(english_byline("Erstellt von Andri Bryner"),
            (std::vector<std::string>{"Andri Bryner"}));
  EXPECT_EQ(english_byline("Verfasst von Lena Koch | 3. Mai 2021"),
            (std::vector<std::string>{"Lena Koch"}));
  EXPECT_EQ(trim_name_end("Juan Carlos Muñoz C."), "Juan Carlos Muñoz C.");
  EXPECT_EQ(trim_name_end("Mark Smith."), "Mark Smith");
  EXPECT_EQ(trim_name_end("Sr."), "Sr");  // a word alone is no suffix of a name
}

TEST(Source, Spec_InfoLineValues) {
  EXPECT_EQ(source_from_line("2021-05-26 | 来源:"), "");
  EXPECT_EQ(source_from_line("发布日期:2022-11-03 来源:某某县人民政府办公室 浏览次数:"),
            "某某县人民政府办公室");
  EXPECT_EQ(source_from_line("来源:新华社 作者:张三"), "新华社");
  EXPECT_EQ(source_from_line("来源:本站"), "本站");
  EXPECT_EQ(source_from_line("2015-07-04 08:40:43 来源: 华夏时报(北京)"), "华夏时报(北京)");
  EXPECT_EQ(source_from_line("来源:(人民日报)"), "人民日报");
  EXPECT_FALSE(source_from_line("会议时间:2021年5月26日").has_value());
  // A reprint credit as a field; the same words in a sentence are no field.
  EXPECT_EQ(source_from_line("本文转自:央视新闻客户端"), "央视新闻客户端");
  EXPECT_EQ(source_from_line("转载自: 中国青年报"), "中国青年报");
  EXPECT_FALSE(source_from_line("他转自己的工资给父母").has_value());
}

TEST(Credits, Spec_BracketedWriterAfterDate) {
  EXPECT_EQ(
      bracketed_writer_after_date("BUSINESS.SOHU.COM 2004年7月16日08:19 [ 黄宇 ] 来源:[ 人民网 ]"),
      "黄宇");
  EXPECT_FALSE(bracketed_writer_after_date("2004年7月16日08:19 [ 大 中 小 ] 打印").has_value());
  EXPECT_FALSE(bracketed_writer_after_date("[ 黄宇 ] 来源:人民网").has_value());
}

TEST(Source, Spec_AgencyOfAnOpeningDateline) {
  EXPECT_EQ(agency_from_dateline("(新华社北京5月26日电)记者从国家发展改革委获悉"), "新华社");
  EXPECT_EQ(agency_from_dateline("(法新社羅馬19日電) 德國網球好手"), "法新社");
  EXPECT_EQ(agency_from_dateline("中新社上海10月8日电 上海市今天"), "中新社");
  // No day, no 电, or a sentence: not a dateline.
  EXPECT_FALSE(agency_from_dateline("新华社记者走访了多个村庄").has_value());
  EXPECT_FALSE(agency_from_dateline("本报讯 记者从市教育局获悉").has_value());
  EXPECT_FALSE(agency_from_dateline("合作社今年5月成立,电商销售").has_value());
}

TEST(Source, Spec_OutletOfAPressMarkOpeningTheText) {
  EXPECT_EQ(outlet_from_press_mark("新京报讯(记者 张三 李四)近日"), "新京报");
  EXPECT_EQ(outlet_from_press_mark("【大公報訊】記者黃山報道:特區政府"), "大公報");
  EXPECT_EQ(outlet_from_press_mark("香港文匯報訊(記者 聶曉輝)"), "香港文匯報");
  EXPECT_EQ(outlet_from_press_mark("【明報專訊】政府昨日"), "明報");
  EXPECT_EQ(outlet_from_press_mark("长江网10月4日讯(记者陈智)"), "长江网");
  EXPECT_EQ(outlet_from_press_mark("人民网北京5月8日电 (记者张三)"), "人民网");
  EXPECT_EQ(outlet_from_press_mark("【星島日報報道】"), "星島日報");
  EXPECT_EQ(press_mark_end("【明報專訊】政府昨日"), std::string("【明報專訊】").size());
  EXPECT_EQ(press_mark_end("新京报讯 记者张三"), std::string("新京报讯 ").size());
  // The paper's own mark, a report of an agency, words with 电 in them, a sentence: none.
  EXPECT_FALSE(outlet_from_press_mark("本报讯(记者 张三)").has_value());
  EXPECT_FALSE(outlet_from_press_mark("本網訊 今日下午").has_value());
  EXPECT_FALSE(outlet_from_press_mark("据新华社电 国务院").has_value());
  EXPECT_FALSE(outlet_from_press_mark("国家电网公司表示").has_value());
  EXPECT_FALSE(outlet_from_press_mark("人民网电 某某").has_value());
  EXPECT_FALSE(outlet_from_press_mark("记者从市教育局获悉,今年").has_value());
  EXPECT_EQ(press_mark_end("记者从市教育局获悉"), std::string_view::npos);
}

TEST(Breadcrumb, Spec_LastItemBeforeArticle) {
  EXPECT_EQ(section_from_breadcrumb("当前位置:首页 > 时政动态 > 正文", "", true), "时政动态");
  EXPECT_EQ(section_from_breadcrumb("您现在的位置:首页>>新闻中心>>本地要闻", "", true), "本地要闻");
  EXPECT_EQ(section_from_breadcrumb("首页 > 体育 > 互学互促共提升", "互学互促共提升", false),
            "体育");
  EXPECT_FALSE(section_from_breadcrumb("时政动态", "", true).has_value());
  // A label ending in a colon inside the trail element is not an item.
  EXPECT_EQ(section_from_breadcrumb("Startseite > Wissen > Aktuelle Seite: > Neue Studie",
                                    squash("Neue Studie"), false),
            "Wissen");
}

TEST(Breadcrumb, Spec_SiteNameOpensTheTrail) {
  // With arrows, a trail may start at the site's own name instead of 首页.
  EXPECT_EQ(section_from_breadcrumb("人民网 >> 文化", "", true), "文化");
  EXPECT_EQ(section_from_breadcrumb("财经频道 > 国内财经 > 民间资本成投资活动的主体",
                                    squash("民间资本成投资活动的主体"), true),
            "国内财经");
  EXPECT_EQ(section_from_breadcrumb("人民网 >> 健康·生活", "", true), "健康·生活");
  // Without arrows, or with a two-character first item, it is a menu.
  EXPECT_FALSE(section_from_breadcrumb("人民网 | 文化 | 体育", "", true).has_value());
  EXPECT_FALSE(section_from_breadcrumb("新闻 > 更多", "", true).has_value());
}

TEST(Title, Spec_SegmentsAndSiteSuffix) {
  EXPECT_EQ(title_segments("互学互促共提升_广西政协报新闻中心"),
            (std::vector<std::string>{"互学互促共提升", "广西政协报新闻中心"}));
  EXPECT_EQ(site_from_title("互学互促共提升_广西政协报新闻中心", "互学互促共提升"),
            "广西政协报新闻中心");
  EXPECT_EQ(site_from_title("Headline here - Example News", "Headline here"), "Example News");
}

// Regression (fuzzer): trimming "【】" byte by byte cut 局 (E5 B1 80) and 网 (E7 BD 91).
TEST(Source, Spec_TrimKeepsWholeCharacters) {
  EXPECT_EQ(source_from_line("来源:国家统计局"), "国家统计局");
  EXPECT_EQ(source_from_line("(来源:新华网)"), "新华网");
  EXPECT_EQ(source_from_line("来源:新华网。"), "新华网");
}

// Regressions found by the demo-portal crawl.
TEST(Credits, Spec_TextAndPhotoLabelsEachTheirName) {
  EXPECT_EQ(people("文/张三　摄/李四"), (P{{"张三", "author"}, {"李四", "photographer"}}));
}

TEST(Credits, Policy_BracketedWidgetsAreNotNames) {
  EXPECT_EQ(people("作者：马丽 【字体：大 中 小】"), (P{{"马丽", "author"}}));
}

// Site footer statements are chrome wherever they stand, not only at the start of a line.
TEST(ChromeLine, Spec_FooterStatementsAnywhere) {
  EXPECT_TRUE(is_chrome_line(fold("示范政协新闻网版权所有　未经书面授权禁止复制或建立镜像")));
  EXPECT_TRUE(is_chrome_line(fold("示ICP备00000000号")));
  EXPECT_TRUE(is_chrome_line(fold("示ICP备00000001号-2　示公网安备00000000000002号")));
  EXPECT_TRUE(is_chrome_line(fold("示范省政协办公厅主管　示范政协报社主办")));
  EXPECT_TRUE(is_chrome_line(fold("主办单位：示范市人民政府办公室　技术支持：示范网络公司")));
  EXPECT_TRUE(is_chrome_line(fold("© 2020 Example Media. All rights reserved.")));
}

TEST(ChromeLine, Policy_ArticleLinesWithSponsorWordsStay) {
  // A sentence that names an organiser, and contact lines inside notices, are text.
  EXPECT_FALSE(is_chrome_line(fold("本次活动由市委宣传部主办，市文联承办。")));
  EXPECT_FALSE(is_chrome_line(fold("游客咨询电话：58792888")));
  EXPECT_FALSE(is_chrome_line(fold("联系电话：0000-7654321")));
  EXPECT_FALSE(is_chrome_line(fold("活动主办")));
}

// ---- the name models ----

TEST(Names, Spec_HanPersonalNameNeedsASurname) {
  EXPECT_TRUE(han_personal_name("黄富强"));
  EXPECT_TRUE(han_personal_name("欧阳春雨"));     // compound surname
  EXPECT_TRUE(han_personal_name("陳家明"));       // Traditional surname
  EXPECT_TRUE(han_personal_name("买买提·艾力"));  // minority name with "·"
  EXPECT_FALSE(han_personal_name("网易"));        // a portal, not a surname
  EXPECT_FALSE(han_personal_name("参考消息"));    // a newspaper
  EXPECT_FALSE(han_personal_name("新华社"));      // an agency
  EXPECT_FALSE(han_personal_name("打印本页"));
  // After a label a pen name is a name all the same.
  EXPECT_TRUE(valid_cjk_name("叨叨姐"));
}

TEST(Names, Spec_LatinNameEndsAtItsElement) {
  using V = std::vector<std::string>;
  EXPECT_EQ(english_byline("Sara Coughlin June 3, 2024", true), (V{"Sara Coughlin"}));
  EXPECT_EQ(english_byline("Rebecca Edwards Dec 12, 2024", true), (V{"Rebecca Edwards"}));
  EXPECT_EQ(english_byline("Author Isaiah Shelton", true), (V{"Isaiah Shelton"}));
  EXPECT_EQ(english_byline("Jeffrey ZeldmanNovember 2, 2023", true), (V{"Jeffrey Zeldman"}));
  EXPECT_EQ(english_byline("Brian Truitt USA TODAY", true), (V{"Brian Truitt"}));
  EXPECT_EQ(english_byline("Rachel MacDonald Writer", true), (V{"Rachel MacDonald"}));
  EXPECT_EQ(english_byline("By Ada Lovelace and Charles Babbage Updated 5 min ago"),
            (V{"Ada Lovelace", "Charles Babbage"}));
  // Names that look like months or capitals stay whole.
  EXPECT_EQ(english_byline("Theresa May", true), (V{"Theresa May"}));
  EXPECT_EQ(english_byline("MARY JANE WATSON", true), (V{"MARY JANE WATSON"}));
  // A title with no name before it is nobody.
  EXPECT_EQ(english_byline("Senior Editor", true), V{});
  EXPECT_EQ(english_byline("Written By", true), V{});
  EXPECT_EQ(english_byline("Sign In", true), V{});
}

TEST(Credits, Spec_TaiwanAndSelfMediaForms) {
  EXPECT_EQ(people("本報記者 陳家明"), (P{{"陳家明", "reporter"}}));
  EXPECT_EQ(people("文｜周明"), (P{{"周明", "author"}}));
  EXPECT_EQ(people("【記者陳家明／綜合報導】"), (P{{"陳家明", "reporter"}}));
  EXPECT_TRUE(parse_credits(fold("（編輯：陳怡君）1141203")).byline_only());
}

TEST(Credits, Spec_WriterInAnAgencyDateline) {
  EXPECT_EQ(dateline_writer(fold("（中央社記者黃小華台北3日電）氣象署今天表示")), "黃小華");
  EXPECT_EQ(dateline_writer(fold("新华社记者王明北京5月8日电 国务院新闻办")), "王明");
  EXPECT_FALSE(dateline_writer(fold("新华社北京5月8日电（记者王明）")));  // bracket: other rule
  EXPECT_FALSE(dateline_writer(fold("记者从市教育局获悉，今年秋季学期起")));
}

TEST(Section, Spec_FilingLabels) {
  EXPECT_EQ(section_from_label(fold("栏目：文化动态　发布日期：2025-12-02")), "文化动态");
  EXPECT_EQ(section_from_label(fold("所属分类: 通知公告 作者: 张三")), "通知公告");
  EXPECT_FALSE(section_from_label(fold("栏目：正文")));            // a UI word
  EXPECT_FALSE(section_from_label(fold("本栏目由市文化局主办")));  // no colon: prose
}

TEST(Credits, Spec_NameGluedToTheNextLabel) {
  EXPECT_EQ(people("作者：李明明来源：新华网"), (P{{"李明明", "author"}}));
  EXPECT_EQ(people("作者:张三字号:大中小"), (P{{"张三", "author"}}));
  EXPECT_EQ(people("作者：字号"), P{});
}

TEST(Title, Spec_HeadlineAsReadersSeeIt) {
  EXPECT_EQ(clean_headline("[原创] 我家门前的小河"), "我家门前的小河");
  EXPECT_EQ(clean_headline("Re: 【求助】电脑开机黑屏怎么办"), "电脑开机黑屏怎么办");
  EXPECT_EQ(clean_headline("回复:关于小区停车的建议"), "关于小区停车的建议");
  EXPECT_EQ(clean_headline("<b>市政府召开常务会议</b>"), "市政府召开常务会议");
  EXPECT_EQ(clean_headline("市政府召开常务会议 -"), "市政府召开常务会议");
  // Kept: a column in brackets, quotes, a headline about markup.
  EXPECT_EQ(clean_headline("【资讯汇总】9月26日盘中重要资讯"), "【资讯汇总】9月26日盘中重要资讯");
  EXPECT_EQ(clean_headline("»Abzocke wird als Klimaschutz verkauft«"),
            "»Abzocke wird als Klimaschutz verkauft«");
  EXPECT_EQ(clean_headline("30 Years of <br> Tags"), "30 Years of <br> Tags");
}

TEST(Names, Spec_LabelVouchesForAHandle) {
  using V = std::vector<std::string>;
  EXPECT_EQ(english_byline("Posted by BeauHD"), (V{"BeauHD"}));
  EXPECT_EQ(english_byline("by ibby"), (V{"ibby"}));
  EXPECT_EQ(english_byline("Written By: Tom May"), (V{"Tom May"}));
  EXPECT_EQ(english_byline("By Staff"), V{});      // a role word, not a handle
  EXPECT_EQ(english_byline("BeauHD", true), V{});  // no label: one word is nobody yet
}

TEST(Source, Spec_ReprintMarkersAndTraditionalLabels) {
  EXPECT_EQ(source_from_line(fold("来源：转载自澎湃新闻")), "澎湃新闻");
  EXPECT_EQ(source_from_line(fold("出處：明報")), "明報");
  EXPECT_EQ(source_from_line(fold("資料來源：自由時報")), "自由時報");
}
