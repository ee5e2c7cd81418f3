// A scripted web for tests of crawl policy (crawler/crawl.h with CrawlOptions::transport):
// every request is answered at once from a table of URLs, in-process, and recorded. No
// sockets, no threads: a test runs the real crawl loop against exactly the pages it writes.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "crawler/fetcher.h"

namespace nh::crawler::testing {

struct FakePage {
  long status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-cased names
  FetchError error = FetchError::none;  // not none: no response (status 0), e.g. timeout
};

FakePage html_page(std::string body);
FakePage text_page(std::string body);
FakePage redirect_to(long status, std::string location);
FakePage status_page(long status);

class FakeWeb final : public Transport {
 public:
  // The answer to a URL, exactly as requested (an unknown URL is a 404).
  void set(std::string url, FakePage page) { pages_[std::move(url)] = std::move(page); }
  // Answers `url` with `first` for its first `times` requests, then with the table's page.
  void fail_first(const std::string& url, int times, FakePage first);

  // Every request, in the order the crawl sent them.
  const std::vector<Request>& requests() const { return requests_; }
  std::vector<std::string> urls() const;
  long count(const std::string& url) const;

  void submit(Request request) override;
  std::vector<Response> poll(std::chrono::milliseconds timeout) override;
  void kick() override {}
  std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> take_sent() override;
  std::vector<std::uint64_t> abandon_all() override;
  std::size_t in_flight() const override { return pending_.size(); }
  std::size_t queued() const override { return 0; }

 private:
  Response answer(const Request& r);

  std::map<std::string, FakePage> pages_;
  std::map<std::string, std::deque<FakePage>> first_;
  std::vector<Request> requests_;
  std::deque<Request> pending_;
  std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> sent_;
};

}  // namespace nh::crawler::testing
