// dq (issue 5): DispatchService RPCs of the unified dispatch queue — department and
// dispatcher operations through EventCommands::Act, WatchAssignments, acknowledgements and
// test notifications. Rules live in common/domain; see docs/dispatch-queue.md.

#include <algorithm>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/domain/reporter_masking.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/rpc/status.h"
#include "services/dispatch/dispatch_service.h"
#include "services/dispatch/watch_reactor.h"
#include "zhiwang/v1/notification.pb.h"

namespace zhiwang::dispatch {
namespace {

Command DepartmentCommand(EventAction action, const v1::DepartmentRequest& req) {
  Command c;
  c.action = action;
  c.note = req.note();
  c.fencing_token = req.fencing_token();
  return c;
}

Command Decision(EventAction action, const v1::DecisionRequest& req) {
  Command c;
  c.action = action;
  c.note = req.note();
  return c;
}

bool IsDepartmentRole(Role r) {
  return r == Role::kDepartmentOperator || r == Role::kDepartmentSystem;
}
bool IsDispatcher(Role r) { return r == Role::kStreetDispatcher || r == Role::kDistrictDispatcher; }

}  // namespace

absl::StatusOr<DispatchService::DepartmentScope> DispatchService::ScopeOf(
    const Identity& who, const std::string& requested) const {
  std::string department = requested.empty() ? who.department_id : requested;
  if (!IsDepartmentRole(who.role) && !IsDispatcher(who.role) && who.role != Role::kAdmin) {
    return absl::PermissionDeniedError(
        absl::StrCat("role '", RoleName(who.role), "' may not use department queues"));
  }
  if (department.empty()) return absl::InvalidArgumentError("department_id: is required");
  // auth (issue 7): a department outside the caller's scope is answered like an unknown one.
  std::shared_ptr<const District> district =
      IsDispatcher(who.role) ? orgs_->FindByArea(who.area) : orgs_->FindByDepartment(department);
  if (district == nullptr || !CanUseDepartmentQueue(who, *district, department)) {
    return absl::NotFoundError(
        absl::StrCat("department '", department, "' not found in the caller's district"));
  }
  return DepartmentScope{district->id(), department};
}

grpc::ServerUnaryReactor* DispatchService::RequestExtension(grpc::CallbackServerContext* ctx,
                                                            const v1::DepartmentRequest* req,
                                                            v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       DepartmentCommand(EventAction::kRequestExtension, *req), resp);
}

grpc::ServerUnaryReactor* DispatchService::RequestSuspension(grpc::CallbackServerContext* ctx,
                                                             const v1::DepartmentRequest* req,
                                                             v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       DepartmentCommand(EventAction::kRequestSuspension, *req), resp);
}

grpc::ServerUnaryReactor* DispatchService::ResumeEvent(grpc::CallbackServerContext* ctx,
                                                       const v1::DepartmentRequest* req,
                                                       v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       DepartmentCommand(EventAction::kResume, *req), resp);
}

grpc::ServerUnaryReactor* DispatchService::ReassignEvent(grpc::CallbackServerContext* ctx,
                                                         const v1::ReassignEventRequest* req,
                                                         v1::EventResponse* resp) {
  Command c;
  c.action = EventAction::kReassign;
  c.department_id = req->department_id();
  c.note = req->note();
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(), std::move(c),
                       resp);
}

grpc::ServerUnaryReactor* DispatchService::ApproveExtension(grpc::CallbackServerContext* ctx,
                                                            const v1::DecisionRequest* req,
                                                            v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       Decision(EventAction::kApproveExtension, *req), resp);
}

grpc::ServerUnaryReactor* DispatchService::DenyExtension(grpc::CallbackServerContext* ctx,
                                                         const v1::DecisionRequest* req,
                                                         v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       Decision(EventAction::kDenyExtension, *req), resp);
}

grpc::ServerUnaryReactor* DispatchService::ApproveSuspension(grpc::CallbackServerContext* ctx,
                                                             const v1::DecisionRequest* req,
                                                             v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       Decision(EventAction::kApproveSuspension, *req), resp);
}

grpc::ServerUnaryReactor* DispatchService::DenySuspension(grpc::CallbackServerContext* ctx,
                                                          const v1::DecisionRequest* req,
                                                          v1::EventResponse* resp) {
  return ActAndRespond(ctx, commands_, req->event_id(), req->client_request_id(),
                       Decision(EventAction::kDenySuspension, *req), resp);
}

