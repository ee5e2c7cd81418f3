#include "store/pg/pg_migrate.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

namespace nh::store::pg {
namespace {

// In copy order (a row's references are copied before it).
constexpr const char* kTables[] = {
    "sites",         "runs",     "raw_pages", "articles",   "contributors", "article_history",
    "article_pages", "frontier", "fetches",   "page_cache", "run_sites"};
// Derived on each side (the search index): left empty, rebuilt by index_pending.
const std::set<std::string> kDerived = {"title_terms", "body_terms", "indexed_version", "search"};
constexpr int kFetchRows = 500;

struct Column {
  std::string name;
  std::string pg_type;  // information_schema data_type on the PostgreSQL side
};

// The columns both schemas have, in PostgreSQL's order.
std::vector<Column> common_columns(Conn& pg, sqlite3* db, const std::string& table) {
  std::set<std::string> lite;
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &st, nullptr);
    while (st && sqlite3_step(st) == SQLITE_ROW)
      lite.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
  }
  const Result r = pg.exec(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = $1 ORDER BY ordinal_position",
      {table});
  std::vector<Column> out;
  for (int i = 0; i < r.rows(); ++i) {
    Column c{r.text(i, 0), r.text(i, 1)};
    if (lite.contains(c.name) && !kDerived.contains(c.name)) out.push_back(std::move(c));
  }
  return out;
}

std::string joined(const std::vector<Column>& cols, const std::string& sep = ", ") {
  std::string out;
  for (const auto& c : cols) out += (out.empty() ? "" : sep) + c.name;
  return out;
}

void require_empty_pg(Conn& c) {
  for (const char* t : {"sites", "runs", "articles", "frontier"})
    if (c.exec(std::string("SELECT EXISTS (SELECT 1 FROM ") + t + ")").boolean(0, 0))
      throw StoreError(c.name() + ": table " + t +
                       " is not empty; migrate-db copies into an empty database only");
}

void require_empty_sqlite(const Store& st) {
  for (const char* t : {"sites", "runs", "articles", "frontier"}) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(st.raw_handle(),
                       (std::string("SELECT EXISTS (SELECT 1 FROM ") + t + ")").c_str(), -1, &s,
                       nullptr);
    const bool any = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 0;
    sqlite3_finalize(s);
    if (any)
      throw StoreError(st.path() + ": table " + t +
                       " is not empty; migrate-db copies into an empty database only");
  }
}

// JSON text as the SQLite store writes it (compact).
std::string compact_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return text;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void sqlite_exec(sqlite3* db, const std::string& path, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError(path + ": " + sql + ": " + msg);
  }
}

}  // namespace

CopyReport copy_sqlite_to_pg(const Store& src, PgStore& dst) {
  Conn& pg = dst.conn();
  sqlite3* db = src.raw_handle();
  CopyReport report;
  {
    Transaction tx(pg);
    require_empty_pg(pg);
    pg.exec("SET CONSTRAINTS ALL DEFERRED");
    for (const char* table : kTables) {
      const auto cols = common_columns(pg, db, table);
      std::string params;
      for (std::size_t i = 1; i <= cols.size(); ++i)
        params += (i > 1 ? ", $" : "$") + std::to_string(i);
      const std::string insert =
          std::string("INSERT INTO ") + table + "(" + joined(cols) + ") VALUES (" + params + ")";
      sqlite3_stmt* st = nullptr;
      const std::string select = "SELECT " + joined(cols) + " FROM " + table + " ORDER BY 1" +
                                 (cols.size() > 1 ? ", 2" : "");
      if (sqlite3_prepare_v2(db, select.c_str(), -1, &st, nullptr) != SQLITE_OK)
        throw StoreError(src.path() + ": " + select + ": " + sqlite3_errmsg(db));
      std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owner(st, sqlite3_finalize);
      std::int64_t n = 0;
      std::vector<Param> row(cols.size());
      while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
          switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
              row[i] = Param();
              break;
            case SQLITE_INTEGER:
              row[i] = Param(static_cast<std::int64_t>(sqlite3_column_int64(st, i)));
              break;
            case SQLITE_BLOB:
              row[i] =
                  Param::bytes(std::string(static_cast<const char*>(sqlite3_column_blob(st, i)),
                                           static_cast<std::size_t>(sqlite3_column_bytes(st, i))));
              break;
            default:
              row[i] = Param(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                         static_cast<std::size_t>(sqlite3_column_bytes(st, i))));
          }
        }
        pg.exec(insert, row);
        ++n;
      }
      report[table] = n;
      if (std::find_if(cols.begin(), cols.end(), [](const Column& c) { return c.name == "id"; }) !=
          cols.end())
        pg.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table +
                "', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM " + table);
    }
    tx.commit();
  }
  dst.index_pending(-1, 1000);
  return report;
}

