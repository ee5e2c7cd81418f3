// `newsharvest extract INPUT... [--input-list FILE] [--glob PATTERN] [--jobs N] [--format F]
// [--output-dir DIR]`: offline extraction. Inputs are files, directories (recursively, names
// matching --glob) and "-" (stdin); records come out in input order whatever --jobs is. An
// unreadable input is reported on stderr (naming it and what is wrong) and makes the exit
// code 1, but the other inputs are still processed.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "crawler/cli.h"
#include "crawler/cli_batch.h"
#include "crawler/ingest.h"
#include "crawler/urls.h"
#include "extract/extract.h"
#include "extract/markdown.h"
#include "store/pg/pg_store.h"
#include "store/store.h"

namespace nh::cli {
namespace {

struct ExtractArgs {
  InputArgs inputs;
  OutputArgs output;
  int jobs = 1;
  std::string url;
  std::string charset;
  std::string time_zone;  // "" = the URL's country domain, else Asia/Shanghai
  std::string db;         // store the records here when set
  std::string site = "local";
};

// One input, read and extracted (on a worker thread) with the ingest's options (the profile's
// charset and time zone) unless --charset / --time-zone say otherwise. `bytes` keeps the input
// for --db.
Item extract_one(const ExtractArgs& a, const crawler::Ingest& ingest, const Input& in,
                 std::string* bytes_out) {
  Item item;
  item.input = in.name;
  if (!in.error.empty()) {
    item.error = in.error;
    return item;
  }
  std::string bytes;
  if (!read_input(in.name, bytes, item.error)) return item;
  extract::ParseOptions opt = ingest.parse_options(a.url, "", "");
  if (!a.charset.empty()) opt.charset = a.charset;
  if (!a.time_zone.empty()) opt.time_zone = a.time_zone;
  opt.explain = a.output.explain;
  item.page = extract::parse(bytes, opt);
  if (a.output.needs_blocks()) item.blocks = extract::body_blocks(bytes, opt, item.page);
  if (bytes_out) *bytes_out = std::move(bytes);
  return item;
}

// Stores the record the way the crawl does (crawler/ingest.h). The page's key: --url, else
// the file's absolute path as a file: URL (stdin: "stdin:").
// Batch: store::Batch (SQLite) or store::pg::PgBatch (PostgreSQL).
template <class Batch>
void store_one(Batch& batch, const ExtractArgs& a, const crawler::Ingest& ingest, const Item& item,
               std::string bytes) {
  std::string key = a.url.empty() ? std::string() : crawler::normalize(a.url).url;
  if (key.empty())
    key = item.input == "-"
              ? std::string("stdin:")
              : "file://" + std::filesystem::absolute(item.input).lexically_normal().string();
  store::RawPage raw;
  raw.url = key;
  raw.charset = item.page.charset;
  raw.bytes = std::move(bytes);
  if (ingest.is_article(item.page, key))
    ingest.store(batch, ingest.canonical(key, item.page), item.page, &raw);
  else
    batch.store_raw_page(ingest.site(), raw);
}

// The ingest of --site NAME: its profile when one of that name is found (charset, time zone,
// article patterns and sections then apply as in a crawl; a profile with errors is an error),
// else a plain site name.
std::optional<config::Config> profile_named(const std::string& site) {
  std::filesystem::path file;
  try {
    file = config::find_site(site);
  } catch (const config::ConfigError&) {
    return std::nullopt;  // no profile of that name: just a name
  }
  return config::load_profile(file);
}

int run_extract(const ExtractArgs& a) {
  // Validated like profile values: a ConfigError naming the option, exit 2, before any work.
  if (!a.time_zone.empty()) config::check_time_zone(a.time_zone);
  if (!a.charset.empty()) config::check_charset(a.charset);
  if (a.inputs.args.empty() && a.inputs.input_list.empty())
    throw UsageError("extract: no input (give files, directories, - or --input-list FILE)");
  const std::vector<Input> inputs = collect_inputs(a.inputs, false);
  const std::optional<config::Config> profile = profile_named(a.site);
  const crawler::Ingest ingest = profile ? crawler::Ingest(*profile) : crawler::Ingest(a.site);
  // With --db every record goes into the store in one transaction (a StoreError — unreadable,
  // foreign or newer database — is thrown before anything is written and maps to exit 1).
  std::optional<store::Store> db;
  std::optional<store::Batch> batch;
  std::optional<store::pg::PgStore> pg_db;  // --db postgresql://...
  std::optional<store::pg::PgBatch> pg_batch;
  if (store::pg::is_url(a.db)) {
    pg_db.emplace(store::pg::PgStore::open(a.db));
    pg_batch.emplace(*pg_db, std::nullopt);
  } else if (!a.db.empty()) {
    db.emplace(store::Store::open(a.db));
    batch.emplace(db->begin_batch());
  }
  const bool storing = batch || pg_batch;
  std::vector<std::string> bytes(storing ? inputs.size() : 0);
  RecordWriter writer(a.output);
  int rc = kOk;
  run_ordered(
      inputs.size(), a.jobs,
      [&](size_t i) { return extract_one(a, ingest, inputs[i], storing ? &bytes[i] : nullptr); },
      [&](Item& item, size_t i) {
        if (!item.error.empty()) {
          std::cerr << "newsharvest extract: " << inputs[i].name << ": " << item.error << "\n";
          rc = kFailure;
          return;
        }
        if (batch) store_one(*batch, a, ingest, item, std::move(bytes[i]));
        if (pg_batch) store_one(*pg_batch, a, ingest, item, std::move(bytes[i]));
        writer.write(item, inputs[i]);
      });
  writer.finish();
  if (batch) {
    batch->commit();
    db->index_pending();  // searchable at once, as after a crawl
  }
  if (pg_batch) {
    pg_batch->commit();
    pg_db->index_pending();
  }
  return rc;
}

}  // namespace

void add_batch_options(CLI::App* sub, InputArgs& in, OutputArgs& out, int& jobs) {
  sub->add_option("--input-list", in.input_list,
                  "File with one input a line (paths for extract, URLs for fetch; - = stdin)");
  sub->add_option("--jobs,-j", jobs, "Inputs worked on in parallel (output stays in input order)")
      ->check(CLI::Range(1, 64));
  sub->add_option("--format", out.format, "json, jsonl (default), csv, txt or markdown")
      ->check(CLI::IsMember({"json", "jsonl", "csv", "txt", "markdown"}));
  sub->add_option("--output-dir", out.output_dir,
                  "Write one file per input into DIR instead of stdout");
  sub->add_flag("--body-markdown", out.body_markdown,
                "json/jsonl: add body_markdown (the body with its structure) to each record");
  sub->add_flag("--explain", out.explain, "Add every candidate considered for each field");
}

void add_extract_command(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* sub =
      app.add_subcommand("extract", "Extract article records from saved pages (offline)");
  sub->add_option("inputs", args->inputs.args,
                  "HTML files (.gz read as such), directories (recursively), - for stdin");
  sub->add_option("--glob", args->inputs.glob,
                  std::string("File-name pattern for directories (default ") + kDefaultGlob +
                      "; with a / it is matched against the path under the directory)");
  add_batch_options(sub, args->inputs, args->output, args->jobs);
  sub->add_option("--url", args->url, "URL the page was fetched from (resolves links, dates)");
  sub->add_option("--charset", args->charset, "Force the encoding (e.g. gbk, big5, utf-8)");
  sub->add_option(
      "--time-zone", args->time_zone,
      "the site's IANA time zone (default: from the URL's country domain, else Asia/Shanghai)");
  sub->add_flag("--links", args->output.links, "Add the page kind and its resolved links");
  sub->add_option("--db", args->db, "Also store the records in this SQLite database");
  sub->add_option("--site", args->site,
                  "Site the stored records belong to; when a profile of that name is found, its "
                  "charset, time zone, article patterns and sections apply as in a crawl")
      ->default_val("local");
  registry[sub] = [args] { return run_extract(*args); };
}

}  // namespace nh::cli