grpc::ServerWriteReactor<v1::Delivery>* DispatchService::WatchAssignments(
    grpc::CallbackServerContext* ctx, const v1::WatchAssignmentsRequest* req) {
  auto refuse = [](const absl::Status& s) {
    class Refused final : public grpc::ServerWriteReactor<v1::Delivery> {
     public:
      explicit Refused(const absl::Status& s) { Finish(ToGrpc(s)); }
      void OnDone() override { delete this; }
    };
    return new Refused(s);
  };
  absl::StatusOr<Identity> who = IdentityFromMetadata(ctx->client_metadata());
  if (!who.ok()) return refuse(who.status());
  if (queue_ == nullptr) return refuse(absl::UnavailableError("the dispatch queue is not enabled"));
  absl::StatusOr<DepartmentScope> scope = ScopeOf(*who, req->department_id());
  if (!scope.ok()) return refuse(scope.status());
  std::string consumer = req->consumer().empty() ? who->subject : req->consumer();
  if (consumer.size() > 64 || consumer.find_first_of(" \t\r\n") != std::string::npos) {
    return refuse(absl::InvalidArgumentError("consumer: 1..64 characters without spaces"));
  }
  WatchSettings s;
  s.district_id = scope->district_id;
  s.department_id = scope->department_id;
  s.consumer = consumer;
  s.cursor = req->cursor();
  s.max_unacked = queue_options_.max_unacked;
  s.redeliver_after = queue_options_.redeliver_after;
  s.poll = queue_options_.poll;
  s.batch = queue_options_.batch;
  s.viewer = *who;
  return new WatchReactor(queue_, store_, std::move(s));
}

grpc::ServerUnaryReactor* DispatchService::AckDeliveries(grpc::CallbackServerContext* ctx,
                                                         const v1::AckDeliveriesRequest* req,
                                                         v1::AckDeliveriesResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (queue_ == nullptr)
      return finish(absl::UnavailableError("the dispatch queue is not enabled"));
    absl::StatusOr<DepartmentScope> scope = ScopeOf(who, req->department_id());
    if (!scope.ok()) return finish(scope.status());
    std::vector<std::string> assignments, notifications;
    for (const std::string& id : req->delivery_ids()) {
      int64_t ms, seq;
      std::string entry = id.size() > 2 ? id.substr(2) : "";
      if (!ParseEntryId(entry, &ms, &seq) ||
          !(absl::StartsWith(id, "a:") || absl::StartsWith(id, "n:"))) {
        return finish(absl::InvalidArgumentError(
            absl::StrCat("delivery_ids: '", id, "' is not a delivery id")));
      }
      (id[0] == 'a' ? assignments : notifications).push_back(entry);
    }
    // The queue port is synchronous: this blocks the handler thread for one XACK per
    // channel (a round trip), which is acceptable for acknowledgements.
    int64_t total = 0;
    for (auto [channel, ids] : {std::pair{QueueChannel::kAssignments, &assignments},
                                std::pair{QueueChannel::kNotifications, &notifications}}) {
      if (ids->empty()) continue;
      absl::StatusOr<int64_t> n =
          queue_->Ack(QueueRef{scope->district_id, scope->department_id, channel}, *ids);
      if (!n.ok()) return finish(n.status());
      total += *n;
    }
    resp->set_acknowledged(static_cast<int32_t>(total));
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* DispatchService::SendTestNotification(
    grpc::CallbackServerContext* ctx, const v1::SendTestNotificationRequest* req,
    v1::SendTestNotificationResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (queue_ == nullptr)
      return finish(absl::UnavailableError("the dispatch queue is not enabled"));
    if (who.role != Role::kAdmin && !IsDispatcher(who.role)) {
      return finish(absl::PermissionDeniedError(
          absl::StrCat("role '", RoleName(who.role), "' may not send test notifications")));
    }
    if (req->department_id().empty()) {
      return finish(absl::InvalidArgumentError("department_id: is required"));
    }
    absl::StatusOr<DepartmentScope> scope = ScopeOf(who, req->department_id());
    if (!scope.ok()) return finish(scope.status());
    thread_local std::mt19937_64 random{std::random_device{}()};
    v1::Notification& n = *resp->mutable_notification();
    n.set_id(absl::StrCat("test-", absl::Hex(random())));
    n.set_kind(v1::NOTIFICATION_KIND_TEST);
    n.set_district_id(scope->district_id);
    n.set_event_id(req->event_id());
    n.set_department_id(scope->department_id);
    n.set_recipient(v1::RECIPIENT_LEVEL_DEPARTMENT);
    n.set_message(req->message().empty() ? "test notification" : req->message());
    *n.mutable_fired_at() = ToProto(absl::Now());
    QueueEntry entry;
    entry.event_id = req->event_id().empty() ? n.id() : req->event_id();
    entry.payload = n.SerializeAsString();
    absl::StatusOr<std::string> id = queue_->Append(
        QueueRef{scope->district_id, scope->department_id, QueueChannel::kNotifications}, entry);
    finish(id.status());
  });
}

