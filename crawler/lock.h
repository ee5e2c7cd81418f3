// The overlap lock of scheduled crawls: one crawl per (database, site) at a time.
//
// Contract:
//   - RunLock::acquire(db, site) takes an exclusive, non-blocking flock(2) on the lock file
//     lock_path(db, site) ("<db>.<site>.lock" beside the database). The kernel drops the lock
//     when its holder dies, however it dies (kill -9 included), so a crashed crawl never
//     blocks the next one.
//   - While held, the file names the holder: "pid=N\nhost=H\nsite=S\nstarted=ISO\n". On a clean
//     release (destructor) the file is emptied but not removed: removing a flock'ed file lets
//     two processes each lock a different inode of the same name.
//   - Outcomes: acquired (the file was empty), took_over (the file still named a holder that
//     no longer holds the lock: a process that died; `previous` says which), busy (another live
//     process holds it; `holder` says which, and nothing was changed).
//   - Locks of different sites, or of the same site in different databases, never conflict.
//   - Faults (directory not writable, not a regular file) throw std::runtime_error naming the
//     lock file.
//   - An in-memory database (":memory:") needs no lock: acquire returns an inert, acquired lock.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace nh::crawler {

struct LockHolder {
  pid_t pid = 0;
  std::string host;
  std::string site;
  std::string started;  // ISO 8601 UTC
  bool alive = false;   // pid still exists on this host (kill(pid, 0))

  // "pid 1234 on host1 since 2026-11-26T10:00:00Z"
  std::string describe() const;
};

class RunLock {
 public:
  enum class Outcome { acquired, took_over, busy };

  static std::filesystem::path lock_path(const std::filesystem::path& db, std::string_view site);
  static RunLock acquire(const std::filesystem::path& db, std::string_view site);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  Outcome outcome() const { return outcome_; }
  bool held() const { return outcome_ != Outcome::busy; }
  // busy: who holds it. took_over: who held it before and died.
  const std::optional<LockHolder>& other() const { return other_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  RunLock() = default;
  int fd_ = -1;
  Outcome outcome_ = Outcome::acquired;
  std::optional<LockHolder> other_;
  std::filesystem::path path_;
};

}  // namespace nh::crawler
