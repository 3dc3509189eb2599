#include "common/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace zhiwang::redis {
namespace {

constexpr absl::Duration kInitialBackoff = absl::Milliseconds(50);
constexpr absl::Duration kMaxBackoff = absl::Seconds(1);

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

timeval PositiveTimeval(absl::Duration d) {
  if (d <= absl::ZeroDuration()) d = absl::Milliseconds(1);
  return absl::ToTimeval(d);
}

// Opens a blocking connection with `command_timeout` as its socket read/write
// timeout.
absl::StatusOr<ContextPtr> OpenContext(const RedisOptions& options) {
  const timeval connect_tv = PositiveTimeval(options.connect_timeout);
  ContextPtr ctx(options.unix_socket.empty()
                     ? redisConnectWithTimeout(options.host.c_str(), options.port, connect_tv)
                     : redisConnectUnixWithTimeout(options.unix_socket.c_str(), connect_tv));
  const std::string where = options.unix_socket.empty()
                                ? absl::StrCat(options.host, ":", options.port)
                                : options.unix_socket;
  if (ctx == nullptr) {
    return absl::UnavailableError(absl::StrCat("redis ", where, ": cannot allocate context"));
  }
  if (ctx->err != 0) {
    return absl::UnavailableError(absl::StrCat("redis ", where, ": ", ctx->errstr));
  }
  if (redisSetTimeout(ctx.get(), PositiveTimeval(options.command_timeout)) != REDIS_OK) {
    return absl::UnavailableError(
        absl::StrCat("redis ", where, ": cannot set timeout: ", ctx->errstr));
  }
  if (options.unix_socket.empty()) {
    // Best effort: a missing keep-alive only delays noticing a silently dead
    // peer.
    (void)redisEnableKeepAlive(ctx.get());
  }
  return ctx;
}

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    case REDIS_REPLY_NIL:
    default:
      out.type = RedisReply::Type::kNil;
      break;
  }
  return out;
}

// SHA-1 (FIPS 180-4) over a whole message held in memory.
class Sha1 {
 public:
  std::string HexDigest(const std::string& message) {
    uint64_t bit_length = static_cast<uint64_t>(message.size()) * 8;
    std::string padded = message;
    padded.push_back(static_cast<char>(0x80));
    while (padded.size() % 64 != 56) padded.push_back('\0');
    for (int shift = 56; shift >= 0; shift -= 8) {
      padded.push_back(static_cast<char>((bit_length >> shift) & 0xff));
    }
    for (size_t offset = 0; offset < padded.size(); offset += 64) {
      Block(reinterpret_cast<const unsigned char*>(padded.data()) + offset);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(40);
    for (uint32_t word : h_) {
      for (int shift = 28; shift >= 0; shift -= 4) hex.push_back(kHex[(word >> shift) & 0xf]);
    }
    return hex;
  }

 private:
  static uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

  void Block(const unsigned char* p) {
    std::array<uint32_t, 80> w;
    for (int t = 0; t < 16; ++t) {
      w[t] = (uint32_t{p[4 * t]} << 24) | (uint32_t{p[4 * t + 1]} << 16) |
             (uint32_t{p[4 * t + 2]} << 8) | uint32_t{p[4 * t + 3]};
    }
    for (int t = 16; t < 80; ++t) w[t] = Rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
    for (int t = 0; t < 80; ++t) {
      uint32_t f, k;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      uint32_t temp = Rotl(a, 5) + f + e + k + w[t];
      e = d;
      d = c;
      c = Rotl(b, 30);
      b = a;
      a = temp;
    }
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
  }

  std::array<uint32_t, 5> h_ = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
};

}  // namespace

class RedisClient::Impl {
 public:
  Impl(RedisOptions options, ContextPtr ctx) : options_(std::move(options)), ctx_(std::move(ctx)) {}

