#include "crawler/lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <thread>

namespace nh::crawler {
namespace {

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string this_host() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "?";
  return buf;
}

std::string read_all(int fd) {
  std::string out;
  char buf[512];
  off_t off = 0;
  for (;;) {
    ssize_t n = pread(fd, buf, sizeof buf, off);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    off += n;
    if (out.size() > 4096) break;  // not ours: a lock file is a few lines
  }
  return out;
}

std::optional<LockHolder> parse_holder(const std::string& text) {
  LockHolder h;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "pid") {
      try {
        h.pid = static_cast<pid_t>(std::stol(std::string(value)));
      } catch (...) {
        h.pid = 0;
      }
    } else if (key == "host") {
      h.host = value;
    } else if (key == "site") {
      h.site = value;
    } else if (key == "started") {
      h.started = value;
    }
  }
  if (h.pid <= 0) return std::nullopt;
  h.alive = h.host == this_host() && (kill(h.pid, 0) == 0 || errno == EPERM);
  return h;
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

std::string LockHolder::describe() const {
  std::string s = "pid " + std::to_string(pid);
  if (!host.empty()) s += " on " + host;
  if (!started.empty()) s += " since " + started;
  return s;
}

std::filesystem::path RunLock::lock_path(const std::filesystem::path& db, std::string_view site) {
  std::filesystem::path p = db;
  p += ".";
  p += std::string(site);
  p += ".lock";
  return p;
}

RunLock RunLock::acquire(const std::filesystem::path& db, std::string_view site) {
  RunLock lock;
  if (db.empty() || db == ":memory:") return lock;
  lock.path_ = lock_path(db, site);
  if (lock.path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(lock.path_.parent_path(), ec);
  }
  lock.fd_ = ::open(lock.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lock.fd_ < 0) fail(lock.path_, "cannot open lock file");
  struct stat st {};
  if (fstat(lock.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    errno = EINVAL;
    fail(lock.path_, "lock file is not a regular file");
  }
  if (flock(lock.fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) fail(lock.path_, "cannot lock");
    lock.outcome_ = Outcome::busy;
    // The holder writes its name right after locking: give it a moment if the file is empty.
    for (int i = 0; i < 20 && !lock.other_; ++i) {
      lock.other_ = parse_holder(read_all(lock.fd_));
      if (!lock.other_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::close(lock.fd_);
    lock.fd_ = -1;
    return lock;
  }
  if (auto previous = parse_holder(read_all(lock.fd_))) {
    lock.outcome_ = Outcome::took_over;
    lock.other_ = std::move(previous);
  }
  const std::string text = "pid=" + std::to_string(getpid()) + "\nhost=" + this_host() +
                           "\nsite=" + std::string(site) + "\nstarted=" + iso_now() + "\n";
  if (ftruncate(lock.fd_, 0) != 0 ||
      pwrite(lock.fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    fail(lock.path_, "cannot write lock file");
  }
  return lock;
}

RunLock::RunLock(RunLock&& other) noexcept
    : fd_(other.fd_),
      outcome_(other.outcome_),
      other_(std::move(other.other_)),
      path_(std::move(other.path_)) {
  other.fd_ = -1;
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  // Empty, then unlock by closing: the next holder finds no name and knows we finished.
  if (ftruncate(fd_, 0) != 0) {
    // Nothing to do about it: the next run will report a stale lock and take it over.
  }
  ::close(fd_);
}

}  // namespace nh::crawler
