// migrate-db: copies a newsharvest database between the backends — SQLite into PostgreSQL
// (outgrowing one machine) and back (an analyst's local copy), with nothing lost.
//
// Contract
// - The destination must hold no articles, runs or frontier rows (StoreError otherwise, naming
//   it): migrate-db never merges. It is written in one transaction: all or nothing.
// - Every table both schemas have is copied row by row with its ids (so duplicate_of,
//   raw_page_id, run ids and history keep pointing where they did): sites, runs, raw_pages,
//   articles, contributors, article_history, article_pages, frontier, fetches, page_cache,
//   run_sites. Columns both sides have are copied; timestamps convert (ISO text <->
//   timestamptz), JSON (text <-> jsonb, compact on the SQLite side as the store writes it),
//   compressed bodies (BLOB <-> bytea) byte for byte.
// - Not copied: what each backend derives or keeps only while a crawl runs — the search index
//   (rebuilt on the destination before the commit), crawl_seen, PostgreSQL's leases, worker
//   names, heartbeats and host slots.
// - SQLite -> PostgreSQL -> SQLite gives back the same rows (tests/integration/pg_test.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "store/pg/pg_store.h"
#include "store/store.h"

namespace nh::store::pg {

// Rows copied per table.
using CopyReport = std::map<std::string, std::int64_t>;

CopyReport copy_sqlite_to_pg(const Store& src, PgStore& dst);
CopyReport copy_pg_to_sqlite(PgStore& src, Store& dst);

}  // namespace nh::store::pg
