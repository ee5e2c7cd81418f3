#include "extract/normalize.h"

#include <gtest/gtest.h>

using namespace nh::extract;

TEST(Fold, Spec_NfkcFullWidthToPlain) {
  EXPECT_EQ(fold("２０２１年，（镇）：ＡＢＣ"), "2021年,(镇):ABC");
}

TEST(Fold, Policy_EllipsisAndQuotesKept) {
  EXPECT_EQ(fold("做法……”“创新”——副题"), "做法……”“创新”——副题");
}

TEST(Fold, Spec_WhitespaceFolded) {
  EXPECT_EQ(fold("\u00a0\u00a0 　王\u3000\u3000芳\t\n  说 "), "王 芳 说");
  EXPECT_EQ(fold("a\u200bb"), "ab");
  EXPECT_EQ(squash(" 王  芳 "), "王芳");
}

struct DateCase {
  const char* text;
  const char* iso;
};

class Dates : public ::testing::TestWithParam<DateCase> {};

TEST_P(Dates, Spec_FindsAndFormats) {
  const auto m = find_date(fold(GetParam().text));
  ASSERT_TRUE(m.has_value()) << GetParam().text;
  EXPECT_EQ(to_iso(m->value, "Asia/Shanghai"), GetParam().iso);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, Dates,
    ::testing::Values(DateCase{"2021-05-26 | 来源:", "2021-05-26"},
                      DateCase{"发布时间：2021年5月26日 10:23", "2021-05-26T10:23:00+08:00"},
                      DateCase{"时间:２０１９年０９月２０日", "2019-09-20"},
                      DateCase{"二〇二一年五月二十六日", "2021-05-26"},
                      DateCase{"2022/08/15 18:42", "2022-08-15T18:42:00+08:00"},
                      DateCase{"2021.05.26", "2021-05-26"},
                      DateCase{"2024-03-05T14:20:00Z", "2024-03-05T14:20:00+00:00"},
                      DateCase{"2021-05-26T09:30:15+08:00", "2021-05-26T09:30:15+08:00"},
                      DateCase{"2022-11-03-15:47:21", "2022-11-03T15:47:21+08:00"},
                      DateCase{"日期：2020-03-12 16:05:09", "2020-03-12T16:05:09+08:00"},
                      DateCase{"2021年05月26日10时23分", "2021-05-26T10:23:00+08:00"},
                      DateCase{"March 5, 2024 at 2:20 p.m. UTC", "2024-03-05T14:20:00+00:00"},
                      DateCase{"am Dienstag 6. Mai 2014", "2014-05-06"},
                      DateCase{"16.08.2019 um 10:23 Uhr", "2019-08-16T10:23:00+08:00"},
                      DateCase{"16 de agosto de 2019", "2019-08-16"},
                      DateCase{"2024年5月22日週三 上午8:21", "2024-05-22T08:21:00+08:00"},
                      DateCase{"2024年5月22日 下午3:05", "2024-05-22T15:05:00+08:00"},
                      DateCase{"05/07/2005 21:23", "2005-07-05T21:23:00+08:00"},
                      // A 12-hour clock goes with the US month-first order (ASP.NET en-US).
                      DateCase{"发布日期: 7/5/2005 9:23:57 PM", "2005-07-05T21:23:57+08:00"},
                      DateCase{"16/08/2019 10:05 PM", "2019-08-16T22:05:00+08:00"},
                      DateCase{"7/5/2005", "2005-05-07"}, DateCase{"08/16/2019", "2019-08-16"},
                      DateCase{"16/08/2019", "2019-08-16"},
                      DateCase{"Aug 16th, 2019 10:05 PM EDT", "2019-08-16T22:05:00-04:00"},
                      DateCase{"Von: Björn Jahner | 31.10.23", "2023-10-31"},
                      DateCase{"23.09.98 14:05", "1998-09-23T14:05:00+08:00"},
                      // Citation metadata (Google Scholar tags): year, month name, day.
                      DateCase{"2023 Jan 7", "2023-01-07"}, DateCase{"2024 June 30", "2024-06-30"},
                      // Xinhua's header: the year, then month/day, then the time.
                      DateCase{"2024 12/09 16:25:10", "2024-12-09T16:25:10+08:00"}));

