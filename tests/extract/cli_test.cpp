// `newsharvest extract`: one JSON record per readable input, a named error and exit 1 for an
// unreadable one (the others still processed), --explain adds candidates.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

struct Result {
  int code = -1;
  std::string out;
};

// ctest runs tests in parallel processes: one stderr file per process.
std::string err_path() { return "/tmp/nh_extract_cli_err." + std::to_string(::getpid()); }
// Removed when the test process exits (it used to be left in /tmp by every run).
struct ErrFileRemover {
  ~ErrFileRemover() { std::remove(err_path().c_str()); }
} const remove_err_file_at_exit;

Result run(const std::string& args) {
  const std::string cmd = std::string("'") + NH_BINARY + "' " + args + " 2>'" + err_path() + "'";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string stderr_text() {
  FILE* f = std::fopen(err_path().c_str(), "r");
  std::string s;
  if (!f) return s;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) s.append(buf.data(), n);
  std::fclose(f);
  return s;
}

const std::string kPages = NH_FIXTURES;

TEST(ExtractCli, Spec_OneRecordPerInputAndNamedErrorForUnreadable) {
  const Result r = run("extract " + kPages + "/sample-portal-article.html /nonexistent/x.html " +
                       kPages + "/trs-wcm-gov.html");
  EXPECT_EQ(r.code, 1);
  std::istringstream in(r.out);
  std::vector<nlohmann::json> recs;
  for (std::string line; std::getline(in, line);) recs.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["title"], "互学互促共提升");
  EXPECT_EQ(recs[0]["input"], kPages + "/sample-portal-article.html");
  EXPECT_EQ(recs[1]["input"], kPages + "/trs-wcm-gov.html");
  EXPECT_NE(stderr_text().find("/nonexistent/x.html"), std::string::npos);
}

TEST(ExtractCli, Spec_ExplainAddsCandidates) {
  const Result r = run("extract --explain " + kPages + "/sample-portal-article.html");
  ASSERT_EQ(r.code, 0);
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("explain"));
  bool title = false, body = false;
  for (const auto& c : j["explain"]) {
    // The winning headline says why: the page's only h1, all of it in the <title>, the
    // heading just before the text.
    if (c["field"] == "title" && c["rule"] == "h1") {
      title = true;
      EXPECT_EQ(c["value"], "互学互促共提升");
      EXPECT_EQ(c["note"], "tag +7, title_words +10, title_cover +0.824, position +2");
    }
    if (c["field"] == "body") body = true;
  }
  EXPECT_TRUE(title);
  EXPECT_TRUE(body);
  EXPECT_EQ(j["provenance"]["section"], "breadcrumb");
}

TEST(ExtractCli, Policy_ForcedCharsetAndUsageErrors) {
  const Result r = run("extract --charset gbk " + kPages + "/dedecms-gbk.html");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["provenance"]["charset"], "option");
  EXPECT_EQ(run("extract").code, 2);
  EXPECT_EQ(run("extract --no-such-flag x.html").code, 2);
}

}  // namespace

namespace {
std::string fixture(const std::string& name) { return std::string(NH_FIXTURES) + "/" + name; }
}  // namespace

TEST(ExtractCli, Spec_OptionValuesAreValidatedLikeProfileValues) {
  Result r = run("extract '" + fixture("english-news.html") + "' --time-zone Mars/Base");
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(stderr_text().find("--time-zone"), std::string::npos) << stderr_text();
  r = run("extract '" + fixture("english-news.html") + "' --charset nonsense");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(stderr_text().find("--charset"), std::string::npos) << stderr_text();
  r = run("extract '" + fixture("english-news.html") +
          "' --charset utf-8 --time-zone Europe/Berlin");
  EXPECT_EQ(r.code, 0);
}

TEST(ExtractCli, Spec_GzipCompressedPagesAreReadAsSuch) {
  const std::string gz = "/tmp/nh_extract_cli_gz." + std::to_string(::getpid()) + ".html.gz";
  ASSERT_EQ(std::system(("gzip -c '" + fixture("english-news.html") + "' > '" + gz + "'").c_str()),
            0);
  const Result plain = run("extract '" + fixture("english-news.html") + "'");
  const Result packed = run("extract '" + gz + "'");
  ASSERT_EQ(packed.code, 0) << stderr_text();
  auto record = [](const std::string& out) {
    nlohmann::json j = nlohmann::json::parse(out);
    j.erase("input");
    return j;
  };
  EXPECT_EQ(record(packed.out), record(plain.out));
  // A truncated archive is an unreadable input: named, exit 1.
  ASSERT_EQ(std::system(("head -c 300 '" + gz + "' > '" + gz + ".cut'").c_str()), 0);
  const Result cut = run("extract '" + gz + ".cut'");
  EXPECT_EQ(cut.code, 1);
  EXPECT_NE(stderr_text().find("gzip"), std::string::npos) << stderr_text();
  std::remove(gz.c_str());
  std::remove((gz + ".cut").c_str());
}
