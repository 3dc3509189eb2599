#include "common/redis/redis_client.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace zhiwang::redis {
namespace {

using ::zhiwang::testing::RedisServer;
using Type = RedisReply::Type;

RedisOptions OptionsFor(const RedisServer& server) {
  RedisOptions options;
  options.port = server.port();
  options.command_timeout = absl::Seconds(2);
  return options;
}

absl::StatusOr<RedisReply> RunScriptAndWait(RedisClient& client, const std::string& source,
                                            std::vector<std::string> keys,
                                            std::vector<std::string> args) {
  absl::Notification done;
  absl::StatusOr<RedisReply> result;
  client.RunScript(source, RedisClient::ScriptSha1(source), std::move(keys), std::move(args),
                   [&](absl::StatusOr<RedisReply> reply) {
                     result = std::move(reply);
                     done.Notify();
                   });
  done.WaitForNotification();
  return result;
}

// One server for the suite, flushed before each test; tests that kill or
// restart the server start their own.
class RedisClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->Flush().ok());
    auto client = RedisClient::Connect(OptionsFor(*server_));
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = std::move(*client);
  }

  static RedisServer* server_;
  std::unique_ptr<RedisClient> client_;
};

RedisServer* RedisClientTest::server_ = nullptr;

TEST_F(RedisClientTest, ConvertsEveryReplyType) {
  auto set = client_->Call({"SET", "k", "v"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->type, Type::kStatus);
  EXPECT_EQ(set->str, "OK");

  auto get = client_->Call({"GET", "k"});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->type, Type::kString);
  EXPECT_EQ(get->str, "v");

  auto missing = client_->Call({"GET", "missing"});
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_TRUE(missing->is_nil());

  auto incr = client_->Call({"INCRBY", "n", "42"});
  ASSERT_TRUE(incr.ok()) << incr.status();
  EXPECT_EQ(incr->type, Type::kInteger);
  EXPECT_EQ(incr->integer, 42);

  ASSERT_TRUE(client_->Call({"RPUSH", "list", "a", "b", "c"}).ok());
  auto range = client_->Call({"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(range.ok()) << range.status();
  ASSERT_EQ(range->type, Type::kArray);
  ASSERT_EQ(range->elements.size(), 3u);
  EXPECT_EQ(range->elements[0].str, "a");
  EXPECT_EQ(range->elements[2].str, "c");

  auto nested = client_->Call({"EVAL", "return {1, {'x', 'y'}, 'z'}", "0"});
  ASSERT_TRUE(nested.ok()) << nested.status();
  ASSERT_EQ(nested->type, Type::kArray);
  ASSERT_EQ(nested->elements.size(), 3u);
  EXPECT_EQ(nested->elements[0].integer, 1);
  ASSERT_EQ(nested->elements[1].type, Type::kArray);
  EXPECT_EQ(nested->elements[1].elements[1].str, "y");
  EXPECT_EQ(nested->elements[2].str, "z");

  auto error = client_->Call({"NOSUCHCOMMAND"});
  ASSERT_TRUE(error.ok()) << error.status();
  EXPECT_TRUE(error->is_error());

  auto wrong_type = client_->Call({"INCR", "list"});
  ASSERT_TRUE(wrong_type.ok()) << wrong_type.status();
  EXPECT_TRUE(wrong_type->is_error());
  EXPECT_EQ(wrong_type->str.rfind("WRONGTYPE", 0), 0u) << wrong_type->str;
}

TEST_F(RedisClientTest, ArgumentsAndValuesAreBinarySafe) {
  const std::string value("a\0b\r\nc", 6);
  ASSERT_TRUE(client_->Call({"SET", std::string("k\0ey", 4), value}).ok());
  auto get = client_->Call({"GET", std::string("k\0ey", 4)});
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->str, value);
}

TEST_F(RedisClientTest, EmptyCommandIsInvalidArgumentAndDoesNotDisturbOthers) {
  auto empty = client_->Call({});
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  auto ping = client_->Call({"PING"});
  ASSERT_TRUE(ping.ok()) << ping.status();
  EXPECT_EQ(ping->str, "PONG");
}

TEST_F(RedisClientTest, ConcurrentSendersGetTheirOwnRepliesInOrder) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 250;
  absl::BlockingCounter remaining(kThreads * kPerThread);
  absl::Mutex mu;
  // For thread t: the list lengths RPUSH answered, in callback order.
  std::vector<std::vector<long long>> seen(kThreads);
  std::atomic<int> failures{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = absl::StrCat("list:", t);
      for (int i = 0; i < kPerThread; ++i) {
        client_->Send({"RPUSH", key, absl::StrCat(i)}, [&, t](absl::StatusOr<RedisReply> reply) {
          if (!reply.ok() || reply->type != Type::kInteger) {
            failures.fetch_add(1);
          } else {
            absl::MutexLock lock(&mu);
            seen[t].push_back(reply->integer);
          }
          remaining.DecrementCount();
        });
      }
    });
  }
  for (std::thread& th : threads) th.join();
  remaining.Wait();

  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(seen[t].size(), static_cast<size_t>(kPerThread)) << "thread " << t;
    for (int i = 0; i < kPerThread; ++i) {
      ASSERT_EQ(seen[t][i], i + 1) << "thread " << t << " reply " << i;
    }
    auto range = client_->Call({"LRANGE", absl::StrCat("list:", t), "0", "-1"});
    ASSERT_TRUE(range.ok()) << range.status();
    ASSERT_EQ(range->elements.size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      ASSERT_EQ(range->elements[i].str, absl::StrCat(i)) << "thread " << t;
    }
  }
}

