#include "tests/e2e/stack.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/auth/token.h"
#include "common/rpc/identity.h"
#include "common/rpc/tls_credentials.h"
#include "common/testing/test_pki.h"

#ifndef ZW_INTAKE_BIN
#error "ZW_INTAKE_BIN must name the zw-intake binary (set by tests/e2e/CMakeLists.txt)"
#endif
#ifndef ZW_ROUTER_BIN
#error "ZW_ROUTER_BIN must name the zw-router binary"
#endif
#ifndef ZW_DISPATCH_BIN
#error "ZW_DISPATCH_BIN must name the zw-dispatch binary"
#endif

namespace zhiwang::e2e {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(10);
constexpr absl::Duration kPoll = absl::Milliseconds(10);
constexpr absl::Duration kShutdownGrace = absl::Seconds(5);

const char* BinaryOf(Service s) {
  switch (s) {
    case Service::kRouter:
      return ZW_ROUTER_BIN;
    case Service::kIntake:
      return ZW_INTAKE_BIN;
    case Service::kDispatch:
      return ZW_DISPATCH_BIN;
    case Service::kSla:
    case Service::kSla2:
      return ZW_SLA_BIN;
    case Service::kConsole:
      return ZW_CONSOLE_BIN;
  }
  return "";
}

std::string ErrnoText(const char* what) { return absl::StrCat(what, ": ", std::strerror(errno)); }

ExitStatus FromWaitStatus(int wstatus) {
  ExitStatus out;
  if (WIFEXITED(wstatus)) {
    out.exited = true;
    out.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    out.signal = WTERMSIG(wstatus);
  }
  return out;
}

std::optional<int> ReadPortFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int port = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &port) || port <= 0) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

const char* ServiceName(Service s) {
  switch (s) {
    case Service::kRouter:
      return "router";
    case Service::kIntake:
      return "intake";
    case Service::kDispatch:
      return "dispatch";
    case Service::kSla:
      return "sla";
    case Service::kSla2:
      return "sla2";
    case Service::kConsole:
      return "console";
  }
  return "?";
}

std::string ExitStatus::ToString() const {
  return exited ? absl::StrCat("exit code ", code) : absl::StrCat("killed by signal ", signal);
}

// ------------------------------------------------------------------------------ Stack

absl::StatusOr<std::unique_ptr<Stack>> Stack::Start(const v1::District& district, Options options) {
  // A gRPC server's Shutdown completes only once its clients closed their connections
  // after its GOAWAY, and an idle synchronous client channel notices a GOAWAY only when its
  // backup poller runs (every 5 s by default). Poll often, like a busy client, so a
  // SIGTERM'd service exits promptly instead of after the poll period. Read at grpc_init,
  // so it must be set before the first channel exists (an explicit setting wins).
  setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "100", /*overwrite=*/0);
  std::unique_ptr<Stack> stack(new Stack());
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/zw-e2e-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError(ErrnoText("mkdtemp"));
  stack->dir_ = pattern;
  // authn (issue 7): the services verify bearer tokens signed with the harness's key.
  {
    std::ofstream key(stack->dir_ + "/e2e.key");
    key << kE2eSecret << "\n";
    std::ofstream ring(stack->dir_ + "/auth_keys");
    ring << kE2eKeyId << " e2e.key\n";
    if (!key || !ring) return absl::InternalError("cannot write the e2e key ring");
  }
  if (options.mtls) {
    const std::string pki = stack->dir_ + "/pki";
    std::error_code ec;
    std::filesystem::create_directory(pki, ec);
    if (absl::Status made = testing::WriteTestPki(pki); !made.ok()) return made;
    stack->tls_flags_ = {absl::StrCat("--tls_cert=", pki, "/server.pem"),
                         absl::StrCat("--tls_key=", pki, "/server.key"),
                         absl::StrCat("--tls_client_ca=", pki, "/ca.pem")};
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds = ChannelCredentialsFromFiles(
        {.ca = pki + "/ca.pem", .cert = pki + "/client.pem", .key = pki + "/client.key"});
    if (!creds.ok()) return creds.status();
    stack->channel_credentials_ = *creds;
  }

  absl::StatusOr<std::unique_ptr<testing::RedisServer>> redis = testing::RedisServer::Start();
  if (!redis.ok()) return redis.status();
  stack->redis_ = *std::move(redis);

  // The router first: it serves AdminService, through which the district is loaded.
  // Intake and dispatch then read the district at start-up instead of waiting for their
  // next refresh.
  absl::Status s = stack->StartService(
      Service::kRouter, {absl::StrCat("--reclaim_after_ms=", options.router_reclaim_after_ms)});
  if (!s.ok()) return s;
  if (s = stack->LoadDistrict(district); !s.ok()) return s;
  for (Service svc : {Service::kIntake, Service::kDispatch}) {
    if (s = stack->StartService(svc); !s.ok()) return s;
  }
  if (s = stack->WaitDistrictKnown(district, kStartTimeout); !s.ok()) return s;
  return stack;
}

