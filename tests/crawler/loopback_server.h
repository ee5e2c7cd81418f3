// A tiny HTTP/1.1 server for the fetcher tests. Listens on 127.0.0.1 on a kernel-chosen port
// only; one thread accepts, one thread per connection serves keep-alive requests (GET, no
// request bodies). The destructor stops everything, interrupting stalled replies.
//
// It can misbehave on purpose (see Reply): announce a length and close early, stall after the
// headers, send a close-delimited body, or close without answering. It counts accepted
// connections and the peak number of requests being answered at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace nh::crawler::testing {

struct HttpRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::map<std::string, std::string> headers;  // lower-cased names
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Content-Length to announce; defaults to body.size(). Ignored when !send_length.
  std::optional<std::size_t> content_length;
  bool send_length = true;             // false: close-delimited body (implies close)
  bool close = false;                  // close the connection after this reply
  bool hang_up = false;                // close without sending anything
  std::chrono::milliseconds delay{0};  // before anything is sent (counted as in progress)
  std::chrono::milliseconds stall{0};  // after the headers, before the body
  std::size_t chunk = 0;               // send the body in pieces of this size (0 = at once)
  std::chrono::milliseconds chunk_pause{0};
};

class LoopbackServer {
 public:
  using Handler = std::function<Reply(const HttpRequest&)>;

  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const;  // "http://127.0.0.1:PORT" + path

  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }
  int peak_concurrent() const { return peak_.load(); }

  void stop();

 private:
  void accept_loop();
  void serve(int fd);
  // Sleeps up to `d`; returns false if the server is stopping.
  bool sleep_for(std::chrono::milliseconds d);

  Handler handler_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // self-pipe that wakes the accept loop on stop()
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> current_{0};
  std::atomic<int> peak_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> fds_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace nh::crawler::testing
