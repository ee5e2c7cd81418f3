// PgCrawlStore, PgFrontier: the crawl's database interfaces on PostgreSQL (crawl_store_pg.h).
#include "crawler/crawl_store_pg.h"

#include <unistd.h>

#include <array>

namespace nh::crawler {

PgFrontier::PgFrontier(store::pg::PgStore& store, const std::string& url, int lease_seconds,
                       std::string site, std::function<void()> open_batch)
    : store_(store),
      claims_(store::pg::PgStore::open(url, store::pg::PgOptions{false, lease_seconds, true})),
      site_(std::move(site)),
      open_batch_(std::move(open_batch)) {}

bool PgFrontier::add(const store::FrontierEntry& entry) {
  return claims_.enqueue(entry, run_id_ != 0 ? std::optional(run_id_) : std::nullopt);
}

std::optional<store::FrontierState> PgFrontier::state(std::string_view url) {
  return store_.frontier_state(url);
}

void PgFrontier::done(std::string_view url) {
  open_batch_();
  store_.mark_done(url);
}

void PgFrontier::failed(std::string_view url, std::string_view error,
                        std::optional<std::int64_t> retry_at, bool keep_claimed) {
  open_batch_();
  store_.mark_failed(url, error, retry_at, keep_claimed);
}

std::vector<store::FrontierItem> PgFrontier::claim_due(int limit) {
  return store_.claim_due(site_, limit, run_id_);
}

// Only this worker's claims (and lapsed ones): the live claims of other workers are theirs.
std::int64_t PgFrontier::requeue_claimed() { return store_.release_claims(site_, run_id_, true); }

void PgFrontier::start_run(std::int64_t run_id) {
  run_id_ = run_id;
  seen_ = SeenUrls();
  epoch_ = store_.crawl_epoch(site_, run_id);
}

bool PgFrontier::take_forced(std::string_view url) {
  return run_id_ == 0 || claims_.take(url, epoch_, run_id_);
}

bool PgFrontier::shared_work_pending() { return store_.site_busy(site_, run_id_); }

PgCrawlStore::PgCrawlStore(const std::string& url, std::string site, int lease_seconds)
    : store_(store::pg::PgStore::open(url, store::pg::PgOptions{false, lease_seconds})),
      frontier_(store_, url, lease_seconds, std::move(site), [this] { open(); }),
      slots_(url) {}

std::int64_t PgCrawlStore::begin_run(std::string_view site) {
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  run_id_ = store_.begin_run(site, std::string(host.data()) + ":" + std::to_string(getpid()));
  return *run_id_;
}

void PgCrawlStore::open() {
  if (store_.in_batch()) return;
  store_.begin(run_id_);
  started_ = Clock::now();
}

void PgCrawlStore::commit(const store::RunCounts& counts) {
  if (!store_.in_batch()) return;
  store_.commit(counts);  // renews the leases in the same transaction
  renewed_ = Clock::now();
}

void PgCrawlStore::keep_alive() {
  if (!run_id_ || store_.in_batch()) return;
  if (Clock::now() - renewed_ < std::chrono::seconds(store_.lease_seconds()) / 3) return;
  store_.renew(*run_id_);
  renewed_ = Clock::now();
}

}  // namespace nh::crawler
