// `newsharvest extract FILE... [--url URL] [--charset CS] [--explain]`: offline extraction,
// one JSON record per input on stdout. An unreadable file is reported on stderr and makes the
// exit code 1, but the other files are still processed.
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <filesystem>

#include <zlib.h>

#include "config/config.h"
#include "crawler/cli.h"
#include "extract/extract.h"
#include "extract/record.h"
#include "store/store.h"

namespace nh::cli {
namespace {

struct ExtractArgs {
  std::vector<std::string> files;
  std::string url;
  std::string charset;
  std::string time_zone;  // "" = the URL's country domain, else Asia/Shanghai
  bool explain = false;
  bool links = false;
  std::string db;  // store the records here when set
  std::string site = "local";
};

// Pages saved as .gz (archives, benchmark corpora) are read transparently: the gzip magic
// bytes, not the file name, decide. The inflated size is capped (the extractor reads at most
// 8 MiB of a page anyway), so a gzip bomb costs at most that much memory.
constexpr size_t kMaxInflatedBytes = 64u << 20;

struct InflateEnd {
  void operator()(z_stream* z) const {
    inflateEnd(z);
    delete z;
  }
};

bool is_gzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

bool gunzip(const std::string& in, std::string& out, std::string& error) {
  std::unique_ptr<z_stream, InflateEnd> z(new z_stream{});
  if (inflateInit2(z.get(), 15 + 32) != Z_OK) {  // 15 + 32: zlib or gzip header, detected
    error = "cannot start gzip decoding";
    return false;
  }
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z->avail_in = static_cast<uInt>(in.size());
  out.clear();
  char chunk[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z->next_out = reinterpret_cast<Bytef*>(chunk);
    z->avail_out = sizeof chunk;
    rc = inflate(z.get(), Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      error = std::string("corrupt gzip data (") + (z->msg ? z->msg : "inflate failed") + ")";
      return false;
    }
    out.append(chunk, sizeof chunk - z->avail_out);
    if (out.size() > kMaxInflatedBytes) {
      out.resize(kMaxInflatedBytes);
      return true;
    }
    if (rc == Z_OK && z->avail_in == 0 && z->avail_out != 0) {
      error = "truncated gzip data";
      return false;
    }
  }
  return true;
}

bool read_file(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return false;
  }
  out = std::move(ss).str();
  if (is_gzip(out)) {
    std::string inflated;
    if (!gunzip(out, inflated, error)) return false;
    out = std::move(inflated);
  }
  return true;
}

int run_extract(const ExtractArgs& a) {
  // Validated like profile values: a ConfigError naming the option, exit 2, before any work.
  if (!a.time_zone.empty()) config::check_time_zone(a.time_zone);
  if (!a.charset.empty()) config::check_charset(a.charset);
  int rc = kOk;
  // With --db every record goes into the store in one transaction (a StoreError — unreadable,
  // foreign or newer database — is thrown before anything is written and maps to exit 1).
  std::optional<store::Store> db;
  std::optional<store::Batch> batch;
  if (!a.db.empty()) {
    db.emplace(store::Store::open(a.db));
    batch.emplace(db->begin_batch());
  }
  for (const auto& file : a.files) {
    std::string bytes, error;
    if (!read_file(file, bytes, error)) {
      std::cerr << "newsharvest extract: " << file << ": " << error << "\n";
      rc = kFailure;
      continue;
    }
    extract::ParseOptions opt;
    opt.url = a.url;
    opt.charset = a.charset;
    opt.time_zone = a.time_zone;
    opt.explain = a.explain;
    const extract::Page page = extract::parse(bytes, opt);
    if (batch) {
      // The canonical key: the page's URL, else the file's absolute path as a file: URL.
      std::string key = a.url;
      if (key.empty())
        key = "file://" + std::filesystem::absolute(file).lexically_normal().string();
      store::RawPage raw;
      raw.url = key;
      raw.charset = page.charset;
      raw.bytes = bytes;
      if (page.kind == extract::PageKind::article)
        batch->upsert_article(a.site, key, page, &raw);
      else
        batch->store_raw_page(a.site, raw);
    }
    std::cout << extract::to_json(page, file, a.links, a.explain)
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  }
  std::cout.flush();
  if (batch) batch->commit();
  return rc;
}

}  // namespace

void add_extract_command(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* sub =
      app.add_subcommand("extract", "Extract article records from saved pages (offline)");
  sub->add_option("files", args->files, "HTML files (gzip-compressed ones are read as such)")
      ->required();
  sub->add_option("--url", args->url, "URL the page was fetched from (resolves links, dates)");
  sub->add_option("--charset", args->charset, "Force the encoding (e.g. gbk, big5, utf-8)");
  sub->add_option(
      "--time-zone", args->time_zone,
      "the site's IANA time zone (default: from the URL's country domain, else Asia/Shanghai)");
  sub->add_flag("--explain", args->explain, "Add every candidate considered for each field");
  sub->add_flag("--links", args->links, "Add the page kind and its resolved links");
  sub->add_option("--db", args->db, "Also store the records in this SQLite database");
  sub->add_option("--site", args->site, "Site name the stored records belong to")
      ->default_val("local");
  registry[sub] = [args] { return run_extract(*args); };
}

}  // namespace nh::cli
