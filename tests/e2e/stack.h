#ifndef ZHIWANG_TESTS_E2E_STACK_H_
#define ZHIWANG_TESTS_E2E_STACK_H_

// The e2e harness: a private redis-server plus the three real service binaries
// (zw-router, zw-intake, zw-dispatch), each started with fork/exec on 127.0.0.1:0 with
// --port_file in a temporary directory, and gRPC stubs to drive them.
//
// Start() brings the stack up in this order: Redis; the router; the test district loaded
// through AdminService.LoadDistrict; then intake and dispatch (which read the district at
// start-up). It returns once every service answered grpc.health.v1 SERVING and intake and
// dispatch both know the district. Services can then be stopped with SIGTERM (exit status
// reported), killed with SIGKILL, and started again (on a new port: always take stubs from
// the Stack after a restart). The destructor stops every process it started, by PID
// (SIGTERM, then SIGKILL after a grace period), then Redis.
//
// Every child gets PR_SET_PDEATHSIG=SIGKILL for the thread that started it, so a crashed
// test leaves nothing behind: drive a Stack from one long-lived thread (gtest's main
// thread). Service logs (stderr) go to <dir>/<service>.<n>.log; set ZW_E2E_KEEP_DIR=1 to
// keep the directory after the run. Not thread-safe.
//
//   auto stack = Stack::Start(TestDistrict(), {});
//   ASSERT_TRUE(stack.ok()) << stack.status();
//   v1::ReportEventResponse resp;
//   auto ctx = Stack::Context(worker);
//   grpc::Status s = (*stack)->intake().ReportEvent(ctx.get(), req, &resp);

#include <sys/types.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/testing/redis_server.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "zhiwang/v1/admin.grpc.pb.h"
#include "zhiwang/v1/auth.grpc.pb.h"
#include "zhiwang/v1/dispatch.grpc.pb.h"
#include "zhiwang/v1/intake.grpc.pb.h"

namespace zhiwang::e2e {

// kSla and kSla2 (two zw-sla replicas) are not in kAllServices: SLA suites start them.
// kConsole (zw-console, issue 6) likewise: console suites start it and make their stubs
// from address().
enum class Service { kRouter = 0, kIntake = 1, kDispatch = 2, kSla = 3, kSla2 = 4, kConsole = 5 };
inline constexpr std::array<Service, 3> kAllServices = {Service::kRouter, Service::kIntake,
                                                        Service::kDispatch};
const char* ServiceName(Service s);

// How a process ended, from waitpid().
struct ExitStatus {
  bool exited = false;  // normal exit (then `code`), otherwise killed by `signal`
  int code = -1;
  int signal = 0;
  std::string ToString() const;
};

// authn (issue 7): the stack's token signing key (written under dir() at Start).
inline constexpr char kE2eKeyId[] = "e2e-1";
inline constexpr char kE2eSecret[] = "e2e-signing-secret-0123456789abcdef";

// The per-call deadline of Context().
inline constexpr absl::Duration kRpcDeadline = absl::Seconds(5);

class Stack {
 public:
  struct Options {
    // --reclaim_after_ms of the first router process.
    int router_reclaim_after_ms = 30000;
    // authn (issue 7): serve mutual TLS. A test PKI (common/testing/test_pki.h) is made in
    // <dir>/pki; every service gets --tls_cert/--tls_key/--tls_client_ca, and the stack's
    // channels present pki/client.pem and trust pki/ca.pem.
    bool mtls = false;
  };

  // Starts Redis and the three services and loads `district` (see the file comment).
  static absl::StatusOr<std::unique_ptr<Stack>> Start(const v1::District& district,
                                                      Options options);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // A ClientContext with a kRpcDeadline deadline and `authorization: Bearer <token>` for
  // `who` (no header when `who` is nullopt).
  static std::unique_ptr<grpc::ClientContext> Context(const std::optional<Identity>& who);
  // A one-hour bearer token for `who`, signed with the harness's key (kE2eKeyId), which
  // every service of the stack is started with (--auth_keys).
  static std::string TokenFor(const Identity& who);

