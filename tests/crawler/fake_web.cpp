#include "tests/crawler/fake_web.h"

namespace nh::crawler::testing {

FakePage html_page(std::string body) {
  return {200, std::move(body), {{"content-type", "text/html; charset=utf-8"}}, FetchError::none};
}

FakePage text_page(std::string body) {
  return {200, std::move(body), {{"content-type", "text/plain"}}, FetchError::none};
}

FakePage redirect_to(long status, std::string location) {
  return {status, "", {{"location", std::move(location)}}, FetchError::none};
}

FakePage status_page(long status) {
  return {status, "status\n", {{"content-type", "text/plain"}}, FetchError::none};
}

void FakeWeb::fail_first(const std::string& url, int times, FakePage first) {
  for (int i = 0; i < times; ++i) first_[url].push_back(first);
}

std::vector<std::string> FakeWeb::urls() const {
  std::vector<std::string> out;
  for (const Request& r : requests_) out.push_back(r.url);
  return out;
}

long FakeWeb::count(const std::string& url) const {
  long n = 0;
  for (const Request& r : requests_) n += r.url == url;
  return n;
}

void FakeWeb::submit(Request request) {
  requests_.push_back(request);
  sent_.emplace_back(request.tag, std::chrono::steady_clock::now());
  pending_.push_back(std::move(request));
}

std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> FakeWeb::take_sent() {
  return std::exchange(sent_, {});
}

std::vector<Response> FakeWeb::poll(std::chrono::milliseconds) {
  std::vector<Response> out;
  while (!pending_.empty()) {
    out.push_back(answer(pending_.front()));
    pending_.pop_front();
  }
  return out;
}

std::vector<std::uint64_t> FakeWeb::abandon_all() {
  std::vector<std::uint64_t> tags;
  for (const Request& r : pending_) tags.push_back(r.tag);
  pending_.clear();
  return tags;
}

Response FakeWeb::answer(const Request& r) {
  FakePage page;
  if (auto f = first_.find(r.url); f != first_.end() && !f->second.empty()) {
    page = f->second.front();
    f->second.pop_front();
  } else if (auto it = pages_.find(r.url); it != pages_.end()) {
    page = it->second;
  } else {
    page = status_page(404);
  }
  Response resp;
  resp.tag = r.tag;
  resp.url = r.url;
  resp.final_url = r.url;
  resp.sent_at = std::chrono::steady_clock::now();
  resp.error = page.error;
  if (page.error != FetchError::none) {
    resp.message = std::string(to_string(page.error)) + " (fake)";
    return resp;
  }
  resp.status = page.status;
  resp.headers = page.headers;
  resp.body = page.body;
  return resp;
}

}  // namespace nh::crawler::testing
