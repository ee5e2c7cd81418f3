// Commands: check-config (config module). Not yet implemented: registers nothing.
#include "crawler/cli.h"

namespace nh::cli {

void add_config_commands(CLI::App& /*app*/, Registry& /*registry*/) {}

}  // namespace nh::cli
