// Shared helpers for the store tests: exact-row queries, the sample record, temp files.
#pragma once

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "extract/page.h"
#include "extract/record.h"
#include "store/fingerprint.h"
#include "store/store.h"

namespace nh::store::test {

using Rows = std::vector<std::vector<std::string>>;

// Every row of `sql` as text, NULL as "NULL": tests assert whole result sets.
inline Rows rows(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> s(raw, &sqlite3_finalize);
  if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
  Rows out;
  int step;
  while ((step = sqlite3_step(s.get())) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(s.get()); ++i) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), i));
      row.push_back(t ? t : "NULL");
    }
    out.push_back(std::move(row));
  }
  if (step != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
  return out;
}

inline std::string one(sqlite3* db, const std::string& sql) {
  const Rows r = rows(db, sql);
  return r.empty() || r[0].empty() ? "<none>" : r[0][0];
}

// one() on a database file, through its own read-only connection.
inline std::string one_of_file(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  return one(db.get(), sql);
}

inline std::string fixture_path(const std::string& name) {
  return std::string(NH_STORE_FIXTURES) + "/" + name;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline std::uint64_t file_hash(const std::string& path) { return fnv1a64(read_bytes(path)); }

// The seed article of the mission (tests/fixtures/store/sample_article.json) as a Page.
inline extract::Page sample_page() {
  const auto j = nlohmann::json::parse(read_bytes(fixture_path("sample_article.json")));
  extract::Page p;
  p.url = j["url"];
  p.final_url = j["final_url"];
  p.kind = extract::PageKind::article;
  p.charset = j["charset"];
  p.article = extract::article_from_json(j);
  p.provenance = j["provenance"].get<std::map<std::string, std::string>>();
  return p;
}

// A synthetic article: distinct bodies for distinct n (no accidental near-duplicates).
inline extract::Page synthetic_page(int n, const std::string& section = "要闻") {
  extract::Page p;
  p.final_url = "http://example.gov.cn/a/" + std::to_string(n) + ".html";
  p.charset = "utf-8";
  p.article.site = "示例门户";
  p.article.section = section;
  p.article.title = "第" + std::to_string(n) + "号文章";
  p.article.published_at = "2024-03-0" + std::to_string(1 + n % 9);
  p.article.reporters = {"记者" + std::to_string(n % 3)};
  p.article.contributors = {{"记者" + std::to_string(n % 3), extract::Role::reporter}};
  std::string body;
  std::uint64_t x = 0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(n + 1);
  static const char* kWords[] = {"经济", "发展", "会议", "政府", "工作", "群众", "服务", "建设",
                                 "改革", "创新", "乡村", "振兴", "生态", "教育", "医疗", "文化"};
  for (int i = 0; i < 60; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    body += kWords[x % 16];
    if (i % 15 == 14) body += "。\n";
  }
  body += "编号" + std::to_string(n);
  p.article.body = body;
  p.article.language = "zh";
  p.provenance = {{"title", "h1"}};
  return p;
}

struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nh-store-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string file(const std::string& name) const { return (dir / name).string(); }
};

// Loads an SQL script into a new database file (fixtures, hand-made bad databases).
inline void load_sql(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  sqlite3_open(path.c_str(), &raw);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  char* err = nullptr;
  if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(path + ": " + msg);
  }
}

}  // namespace nh::store::test
