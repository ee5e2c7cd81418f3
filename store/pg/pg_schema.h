// Internal to newsharvest::store::pg: the PostgreSQL schema and its migrations.
#pragma once

#include "store/pg/pg.h"

namespace nh::store::pg {

inline constexpr int kPgSchemaVersion = 1;

// Creates or migrates the schema in the connection's current schema (one transaction, under an
// advisory lock: workers starting together create it once) and returns its version. Refuses
// (StoreError naming the URL): a database with tables but no nh_schema, a newer version, or —
// read_only — one that needs migrating.
int open_schema(Conn& c, bool read_only);

}  // namespace nh::store::pg
