// HTTP fetching on libcurl's multi interface with a bounded in-flight set (the pattern of
// curl's docs/examples/10-at-a-time.c): submit() queues requests, poll() drives transfers,
// refills the in-flight set as transfers finish and returns the finished responses.
//
// Contract:
//   - Everything the web can do to a request — DNS failure, refused connection, timeout, reset,
//     redirect loop, oversized or truncated body, HTTP 4xx/5xx — comes back as a Response value;
//     nothing here throws for it. An HTTP error status is error == FetchError::none with that
//     status: the transfer itself worked.
//   - At most FetcherOptions::max_in_flight transfers are attached to the multi handle at any
//     time; connections per host and in total are capped by curl (CURLMOPT_MAX_HOST_CONNECTIONS,
//     CURLMOPT_MAX_TOTAL_CONNECTIONS). Connections are kept alive and reused between requests
//     (the multi handle's connection cache; easy handles are pooled and reset, not recreated).
//   - Only http and https, also for redirects (CURLOPT_PROTOCOLS_STR / REDIR_PROTOCOLS_STR).
//     Only public addresses unless FetcherOptions::allow_private (checked per connection on
//     the resolved address). With follow_redirects off a 3xx is returned as is; otherwise
//     redirects are followed up to max_redirects; beyond that the response is
//     FetchError::redirect_loop (curl cannot tell a loop from a long chain; the message says
//     how many were followed).
//   - Bodies are decoded (Accept-Encoding: every encoding curl supports) and capped at
//     max_body_bytes of *decoded* data while receiving (a compression bomb stops too):
//     FetchError::too_large, body empty. A body shorter than its Content-Length is
//     FetchError::truncated with what arrived.
//   - Headers are those of the final response (after redirects), names lower-cased, in order.
//   - Not thread-safe: one thread owns a Fetcher and calls submit()/poll(). Politeness (per-host
//     delays, retries, backoff) is the frontier's job; Response exposes what it needs
//     (status, retry-after, elapsed, error kind).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nh::crawler {

struct FetcherOptions {
  std::size_t max_in_flight = 10;  // easy handles attached to the multi handle at once
  long max_host_connections = 2;   // CURLMOPT_MAX_HOST_CONNECTIONS (0 = unlimited)
  // CURLMOPT_MAX_TOTAL_CONNECTIONS, open and idle together (0 = no cap: transfers are capped by
  // max_in_flight, and the idle connections kept by kIdleConnections in fetcher.cpp).
  long max_total_connections = 0;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};  // whole transfer incl. redirects
  long low_speed_limit = 100;                       // bytes/s; below it for low_speed_time...
  std::chrono::seconds low_speed_time{20};          // ...aborts as FetchError::timeout
  std::size_t max_body_bytes = 8u << 20;            // decoded bytes
  long max_redirects = 5;
  std::string user_agent = "newsharvest/0.1";
  // CURLOPT_RESOLVE entries "HOST:PORT:ADDR" (e.g. "demo.gov.cn:8080:127.0.0.1"): pin virtual
  // hosts to addresses without DNS.
  std::vector<std::string> resolve;
  // CURLOPT_CONNECT_TO entries "HOST:PORT:TO_HOST:TO_PORT" (empty HOST/PORT match any): send
  // requests for HOST:PORT to TO_HOST:TO_PORT while the URL and Host header stay unchanged
  // (how a crawl of http://demo.portal.test/ reaches a test server on 127.0.0.1:<port>).
  std::vector<std::string> connect_to;
  bool verify_tls = true;
  // true: curl follows redirects itself (up to max_redirects). false: a 3xx response comes
  // back as it is (status, Location header) and the caller decides whether to request the
  // target — the crawl does, after checking the hop's scope and robots.txt (crawl.h).
  bool follow_redirects = true;
  // false (the default): refuse to connect to an address that is not public — loopback
  // (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16,
  // which holds the cloud metadata service 169.254.169.254, fe80::/10), carrier-grade NAT
  // (100.64/10), "this network" (0/8, ::), multicast and reserved (224/4 and up), and
  // IPv4-mapped forms of those. Checked on the address curl is about to connect to, after DNS,
  // --resolve and --connect-to: a public name that resolves to 127.0.0.1 is refused too.
  // The response is FetchError::blocked_address, naming the address.
  bool allow_private = false;
};

struct Request {
  std::string url;
  std::string if_none_match;               // sent as If-None-Match when not empty
  std::string if_modified_since;           // sent as If-Modified-Since when not empty (HTTP-date)
  std::vector<std::string> extra_headers;  // "Name: value"
  std::uint64_t tag = 0;                   // caller's id, copied to the Response
};

