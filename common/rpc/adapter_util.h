#ifndef ZHIWANG_COMMON_RPC_ADAPTER_UTIL_H_
#define ZHIWANG_COMMON_RPC_ADAPTER_UTIL_H_

// Small pieces every gRPC adapter repeats: applying a lifecycle command and answering
// with the event, paging parameters, event id checks.

#include <string>

#include "absl/status/statusor.h"
#include "common/domain/event_commands.h"
#include "grpcpp/grpcpp.h"
#include "zhiwang/v1/intake.pb.h"

namespace zhiwang {

// Page sizes: 1..kMaxPageSize, 0 means kDefaultPageSize.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// INVALID_ARGUMENT naming page_size / page_token.
absl::StatusOr<PageRequest> PageFromRequest(int page_size, const std::string& page_token);

// INVALID_ARGUMENT naming event_id when empty or not shaped like an event id.
absl::Status ValidateEventId(const std::string& event_id);

// Runs commands->Act for the caller and answers with the resulting event.
grpc::ServerUnaryReactor* ActAndRespond(grpc::CallbackServerContext* ctx, EventCommands* commands,
                                        const std::string& event_id,
                                        const std::string& client_request_id, Command command,
                                        v1::EventResponse* resp);

// ---- auth (issue 7)
// `event` as `who` may see it (reporter contact masked by role, reporter_masking.h), in
// proto. Every response that carries an event goes through this.
void EventToProtoFor(const Identity& who, Event event, v1::Event* out);

// Reads event `event_id` for `who`: NOT_FOUND with the same message (EventNotFound) when it
// is missing or outside the caller's scope (CanSeeEvent); other store errors as they come.
void GetEventFor(EventStore* store, const Identity& who, const std::string& event_id,
                 Done<Event> done);

// Finishes the call at once with `status` (for requests refused before any work).
grpc::ServerUnaryReactor* RejectUnary(grpc::CallbackServerContext* ctx, const absl::Status& status);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_ADAPTER_UTIL_H_
