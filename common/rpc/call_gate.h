#ifndef ZHIWANG_COMMON_RPC_CALL_GATE_H_
#define ZHIWANG_COMMON_RPC_CALL_GATE_H_

// The gate in front of every call a Zhiwang server takes (issue 7): authentication, the
// per-principal rate limit and the audit of denials. Installed as a gRPC server
// interceptor by Serve() (InstallCallGate), so handlers keep their shape: HandleUnary and
// IdentityFromMetadata read the verdict the gate leaves in the call's metadata
// (kGateHeader, common/rpc/identity.h).
//
// Per call to a zhiwang.* method (health checks and reflection pass untouched):
//  1. any kGateHeader the client sent is dropped;
//  2. `authorization: Bearer <token>` is verified against the key ring at clock->Now();
//     `authorization: ApiKey <id>.<secret>` is checked against its stored record (unknown,
//     revoked or wrong secret: UNAUTHENTICATED); with no authorization header, the dev
//     header is accepted only when `allow_dev_header`, else UNAUTHENTICATED. Identities
//     whose fields the dev-header format cannot carry are refused (UNAUTHENTICATED);
//  3. an authenticated caller over their token bucket gets RESOURCE_EXHAUSTED;
//  4. when the call ends, its final status decides the audit: UNAUTHENTICATED,
//     PERMISSION_DENIED, NOT_FOUND (a read outside one's scope looks like one) and
//     RESOURCE_EXHAUSTED are appended as denials; OK calls to the methods in
//     kAuditedMethods (state changes that are not event transitions) as allowed. Event
//     transitions are audited from the change feeds (services/authn/audit_feed_worker.h).
//     The object is the request's event_id (or key_id, department_id) field, when any.
//
// Thread-safe; the pointers in Options must outlive every server the gate is installed on.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/rate_limiter.h"
#include "common/auth/token.h"
#include "common/base/clock.h"
#include "common/rpc/api_key_store.h"
#include "common/rpc/audit_log.h"
#include "common/rpc/identity.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace zhiwang {

class CallGate {
 public:
  struct Options {
    const auth::KeyRing* keys = nullptr;  // null: bearer tokens are refused
    ApiKeyStore* api_keys = nullptr;      // null: API keys are refused
    bool allow_dev_header = false;
    auth::RateLimiter* limiter = nullptr;  // null: no rate limit
    AuditLog* audit = nullptr;             // null: no audit
    const Clock* clock = nullptr;          // required
  };

  explicit CallGate(Options options) : options_(options) {}

  // Step 2 for one call's metadata.
  absl::StatusOr<Authenticated> Authenticate(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);
  // Step 3: `who` itself, or RESOURCE_EXHAUSTED when over the limit.
  absl::StatusOr<Authenticated> Limit(const Authenticated& who);
  // Step 4. `who` is step 2's result (the caller, even when step 3 refused them).
  void AuditCall(const absl::StatusOr<Authenticated>& who, const std::string& method,
                 const std::string& object, const std::string& peer, int code);

  const Options& options() const { return options_; }

 private:
  Options options_;
};

// Adds `gate`'s interceptor to `builder` (call before BuildAndStart).
void InstallCallGate(grpc::ServerBuilder& builder, CallGate* gate);

// Whether an OK call of `method` is audited (step 4).
bool IsAuditedMethod(absl::string_view method);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_CALL_GATE_H_