TEST(Dates, Spec_RejectsImpossibleDates) {
  EXPECT_FALSE(find_date("2021-13-45").has_value());
  EXPECT_FALSE(find_date("2024 13/45").has_value());
  // "2024 12/09/2023": not the year-then-month/day form (the date is 12/09/2023).
  EXPECT_NE(find_date("2024 12/09/2023")->value.year, 2024);
  EXPECT_FALSE(find_date("电话 0771-8802228").has_value());
  EXPECT_FALSE(find_date("1888年1月1日").has_value());
  EXPECT_FALSE(find_date("123456789012").has_value());
  // Two-digit years only as DD.MM.YY: not a version number or a short day/month.
  EXPECT_FALSE(find_date("Version 10.12.22.4").has_value());
  EXPECT_FALSE(find_date("Build 2.10.22").has_value());
  EXPECT_FALSE(find_date("31/10/23").has_value());
  EXPECT_FALSE(find_date("2023 Feb 30").has_value());
  EXPECT_FALSE(find_date("2023 Jan 123").has_value());
}

TEST(Dates, Spec_FromUrl) {
  auto iso = [](const char* u) {
    auto d = date_from_url(u);
    return d ? to_iso(*d, "Asia/Shanghai") : std::string("none");
  };
  EXPECT_EQ(iso("http://x.gov.cn/szdt/202105/t20210526_123456.html"), "2021-05-26");
  EXPECT_EQ(iso("http://paper.x.cn/html/2021-05/26/content_1.htm"), "2021-05-26");
  EXPECT_EQ(iso("http://x.cn/a/20200312/1234.html"), "2020-03-12");
  EXPECT_EQ(iso("http://x.cn/n1/2021/0526/c1001-1.html"), "2021-05-26");
  EXPECT_EQ(iso("http://x.cn/news/2019-09-20/5678.html"), "2019-09-20");
  EXPECT_EQ(iso("http://x.cn/show-12-345.html"), "none");
  EXPECT_EQ(iso("http://20210526.example.cn/"), "none");
}

TEST(Dates, Spec_OffsetFromZoneWhenPageGivesNone) {
  DateTime dt{2021, 7, 1, 12, 0, -1, std::nullopt};
  EXPECT_EQ(to_iso(dt, "Asia/Shanghai"), "2021-07-01T12:00:00+08:00");
  EXPECT_EQ(to_iso(dt, "Europe/Berlin"), "2021-07-01T12:00:00+02:00");
  DateTime winter{2021, 1, 1, 12, 0, -1, std::nullopt};
  EXPECT_EQ(to_iso(winter, "Europe/Berlin"), "2021-01-01T12:00:00+01:00");
}

TEST(Dates, Spec_GivenOffsetMovedOntoTheSiteClock) {
  // Midnight in Berlin published as UTC: the same instant on the site's clock, next day.
  const DateTime utc{2022, 11, 6, 23, 0, 0, 0};
  EXPECT_EQ(to_iso(utc, "Europe/Berlin", true), "2022-11-07T00:00:00+01:00");
  EXPECT_EQ(to_iso(utc, "Europe/Berlin", false), "2022-11-06T23:00:00+00:00");
  EXPECT_EQ(to_iso(DateTime{2021, 5, 26, 1, 30, -1, 0}, "Asia/Shanghai", true),
            "2021-05-26T09:30:00+08:00");
  // Across a year, westwards, and from one non-zero offset to another.
  EXPECT_EQ(to_iso(DateTime{2018, 12, 31, 23, 11, 59, 0}, "Europe/Berlin", true),
            "2019-01-01T00:11:59+01:00");
  EXPECT_EQ(to_iso(DateTime{2022, 5, 6, 3, 17, 36, 0}, "America/Bogota", true),
            "2022-05-05T22:17:36-05:00");
  EXPECT_EQ(to_iso(DateTime{2024, 2, 29, 22, 30, -1, 120}, "Asia/Shanghai", true),
            "2024-03-01T04:30:00+08:00");
  // A zone ICU does not know: the page's own offset stays.
  EXPECT_EQ(to_iso(utc, "Nowhere/Atlantis", true), "2022-11-06T23:00:00+00:00");
}

TEST(Dates, Spec_ImpossibleCalendarDaysAreNoDates) {
  EXPECT_FALSE(find_date("2021-02-29"));
  EXPECT_FALSE(find_date("2023年4月31日"));
  ASSERT_TRUE(find_date("2024-02-29"));  // a leap day
  EXPECT_EQ(find_date("2024-02-29")->value.day, 29);
}
