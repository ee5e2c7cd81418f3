// `newsharvest check-config FILE...`: validate site profiles without crawling.
// Prints "FILE: ok (site NAME, N seeds, hosts A, B)" per good file on stdout and every problem
// of a bad file ("FILE:LINE:COL: KEY: MESSAGE") on stderr. Exit 0 when all files are valid,
// 2 (configuration error) otherwise; every file is checked even after a bad one.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/cli.h"

namespace nh::cli {
namespace {

struct CheckConfigArgs {
  std::vector<std::string> files;
};

int run_check_config(const CheckConfigArgs& a) {
  int rc = kOk;
  for (const std::string& file : a.files) {
    try {
      const config::Config c = config::load_profile(file);
      std::string hosts;
      for (const auto& h : c.hosts) hosts += (hosts.empty() ? "" : ", ") + h;
      std::cout << file << ": ok (site " << c.name << ", " << c.seeds.size()
                << (c.seeds.size() == 1 ? " seed" : " seeds") << ", hosts " << hosts << ")\n";
    } catch (const config::ConfigError& e) {
      // Caught here rather than in main.cpp so that a bad profile maps to 2, not 1, and the
      // remaining files are still checked.
      std::cerr << e.what() << "\n";
      rc = kUsage;
    }
  }
  std::cout.flush();
  return rc;
}

}  // namespace

void add_config_commands(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<CheckConfigArgs>();
  CLI::App* sub = app.add_subcommand(
      "check-config", "Validate site profiles (TOML) and report every problem with file:line");
  sub->add_option("files", args->files, "Profile files, e.g. config/sites/demo.toml")->required();
  registry[sub] = [args] { return run_check_config(*args); };
}

}  // namespace nh::cli
