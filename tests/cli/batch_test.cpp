// `newsharvest extract` with many inputs: files, directories (recursive, --glob), "-" (stdin),
// --input-list, --jobs, the five formats, --output-dir, and unreadable inputs reported one by
// one with exit code 1 at the end. The fixtures (tests/cli/fixtures) were written for these
// tests: structured.html has a heading, lists, a table and a caption in its body.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `newsharvest ARGS` in the fixture directory (so inputs have short, stable names).
Result run(const std::string& args, const std::string& stdin_file = "/dev/null") {
  const std::string err = "/tmp/nh_cli_batch_err." + std::to_string(::getpid());
  const std::string cmd = std::string("cd '") + NH_CLI_FIXTURES + "' && '" + NH_BINARY + "' " +
                          args + " <'" + stdin_file + "' 2>'" + err + "'";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = slurp(err);
  fs::remove(err);
  return r;
}

const std::string kStructuredBody =
    "3月4日,市政协召开专题协商会,围绕城市更新工作建言资政,与会委员踊跃发言,提出意见建议三十余条。\n"
    "协商的重点\n"
    "会议认为,城市更新要坚持以人民为中心,统筹好保护与发展的关系,"
    "把群众的急难愁盼作为工作的着力点。\n"
    "完善老旧小区配套设施,补齐养老托育短板。\n"
    "加快背街小巷改造提升,改善居民出行条件。\n"
    "委员的建议\n"
    "建立城市体检评估机制,做到底数清楚。\n"
    "拓宽社会资本参与渠道,形成多元投入格局。\n"
    "项目\n数量\n老旧小区\n120个\n背街小巷\n45条\n"
    "专题协商会现场。\n"
    "会议强调,各级政协组织要发挥专门协商机构作用,持续跟踪建议落实情况,"
    "推动城市更新工作取得更大成效。";

const std::string kStructuredMarkdownBody =
    "3月4日,市政协召开专题协商会,围绕城市更新工作建言资政,与会委员踊跃发言,提出意见建议三十余条。\n"
    "\n"
    "## 协商的重点\n"
    "\n"
    "会议认为,城市更新要坚持以人民为中心,统筹好保护与发展的关系,"
    "把群众的急难愁盼作为工作的着力点。\n"
    "\n"
    "- 完善老旧小区配套设施,补齐养老托育短板。\n"
    "- 加快背街小巷改造提升,改善居民出行条件。\n"
    "\n"
    "## 委员的建议\n"
    "\n"
    "1. 建立城市体检评估机制,做到底数清楚。\n"
    "2. 拓宽社会资本参与渠道,形成多元投入格局。\n"
    "\n"
    "| 项目 | 数量 |\n"
    "| --- | --- |\n"
    "| 老旧小区 | 120个 |\n"
    "| 背街小巷 | 45条 |\n"
    "\n"
    "*专题协商会现场。*\n"
    "\n"
    "会议强调,各级政协组织要发挥专门协商机构作用,持续跟踪建议落实情况,"
    "推动城市更新工作取得更大成效。\n";

const std::string kPlainText =
    "委员视察农村公路建设\n"
    "\n"
    "5月12日,部分市政协委员视察农村公路建设情况,实地察看了三条乡村公路的建设进度和工程质量。\n"
    "\n"
    "委员们建议,要加强养护管理,建立长效机制,让农村公路建得好、管得好、护得好、运营好。\n";

TEST(ExtractBatch, Spec_MarkdownKeepsHeadingsListsTablesAndCaptions) {
  const Result r = run("extract structured.html --format markdown");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "---\n"
            "title: \"全市政协系统开展专题协商\"\n"
            "input: \"structured.html\"\n"
            "site: \"示范政协新闻网\"\n"
            "published_at: \"2024-03-05T09:30:00+08:00\"\n"
            "source: \"示范政协报\"\n"
            "---\n"
            "\n"
            "# 全市政协系统开展专题协商\n"
            "\n" +
                kStructuredMarkdownBody);
  EXPECT_EQ(r.err, "");
}

TEST(ExtractBatch, Spec_TextKeepsTheStructureWithoutMarkup) {
  const Result r = run("extract structured.html --format txt");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "全市政协系统开展专题协商\n\n"
            "3月4日,市政协召开专题协商会,围绕城市更新工作建言资政,与会委员踊跃发言,"
            "提出意见建议三十余条。\n"
            "\n协商的重点\n\n"
            "会议认为,城市更新要坚持以人民为中心,统筹好保护与发展的关系,"
            "把群众的急难愁盼作为工作的着力点。\n"
            "\n- 完善老旧小区配套设施,补齐养老托育短板。\n"
            "- 加快背街小巷改造提升,改善居民出行条件。\n"
            "\n委员的建议\n"
            "\n1. 建立城市体检评估机制,做到底数清楚。\n"
            "2. 拓宽社会资本参与渠道,形成多元投入格局。\n"
            "\n项目\t数量\n老旧小区\t120个\n背街小巷\t45条\n"
            "\n专题协商会现场。\n"
            "\n会议强调,各级政协组织要发挥专门协商机构作用,持续跟踪建议落实情况,"
            "推动城市更新工作取得更大成效。\n");
}

TEST(ExtractBatch, Spec_RecordKeepsPlainBodyAndGainsMarkdownOnlyWhenAsked) {
  const Result plain = run("extract structured.html");
  ASSERT_EQ(plain.code, 0) << plain.err;
  const auto j = nlohmann::json::parse(plain.out);
  EXPECT_EQ(j["body"], kStructuredBody);
  EXPECT_FALSE(j.contains("body_markdown"));
  const Result md = run("extract structured.html --body-markdown");
  ASSERT_EQ(md.code, 0) << md.err;
  const auto k = nlohmann::json::parse(md.out);
  EXPECT_EQ(k["body"], kStructuredBody);
  EXPECT_EQ(k["body_markdown"], kStructuredMarkdownBody);
}

