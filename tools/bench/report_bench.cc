// zw-bench: closed-loop asynchronous gRPC load on IntakeService.ReportEvent, and the same
// load on a bare echo service (zw-bench-echo) in the same run, printing calls/s, latency
// percentiles and the report/echo throughput ratio. A tool that prints figures, not a test.
//
//   zw-bench --target=report --addr=127.0.0.1:7101 --in_flight=64
//   zw-bench --target=echo --addr=127.0.0.1:41000
//   zw-bench --compare --report_addr=127.0.0.1:7101 --echo_addr=127.0.0.1:41000
//   zw-bench --compare --target=echo --report_addr=E1 --echo_addr=E2   # self-check, ≈1.0
//   zw-bench --auth=both --addr=127.0.0.1:7101 --key_file=var/dev.key --kid=dev-1
//
// --auth (issue 7) picks how the reports authenticate: off sends the development header
// (the server must run with --dev_identity_header), on sends a bearer token signed with
// --key_file/--kid (verified by the server's CallGate), both alternates off, on, off per
// round against --addr and prints the ratio on/off of the median calls/s.
//
// In --compare mode each in-flight level runs echo, report, echo, repeated --rounds times,
// and the ratio is the median report calls/s over the median echo calls/s: alternating and
// taking medians keeps drift on a shared, noisy machine out of the ratio.
// See docs/benchmarks.md.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/token.h"
#include "tools/bench/closed_loop.h"
#include "tools/bench/echo.grpc.pb.h"
#include "zhiwang/v1/intake.grpc.pb.h"

ABSL_FLAG(std::string, target, "report",
          "report or echo: what --addr serves; with --compare, what --report_addr serves "
          "(echo there makes an echo-vs-echo self-check)");
ABSL_FLAG(std::string, addr, "127.0.0.1:7101", "server address (single-target mode)");
ABSL_FLAG(bool, compare, false, "run echo, report, echo (x --rounds) and print the ratio");
ABSL_FLAG(std::string, report_addr, "127.0.0.1:7101", "intake address for --compare");
ABSL_FLAG(std::string, echo_addr, "", "zw-bench-echo address for --compare");
ABSL_FLAG(std::vector<std::string>, in_flight, std::vector<std::string>({"16", "64"}),
          "comma-separated calls-in-flight levels; each level is a separate run");
ABSL_FLAG(int, channels, 1, "channels (each its own TCP connection); calls are spread over them");
ABSL_FLAG(int, threads, 1, "client threads, each polling its own completion queue");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "load before measuring, per run");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "measurement window, per run");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(5), "deadline of every call");
ABSL_FLAG(int, rounds, 2, "--compare: how many echo-report-echo rounds per level");
ABSL_FLAG(std::string, grid, "440304001001001", "grid id of the reports (and the caller's area)");
ABSL_FLAG(std::string, category, "0101", "category code of the reports");
ABSL_FLAG(std::string, subject, "zw-bench", "identity subject of the reporting grid worker");
ABSL_FLAG(double, latitude, 22.54, "latitude of the reports");
ABSL_FLAG(double, longitude, 114.05, "longitude of the reports");
ABSL_FLAG(int, payload_bytes, -1,
          "echo payload size; -1 sizes it so an echo request is as big as a report request");
ABSL_FLAG(std::string, auth, "off",
          "off (dev header), on (bearer token from --key_file/--kid) or both (on/off ratio)");
ABSL_FLAG(std::string, key_file, "", "--auth=on|both: the token signing key's secret file");
ABSL_FLAG(std::string, kid, "dev-1", "--auth=on|both: the signing key's id");
ABSL_FLAG(bool, json, false,
          "also print one JSON object per run and per ratio on stdout (the table then goes "
          "to stderr)");

