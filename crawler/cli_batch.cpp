#include "crawler/cli_batch.h"

#include <fnmatch.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "crawler/cli.h"
#include "crawler/gzip.h"
#include "extract/record.h"
#include "store/store.h"

namespace nh::cli {
namespace fs = std::filesystem;
namespace {

// Pages saved as .gz (archives, benchmark corpora) are read transparently: the gzip magic
// bytes, not the file name, decide. The inflated size is capped (the extractor reads at most
// 8 MiB of a page anyway), so a gzip bomb costs at most that much memory.
constexpr size_t kMaxInflatedBytes = 64u << 20;

// The name of a saved page without its page extensions: "a/b.html.gz" -> "a/b".
std::string strip_page_ext(std::string s) {
  for (const char* ext : {".gz", ".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx"})
    if (s.size() > std::char_traits<char>::length(ext) && s.ends_with(ext))
      s.resize(s.size() - std::char_traits<char>::length(ext));
  return s;
}

// A URL as one file name: scheme dropped, anything but [A-Za-z0-9._-] becomes '_'.
std::string url_stem(const std::string& url) {
  std::string s = url;
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  while (!s.empty() && s.back() == '/') s.pop_back();
  s = strip_page_ext(s);
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  return s.empty() ? "page" : s;
}

bool is_url(const std::string& s) { return s.starts_with("http://") || s.starts_with("https://"); }

void add_path(std::vector<Input>& out, const std::string& arg, const std::string& glob) {
  std::error_code ec;
  const fs::file_status st = fs::status(arg, ec);
  if (ec || !fs::exists(st)) {
    out.push_back({arg, "", "no such file or directory"});
    return;
  }
  if (!fs::is_directory(st)) {
    out.push_back({arg, strip_page_ext(fs::path(arg).filename().string()), ""});
    return;
  }
  std::vector<std::pair<std::string, std::string>> found;  // path, relative
  fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    out.push_back({arg, "", "cannot list directory: " + ec.message()});
    return;
  }
  const bool whole_path = glob.find('/') != std::string::npos;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    const std::string rel = fs::relative(it->path(), arg, ec).generic_string();
    const std::string subject = whole_path ? rel : it->path().filename().string();
    if (fnmatch(glob.c_str(), subject.c_str(), whole_path ? FNM_PATHNAME : 0) == 0)
      found.emplace_back(it->path().string(), rel);
  }
  if (ec) out.push_back({arg, "", "cannot list directory: " + ec.message()});
  std::sort(found.begin(), found.end());
  for (auto& [path, rel] : found) out.push_back({path, strip_page_ext(rel), ""});
}

std::vector<std::string> read_list(std::istream& in) {
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    out.push_back(line.substr(start));
  }
  return out;
}

void add_one(std::vector<Input>& out, const std::string& name, bool urls, const std::string& glob,
             bool& stdin_used) {
  if (name == "-" && !urls) {
    if (stdin_used) throw UsageError("\"-\" (standard input) is given more than once");
    stdin_used = true;
    out.push_back({"-", "stdin", "", true});
  } else if (urls) {
    if (!is_url(name))
      out.push_back({name, "", "not an http(s) URL"});
    else
      out.push_back({name, url_stem(name), ""});
  } else if (is_url(name)) {
    out.push_back({name, "", "a URL, not a file (newsharvest fetch reads URLs)"});
  } else {
    add_path(out, name, glob);
  }
}

}  // namespace

bool read_input(const std::string& path, std::string& out, std::string& error) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    if (std::cin.bad()) {
      error = "read error";
      return false;
    }
  } else {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      error = "is a directory";
      return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot open";
      return false;
    }
    ss << in.rdbuf();
    if (in.bad()) {
      error = "read error";
      return false;
    }
  }
  out = std::move(ss).str();
  if (crawler::is_gzip(out)) {
    crawler::Inflated z = crawler::gunzip(out, kMaxInflatedBytes);
    if (!z.ok) {
      error = std::move(z.error);
      return false;
    }
    out = std::move(z.bytes);  // over the cap: cut there
  }
  return true;
}

std::vector<Input> collect_inputs(const InputArgs& a, bool urls) {
  const std::string glob = a.glob.empty() ? kDefaultGlob : a.glob;
  std::vector<Input> out;
  bool stdin_used = false;
  for (const auto& arg : a.args) {
    if (urls && arg == "-") {
      if (stdin_used) throw UsageError("\"-\" (standard input) is given more than once");
      stdin_used = true;
      for (const auto& u : read_list(std::cin)) add_one(out, u, true, glob, stdin_used);
      continue;
    }
    add_one(out, arg, urls, glob, stdin_used);
  }
  if (!a.input_list.empty()) {
    std::vector<std::string> names;
    if (a.input_list == "-") {
      if (stdin_used) throw UsageError("\"-\" (standard input) is given more than once");
      stdin_used = true;
      names = read_list(std::cin);
    } else {
      std::ifstream in(a.input_list);
      if (!in) throw UsageError("--input-list: cannot open " + a.input_list);
      names = read_list(in);
    }
    for (const auto& n : names) {
      if (n == "-") throw UsageError("--input-list: \"-\" cannot be listed in a file");
      add_one(out, n, urls, glob, stdin_used);
    }
  }
  return out;
}

void run_ordered(size_t n, int jobs, const std::function<Item(size_t)>& work,
                 const std::function<void(Item&, size_t)>& emit) {
  if (jobs <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) {
      Item it = work(i);
      emit(it, i);
    }
    return;
  }
  std::vector<std::optional<Item>> slots(n);
  std::mutex m;
  std::condition_variable cv;
  size_t next_take = 0, next_emit = 0;
  // Workers run at most this far ahead of the output (bounded memory for big directories).
  const size_t window = static_cast<size_t>(jobs) * 4;
  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return next_take >= n || next_take < next_emit + window; });
        if (next_take >= n) return;
        i = next_take++;
      }
      Item it = work(i);
      {
        std::lock_guard lock(m);
        slots[i] = std::move(it);
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < jobs && static_cast<size_t>(t) < n; ++t) threads.emplace_back(worker);
  std::exception_ptr failure;
  try {
    while (next_emit < n) {
      Item it;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return slots[next_emit].has_value(); });
        it = std::move(*slots[next_emit]);
        slots[next_emit].reset();
        ++next_emit;
      }
      cv.notify_all();
      emit(it, next_emit - 1);
    }
  } catch (...) {
    failure = std::current_exception();
    std::lock_guard lock(m);
    next_take = n;  // no new work; running items finish
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace nh::cli
