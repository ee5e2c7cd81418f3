#include "extract/credits.h"
#include "extract/extract.h"

#include <gtest/gtest.h>

using namespace nh::extract;
using V = std::vector<std::string>;

TEST(DeclaredAuthors, Spec_PeopleInAnAuthorField) {
  EXPECT_EQ(declared_author_names("Jane Doe", ""), (V{"Jane Doe"}));
  EXPECT_EQ(declared_author_names("Jane Doe and John Roe, The Daily Post", ""),
            (V{"Jane Doe", "John Roe"}));
  EXPECT_EQ(declared_author_names("By Jane Doe", ""), (V{"Jane Doe"}));
  EXPECT_EQ(declared_author_names("Grant Tinsley, PhD", ""), (V{"Grant Tinsley"}));
  EXPECT_EQ(declared_author_names("Susan", ""), (V{"Susan"}));  // a blogger's first name
  EXPECT_EQ(declared_author_names("张三、李四", ""), (V{"张三", "李四"}));
  EXPECT_EQ(declared_author_names("Maria & Katerina", ""), (V{"Maria", "Katerina"}));
  EXPECT_EQ(declared_author_names("kirstin boatto", ""), (V{"kirstin boatto"}));
  EXPECT_EQ(declared_author_names("EcoCult Staff", ""), (V{"EcoCult Staff"}));  // kept whole
  EXPECT_EQ(declared_author_names("Dylan Bailey, MS, RD, FAND", ""), (V{"Dylan Bailey"}));
}

TEST(DeclaredAuthors, Policy_NobodyInAnAuthorField) {
  EXPECT_EQ(declared_author_names("admin", ""), V{});
  EXPECT_EQ(declared_author_names("andrew.keaveney", ""), V{});  // a user handle
  EXPECT_EQ(declared_author_names("ops@example.org", ""), V{});  // an address
  EXPECT_EQ(declared_author_names("https://example.org/about", ""), V{});
  EXPECT_EQ(declared_author_names("The Harbour Tribune", "The Harbour Tribune"), V{});
  EXPECT_EQ(declared_author_names("网易", ""), V{});        // an outlet
  EXPECT_EQ(declared_author_names("{{author}}", ""), V{});  // a template slot
}

TEST(Credits, Spec_BylineAfterTheDateOfAnInfoLine) {
  const std::string html =
      "<html><head><title>Committee report on candidate experience - Example</title></head>"
      "<body><h1>Committee report on candidate experience</h1>"
      "<div class=meta>03/01/2017 by Agatha Caleo</div><div class=text>"
      "<p>The committee surveyed candidates who sat the spring exams about their experience, "
      "from registration to results, and received more than four hundred answers.</p>"
      "<p>Most found the registration process clear, but many asked for earlier notice of "
      "exam locations and for practice questions in the new format.</p></div></body></html>";
  const auto page = nh::extract::parse(html);
  EXPECT_EQ(page.article.reporters, (V{"Agatha Caleo"}));
}
