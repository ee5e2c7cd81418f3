// HostQueues: the crawl's in-memory window of due URLs, and what to fetch next, per host, politely.
//
// Contract:
//   - URLs wait in per-host queues. next(now) hands out a URL only when its host has a free
//     connection slot (fewer than max_connections in flight) and the last request to that host
//     started at least the host's delay ago. The delay counts from the previous *start* (as
//     Scrapy's download slots do), not from its end: a crawl thread that sees a response late
//     (busy parsing, a loaded machine) then does not stretch every gap by its own lateness,
//     and a slow server is protected by max_connections instead. A start is the moment the
//     request actually went out (sent(host, at)): with a delay, a host's next URL is handed
//     out only after its previous request went out (or failed before it could), and the delay
//     counts from then — so a request that left late (a loaded machine, a slow connect) never
//     brings the next one closer than the delay, whatever the crawl thread was doing. The
//     caller must call sent(host, at) once per handed-out request (at = nullopt: it never went
//     out) and finished(host) when it is over, and should send it right away.
//   - Primary hosts (set_primary_hosts; default: all) are served before the others: a URL of a
//     secondary host is handed out only while no primary host has work queued or in flight.
//     The crawl makes the hosts of the start URLs primary, so a site's own articles are stored
//     before copies found on other allowed hosts (mirrors, reprint sites) and duplicate
//     detection (store: later copy -> duplicate_of the first) links the copy, not the original.
//   - Within a host, URLs come out by priority (lower first; see priority_of()), then depth,
//     then insertion order. Across hosts, the host whose turn comes first wins (round robin
//     among ready hosts), so one slow host never blocks another.
//   - A host can be closed (open == false): nothing of it is handed out until open_host() is
//     called. The crawl closes every new host until its robots.txt is known.
//   - retry(item, at) puts a URL back with not_before = at (exponential backoff: backoff()).
//   - Persistence is not here: the durable frontier (frontier.h Frontier) holds every URL and
//     its state; the crawl claims a bounded window of due URLs from it into these queues, which
//     only order the work of one run. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "crawler/frontier.h"

namespace nh::crawler {

// Politeness shared with other processes crawling the same hosts (the PostgreSQL workers of
// one crawl): asked before each request start a HostQueues hands out. acquire grants the start
// (nullopt) at least `delay` after the previous grant to anyone, or says how long to wait;
// sent reports that the granted request went out `lag` after the grant (the next grant moves
// with it). Implementations: PgHostSlots (crawl_store_pg.h).
class HostSlots {
 public:
  virtual ~HostSlots() = default;
  virtual std::optional<std::chrono::milliseconds> acquire(std::string_view host,
                                                           std::chrono::milliseconds delay) = 0;
  virtual void sent(std::string_view host, std::chrono::milliseconds lag) = 0;
};

struct HostPolicy {
  std::chrono::milliseconds delay{1000};  // minimum gap between request starts
  int max_connections = 2;                // requests in flight at once
};

class HostQueues {
 public:
  explicit HostQueues(HostPolicy defaults) : defaults_(defaults) {}

  // Queues the item (no deduplication here: the crawl dedups by URL before calling).
  void add(FrontierItem item);
  // Puts a failed item back, to start no earlier than `at`.
  void retry(FrontierItem item, Clock::time_point at);

  // The next URL that may start now, or nullopt. Records the start against its host.
  std::optional<FrontierItem> next(Clock::time_point now);
  // A request of `host` handed out by next() or try_start_extra() went out at `at` (nullopt:
  // it never did): the host's next start counts its delay from there.
  void sent(std::string_view host, std::optional<Clock::time_point> at);
  // A request of `host` ended.
  void finished(std::string_view host);
  // Records a request the caller sends outside the queues (robots.txt) against the host's
  // politeness: true when it may start now (and it is recorded), false when not yet.
  bool try_start_extra(std::string_view host, Clock::time_point now);

  // Hosts: created on first add() with the default policy, closed when `closed_by_default`.
  void set_closed_by_default(bool closed) { closed_by_default_ = closed; }
  void set_primary_hosts(std::vector<std::string> hosts) {
    primary_ = std::set<std::string, std::less<>>(hosts.begin(), hosts.end());
  }
  // Shared politeness (nullptr: this process is the only one; the default). Not owned.
  void set_shared_slots(HostSlots* slots) { slots_ = slots; }
  void open_host(std::string_view host);
  bool host_open(std::string_view host) const;
  void set_delay(std::string_view host, std::chrono::milliseconds delay);
  std::chrono::milliseconds delay(std::string_view host) const;
  // Closed hosts that have queued URLs (the crawl fetches their robots.txt).
  std::vector<std::string> closed_hosts_with_work() const;
  // Removes and returns every queued item of a host (robots.txt said no to the whole host).
  std::vector<FrontierItem> take_all(std::string_view host);

  // When next() could next return something (now if something is ready; nullopt when
  // nothing is queued or everything queued waits for in-flight requests or closed hosts).
  std::optional<Clock::time_point> next_ready_time(Clock::time_point now) const;

  std::size_t queued() const { return queued_; }
  std::size_t in_flight() const { return in_flight_; }
  bool empty() const { return queued_ == 0; }
  // Hosts seen so far.
  std::vector<std::string> hosts() const;
  // Items queued of `kind`, for the budget stop.
  std::size_t queued_of_kind(UrlKind kind) const;

 private:
  struct Key {
    int priority;
    int depth;
    std::uint64_t seq;
    auto operator<=>(const Key&) const = default;
  };
  struct Host {
    HostPolicy policy;
    bool open = true;
    int in_flight = 0;
    int unsent = 0;  // handed out, not yet reported by sent()
    std::optional<Clock::time_point> last_start;
    std::map<Key, FrontierItem> ready;                       // due items
    std::multimap<Clock::time_point, FrontierItem> waiting;  // retries not yet due
    std::uint64_t turn = 0;                        // round-robin: when the host was last served
    std::optional<Clock::time_point> shared_wait;  // the shared slots refused until then
    std::optional<Clock::time_point> granted_at;   // the last start the shared slots granted
  };
  Host& host(std::string_view name);
  static void promote(Host& h, Clock::time_point now);
  static bool slot_free(const Host& h, Clock::time_point now);
  // Asks the shared slots (when set) for a start now; false (and h waits) when refused.
  bool grant(std::string_view name, Host& h, Clock::time_point now);
  static Clock::time_point polite_at(const Host& h, Clock::time_point now);
  bool primary(std::string_view host) const { return primary_.empty() || primary_.contains(host); }
  bool primary_busy() const;

  HostPolicy defaults_;
  HostSlots* slots_ = nullptr;
  bool closed_by_default_ = false;
  std::set<std::string, std::less<>> primary_;
  std::map<std::string, Host, std::less<>> hosts_;
  std::uint64_t seq_ = 0;
  std::uint64_t turn_ = 0;
  std::size_t queued_ = 0;
  std::size_t in_flight_ = 0;
};

}  // namespace nh::crawler
