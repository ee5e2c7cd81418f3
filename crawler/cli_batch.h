// What `extract` and `fetch` share when they take many inputs: expanding the arguments
// (files, directories with --glob, "-" for stdin, --input-list), running the inputs on
// --jobs threads while printing in input order, and writing records as
// json | jsonl | csv | txt | markdown, to stdout or one file per input (--output-dir).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "extract/markdown.h"
#include "extract/page.h"

namespace nh::cli {

struct Input {
  std::string name;      // as the user named it: a path, "-" (stdin) or a URL
  std::string out_stem;  // relative file name for --output-dir, without extension
  std::string error;     // set when the input cannot even be listed (missing path ...)
  bool is_stdin = false;
};

struct InputArgs {
  std::vector<std::string> args;  // positional: files, directories, "-", URLs
  std::string input_list;         // file of paths or URLs, one a line ("-": stdin)
  std::string glob;               // file-name pattern for directories ("" = default)
};

inline constexpr const char* kDefaultGlob = "*.htm*";

// Files (directories recursively, sorted, names matching the glob), "-" for stdin, and the
// lines of the input list (blank lines and lines starting with '#' skipped). With `urls`
// (fetch) every input is a URL and "-" means a list of URLs on stdin. Throws UsageError for
// "-" used twice or a --glob without any directory to apply to is fine (ignored).
std::vector<Input> collect_inputs(const InputArgs& a, bool urls);

// One input's outcome. error non-empty: nothing is written for it, the message goes to stderr.
struct Item {
  std::string input;  // name for the record's "input" field ("" = none)
  std::string error;
  extract::Page page;
  std::vector<extract::BodyBlock> blocks;  // filled when the format or --body-markdown needs them
};

struct OutputArgs {
  std::string format = "jsonl";  // json | jsonl | csv | txt | markdown
  std::string output_dir;        // "" = stdout
  bool links = false;
  bool explain = false;
  bool body_markdown = false;  // json/jsonl: add "body_markdown" to each record
  bool needs_blocks() const { return format == "txt" || format == "markdown" || body_markdown; }
};

// Writes records in the chosen format. Throws std::runtime_error when it cannot write.
class RecordWriter {
 public:
  explicit RecordWriter(OutputArgs args);
  void write(const Item& item, const Input& input);
  void finish();

 private:
  OutputArgs a_;
  size_t written_ = 0;
  std::set<std::string> used_;  // --output-dir names taken
  std::string file_name(const Input& input);
  std::string render(const Item& item, bool first) const;
};

// Runs work(i) for i in [0, n) on `jobs` threads (1: in this thread) and calls emit with the
// results in index order, on the calling thread. An exception from emit stops the work and is
// rethrown; work must not throw.
void run_ordered(size_t n, int jobs, const std::function<Item(size_t)>& work,
                 const std::function<void(Item&, size_t)>& emit);

// Options shared by extract and fetch: --input-list, --jobs, --format, --output-dir,
// --body-markdown, --explain (cli_extract.cpp).
void add_batch_options(CLI::App* sub, InputArgs& in, OutputArgs& out, int& jobs);

// Reads a whole file ("-": stdin); .gz content (by magic bytes) is inflated, capped at 64 MiB.
bool read_input(const std::string& path, std::string& out, std::string& error);

}  // namespace nh::cli