TEST_F(RedisClientTest, RunScriptLoadsTheScriptWhenRedisDoesNotHaveIt) {
  const std::string script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
  ASSERT_TRUE(client_->Call({"SCRIPT", "FLUSH"}).ok());

  auto first = RunScriptAndWait(*client_, script, {"counter"}, {"5"});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->type, Type::kInteger) << first->str;
  EXPECT_EQ(first->integer, 5);

  auto exists = client_->Call({"SCRIPT", "EXISTS", RedisClient::ScriptSha1(script)});
  ASSERT_TRUE(exists.ok()) << exists.status();
  ASSERT_EQ(exists->elements.size(), 1u);
  EXPECT_EQ(exists->elements[0].integer, 1);

  auto cached = RunScriptAndWait(*client_, script, {"counter"}, {"5"});
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->integer, 10);

  ASSERT_TRUE(client_->Call({"SCRIPT", "FLUSH"}).ok());
  auto after_flush = RunScriptAndWait(*client_, script, {"counter"}, {"5"});
  ASSERT_TRUE(after_flush.ok()) << after_flush.status();
  EXPECT_EQ(after_flush->integer, 15);
}

TEST_F(RedisClientTest, RunScriptDeliversScriptErrors) {
  auto reply = RunScriptAndWait(*client_, "return redis.error_reply('BAD thing')", {}, {});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_error());
  EXPECT_EQ(reply->str, "BAD thing");
}

