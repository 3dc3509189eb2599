#include "common/rpc/adapter_util.h"

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/domain/reporter_masking.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"

namespace zhiwang {

absl::StatusOr<PageRequest> PageFromRequest(int page_size, const std::string& page_token) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: must be within 0..", kMaxPageSize));
  }
  if (page_token.size() > 200) {
    return absl::InvalidArgumentError("page_token: is not a token this service issued");
  }
  return PageRequest{page_size == 0 ? kDefaultPageSize : page_size, page_token};
}

absl::Status ValidateEventId(const std::string& event_id) {
  if (event_id.empty()) return absl::InvalidArgumentError("event_id: is required");
  if (event_id.size() > 64 || DistrictOfEventId(event_id).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event_id: '", event_id.substr(0, 64), "' is not an event id"));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* ActAndRespond(grpc::CallbackServerContext* ctx, EventCommands* commands,
                                        const std::string& event_id,
                                        const std::string& client_request_id, Command command,
                                        v1::EventResponse* resp) {
  return HandleUnary(ctx, [&](const Identity& who, Finish finish) {
    if (absl::Status s = ValidateEventId(event_id); !s.ok()) return finish(s);
    commands->Act(who, event_id, client_request_id, command,
                  [resp, finish, who](absl::StatusOr<WriteResult> r) {
                    if (r.ok()) EventToProtoFor(who, r->event, resp->mutable_event());
                    finish(r.status());
                  });
  });
}

void EventToProtoFor(const Identity& who, Event event, v1::Event* out) {
  MaskReporterFor(who, event);
  ToProto(event, out);
}

void GetEventFor(EventStore* store, const Identity& who, const std::string& event_id,
                 Done<Event> done) {
  store->Get(event_id, [who, event_id, done = std::move(done)](absl::StatusOr<Event> e) {
    if (absl::IsNotFound(e.status()) || (e.ok() && !CanSeeEvent(who, *e))) {
      return done(EventNotFound(event_id));
    }
    done(std::move(e));
  });
}

grpc::ServerUnaryReactor* RejectUnary(grpc::CallbackServerContext* ctx,
                                      const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpc(status));
  return reactor;
}

}  // namespace zhiwang