namespace zhiwang::bench {
namespace {

namespace benchpb = ::zhiwang::bench::v1;
namespace v1 = ::zhiwang::v1;

constexpr char kIdentityHeader[] = "x-zw-dev-identity";

// A 24-hour bearer token for the bench's grid worker, signed with --key_file/--kid.
absl::StatusOr<std::string> BenchToken(const std::string& subject, const std::string& grid) {
  std::ifstream in(absl::GetFlag(FLAGS_key_file), std::ios::binary);
  std::ostringstream secret;
  secret << in.rdbuf();
  if (!in) return absl::InvalidArgumentError("--key_file: cannot read the signing key");
  const absl::Time now = absl::Now();
  return auth::IssueToken(
      {.issuer = auth::kDefaultIssuer,
       .subject = subject,
       .role = Role::kGridWorker,
       .area = grid,
       .issued_at = now,
       .expires_at = now + absl::Hours(24)},
      {absl::GetFlag(FLAGS_kid), std::string(absl::StripTrailingAsciiWhitespace(secret.str()))});
}

// Unique request ids for the whole process: a random run prefix and a counter, so that
// reports never collide with an earlier run's idempotency records. Thread-safe.
class RequestIds {
 public:
  RequestIds() {
    absl::BitGen gen;
    prefix_ = absl::StrFormat("zb%012x-", absl::Uniform<uint64_t>(gen) & 0xffffffffffffULL);
  }
  std::string Next() {
    return absl::StrCat(prefix_, next_.fetch_add(1, std::memory_order_relaxed));
  }

 private:
  std::string prefix_;
  std::atomic<uint64_t> next_{0};
};

using Metadata = std::vector<std::pair<std::string, std::string>>;

// One slot's calls to a unary method of Stub, through the stub's PrepareAsync<Method>.
// `renew` gives the reused request a fresh id before every call.
template <typename Stub, typename Request, typename Response>
class UnaryCall final : public AsyncCall {
 public:
  using PrepareFn = std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> (Stub::*)(
      grpc::ClientContext*, const Request&, grpc::CompletionQueue*);

  UnaryCall(std::unique_ptr<Stub> stub, PrepareFn prepare, Request request,
            std::function<void(Request*)> renew, Metadata metadata)
      : stub_(std::move(stub)),
        prepare_(prepare),
        request_(std::move(request)),
        renew_(std::move(renew)),
        metadata_(std::move(metadata)) {}

  void Start(grpc::CompletionQueue* cq, void* tag,
             std::chrono::system_clock::time_point deadline) override {
    // A ClientContext serves one call only.
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(deadline);
    for (const auto& [key, value] : metadata_) context_->AddMetadata(key, value);
    renew_(&request_);
    response_.Clear();
    reader_ = ((*stub_).*prepare_)(context_.get(), request_, cq);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, tag);
  }

  const grpc::Status& status() const override { return status_; }

 private:
  std::unique_ptr<Stub> stub_;
  PrepareFn prepare_;
  Request request_;
  std::function<void(Request*)> renew_;
  Metadata metadata_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
  Response response_;
  grpc::Status status_;
};

struct ReportOptions {
  std::string grid;
  std::string category;
  std::string subject;
  double latitude = 0;
  double longitude = 0;
};

// IntakeService.ReportEvent as a grid worker of `grid`, a new client_request_id each call.
class ReportTarget final : public Target {
 public:
  // `bearer` empty: the development header; otherwise `authorization: Bearer <bearer>`.
  ReportTarget(std::string name, const ReportOptions& options, RequestIds* ids,
               const std::string& bearer = "")
      : name_(std::move(name)), ids_(ids) {
    request_.set_category_code(options.category);
    request_.set_source(v1::SOURCE_GRID_WORKER);
    v1::Location* location = request_.mutable_location();
    location->set_latitude(options.latitude);
    location->set_longitude(options.longitude);
    location->set_grid_id(options.grid);
    location->set_address("zw-bench, Futian District, Shenzhen");
    request_.set_description(
        "zw-bench load: overflowing rubbish bin beside the bus stop, bags on the pavement");
    if (!bearer.empty()) {
      metadata_.emplace_back("authorization", absl::StrCat("Bearer ", bearer));
    } else {
      metadata_.emplace_back(kIdentityHeader,
                             absl::StrCat("subject=", options.subject,
                                          ";role=grid_worker;area=", options.grid, ";department="));
    }
  }

  std::string Name() const override { return name_; }

  std::unique_ptr<AsyncCall> NewCall(std::shared_ptr<grpc::Channel> channel) override {
    using Stub = v1::IntakeService::Stub;
    RequestIds* ids = ids_;
    return std::make_unique<UnaryCall<Stub, v1::ReportEventRequest, v1::ReportEventResponse>>(
        v1::IntakeService::NewStub(channel), &Stub::PrepareAsyncReportEvent, request_,
        [ids](v1::ReportEventRequest* r) { r->set_client_request_id(ids->Next()); }, metadata_);
  }

