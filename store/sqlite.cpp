// RAII wrappers over the SQLite C API. Errors name the database path first because the user
// usually has several databases and the SQLite message alone ("database is locked") does not
// say which one.
#include "store/sqlite.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace nh::store::sql {

void fail(sqlite3* db, const std::string& path, std::string_view what) {
  std::string msg = path + ": " + std::string(what);
  if (db != nullptr) {
    msg += ": ";
    msg += sqlite3_errmsg(db);
    msg += " (sqlite code " + std::to_string(sqlite3_extended_errcode(db)) + ")";
  }
  throw StoreError(msg, db != nullptr ? sqlite3_extended_errcode(db) : 0);
}

Stmt::Stmt(sqlite3* db, const std::string& path, std::string_view sql) : db_(db), path_(&path) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  stmt_.reset(raw);  // own it before looking at rc
  if (rc != SQLITE_OK) fail(db, path, "cannot prepare statement `" + std::string(sql) + "`");
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  if (sqlite3_bind_int64(stmt_.get(), i, v) != SQLITE_OK) fail(db_, *path_, "bind");
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  if (sqlite3_bind_double(stmt_.get(), i, v) != SQLITE_OK) fail(db_, *path_, "bind");
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  if (sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK)
    fail(db_, *path_, "bind");
  return *this;
}
Stmt& Stmt::bind(int i, const std::optional<std::string>& v) {
  return v ? bind(i, std::string_view(*v)) : bind_null(i);
}
Stmt& Stmt::bind(int i, const std::optional<std::int64_t>& v) {
  return v ? bind(i, *v) : bind_null(i);
}
Stmt& Stmt::bind_null(int i) {
  if (sqlite3_bind_null(stmt_.get(), i) != SQLITE_OK) fail(db_, *path_, "bind");
  return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const char kEmpty = 0;
  const char* p = bytes.empty() ? &kEmpty : bytes.data();
  if (sqlite3_bind_blob64(stmt_.get(), i, p, bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK)
    fail(db_, *path_, "bind");
  return *this;
}

int Stmt::index(const char* name) const {
  const int i = sqlite3_bind_parameter_index(stmt_.get(), name);
  if (i == 0)
    throw StoreError(*path_ + ": no parameter " + name + " in `" + sqlite3_sql(stmt_.get()) + "`");
  return i;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Capture the message before reset() replaces it.
  std::string msg = *path_ + ": " + sqlite3_errmsg(db_) + " (sqlite code " +
                    std::to_string(sqlite3_extended_errcode(db_)) + ") in `" +
                    sqlite3_sql(stmt_.get()) + "`";
  const int code = sqlite3_extended_errcode(db_);
  sqlite3_reset(stmt_.get());
  throw StoreError(msg, code);
}

void Stmt::run() {
  StmtScope scope(*this);
  while (step()) {
  }
}

void Stmt::reset() noexcept {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
std::int64_t Stmt::i64(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
double Stmt::real(int col) const { return sqlite3_column_double(stmt_.get(), col); }
std::string Stmt::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
  const int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}
std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
std::optional<std::int64_t> Stmt::opt_i64(int col) const {
  if (is_null(col)) return std::nullopt;
  return i64(col);
}
std::string Stmt::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), col));
  const int n = sqlite3_column_bytes(stmt_.get(), col);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

void exec(sqlite3* db, const std::string& path, const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::unique_ptr<char, decltype(&sqlite3_free)> owned(err, &sqlite3_free);
  if (rc != SQLITE_OK) {
    const int code = sqlite3_extended_errcode(db) != SQLITE_OK ? sqlite3_extended_errcode(db) : rc;
    throw StoreError(path + ": " + (err ? err : sqlite3_errstr(rc)) + " (sqlite code " +
                         std::to_string(code) + ")",
                     code);
  }
}

Transaction::Transaction(sqlite3* db, const std::string& path, bool immediate, int lock_timeout_ms)
    : db_(db), path_(path) {
  // Each BEGIN IMMEDIATE already waits busy_timeout for the lock; a writer that holds it longer
  // (an analyst's transaction, another crawl's batch) is waited for again, up to
  // lock_timeout_ms, instead of failing. Nothing has been done yet, so retrying is safe.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(lock_timeout_ms, 0));
  for (int attempt = 0;; ++attempt) {
    try {
      exec(db_, path_, immediate ? "BEGIN IMMEDIATE" : "BEGIN");
      break;
    } catch (const StoreError& e) {
      if (!e.busy() || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * (attempt + 1), 100)));
  }
  active_ = true;
}

Transaction::~Transaction() {
  if (active_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  exec(db_, path_, "COMMIT");
  active_ = false;
}

}  // namespace nh::store::sql
