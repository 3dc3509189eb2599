#ifndef ZHIWANG_COMMON_RPC_IDENTITY_H_
#define ZHIWANG_COMMON_RPC_IDENTITY_H_

// The one place that turns call metadata into the caller's Identity.
//
// Every server built by Serve() (common/rpc/server_runner.h) has a CallGate
// (common/rpc/call_gate.h) in front of every call: it authenticates the caller
// (`authorization: Bearer zw1.…` or `authorization: ApiKey <id>.<secret>`, or the dev
// header when the process runs with --dev_identity_header), applies the rate limit, and
// replaces whatever the client sent under kGateHeader with its verdict. Handlers read the
// verdict here, through HandleUnary (unary) or IdentityFromMetadata (streams).
//
// A server without a gate — only tests that build a grpc::ServerBuilder themselves — falls
// back to the development header, which anyone can set:
//   x-zw-dev-identity: subject=worker-001;role=grid_worker;area=440304001001001;department=
// subject: 1..64 of [A-Za-z0-9._@-]; role: a RoleName() ("grid_worker", "department_operator",
// ...); area and department optional, same characters as subject.

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/domain/event.h"
#include "grpcpp/support/string_ref.h"

namespace zhiwang {

inline constexpr char kDevIdentityHeader[] = "x-zw-dev-identity";
// Written by the CallGate only (it drops any copy a client sends):
//   "ok|<method>|<FormatDevIdentity(who)>"  or  "deny|<status code>|<message>"
inline constexpr char kGateHeader[] = "x-zw-gate";

// How the caller proved who they are.
enum class AuthMethod { kDevHeader, kBearer, kApiKey };
absl::string_view AuthMethodName(AuthMethod m);  // "dev_header", "bearer", "api_key"

struct Authenticated {
  Identity who;
  AuthMethod method = AuthMethod::kDevHeader;
};

// The gate's verdict when there is one (its error when it refused the call: UNAUTHENTICATED,
// RESOURCE_EXHAUSTED); otherwise the dev header, UNAUTHENTICATED when missing or malformed
// (the message says why).
absl::StatusOr<Authenticated> AuthenticatedFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);
// AuthenticatedFromMetadata's identity: the one function streams call.
absl::StatusOr<Identity> IdentityFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

// The gate's header value for a verdict.
std::string FormatGateVerdict(const absl::StatusOr<Authenticated>& verdict);

// Parses the header's value (exposed for tests and clients).
absl::StatusOr<Identity> ParseDevIdentity(absl::string_view value);
// Formats an identity as the header's value.
std::string FormatDevIdentity(const Identity& who);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_IDENTITY_H_
