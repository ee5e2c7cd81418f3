// store_bench — throughput of newsharvest::store on synthetic articles.
//
// usage: store_bench [--articles N] [--raw N] [--batch B] [--body-chars C] [--dir DIR] [--json]
//        store_bench --dup-check [--dir DIR]
// Measures, on a file database in DIR (WAL, as the crawler uses it):
//   1. upserts/s of N new articles in transactions of B (no raw pages; the write path: the
//      search index is not maintained there), wall clock and CPU
//   2. index catch-up: Store::index_pending over those N, documents per CPU-second
//   3. no-op re-upserts/s of the same N (unchanged content)
//   4. database bytes per article without raw pages (after a WAL checkpoint), index included
//   5. export throughput: for_each_article + the §4 JSON record, records/s and MB/s
//   6. search latency on the N articles (median of repeated queries; 1, 2, 4 characters)
//   7. bytes per article with raw pages: a second database, --raw articles each with a
//      synthetic ~25 KB HTML page archived (zstd) — fewer than N to keep the disk use modest.
// --dup-check: the near-duplicate check with templated notices (one body, a different
// headline each): CPU per 1,000 stored notices as the store grows from 0 to 20,000.
// Synthetic articles: ~1000-character (--body-chars) Chinese bodies drawn from a 400-word
// vocabulary, every body distinct (no near-duplicates), 2 contributors, dates spread over a year, 8
// sections.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <ctime>

#include "extract/page.h"
#include "store/search_text.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Common characters; words are consecutive pairs, so the text has realistic trigram reuse.
const std::string kChars =
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当"
    "使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你"
    "明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果"
    "料"
    "象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农"
    "指";

