// Opening files: fresh databases, migration from the v1 fixture, and everything that must be
// refused without touching the file (not SQLite, foreign SQLite, corrupt, newer, read-only).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "helpers.h"
#include "store/schema.h"

namespace nh::store::test {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(OpenTest, Spec_FreshFileIsCurrentSchemaInWalModeWithForeignKeys) {
  TempDir t;
  const std::string path = t.file("sub/dir/news.db");  // parent directories are created
  auto store = Store::open(path);
  EXPECT_EQ(store.schema_version(), kSchemaVersion);
  sqlite3* db = store.raw_handle();
  EXPECT_EQ(one(db, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(one(db, "PRAGMA application_id"), std::to_string(kApplicationId));
  EXPECT_EQ(one(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(one(db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(one(db, "PRAGMA busy_timeout"), "5000");
  // Foreign keys are enforced, not just declared.
  EXPECT_THROW(rows(db,
                    "INSERT INTO frontier(url, site_id, kind, next_attempt_at, discovered_at, "
                    "updated_at) VALUES ('u', 99, 'seed', 'x', 'x', 'x')"),
               std::runtime_error);
  EXPECT_EQ(rows(db,
                 "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name "
                 "NOT LIKE 'articles_fts_%' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
            (Rows{{"article_history"},
                  {"article_pages"},
                  {"articles"},
                  {"articles_fts"},
                  {"articles_per_reporter"},
                  {"articles_per_section"},
                  {"articles_per_site_day"},
                  {"contributors"},
                  {"crawl_seen"},
                  {"duplicates"},
                  {"fetches"},
                  {"fill_rates"},
                  {"frontier"},
                  {"page_cache"},
                  {"raw_pages"},
                  {"recent_runs"},
                  {"run_sites"},
                  {"runs"},
                  {"sites"}}));
  // Reopening is a no-op and keeps the data.
  {
    auto b = store.begin_batch();
    b.upsert_article("gxzx", "http://x/1", sample_page());
    b.commit();
  }
  store = Store::open(path);
  EXPECT_EQ(one(store.raw_handle(), "SELECT count(*) FROM articles"), "1");
}

TEST(OpenTest, Spec_V1FixtureHasTheSchemaVersion1CodeCreates) {
  TempDir t;
  load_sql(t.file("fixture.db"), read_bytes(fixture_path("schema_v1.sql")));
  load_sql(t.file("code.db"), std::string(schema::v1_sql()) + "PRAGMA user_version = 1;");
  const std::string q = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name";
  sqlite3* a = nullptr;
  sqlite3* b = nullptr;
  sqlite3_open(t.file("fixture.db").c_str(), &a);
  sqlite3_open(t.file("code.db").c_str(), &b);
  EXPECT_EQ(rows(a, q), rows(b, q));
  EXPECT_EQ(one(a, "PRAGMA user_version"), "1");
  EXPECT_EQ(one(a, "PRAGMA application_id"), one(b, "PRAGMA application_id"));
  sqlite3_close(a);
  sqlite3_close(b);
}

TEST(OpenTest, Spec_MigratesV1FixtureToCurrentWithDataIntact) {
  TempDir t;
  const std::string path = t.file("v1.db");
  load_sql(path, read_bytes(fixture_path("schema_v1.sql")));
  // Everything v1 had, as text, before the upgrade.
  const std::vector<std::string> tables = {"sites",    "runs",         "raw_pages",
                                           "articles", "contributors", "article_history",
                                           "frontier", "fetches",      "run_sites"};
  std::map<std::string, Rows> before;
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    for (const auto& tbl : tables)
      before[tbl] = rows(db, "SELECT * FROM " + tbl + " ORDER BY 1, 2");
    sqlite3_close(db);
  }
  auto store = Store::open(path);
  sqlite3* db = store.raw_handle();
  EXPECT_EQ(one(db, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  for (const auto& tbl : tables) {
    Rows after = rows(db, "SELECT * FROM " + tbl + " ORDER BY 1, 2");
    if (tbl == "articles") {  // v2 appends simhash and duplicate_of, v5 published_time,
                              // title_terms, body_terms, indexed_version, v7 page_count (1 for
                              // a page whose body provenance says nothing of a join); v1's are
                              // unchanged
      for (auto& r : after) {
        EXPECT_EQ(r.back(), "1");
        r.resize(r.size() - 7);
      }
    }
    if (tbl == "runs")  // v3 appends requests, not_modified, list_pages, list_article_links, alarms
      for (auto& r : after) {
        EXPECT_EQ(std::vector<std::string>(r.end() - 5, r.end()),
                  (std::vector<std::string>{"0", "0", "0", "0", "[]"}));
        r.resize(r.size() - 5);
      }
    EXPECT_EQ(after, before[tbl]) << tbl;
  }
  // What v3 adds: the page cache (empty), the run columns, the index and the view.
  EXPECT_EQ(
      rows(db,
           "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('page_cache') "
           "ORDER BY cid"),
      (Rows{{"url", "TEXT", "0", "NULL", "1"},
            {"site_id", "INTEGER", "1", "NULL", "0"},
            {"etag", "TEXT", "0", "NULL", "0"},
            {"last_modified", "TEXT", "0", "NULL", "0"},
            {"content_type", "TEXT", "0", "NULL", "0"},
            {"fetched_at", "TEXT", "1", "NULL", "0"},
            {"checked_at", "TEXT", "1", "NULL", "0"},
            {"size", "INTEGER", "1", "NULL", "0"},
            {"body", "BLOB", "1", "NULL", "0"}}));
  EXPECT_EQ(one(db, "SELECT count(*) FROM page_cache"), "0");
  EXPECT_EQ(rows(db,
                 "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info('runs') "
                 "WHERE cid >= 11 ORDER BY cid"),
            (Rows{{"requests", "INTEGER", "1", "0"},
                  {"not_modified", "INTEGER", "1", "0"},
                  {"list_pages", "INTEGER", "1", "0"},
                  {"list_article_links", "INTEGER", "1", "0"},
                  {"alarms", "TEXT", "1", "'[]'"}}));
  EXPECT_EQ(one(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'runs_site'"), "1");
  EXPECT_EQ(rows(db,
                 "SELECT run_id, site, status, duration_s, requests, alarm_count, alarms FROM "
                 "recent_runs ORDER BY run_id"),
            (Rows{{"1", "gxzx", "ok", "300", "0", "0", "[]"},
                  {"2", "bsnews", "degraded", "180", "0", "0", "[]"}}));
  EXPECT_THROW(rows(db, "UPDATE runs SET alarms = 'not json' WHERE id = 1"), std::runtime_error);
  const auto runs = store.recent_runs("gxzx", 5);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "ok");
  EXPECT_EQ(runs[0].counts.pages_fetched, 12);
  EXPECT_TRUE(runs[0].alarms.empty());
  // The migration computed what v2 adds: fingerprints and the reprint link.
  EXPECT_EQ(rows(db, "SELECT id, simhash IS NOT NULL, duplicate_of FROM articles ORDER BY id"),
            (Rows{{"1", "1", "NULL"}, {"2", "1", "1"}, {"3", "1", "NULL"}}));
  EXPECT_EQ(rows(db, "SELECT id, original_id FROM duplicates"), (Rows{{"2", "1"}}));
  EXPECT_EQ(rows(db, "SELECT site, articles, duplicates FROM fill_rates ORDER BY site"),
            (Rows{{"bsnews", "2", "1"}, {"gxzx", "1", "0"}}));
  // What v5 adds: every article waits for the index, which then finds them at any word length.
  EXPECT_EQ(rows(db,
                 "SELECT id, published_at, published_time, title_terms, indexed_version FROM "
                 "articles ORDER BY id"),
            (Rows{{"1", "2021-05-26", "NULL", "NULL", "NULL"},
                  {"2", "2021-05-27T08:30:00+08:00", "08:30:00", "NULL", "NULL"},
                  {"3", "2021-05-28", "NULL", "NULL", "NULL"}}));
  EXPECT_EQ(store.index_lag(), 3);
  EXPECT_EQ(store.index_pending(), 3);
  EXPECT_EQ(rows(db,
                 "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '\"政协 协委 委员\"' "
                 "ORDER BY 1"),
            (Rows{{"1"}, {"2"}}));
  EXPECT_EQ(rows(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '政协' ORDER BY 1"),
            (Rows{{"1"}, {"2"}}));
  // What v4 adds: article_pages, with page 1 of every article that has a raw page.
  EXPECT_EQ(
      rows(db,
           "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('article_pages') "
           "ORDER BY cid"),
      (Rows{{"article_id", "INTEGER", "1", "NULL", "1"},
            {"page", "INTEGER", "1", "NULL", "2"},
            {"raw_page_id", "INTEGER", "1", "NULL", "0"}}));
  EXPECT_EQ(one(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'article_pages_raw_page'"),
            "1");
  EXPECT_EQ(rows(db, "SELECT id, raw_page_id FROM articles ORDER BY id"),
            (Rows{{"1", "1"}, {"2", "NULL"}, {"3", "NULL"}}));
  EXPECT_EQ(rows(db, "SELECT article_id, page, raw_page_id FROM article_pages ORDER BY 1, 2"),
            (Rows{{"1", "1", "1"}}));
  // The trigram index and its write-path triggers are gone; only the delete trigger is left.
  EXPECT_EQ(rows(db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY 1"),
            (Rows{{"articles_fts_delete"}}));
  EXPECT_THAT(one(db, "SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'"),
              HasSubstr("content=\"articles\""));
  // The archived page still decompresses to the original bytes, as the article's only page.
  const auto pages = store.archived_pages(std::nullopt, 0, 10);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].pages.size(), 1u);
  EXPECT_THAT(pages[0].pages[0].bytes, HasSubstr("<h1>互学互促共提升</h1>"));
  EXPECT_EQ(pages[0].pages[0].url, "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345.html");
  // And the migrated database takes upserts: the changed sample bumps version 2 -> 3.
  auto b = store.begin_batch();
  const auto r = b.upsert_article("gxzx", "http://www.gxzx.gov.cn/html/2021/szdt_0526/12345.html",
                                  sample_page());
  b.commit();
  EXPECT_EQ(r.outcome, Upsert::updated);
  EXPECT_EQ(one(db, "SELECT version FROM articles WHERE id = 1"), "3");
}

TEST(OpenTest, Spec_FailedMigrationLeavesVersion1Intact) {
  TempDir t;
  const std::string path = t.file("v1.db");
  // An object named like one v2 creates makes the v2 step fail half-way.
  load_sql(path, read_bytes(fixture_path("schema_v1.sql")) + "CREATE TABLE duplicates(x);");
  EXPECT_THAT(error_of([&] { Store::open(path); }), HasSubstr("duplicates"));
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  EXPECT_EQ(one(db, "PRAGMA user_version"), "1");
  EXPECT_EQ(one(db, "SELECT count(*) FROM pragma_table_info('articles') WHERE name = 'simhash'"),
            "0");
  EXPECT_EQ(one(db, "SELECT count(*) FROM articles"), "3");
  sqlite3_close(db);
}

TEST(OpenTest, Spec_FailedV3StepLeavesVersion1Intact) {
  TempDir t;
  const std::string path = t.file("v1.db");
  // v2 succeeds, then the v3 step fails: the whole upgrade is rolled back, v2 included.
  load_sql(path, read_bytes(fixture_path("schema_v1.sql")) + "CREATE TABLE page_cache(x);");
  EXPECT_THAT(error_of([&] { Store::open(path); }), HasSubstr("page_cache"));
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  EXPECT_EQ(one(db, "PRAGMA user_version"), "1");
  EXPECT_EQ(one(db, "SELECT count(*) FROM pragma_table_info('articles') WHERE name = 'simhash'"),
            "0");
  EXPECT_EQ(one(db, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'alarms'"), "0");
  sqlite3_close(db);
}

TEST(OpenTest, Spec_FailedV4StepLeavesVersion1Intact) {
  TempDir t;
  const std::string path = t.file("v1.db");
  // v2 and v3 succeed, then the v4 step fails: the whole upgrade is rolled back.
  load_sql(path, read_bytes(fixture_path("schema_v1.sql")) + "CREATE TABLE article_pages(x);");
  EXPECT_THAT(error_of([&] { Store::open(path); }), HasSubstr("article_pages"));
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  EXPECT_EQ(one(db, "PRAGMA user_version"), "1");
  EXPECT_EQ(one(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'page_cache'"), "0");
  EXPECT_EQ(one(db, "SELECT count(*) FROM pragma_table_info('article_pages')"), "1");
  sqlite3_close(db);
}

TEST(OpenTest, Spec_EmptySqliteDatabaseCountsAsFresh) {
  // What a second process can see while the first creates the file: a valid SQLite database
  // (header written, WAL mode) with application_id 0, user_version 0 and no schema objects.
  TempDir t;
  const std::string path = t.file("empty.db");
  load_sql(path, "PRAGMA journal_mode = WAL; VACUUM;");
  ASSERT_GE(std::filesystem::file_size(path), 100u);
  auto store = Store::open(path);
  EXPECT_EQ(one(store.raw_handle(), "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(one(store.raw_handle(), "PRAGMA application_id"), std::to_string(kApplicationId));
}

TEST(OpenTest, Policy_NewerSchemaIsRefusedAndUntouched) {
  TempDir t;
  const std::string path = t.file("new.db");
  { Store::open(path); }
  load_sql(path, "PRAGMA user_version = " + std::to_string(kSchemaVersion + 1) + ";");
  const auto hash = file_hash(path);
  EXPECT_THAT(error_of([&] { Store::open(path); }),
              HasSubstr(path + ": database schema version " + std::to_string(kSchemaVersion + 1) +
                        " is newer than this newsharvest supports (" +
                        std::to_string(kSchemaVersion) + ")"));
  EXPECT_THAT(error_of([&] { Store::open(path, {.read_only = true}); }), HasSubstr("newer"));
  EXPECT_EQ(file_hash(path), hash);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << "looking at it left a -wal file";
}

TEST(OpenTest, Policy_NonSqliteFileIsRefusedAndUntouched) {
  TempDir t;
  const std::string path = t.file("notes.db");
  write_bytes(path, "this is a text file, not a database\n" + std::string(200, 'x'));
  const auto hash = file_hash(path);
  EXPECT_EQ(error_of([&] { Store::open(path); }),
            path + ": not a SQLite database (no SQLite header); refusing to touch it");
  write_bytes(t.file("short.db"), "SQLite");
  EXPECT_THAT(error_of([&] { Store::open(t.file("short.db")); }), HasSubstr("not a SQLite"));
  EXPECT_EQ(file_hash(path), hash);
}

TEST(OpenTest, Policy_ForeignSqliteDatabaseIsRefusedAndUntouched) {
  TempDir t;
  const std::string path = t.file("other.db");
  load_sql(path,
           "CREATE TABLE orders(id INTEGER PRIMARY KEY, total REAL);"
           "INSERT INTO orders VALUES (1, 9.5);");
  const auto hash = file_hash(path);
  EXPECT_EQ(error_of([&] { Store::open(path); }),
            path +
                ": not a newsharvest database (SQLite application_id 0x00000000, 1 schema "
                "objects); refusing to touch it");
  EXPECT_EQ(file_hash(path), hash);
}

TEST(OpenTest, Policy_CorruptFileIsRefusedAndUntouched) {
  TempDir t;
  const std::string path = t.file("corrupt.db");
  {
    auto s = Store::open(path);
    auto b = s.begin_batch();
    b.upsert_article("gxzx", "http://x/1", sample_page());
    b.commit();
  }
  // Keep the header, overwrite the schema b-tree on page 1 (and what follows) with garbage.
  std::string bytes = read_bytes(path);
  for (std::size_t i = 100; i < 8192 && i < bytes.size(); ++i)
    bytes[i] = static_cast<char>((i * 131) & 0xFF);
  write_bytes(path, bytes);
  const auto hash = file_hash(path);
  const std::string err = error_of([&] { Store::open(path); });
  EXPECT_THAT(err, HasSubstr(path + ": database file is corrupt"));
  EXPECT_THAT(error_of([&] { Store::open(path, {.read_only = true}); }), HasSubstr("corrupt"));
  EXPECT_EQ(file_hash(path), hash);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << "looking at it left a -wal file";
}

TEST(OpenTest, Policy_ReadOnlyFileIsReadableButNeverWritten) {
  TempDir t;
  const std::string path = t.file("ro.db");
  {
    auto s = Store::open(path);
    auto b = s.begin_batch();
    b.upsert_article("gxzx", "http://x/1", sample_page());
    b.commit();
  }
  ::chmod(path.c_str(), 0444);
  const auto hash = file_hash(path);
  EXPECT_EQ(error_of([&] { Store::open(path); }),
            path + ": database file is read-only; cannot write to it");
  auto ro = Store::open(path, {.read_only = true});
  int n = 0;
  ro.for_each_article({}, [&](const StoredArticle&) { ++n; });
  EXPECT_EQ(n, 1);
  EXPECT_THAT(error_of([&] { ro.begin_batch(); }), HasSubstr("opened read-only"));
  EXPECT_EQ(file_hash(path), hash);
  ::chmod(path.c_str(), 0644);
}

TEST(OpenTest, Policy_ReadOnlyOpenRefusesOldSchemaAndMissingFile) {
  TempDir t;
  const std::string path = t.file("v1.db");
  load_sql(path, read_bytes(fixture_path("schema_v1.sql")));
  const auto hash = file_hash(path);
  EXPECT_THAT(
      error_of([&] { Store::open(path, {.read_only = true}); }),
      HasSubstr(path + ": schema version 1 needs upgrading to " + std::to_string(kSchemaVersion)));
  EXPECT_EQ(file_hash(path), hash);
  EXPECT_EQ(error_of([&] { Store::open(t.file("missing.db"), {.read_only = true}); }),
            t.file("missing.db") + ": no such database file");
  EXPECT_FALSE(std::filesystem::exists(t.file("missing.db")));
}

}  // namespace
}  // namespace nh::store::test
