// zw-bench-echo: a bare echo gRPC server, the baseline zw-bench compares ReportEvent with.
//
// It uses the callback API (grpc::CallbackService, ServerUnaryReactor) like the Zhiwang
// services, so the ratio measured by zw-bench is "our work on top of gRPC", not "callback
// versus sync API". Listens on --listen (port 0 picks a free port), writes the chosen port
// to --port_file, and shuts down cleanly on SIGTERM or SIGINT.
//
//   zw-bench-echo --listen=127.0.0.1:0 --port_file=/tmp/x/port

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/echo.grpc.pb.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0",
          "host:port to listen on; port 0 picks a free port (see --port_file)");
ABSL_FLAG(std::string, port_file, "",
          "if set, the chosen port is written here (atomically) once the server is up");

namespace zhiwang::bench {
namespace {

namespace pb = ::zhiwang::bench::v1;

// Copies the request into the response and finishes inline: no work beyond gRPC itself.
class EchoServiceImpl final : public pb::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const pb::EchoRequest* request,
                                 pb::EchoResponse* response) override {
    response->set_request_id(request->request_id());
    response->set_payload(request->payload());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// Writes `port` to `path` through a temporary file and a rename, so that a script polling
// for the file never reads it half-written.
bool WritePortFile(const std::string& path, int port) {
  const std::string tmp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

int Run() {
  // Block the stop signals before gRPC starts its threads (they inherit the mask), so that
  // only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  EchoServiceImpl service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "zw-bench-echo: cannot listen on %s\n",
                 absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty() && !WritePortFile(port_file, port)) {
    std::fprintf(stderr, "zw-bench-echo: cannot write %s\n", port_file.c_str());
    server->Shutdown();
    return 1;
  }
  std::fprintf(stderr, "zw-bench-echo: listening on port %d\n", port);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "zw-bench-echo: signal %d, shutting down\n", signal_number);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace zhiwang::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return zhiwang::bench::Run();
}
