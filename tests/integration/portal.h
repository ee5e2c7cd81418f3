// Test helpers for the integration suite: the demo portal as a subprocess (RAII), its JSON
// request log, its manifest, and running the newsharvest CLI.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

struct sqlite3;

namespace nh::testing {

// scripts/portal_server.py on 127.0.0.1, started in the constructor (waits for its PORT line),
// stopped with SIGTERM in the destructor. Its site and log live in a temporary directory that
// the destructor removes.
class Portal {
 public:
  explicit Portal(std::vector<std::string> extra_args = {});
  ~Portal();
  Portal(const Portal&) = delete;
  Portal& operator=(const Portal&) = delete;

  int port() const { return port_; }
  // "::127.0.0.1:PORT": every host and port to the portal (curl CONNECT_TO).
  std::string connect_to() const;
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path log_path() const { return dir_ / "requests.jsonl"; }
  // Every request logged so far (one JSON object per request).
  std::vector<nlohmann::json> requests() const;
  nlohmann::json manifest() const;  // the on-disk manifest (http://demo.portal.test URLs)
  // The live manifest (GET /__manifest.json as host demo.portal.test): includes what
  // admin publishes added.
  nlohmann::json live_manifest() const;
  // POST to an admin route ("/__admin/publish?n=10"); returns the JSON answer. Throws on a
  // non-200 status.
  nlohmann::json admin(const std::string& path_and_query) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path dir_;
};

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the newsharvest binary with `args` (no shell), capturing stdout and stderr.
CommandResult run_cli(const std::vector<std::string>& args);

// The newsharvest binary started in the background, stdout and stderr to files in its own
// temporary directory. The destructor kills it (SIGKILL) if it still runs.
class Background {
 public:
  explicit Background(const std::vector<std::string>& args);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Waits for the exit; returns the exit code (128 + signal when killed).
  CommandResult wait();
  // Non-blocking: true when the process has exited (then wait() returns at once).
  bool exited();

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool done_ = false;
  TempDir dir_;
};

// Milliseconds since the epoch of a portal log timestamp ("2026-11-26T11:03:49.301Z").
long long log_ms(const std::string& iso);

std::string read_text(const std::filesystem::path& p);

// Rows of a read-only query, every column as text (nullopt for NULL).
using Row = std::vector<std::optional<std::string>>;
std::vector<Row> query(sqlite3* db, const std::string& sql);
// The one value of a one-row, one-column query ("" for NULL or no row).
std::string scalar(sqlite3* db, const std::string& sql);

// Store::open options for reading a database a test crawl wrote.
inline store::OpenOptions read_only() {
  store::OpenOptions o;
  o.read_only = true;
  return o;
}

}  // namespace nh::testing
