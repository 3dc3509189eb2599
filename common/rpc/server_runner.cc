#include "common/rpc/server_runner.h"

#include <signal.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/rate_limiter.h"
#include "common/base/clock.h"
#include "common/rpc/api_key_store.h"
#include "common/rpc/audit_log.h"
#include "common/rpc/call_gate.h"
#include "common/rpc/log.h"
#include "common/rpc/tls_credentials.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "address to serve gRPC on (HOST:PORT)");
ABSL_FLAG(std::string, port_file, "", "file to write the bound port to once serving");
ABSL_FLAG(std::string, redis_host, "127.0.0.1", "Redis host");
ABSL_FLAG(int, redis_port, 6379, "Redis port");
ABSL_FLAG(std::string, redis_socket, "", "Redis unix socket (overrides host/port)");
ABSL_FLAG(int, redis_connections, 2, "pipelined Redis connections for requests");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");
ABSL_FLAG(std::string, auth_keys, "",
          "key ring file: lines '<kid> <secret file>' for verifying bearer tokens");
ABSL_FLAG(std::string, auth_issuer, zhiwang::auth::kDefaultIssuer, "issuer tokens must name");
ABSL_FLAG(bool, dev_identity_header, false,
          "DEVELOPMENT ONLY: also trust the x-zw-dev-identity header, which anyone can set");
ABSL_FLAG(double, rate_limit_per_second, 200, "per-principal calls a second (0: no limit)");
ABSL_FLAG(double, rate_limit_burst, 400, "per-principal burst (token bucket size)");
ABSL_FLAG(int, max_request_bytes, 4 * 1024 * 1024, "largest request message accepted");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain: serve TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "", "PEM CA: require client certificates it signed (mTLS)");
ABSL_FLAG(int64_t, audit_max_entries, zhiwang::AuditLog::kDefaultMaxEntries,
          "the audit stream is trimmed to about this many entries");

namespace zhiwang {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void InitService(int argc, char** argv, absl::string_view service_name) {
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with mutex deadlock detection on, which keeps a global lock
  // graph updated on every Mutex acquisition — measurable on the request path.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  SetLogService(service_name);
  std::string level = absl::GetFlag(FLAGS_log_level);
  SetLogLevel(level == "debug"     ? LogLevel::kDebug
              : level == "warning" ? LogLevel::kWarning
              : level == "error"   ? LogLevel::kError
                                   : LogLevel::kInfo);
  // Blocked here, before any thread exists, so the signal is only ever taken by
  // Serve's sigwait and never interrupts a worker thread.
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

redis::RedisOptions RedisOptionsFromFlags() {
  redis::RedisOptions o;
  o.host = absl::GetFlag(FLAGS_redis_host);
  o.port = absl::GetFlag(FLAGS_redis_port);
  o.unix_socket = absl::GetFlag(FLAGS_redis_socket);
  o.connections = absl::GetFlag(FLAGS_redis_connections);
  return o;
}

absl::StatusOr<auth::KeyRing> LoadKeyRing(const std::string& path, const std::string& issuer) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("auth_keys: cannot read ", path));
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  auth::KeyRing ring(issuer);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    absl::string_view l = absl::StripAsciiWhitespace(line);
    if (l.empty() || l[0] == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(l, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("auth_keys: ", path, ":", n, ": expected '<kid> <secret file>'"));
    }
    std::string secret_path = parts[1][0] == '/' ? parts[1] : absl::StrCat(dir, "/", parts[1]);
    std::ifstream sf(secret_path, std::ios::binary);
    std::ostringstream secret;
    secret << sf.rdbuf();
    if (!sf) {
      return absl::InvalidArgumentError(
          absl::StrCat("auth_keys: ", path, ":", n, ": cannot read ", secret_path));
    }
    // The file's bytes minus trailing whitespace, as `zw token issue --key_file` reads them.
    std::string s(absl::StripTrailingAsciiWhitespace(secret.str()));
    absl::Status added = ring.Add({parts[0], s});
    if (!added.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("auth_keys: ", path, ":", n, ": ", added.message()));
    }
  }
  return ring;
}

absl::Status Serve(const std::vector<grpc::Service*>& services,
                   const std::function<void()>& on_stop, absl::Duration grace) {
  // The gate's own dependencies (issue 7), all alive until Serve returns.
  std::optional<auth::KeyRing> ring;
  if (!absl::GetFlag(FLAGS_auth_keys).empty()) {
    absl::StatusOr<auth::KeyRing> r =
        LoadKeyRing(absl::GetFlag(FLAGS_auth_keys), absl::GetFlag(FLAGS_auth_issuer));
    if (!r.ok()) return r.status();
    ring.emplace(*std::move(r));
  }
  const bool dev = absl::GetFlag(FLAGS_dev_identity_header);
  if (dev) {
    Log(LogLevel::kWarning, "--dev_identity_header: x-zw-dev-identity is trusted (dev only)");
  }
  if (!ring && !dev) Log(LogLevel::kWarning, "no --auth_keys: only API keys are accepted");
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> creds =
      ServerCredentialsFromFiles({absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
                                  absl::GetFlag(FLAGS_tls_client_ca)});
  if (!creds.ok()) return creds.status();
  redis::RedisOptions gate_redis = RedisOptionsFromFlags();
  gate_redis.connections = 1;
  absl::StatusOr<std::unique_ptr<redis::RedisClient>> redis =
      redis::RedisClient::Connect(gate_redis);
  if (!redis.ok()) return redis.status();
  RealClock clock;
  ApiKeyStore api_keys(redis->get());
  AuditLog audit(redis->get(), absl::GetFlag(FLAGS_audit_max_entries));
  auth::RateLimiter limiter({.per_second = absl::GetFlag(FLAGS_rate_limit_per_second),
                             .burst = absl::GetFlag(FLAGS_rate_limit_burst)},
                            &clock);
  CallGate gate({.keys = ring ? &*ring : nullptr,
                 .api_keys = &api_keys,
                 .allow_dev_header = dev,
                 .limiter = &limiter,
                 .audit = &audit,
                 .clock = &clock});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, *creds, &port);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_request_bytes));
  InstallCallGate(builder, &gate);
  for (grpc::Service* s : services) builder.RegisterService(s);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(true);

  std::string host = listen.substr(0, listen.rfind(':'));
  std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    // Written to a temporary name and renamed, so a reader never sees a partial port.
    std::string tmp = port_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << port << "\n";
    }
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0) {
      return absl::InternalError(absl::StrCat("cannot write ", port_file));
    }
  }
  Log(LogLevel::kInfo, "serving", {{"addr", absl::StrCat(host, ":", port)}});

  sigset_t set = StopSignals();
  int sig = 0;
  sigwait(&set, &sig);
  Log(LogLevel::kInfo, "stopping", {{"signal", absl::StrCat(sig)}});
  health->SetServingStatus(false);
  if (on_stop) on_stop();
  server->Shutdown(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(grace));
  server->Wait();
  Log(LogLevel::kInfo, "stopped");
  return absl::OkStatus();
}

}  // namespace zhiwang
