// A crawl's run bookkeeping, apart from the crawl loop: the progress it prints, the drift
// alarms that judge its extraction, and its one-line summary (CrawlResult, crawl.h).
//
// Contract:
//   - ProgressReport prints nothing in ProgressMode::quiet unless the run is not ok (then the
//     summary and its alarms); a redrawn bar at most every 200 ms (bar); a line every
//     `interval` (lines). `automatic` is resolved by the constructor: a bar when `log` is
//     stderr on a terminal, lines otherwise.
//   - drift_alarms() compares this run's list-page yield and its fill rates of title,
//     published_at and body with the site's recent runs (config::DriftPolicy); one message per
//     alarm, empty when the run looks like its baseline (or too small to judge).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.h"
#include "crawler/crawl.h"
#include "crawler/crawl_store.h"
#include "store/store.h"

namespace nh::crawler {

std::vector<std::string> drift_alarms(CrawlStore& db, const config::Config& cfg,
                                      std::int64_t run_id, const store::RunCounts& counts);

class ProgressReport {
 public:
  using Clock = std::chrono::steady_clock;
  // log_is_stderr: `log` is the process's stderr (a bar only makes sense on a terminal).
  ProgressReport(ProgressMode mode, std::ostream& log, bool log_is_stderr,
                 std::chrono::seconds interval);
  ProgressMode mode() const { return mode_; }
  // While the run goes on (final = false: rate-limited), and once at its end (final = true).
  // `queued`: URLs queued or in flight.
  void update(const CrawlResult& result, std::size_t queued, bool final);

 private:
  ProgressMode mode_;
  std::ostream& log_;
  std::chrono::seconds interval_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_progress_{};
  Clock::time_point last_line_ = started_;
};

}  // namespace nh::crawler
