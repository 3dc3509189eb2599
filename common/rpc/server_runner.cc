#include "common/rpc/server_runner.h"

#include <signal.h>

#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/rpc/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "address to serve gRPC on (HOST:PORT)");
ABSL_FLAG(std::string, port_file, "", "file to write the bound port to once serving");
ABSL_FLAG(std::string, redis_host, "127.0.0.1", "Redis host");
ABSL_FLAG(int, redis_port, 6379, "Redis port");
ABSL_FLAG(std::string, redis_socket, "", "Redis unix socket (overrides host/port)");
ABSL_FLAG(int, redis_connections, 2, "pipelined Redis connections for requests");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");

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

absl::Status Serve(const std::vector<grpc::Service*>& services,
                   const std::function<void()>& on_stop, absl::Duration grace) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
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
