// Internal to newsharvest's stores (SQLite store.cpp, PostgreSQL pg/): how an article record is
// encoded for storage, the same for every backend, so that a record hashes, diffs and serialises
// identically whichever database keeps it (and migrate-db can compare them).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "extract/page.h"

namespace nh::store {

// 16 lowercase hex digits.
std::string hex64(std::uint64_t v);
// articles.content_hash: the record's hashed fields (article_fields()), not how it was fetched.
std::string content_hash(const extract::Article& a);
// JSON texts as stored: ["a","b"] and {"rule":"name"}.
std::string string_array_json(const std::vector<std::string>& r);
std::string provenance_json(const std::map<std::string, std::string>& p);
// Record field names whose values differ (UpsertResult::changed_fields).
std::vector<std::string> changed_fields(const extract::Article& o, const extract::Article& n);

}  // namespace nh::store
