#ifndef ZHIWANG_COMMON_RPC_SERVER_RUNNER_H_
#define ZHIWANG_COMMON_RPC_SERVER_RUNNER_H_

// What every service binary shares: its flags, its Redis connection settings, and
// serving gRPC services until SIGTERM/SIGINT.
//
// Flags (also readable from a config file with absl's --flagfile=PATH):
//   --listen=HOST:PORT   default 127.0.0.1:0 (port 0: the kernel picks; see --port_file)
//   --port_file=PATH     written with the bound port once serving
//   --redis_host, --redis_port, --redis_socket   where Redis is
//   --redis_connections  pipelined connections for requests (default 2)
//   --log_level=debug|info|warning|error
//
// Serving adds gRPC health checking (grpc.health.v1.Health: "" and each service name
// report SERVING) and server reflection. On SIGTERM or SIGINT: health turns NOT_SERVING,
// the server stops accepting calls, in-flight calls finish (up to a grace period), and
// Serve returns OK so main can exit 0.

#include <functional>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "grpcpp/grpcpp.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, port_file);
ABSL_DECLARE_FLAG(std::string, redis_host);
ABSL_DECLARE_FLAG(int, redis_port);
ABSL_DECLARE_FLAG(std::string, redis_socket);
ABSL_DECLARE_FLAG(int, redis_connections);
ABSL_DECLARE_FLAG(std::string, log_level);

namespace zhiwang {

// Parses flags, sets up logging for `service_name` and blocks SIGTERM/SIGINT in this and
// every thread started later (they are taken by Serve). Call first in main.
void InitService(int argc, char** argv, absl::string_view service_name);

// Redis settings from the flags.
redis::RedisOptions RedisOptionsFromFlags();

// Serves `services` on --listen until SIGTERM/SIGINT. `on_stop` (may be empty) runs after
// the signal, before the server shuts down — stop background workers there.
absl::Status Serve(const std::vector<grpc::Service*>& services,
                   const std::function<void()>& on_stop, absl::Duration grace = absl::Seconds(10));

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_SERVER_RUNNER_H_
