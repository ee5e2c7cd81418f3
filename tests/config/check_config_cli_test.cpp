// `newsharvest check-config`: exit codes and output of the built binary (NH_BINARY).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `newsharvest ARGS` with stdout and stderr captured in files.
Result run(const std::string& args) {
  // Per test and process: ctest runs the tests of this binary in parallel.
  const std::string stem = std::string("nh_check_config_") +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
                           std::to_string(::getpid());
  const fs::path dir = fs::path(::testing::TempDir());
  const fs::path out = dir / (stem + ".out");
  const fs::path err = dir / (stem + ".err");
  const std::string cmd = std::string("'") + NH_BINARY + "' " + args + " >'" + out.string() +
                          "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

TEST(CheckConfigCli, Spec_GoodProfileExitsZeroWithSummary) {
  const std::string file = std::string(NH_SOURCE_DIR) + "/config/sites/demo.toml";
  const Result r = run("check-config '" + file + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            file + ": ok (site demo, 1 seed, hosts demo.portal.test, www.gxzx-mirror.test)\n");
  EXPECT_EQ(r.err, "");
}

TEST(CheckConfigCli, Spec_BadProfileExitsTwoWithFileLineKey) {
  const fs::path file =
      fs::path(::testing::TempDir()) / ("nh_bad_profile_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "name = \"bad\"\n"
                         "seeds = [\"http://bad.test/\"]\n"
                         "[politeness]\n"
                         "delay_ms = \"20\"\n";
  const Result r = run("check-config '" + file.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            file.string() + ":4:1: politeness.delay_ms: expected an integer, got a string\n");
  fs::remove(file);
}

TEST(CheckConfigCli, Spec_MissingFileExitsTwo) {
  const Result r = run("check-config /nonexistent/profile.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "/nonexistent/profile.toml: cannot open profile\n");
}

}  // namespace
