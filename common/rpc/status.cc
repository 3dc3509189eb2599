#include "common/rpc/status.h"

#include <exception>

#include "common/rpc/identity.h"
#include "common/rpc/log.h"

namespace zhiwang {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

grpc::ServerUnaryReactor* HandleUnary(
    grpc::CallbackServerContext* ctx,
    const std::function<void(const Identity& who, Finish finish)>& body) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  absl::StatusOr<Identity> who = IdentityFromMetadata(ctx->client_metadata());
  if (!who.ok()) {
    reactor->Finish(ToGrpc(who.status()));
    return reactor;
  }
  Finish finish = [reactor](absl::Status s) {
    if (absl::IsInternal(s) || absl::IsDataLoss(s) || absl::IsUnknown(s)) {
      Log(LogLevel::kError, "request failed", {{"status", s.ToString()}});
    }
    reactor->Finish(ToGrpc(s));
  };
  try {
    body(*who, finish);
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "handler threw", {{"what", e.what()}});
    finish(absl::InternalError("internal error"));
  }
  return reactor;
}

}  // namespace zhiwang
