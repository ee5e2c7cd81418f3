// extract_bench — throughput and memory of newsharvest::extract on real pages (Google Benchmark).
//
// usage: extract_bench [benchmark flags] PATH...        throughput (PATH: .html files or dirs)
//        extract_bench --rss FILE...                      peak-memory probe, see below
//
// Throughput: every page under PATH (recursively, *.html) is read into memory once, and decoded
// to UTF-8 once for (a); then, single-threaded, each benchmark iteration is one pass over all
// pages:
//   BM_Gumbo   (a) bare Gumbo: gumbo_parse_with_options + gumbo_destroy_output on the UTF-8 text
//                  (same options as extract/document.cpp: max_errors = 0). The decode is done
//                  before the timing, so this is the parser alone.
//   BM_Parse   (b) nh::extract::parse on the raw bytes: decode + Gumbo + node table + content
//                  scoring + fields + NFKC normalisation + links — what the crawler pays per page.
//   BM_Decode  (c) nh::extract::decode on the raw bytes: charset choice + ICU conversion.
// Rates use the thread's CPU time (Google Benchmark's default), which holds up on a shared
// machine better than wall time; wall time is reported too. Counters: pages/s and bytes/s are
// over the INPUT bytes (the raw page files) for all three, so
// they compare directly; (b)/(a) is the share of bare-parser speed the whole extractor keeps.
//
// --rss: for each FILE, prints "<bytes> <VmHWM growth in KiB> <path>": the peak resident set
// after one parse() minus the peak before it, in this process. Run it in a fresh process per page
// (scripts/bench/extract.sh does) so earlier pages do not pre-grow the heap. A tiny page is
// parsed first so one-time ICU/Gumbo initialisation is not charged to the page.
#include <benchmark/benchmark.h>
#include <gumbo.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/charset.h"
#include "extract/extract.h"

namespace {

namespace fs = std::filesystem;

struct Corpus {
  std::vector<std::string> raw;   // page bytes as stored
  std::vector<std::string> utf8;  // decoded once, for BM_Gumbo
  size_t raw_bytes = 0;
};

Corpus& corpus() {
  static Corpus c;
  return c;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void add_path(const fs::path& p, std::vector<fs::path>& files) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    for (auto it = fs::recursive_directory_iterator(p, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && it->path().extension() == ".html") files.push_back(it->path());
    }
  } else if (fs::is_regular_file(p, ec)) {
    files.push_back(p);
  } else {
    std::cerr << "extract_bench: skipping " << p << " (not found)\n";
  }
}

// VmHWM (peak resident set) of this process, in KiB.
long vm_hwm_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

int rss_probe(int argc, char** argv) {
  {
    // Touch every lazily loaded piece (ICU converters and detector, NFKC data, curl URL API)
    // by parsing one page three times: detected, forced GBK, forced Big5.
    std::string html =
        "<html><head><title>关于做好秋季农业生产工作的通知_某某县人民政府</title></head><body>"
        "<div class=crumb>当前位置：首页 &gt; 通知公告</div><h1>关于做好秋季农业生产工作的通知</h1>"
        "<div>发布时间：2021年09月12日 10:30　来源：县农业农村局　作者：王明</div><div "
        "class=content>";
    for (int i = 0; i < 20; ++i)
      html += "<p>各乡镇人民政府，县直有关单位：为切实做好今年秋季农业生产工作，确保粮食丰收。</p>";
    html += "<a href=\"/a/1.html\">链接</a></div></body></html>";
    nh::extract::ParseOptions opt;
    opt.url = "http://www.example.gov.cn/a/b.html";
    for (const char* cs : {"", "gbk", "big5"}) {
      opt.charset = cs;  // forced: opens the converter even for UTF-8 bytes
      auto warm = nh::extract::parse(html, opt);
      benchmark::DoNotOptimize(warm);
    }
  }
  for (int i = 2; i < argc; ++i) {
    const std::string bytes = read_file(argv[i]);
    const long before = vm_hwm_kib();
    {
      auto page = nh::extract::parse(bytes);
      benchmark::DoNotOptimize(page);
    }
    const long after = vm_hwm_kib();
    std::printf("%zu %ld %s\n", bytes.size(), after - before, argv[i]);
  }
  return 0;
}

void set_counters(benchmark::State& state) {
  const auto& c = corpus();
  const auto passes = static_cast<int64_t>(state.iterations());
  state.SetItemsProcessed(passes * static_cast<int64_t>(c.raw.size()));
  state.SetBytesProcessed(passes * static_cast<int64_t>(c.raw_bytes));
  state.counters["pages"] = static_cast<double>(c.raw.size());
}

void BM_Gumbo(benchmark::State& state) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  for (auto _ : state) {
    for (const auto& s : corpus().utf8) {
      GumboOutput* out = gumbo_parse_with_options(&options, s.data(), s.size());
      benchmark::DoNotOptimize(out->root);
      gumbo_destroy_output(&options, out);
    }
  }
  set_counters(state);
}

void BM_Parse(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& s : corpus().raw) {
      auto page = nh::extract::parse(s);
      benchmark::DoNotOptimize(page);
    }
  }
  set_counters(state);
}

void BM_Decode(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& s : corpus().raw) {
      auto d = nh::extract::decode(s);
      benchmark::DoNotOptimize(d);
    }
  }
  set_counters(state);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--rss") == 0) return rss_probe(argc, argv);
  benchmark::Initialize(&argc, argv);
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) add_path(argv[i], files);
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "extract_bench: no pages; usage: extract_bench [benchmark flags] PATH...\n";
    return 2;
  }
  auto& c = corpus();
  for (const auto& f : files) {
    c.raw.push_back(read_file(f));
    c.raw_bytes += c.raw.back().size();
    c.utf8.push_back(nh::extract::decode(c.raw.back()).utf8);
  }
  std::cerr << "extract_bench: " << c.raw.size() << " pages, " << c.raw_bytes << " bytes\n";
  benchmark::RegisterBenchmark("BM_Gumbo", BM_Gumbo)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Parse", BM_Parse)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Decode", BM_Decode)->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
