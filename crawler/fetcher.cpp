#include "crawler/fetcher.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace nh::crawler {
namespace {

// Idle connections curl keeps for reuse (at least; 4 per transfer in flight when that is more).
// 128: the hosts a polite crawl of a hundred-odd hosts cycles through; each costs a socket and
// a few KiB.
constexpr long kIdleConnections = 128;

struct EasyDeleter {
  void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using MultiPtr = std::unique_ptr<CURLM, MultiDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_global_init is not guaranteed thread-safe on every build; do it once, before the first
// handle, instead of letting curl_easy_init do it implicitly.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Appends to a curl_slist without losing the list when curl_slist_append fails.
bool append(SlistPtr& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) return false;
  list.release();
  list.reset(grown);
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

FetchError classify(CURLcode rc, bool too_large) {
  switch (rc) {
    case CURLE_OK:
      return FetchError::none;
    case CURLE_OPERATION_TIMEDOUT:
      return FetchError::timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return FetchError::connect;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return FetchError::reset;
    case CURLE_PARTIAL_FILE:
      return FetchError::truncated;
    case CURLE_TOO_MANY_REDIRECTS:
      return FetchError::redirect_loop;
    case CURLE_FILESIZE_EXCEEDED:
      return FetchError::too_large;
    case CURLE_WRITE_ERROR:
      return too_large ? FetchError::too_large : FetchError::other;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return FetchError::protocol;
    default:
      return FetchError::other;
  }
}

// Why an address may not be connected to, or nullptr when it is public.
const char* non_public_v4(std::uint32_t a) {  // host byte order
  const auto in = [a](std::uint32_t net, int bits) {
    return (a >> (32 - bits)) == (net >> (32 - bits));
  };
  if (in(0x7F000000, 8)) return "loopback";
  if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16)) return "private";
  if (in(0xA9FE0000, 16)) return "link-local (cloud metadata)";
  if (in(0x64400000, 10)) return "carrier-grade NAT";
  if (in(0x00000000, 8)) return "unspecified";
  if (in(0xC0000000, 24) || in(0xC6120000, 15)) return "reserved";  // 192.0.0/24, 198.18/15
  if (in(0xE0000000, 4) || in(0xF0000000, 4)) return "multicast or reserved";
  return nullptr;
}

const char* non_public(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(sa);
    return non_public_v4(ntohl(v4->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(sa);
    const unsigned char* b = v6->sin6_addr.s6_addr;
    static const unsigned char kZero[16] = {};
    if (std::equal(b, b + 15, kZero)) return b[15] == 1 ? "loopback" : "unspecified";
    // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible): the IPv4 address decides.
    const bool mapped = std::equal(b, b + 10, kZero) && b[10] == 0xFF && b[11] == 0xFF;
    const bool compat = std::equal(b, b + 12, kZero);
    if (mapped || compat) {
      const std::uint32_t a = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
                              (std::uint32_t{b[14]} << 8) | std::uint32_t{b[15]};
      return non_public_v4(a);
    }
    if ((b[0] & 0xFE) == 0xFC) return "private (unique local)";
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local";
    if (b[0] == 0xFF) return "multicast";
    return nullptr;
  }
  return "not an IP";
}

std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

}  // namespace

std::string_view to_string(FetchError e) {
  switch (e) {
    case FetchError::none:
      return "none";
    case FetchError::timeout:
      return "timeout";
    case FetchError::connect:
      return "connect";
    case FetchError::reset:
      return "reset";
    case FetchError::too_large:
      return "too_large";
    case FetchError::truncated:
      return "truncated";
    case FetchError::redirect_loop:
      return "redirect_loop";
    case FetchError::protocol:
      return "protocol";
    case FetchError::blocked_address:
      return "blocked_address";
    case FetchError::other:
      return "other";
  }
  return "other";
}

std::optional<std::pair<std::string, std::string>> parse_header_line(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;  // blank line ending a block, junk
  std::string name = lower(trim(line.substr(0, colon)));
  if (name.empty()) return std::nullopt;
  return std::pair{std::move(name), std::string(trim(line.substr(colon + 1)))};
}