CopyReport copy_pg_to_sqlite(PgStore& src, Store& dst) {
  Conn& pg = src.conn();
  sqlite3* db = dst.raw_handle();
  CopyReport report;
  require_empty_sqlite(dst);
  Transaction read(pg);  // one snapshot of the source
  pg.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  sqlite_exec(db, dst.path(), "BEGIN IMMEDIATE");
  try {
    sqlite_exec(db, dst.path(), "PRAGMA defer_foreign_keys = ON");
    for (const char* table : kTables) {
      const auto cols = common_columns(pg, db, table);
      std::string select, params;
      for (const auto& c : cols) {
        if (!select.empty()) select += ", ";
        if (c.pg_type.starts_with("timestamp"))
          select += "to_char(" + c.name + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
        else if (c.pg_type == "jsonb")
          select += c.name + "::text";
        else
          select += c.name;
        params += params.empty() ? "?" : ", ?";
      }
      const std::string insert =
          std::string("INSERT INTO ") + table + "(" + joined(cols) + ") VALUES (" + params + ")";
      sqlite3_stmt* ins = nullptr;
      if (sqlite3_prepare_v2(db, insert.c_str(), -1, &ins, nullptr) != SQLITE_OK)
        throw StoreError(dst.path() + ": " + insert + ": " + sqlite3_errmsg(db));
      std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owner(ins, sqlite3_finalize);
      std::int64_t n = 0, after_page = 0;
      for (;;) {
        // Pages of kFetchRows in key order (OFFSET over one snapshot: a few hundred thousand
        // rows at most per table in the databases this copies).
        const Result r = pg.exec("SELECT " + select + " FROM " + table + " ORDER BY 1" +
                                     (cols.size() > 1 ? ", 2" : "") + " LIMIT $1 OFFSET $2",
                                 {kFetchRows, after_page});
        for (int row = 0; row < r.rows(); ++row) {
          for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
            const Column& c = cols[static_cast<std::size_t>(i)];
            if (r.is_null(row, i)) {
              sqlite3_bind_null(ins, i + 1);
            } else if (c.pg_type == "bytea") {
              const std::string b = r.bytes(row, i);
              sqlite3_bind_blob64(ins, i + 1, b.data(), b.size(), SQLITE_TRANSIENT);
            } else if (c.pg_type == "bigint" || c.pg_type == "integer") {
              sqlite3_bind_int64(ins, i + 1, r.i64(row, i));
            } else {
              const std::string t =
                  c.pg_type == "jsonb" ? compact_json(r.text(row, i)) : r.text(row, i);
              sqlite3_bind_text64(ins, i + 1, t.data(), t.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            }
          }
          if (sqlite3_step(ins) != SQLITE_DONE)
            throw StoreError(dst.path() + ": copying " + table + ": " + sqlite3_errmsg(db));
          sqlite3_reset(ins);
          ++n;
        }
        if (r.rows() < kFetchRows) break;
        after_page += kFetchRows;
      }
      report[table] = n;
    }
    sqlite_exec(db, dst.path(), "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  read.commit();
  dst.index_pending();
  return report;
}

}  // namespace nh::store::pg
