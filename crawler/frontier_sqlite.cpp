// SqliteFrontier: the Frontier contract (frontier.h) over the store's frontier table.
#include "crawler/frontier.h"

namespace nh::crawler {

bool SqliteFrontier::add(const store::FrontierEntry& entry) { return batch_().enqueue(entry); }

std::optional<store::FrontierState> SqliteFrontier::state(std::string_view url) {
  return batch_().frontier_state(url);
}

void SqliteFrontier::done(std::string_view url) { batch_().mark_done(url); }

void SqliteFrontier::failed(std::string_view url, std::string_view error,
                            std::optional<std::int64_t> retry_at, bool keep_claimed) {
  batch_().mark_failed(url, error, retry_at, keep_claimed);
}

std::vector<store::FrontierItem> SqliteFrontier::claim_due(int limit) {
  return store_.claim_due(site_, limit);
}

void SqliteFrontier::Recent::add(std::uint64_t h) {
  if (!set_.insert(h).second) return;
  order_.push_back(h);
  while (order_.size() > kRecentSeen) {
    set_.erase(order_.front());
    order_.pop_front();
  }
}

bool SqliteFrontier::seen(std::string_view url) {
  const std::uint64_t h = url_hash(url);
  if (recent_.contains(h)) return true;
  if (!batch_().seen(h)) return false;
  recent_.add(h);
  return true;
}

bool SqliteFrontier::mark_seen(std::string_view url) {
  const std::uint64_t h = url_hash(url);
  if (recent_.contains(h)) return false;
  const bool added = batch_().mark_seen(h);
  recent_.add(h);
  return added;
}

void SqliteFrontier::unmark_seen(std::string_view url) {
  const std::uint64_t h = url_hash(url);
  recent_.erase(h);
  batch_().unmark_seen(h);
}

std::int64_t SqliteFrontier::requeue_claimed() { return store_.requeue_in_progress(site_); }

}  // namespace nh::crawler