  ~Impl() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
      cv_.Signal();
    }
    if (thread_.joinable()) thread_.join();
  }

  void Start() {
    thread_ = std::thread([this] { Run(); });
    absl::MutexLock lock(&mu_);
    io_thread_id_ = thread_.get_id();
  }

  // `argv` is shared so that RunScript can keep it for a NOSCRIPT retry without a copy.
  void Send(std::shared_ptr<const std::vector<std::string>> argv, Callback done) {
    if (!done) done = [](absl::StatusOr<RedisReply>) {};
    {
      absl::MutexLock lock(&mu_);
      if (!drained_) {
        queue_.push_back(
            Pending{std::move(argv), std::move(done), absl::Now() + options_.command_timeout});
        queued_.store(queue_.size(), std::memory_order_release);
        cv_.Signal();
        return;
      }
    }
    // Only reachable when Send() races with the destructor; the I/O thread is
    // gone.
    done(absl::CancelledError("redis client is shutting down"));
  }

  bool OnIoThread() {
    absl::MutexLock lock(&mu_);
    return std::this_thread::get_id() == io_thread_id_;
  }

 private:
  struct Pending {
    std::shared_ptr<const std::vector<std::string>> argv;
    Callback done;
    absl::Time deadline;  // only enforced while disconnected
  };

  enum class Action { kStop, kExpire, kConnect, kWrite };

  // The I/O loop. `ctx_`, `backoff_` and `next_attempt_` belong to this thread
  // alone; the mutex guards only the queue and the stop flags, and is never
  // held while doing I/O or running callbacks.
  void Run() {
    for (;;) {
      std::deque<Pending> work;
      const Action action = NextAction(work);
      switch (action) {
        case Action::kStop:
          FailAll(work, absl::CancelledError("redis client destroyed"));
          return;
        case Action::kExpire:
          FailAll(work, absl::UnavailableError(absl::StrCat(
                            "redis unavailable for ",
                            absl::FormatDuration(options_.command_timeout), ": ", last_error_)));
          break;
        case Action::kConnect:
          TryConnect();
          break;
        case Action::kWrite:
          // A connection idle since its last batch has no replies outstanding,
          // so anything readable on it is EOF or an error (e.g. the server
          // restarted). Reconnect before writing so the batch is not lost to a
          // connection that is already dead.
          if (!LooksAlive()) {
            DropConnection("connection closed by server");
            if (!TryConnect()) {
              Requeue(work);
              break;
            }
          }
          WriteAndRead(work);
          break;
      }
    }
  }

  Action NextAction(std::deque<Pending>& work) {
    absl::MutexLock lock(&mu_);
    for (;;) {
      if (stop_) {
        work.swap(queue_);
        drained_ = true;
        return Action::kStop;
      }
      if (ctx_ != nullptr) {
        if (!queue_.empty()) {
          work.swap(queue_);
          queued_.store(0, std::memory_order_release);
          return Action::kWrite;
        }
        // Under load the next command usually arrives within microseconds; waiting for it
        // briefly here saves a futex sleep and wake-up per batch, which costs more.
        mu_.Unlock();
        bool arrived = false;
        for (int i = 0; i < kSpinRounds && !arrived; ++i) {
          arrived = queued_.load(std::memory_order_acquire) > 0;
          if (!arrived) std::this_thread::yield();
        }
        mu_.Lock();
        // Re-check everything: a command or a stop request may have come while the lock
        // was released, and its Signal() found nobody waiting.
        if (stop_ || !queue_.empty()) continue;
        cv_.Wait(&mu_);
        continue;
      }
      const absl::Time now = absl::Now();
      while (!queue_.empty() && queue_.front().deadline <= now) {
        work.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (!work.empty()) return Action::kExpire;
      if (now >= next_attempt_) return Action::kConnect;
      absl::Time wake = next_attempt_;
      if (!queue_.empty()) wake = std::min(wake, queue_.front().deadline);
      cv_.WaitWithDeadline(&mu_, wake);
    }
  }

  // Returns true when connected. On failure schedules the next attempt with
  // backoff.
  bool TryConnect() {
    absl::StatusOr<ContextPtr> ctx = OpenContext(options_);
    if (ctx.ok()) {
      ctx_ = *std::move(ctx);
      backoff_ = kInitialBackoff;
      return true;
    }
    last_error_ = std::string(ctx.status().message());
    next_attempt_ = absl::Now() + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    return false;
  }

  void DropConnection(const std::string& reason) {
    last_error_ = reason;
    ctx_.reset();
    next_attempt_ = absl::InfinitePast();  // first reconnect attempt is immediate
  }

  bool LooksAlive() {
    pollfd p{ctx_->fd, POLLIN, 0};
    return poll(&p, 1, 0) == 0;
  }

  // Puts an unwritten batch back at the head of the queue, preserving order.
  void Requeue(std::deque<Pending>& work) {
    absl::MutexLock lock(&mu_);
    while (!work.empty()) {
      queue_.push_front(std::move(work.back()));
      work.pop_back();
    }
  }

  void WriteAndRead(std::deque<Pending>& work) {
    std::vector<const char*> ptrs;
    std::vector<size_t> lens;
    for (const Pending& p : work) {
      if (p.argv->empty()) continue;
      ptrs.clear();
      lens.clear();
      for (const std::string& arg : *p.argv) {
        ptrs.push_back(arg.data());
        lens.push_back(arg.size());
      }
      // Only fails on allocation failure; the context then reports the error
      // below.
      (void)redisAppendCommandArgv(ctx_.get(), static_cast<int>(ptrs.size()), ptrs.data(),
                                   lens.data());
    }
    // Replies arrive in the order the commands were written; callbacks run as
    // each one is read so a slow tail does not delay the head of the batch.
    while (!work.empty()) {
      Pending p = std::move(work.front());
      work.pop_front();
      if (p.argv->empty()) {
        p.done(absl::InvalidArgumentError("empty redis command"));
        continue;
      }
      void* raw = nullptr;
      if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
        const std::string reason = absl::StrCat(
            "redis connection lost: ", ctx_->errstr[0] != '\0' ? ctx_->errstr : "no reply");
        DropConnection(reason);
        p.done(absl::UnavailableError(reason));
        FailAll(work, absl::UnavailableError(reason));
        return;
      }
      RedisReply reply = Convert(static_cast<redisReply*>(raw));
      freeReplyObject(raw);
      p.done(std::move(reply));
    }
  }

  static void FailAll(std::deque<Pending>& work, const absl::Status& status) {
    for (Pending& p : work) p.done(status);
    work.clear();
  }

  const RedisOptions options_;
  ContextPtr ctx_;
  absl::Duration backoff_ = kInitialBackoff;
  absl::Time next_attempt_ = absl::InfinitePast();
  std::string last_error_;
  std::thread thread_;

  static constexpr int kSpinRounds = 20;
  std::atomic<size_t> queued_{0};  // queue_.size(), readable without mu_
  absl::Mutex mu_;
  absl::CondVar cv_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool drained_ ABSL_GUARDED_BY(mu_) = false;
  std::thread::id io_thread_id_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<RedisClient>> RedisClient::Connect(const RedisOptions& options) {
  std::vector<std::unique_ptr<Impl>> impls;
  for (int i = 0; i < std::max(1, options.connections); ++i) {
    absl::StatusOr<ContextPtr> ctx = OpenContext(options);
    if (!ctx.ok()) return ctx.status();
    impls.push_back(std::make_unique<Impl>(options, *std::move(ctx)));
    impls.back()->Start();
  }
  return std::unique_ptr<RedisClient>(new RedisClient(std::move(impls)));
}

