// RecordWriter (cli_batch.h): the output formats of `extract` and `fetch`.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "crawler/cli_batch.h"
#include "extract/record.h"
#include "store/store.h"

namespace nh::cli {
namespace fs = std::filesystem;
namespace {

std::string dump(const nlohmann::ordered_json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// RFC 4180: quote a field when it holds a comma, quote, CR or LF; double embedded quotes.
void csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The CSV columns: where the record came from, then the record's fields in record order
// (store::article_fields(), as `export --format csv` has them), then the page's charset.
std::string csv_header() {
  std::string h = "input,url,final_url";
  for (const auto& f : store::article_fields()) h += std::string(",") + f.name;
  return h + ",charset\r\n";
}

std::string csv_row(const Item& item) {
  std::string line;
  csv_field(line, item.input);
  line += ',';
  csv_field(line, item.page.url);
  line += ',';
  csv_field(line, item.page.final_url);
  for (const auto& f : store::article_fields()) {
    line += ',';
    if (auto v = f.get(item.page.article)) csv_field(line, *v);
  }
  line += ',';
  csv_field(line, item.page.charset);
  return line + "\r\n";
}

// YAML front matter (JSON scalars and flow lists are YAML) with the record's main fields.
std::string front_matter(const Item& item) {
  const extract::Article& a = item.page.article;
  std::string out = "---\n";
  auto add = [&](const char* key, const std::optional<std::string>& v) {
    if (v) out += std::string(key) + ": " + dump(nlohmann::ordered_json(*v)) + "\n";
  };
  add("title", a.title);
  add("subtitle", a.subtitle);
  const std::string& url = item.page.final_url.empty() ? item.page.url : item.page.final_url;
  if (!url.empty()) add("url", url);
  if (!item.input.empty()) add("input", item.input);
  add("site", a.site);
  add("section", a.section);
  add("published_at", a.published_at);
  if (!a.reporters.empty()) out += "reporters: " + dump(nlohmann::ordered_json(a.reporters)) + "\n";
  add("source", a.source);
  return out + "---\n";
}

}  // namespace

RecordWriter::RecordWriter(OutputArgs args) : a_(std::move(args)) {
  if (!a_.output_dir.empty()) {
    std::error_code ec;
    fs::create_directories(a_.output_dir, ec);
    if (ec) throw std::runtime_error("--output-dir " + a_.output_dir + ": " + ec.message());
  }
}

std::string RecordWriter::render(const Item& item, bool first) const {
  const std::string& f = a_.format;
  if (f == "csv") return (first ? csv_header() : std::string()) + csv_row(item);
  const extract::Article& a = item.page.article;
  if (f == "txt") {
    std::string out = first ? "" : "\n";
    if (a.title) out += *a.title + "\n" + (item.blocks.empty() ? "" : "\n");
    return out + extract::render_text(item.blocks);
  }
  if (f == "markdown") {
    std::string out = (first ? "" : "\n") + front_matter(item);
    if (a.title) out += "\n# " + *a.title + "\n";
    if (!item.blocks.empty()) out += "\n" + extract::render_markdown(item.blocks);
    return out;
  }
  nlohmann::ordered_json j = extract::to_json(item.page, item.input, a_.links, a_.explain);
  if (a_.body_markdown)
    j["body_markdown"] = item.blocks.empty()
                             ? nlohmann::ordered_json(nullptr)
                             : nlohmann::ordered_json(extract::render_markdown(item.blocks));
  if (f == "json") {
    const bool to_file = !a_.output_dir.empty();
    if (to_file) return dump(j, 2) + "\n";
    std::string out = first ? "[\n" : ",\n";
    return out + dump(j);
  }
  return dump(j) + "\n";
}

std::string RecordWriter::file_name(const Input& input) {
  const std::string ext = a_.format == "markdown" ? ".md"
                          : a_.format == "jsonl"  ? ".json"
                                                  : "." + a_.format;
  std::string stem = input.out_stem.empty() ? "page" : input.out_stem;
  std::string name = stem + ext;
  for (int n = 2; used_.count(name); ++n) name = stem + "-" + std::to_string(n) + ext;
  used_.insert(name);
  return name;
}

void RecordWriter::write(const Item& item, const Input& input) {
  if (a_.output_dir.empty()) {
    std::cout << render(item, written_ == 0);
    if (!std::cout) throw std::runtime_error("error writing to stdout");
  } else {
    const fs::path path = fs::path(a_.output_dir) / file_name(input);
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << render(item, true);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
  }
  ++written_;
}

void RecordWriter::finish() {
  if (a_.output_dir.empty()) {
    if (a_.format == "json") std::cout << (written_ == 0 ? "[]\n" : "\n]\n");
    if (a_.format == "csv" && written_ == 0) std::cout << csv_header();
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("error writing to stdout");
  }
}

}  // namespace nh::cli
