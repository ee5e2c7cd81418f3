// Commands: crawl, fetch (crawl issue). Not yet implemented: registers nothing.
#include "crawler/cli.h"

namespace nh::cli {

void add_crawl_commands(CLI::App& /*app*/, Registry& /*registry*/) {}

}  // namespace nh::cli