TEST(ExtractBatch, Spec_DirectoriesAreReadRecursivelyInOrderWithTheDefaultGlob) {
  // site/ holds a.html, notes.txt (not a page: skipped), sub/b.htm, sub/c.html.gz (gzip).
  for (const char* jobs : {"1", "2"}) {
    const Result r = run(std::string("extract site --format csv --jobs ") + jobs);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string plain_body =
        "\"5月12日,部分市政协委员视察农村公路建设情况,"
        "实地察看了三条乡村公路的建设进度和工程质量。\n"
        "委员们建议,要加强养护管理,建立长效机制,让农村公路建得好、管得好、护得好、运营好。\"";
    EXPECT_EQ(r.out,
              "input,url,final_url,site,section,title,subtitle,published_at,reporters,"
              "contributors,source,body,language,charset\r\n"
              "site/a.html,,,示范政协新闻网,,委员视察农村公路建设,,,[],[],," +
                  plain_body + ",zh,utf-8\r\n" +
                  "site/sub/b.htm,,,示范政协新闻网,,全市政协系统开展专题协商,,2024-03-05T09:30:"
                  "00+08:00,[],[],示范政协报,\"" +
                  kStructuredBody + "\",zh,utf-8\r\n" +
                  "site/sub/c.html.gz,,,示范政协新闻网,,委员视察农村公路建设,,,[],[],," +
                  plain_body + ",zh,utf-8\r\n")
        << "--jobs " << jobs;
  }
  const Result only_html = run("extract site --glob '*.html' --format txt");
  ASSERT_EQ(only_html.code, 0) << only_html.err;
  EXPECT_EQ(only_html.out, kPlainText);
  const Result by_path = run("extract site --glob 'sub/*' --format jsonl");
  ASSERT_EQ(by_path.code, 0) << by_path.err;
  std::istringstream lines(by_path.out);
  std::vector<std::string> inputs;
  for (std::string l; std::getline(lines, l);) inputs.push_back(nlohmann::json::parse(l)["input"]);
  EXPECT_EQ(inputs, (std::vector<std::string>{"site/sub/b.htm", "site/sub/c.html.gz"}));
}

TEST(ExtractBatch, Spec_UnreadableInputsAreNamedAndTheOthersStillRun) {
  const Result r =
      run("extract nothere.html broken.html.gz plain.html http://x.test/a.html site/ "
          "--format txt --glob '*.html' --jobs 3");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, kPlainText + "\n" + kPlainText);
  EXPECT_EQ(r.err,
            "newsharvest extract: nothere.html: no such file or directory\n"
            "newsharvest extract: broken.html.gz: truncated gzip data\n"
            "newsharvest extract: http://x.test/a.html: a URL, not a file (newsharvest fetch "
            "reads URLs)\n");
}

TEST(ExtractBatch, Spec_StdinAndInputList) {
  const fs::path list = fs::temp_directory_path() / ("nh_list." + std::to_string(::getpid()));
  {
    std::ofstream out(list);
    out << "# pages to read\n\nstructured.html\n  site/a.html  \n";
  }
  const Result r = run("extract - --input-list '" + list.string() + "' --format json",
                       std::string(NH_CLI_FIXTURES) + "/plain.html");
  fs::remove(list);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["input"], "-");
  EXPECT_EQ(j[0]["title"], "委员视察农村公路建设");
  EXPECT_EQ(j[1]["input"], "structured.html");
  EXPECT_EQ(j[1]["body"], kStructuredBody);
  EXPECT_EQ(j[2]["input"], "site/a.html");
  // "-" twice (argument and list) is a usage error.
  const Result twice = run("extract - --input-list -");
  EXPECT_EQ(twice.code, 2);
  EXPECT_EQ(twice.err, "newsharvest: \"-\" (standard input) is given more than once\n");
}

TEST(ExtractBatch, Spec_OutputDirWritesOneFilePerInput) {
  const fs::path dir = fs::temp_directory_path() / ("nh_out." + std::to_string(::getpid()));
  fs::remove_all(dir);
  const Result r = run("extract site plain.html site/a.html --format txt --jobs 2 --output-dir '" +
                       dir.string() + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), dir).generic_string());
  std::sort(files.begin(), files.end());
  // site/a.html and the second a.html: "a.txt", then "a-2.txt".
  EXPECT_EQ(files,
            (std::vector<std::string>{"a-2.txt", "a.txt", "plain.txt", "sub/b.txt", "sub/c.txt"}));
  EXPECT_EQ(slurp(dir / "plain.txt"), kPlainText);
  EXPECT_EQ(slurp(dir / "sub/c.txt"), kPlainText);
  fs::remove_all(dir);
}

}  // namespace

// extract --db stores every record in one transaction and indexes it before it exits: a search
// right after finds it, with nothing waiting for the index.
TEST(ExtractBatch, Spec_DbStoresAndIndexesAtOnce) {
  const fs::path db =
      fs::temp_directory_path() / ("nh_batch." + std::to_string(::getpid()) + ".db");
  const Result r =
      run("extract plain.html structured.html --db '" + db.string() + "' --format txt");
  ASSERT_EQ(r.code, 0) << r.err;
  const Result lag = run("stats --db '" + db.string() + "' --json");
  ASSERT_EQ(lag.code, 0) << lag.err;
  EXPECT_EQ(nlohmann::json::parse(lag.out)["index_pending"], 0);
  const Result s = run("search --db '" + db.string() + "' 农村公路 --format csv");
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("委员视察农村公路建设"), std::string::npos) << s.out;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}