  // The serialized size of a typical request, to size the echo payload alike.
  size_t RequestBytes() const {
    v1::ReportEventRequest sample = request_;
    sample.set_client_request_id("zb000000000000-100000");
    return sample.ByteSizeLong();
  }

 private:
  std::string name_;
  RequestIds* ids_;
  v1::ReportEventRequest request_;
  Metadata metadata_;
};

// EchoService.Echo with a fixed payload and a new request id each call.
class EchoTarget final : public Target {
 public:
  EchoTarget(std::string name, size_t payload_bytes, RequestIds* ids)
      : name_(std::move(name)), ids_(ids) {
    request_.set_payload(std::string(payload_bytes, 'x'));
  }

  std::string Name() const override { return name_; }

  std::unique_ptr<AsyncCall> NewCall(std::shared_ptr<grpc::Channel> channel) override {
    using Stub = benchpb::EchoService::Stub;
    RequestIds* ids = ids_;
    return std::make_unique<UnaryCall<Stub, benchpb::EchoRequest, benchpb::EchoResponse>>(
        benchpb::EchoService::NewStub(channel), &Stub::PrepareAsyncEcho, request_,
        [ids](benchpb::EchoRequest* r) { r->set_request_id(ids->Next()); }, Metadata{});
  }

  size_t RequestBytes() const {
    benchpb::EchoRequest sample = request_;
    sample.set_request_id("zb000000000000-100000");
    return sample.ByteSizeLong();
  }

 private:
  std::string name_;
  RequestIds* ids_;
  benchpb::EchoRequest request_;
};

// Prints the human table (to stdout, or stderr with --json) and the JSON lines.
class Reporter {
 public:
  explicit Reporter(bool json) : json_(json), table_(json ? stderr : stdout) {}

  template <typename... Args>
  void Line(const absl::FormatSpec<Args...>& format, const Args&... args) {
    absl::FPrintF(table_, format, args...);
    std::fflush(table_);
  }

  void TableHeader() {
    Line("%-8s %-14s %9s %10s %8s %8s %9s %8s  %s\n", "round", "target", "in_flight", "calls/s",
         "p50_ms", "p99_ms", "p99.9_ms", "cli_cpu", "errors");
  }

  void Run(int round, const RunResult& r) {
    Line("%-8s %-14s %9d %10.0f %8.3f %8.3f %9.3f %7.0f%%  %s\n",
         round > 0 ? absl::StrCat(round) : "-", r.target, r.spec.in_flight, r.CallsPerSecond(),
         r.PercentileMs(0.5), r.PercentileMs(0.99), r.PercentileMs(0.999),
         100 * r.client_cpu_fraction, r.ErrorSummary());
    if (!json_) return;
    std::string errors;
    for (const auto& [code, count] : r.errors) {
      absl::StrAppend(&errors, errors.empty() ? "" : ",", "\"", StatusCodeName(code), "\":", count);
    }
    absl::PrintF(
        "{\"kind\":\"run\",\"round\":%d,\"target\":\"%s\",\"addr\":\"%s\",\"in_flight\":%d,"
        "\"channels\":%d,\"threads\":%d,\"seconds\":%.3f,\"completed\":%d,"
        "\"calls_per_second\":%.1f,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,"
        "\"client_cpu\":%.3f,\"errors\":{%s}}\n",
        round, r.target, r.spec.addr, r.spec.in_flight, r.spec.channels, r.spec.threads,
        r.measured_seconds, r.Completed(), r.CallsPerSecond(), r.PercentileMs(0.5),
        r.PercentileMs(0.99), r.PercentileMs(0.999), r.client_cpu_fraction, errors);
    std::fflush(stdout);
  }

  void Ratio(const std::string& numerator, const std::string& denominator, int in_flight,
             int rounds, double median_numerator, double median_denominator,
             bool emit_json = true) {
    const double ratio = median_denominator > 0 ? median_numerator / median_denominator : 0;
    Line("ratio %s/%s = %.2f (in flight %d, medians of %d rounds: %.0f / %.0f calls/s)\n",
         numerator, denominator, ratio, in_flight, rounds, median_numerator, median_denominator);
    if (!json_ || !emit_json) return;
    absl::PrintF(
        "{\"kind\":\"ratio\",\"numerator\":\"%s\",\"denominator\":\"%s\",\"in_flight\":%d,"
        "\"rounds\":%d,\"ratio\":%.4f,\"median_numerator_cps\":%.1f,"
        "\"median_denominator_cps\":%.1f}\n",
        numerator, denominator, in_flight, rounds, ratio, median_numerator, median_denominator);
    std::fflush(stdout);
  }

