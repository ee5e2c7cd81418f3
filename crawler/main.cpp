// Thin entry point: parse arguments, run the chosen command, map errors to exit codes.
#include <iostream>

#include "config/config.h"
#include "crawler/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"newsharvest: crawl news and government portals into SQLite"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "newsharvest 0.1.0");
  nh::cli::Registry registry;
  nh::cli::add_extract_command(app, registry);
  nh::cli::add_store_commands(app, registry);
  nh::cli::add_config_commands(app, registry);
  nh::cli::add_crawl_commands(app, registry);
  nh::cli::add_discover_command(app, registry);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? nh::cli::kOk : nh::cli::kUsage;
  }
  try {
    for (const CLI::App* sub : app.get_subcommands()) {
      auto it = registry.find(sub);
      if (it != registry.end()) return it->second();
    }
    std::cerr << "newsharvest: no command given (see --help)\n";
    return nh::cli::kUsage;
  } catch (const nh::config::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return nh::cli::kUsage;
  } catch (const nh::cli::UsageError& e) {
    std::cerr << "newsharvest: " << e.what() << "\n";
    return nh::cli::kUsage;
  } catch (const std::exception& e) {
    std::cerr << "newsharvest: " << e.what() << "\n";
    return nh::cli::kFailure;
  }
}
