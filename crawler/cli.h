// The `newsharvest` command line: each command lives in its own cli_*.cpp and registers a
// CLI11 subcommand plus the function that runs it. main.cpp maps exceptions to exit codes
// (DESIGN.md §3): 0 success, 1 runtime failure, 2 usage/configuration error, 3 degraded crawl.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <stdexcept>

namespace nh::cli {

enum Exit : int { kOk = 0, kFailure = 1, kUsage = 2, kDegraded = 3 };

// Thrown by a command for bad usage that CLI11 cannot see (e.g. conflicting options).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Runner = std::function<int()>;
using Registry = std::map<const CLI::App*, Runner>;

void add_extract_command(CLI::App& app, Registry& registry);  // cli_extract.cpp
void add_store_commands(CLI::App& app,
                        Registry& registry);  // cli_store.cpp: export, stats, reextract
void add_config_commands(CLI::App& app, Registry& registry);   // cli_config.cpp: check-config
void add_crawl_commands(CLI::App& app, Registry& registry);    // cli_crawl.cpp: crawl, fetch
void add_discover_command(CLI::App& app, Registry& registry);  // cli_discover.cpp

}  // namespace nh::cli