 private:
  bool json_;
  std::FILE* table_;
};

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

LoadSpec BaseSpec() {
  LoadSpec spec;
  spec.channels = absl::GetFlag(FLAGS_channels);
  spec.threads = absl::GetFlag(FLAGS_threads);
  spec.warmup = absl::GetFlag(FLAGS_warmup);
  spec.duration = absl::GetFlag(FLAGS_duration);
  spec.deadline = absl::GetFlag(FLAGS_deadline);
  return spec;
}

absl::StatusOr<std::vector<int>> InFlightLevels() {
  std::vector<int> levels;
  for (const std::string& text : absl::GetFlag(FLAGS_in_flight)) {
    int n = 0;
    if (!absl::SimpleAtoi(text, &n) || n < 1) {
      return absl::InvalidArgumentError(absl::StrCat("--in_flight: bad level '", text, "'"));
    }
    levels.push_back(n);
  }
  if (levels.empty()) return absl::InvalidArgumentError("--in_flight: no levels");
  return levels;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "zw-bench: %s\n", status.ToString().c_str());
  return 1;
}

// --auth=both: at each level, rounds of off, on, off against --addr; the ratio is the median
// on calls/s over the median off calls/s (alternation keeps machine drift out of it).
int AuthRatio(const std::vector<int>& levels, const ReportOptions& options,
              const std::string& bearer, RequestIds* ids) {
  ReportTarget off("report-auth-off", options, ids);
  ReportTarget on("report-auth-on", options, ids, bearer);
  Reporter out(absl::GetFlag(FLAGS_json));
  const LoadSpec base = BaseSpec();
  const int rounds = absl::GetFlag(FLAGS_rounds);
  out.Line("zw-bench: auth on/off, report=%s; channels %d, threads %d, warmup %s, duration %s\n",
           absl::GetFlag(FLAGS_addr), base.channels, base.threads,
           absl::FormatDuration(base.warmup), absl::FormatDuration(base.duration));
  out.TableHeader();
  for (int level : levels) {
    std::vector<double> on_rates, off_rates;
    for (int round = 1; round <= rounds; ++round) {
      for (int step = 0; step < 3; ++step) {
        const bool is_on = step == 1;
        LoadSpec spec = base;
        spec.in_flight = level;
        spec.addr = absl::GetFlag(FLAGS_addr);
        absl::StatusOr<RunResult> r =
            RunClosedLoop(spec, is_on ? static_cast<Target&>(on) : static_cast<Target&>(off));
        if (!r.ok()) return Fail(r.status());
        out.Run(round, *r);
        (is_on ? on_rates : off_rates).push_back(r->CallsPerSecond());
      }
    }
    out.Ratio(on.Name(), off.Name(), level, rounds, Median(on_rates), Median(off_rates));
  }
  return 0;
}