enum class FetchError {
  none,             // the exchange completed; look at status
  timeout,          // connect, total or low-speed timeout
  connect,          // DNS failure, refused, unreachable
  reset,            // connection reset / closed before a response / send or receive failure
  too_large,        // body exceeded max_body_bytes
  truncated,        // body shorter than announced (CURLE_PARTIAL_FILE)
  redirect_loop,    // more than max_redirects redirects
  protocol,         // malformed HTTP, bad content encoding, TLS failure, refused scheme
  blocked_address,  // the address is not public and FetcherOptions::allow_private is false
  other,
};

std::string_view to_string(FetchError e);

struct [[nodiscard]] Response {
  std::uint64_t tag = 0;
  std::string url;        // as requested
  std::string final_url;  // after redirects (equals url when none)
  long status = 0;        // final HTTP status; 0 when no response arrived
  std::vector<std::pair<std::string, std::string>> headers;  // lower-cased names, final response
  std::string body;                                          // decoded bytes
  FetchError error = FetchError::none;
  std::string message;                   // human-readable detail for errors (curl's error buffer)
  std::chrono::milliseconds elapsed{0};  // from the start of the transfer to its end
  // When the request went out (the connection made or reused, the request about to be written:
  // CURLOPT_PREREQFUNCTION); nullopt when it never did (DNS or connect failed, refused address).
  std::optional<std::chrono::steady_clock::time_point> sent_at;
  long redirects = 0;
  // Retry-After of the final response (delta-seconds or HTTP-date, parsed by curl), 0 if absent.
  std::chrono::seconds retry_after{0};

  bool ok() const { return error == FetchError::none; }
  // Last value of a header (name compared lower-case), if present.
  std::optional<std::string> header(std::string_view name) const;
};

// One response header line as curl delivers it ("Name: value\r\n"): the lower-cased name and
// the value with surrounding blanks trimmed; nullopt for a status line, the blank line ending
// the block, or a line without a name. Total: any bytes in.
std::optional<std::pair<std::string, std::string>> parse_header_line(std::string_view line);

// What the crawl sends requests through: the Fetcher (libcurl) in production, a scripted fake
// in tests of crawl policy (tests/crawler/fake_web.h). Contract: submit() queues; poll() returns
// the responses that finished (waiting up to `timeout` for one); kick() lets queued requests go
// out now; take_sent() reports each request that went out, once, as (Request::tag, when),
// before poll() returns its response; abandon_all() drops what is queued or in flight and
// returns their tags.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void submit(Request request) = 0;
  virtual std::vector<Response> poll(std::chrono::milliseconds timeout) = 0;
  virtual void kick() = 0;
  virtual std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>>
  take_sent() = 0;
  virtual std::vector<std::uint64_t> abandon_all() = 0;
  virtual std::size_t in_flight() const = 0;
  virtual std::size_t queued() const = 0;
  bool idle() const { return in_flight() == 0 && queued() == 0; }
};

class Fetcher final : public Transport {
 public:
  // Throws std::runtime_error if libcurl cannot create its handles (out of memory): a fault of
  // the process, not of the web.
  explicit Fetcher(FetcherOptions options = {});
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Queues a request; it starts when the in-flight set has room (inside poll()).
  void submit(Request request) override;

  // Starts queued transfers up to the bound, waits up to `timeout` for activity, and returns
  // every response that finished (possibly none). Call repeatedly until idle().
  std::vector<Response> poll(std::chrono::milliseconds timeout) override;

  // Starts queued transfers up to the bound and lets curl send what it can, without waiting
  // and without collecting responses (the next poll() returns them): requests go out the
  // moment they are handed over, whatever the caller does before its next poll().
  void kick() override;

  // The requests that went out since the last call, as (Request::tag, when), in order. Every
  // request that goes out appears here once, before its response comes back from poll().
  std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> take_sent() override;

  // Runs until every submitted request has finished; returns them in completion order.
  std::vector<Response> drain();

  // Drops every queued and in-flight request without a response (a stopping crawl that will
  // not wait any longer); returns their tags. Connections of abandoned transfers are closed.
  std::vector<std::uint64_t> abandon_all() override;

  std::size_t in_flight() const override { return active_; }
  std::size_t queued() const override { return queue_.size(); }
  // Highest number of transfers that were in flight at once (for tests and run summaries).
  std::size_t peak_in_flight() const { return peak_; }

 private:
  struct Transfer;
  struct Impl;

  void start(Request request);
  void collect(std::vector<Response>& out);

  FetcherOptions options_;
  std::unique_ptr<Impl> impl_;
  std::deque<Request> queue_;
  std::size_t active_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace nh::crawler