std::optional<std::string> Response::header(std::string_view name) const {
  std::string key = lower(name);
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == key) return it->second;
  }
  return std::nullopt;
}

// Per-transfer state, reached from curl callbacks through CURLOPT_PRIVATE / *DATA pointers.
// Member order matters: the header list must outlive the easy handle that points at it.
struct Fetcher::Transfer {
  SlistPtr headers;
  EasyPtr easy;
  Response response;
  std::size_t max_body = 0;
  bool too_large = false;
  std::chrono::steady_clock::time_point started;
  char error[CURL_ERROR_SIZE] = {};
  bool allow_private = false;
  std::string blocked;  // why a connection was refused (non_public), "" when none was
  // Fetcher::take_sent()'s list: (tag, when) appended when the request goes out.
  std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>>* sent_log = nullptr;

  // CURLOPT_PREREQFUNCTION: the connection is made (or reused) and the request is about to be
  // written — the moment the server's clock starts.
  static int on_prereq(void* user, char*, char*, int, int) {
    auto* t = static_cast<Transfer*>(user);
    const auto now = std::chrono::steady_clock::now();
    if (!t->response.sent_at) {
      t->response.sent_at = now;
      if (t->sent_log) t->sent_log->emplace_back(t->response.tag, now);
    }
    return CURL_PREREQFUNC_OK;
  }

  // CURLOPT_OPENSOCKETFUNCTION: the last moment before connect(), with the address curl
  // resolved (or took from --resolve / --connect-to). A refused address fails the transfer
  // with CURLE_COULDNT_CONNECT, reported as FetchError::blocked_address.
  static curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* a) {
    auto* t = static_cast<Transfer*>(user);
    if (purpose == CURLSOCKTYPE_IPCXN && !t->allow_private) {
      if (const char* why = non_public(&a->addr)) {
        t->blocked = address_text(&a->addr) + " is a " + why + " address";
        return CURL_SOCKET_BAD;
      }
    }
    return socket(a->family, a->socktype, a->protocol);
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    // Stop while receiving, not after: returning short makes curl abort with
    // CURLE_WRITE_ERROR, which collect() reports as too_large because of the flag.
    if (t->response.body.size() + n > t->max_body) {
      t->too_large = true;
      return 0;
    }
    t->response.body.append(data, n);
    return n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::size_t n = size * count;
    std::string_view line(data, n);
    // Each response of a redirect chain (and each 1xx) starts with a status line: keep only
    // the headers of the last one.
    if (line.starts_with("HTTP/")) {
      t->response.headers.clear();
      return n;
    }
    if (auto h = parse_header_line(line)) t->response.headers.push_back(std::move(*h));
    return n;
  }
};

struct Fetcher::Impl {
  // Declaration order is teardown order reversed: transfers and pooled easy handles go first
  // (after being removed from the multi handle in ~Impl), then the multi handle, then the
  // CURLOPT_RESOLVE / CURLOPT_CONNECT_TO lists the easy handles pointed at.
  SlistPtr resolve;
  SlistPtr connect_to;
  MultiPtr multi;
  std::vector<EasyPtr> pool;
  std::unordered_map<Transfer*, std::unique_ptr<Transfer>> transfers;
  std::vector<Response> ready;  // failed before reaching curl; returned by the next poll()
  std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> sent;

  ~Impl() {
    for (auto& [raw, t] : transfers) curl_multi_remove_handle(multi.get(), t->easy.get());
    transfers.clear();
    pool.clear();
  }
};

