#ifndef ZHIWANG_COMMON_RPC_IDENTITY_H_
#define ZHIWANG_COMMON_RPC_IDENTITY_H_

// The one place that turns call metadata into the caller's Identity.
//
// Development form (until verified tokens replace it): one header
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

// UNAUTHENTICATED when the header is missing or malformed (the message says why).
absl::StatusOr<Identity> IdentityFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

// Parses the header's value (exposed for tests and clients).
absl::StatusOr<Identity> ParseDevIdentity(absl::string_view value);
// Formats an identity as the header's value.
std::string FormatDevIdentity(const Identity& who);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_IDENTITY_H_