  testing::RedisServer& redis() { return *redis_; }
  // Stubs of the running processes. Valid until that service is stopped or restarted.
  v1::IntakeService::Stub& intake();
  v1::DispatchService::Stub& dispatch();
  v1::AdminService::Stub& admin();
  // authn (issue 7): served by zw-router.
  v1::AuthService::Stub& auth();
  v1::AuditService::Stub& audit();
  grpc::health::v1::Health::Stub& health(Service s);
  // "127.0.0.1:<port>" of the service's current (or last) process.
  std::string address(Service s) const;
  bool running(Service s) const;
  pid_t pid(Service s) const;
  const std::string& dir() const { return dir_; }
  // The credentials the stack's own channels use (insecure unless Options::mtls).
  const std::shared_ptr<grpc::ChannelCredentials>& channel_credentials() const {
    return channel_credentials_;
  }

  // Starts the service (it must not be running) with `extra_flags` and waits until it
  // is SERVING. UNAVAILABLE (with its log tail) when it exits or stays silent for 10 s.
  absl::Status StartService(Service s, const std::vector<std::string>& extra_flags = {});
  // SIGTERM, then waits up to `timeout` for the process to exit and reaps it.
  // DEADLINE_EXCEEDED (after SIGKILL) when it does not exit in time.
  absl::StatusOr<ExitStatus> Terminate(Service s, absl::Duration timeout = absl::Seconds(10));
  // SIGKILL and reap.
  absl::Status Kill(Service s);
  // Kill (when running) and StartService.
  absl::Status Restart(Service s, const std::vector<std::string>& extra_flags = {});
  // Starts whichever services are not running (for test suites sharing one stack).
  absl::Status EnsureRunning();

  // Polls grpc.health.v1.Health/Check("") until it answers SERVING (within `timeout`).
  absl::Status WaitServing(Service s, absl::Duration timeout = absl::Seconds(10));
  // The last `max_bytes` of the service's current log.
  std::string LogTail(Service s, size_t max_bytes = 4000) const;

 private:
  struct Proc {
    pid_t pid = -1;
    int port = 0;
    int generation = 0;  // increments with every start; names the port and log files
    std::string log_path;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::health::v1::Health::Stub> health;
  };

  Stack() = default;
  Proc& proc(Service s) { return procs_[static_cast<int>(s)]; }
  const Proc& proc(Service s) const { return procs_[static_cast<int>(s)]; }
  absl::Status LoadDistrict(const v1::District& district);
  absl::Status WaitDistrictKnown(const v1::District& district, absl::Duration timeout);
  // Reaps `p` if it exited; returns its status then.
  std::optional<ExitStatus> Reap(Proc& p, bool block);

