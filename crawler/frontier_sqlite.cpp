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

bool SqliteFrontier::seen(std::string_view url) { return batch_().seen(url_hash(url)); }

bool SqliteFrontier::mark_seen(std::string_view url) { return batch_().mark_seen(url_hash(url)); }

void SqliteFrontier::unmark_seen(std::string_view url) { batch_().unmark_seen(url_hash(url)); }

std::int64_t SqliteFrontier::requeue_claimed() { return store_.requeue_in_progress(site_); }

}  // namespace nh::crawler