std::vector<std::string> split_chars(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

struct Generator {
  std::vector<std::string> words;
  std::uint64_t x = 0x9E3779B97F4A7C15ULL;
  Generator() {
    const auto cs = split_chars(kChars);
    for (std::size_t i = 0; i + 1 < cs.size() && words.size() < 400; ++i)
      words.push_back(cs[i] + cs[(i * 7 + 3) % cs.size()]);
  }
  std::uint64_t next() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
  std::string text(int chars) {
    std::string s;
    int n = 0;
    while (n < chars) {
      s += words[next() % words.size()];
      n += 2;
      if (n % 40 == 0) s += "，";
      if (n % 200 == 0) s += "。\n";
    }
    return s;
  }
  int body_chars = 1000;
  nh::extract::Page page(int i) {
    nh::extract::Page p;
    p.final_url = "http://www.example.gov.cn/art/" + std::to_string(i) + ".html";
    p.charset = "utf-8";
    auto& a = p.article;
    a.site = "示例政务网";
    a.section = "栏目" + std::to_string(i % 8);
    a.title = text(16) + std::to_string(i);
    const int day = 1 + i % 28, month = 1 + (i / 28) % 12;
    char date[32];
    std::snprintf(date, sizeof date, "2024-%02d-%02dT09:%02d:00+08:00", month, day, i % 60);
    a.published_at = date;
    a.reporters = {"记者" + std::to_string(i % 50)};
    a.contributors = {{"记者" + std::to_string(i % 50), nh::extract::Role::reporter},
                      {"编辑" + std::to_string(i % 20), nh::extract::Role::editor}};
    a.source = i % 3 ? std::optional<std::string>("新华社") : std::nullopt;
    a.body = text(body_chars) + "编号" + std::to_string(i);
    a.language = "zh";
    p.provenance = {{"title", "meta:ArticleTitle"}, {"body", "content"}};
    return p;
  }
};

std::string url_of(int i) { return "http://www.example.gov.cn/art/" + std::to_string(i) + ".html"; }

std::uintmax_t db_bytes(const std::string& path, nh::store::Store& s) {
  sqlite3_exec(s.raw_handle(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  std::uintmax_t n = std::filesystem::file_size(path);
  std::error_code ec;
  const auto wal = std::filesystem::file_size(path + "-wal", ec);
  if (!ec) n += wal;
  return n;
}

}  // namespace

// Templated notices: the same ~600-character body, a different headline each (the case that
// made every upsert walk all earlier copies). CPU seconds per 1,000 notices, per step of 1,000.
int dup_check(const std::string& dir) {
  const std::string path = dir + "/bench-dup.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = nh::store::Store::open(path);
  Generator gen;
  const std::string body = gen.text(600);
  std::cout << "stored  CPU s per 1,000 templated notices\n";
  std::vector<double> steps;
  int i = 0;
  for (int step = 1; step <= 20; ++step) {
    const double c0 = cpu_now();
    for (int k = 0; k < 1000; k += 100) {
      auto b = store.begin_batch();
      for (int j = 0; j < 100; ++j, ++i) {
        nh::extract::Page p;
        p.article.title = "关于第" + std::to_string(i) + "号事项的公示";
        p.article.body = body;
        p.article.published_at = "2024-01-01";
        b.upsert_article("bench", "http://www.example.gov.cn/notice/" + std::to_string(i), p);
      }
      b.commit();
    }
    steps.push_back(cpu_now() - c0);
    std::cout << (step * 1000) << "  " << steps.back() << "\n";
  }
  // Medians of three steps at each end: single steps swing with the machine's load.
  auto median3 = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[1];
  };
  const double first = median3({steps[0], steps[1], steps[2]});
  const double last = median3({steps[17], steps[18], steps[19]});
  std::cout << "median of 1,000-3,000: " << first << " s, of 18,000-20,000: " << last
            << " s, ratio " << last / first << "\n";
  return 0;
}

int main(int argc, char** argv) {
  int n = 100000, n_raw = 20000, batch = 1000, body_chars = 1000;
  std::string dir = std::filesystem::temp_directory_path() / "nh-store-bench";
  bool json = false, dup = false;
  int index_chunk = 1000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--articles")
      n = std::stoi(val());
    else if (a == "--raw")
      n_raw = std::stoi(val());
    else if (a == "--batch")
      batch = std::stoi(val());
    else if (a == "--body-chars")
      body_chars = std::stoi(val());
    else if (a == "--dir")
      dir = val();
    else if (a == "--json")
      json = true;
    else if (a == "--dup-check")
      dup = true;
    else if (a == "--index-chunk")
      index_chunk = std::stoi(val());
    else {
      std::cerr << "usage: store_bench [--articles N] [--raw N] [--batch B] [--body-chars C] "
                   "[--dir DIR] [--json]\n";
      return 2;
    }
  }
  std::filesystem::create_directories(dir);
  if (dup) return dup_check(dir);
  const std::string path = dir + "/bench.db";
  const std::string raw_path = dir + "/bench-raw.db";
  for (const auto& p : {path, raw_path})
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix);

  nlohmann::ordered_json out;
  out["articles"] = n;
  out["batch"] = batch;
  Generator gen;
  gen.body_chars = body_chars;
  std::vector<nh::extract::Page> pages;
  pages.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) pages.push_back(gen.page(i));
  std::size_t body_bytes = 0;
  for (const auto& p : pages) body_bytes += p.article.body->size();
  out["avg_body_bytes"] = body_bytes / static_cast<std::size_t>(n);

  auto store = nh::store::Store::open(path);
  // 1. inserts
  auto t = Clock::now();
  double c0 = cpu_now();
  for (int i = 0; i < n;) {
    auto b = store.begin_batch();
    for (int k = 0; k < batch && i < n; ++k, ++i)
      b.upsert_article("bench", url_of(i), pages[static_cast<std::size_t>(i)]);
    b.commit();
  }
  double s = seconds_since(t);
  out["insert_per_s"] = static_cast<int>(n / s);
  out["insert_per_cpu_s"] = static_cast<int>(n / (cpu_now() - c0));
  // 2a. segmentation alone (what index_pending computes per article before SQLite's part)
  {
    const double sc0 = cpu_now();
    std::size_t bytes = 0;
    const int m = std::min(n, 5000);
    for (int i = 0; i < m; ++i)
      bytes += nh::store::search::terms(*pages[static_cast<std::size_t>(i)].article.body).size() +
               nh::store::search::terms(*pages[static_cast<std::size_t>(i)].article.title).size();
    out["terms_docs_per_cpu_s"] = static_cast<int>(m / (cpu_now() - sc0));
    out["terms_bytes_per_doc"] = bytes / static_cast<std::size_t>(m);
  }
  // 2. index catch-up, in bulk after the commits (what the crawler does after its batches)
  t = Clock::now();
  c0 = cpu_now();
  const auto indexed = store.index_pending(-1, index_chunk);
  out["index_docs"] = indexed;
  out["index_docs_per_cpu_s"] = static_cast<int>(static_cast<double>(indexed) / (cpu_now() - c0));
  out["index_docs_per_s"] = static_cast<int>(static_cast<double>(indexed) / seconds_since(t));
  // 2. no-op re-upserts
  t = Clock::now();
  for (int i = 0; i < n;) {
    auto b = store.begin_batch();
    for (int k = 0; k < batch && i < n; ++k, ++i) {
      const auto r = b.upsert_article("bench", url_of(i), pages[static_cast<std::size_t>(i)]);
      if (r.outcome != nh::store::Upsert::unchanged) {
        std::cerr << "unexpected change at " << i << "\n";
        return 1;
      }
    }
    b.commit();
  }
  s = seconds_since(t);
  out["noop_per_s"] = static_cast<int>(n / s);
  // 3. size
  const auto bytes = db_bytes(path, store);
  out["db_bytes"] = bytes;
  out["bytes_per_article"] = bytes / static_cast<std::uintmax_t>(n);
  // 4. export
  t = Clock::now();
  std::size_t exported = 0, out_bytes = 0;
  store.for_each_article({}, [&](const nh::store::StoredArticle& a) {
    nlohmann::ordered_json j{{"url", a.url},
                             {"title", *a.article.title},
                             {"published_at", *a.article.published_at},
                             {"body", *a.article.body}};
    out_bytes += j.dump().size() + 1;
    ++exported;
  });
  s = seconds_since(t);
  out["export_records_per_s"] = static_cast<int>(static_cast<double>(exported) / s);
  out["export_mb_per_s"] = static_cast<double>(out_bytes) / 1e6 / s;
  // 5. FTS
  auto fts = [&](const std::string& sql, int reps) {
    std::vector<double> ms;
    std::int64_t hits = 0;
    for (int r = 0; r < reps; ++r) {
      sqlite3_stmt* st = nullptr;
      auto t0 = Clock::now();
      sqlite3_prepare_v2(store.raw_handle(), sql.c_str(), -1, &st, nullptr);
      hits = 0;
      const bool count = sql.rfind("SELECT count(*)", 0) == 0;  // report the count, not 1 row
      while (sqlite3_step(st) == SQLITE_ROW) hits = count ? sqlite3_column_int64(st, 0) : hits + 1;
      sqlite3_finalize(st);
      ms.push_back(seconds_since(t0) * 1000);
    }
    std::sort(ms.begin(), ms.end());
    return nlohmann::ordered_json{{"sql", sql}, {"hits", hits}, {"median_ms", ms[ms.size() / 2]}};
  };
  const std::string rare = "编号" + std::to_string(n / 2);
  const std::string common = gen.words[5] + gen.words[9];
  auto search = [&](const std::string& q, int reps) {
    std::vector<double> ms;
    std::size_t hits = 0;
    for (int r = 0; r < reps; ++r) {
      auto t0 = Clock::now();
      hits = store.search({q, std::nullopt, std::nullopt, 20}).size();
      ms.push_back(seconds_since(t0) * 1000);
    }
    std::sort(ms.begin(), ms.end());
    return nlohmann::ordered_json{{"query", q}, {"hits", hits}, {"median_ms", ms[ms.size() / 2]}};
  };
  out["search"] =
      nlohmann::ordered_json::array({search(rare, 21), search(gen.words[7].substr(0, 3), 5),
                                     search(gen.words[5], 5), search(common, 5)});
  out["fts"] = nlohmann::ordered_json::array(
      {fts("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"" + common.substr(0, 6) +
               "\"'",
           5)});
  // 6. with raw pages
  {
    auto rs = nh::store::Store::open(raw_path);
    std::string chrome;
    for (int k = 0; k < 300; ++k)
      chrome += "<li><a href=\"/col/col" + std::to_string(k) + "/index.html\">" +
                gen.words[static_cast<std::size_t>(k) % gen.words.size()] + "</a></li>\n";
    std::size_t raw_bytes = 0;
    t = Clock::now();
    for (int i = 0; i < n_raw;) {
      auto b = rs.begin_batch();
      for (int k = 0; k < batch && i < n_raw; ++k, ++i) {
        const auto& p = pages[static_cast<std::size_t>(i)];
        nh::store::RawPage raw;
        raw.url = url_of(i);
        raw.content_type = "text/html; charset=utf-8";
        raw.bytes = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" +
                    *p.article.title + "</title></head><body><ul class=\"nav\">" + chrome +
                    "</ul><div class=\"article\"><h1>" + *p.article.title + "</h1><p>" +
                    *p.article.body + "</p></div><div class=\"footer\">" + chrome +
                    "</div></body></html>";
        raw_bytes += raw.bytes.size();
        b.upsert_article("bench", url_of(i), p, &raw);
      }
      b.commit();
    }
    s = seconds_since(t);
    const auto rb = db_bytes(raw_path, rs);
    out["raw_articles"] = n_raw;
    out["raw_avg_page_bytes"] = raw_bytes / static_cast<std::size_t>(std::max(n_raw, 1));
    out["raw_insert_per_s"] = static_cast<int>(n_raw / s);
    out["raw_bytes_per_article"] = rb / static_cast<std::uintmax_t>(std::max(n_raw, 1));
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "articles                 " << n << " (batches of " << batch << ", avg body "
              << out["avg_body_bytes"] << " bytes)\n"
              << "insert upserts/s         " << out["insert_per_s"] << " ("
              << out["insert_per_cpu_s"] << " per CPU-second)\n"
              << "index catch-up           " << out["index_docs"] << " documents, "
              << out["index_docs_per_cpu_s"] << " per CPU-second (" << out["index_docs_per_s"]
              << "/s); segmentation alone " << out["terms_docs_per_cpu_s"] << " per CPU-second, "
              << out["terms_bytes_per_doc"] << " bytes of terms\n"
              << "no-op re-upserts/s       " << out["noop_per_s"] << "\n"
              << "bytes/article (no raw)   " << out["bytes_per_article"] << "\n"
              << "bytes/article (raw page) " << out["raw_bytes_per_article"] << " (" << n_raw
              << " articles, pages of " << out["raw_avg_page_bytes"] << " bytes, "
              << out["raw_insert_per_s"] << " upserts/s)\n"
              << "export records/s         " << out["export_records_per_s"] << " ("
              << out["export_mb_per_s"].get<double>() << " MB/s of JSON)\n";
    for (const auto& q : out["search"])
      std::cout << "search " << q["median_ms"].get<double>() << " ms, " << q["hits"]
                << " hits (limit 20): " << q["query"].get<std::string>() << "\n";
    for (const auto& q : out["fts"])
      std::cout << "fts " << q["median_ms"].get<double>() << " ms, " << q["hits"]
                << " hits: " << q["sql"].get<std::string>() << "\n";
  }
  return 0;
}
