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
// Security (issue 7, docs/auth.md):
//   --auth_keys=FILE       lines "<kid> <path of secret file>" ('#' comments): the key ring
//                          bearer tokens are verified with (relative paths: from FILE's dir)
//   --auth_issuer=ISS      the issuer tokens must name (default zhiwang)
//   --dev_identity_header  also accept the x-zw-dev-identity header (development only)
//   --rate_limit_per_second, --rate_limit_burst   per-principal token bucket (0: off)
//   --max_request_bytes    largest request message accepted (default 4 MiB)
//   --tls_cert, --tls_key  serve TLS;  --tls_client_ca  require client certificates (mTLS)
//   --audit_max_entries    the audit stream is trimmed to about this many entries
//
// Every call to a zhiwang.* method passes the CallGate (common/rpc/call_gate.h): without a
// valid bearer token or API key (or the dev header under --dev_identity_header) it fails
// UNAUTHENTICATED. Serve opens one Redis connection of its own for API keys and the audit.
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
#include "common/auth/token.h"
#include "common/redis/redis_client.h"
#include "grpcpp/grpcpp.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, port_file);
ABSL_DECLARE_FLAG(std::string, redis_host);
ABSL_DECLARE_FLAG(int, redis_port);
ABSL_DECLARE_FLAG(std::string, redis_socket);
ABSL_DECLARE_FLAG(int, redis_connections);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(std::string, auth_keys);
ABSL_DECLARE_FLAG(std::string, auth_issuer);
ABSL_DECLARE_FLAG(bool, dev_identity_header);
ABSL_DECLARE_FLAG(double, rate_limit_per_second);
ABSL_DECLARE_FLAG(double, rate_limit_burst);
ABSL_DECLARE_FLAG(int, max_request_bytes);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, tls_client_ca);
ABSL_DECLARE_FLAG(int64_t, audit_max_entries);

namespace zhiwang {

// Parses flags, sets up logging for `service_name` and blocks SIGTERM/SIGINT in this and
// every thread started later (they are taken by Serve). Call first in main.
void InitService(int argc, char** argv, absl::string_view service_name);

// Redis settings from the flags.
redis::RedisOptions RedisOptionsFromFlags();

// Reads a key ring file (see --auth_keys): INVALID_ARGUMENT naming the file and line.
absl::StatusOr<auth::KeyRing> LoadKeyRing(const std::string& path, const std::string& issuer);

// Serves `services` on --listen until SIGTERM/SIGINT. `on_stop` (may be empty) runs after
// the signal, before the server shuts down — stop background workers there.
absl::Status Serve(const std::vector<grpc::Service*>& services,
                   const std::function<void()>& on_stop, absl::Duration grace = absl::Seconds(10));

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_SERVER_RUNNER_H_
