#include "services/router/triage_service.h"

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/domain/lifecycle.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"
#include "services/router/routing_decision.h"

namespace zhiwang::router {
namespace {

absl::Status RequireDispatcher(const Identity& who) {
  if (who.role == Role::kStreetDispatcher || who.role == Role::kDistrictDispatcher) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role '", RoleName(who.role), "' may not use the triage operations"));
}

}  // namespace

grpc::ServerUnaryReactor* TriageService::ListTriage(grpc::CallbackServerContext* ctx,
                                                    const v1::ListTriageRequest* req,
                                                    v1::ListTriageResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireDispatcher(who); !s.ok()) return finish(s);
    absl::StatusOr<PageRequest> page = PageFromRequest(req->page_size(), req->page_token());
    if (!page.ok()) return finish(page.status());
    if (req->centre_id().empty())
      return finish(absl::InvalidArgumentError("centre_id: is required"));
    // auth (issue 7): only the caller's own district and centre(s); anything else is
    // answered like an unknown centre.
    std::shared_ptr<const District> d = orgs_->FindByArea(who.area);
    if (d == nullptr || (!req->district_id().empty() && req->district_id() != d->id()) ||
        !CanUseTriageCentre(who, *d, req->centre_id())) {
      return finish(absl::NotFoundError(
          absl::StrCat("centre_id: no centre '", req->centre_id(), "' for the caller")));
    }
    store_->ListTriage(d->id(), req->centre_id(), *page, [=](absl::StatusOr<Page> p) {
      if (!p.ok()) return finish(p.status());
      for (const Event& e : p->events) {
        if (CanSeeEvent(who, e)) EventToProtoFor(who, e, resp->add_events());
      }
      resp->set_next_page_token(p->next_cursor);
      finish(absl::OkStatus());
    });
  });
}

grpc::ServerUnaryReactor* TriageService::TriageAssign(grpc::CallbackServerContext* ctx,
                                                      const v1::TriageAssignRequest* req,
                                                      v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kDispatch;
  c.department_id = req->department_id();
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* TriageService::SetCoHandling(grpc::CallbackServerContext* ctx,
                                                       const v1::SetCoHandlingRequest* req,
                                                       v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kCoHandle;
  c.assisting_department_ids.assign(req->assisting_department_ids().begin(),
                                    req->assisting_department_ids().end());
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* TriageService::Recategorise(grpc::CallbackServerContext* ctx,
                                                      const v1::RecategoriseRequest* req,
                                                      v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kRecategorise;
  c.category_code = req->category_code();
  c.note = req->note();
  // The district's clock rule is recorded on the timeline for the SLA service.
  std::shared_ptr<const District> d = orgs_->Find(DistrictOfEventId(req->event_id()));
  c.reason_code = d != nullptr && d->settings().recategorise_clock == RecategoriseClock::kKeep
                      ? kClockKeep
                      : kClockRestart;
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* TriageService::MergeEvent(grpc::CallbackServerContext* ctx,
                                                    const v1::MergeEventRequest* req,
                                                    v1::EventResponse* resp) {
  if (absl::Status s = ValidateEventId(req->master_id()); !s.ok()) {
    return RejectUnary(ctx, absl::InvalidArgumentError(absl::StrCat("master_id: ", s.message())));
  }
  if (DistrictOfEventId(req->master_id()) != DistrictOfEventId(req->event_id())) {
    return RejectUnary(
        ctx, absl::InvalidArgumentError("master_id: must be an event of the same district"));
  }
  // The master must be open: a merge into a finished or merged event would hide the
  // report. Checked on a read; the merge itself is one atomic write of the follower.
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = ValidateEventId(req->event_id()); !s.ok()) return finish(s);
    GetEventFor(store_, who, req->master_id(), [=, this](absl::StatusOr<Event> master) {
      if (absl::IsNotFound(master.status())) {
        return finish(
            absl::NotFoundError(absl::StrCat("master_id: event ", req->master_id(), " not found")));
      }
      if (!master.ok()) return finish(master.status());
      if (IsTerminal(master->state) || master->state == EventState::kClosed ||
          master->state == EventState::kSelfResolved) {
        return finish(absl::FailedPreconditionError(absl::StrCat("cannot merge into ", master->id,
                                                                 ": it is in state '",
                                                                 StateName(master->state), "'")));
      }
      Command c;
      c.action = EventAction::kMerge;
      c.merge_into = req->master_id();
      c.note = req->note();
      commands_->Act(who, req->event_id(), req->client_request_id(), c,
                     [resp, finish, who](absl::StatusOr<WriteResult> r) {
                       if (r.ok()) EventToProtoFor(who, r->event, resp->mutable_event());
                       finish(r.status());
                     });
    });
  });
}

grpc::ServerUnaryReactor* TriageService::UnmergeEvent(grpc::CallbackServerContext* ctx,
                                                      const v1::UnmergeEventRequest* req,
                                                      v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kUnmerge;
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* TriageService::ListFollowers(grpc::CallbackServerContext* ctx,
                                                       const v1::ListFollowersRequest* req,
                                                       v1::ListFollowersResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireDispatcher(who); !s.ok()) return finish(s);
    if (absl::Status s = ValidateEventId(req->event_id()); !s.ok()) return finish(s);
    absl::StatusOr<PageRequest> page = PageFromRequest(req->page_size(), req->page_token());
    if (!page.ok()) return finish(page.status());
    // auth (issue 7): the master must be in scope (NOT_FOUND like a missing one), and
    // followers outside it are filtered.
    std::string id = req->event_id();
    GetEventFor(store_, who, id, [=, this](absl::StatusOr<Event> master) {
      if (!master.ok()) return finish(master.status());
      store_->ListFollowers(DistrictOfEventId(id), id, *page, [=](absl::StatusOr<Page> p) {
        if (!p.ok()) return finish(p.status());
        for (const Event& e : p->events) {
          if (CanSeeEvent(who, e)) EventToProtoFor(who, e, resp->add_events());
        }
        resp->set_next_page_token(p->next_cursor);
        finish(absl::OkStatus());
      });
    });
  });
}

grpc::ServerUnaryReactor* TriageService::ExplainRouting(grpc::CallbackServerContext* ctx,
                                                        const v1::ExplainRoutingRequest* req,
                                                        v1::ExplainRoutingResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireDispatcher(who); !s.ok()) return finish(s);
    if (absl::Status s = ValidateEventId(req->event_id()); !s.ok()) return finish(s);
    GetEventFor(store_, who, req->event_id(), [=, this](absl::StatusOr<Event> e) {
      if (!e.ok()) return finish(e.status());
      EventToProtoFor(who, *e, resp->mutable_event());
      ToProto(e->routing, resp->mutable_recorded());
      std::shared_ptr<const District> d = orgs_->Find(e->district_id);
      if (d == nullptr) {
        return finish(
            absl::UnavailableError(absl::StrCat("district ", e->district_id, " is not loaded")));
      }
      RouteResult now = RouteByRules(*d, QueryOf(*e));
      ToProto(now.explanation, resp->mutable_now());
      finish(absl::OkStatus());
    });
  });
}

}  // namespace zhiwang::router
