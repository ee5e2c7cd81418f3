// SqliteCrawlStore: the crawl's database interface (crawl_store.h) over store::Store.
#include "crawler/crawl_store.h"

namespace nh::crawler {

SqliteCrawlStore::SqliteCrawlStore(store::Store& store, std::string site)
    : store_(store),
      frontier_(store, std::move(site), [this]() -> store::Batch& { return batch(); }) {}

std::int64_t SqliteCrawlStore::begin_run(std::string_view site) {
  run_id_ = store_.begin_run(std::string(site));
  return *run_id_;
}

store::Batch& SqliteCrawlStore::batch() {
  if (!batch_) {
    batch_.emplace(store_.begin_batch(run_id_));
    started_ = Clock::now();
  }
  return *batch_;
}

void SqliteCrawlStore::commit(const store::RunCounts& counts) {
  if (!batch_) return;
  batch_->set_run_counts(counts);
  batch_->commit();
  batch_.reset();
}

}  // namespace nh::crawler