  std::unique_ptr<testing::RedisServer> redis_;
  std::string dir_;
  std::vector<std::string> tls_flags_;  // added to every service's command line
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials_ =
      grpc::InsecureChannelCredentials();
  std::array<Proc, 6> procs_;
  std::unique_ptr<v1::IntakeService::Stub> intake_;
  std::unique_ptr<v1::DispatchService::Stub> dispatch_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::AuthService::Stub> auth_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
};

// ---------------------------------------------------------------------------------------
// The test organisation and identities the e2e suites share.

// A small district built in code (id "990100"), so the suites do not depend on the
// sample data:
//   street 990100001 → community 990100001001 → grids 990100001001001, 990100001001002
//   departments: 990100001_cgb (street), 990100_cgj, 990100_swj (district)
//   category 0101 → [990100001_cgb, 990100_cgj]   (a rejection re-routes)
//   category 0104 → [990100_swj]                  (a rejection waits for triage)
inline constexpr char kDistrictId[] = "990100";
inline constexpr char kStreetId[] = "990100001";
inline constexpr char kGridId[] = "990100001001001";
inline constexpr char kStreetDept[] = "990100001_cgb";
inline constexpr char kCityDept[] = "990100_cgj";
inline constexpr char kWaterDept[] = "990100_swj";
inline constexpr char kTwoDeptCategory[] = "0101";
inline constexpr char kOneDeptCategory[] = "0104";
v1::District TestDistrict();

Identity GridWorker(const std::string& subject);
// An operator of `department` (area: its street for street departments, else the
// district).
Identity Operator(const std::string& department);
Identity StreetDispatcher();
Identity Admin();

// A valid report by a grid worker in kGridId. Every call gets a distinct point, so no
// two reports of a run look like duplicates of one another.
v1::ReportEventRequest MakeReport(const std::string& client_request_id,
                                  const std::string& category);
v1::Attachment Photo(const std::string& name);

// Calls `call(ctx)` with a fresh Context(who) each time, retrying while it returns
// UNAVAILABLE, for at most `budget` (50 ms between attempts). Returns the last status;
// `attempts` (optional) receives the number of calls made.
grpc::Status CallWithRetry(const std::optional<Identity>& who,
                           const std::function<grpc::Status(grpc::ClientContext*)>& call,
                           absl::Duration budget = absl::Seconds(5), int* attempts = nullptr);

// GetEvent (with timeline when asked) as `who`, retrying on UNAVAILABLE for up to 5 s.
absl::StatusOr<v1::GetEventResponse> GetEvent(Stack& stack, const Identity& who,
                                              const std::string& event_id, bool include_timeline);

// Polls GetEvent every 50 ms until `done(event)` holds, at most `timeout`. Returns the
// event, or DEADLINE_EXCEEDED naming the last state seen.
absl::StatusOr<v1::Event> WaitForEvent(Stack& stack, const Identity& who,
                                       const std::string& event_id,
                                       const std::function<bool(const v1::Event&)>& done,
                                       absl::Duration timeout = absl::Seconds(10));
// WaitForEvent until the event is dispatched (to a department other than `not_to`).
absl::StatusOr<v1::Event> WaitDispatched(Stack& stack, const Identity& who,
                                         const std::string& event_id,
                                         const std::string& not_to = "");

// ListMyReports as `who`, following page tokens; every event of the caller.
absl::StatusOr<std::vector<v1::Event>> ListAllMyReports(Stack& stack, const Identity& who);

// grpc::Status → absl::Status (the codes are numerically the same).
absl::Status ToAbsl(const grpc::Status& status);

// One RPC each, as `who`, with Context()'s deadline. A non-zero `retry` retries while the
// call fails with UNAVAILABLE (same request, so the same client_request_id) for that long.
// Errors are the service's, as absl::Status with the same code and message.
absl::StatusOr<v1::Event> Report(Stack& stack, const Identity& who,
                                 const v1::ReportEventRequest& req,
                                 absl::Duration retry = absl::ZeroDuration());
absl::StatusOr<v1::Event> Claim(Stack& stack, const Identity& who, const std::string& request_id,
                                const std::string& event_id,
                                absl::Duration retry = absl::ZeroDuration());
absl::StatusOr<v1::Event> AddProgress(Stack& stack, const Identity& who,
                                      const std::string& request_id, const std::string& event_id,
                                      const std::string& note);
// Resolves with one photo as evidence.
absl::StatusOr<v1::Event> Resolve(Stack& stack, const Identity& who, const std::string& request_id,
                                  const std::string& event_id, const std::string& note);
absl::StatusOr<v1::Event> Reject(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, const std::string& reason_code,
                                 const std::string& note);
absl::StatusOr<v1::Event> Verify(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, bool passed, const std::string& note);
absl::StatusOr<v1::Event> Cancel(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, const std::string& reason);
absl::StatusOr<v1::Event> Assign(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, const std::string& department_id,
                                 const std::string& note);
absl::StatusOr<v1::Event> Close(Stack& stack, const Identity& who, const std::string& request_id,
                                const std::string& event_id, const std::string& note);

// "report@UNSPECIFIED->REPORTED by gw-1"-style rendering, for readable failures.
std::string Describe(const v1::TimelineEntry& t);
// The actions of a timeline, in order.
std::vector<v1::EventAction> Actions(
    const google::protobuf::RepeatedPtrField<v1::TimelineEntry>& t);
int CountAction(const google::protobuf::RepeatedPtrField<v1::TimelineEntry>& t,
                v1::EventAction action);

}  // namespace zhiwang::e2e

#endif  // ZHIWANG_TESTS_E2E_STACK_H_
