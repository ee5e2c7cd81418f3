#include "extract/charset.h"

#include <gtest/gtest.h>

using namespace nh::extract;

namespace {
// "政协委员" in GBK and Big5 ("政協委員").
const std::string kGbk = "\xd5\xfe\xd0\xad\xce\xaf\xd4\xb1";
const std::string kBig5 = "\xac\x46\xa8\xf3\xa9\x65\xad\xfb";
const std::string kUtf8 = "政协委员";
}  // namespace

TEST(Charset, Spec_MetaGb2312DecodesAsGb18030) {
  const auto d = decode("<meta charset=gb2312><p>" + kGbk + "</p>");
  EXPECT_EQ(d.charset, "gb18030");
  EXPECT_EQ(d.reason, "meta");
  EXPECT_NE(d.utf8.find(kUtf8), std::string::npos);
}

TEST(Charset, Spec_HttpHeaderBeatsMeta) {
  const auto d = decode("<meta charset=utf-8><p>" + kGbk + "</p>", "text/html; charset=GBK");
  EXPECT_EQ(d.charset, "gb18030");
  EXPECT_EQ(d.reason, "http");
}

TEST(Charset, Spec_BomBeatsEverything) {
  const auto d = decode("\xEF\xBB\xBF<meta charset=gbk><p>" + kUtf8, "text/html; charset=gbk");
  EXPECT_EQ(d.charset, "utf-8");
  EXPECT_EQ(d.reason, "bom");
  EXPECT_EQ(d.utf8.substr(0, 3), "<me");
}

TEST(Charset, Spec_DeclaredGbButValidUtf8IsCorrected) {
  const auto d =
      decode("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>" + kUtf8);
  EXPECT_EQ(d.charset, "utf-8");
  EXPECT_EQ(d.reason, "meta-contradicted:gb18030");
  EXPECT_NE(d.utf8.find(kUtf8), std::string::npos);
}

TEST(Charset, Spec_DeclaredUtf8ButGbkBytesIsDetected) {
  std::string html = "<meta charset=utf-8><p>";
  for (int i = 0; i < 40; ++i) html += kGbk + "\xa3\xac";  // with full-width commas
  const auto d = decode(html);
  EXPECT_EQ(d.charset, "gb18030");
  EXPECT_NE(d.utf8.find(kUtf8), std::string::npos);
}

TEST(Charset, Spec_Big5DecodesWithHkscs) {
  const auto d = decode("<meta charset=\"big5\"><p>" + kBig5);
  EXPECT_EQ(d.charset, "big5");
  EXPECT_NE(d.utf8.find("政協委員"), std::string::npos);
}

TEST(Charset, Spec_ForcedLabelWins) {
  const auto d = decode("<meta charset=utf-8><p>" + kGbk, "", "gbk");
  EXPECT_EQ(d.charset, "gb18030");
  EXPECT_EQ(d.reason, "option");
}

TEST(Charset, Spec_UndeclaredValidUtf8) {
  const auto d = decode("<p>" + kUtf8);
  EXPECT_EQ(d.charset, "utf-8");
  EXPECT_EQ(d.reason, "default");
}

TEST(Charset, Policy_Latin1IsWindows1252) {
  const auto d = decode("<meta charset=iso-8859-1><p>caf\xe9 \x93quoted\x94");
  EXPECT_EQ(d.charset, "windows-1252");
  EXPECT_NE(d.utf8.find("café “quoted”"), std::string::npos);
}

TEST(Charset, Spec_InvalidBytesNeverThrow) {
  const auto d = decode(std::string("\xff\xfe\xfd\x80\x81", 5) + "<meta charset=nonsense-xyz>");
  EXPECT_FALSE(d.charset.empty());
}

namespace nh::extract {
namespace {

// Issue 13: a page declaring UTF-8 with a few invalid bytes keeps its UTF-8 text, with U+FFFD
// where the bytes were bad, and the provenance says how many — even when it has little other
// non-ASCII text (a share-of-the-page rule used to send it to detection: windows-1252 mojibake).
TEST(Charset, Spec_DeclaredUtf8WithAFewInvalidBytesIsDecodedPerCharacter) {
  const std::string html = "<meta charset=utf-8><title>News</title><p>" + kUtf8 +
                           " report \xFF\xFE and \x80 end, caf\xC3\xA9.</p>";
  const auto d = decode(html, "text/html; charset=utf-8");
  EXPECT_EQ(d.charset, "utf-8");
  EXPECT_EQ(d.reason, "http;invalid-bytes:3");
  EXPECT_NE(d.utf8.find(kUtf8 + " report \uFFFD\uFFFD and \uFFFD end, caf\u00E9."),
            std::string::npos)
      << d.utf8;
  EXPECT_TRUE(valid_utf8(d.utf8));
}

}  // namespace
}  // namespace nh::extract