absl::Status DispatchService::CheckWebhookAdmin(const Identity& who, const std::string& district,
                                                const std::string& department,
                                                bool admin_only) const {
  if (webhooks_ == nullptr) return absl::UnavailableError("webhooks are not enabled");
  bool may = who.role == Role::kAdmin ||
             (!admin_only && (IsDispatcher(who.role) || IsDepartmentRole(who.role)));
  if (!may) {
    return absl::PermissionDeniedError(
        absl::StrCat("role '", RoleName(who.role), "' may not manage webhooks"));
  }
  if (district.empty()) return absl::InvalidArgumentError("district_id: is required");
  if (department.empty()) return absl::InvalidArgumentError("department_id: is required");
  // auth (issue 7): departments see their own webhook, dispatchers the departments of their
  // area; any other department is answered like an unknown one.
  std::shared_ptr<const District> d = orgs_->Find(district);
  if (d == nullptr || !CanUseDepartmentQueue(who, *d, department)) {
    return absl::NotFoundError(
        absl::StrCat("department '", department, "' not found in district '", district, "'"));
  }
  return absl::OkStatus();
}

namespace {
int ListLimit(int limit) { return limit <= 0 ? 100 : std::min(limit, 1000); }
}  // namespace

grpc::ServerUnaryReactor* DispatchService::SetWebhook(grpc::CallbackServerContext* ctx,
                                                      const v1::SetWebhookRequest* req,
                                                      v1::WebhookConfig* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    const v1::WebhookConfig& c = req->config();
    if (absl::Status s = CheckWebhookAdmin(who, c.district_id(), c.department_id(), true);
        !s.ok()) {
      return finish(s);
    }
    WebhookEndpoint e;
    e.district_id = c.district_id();
    e.department_id = c.department_id();
    e.url = c.url();
    e.secret = c.secret();
    e.enabled = c.enabled();
    e.max_attempts = c.max_attempts();
    e.timeout = absl::Milliseconds(c.timeout_ms());
    e.initial_backoff = absl::Milliseconds(c.initial_backoff_ms());
    e.max_backoff = absl::Milliseconds(c.max_backoff_ms());
    if (absl::Status s = ValidateEndpoint(e); !s.ok()) return finish(s);
    if (absl::Status s = webhooks_->PutEndpoint(e); !s.ok()) return finish(s);
    *resp = c;
    resp->clear_secret();  // never returned
    resp->set_max_attempts(e.max_attempts);
    resp->set_timeout_ms(static_cast<int32_t>(absl::ToInt64Milliseconds(e.timeout)));
    resp->set_initial_backoff_ms(
        static_cast<int32_t>(absl::ToInt64Milliseconds(e.initial_backoff)));
    resp->set_max_backoff_ms(static_cast<int32_t>(absl::ToInt64Milliseconds(e.max_backoff)));
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* DispatchService::ListDeadLetters(grpc::CallbackServerContext* ctx,
                                                           const v1::WebhookListRequest* req,
                                                           v1::ListDeadLettersResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = CheckWebhookAdmin(who, req->district_id(), req->department_id(), false);
        !s.ok()) {
      return finish(s);
    }
    auto list = webhooks_->ListDeadLetters(req->district_id(), req->department_id(),
                                           ListLimit(req->limit()));
    if (!list.ok()) return finish(list.status());
    for (const DeadLetterRecord& d : *list) {
      v1::DeadLetter* p = resp->add_dead_letters();
      p->set_delivery_id(d.delivery_id);
      p->set_event_id(d.event_id);
      p->set_attempts(d.attempts);
      p->set_last_error(d.last_error);
      p->set_body(d.body);
    }
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* DispatchService::ReplayDeadLetters(grpc::CallbackServerContext* ctx,
                                                             const v1::WebhookListRequest* req,
                                                             v1::ReplayDeadLettersResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = CheckWebhookAdmin(who, req->district_id(), req->department_id(), false);
        !s.ok()) {
      return finish(s);
    }
    auto n = webhooks_->ReplayDeadLetters(req->district_id(), req->department_id());
    if (!n.ok()) return finish(n.status());
    resp->set_replayed(static_cast<int32_t>(*n));
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* DispatchService::ListWebhookAttempts(
    grpc::CallbackServerContext* ctx, const v1::WebhookListRequest* req,
    v1::ListWebhookAttemptsResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = CheckWebhookAdmin(who, req->district_id(), req->department_id(), false);
        !s.ok()) {
      return finish(s);
    }
    auto list =
        webhooks_->ListAttempts(req->district_id(), req->department_id(), ListLimit(req->limit()));
    if (!list.ok()) return finish(list.status());
    for (const WebhookAttemptRecord& a : *list) {
      v1::WebhookAttempt* p = resp->add_attempts();
      p->set_delivery_id(a.delivery_id);
      p->set_event_id(a.event_id);
      p->set_attempt(a.attempt);
      p->set_http_status(a.http_status);
      p->set_error(a.error);
      p->set_latency_us(a.latency_us);
      p->set_at_unix_ms(a.at_unix_ms);
    }
    finish(absl::OkStatus());
  });
}

}  // namespace zhiwang::dispatch
