// A pool of threads that run extract::parse for the crawler, so that parsing (most of a crawl's
// CPU) uses every core while one thread drives curl and writes the store. extract::parse is
// pure and thread-safe (extract/extract.h); the pool owns copies of what it parses.
//
// Contract: submit() and take_finished() are called from one thread (the crawler's); results
// come back in the order parses finish, each with the id it was submitted with. The destructor
// stops the workers after the parses already submitted (their results are dropped).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "crawler/links.h"
#include "extract/extract.h"

namespace nh::crawler {

// A parsed page and its links resolved against the page's own URL (the final URL normalised,
// else `item_url`), in page order; links that do not resolve are left out, those over the URL
// length limit counted. Resolving is the other per-page cost that grows with the page (~270
// links on a portal page), so it is done where the parse is.
struct Parsed {
  extract::Page page;
  std::vector<Link> links;
  int links_too_long = 0;
};
Parsed parse_and_resolve(std::string_view bytes, const extract::ParseOptions& options,
                         std::string_view item_url);

class ParsePool {
 public:
  explicit ParsePool(int threads);
  ~ParsePool();
  ParsePool(const ParsePool&) = delete;
  ParsePool& operator=(const ParsePool&) = delete;

  void submit(std::uint64_t id, std::string bytes, extract::ParseOptions options,
              std::string item_url);
  // The parses finished since the last call; waits up to `wait` for the first when none is.
  std::vector<std::pair<std::uint64_t, Parsed>> take_finished(
      std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  // Submitted and not yet taken back.
  std::size_t pending() const { return pending_; }
  std::size_t threads() const { return threads_.size(); }

 private:
  struct Job {
    std::uint64_t id;
    std::string bytes;
    extract::ParseOptions options;
    std::string item_url;
  };
  void work();

  std::mutex mu_;
  std::condition_variable job_ready_, result_ready_;
  std::deque<Job> jobs_;
  std::vector<std::pair<std::uint64_t, Parsed>> done_;
  bool stop_ = false;
  std::size_t pending_ = 0;  // touched by the submitting thread only
  std::vector<std::thread> threads_;
};

}  // namespace nh::crawler
