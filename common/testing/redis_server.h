#ifndef ZHIWANG_COMMON_TESTING_REDIS_SERVER_H_
#define ZHIWANG_COMMON_TESTING_REDIS_SERVER_H_

// A private redis-server for integration and e2e tests: started on a free loopback port
// with its data in a fresh temporary directory (AOF on, appendfsync always), stopped
// (by its PID) when destroyed. Restart() stops it with SIGKILL and starts it again on the
// same port and directory, so a test can show that nothing acknowledged was lost.
// The server gets SIGKILL if the thread that started it exits (PR_SET_PDEATHSIG), so a
// crashed test leaves nothing behind: start servers from a thread that outlives them.
// Not thread-safe.
//
//   auto redis = RedisServer::Start();
//   ASSERT_TRUE(redis.ok()) << redis.status();
//   int port = (*redis)->port();

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace zhiwang::testing {

class RedisServer {
 public:
  // Finds redis-server on PATH (or /usr/bin), starts it and waits until it answers PING.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();
  ~RedisServer();

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  pid_t pid() const { return pid_; }

  // SIGKILL, then start again on the same port and directory; waits for PING and for
  // the AOF to be loaded.
  absl::Status Restart();
  // SIGKILL only (to test behaviour while Redis is down); Start again with Restart().
  absl::Status Kill();
  // FLUSHALL, for tests that share one server.
  absl::Status Flush();

 private:
  RedisServer() = default;
  absl::Status Launch();
  int port_ = 0;
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace zhiwang::testing

#endif  // ZHIWANG_COMMON_TESTING_REDIS_SERVER_H_
