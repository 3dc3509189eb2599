#ifndef ZHIWANG_COMMON_TESTING_REDIS_ENVIRONMENT_H_
#define ZHIWANG_COMMON_TESTING_REDIS_ENVIRONMENT_H_

// One private redis-server (common/testing/redis_server.h) for a whole test binary, as a
// gtest global environment: started in SetUp (on the main thread, which outlives it, as
// RedisServer requires) and stopped in TearDown. A failed start fails the run and leaves
// server() null, so fixtures should check it. Tests that share the server call
// server()->Flush() in their own SetUp. Header-only; register it once per binary:
//
//   const ::testing::Environment* const kRedisEnvironment =
//       ::testing::AddGlobalTestEnvironment(new zhiwang::testing::RedisEnvironment);
//   ...
//   ASSERT_NE(RedisEnvironment::server(), nullptr);
//   int port = RedisEnvironment::server()->port();

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace zhiwang::testing {

class RedisEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<RedisServer>> server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  void TearDown() override { server_.reset(); }
  // The running server, or null before SetUp, after TearDown or if it failed to start.
  static RedisServer* server() { return server_.get(); }

 private:
  static inline std::unique_ptr<RedisServer> server_;
};

}  // namespace zhiwang::testing

#endif  // ZHIWANG_COMMON_TESTING_REDIS_ENVIRONMENT_H_
