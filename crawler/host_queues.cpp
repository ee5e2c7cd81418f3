#include "crawler/host_queues.h"

#include <algorithm>

namespace nh::crawler {

HostQueues::Host& HostQueues::host(std::string_view name) {
  auto it = hosts_.find(name);
  if (it == hosts_.end()) {
    Host h;
    h.policy = defaults_;
    h.open = !closed_by_default_;
    it = hosts_.emplace(std::string(name), std::move(h)).first;
  }
  return it->second;
}

void HostQueues::add(FrontierItem item) {
  item.seq = ++seq_;
  Host& h = host(item.host);
  if (item.not_before > Clock::time_point{}) {
    h.waiting.emplace(item.not_before, std::move(item));
  } else {
    Key k{priority_of(item.kind), item.depth, item.seq};
    h.ready.emplace(k, std::move(item));
  }
  ++queued_;
}

void HostQueues::retry(FrontierItem item, Clock::time_point at) {
  item.not_before = at;
  add(std::move(item));
}

void HostQueues::promote(Host& h, Clock::time_point now) {
  while (!h.waiting.empty() && h.waiting.begin()->first <= now) {
    FrontierItem item = std::move(h.waiting.begin()->second);
    h.waiting.erase(h.waiting.begin());
    Key k{priority_of(item.kind), item.depth, item.seq};
    h.ready.emplace(k, std::move(item));
  }
}

Clock::time_point HostQueues::polite_at(const Host& h, Clock::time_point now) {
  Clock::time_point t = h.last_start ? std::max(now, *h.last_start + h.policy.delay) : now;
  return h.shared_wait ? std::max(t, *h.shared_wait) : t;
}

bool HostQueues::grant(std::string_view name, Host& h, Clock::time_point now) {
  if (slots_ == nullptr) return true;
  if (auto wait = slots_->acquire(name, h.policy.delay)) {
    h.shared_wait = now + *wait;
    return false;
  }
  h.shared_wait.reset();
  h.granted_at = now;
  return true;
}

bool HostQueues::slot_free(const Host& h, Clock::time_point now) {
  if (!h.open || h.in_flight >= h.policy.max_connections) return false;
  // With a delay, the previous request must have gone out: its start is what the delay counts
  // from. (Without one there is no gap to keep, and waiting would only slow the crawl.)
  if (h.unsent > 0 && h.policy.delay.count() > 0) return false;
  return polite_at(h, now) <= now;
}

bool HostQueues::primary_busy() const {
  for (const auto& [name, h] : hosts_) {
    if (primary(name) && (h.in_flight > 0 || !h.ready.empty() || !h.waiting.empty())) return true;
  }
  return false;
}

std::optional<FrontierItem> HostQueues::next(Clock::time_point now) {
  Host* best = nullptr;
  const bool hold_secondary = primary_busy();
  // A host the shared slots refuse waits (shared_wait) and the choice is made again.
  for (bool refused = true; refused;) {
    refused = false;
    best = nullptr;
    const std::string* best_name = nullptr;
    for (auto& [name, h] : hosts_) {
      promote(h, now);
      if (h.ready.empty() || !slot_free(h, now)) continue;
      if (hold_secondary && !primary(name)) continue;
      if (best == nullptr || h.turn < best->turn) {
        best = &h;
        best_name = &name;
      }
    }
    if (best == nullptr) return std::nullopt;
    refused = !grant(*best_name, *best, now);
  }
  FrontierItem item = std::move(best->ready.begin()->second);
  best->ready.erase(best->ready.begin());
  best->last_start = now;
  best->turn = ++turn_;
  ++best->in_flight;
  ++best->unsent;
  ++in_flight_;
  --queued_;
  return item;
}

void HostQueues::sent(std::string_view name, std::optional<Clock::time_point> at) {
  Host& h = host(name);
  if (h.unsent > 0) --h.unsent;
  if (at && (!h.last_start || *at > *h.last_start)) h.last_start = at;
  if (slots_ != nullptr && h.granted_at && at && *at > *h.granted_at)
    slots_->sent(name, std::chrono::duration_cast<std::chrono::milliseconds>(*at - *h.granted_at));
  h.granted_at.reset();
}

void HostQueues::finished(std::string_view name) {
  Host& h = host(name);
  if (h.in_flight > 0) {
    --h.in_flight;
    --in_flight_;
  }
}

bool HostQueues::try_start_extra(std::string_view name, Clock::time_point now) {
  Host& h = host(name);
  if (h.in_flight >= h.policy.max_connections) return false;
  if (h.unsent > 0 && h.policy.delay.count() > 0) return false;
  if (polite_at(h, now) > now) return false;
  if (!grant(name, h, now)) return false;
  h.last_start = now;
  ++h.in_flight;
  ++h.unsent;
  ++in_flight_;
  return true;
}

void HostQueues::open_host(std::string_view name) { host(name).open = true; }

bool HostQueues::host_open(std::string_view name) const {
  auto it = hosts_.find(name);
  return it == hosts_.end() ? !closed_by_default_ : it->second.open;
}

void HostQueues::set_delay(std::string_view name, std::chrono::milliseconds delay) {
  host(name).policy.delay = delay;
}

std::chrono::milliseconds HostQueues::delay(std::string_view name) const {
  auto it = hosts_.find(name);
  return it == hosts_.end() ? defaults_.delay : it->second.policy.delay;
}

std::vector<std::string> HostQueues::closed_hosts_with_work() const {
  std::vector<std::string> out;
  for (const auto& [name, h] : hosts_) {
    if (!h.open && (!h.ready.empty() || !h.waiting.empty())) out.push_back(name);
  }
  return out;
}

std::vector<FrontierItem> HostQueues::take_all(std::string_view name) {
  Host& h = host(name);
  std::vector<FrontierItem> out;
  for (auto& [k, item] : h.ready) out.push_back(std::move(item));
  for (auto& [t, item] : h.waiting) out.push_back(std::move(item));
  queued_ -= out.size();
  h.ready.clear();
  h.waiting.clear();
  return out;
}

std::optional<Clock::time_point> HostQueues::next_ready_time(Clock::time_point now) const {
  std::optional<Clock::time_point> best;
  auto consider = [&](Clock::time_point t) {
    if (!best || t < *best) best = t;
  };
  const bool hold_secondary = primary_busy();
  for (const auto& [name, h] : hosts_) {
    if (!h.open || h.in_flight >= h.policy.max_connections) continue;
    if (h.unsent > 0 && h.policy.delay.count() > 0) continue;  // ready once it went out
    if (hold_secondary && !primary(name)) continue;
    Clock::time_point polite = polite_at(h, now);
    if (!h.ready.empty()) consider(std::max(now, polite));
    if (!h.waiting.empty()) consider(std::max({now, polite, h.waiting.begin()->first}));
  }
  return best;
}

std::vector<std::string> HostQueues::hosts() const {
  std::vector<std::string> out;
  for (const auto& [name, h] : hosts_) out.push_back(name);
  return out;
}

std::size_t HostQueues::queued_of_kind(UrlKind kind) const {
  std::size_t n = 0;
  for (const auto& [name, h] : hosts_) {
    for (const auto& [k, item] : h.ready) n += item.kind == kind;
    for (const auto& [t, item] : h.waiting) n += item.kind == kind;
  }
  return n;
}

}  // namespace nh::crawler