Stack::~Stack() {
  // SIGTERM to all first, so they drain in parallel; SIGKILL whatever outlives the grace.
  for (Proc& p : procs_) {
    if (p.pid > 0) kill(p.pid, SIGTERM);
  }
  const absl::Time give_up = absl::Now() + kShutdownGrace;
  for (Proc& p : procs_) {
    while (p.pid > 0) {
      if (Reap(p, false)) break;
      if (absl::Now() >= give_up) {
        kill(p.pid, SIGKILL);
        Reap(p, true);
        break;
      }
      absl::SleepFor(kPoll);
    }
  }
  intake_.reset();
  dispatch_.reset();
  admin_.reset();
  auth_.reset();
  audit_.reset();
  for (Proc& p : procs_) {
    p.health.reset();
    p.channel.reset();
  }
  redis_.reset();
  const char* keep = std::getenv("ZW_E2E_KEEP_DIR");
  if (!dir_.empty() && (keep == nullptr || std::string(keep) != "1")) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string Stack::TokenFor(const Identity& who) {
  const absl::Time now = absl::Now();
  auth::TokenClaims c{.issuer = auth::kDefaultIssuer,
                      .subject = who.subject,
                      .role = who.role,
                      .area = who.area,
                      .department_id = who.department_id,
                      .issued_at = now,
                      .expires_at = now + absl::Hours(1)};
  absl::StatusOr<std::string> token = auth::IssueToken(c, {kE2eKeyId, kE2eSecret});
  return token.ok() ? *token : "";
}

std::unique_ptr<grpc::ClientContext> Stack::Context(const std::optional<Identity>& who) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + kRpcDeadline));
  if (who) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", TokenFor(*who)));
  return ctx;
}

v1::IntakeService::Stub& Stack::intake() { return *intake_; }
v1::DispatchService::Stub& Stack::dispatch() { return *dispatch_; }
v1::AdminService::Stub& Stack::admin() { return *admin_; }
v1::AuthService::Stub& Stack::auth() { return *auth_; }
v1::AuditService::Stub& Stack::audit() { return *audit_; }
grpc::health::v1::Health::Stub& Stack::health(Service s) { return *proc(s).health; }

std::string Stack::address(Service s) const { return absl::StrCat("127.0.0.1:", proc(s).port); }
bool Stack::running(Service s) const { return proc(s).pid > 0; }
pid_t Stack::pid(Service s) const { return proc(s).pid; }

