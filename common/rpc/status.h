#ifndef ZHIWANG_COMMON_RPC_STATUS_H_
#define ZHIWANG_COMMON_RPC_STATUS_H_

// The one mapping from absl::Status to grpc::Status (codes are numerically identical),
// and the helper every unary handler uses to finish its reactor.

#include <functional>

#include "absl/status/status.h"
#include "common/domain/event.h"
#include "grpcpp/grpcpp.h"

namespace zhiwang {

grpc::Status ToGrpc(const absl::Status& status);

// Starts a unary call: reads the caller's identity (UNAUTHENTICATED when missing or
// malformed) and runs `body` with it and a `finish` callback that must be called exactly
// once (from any thread). Exceptions from `body` are caught and reported as INTERNAL.
//
//   return HandleUnary(ctx, [=](const Identity& who, Finish finish) {
//     commands_->Act(who, ..., [=](absl::StatusOr<WriteResult> r) { ...; finish(s); });
//   });
using Finish = std::function<void(absl::Status)>;
grpc::ServerUnaryReactor* HandleUnary(
    grpc::CallbackServerContext* ctx,
    const std::function<void(const Identity& who, Finish finish)>& body);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_STATUS_H_