Fetcher::Fetcher(FetcherOptions options) : options_(std::move(options)), impl_(new Impl) {
  global_init();
  if (options_.max_in_flight == 0) options_.max_in_flight = 1;
  impl_->multi.reset(curl_multi_init());
  if (!impl_->multi) throw std::runtime_error("curl_multi_init failed");
  for (const std::string& entry : options_.resolve) {
    if (!append(impl_->resolve, entry)) throw std::runtime_error("curl_slist_append failed");
  }
  for (const std::string& entry : options_.connect_to) {
    if (!append(impl_->connect_to, entry)) throw std::runtime_error("curl_slist_append failed");
  }
  curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                    options_.max_host_connections);
  curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    options_.max_total_connections);
  // Idle connections kept for reuse: a crawl of many hosts at a polite rate comes back to each
  // host every few seconds, and a connection kept alive sends its request at once (a new one
  // costs a handshake and sends only on a later turn of the event loop).
  const long cache = std::max(kIdleConnections, 4 * static_cast<long>(options_.max_in_flight));
  curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAXCONNECTS, cache);
}

Fetcher::~Fetcher() = default;

void Fetcher::submit(Request request) { queue_.push_back(std::move(request)); }

void Fetcher::start(Request request) {
  auto t = std::make_unique<Transfer>();
  t->response.tag = request.tag;
  t->response.url = request.url;
  t->response.final_url = request.url;
  t->max_body = options_.max_body_bytes;
  t->started = std::chrono::steady_clock::now();

  // Reuse a pooled handle: curl_easy_reset keeps its DNS cache and session ids, and the
  // connection itself lives in the multi handle's cache either way.
  if (!impl_->pool.empty()) {
    t->easy = std::move(impl_->pool.back());
    impl_->pool.pop_back();
  } else {
    t->easy.reset(curl_easy_init());
  }
  auto fail = [&](FetchError e, std::string message) {
    t->response.error = e;
    t->response.message = std::move(message);
    impl_->ready.push_back(std::move(t->response));
    if (t->easy && impl_->pool.size() < options_.max_in_flight) {
      curl_easy_reset(t->easy.get());
      impl_->pool.push_back(std::move(t->easy));
    }
  };
  if (!t->easy) return fail(FetchError::other, "curl_easy_init failed");

  bool headers_ok = true;
  if (!request.if_none_match.empty()) {
    headers_ok &= append(t->headers, "If-None-Match: " + request.if_none_match);
  }
  if (!request.if_modified_since.empty()) {
    headers_ok &= append(t->headers, "If-Modified-Since: " + request.if_modified_since);
  }
  for (const std::string& h : request.extra_headers) headers_ok &= append(t->headers, h);
  if (!headers_ok) return fail(FetchError::other, "curl_slist_append failed");

  CURL* e = t->easy.get();
  Transfer* raw = t.get();
  curl_easy_setopt(e, CURLOPT_PRIVATE, raw);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, raw->error);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, raw);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, raw);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, options_.follow_redirects ? 1L : 0L);
  raw->allow_private = options_.allow_private;
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, raw);
  raw->sent_log = &impl_->sent;
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &Transfer::on_prereq);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, raw);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, options_.max_redirects);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_limit);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_time.count()));
  // Rejects an announced Content-Length over the cap before any byte of body arrives; the
  // write callback enforces the cap on the decoded stream.
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body_bytes));
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers.get());
  curl_easy_setopt(e, CURLOPT_RESOLVE, impl_->resolve.get());
  curl_easy_setopt(e, CURLOPT_CONNECT_TO, impl_->connect_to.get());
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (CURLcode rc = curl_easy_setopt(e, CURLOPT_URL, request.url.c_str()); rc != CURLE_OK) {
    return fail(classify(rc, false), curl_easy_strerror(rc));
  }
  if (CURLMcode mc = curl_multi_add_handle(impl_->multi.get(), e); mc != CURLM_OK) {
    return fail(FetchError::other, curl_multi_strerror(mc));
  }
  impl_->transfers.emplace(raw, std::move(t));
  ++active_;
  peak_ = std::max(peak_, active_);
}

