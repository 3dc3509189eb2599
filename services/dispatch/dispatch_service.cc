#include "services/dispatch/dispatch_service.h"

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"

namespace zhiwang::dispatch {

grpc::ServerUnaryReactor* DispatchService::ListAssignments(grpc::CallbackServerContext* ctx,
                                                           const v1::ListAssignmentsRequest* req,
                                                           v1::ListAssignmentsResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    absl::StatusOr<PageRequest> page = PageFromRequest(req->page_size(), req->page_token());
    if (!page.ok()) return finish(page.status());
    absl::StatusOr<DepartmentScope> scope = ScopeOf(who, req->department_id());
    if (!scope.ok()) return finish(scope.status());
    store_->ListByDepartment(scope->district_id, scope->department_id, *page,
                             [=, this](absl::StatusOr<Page> p) {
                               if (!p.ok()) return finish(p.status());
                               // auth (issue 7): a street dispatcher sees only their street's
                               // events of the queue.
                               for (const Event& e : p->events) {
                                 if (CanSeeEvent(who, e))
                                   EventToProtoFor(who, e, resp->add_events());
                               }
                               resp->set_next_page_token(p->next_cursor);
                               finish(absl::OkStatus());
                             });
  });
}

grpc::ServerUnaryReactor* DispatchService::ClaimEvent(grpc::CallbackServerContext* ctx,
                                                      const v1::ClaimEventRequest* req,
                                                      v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kClaim;
  c.fencing_token = req->fencing_token();  // dq
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* DispatchService::AddProgress(grpc::CallbackServerContext* ctx,
                                                       const v1::AddProgressRequest* req,
                                                       v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kAddProgress;
  c.fencing_token = req->fencing_token();  // dq
  c.note = req->note();
  c.evidence = FromProto(req->evidence());
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* DispatchService::ResolveEvent(grpc::CallbackServerContext* ctx,
                                                        const v1::ResolveEventRequest* req,
                                                        v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kResolve;
  c.fencing_token = req->fencing_token();  // dq
  c.note = req->note();
  c.reason_code = req->reason_code();  // feed (issue 6): FIXED / NOT_FIXED
  c.evidence = FromProto(req->evidence());
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* DispatchService::RejectEvent(grpc::CallbackServerContext* ctx,
                                                       const v1::RejectEventRequest* req,
                                                       v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kReject;
  c.fencing_token = req->fencing_token();  // dq
  c.reason_code = req->reason_code();
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* DispatchService::AssignEvent(grpc::CallbackServerContext* ctx,
                                                       const v1::AssignEventRequest* req,
                                                       v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kDispatch;
  c.department_id = req->department_id();
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* DispatchService::CloseEvent(grpc::CallbackServerContext* ctx,
                                                      const v1::CloseEventRequest* req,
                                                      v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kClose;
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

}  // namespace zhiwang::dispatch
