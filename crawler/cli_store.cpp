// Commands: export, stats, reextract (store issue). Not yet implemented: registers nothing.
#include "crawler/cli.h"

namespace nh::cli {

void add_store_commands(CLI::App& /*app*/, Registry& /*registry*/) {}

}  // namespace nh::cli
