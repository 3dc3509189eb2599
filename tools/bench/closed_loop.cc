#include "tools/bench/closed_loop.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace zhiwang::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Slot {
  std::unique_ptr<AsyncCall> call;
  SteadyClock::time_point started;
};

// What one thread saw in the measurement window; merged after the run.
struct ThreadStats {
  std::vector<int64_t> latencies_ns;
  std::map<grpc::StatusCode, int64_t> errors;
};

std::chrono::system_clock::time_point DeadlineFromNow(absl::Duration d) {
  return absl::ToChronoTime(absl::Now() + d);
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Keeps every slot of one thread busy until `end`. A call that completes at or after
// `end` is not replaced, so the loop ends once the last outstanding call has come back
// (each has a deadline, so this is bounded).
void DriveSlots(std::vector<Slot*> slots, absl::Duration deadline,
                SteadyClock::time_point measure_start, SteadyClock::time_point end,
                ThreadStats* stats) {
  grpc::CompletionQueue cq;
  for (Slot* slot : slots) {
    slot->started = SteadyClock::now();
    slot->call->Start(&cq, slot, DeadlineFromNow(deadline));
  }
  size_t outstanding = slots.size();
  void* tag = nullptr;
  bool ok = false;
  while (outstanding > 0 && cq.Next(&tag, &ok)) {
    const SteadyClock::time_point now = SteadyClock::now();
    Slot* slot = static_cast<Slot*>(tag);
    if (now >= measure_start && now < end) {
      const grpc::Status& status = slot->call->status();
      if (status.ok()) {
        stats->latencies_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(now - slot->started).count());
      } else {
        ++stats->errors[status.error_code()];
      }
    }
    if (now < end) {
      slot->started = now;
      slot->call->Start(&cq, slot, DeadlineFromNow(deadline));
    } else {
      --outstanding;
    }
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& addr, int index) {
  grpc::ChannelArguments args;
  // Channels with different arguments and a local subchannel pool get a connection each;
  // otherwise gRPC would multiplex them all over one shared subchannel.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("zw.bench.channel_index", index);
  return grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args);
}

absl::Status Probe(Target& target, std::shared_ptr<grpc::Channel> channel,
                   absl::Duration deadline) {
  std::unique_ptr<AsyncCall> call = target.NewCall(std::move(channel));
  grpc::CompletionQueue cq;
  call->Start(&cq, call.get(), DeadlineFromNow(deadline));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  const grpc::Status& status = call->status();
  if (status.ok()) return absl::OkStatus();
  return absl::Status(
      static_cast<absl::StatusCode>(status.error_code()),
      absl::StrCat("probe call to ", target.Name(),
                   " failed: ", StatusCodeName(status.error_code()), ": ", status.error_message()));
}

}  // namespace

int64_t RunResult::ErrorCount() const {
  int64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

double RunResult::CallsPerSecond() const {
  return measured_seconds > 0 ? Completed() / measured_seconds : 0;
}

double RunResult::PercentileMs(double q) const {
  if (latencies_ns.empty()) return 0;
  const double rank = std::ceil(q * static_cast<double>(latencies_ns.size()));
  const size_t index =
      std::min(latencies_ns.size() - 1, static_cast<size_t>(std::max(1.0, rank)) - 1);
  return latencies_ns[index] / 1e6;
}

std::string RunResult::ErrorSummary() const {
  const int64_t total = ErrorCount();
  if (total == 0) return "0";
  std::string out = absl::StrCat(total, " (");
  const char* separator = "";
  for (const auto& [code, count] : errors) {
    absl::StrAppend(&out, separator, StatusCodeName(code), " ", count);
    separator = ", ";
  }
  absl::StrAppend(&out, ")");
  return out;
}

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat("CODE_", static_cast<int>(code));
  }
}

absl::StatusOr<RunResult> RunClosedLoop(const LoadSpec& spec, Target& target) {
  if (spec.in_flight < 1 || spec.channels < 1 || spec.threads < 1) {
    return absl::InvalidArgumentError("in_flight, channels and threads must be >= 1");
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < spec.channels; ++i) {
    channels.push_back(NewChannel(spec.addr, i));
    if (!channels.back()->WaitForConnected(DeadlineFromNow(spec.deadline))) {
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", target.Name(), " at ", spec.addr));
    }
  }
  if (absl::Status s = Probe(target, channels[0], spec.deadline); !s.ok()) return s;

  const int threads = std::min(spec.threads, spec.in_flight);
  std::vector<Slot> slots(spec.in_flight);
  std::vector<std::vector<Slot*>> slots_of_thread(threads);
  for (int i = 0; i < spec.in_flight; ++i) {
    slots[i].call = target.NewCall(channels[i % spec.channels]);
    slots_of_thread[i % threads].push_back(&slots[i]);
  }

  std::vector<ThreadStats> stats(threads);
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point measure_start = start + absl::ToChronoNanoseconds(spec.warmup);
  const SteadyClock::time_point end = measure_start + absl::ToChronoNanoseconds(spec.duration);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(DriveSlots, slots_of_thread[t], spec.deadline, measure_start, end,
                         &stats[t]);
  }
  std::this_thread::sleep_until(measure_start);
  const double cpu_at_start = ProcessCpuSeconds();
  std::this_thread::sleep_until(end);
  const double cpu_at_end = ProcessCpuSeconds();
  const double wall = std::chrono::duration<double>(SteadyClock::now() - measure_start).count();
  for (std::thread& worker : workers) worker.join();

  RunResult result;
  result.target = target.Name();
  result.spec = spec;
  result.measured_seconds = absl::ToDoubleSeconds(spec.duration);
  result.client_cpu_fraction = wall > 0 ? (cpu_at_end - cpu_at_start) / wall : 0;
  for (ThreadStats& s : stats) {
    result.latencies_ns.insert(result.latencies_ns.end(), s.latencies_ns.begin(),
                               s.latencies_ns.end());
    for (const auto& [code, count] : s.errors) result.errors[code] += count;
  }
  std::sort(result.latencies_ns.begin(), result.latencies_ns.end());
  return result;
}

}  // namespace zhiwang::bench