RedisClient::RedisClient(std::vector<std::unique_ptr<Impl>> impls) : impls_(std::move(impls)) {}

RedisClient::~RedisClient() = default;

RedisClient::Impl* RedisClient::NextImpl() {
  if (impls_.size() == 1) return impls_[0].get();
  return impls_[next_.fetch_add(1, std::memory_order_relaxed) % impls_.size()].get();
}

void RedisClient::Send(std::vector<std::string> argv, Callback done) {
  NextImpl()->Send(std::make_shared<const std::vector<std::string>>(std::move(argv)),
                   std::move(done));
}

absl::StatusOr<RedisReply> RedisClient::Call(std::vector<std::string> argv) {
  bool on_io_thread = false;
  for (const auto& impl : impls_) on_io_thread = on_io_thread || impl->OnIoThread();
  if (on_io_thread) {
    return absl::FailedPreconditionError(
        "RedisClient::Call from a callback would deadlock; use Send");
  }
  absl::Notification done;
  absl::StatusOr<RedisReply> result;
  Send(std::move(argv), [&](absl::StatusOr<RedisReply> reply) {
    result = std::move(reply);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

void RedisClient::RunScript(const std::string& source, const std::string& sha1,
                            std::vector<std::string> keys, std::vector<std::string> args,
                            Callback done) {
  auto argv = std::make_shared<std::vector<std::string>>();
  argv->reserve(3 + keys.size() + args.size());
  argv->push_back("EVALSHA");
  argv->push_back(sha1.empty() ? ScriptSha1(source) : sha1);
  argv->push_back(absl::StrCat(keys.size()));
  for (std::string& k : keys) argv->push_back(std::move(k));
  for (std::string& a : args) argv->push_back(std::move(a));
  Impl* impl = NextImpl();
  impl->Send(argv, [impl, argv, source = &source,
                    done = std::move(done)](absl::StatusOr<RedisReply> reply) mutable {
    if (reply.ok() && reply->is_error() && absl::StartsWith(reply->str, "NOSCRIPT")) {
      // Redis lost its script cache (e.g. a restart): EVAL loads it again. Runs on the
      // I/O thread, so the Impl is alive; during destruction this is cancelled like any
      // other queued command.
      auto eval_argv = std::make_shared<std::vector<std::string>>(*argv);
      (*eval_argv)[0] = "EVAL";
      (*eval_argv)[1] = *source;
      impl->Send(std::move(eval_argv), std::move(done));
      return;
    }
    done(std::move(reply));
  });
}

bool RedisReply::is_transient_error() const {
  if (type != Type::kError) return false;
  for (absl::string_view prefix : {"LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN"}) {
    if (absl::StartsWith(str, prefix)) return true;
  }
  return false;
}

std::string RedisClient::ScriptSha1(const std::string& source) { return Sha1().HexDigest(source); }

}  // namespace zhiwang::redis
