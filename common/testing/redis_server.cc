#include "common/testing/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace zhiwang::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kTermGrace = std::chrono::seconds(5);
constexpr int kPortAttempts = 5;

std::string ErrnoText(const char* what) { return absl::StrCat(what, ": ", std::strerror(errno)); }

// A loopback port that was free a moment ago. Another process may take it
// before redis-server binds it; Start() then retries with a new port.
absl::StatusOr<int> PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(ErrnoText("socket"));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    absl::Status status = absl::InternalError(ErrnoText("bind/getsockname"));
    close(fd);
    return status;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

absl::StatusOr<std::string> FindRedisServer() {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::string all = path;
    size_t start = 0;
    while (start <= all.size()) {
      size_t end = all.find(':', start);
      if (end == std::string::npos) end = all.size();
      if (end > start) dirs.push_back(all.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.push_back("/usr/bin");
  dirs.push_back("/usr/sbin");
  dirs.push_back("/usr/local/bin");
  for (const std::string& dir : dirs) {
    std::string candidate = dir + "/redis-server";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return absl::NotFoundError("redis-server not found on PATH, /usr/bin or /usr/sbin");
}

// Sends one inline command to 127.0.0.1:port and returns the first line of the
// reply, without "\r\n". A raw socket keeps this helper free of any client
// library.
absl::StatusOr<std::string> RoundTrip(int port, const std::string& command) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(ErrnoText("socket"));
  timeval tv{.tv_sec = 2, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    absl::Status status = absl::UnavailableError(ErrnoText("connect"));
    close(fd);
    return status;
  }
  const std::string request = command + "\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    absl::Status status = absl::UnavailableError(ErrnoText("send"));
    close(fd);
    return status;
  }
  std::string line;
  char buf[256];
  while (line.find("\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {
      absl::Status status =
          absl::UnavailableError(n == 0 ? "connection closed" : ErrnoText("recv"));
      close(fd);
      return status;
    }
    line.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return line.substr(0, line.find("\r\n"));
}

// Sends SIGKILL to `pid` (a child this process started) and reaps it.
void KillAndReap(pid_t pid) {
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start() {
  std::unique_ptr<RedisServer> server(new RedisServer());
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/zw-redis-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(ErrnoText("mkdtemp"));
  }
  server->dir_ = pattern;

  absl::Status last = absl::UnknownError("no attempt made");
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    absl::StatusOr<int> port = PickFreePort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    last = server->Launch();
    if (last.ok()) return server;
    // Most likely the port was taken between PickFreePort() and redis binding
    // it.
  }
  return last;
}

RedisServer::~RedisServer() {
  if (pid_ > 0) {
    // SIGTERM lets redis flush its AOF and exit; SIGKILL if it does not within
    // the grace.
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kTermGrace;
    for (;;) {
      pid_t r = waitpid(pid_, nullptr, WNOHANG);
      if (r == pid_ || (r < 0 && errno != EINTR)) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        KillAndReap(pid_);
        break;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

absl::Status RedisServer::Launch() {
  absl::StatusOr<std::string> binary = FindRedisServer();
  if (!binary.ok()) return binary.status();

  // Everything the child needs is built before fork(): between fork() and
  // exec() only async-signal-safe calls are allowed.
  std::vector<std::string> args = {*binary,
                                   "--port",
                                   absl::StrCat(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--dir",
                                   dir_,
                                   "--appendonly",
                                   "yes",
                                   "--appendfsync",
                                   "always",
                                   "--save",
                                   "",
                                   "--daemonize",
                                   "no",
                                   "--logfile",
                                   dir_ + "/redis.log",
                                   "--protected-mode",
                                   "yes"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(ErrnoText("fork"));
  if (pid == 0) {
    // Die with the test process so a crashed or timed-out test leaves no server
    // behind. (The signal is tied to the forking thread: start servers from a
    // long-lived thread.)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
    }
    // Do not let the server inherit the test's sockets (clients, listeners).
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0) {
      for (int fd = 3; fd < 1024; ++fd) close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;

  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string last_answer = "no answer";
  for (;;) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("redis-server on port ", port_,
                                                 " exited during start-up (status ", wstatus,
                                                 "); see ", dir_, "/redis.log"));
    }
    absl::StatusOr<std::string> answer = RoundTrip(port_, "PING");
    if (answer.ok() && *answer == "+PONG") return absl::OkStatus();
    last_answer = answer.ok() ? *answer : std::string(answer.status().message());
    if (std::chrono::steady_clock::now() >= deadline) {
      KillAndReap(pid_);
      pid_ = -1;
      return absl::DeadlineExceededError(absl::StrCat(
          "redis-server on port ", port_, " did not answer PING within 10s (last: ", last_answer,
          "); see ", dir_, "/redis.log"));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

absl::Status RedisServer::Restart() {
  if (pid_ > 0) {
    KillAndReap(pid_);
    pid_ = -1;
  }
  return Launch();
}

absl::Status RedisServer::Kill() {
  if (pid_ <= 0) return absl::FailedPreconditionError("redis-server is not running");
  KillAndReap(pid_);
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Flush() {
  absl::StatusOr<std::string> answer = RoundTrip(port_, "FLUSHALL");
  if (!answer.ok()) return answer.status();
  if (*answer != "+OK") {
    return absl::InternalError(absl::StrCat("FLUSHALL answered ", *answer));
  }
  return absl::OkStatus();
}

}  // namespace zhiwang::testing
