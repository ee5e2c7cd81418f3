#include "portal.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace nh::testing {
namespace {

std::filesystem::path make_temp_dir(const char* prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX"));
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// fork + exec with stdout (and optionally stderr) to files/pipes; returns the pid.
pid_t spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (out_fd >= 0) dup2(out_fd, 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Portal::Portal(std::vector<std::string> extra_args) {
  dir_ = make_temp_dir("nh-portal-");
  std::vector<std::string> argv{NH_PYTHON, std::string(NH_SOURCE_DIR) + "/scripts/portal_server.py",
                                "--root",  (dir_ / "site").string(),
                                "--log",   log_path().string(),
                                "--port",  "0"};
  for (auto& a : extra_args) argv.push_back(std::move(a));
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = spawn(argv, fds[1], -1);
  close(fds[1]);
  FILE* out = fdopen(fds[0], "r");
  char line[512];
  // PORT comes first; the site and its manifest are ready once the last startup line (HOSTS)
  // is out. The server writes nothing to stdout after that, so closing the pipe then is safe.
  while (out != nullptr && std::fgets(line, sizeof line, out) != nullptr) {
    std::sscanf(line, "PORT %d", &port_);
    if (std::string_view(line).starts_with("HOSTS")) break;
  }
  if (out != nullptr) fclose(out);
  if (port_ == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("demo portal did not start");
  }
}

Portal::~Portal() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      usleep(100'000);
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string Portal::connect_to() const { return "::127.0.0.1:" + std::to_string(port_); }

std::vector<nlohmann::json> Portal::requests() const {
  // The portal writes a request's log line after it has sent the response, so a client can be
  // done before the line is there: wait until the log has not grown for 50 ms.
  std::string text = read_text(log_path());
  for (int i = 0; i < 40; ++i) {
    usleep(50'000);
    std::string again = read_text(log_path());
    if (again.size() == text.size()) break;
    text = std::move(again);
  }
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

nlohmann::json Portal::manifest() const {
  return nlohmann::json::parse(read_text(dir_ / "site" / "manifest.json"));
}

TempDir::TempDir() : path_(make_temp_dir("nh-it-")) {}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run_cli(const std::vector<std::string>& args) {
  TempDir tmp;
  const auto out_path = tmp.path() / "out", err_path = tmp.path() / "err";
  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv{NH_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = spawn(argv, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

long long log_ms(const std::string& iso) {
  std::tm tm{};
  int ms = 0;
  std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
              &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm)) * 1000 + ms;
}

}  // namespace nh::testing

#include <sqlite3.h>

namespace nh::testing {

std::vector<Row> query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("bad test query: ") + sqlite3_errmsg(db) + ": " + sql);
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::vector<Row> rows;
  while (sqlite3_step(raw) == SQLITE_ROW) {
    Row row;
    for (int i = 0; i < sqlite3_column_count(raw); ++i) {
      if (sqlite3_column_type(raw, i) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
        row.emplace_back(std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(raw, i))));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string scalar(sqlite3* db, const std::string& sql) {
  auto rows = query(db, sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return {};
  return *rows[0][0];
}

}  // namespace nh::testing

#include <curl/curl.h>

namespace nh::testing {
namespace {

std::size_t collect_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// One request to the portal as host demo.portal.test (curl easy API; test helper only).
std::string portal_request(int port, const std::string& path, bool post) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), &curl_easy_cleanup);
  if (!h) throw std::runtime_error("curl_easy_init failed");
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  std::string body;
  curl_slist* headers = curl_slist_append(nullptr, "Host: demo.portal.test");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hl(headers, &curl_slist_free_all);
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &collect_body);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 30000L);
  if (post) curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, "");
  if (CURLcode rc = curl_easy_perform(h.get()); rc != CURLE_OK)
    throw std::runtime_error(path + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200)
    throw std::runtime_error(path + ": HTTP " + std::to_string(status) + ": " + body);
  return body;
}

}  // namespace

nlohmann::json Portal::live_manifest() const {
  return nlohmann::json::parse(portal_request(port_, "/__manifest.json", false));
}

nlohmann::json Portal::admin(const std::string& path_and_query) const {
  return nlohmann::json::parse(portal_request(port_, path_and_query, true));
}

Background::Background(const std::vector<std::string>& args) {
  const auto out_path = dir_.path() / "out", err_path = dir_.path() / "err";
  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv{NH_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = spawn(argv, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
}

Background::~Background() {
  if (!done_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Background::signal(int sig) const {
  if (!done_) kill(pid_, sig);
}

bool Background::exited() {
  if (done_) return true;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) done_ = true;
  return done_;
}

CommandResult Background::wait() {
  if (!done_) {
    waitpid(pid_, &status_, 0);
    done_ = true;
  }
  CommandResult r;
  r.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  r.out = read_text(dir_.path() / "out");
  r.err = read_text(dir_.path() / "err");
  return r;
}

}  // namespace nh::testing
