#ifndef ZHIWANG_COMMON_REDIS_REDIS_CLIENT_H_
#define ZHIWANG_COMMON_REDIS_REDIS_CLIENT_H_

// A pipelining Redis client over one hiredis connection and one I/O thread.
//
// Any thread may Send(); commands queue up and the I/O thread writes every queued
// command in one batch, then reads their replies in order and runs each callback on the
// I/O thread. Under concurrency this turns N round trips into one, which is how a gRPC
// server keeps many requests in flight without one blocking connection per request.
//
// Failure: when the connection breaks, every command written but not answered fails with
// UNAVAILABLE (it may or may not have run: callers make writes idempotent), and the client
// reconnects with backoff; commands sent while disconnected wait up to `command_timeout`
// for the connection and then fail with UNAVAILABLE.
//
// A reply timeout (no answer within `command_timeout`) also breaks the connection and is
// reported as UNAVAILABLE, like any other lost connection; DEADLINE_EXCEEDED is never
// returned. Before writing a batch on a connection that has been idle, the client checks
// whether the server closed it (e.g. a restart) and reconnects first, so those commands
// are not lost.
//
// Not for blocking commands (BLPOP, XREAD BLOCK…), which stall the whole pipeline, nor
// for MULTI/EXEC/WATCH or SUBSCRIBE: commands of concurrent callers interleave. Use Lua
// scripts for atomicity.
//
// Callbacks must not block: they run on the I/O thread (Call() from a callback returns
// FAILED_PRECONDITION instead of deadlocking). Thread-safe.
//
//   auto client = RedisClient::Connect({.host = "127.0.0.1", .port = 6379});
//   (*client)->Send({"SET", "k", "v"}, [](absl::StatusOr<RedisReply> r) { ... });
//   absl::StatusOr<RedisReply> r = (*client)->Call({"GET", "k"});

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace zhiwang::redis {

// A reply, copied out of hiredis so callers never include it.
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;                   // kString, kStatus, kError
  long long integer = 0;             // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  // An error Redis gives only while it cannot serve yet (LOADING after a restart, BUSY
  // with a long script, MASTERDOWN, TRYAGAIN): the caller should treat it as UNAVAILABLE.
  bool is_transient_error() const;
  bool is_error() const { return type == Type::kError; }
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // used instead of host:port when set
  absl::Duration connect_timeout = absl::Seconds(2);
  absl::Duration command_timeout = absl::Seconds(5);
  // Connections (each with its own I/O thread), used in turn. More than one lets Redis
  // execute one batch while the replies of another are being handled. Commands sent
  // separately may then run in any order; callers chain dependent commands.
  int connections = 1;
};

class RedisClient {
 public:
  using Callback = std::function<void(absl::StatusOr<RedisReply>)>;

  // Connects and starts the I/O thread. UNAVAILABLE when the first connection fails.
  static absl::StatusOr<std::unique_ptr<RedisClient>> Connect(const RedisOptions& options);

  // Fails every pending command with CANCELLED and joins the I/O thread. A batch already
  // written is read to the end first (bounded by `command_timeout`).
  ~RedisClient();

  // Queues one command. `done` runs exactly once, on the I/O thread, with the reply
  // (a Redis error reply is a RedisReply of Type::kError, not a failed status) or
  // UNAVAILABLE / CANCELLED when no reply came; INVALID_ARGUMENT for an empty `argv`.
  void Send(std::vector<std::string> argv, Callback done);

  // Send() and wait. Must not be called from a callback.
  absl::StatusOr<RedisReply> Call(std::vector<std::string> argv);

  // Runs a Lua script by EVALSHA, falling back to EVAL (which also loads it) when Redis
  // answers NOSCRIPT, e.g. after a restart. An empty `sha1` is computed from `source`.
  // `done` as for Send().
  // `source` must stay alive until `done` has run (scripts are static strings).
  void RunScript(const std::string& source, const std::string& sha1, std::vector<std::string> keys,
                 std::vector<std::string> args, Callback done);

  // SHA-1 of a script's source, as Redis computes it for EVALSHA (hex, lower case).
  static std::string ScriptSha1(const std::string& source);

 private:
  class Impl;
  explicit RedisClient(std::vector<std::unique_ptr<Impl>> impls);
  Impl* NextImpl();
  std::vector<std::unique_ptr<Impl>> impls_;
  std::atomic<size_t> next_{0};
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_CLIENT_H_
