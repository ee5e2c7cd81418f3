// Internal to newsharvest::store: the schema and its forward migrations (docs/SCHEMA.md is the
// reference for every column). Exposed for tests.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store/sqlite.h"

namespace nh::store::schema {

// The DDL of schema version 1 (tests compare the v1 fixture against it).
const char* v1_sql();

// Applies the steps from `from` up to `to` on `db`. Must run inside the caller's transaction
// (Store::open wraps it in BEGIN IMMEDIATE so the upgrade is all-or-nothing) and sets
// PRAGMA user_version = to at the end.
void migrate(sqlite3* db, const std::string& path, int from, int to);

// Write-path tuning of articles_fts (persistent FTS5 settings in articles_fts_config), applied
// on every read-write open when missing or different, inside the caller's transaction. Changes no
// query result: merges only decide how many b-tree segments hold the same index.
//   automerge 16, crisismerge 64  each article is flushed as its own level-0 segment (the
//                                 trigger's INSERT runs under a statement savepoint, and FTS5
//                                 flushes its pending terms at every savepoint), so merging is
//                                 most of the indexing cost; merging 16 segments at a time
//                                 instead of 4 rewrites each entry about half as often.
inline constexpr int kFtsAutomerge = 16;
inline constexpr int kFtsCrisismerge = 64;
void tune_fts(sqlite3* db, const std::string& path);

// The first copy a body with fingerprint `simhash` duplicates, or nullopt: among articles whose
// fingerprint is within kNearDuplicateBits, the smallest root id (root = duplicate_of, or the
// article itself when it is an original), never `self` or anything rooted at `self`.
// `candidates` must be prepared from kCandidatesSql (callers cache it).
extern const char* const kCandidatesSql;
// A candidate counts only when its headline matches `title` (when both are known).
std::optional<std::int64_t> find_first_copy(sql::Stmt& candidates, std::int64_t simhash,
                                            std::optional<std::int64_t> self,
                                            const std::optional<std::string>& title);

}  // namespace nh::store::schema
