// Internal to newsharvest::store: the schema and its forward migrations (docs/SCHEMA.md is the
// reference for every column). Exposed for tests.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace nh::store::schema {

// The DDL of schema version 1 (tests compare the v1 fixture against it).
const char* v1_sql();

// Applies the steps from `from` up to `to` on `db`. Must run inside the caller's transaction
// (Store::open wraps it in BEGIN IMMEDIATE so the upgrade is all-or-nothing) and sets
// PRAGMA user_version = to at the end.
void migrate(sqlite3* db, const std::string& path, int from, int to);

// The first copy a body with fingerprint `simhash` duplicates, or nullopt: among articles whose
// fingerprint is within kNearDuplicateBits, the smallest root id (root = duplicate_of, or the
// article itself when it is an original), never `self` or anything rooted at `self`.
// Bounded: the candidates are the kCandidatesPerBand oldest articles sharing each 16-bit band
// of the fingerprint (a fingerprint within 3 bits shares at least one band whole), plus every
// article with exactly this fingerprint and headline (an index seek). So the cost of storing an
// article does not grow with the number of stored articles sharing its template (templated
// notices: one body, a headline each); what it gives up is a near-but-not-identical copy whose
// original has more than kCandidatesPerBand older look-alikes with other headlines.
// `candidates` must be prepared from kCandidatesSql (callers cache it).
inline constexpr int kCandidatesPerBand = 64;
extern const char* const kCandidatesSql;
// A candidate counts only when its headline matches `title` (when both are known).
std::optional<std::int64_t> find_first_copy(sql::Stmt& candidates, std::int64_t simhash,
                                            std::optional<std::int64_t> self,
                                            const std::optional<std::string>& title);

// The same choice over candidates a backend fetched itself (the PostgreSQL store), in the order
// the query gave them: the rule of find_first_copy without the statement.
struct CopyCandidate {
  std::int64_t id = 0;
  std::optional<std::int64_t> simhash;
  std::optional<std::int64_t> duplicate_of;
  std::optional<std::string> title;
};
std::optional<std::int64_t> first_copy(const std::vector<CopyCandidate>& candidates,
                                       std::int64_t simhash, std::optional<std::int64_t> self,
                                       const std::optional<std::string>& title);

}  // namespace nh::store::schema