int Main() {
  absl::StatusOr<std::vector<int>> levels = InFlightLevels();
  if (!levels.ok()) return Fail(levels.status());
  const std::string target_kind = absl::GetFlag(FLAGS_target);
  if (target_kind != "report" && target_kind != "echo") {
    return Fail(absl::InvalidArgumentError("--target must be report or echo"));
  }
  const bool compare = absl::GetFlag(FLAGS_compare);
  if (compare && absl::GetFlag(FLAGS_echo_addr).empty()) {
    return Fail(absl::InvalidArgumentError("--compare needs --echo_addr"));
  }
  if (absl::GetFlag(FLAGS_rounds) < 1) {
    return Fail(absl::InvalidArgumentError("--rounds must be >= 1"));
  }

  RequestIds ids;
  const ReportOptions report_options{absl::GetFlag(FLAGS_grid), absl::GetFlag(FLAGS_category),
                                     absl::GetFlag(FLAGS_subject), absl::GetFlag(FLAGS_latitude),
                                     absl::GetFlag(FLAGS_longitude)};
  const std::string auth_mode = absl::GetFlag(FLAGS_auth);
  if (auth_mode != "off" && auth_mode != "on" && auth_mode != "both") {
    return Fail(absl::InvalidArgumentError("--auth must be off, on or both"));
  }
  std::string bearer;
  if (auth_mode != "off") {
    absl::StatusOr<std::string> token = BenchToken(report_options.subject, report_options.grid);
    if (!token.ok()) return Fail(token.status());
    bearer = *token;
  }
  if (auth_mode == "both") return AuthRatio(*levels, report_options, bearer, &ids);
  // In compare mode side A is what --report_addr serves and side B is the echo server;
  // --target=echo makes side A an echo server too, for the self-check.
  const bool self_check = compare && target_kind == "echo";
  ReportTarget report("report", report_options, &ids, bearer);
  size_t payload = 0;
  if (absl::GetFlag(FLAGS_payload_bytes) >= 0) {
    payload = static_cast<size_t>(absl::GetFlag(FLAGS_payload_bytes));
  } else {
    while (EchoTarget("", payload + 1, &ids).RequestBytes() <= report.RequestBytes()) ++payload;
  }
  EchoTarget echo_a(self_check ? "echo-A" : "echo", payload, &ids);
  EchoTarget echo_b(self_check ? "echo-B" : "echo", payload, &ids);

  Reporter out(absl::GetFlag(FLAGS_json));
  const LoadSpec base = BaseSpec();
  out.Line(
      "zw-bench: %s; channels %d, threads %d, warmup %s, duration %s, deadline %s; "
      "request bytes: report %d, echo %d\n",
      compare ? absl::StrCat("compare ", self_check ? "echo-A" : "report", "=",
                             absl::GetFlag(FLAGS_report_addr), " ", self_check ? "echo-B" : "echo",
                             "=", absl::GetFlag(FLAGS_echo_addr))
              : absl::StrCat(target_kind, "=", absl::GetFlag(FLAGS_addr)),
      base.channels, base.threads, absl::FormatDuration(base.warmup),
      absl::FormatDuration(base.duration), absl::FormatDuration(base.deadline),
      report.RequestBytes(), echo_a.RequestBytes());
  out.TableHeader();

  if (!compare) {
    Target& target = target_kind == "report" ? static_cast<Target&>(report) : echo_a;
    for (int level : *levels) {
      LoadSpec spec = base;
      spec.addr = absl::GetFlag(FLAGS_addr);
      spec.in_flight = level;
      absl::StatusOr<RunResult> r = RunClosedLoop(spec, target);
      if (!r.ok()) return Fail(r.status());
      out.Run(0, *r);
    }
    return 0;
  }

  Target& side_a = self_check ? static_cast<Target&>(echo_a) : report;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  struct Summary {
    int level;
    double a;
    double b;
  };
  std::vector<Summary> summaries;
  for (int level : *levels) {
    std::vector<double> a_rates;
    std::vector<double> b_rates;
    for (int round = 1; round <= rounds; ++round) {
      // Echo before and after each report run, so that slow drift of the machine's load
      // hits both sides alike.
      for (int step = 0; step < 3; ++step) {
        const bool is_a = step == 1;
        LoadSpec spec = base;
        spec.in_flight = level;
        spec.addr = is_a ? absl::GetFlag(FLAGS_report_addr) : absl::GetFlag(FLAGS_echo_addr);
        absl::StatusOr<RunResult> r =
            RunClosedLoop(spec, is_a ? side_a : static_cast<Target&>(echo_b));
        if (!r.ok()) return Fail(r.status());
        out.Run(round, *r);
        (is_a ? a_rates : b_rates).push_back(r->CallsPerSecond());
      }
    }
    summaries.push_back({level, Median(a_rates), Median(b_rates)});
    out.Ratio(side_a.Name(), echo_b.Name(), level, rounds, summaries.back().a, summaries.back().b);
  }
  if (summaries.size() > 1) {
    out.Line("summary:\n");
    for (const Summary& s : summaries) {
      out.Ratio(side_a.Name(), echo_b.Name(), s.level, rounds, s.a, s.b, false);
    }
  }
  return 0;
}

}  // namespace
}  // namespace zhiwang::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "closed-loop gRPC load on ReportEvent and on a bare echo service; see "
      "docs/benchmarks.md");
  absl::ParseCommandLine(argc, argv);
  return zhiwang::bench::Main();
}
