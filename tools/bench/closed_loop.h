// The closed-loop load engine of zw-bench, independent of which RPC it drives.
//
// A run keeps exactly `in_flight` unary calls outstanding: whenever one completes, the same
// slot starts the next one at once. Calls are spread over `channels` channels (each with
// its own connection) and driven by `threads` threads, each polling its own
// grpc::CompletionQueue. Only calls that complete inside the measurement window (after
// the warm-up) are counted; a failed call is counted by its status code, never as a
// completion.
//
// Example:
//   LoadSpec spec{.addr = "127.0.0.1:7101", .in_flight = 64};
//   absl::StatusOr<RunResult> r = RunClosedLoop(spec, target);
//   if (r.ok()) printf("%.0f calls/s\n", r->CallsPerSecond());
#ifndef ZHIWANG_TOOLS_BENCH_CLOSED_LOOP_H_
#define ZHIWANG_TOOLS_BENCH_CLOSED_LOOP_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace zhiwang::bench {

// One slot's call: starts a unary call and, once the completion queue has returned its
// tag, exposes the outcome. One object per slot, reused for every call of that slot; used
// by one thread at a time.
class AsyncCall {
 public:
  virtual ~AsyncCall() = default;

  // Starts a new call with `deadline` whose completion is posted to `cq` with `tag`.
  // Precondition: the previous call of this object, if any, has completed.
  virtual void Start(grpc::CompletionQueue* cq, void* tag,
                     std::chrono::system_clock::time_point deadline) = 0;

  // The status of the last completed call.
  virtual const grpc::Status& status() const = 0;
};

// What is being called: a service method plus how to fill its requests.
class Target {
 public:
  virtual ~Target() = default;

  // A short label for reports, e.g. "report" or "echo".
  virtual std::string Name() const = 0;

  // Makes the call object of one slot that calls through `channel`. Called before the
  // load starts; the result is used by a single thread.
  virtual std::unique_ptr<AsyncCall> NewCall(std::shared_ptr<grpc::Channel> channel) = 0;
};

struct LoadSpec {
  std::string addr;    // host:port
  int in_flight = 64;  // calls outstanding at every moment (>= 1)
  int channels = 1;    // distinct connections (>= 1)
  int threads = 1;     // completion-queue threads (>= 1)
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  absl::Duration deadline = absl::Seconds(5);  // per call
};

struct RunResult {
  std::string target;
  LoadSpec spec;
  double measured_seconds = 0;                 // the measurement window's real length
  std::vector<int64_t> latencies_ns;           // successful calls in the window, sorted ascending
  std::map<grpc::StatusCode, int64_t> errors;  // failed calls in the window, by code
  double client_cpu_fraction = 0;  // CPU used by this process ÷ wall time (1.0 = one core)

  int64_t Completed() const { return static_cast<int64_t>(latencies_ns.size()); }
  int64_t ErrorCount() const;
  double CallsPerSecond() const;
  // The q-quantile (0 < q <= 1, nearest rank) of the latencies, in milliseconds; 0 when
  // nothing completed.
  double PercentileMs(double q) const;
  // "0" or e.g. "12 (UNAVAILABLE 10, DEADLINE_EXCEEDED 2)".
  std::string ErrorSummary() const;
};

// The name of a gRPC status code, e.g. "DEADLINE_EXCEEDED".
std::string StatusCodeName(grpc::StatusCode code);

// Runs one closed-loop load of `target` at `spec.addr`.
// Before the load, connects every channel and makes one probe call; fails with
// UNAVAILABLE when a channel cannot connect within the deadline, and with the probe's own
// code and message when the probe fails (e.g. the request is refused), so that a broken
// setup is reported once instead of as a flood of errors.
absl::StatusOr<RunResult> RunClosedLoop(const LoadSpec& spec, Target& target);

}  // namespace zhiwang::bench

#endif  // ZHIWANG_TOOLS_BENCH_CLOSED_LOOP_H_
