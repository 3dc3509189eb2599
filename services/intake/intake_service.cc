#include "services/intake/intake_service.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"

namespace zhiwang::intake {

grpc::ServerUnaryReactor* IntakeService::ReportEvent(grpc::CallbackServerContext* ctx,
                                                     const v1::ReportEventRequest* req,
                                                     v1::ReportEventResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    commands_->Report(who, FromProto(*req), [=, this](absl::StatusOr<WriteResult> r) {
      if (r.ok()) EventToProtoFor(who, r->event, resp->mutable_event());
      finish(r.status());
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::GetEvent(grpc::CallbackServerContext* ctx,
                                                  const v1::GetEventRequest* req,
                                                  v1::GetEventResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = ValidateEventId(req->event_id()); !s.ok()) return finish(s);
    bool with_timeline = req->include_timeline();
    std::string id = req->event_id();
    GetEventFor(store_, who, id, [=, this](absl::StatusOr<Event> e) {
      if (!e.ok()) return finish(e.status());
      EventToProtoFor(who, *e, resp->mutable_event());
      if (!with_timeline) return finish(absl::OkStatus());
      store_->GetTimeline(id, [=, this](absl::StatusOr<std::vector<TimelineEntry>> t) {
        if (!t.ok()) return finish(t.status());
        for (const TimelineEntry& entry : *t) ToProto(entry, resp->add_timeline());
        finish(absl::OkStatus());
      });
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::ListMyReports(grpc::CallbackServerContext* ctx,
                                                       const v1::ListMyReportsRequest* req,
                                                       v1::ListMyReportsResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    absl::StatusOr<PageRequest> page = PageFromRequest(req->page_size(), req->page_token());
    if (!page.ok()) return finish(page.status());
    std::shared_ptr<const District> district = orgs_->FindByArea(who.area);
    if (district == nullptr) {
      return finish(absl::FailedPreconditionError(
          absl::StrCat("caller's area '", who.area, "' belongs to no known district")));
    }
    store_->ListByReporter(district->id(), who.subject, *page, [=, this](absl::StatusOr<Page> p) {
      if (!p.ok()) return finish(p.status());
      // The index holds the caller's own reports; the filter is the policy's last word.
      for (const Event& e : p->events) {
        if (CanSeeEvent(who, e)) EventToProtoFor(who, e, resp->add_events());
      }
      resp->set_next_page_token(p->next_cursor);
      finish(absl::OkStatus());
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::VerifyEvent(grpc::CallbackServerContext* ctx,
                                                     const v1::VerifyEventRequest* req,
                                                     v1::EventResponse* resp) {
  Command c;
  c.action = req->passed() ? EventAction::kVerifyPass : EventAction::kVerifyFail;
  c.note = req->note();
  c.evidence = FromProto(req->evidence());
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* IntakeService::CancelEvent(grpc::CallbackServerContext* ctx,
                                                     const v1::CancelEventRequest* req,
                                                     v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kCancel;
  c.note = req->reason();
  if (c.note.empty()) {
    return RejectUnary(ctx, absl::InvalidArgumentError("reason: is required to cancel"));
  }
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* IntakeService::SelfResolveEvent(grpc::CallbackServerContext* ctx,
                                                          const v1::SelfResolveEventRequest* req,
                                                          v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kSelfResolve;
  c.note = req->note();
  c.evidence = FromProto(req->evidence());
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

}  // namespace zhiwang::intake