TEST(ScriptSha1Test, MatchesKnownVectors) {
  EXPECT_EQ(RedisClient::ScriptSha1(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(RedisClient::ScriptSha1("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(RedisClient::ScriptSha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(RedisClient::ScriptSha1(std::string(1000000, 'a')),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_F(RedisClientTest, ScriptSha1MatchesScriptLoad) {
  // Lengths around the 55/56/64-byte padding boundaries and beyond one block.
  for (int pad = 0; pad < 140; ++pad) {
    const std::string script = absl::StrCat("return 1 --", std::string(pad, 'x'));
    auto loaded = client_->Call({"SCRIPT", "LOAD", script});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ASSERT_EQ(loaded->type, Type::kString) << loaded->str;
    ASSERT_EQ(RedisClient::ScriptSha1(script), loaded->str) << "length " << script.size();
  }
}

TEST_F(RedisClientTest, CallFromACallbackFailsInsteadOfDeadlocking) {
  absl::Notification done;
  absl::StatusCode code = absl::StatusCode::kOk;
  client_->Send({"PING"}, [&](absl::StatusOr<RedisReply>) {
    code = client_->Call({"PING"}).status().code();
    done.Notify();
  });
  done.WaitForNotification();
  EXPECT_EQ(code, absl::StatusCode::kFailedPrecondition);
}

TEST(RedisClientFailureTest, ConnectFailsWithUnavailableWhenNothingListens) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = OptionsFor(**server);
  ASSERT_TRUE((*server)->Kill().ok());
  auto client = RedisClient::Connect(options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kUnavailable);
}

TEST(RedisClientFailureTest, FailsFastWhileDownAndReconnectsAfterRestart) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = OptionsFor(**server);
  options.command_timeout = absl::Milliseconds(300);
  auto client = RedisClient::Connect(options);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->Call({"SET", "k", "v"}).ok());

  ASSERT_TRUE((*server)->Kill().ok());
  // Both a lone Call and a burst fail with UNAVAILABLE once the timeout passes.
  EXPECT_EQ((*client)->Call({"GET", "k"}).status().code(), absl::StatusCode::kUnavailable);
  constexpr int kBurst = 20;
  absl::BlockingCounter remaining(kBurst);
  std::atomic<int> unavailable{0};
  for (int i = 0; i < kBurst; ++i) {
    (*client)->Send({"GET", "k"}, [&](absl::StatusOr<RedisReply> reply) {
      if (reply.status().code() == absl::StatusCode::kUnavailable) unavailable.fetch_add(1);
      remaining.DecrementCount();
    });
  }
  remaining.Wait();
  EXPECT_EQ(unavailable.load(), kBurst);

  ASSERT_TRUE((*server)->Restart().ok());
  // The client reconnects on its own (backoff is at most 1 s); the AOF kept the
  // write.
  absl::StatusOr<RedisReply> get = absl::UnknownError("not tried");
  for (int attempt = 0; attempt < 20 && !get.ok(); ++attempt) {
    get = (*client)->Call({"GET", "k"});
    if (!get.ok()) {
      EXPECT_EQ(get.status().code(), absl::StatusCode::kUnavailable) << get.status();
    }
  }
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->str, "v");
  auto set = (*client)->Call({"SET", "k2", "v2"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->str, "OK");
}

TEST(RedisClientFailureTest, IdleConnectionSurvivesARestartWithoutLosingACommand) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto client = RedisClient::Connect(OptionsFor(**server));
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->Call({"PING"}).ok());
  ASSERT_TRUE((*server)->Restart().ok());
  // The dead connection is noticed before the command is written, so it is not
  // lost.
  auto ping = (*client)->Call({"PING"});
  ASSERT_TRUE(ping.ok()) << ping.status();
  EXPECT_EQ(ping->str, "PONG");
}

TEST(RedisClientFailureTest, DestructorCancelsPendingCommands) {
  auto server = RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = OptionsFor(**server);
  options.command_timeout = absl::Seconds(30);  // longer than the test: only the
                                                // destructor can complete them
  auto client = RedisClient::Connect(options);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*server)->Kill().ok());

  constexpr int kPending = 50;
  std::atomic<int> cancelled{0};
  std::atomic<int> calls{0};
  for (int i = 0; i < kPending; ++i) {
    (*client)->Send({"PING"}, [&](absl::StatusOr<RedisReply> reply) {
      calls.fetch_add(1);
      if (reply.status().code() == absl::StatusCode::kCancelled) cancelled.fetch_add(1);
    });
  }
  client->reset();
  EXPECT_EQ(calls.load(), kPending);
  EXPECT_EQ(cancelled.load(), kPending);
}

}  // namespace
}  // namespace zhiwang::redis
