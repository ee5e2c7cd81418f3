#include "tests/crawler/loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace nh::crawler::testing {
namespace {

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool send_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

}  // namespace

LoopbackServer::LoopbackServer(Handler handler) : handler_(std::move(handler)) {
  if (::pipe(wake_) != 0) throw std::runtime_error("pipe failed");
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // 127.0.0.1 only
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() { stop(); }

std::string LoopbackServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void LoopbackServer::stop() {
  if (stopping_.exchange(true)) return;
  cv_.notify_all();
  char b = 0;
  [[maybe_unused]] auto w = ::write(wake_[1], &b, 1);
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);  // unblocks recv() in the workers
  }
  for (std::thread& t : workers_) t.join();
  for (int fd : fds_) ::close(fd);
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

bool LoopbackServer::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void LoopbackServer::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (stopping_ || (fds[1].revents & POLLIN)) return;
    if (!(fds[0].revents & POLLIN)) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    connections_++;
    int one = 1;  // headers and body go out in separate sends: no Nagle/delayed-ACK stall
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard<std::mutex> lock(mu_);
    fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void LoopbackServer::serve(int fd) {
  std::string buffer;
  char chunk[4096];
  while (!stopping_) {
    auto end = buffer.find("\r\n\r\n");
    while (end == std::string::npos) {
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(n));
      end = buffer.find("\r\n\r\n");
    }
    std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);

    HttpRequest req;
    std::size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    auto sp1 = request_line.find(' ');
    auto sp2 = request_line.find(' ', sp1 + 1);
    req.method = request_line.substr(0, sp1);
    req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      std::size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(pos, next - pos);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        req.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
      }
      pos = next + 2;
    }

    requests_++;
    int now = ++current_;
    int peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
    Reply reply = handler_(req);
    bool alive = sleep_for(reply.delay);
    bool close = reply.close || !reply.send_length || lower(req.headers["connection"]) == "close";
    if (alive && reply.hang_up) {
      --current_;
      ::shutdown(fd, SHUT_RDWR);  // the client sees EOF; stop() closes the fd
      return;
    }
    if (alive) {
      std::string out =
          "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) + "\r\n";
      for (const auto& [k, v] : reply.headers) out += k + ": " + v + "\r\n";
      if (reply.send_length) {
        out +=
            "Content-Length: " + std::to_string(reply.content_length.value_or(reply.body.size())) +
            "\r\n";
      }
      if (close) out += "Connection: close\r\n";
      out += "\r\n";
      alive = send_all(fd, out.data(), out.size());
      if (alive && reply.stall.count() > 0) alive = sleep_for(reply.stall);
      std::size_t step = reply.chunk == 0 ? reply.body.size() : reply.chunk;
      for (std::size_t off = 0; alive && off < reply.body.size(); off += step) {
        alive = send_all(fd, reply.body.data() + off, std::min(step, reply.body.size() - off));
        if (alive && reply.chunk_pause.count() > 0) alive = sleep_for(reply.chunk_pause);
      }
    }
    --current_;
    if (!alive || close) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

}  // namespace nh::crawler::testing
