#include "store/pg/pg.h"

#include <charconv>
#include <cstdlib>

namespace nh::store::pg {

bool is_url(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string redact(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto at = url.find('@', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at))
    return std::string(url);
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon)) + std::string(url.substr(at));
}

const char* Result::value(int row, int col) const {
  if (row < 0 || row >= rows() || col < 0 || col >= PQnfields(r_.get()))
    throw StoreError("PostgreSQL: the result has no row " + std::to_string(row) + ", column " +
                     std::to_string(col) + " (" + std::to_string(rows()) + " rows)");
  return PQgetvalue(r_.get(), row, col);
}

std::int64_t Result::i64(int row, int col) const {
  const char* v = value(row, col);
  std::int64_t out = 0;
  const auto len = static_cast<std::size_t>(PQgetlength(r_.get(), row, col));
  const auto [p, ec] = std::from_chars(v, v + len, out);
  if (ec != std::errc() || p != v + len)
    throw StoreError(std::string("PostgreSQL: not an integer: '") + v + "'");
  return out;
}

double Result::f64(int row, int col) const { return std::strtod(text(row, col).c_str(), nullptr); }

std::string Result::bytes(int row, int col) const {
  std::size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value(row, col)), &n);
  if (raw == nullptr) throw StoreError("PostgreSQL: a bytea value could not be decoded");
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n[0] ? std::strtoll(n, nullptr, 10) : 0;
}

Conn::Conn(const std::string& url) : c_(PQconnectdb(url.c_str())), name_(redact(url)) {
  if (!c_) throw StoreError(name_ + ": cannot connect: out of memory");
  if (PQstatus(c_.get()) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c_.get());
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw StoreError(name_ + ": cannot connect: " + msg);
  }
  // Quiet NOTICEs (IF NOT EXISTS ...): they are not the user's business.
  PQsetNoticeProcessor(
      c_.get(), [](void*, const char*) {}, nullptr);
  exec("SET client_encoding = 'UTF8'");
  exec("SET TIME ZONE 'UTC'");
}

void Conn::fail(PGresult* r, std::string_view what) const {
  std::string state;
  std::string msg;
  if (r != nullptr) {
    if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
    msg = PQresultErrorMessage(r);
    PQclear(r);
  }
  if (msg.empty()) msg = PQerrorMessage(c_.get());
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  throw PgError(name_ + ": " + std::string(what) + ": " + msg, state);
}

Result Conn::exec(const std::string& sql, std::initializer_list<Param> params) {
  return exec(sql, std::vector<Param>(params));
}

Result Conn::exec(const std::string& sql, const std::vector<Param>& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "nh" + std::to_string(prepared_.size());
    PGresult* r = PQprepare(c_.get(), name.c_str(), sql.c_str(), 0, nullptr);
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK)
      fail(r, "cannot prepare \"" + sql.substr(0, 60) + "\"");
    PQclear(r);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Param& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  PGresult* r = PQexecPrepared(c_.get(), it->second.c_str(), static_cast<int>(params.size()),
                               values.data(), lengths.data(), formats.data(), 0);
  const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, "\"" + sql.substr(0, 60) + "\"");
  return Result(r);
}

void Conn::script(const std::string& sql) {
  PGresult* r = PQexec(c_.get(), sql.c_str());
  const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(r, "schema script");
  PQclear(r);
}

Transaction::Transaction(Conn& c) : c_(c) {
  c_.exec("BEGIN");
  active_ = true;
}

Transaction::~Transaction() {
  if (!active_) return;
  try {
    c_.exec("ROLLBACK");
  } catch (...) {  // the connection is gone: the server rolled back already
  }
}

void Transaction::commit() {
  c_.exec("COMMIT");
  active_ = false;
}

}  // namespace nh::store::pg
