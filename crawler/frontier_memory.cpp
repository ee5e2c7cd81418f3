// MemoryFrontier: the Frontier contract (frontier.h) in a map, for tests of crawl policy.
#include <algorithm>
#include <chrono>
#include <tuple>

#include "crawler/frontier.h"

namespace nh::crawler {

using store::FrontierState;

std::int64_t MemoryFrontier::now() const {
  if (now_) return *now_;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool MemoryFrontier::add(const store::FrontierEntry& entry) {
  auto it = rows_.find(entry.url);
  if (it != rows_.end()) {
    if (entry.claimed && it->second.state == FrontierState::pending)
      it->second.state = FrontierState::in_progress;
    return false;
  }
  Row row;
  row.entry = entry;
  row.state = entry.claimed ? FrontierState::in_progress : FrontierState::pending;
  row.due = entry.not_before.value_or(now());
  row.id = ++next_id_;
  rows_.emplace(entry.url, std::move(row));
  return true;
}

std::optional<FrontierState> MemoryFrontier::state(std::string_view url) {
  auto it = rows_.find(url);
  if (it == rows_.end()) return std::nullopt;
  return it->second.state;
}

void MemoryFrontier::done(std::string_view url) {
  auto it = rows_.find(url);
  if (it == rows_.end()) return;
  it->second.state = FrontierState::done;
  it->second.error.clear();
}

void MemoryFrontier::failed(std::string_view url, std::string_view error,
                            std::optional<std::int64_t> retry_at, bool keep_claimed) {
  auto it = rows_.find(url);
  if (it == rows_.end()) return;
  Row& r = it->second;
  ++r.attempts;
  r.error = std::string(error);
  if (!retry_at) {
    r.state = FrontierState::failed;
    return;
  }
  r.state = keep_claimed ? FrontierState::in_progress : FrontierState::pending;
  r.due = *retry_at;
}

std::vector<store::FrontierItem> MemoryFrontier::claim_due(int limit) {
  std::vector<Row*> due;
  const std::int64_t t = now();
  for (auto& [url, r] : rows_) {
    if (r.state == FrontierState::pending && r.due <= t) due.push_back(&r);
  }
  std::sort(due.begin(), due.end(), [](const Row* a, const Row* b) {
    return std::tie(a->entry.depth, a->due, a->id) < std::tie(b->entry.depth, b->due, b->id);
  });
  if (due.size() > static_cast<std::size_t>(std::max(limit, 0))) due.resize(std::max(limit, 0));
  std::vector<store::FrontierItem> out;
  for (Row* r : due) {
    r->state = FrontierState::in_progress;
    out.push_back({r->id, r->entry.url, r->entry.site, r->entry.kind, r->entry.depth, r->attempts});
  }
  return out;
}

std::int64_t MemoryFrontier::requeue_claimed() {
  std::int64_t n = 0;
  for (auto& [url, r] : rows_) {
    if (r.state == FrontierState::in_progress) {
      r.state = FrontierState::pending;
      ++n;
    }
  }
  return n;
}

std::int64_t MemoryFrontier::pending() {
  std::int64_t n = 0;
  for (const auto& [url, r] : rows_) n += r.state == FrontierState::pending;
  return n;
}

const MemoryFrontier::Row* MemoryFrontier::row(std::string_view url) const {
  auto it = rows_.find(url);
  return it == rows_.end() ? nullptr : &it->second;
}

}  // namespace nh::crawler