std::optional<ExitStatus> Stack::Reap(Proc& p, bool block) {
  if (p.pid <= 0) return std::nullopt;
  int wstatus = 0;
  for (;;) {
    pid_t r = waitpid(p.pid, &wstatus, block ? 0 : WNOHANG);
    if (r == p.pid) {
      p.pid = -1;
      return FromWaitStatus(wstatus);
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {  // not our child any more (cannot happen unless reaped elsewhere)
      p.pid = -1;
      return ExitStatus{};
    }
    return std::nullopt;  // still running
  }
}

absl::Status Stack::StartService(Service s, const std::vector<std::string>& extra_flags) {
  Proc& p = proc(s);
  if (p.pid > 0) {
    return absl::FailedPreconditionError(absl::StrCat(ServiceName(s), " is already running"));
  }
  ++p.generation;
  const std::string base = absl::StrCat(dir_, "/", ServiceName(s), ".", p.generation);
  const std::string port_file = base + ".port";
  p.log_path = base + ".log";
  p.port = 0;

  // Everything the child needs is prepared before fork(): between fork() and exec() only
  // async-signal-safe calls are allowed (the gRPC client threads of this process exist).
  std::vector<std::string> args = {
      BinaryOf(s), "--listen=127.0.0.1:0", absl::StrCat("--port_file=", port_file),
      "--redis_host=127.0.0.1", absl::StrCat("--redis_port=", redis_->port()), "--log_level=info",
      // authn (issue 7): real tokens; a limit no suite reaches
      absl::StrCat("--auth_keys=", dir_, "/auth_keys"), "--rate_limit_per_second=5000",
      "--rate_limit_burst=10000"};
  args.insert(args.end(), tls_flags_.begin(), tls_flags_.end());
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int log_fd = open(p.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) return absl::InternalError(ErrnoText("open log"));
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return absl::InternalError(ErrnoText("fork"));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    // The service must not inherit the test's sockets (clients, Redis connections).
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0) {
      for (int fd = 3; fd < 1024; ++fd) close(fd);
    }
    // InitService blocks SIGTERM itself; start from a clean mask and default handlers.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  p.pid = pid;

  const absl::Time give_up = absl::Now() + kStartTimeout;
  for (;;) {
    if (std::optional<ExitStatus> exited = Reap(p, false)) {
      return absl::UnavailableError(absl::StrCat(ServiceName(s), " exited during start-up (",
                                                 exited->ToString(), "):\n", LogTail(s)));
    }
    if (std::optional<int> port = ReadPortFile(port_file)) {
      p.port = *port;
      break;
    }
    if (absl::Now() >= give_up) {
      kill(p.pid, SIGKILL);
      Reap(p, true);
      return absl::UnavailableError(absl::StrCat(ServiceName(s), " wrote no port file within ",
                                                 absl::FormatDuration(kStartTimeout), ":\n",
                                                 LogTail(s)));
    }
    absl::SleepFor(kPoll);
  }

  p.channel = grpc::CreateChannel(address(s), channel_credentials_);
  p.health = grpc::health::v1::Health::NewStub(p.channel);
  switch (s) {
    case Service::kRouter:
      admin_ = v1::AdminService::NewStub(p.channel);
      auth_ = v1::AuthService::NewStub(p.channel);
      audit_ = v1::AuditService::NewStub(p.channel);
      break;
    case Service::kIntake:
      intake_ = v1::IntakeService::NewStub(p.channel);
      break;
    case Service::kDispatch:
      dispatch_ = v1::DispatchService::NewStub(p.channel);
      break;
    case Service::kSla:  // SLA and console suites make their own stubs from address()
    case Service::kSla2:
    case Service::kConsole:
      break;
  }
  return WaitServing(s, give_up - absl::Now());
}

