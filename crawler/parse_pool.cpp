#include "crawler/parse_pool.h"

#include "crawler/urls.h"

namespace nh::crawler {

Parsed parse_and_resolve(std::string_view bytes, const extract::ParseOptions& options,
                         std::string_view item_url) {
  Parsed out;
  out.page = extract::parse(bytes, options);
  const UrlResult fin = normalize(options.final_url);
  const std::string base = fin ? fin.url : std::string(item_url);
  out.links.reserve(out.page.links.size());
  for (const auto& l : out.page.links) {
    UrlResult u = resolve(base, l.url);
    if (u.error == UrlError::too_long) ++out.links_too_long;
    if (u) out.links.push_back(Link{std::move(u.url), l.text});
  }
  return out;
}

ParsePool::ParsePool(int threads) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ParsePool::~ParsePool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    jobs_.clear();
  }
  job_ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ParsePool::submit(std::uint64_t id, std::string bytes, extract::ParseOptions options,
                       std::string item_url) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back({id, std::move(bytes), std::move(options), std::move(item_url)});
  }
  ++pending_;
  job_ready_.notify_one();
}

std::vector<std::pair<std::uint64_t, Parsed>> ParsePool::take_finished(
    std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  if (done_.empty() && wait.count() > 0 && pending_ > 0)
    result_ready_.wait_for(lock, wait, [this] { return !done_.empty(); });
  std::vector<std::pair<std::uint64_t, Parsed>> out;
  out.swap(done_);
  pending_ -= out.size();
  return out;
}

void ParsePool::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      job_ready_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Parsed parsed = parse_and_resolve(job.bytes, job.options, job.item_url);
    {
      std::lock_guard lock(mu_);
      done_.emplace_back(job.id, std::move(parsed));
    }
    result_ready_.notify_one();
  }
}

}  // namespace nh::crawler