void Fetcher::collect(std::vector<Response>& out) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(impl_->multi.get(), &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    // Teardown order: read the result (msg dies with the removal), remove the handle from the
    // multi handle, then clean up or pool the easy handle.
    CURL* e = msg->easy_handle;
    CURLcode rc = msg->data.result;
    Transfer* raw = nullptr;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, reinterpret_cast<char**>(&raw));
    curl_multi_remove_handle(impl_->multi.get(), e);

    auto it = impl_->transfers.find(raw);
    if (it == impl_->transfers.end()) continue;  // not ours; cannot happen
    std::unique_ptr<Transfer> t = std::move(it->second);
    impl_->transfers.erase(it);
    --active_;

    Response& r = t->response;
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    r.status = status;
    char* effective = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
      r.final_url = effective;
    }
    long redirects = 0;
    curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
    r.redirects = redirects;
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
      r.retry_after = std::chrono::seconds(retry_after);
    }
    r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t->started);
    r.error = classify(rc, t->too_large);
    if (!t->blocked.empty() && r.error != FetchError::none) {
      r.error = FetchError::blocked_address;
      r.message = "refused to connect: " + t->blocked +
                  " (allow it with --allow-private or allow_private = true in the profile)";
    } else if (r.error != FetchError::none) {
      r.message = t->error[0] != '\0' ? std::string(t->error) : curl_easy_strerror(rc);
      if (r.error == FetchError::too_large) {
        r.message = "body larger than " + std::to_string(options_.max_body_bytes) + " bytes";
        r.body.clear();
      } else if (r.error == FetchError::redirect_loop) {
        r.message = "more than " + std::to_string(options_.max_redirects) +
                    " redirects (last: " + r.final_url + ")";
      }
    }
    out.push_back(std::move(r));

    if (impl_->pool.size() < options_.max_in_flight) {
      curl_easy_reset(e);
      impl_->pool.push_back(std::move(t->easy));
    }
    // otherwise t (and its easy handle, curl_easy_cleanup) dies here
  }
}

std::vector<std::pair<std::uint64_t, std::chrono::steady_clock::time_point>> Fetcher::take_sent() {
  return std::exchange(impl_->sent, {});
}

void Fetcher::kick() {
  while (active_ < options_.max_in_flight && !queue_.empty()) {
    Request next = std::move(queue_.front());
    queue_.pop_front();
    start(std::move(next));
  }
  int running = 0;
  curl_multi_perform(impl_->multi.get(), &running);
}

std::vector<Response> Fetcher::poll(std::chrono::milliseconds timeout) {
  std::vector<Response> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // Refill the in-flight set (10-at-a-time): start queued requests while there is room.
    while (active_ < options_.max_in_flight && !queue_.empty()) {
      Request next = std::move(queue_.front());
      queue_.pop_front();
      start(std::move(next));
    }
    if (!impl_->ready.empty()) {
      for (Response& r : impl_->ready) out.push_back(std::move(r));
      impl_->ready.clear();
    }
    int running = 0;
    curl_multi_perform(impl_->multi.get(), &running);
    std::size_t before = out.size();
    collect(out);
    if (out.size() != before && !queue_.empty()) continue;  // room freed: refill and drive again
    if (!out.empty() || active_ == 0) break;
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) break;
    curl_multi_poll(impl_->multi.get(), nullptr, 0, static_cast<int>(remaining.count()), nullptr);
  }
  return out;
}

std::vector<std::uint64_t> Fetcher::abandon_all() {
  std::vector<std::uint64_t> tags;
  for (const Request& r : queue_) tags.push_back(r.tag);
  queue_.clear();
  for (Response& r : impl_->ready) tags.push_back(r.tag);
  impl_->ready.clear();
  for (auto& [raw, t] : impl_->transfers) {
    curl_multi_remove_handle(impl_->multi.get(), t->easy.get());
    tags.push_back(t->response.tag);
  }
  impl_->transfers.clear();  // easy handles cleaned up: their half-used connections close
  active_ = 0;
  return tags;
}

std::vector<Response> Fetcher::drain() {
  std::vector<Response> all;
  while (!idle()) {
    for (Response& r : poll(std::chrono::milliseconds(1000))) all.push_back(std::move(r));
  }
  return all;
}

}  // namespace nh::crawler
