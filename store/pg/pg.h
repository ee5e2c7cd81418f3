// Internal to newsharvest::store::pg: RAII owners for libpq's handles and the few helpers the
// PostgreSQL store needs. Not part of the public API (include store/pg/pg_store.h).
//
// Contract
// - Conn owns one PGconn*; Result owns one PGresult*. Both free their handle in the destructor.
// - Conn::exec prepares each distinct SQL text once per connection (a statement cache keyed by
//   the text) and runs it with text parameters (Param::bytes: binary, for bytea). A failure
//   throws StoreError whose message starts with the redacted URL (no password) and carries the
//   SQLSTATE in sqlstate() ("40001", "23505", ...).
// - Values come back in text form; the accessors parse them. Not thread-safe: one thread per Conn.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace nh::store::pg {

// A StoreError of PostgreSQL: code() is 0; sqlstate() is the server's five-character code.
class PgError : public StoreError {
 public:
  PgError(const std::string& what, std::string sqlstate)
      : StoreError(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // Serialization failure or deadlock: the transaction may be retried.
  bool retryable() const noexcept { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_;
};

// One parameter: NULL, text, or binary bytes (bytea).
struct Param {
  Param() = default;  // NULL
  Param(std::nullopt_t) {}
  Param(std::string v) : value(std::move(v)) {}
  Param(std::string_view v) : value(std::string(v)) {}
  Param(const char* v) : value(std::string(v)) {}
  Param(std::int64_t v) : value(std::to_string(v)) {}
  Param(int v) : value(std::to_string(v)) {}
  Param(bool v) : value(v ? "true" : "false") {}
  Param(const std::optional<std::string>& v) : value(v) {}
  Param(const std::optional<std::int64_t>& v) {
    if (v) value = std::to_string(*v);
  }
  static Param bytes(std::string b) {
    Param p(std::move(b));
    p.binary = true;
    return p;
  }
  std::optional<std::string> value;
  bool binary = false;
};

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  int rows() const { return PQntuples(r_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // Values: StoreError (not undefined behaviour) for a row or column the result lacks.
  std::string text(int row, int col) const { return value(row, col); }
  std::optional<std::string> opt_text(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return text(row, col);
  }
  std::int64_t i64(int row, int col) const;
  std::optional<std::int64_t> opt_i64(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return i64(row, col);
  }
  bool boolean(int row, int col) const { return text(row, col) == "t"; }
  double f64(int row, int col) const;
  // A bytea column in text form (\x hex), decoded.
  std::string bytes(int row, int col) const;
  // Rows changed by an INSERT/UPDATE/DELETE.
  std::int64_t affected() const;

 private:
  const char* value(int row, int col) const;
  std::unique_ptr<PGresult, ResultDeleter> r_;
};

class Conn {
 public:
  // Connects to a libpq URL ("postgresql://user@host:port/db"); StoreError naming the URL.
  explicit Conn(const std::string& url);
  Conn(Conn&&) noexcept = default;
  Conn& operator=(Conn&&) noexcept = default;
  ~Conn() = default;

  Result exec(const std::string& sql, std::initializer_list<Param> params = {});
  Result exec(const std::string& sql, const std::vector<Param>& params);
  // Several statements, no parameters (schema scripts).
  void script(const std::string& sql);

  // The URL as given, with any password removed: what messages name.
  const std::string& name() const { return name_; }
  PGconn* raw() const { return c_.get(); }

 private:
  [[noreturn]] void fail(PGresult* r, std::string_view what) const;
  std::unique_ptr<PGconn, ConnDeleter> c_;
  std::string name_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

// A transaction on a Conn: BEGIN in the constructor, ROLLBACK in the destructor unless
// commit() ran.
class Transaction {
 public:
  explicit Transaction(Conn& c);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();
  bool active() const { return active_; }

 private:
  Conn& c_;
  bool active_ = false;
};

// "postgresql://" or "postgres://": a PostgreSQL URL rather than an SQLite path.
bool is_url(std::string_view db);
// The URL without its password ("postgresql://u:secret@h/db" -> "postgresql://u@h/db").
std::string redact(std::string_view url);

}  // namespace nh::store::pg