absl::Status Stack::WaitServing(Service s, absl::Duration timeout) {
  Proc& p = proc(s);
  const absl::Time give_up = absl::Now() + timeout;
  std::string last = "no answer";
  for (;;) {
    if (std::optional<ExitStatus> exited = Reap(p, false)) {
      return absl::UnavailableError(
          absl::StrCat(ServiceName(s), " exited (", exited->ToString(), "):\n", LogTail(s)));
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status st = p.health->Check(&ctx, req, &resp);
    if (st.ok() && resp.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    last = st.ok() ? absl::StrCat("health status ", resp.status())
                   : absl::StrCat("code ", st.error_code(), ": ", st.error_message());
    if (absl::Now() >= give_up) {
      return absl::UnavailableError(absl::StrCat(ServiceName(s), " not SERVING at ", address(s),
                                                 " (last: ", last, "):\n", LogTail(s)));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::StatusOr<ExitStatus> Stack::Terminate(Service s, absl::Duration timeout) {
  Proc& p = proc(s);
  if (p.pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(ServiceName(s), " is not running"));
  }
  if (kill(p.pid, SIGTERM) != 0) return absl::InternalError(ErrnoText("kill"));
  const absl::Time give_up = absl::Now() + timeout;
  for (;;) {
    if (std::optional<ExitStatus> exited = Reap(p, false)) return *exited;
    if (absl::Now() >= give_up) {
      kill(p.pid, SIGKILL);
      Reap(p, true);
      return absl::DeadlineExceededError(absl::StrCat(ServiceName(s), " did not exit within ",
                                                      absl::FormatDuration(timeout),
                                                      " of SIGTERM (killed):\n", LogTail(s)));
    }
    absl::SleepFor(kPoll);
  }
}

absl::Status Stack::Kill(Service s) {
  Proc& p = proc(s);
  if (p.pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(ServiceName(s), " is not running"));
  }
  if (kill(p.pid, SIGKILL) != 0) return absl::InternalError(ErrnoText("kill"));
  Reap(p, true);
  return absl::OkStatus();
}

absl::Status Stack::Restart(Service s, const std::vector<std::string>& extra_flags) {
  if (running(s)) {
    if (absl::Status st = Kill(s); !st.ok()) return st;
  }
  return StartService(s, extra_flags);
}

absl::Status Stack::EnsureRunning() {
  for (Service s : kAllServices) {
    if (running(s)) continue;
    if (absl::Status st = StartService(s); !st.ok()) return st;
  }
  return absl::OkStatus();
}

std::string Stack::LogTail(Service s, size_t max_bytes) const {
  std::ifstream in(proc(s).log_path);
  if (!in) return "(no log)";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) text = "…" + text.substr(text.size() - max_bytes);
  return absl::StrCat("--- ", proc(s).log_path, " ---\n", text);
}

absl::Status Stack::LoadDistrict(const v1::District& district) {
  v1::LoadDistrictRequest req;
  *req.mutable_district() = district;
  v1::LoadDistrictResponse resp;
  grpc::Status st = CallWithRetry(
      Admin(), [&](grpc::ClientContext* ctx) { return admin_->LoadDistrict(ctx, req, &resp); });
  if (!st.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                        absl::StrCat("LoadDistrict: ", st.error_message()));
  }
  return absl::OkStatus();
}

absl::Status Stack::WaitDistrictKnown(const v1::District& district, absl::Duration timeout) {
  if (district.grids().empty() || district.departments().empty()) {
    return absl::InvalidArgumentError("the test district needs a grid and a department");
  }
  Identity worker{"e2e-probe", Role::kGridWorker, district.grids(0).id(), ""};
  Identity op{"e2e-probe", Role::kDepartmentOperator, district.id(), district.departments(0).id()};
  const absl::Time give_up = absl::Now() + timeout;
  for (;;) {
    v1::ListMyReportsResponse mine;
    grpc::Status a = intake_->ListMyReports(Context(worker).get(), {}, &mine);
    v1::ListAssignmentsResponse work;
    grpc::Status b = dispatch_->ListAssignments(Context(op).get(), {}, &work);
    if (a.ok() && b.ok()) return absl::OkStatus();
    if (absl::Now() >= give_up) {
      return absl::DeadlineExceededError(
          absl::StrCat("the services did not learn district ", district.id(), " within ",
                       absl::FormatDuration(timeout), ": intake says '", a.error_message(),
                       "', dispatch says '", b.error_message(), "'"));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

// ----------------------------------------------------------------- district, identities

v1::District TestDistrict() {
  v1::District d;
  d.set_id(kDistrictId);
  d.set_name("织网测试区");
  v1::Street* street = d.add_streets();
  street->set_id(kStreetId);
  street->set_name("测试街道");
  v1::Community* community = d.add_communities();
  community->set_id("990100001001");
  community->set_name("测试社区");
  community->set_street_id(kStreetId);
  for (const char* grid_id : {kGridId, "990100001001002"}) {
    v1::Grid* g = d.add_grids();
    g->set_id(grid_id);
    g->set_name(absl::StrCat("测试网格 ", grid_id));
    g->set_community_id("990100001001");
  }
  v1::Department* cgb = d.add_departments();
  cgb->set_id(kStreetDept);
  cgb->set_name("测试街道城管办");
  cgb->set_level(v1::DEPARTMENT_LEVEL_STREET);
  cgb->set_street_id(kStreetId);
  v1::Department* cgj = d.add_departments();
  cgj->set_id(kCityDept);
  cgj->set_name("测试区城管局");
  cgj->set_level(v1::DEPARTMENT_LEVEL_DISTRICT);
  v1::Department* swj = d.add_departments();
  swj->set_id(kWaterDept);
  swj->set_name("测试区水务局");
  swj->set_level(v1::DEPARTMENT_LEVEL_DISTRICT);
  v1::Category* garbage = d.add_categories();
  garbage->set_code(kTwoDeptCategory);
  garbage->set_name("暴露垃圾");
  garbage->set_major("市容环境");
  garbage->set_default_urgency(v1::URGENCY_NORMAL);
  v1::Category* water = d.add_categories();
  water->set_code(kOneDeptCategory);
  water->set_name("道路积水");
  water->set_major("市容环境");
  water->set_default_urgency(v1::URGENCY_URGENT);
  v1::RoutingRule* r1 = d.add_routing_rules();
  r1->set_category_code(kTwoDeptCategory);
  r1->add_department_ids(kStreetDept);
  r1->add_department_ids(kCityDept);
  v1::RoutingRule* r2 = d.add_routing_rules();
  r2->set_category_code(kOneDeptCategory);
  r2->add_department_ids(kWaterDept);
  return d;
}

Identity GridWorker(const std::string& subject) {
  return Identity{subject, Role::kGridWorker, kGridId, ""};
}

Identity Operator(const std::string& department) {
  return Identity{absl::StrCat("op-", department), Role::kDepartmentOperator,
                  department == kStreetDept ? kStreetId : kDistrictId, department};
}

Identity StreetDispatcher() {
  return Identity{"dispatcher-1", Role::kStreetDispatcher, kStreetId, ""};
}

Identity Admin() { return Identity{"admin-1", Role::kAdmin, kDistrictId, ""}; }

v1::Attachment Photo(const std::string& name) {
  v1::Attachment a;
  a.set_uri(absl::StrCat("media://e2e/", name, ".jpg"));
  a.set_content_type("image/jpeg");
  a.set_size_bytes(40960);
  return a;
}

v1::ReportEventRequest MakeReport(const std::string& client_request_id,
                                  const std::string& category) {
  // Points 0.003° apart (about 300 m) on a grid of 100 × 100: far enough apart not to be
  // taken for the same problem.
  static std::atomic<int> next{0};
  const int n = next++;
  v1::ReportEventRequest req;
  req.set_client_request_id(client_request_id);
  req.set_category_code(category);
  req.set_source(v1::SOURCE_GRID_WORKER);
  req.mutable_location()->set_latitude(22.30 + (n % 100) * 0.003);
  req.mutable_location()->set_longitude(113.80 + ((n / 100) % 100) * 0.003);
  req.mutable_location()->set_grid_id(kGridId);
  req.mutable_location()->set_address(absl::StrCat("测试路 ", n, " 号"));
  req.set_description(absl::StrCat("e2e 测试事件 ", client_request_id));
  req.set_reporter_name("测试网格员");
  *req.add_attachments() = Photo(client_request_id);
  return req;
}

// ------------------------------------------------------------------------- client helpers

grpc::Status CallWithRetry(const std::optional<Identity>& who,
                           const std::function<grpc::Status(grpc::ClientContext*)>& call,
                           absl::Duration budget, int* attempts) {
  const absl::Time give_up = absl::Now() + budget;
  int n = 0;
  for (;;) {
    ++n;
    grpc::Status st = call(Stack::Context(who).get());
    if (st.error_code() != grpc::StatusCode::UNAVAILABLE || absl::Now() >= give_up) {
      if (attempts != nullptr) *attempts = n;
      return st;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
}

absl::StatusOr<v1::GetEventResponse> GetEvent(Stack& stack, const Identity& who,
                                              const std::string& event_id, bool include_timeline) {
  v1::GetEventRequest req;
  req.set_event_id(event_id);
  req.set_include_timeline(include_timeline);
  v1::GetEventResponse resp;
  grpc::Status st = CallWithRetry(who, [&](grpc::ClientContext* ctx) {
    resp.Clear();
    return stack.intake().GetEvent(ctx, req, &resp);
  });
  if (!st.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                        absl::StrCat("GetEvent ", event_id, ": ", st.error_message()));
  }
  return resp;
}

absl::StatusOr<v1::Event> WaitForEvent(Stack& stack, const Identity& who,
                                       const std::string& event_id,
                                       const std::function<bool(const v1::Event&)>& done,
                                       absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  v1::Event last;
  for (;;) {
    absl::StatusOr<v1::GetEventResponse> got = GetEvent(stack, who, event_id, false);
    if (!got.ok()) return got.status();
    last = got->event();
    if (done(last)) return last;
    if (absl::Now() >= give_up) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("event ", event_id, " did not reach the expected state within ",
                   absl::FormatDuration(timeout), "; last seen ", v1::EventState_Name(last.state()),
                   " at '", last.department_id(), "' v", last.version()));
}

absl::StatusOr<v1::Event> WaitDispatched(Stack& stack, const Identity& who,
                                         const std::string& event_id, const std::string& not_to) {
  return WaitForEvent(stack, who, event_id, [&](const v1::Event& e) {
    return e.state() == v1::EVENT_STATE_DISPATCHED && e.department_id() != not_to;
  });
}

absl::StatusOr<std::vector<v1::Event>> ListAllMyReports(Stack& stack, const Identity& who) {
  std::vector<v1::Event> out;
  v1::ListMyReportsRequest req;
  req.set_page_size(100);
  for (int page = 0; page < 100; ++page) {
    v1::ListMyReportsResponse resp;
    grpc::Status st = CallWithRetry(who, [&](grpc::ClientContext* ctx) {
      resp.Clear();
      return stack.intake().ListMyReports(ctx, req, &resp);
    });
    if (!st.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                          absl::StrCat("ListMyReports: ", st.error_message()));
    }
    for (const v1::Event& e : resp.events()) out.push_back(e);
    if (resp.next_page_token().empty()) return out;
    req.set_page_token(resp.next_page_token());
  }
  return absl::InternalError("ListMyReports: more than 100 pages (a paging loop?)");
}

absl::Status ToAbsl(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

namespace {

// Runs one EventResponse-returning RPC as `who`.
absl::StatusOr<v1::Event> Act(
    const Identity& who, absl::Duration retry,
    const std::function<grpc::Status(grpc::ClientContext*, v1::EventResponse*)>& rpc) {
  v1::EventResponse resp;
  grpc::Status st = CallWithRetry(
      who,
      [&](grpc::ClientContext* ctx) {
        resp.Clear();
        return rpc(ctx, &resp);
      },
      retry);
  if (!st.ok()) return ToAbsl(st);
  return resp.event();
}

}  // namespace

absl::StatusOr<v1::Event> Report(Stack& stack, const Identity& who,
                                 const v1::ReportEventRequest& req, absl::Duration retry) {
  v1::ReportEventResponse resp;
  grpc::Status st = CallWithRetry(
      who,
      [&](grpc::ClientContext* ctx) {
        resp.Clear();
        return stack.intake().ReportEvent(ctx, req, &resp);
      },
      retry);
  if (!st.ok()) return ToAbsl(st);
  return resp.event();
}

absl::StatusOr<v1::Event> Claim(Stack& stack, const Identity& who, const std::string& request_id,
                                const std::string& event_id, absl::Duration retry) {
  v1::ClaimEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  return Act(who, retry, [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.dispatch().ClaimEvent(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> AddProgress(Stack& stack, const Identity& who,
                                      const std::string& request_id, const std::string& event_id,
                                      const std::string& note) {
  v1::AddProgressRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_note(note);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.dispatch().AddProgress(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> Resolve(Stack& stack, const Identity& who, const std::string& request_id,
                                  const std::string& event_id, const std::string& note) {
  v1::ResolveEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_note(note);
  *req.add_evidence() = Photo(request_id);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.dispatch().ResolveEvent(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> Reject(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, const std::string& reason_code,
                                 const std::string& note) {
  v1::RejectEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_reason_code(reason_code);
  req.set_note(note);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.dispatch().RejectEvent(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> Verify(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, bool passed,
                                 const std::string& note) {
  v1::VerifyEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_passed(passed);
  req.set_note(note);
  *req.add_evidence() = Photo(request_id);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.intake().VerifyEvent(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> Cancel(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, const std::string& reason) {
  v1::CancelEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_reason(reason);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.intake().CancelEvent(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> Assign(Stack& stack, const Identity& who, const std::string& request_id,
                                 const std::string& event_id, const std::string& department_id,
                                 const std::string& note) {
  v1::AssignEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_department_id(department_id);
  req.set_note(note);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.dispatch().AssignEvent(ctx, req, resp);
  });
}

absl::StatusOr<v1::Event> Close(Stack& stack, const Identity& who, const std::string& request_id,
                                const std::string& event_id, const std::string& note) {
  v1::CloseEventRequest req;
  req.set_client_request_id(request_id);
  req.set_event_id(event_id);
  req.set_note(note);
  return Act(who, absl::ZeroDuration(), [&](grpc::ClientContext* ctx, v1::EventResponse* resp) {
    return stack.dispatch().CloseEvent(ctx, req, resp);
  });
}

std::string Describe(const v1::TimelineEntry& t) {
  return absl::StrCat("#", t.seq(), " ", v1::EventAction_Name(t.action()), " ",
                      v1::EventState_Name(t.from_state()), "->", v1::EventState_Name(t.to_state()),
                      " by ", t.actor_subject(),
                      t.department_id().empty() ? "" : absl::StrCat(" dep=", t.department_id()));
}

std::vector<v1::EventAction> Actions(
    const google::protobuf::RepeatedPtrField<v1::TimelineEntry>& t) {
  std::vector<v1::EventAction> out;
  for (const v1::TimelineEntry& e : t) out.push_back(e.action());
  return out;
}

int CountAction(const google::protobuf::RepeatedPtrField<v1::TimelineEntry>& t,
                v1::EventAction action) {
  int n = 0;
  for (const v1::TimelineEntry& e : t) n += e.action() == action ? 1 : 0;
  return n;
}

}  // namespace zhiwang::e2e
