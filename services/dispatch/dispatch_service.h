#ifndef ZHIWANG_SERVICES_DISPATCH_DISPATCH_SERVICE_H_
#define ZHIWANG_SERVICES_DISPATCH_DISPATCH_SERVICE_H_

// gRPC adapter of zhiwang.v1.DispatchService (departments and dispatchers). Converts,
// calls EventCommands / EventStore, maps status. Rules live in common/domain.

#include <memory>

#include "absl/time/time.h"
#include "common/domain/assignment_queue.h"
#include "common/domain/event_commands.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "common/domain/webhook.h"
#include "zhiwang/v1/dispatch.grpc.pb.h"

namespace zhiwang::dispatch {

class DispatchService final : public v1::DispatchService::CallbackService {
 public:
  // All pointers outlive the service.
  DispatchService(EventCommands* commands, EventStore* store, const OrgRegistry* orgs)
      : commands_(commands), store_(store), orgs_(orgs) {}

  // A department lists its own work; dispatchers may name a department of their area
  // (access_policy.h CanUseDepartmentQueue), admins any. NOT_FOUND for a department outside
  // the caller's scope, PERMISSION_DENIED for other roles. Events are filtered by
  // CanSeeEvent and masked for the caller.
  grpc::ServerUnaryReactor* ListAssignments(grpc::CallbackServerContext* ctx,
                                            const v1::ListAssignmentsRequest* req,
                                            v1::ListAssignmentsResponse* resp) override;
  grpc::ServerUnaryReactor* ClaimEvent(grpc::CallbackServerContext* ctx,
                                       const v1::ClaimEventRequest* req,
                                       v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* AddProgress(grpc::CallbackServerContext* ctx,
                                        const v1::AddProgressRequest* req,
                                        v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* ResolveEvent(grpc::CallbackServerContext* ctx,
                                         const v1::ResolveEventRequest* req,
                                         v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* RejectEvent(grpc::CallbackServerContext* ctx,
                                        const v1::RejectEventRequest* req,
                                        v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* AssignEvent(grpc::CallbackServerContext* ctx,
                                        const v1::AssignEventRequest* req,
                                        v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* CloseEvent(grpc::CallbackServerContext* ctx,
                                       const v1::CloseEventRequest* req,
                                       v1::EventResponse* resp) override;

  // ---- dq (issue 5): defined in dispatch_queue_rpcs.cc ----
  struct QueueOptions {
    int max_unacked = 1000;                              // per department
    absl::Duration redeliver_after = absl::Seconds(30);  // idle time before redelivery
    absl::Duration poll = absl::Milliseconds(20);        // idle stream poll interval
    int batch = 50;
  };
  // Enables WatchAssignments / AckDeliveries / SendTestNotification (UNAVAILABLE
  // without). `queue` outlives the service.
  void EnableQueue(AssignmentQueue* queue, QueueOptions options) {
    queue_ = queue;
    queue_options_ = options;
  }
  // Enables the webhook admin RPCs (UNAVAILABLE without). `webhooks` outlives the service.
  void EnableWebhooks(WebhookStore* webhooks) { webhooks_ = webhooks; }
  grpc::ServerUnaryReactor* SetWebhook(grpc::CallbackServerContext* ctx,
                                       const v1::SetWebhookRequest* req,
                                       v1::WebhookConfig* resp) override;
  grpc::ServerUnaryReactor* ListDeadLetters(grpc::CallbackServerContext* ctx,
                                            const v1::WebhookListRequest* req,
                                            v1::ListDeadLettersResponse* resp) override;
  grpc::ServerUnaryReactor* ReplayDeadLetters(grpc::CallbackServerContext* ctx,
                                              const v1::WebhookListRequest* req,
                                              v1::ReplayDeadLettersResponse* resp) override;
  grpc::ServerUnaryReactor* ListWebhookAttempts(grpc::CallbackServerContext* ctx,
                                                const v1::WebhookListRequest* req,
                                                v1::ListWebhookAttemptsResponse* resp) override;
  grpc::ServerUnaryReactor* RequestExtension(grpc::CallbackServerContext* ctx,
                                             const v1::DepartmentRequest* req,
                                             v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* RequestSuspension(grpc::CallbackServerContext* ctx,
                                              const v1::DepartmentRequest* req,
                                              v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* ResumeEvent(grpc::CallbackServerContext* ctx,
                                        const v1::DepartmentRequest* req,
                                        v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* ReassignEvent(grpc::CallbackServerContext* ctx,
                                          const v1::ReassignEventRequest* req,
                                          v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* ApproveExtension(grpc::CallbackServerContext* ctx,
                                             const v1::DecisionRequest* req,
                                             v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* DenyExtension(grpc::CallbackServerContext* ctx,
                                          const v1::DecisionRequest* req,
                                          v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* ApproveSuspension(grpc::CallbackServerContext* ctx,
                                              const v1::DecisionRequest* req,
                                              v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* DenySuspension(grpc::CallbackServerContext* ctx,
                                           const v1::DecisionRequest* req,
                                           v1::EventResponse* resp) override;
  // Department systems (and dispatchers naming a department). Errors before streaming:
  // UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND (department), UNAVAILABLE (no queue).
  grpc::ServerWriteReactor<v1::Delivery>* WatchAssignments(
      grpc::CallbackServerContext* ctx, const v1::WatchAssignmentsRequest* req) override;
  grpc::ServerUnaryReactor* AckDeliveries(grpc::CallbackServerContext* ctx,
                                          const v1::AckDeliveriesRequest* req,
                                          v1::AckDeliveriesResponse* resp) override;
  grpc::ServerUnaryReactor* SendTestNotification(grpc::CallbackServerContext* ctx,
                                                 const v1::SendTestNotificationRequest* req,
                                                 v1::SendTestNotificationResponse* resp) override;

 private:
  // dq: the caller's department (or the one a dispatcher names) and its district.
  struct DepartmentScope {
    std::string district_id;
    std::string department_id;
  };
  absl::StatusOr<DepartmentScope> ScopeOf(const Identity& who, const std::string& requested) const;
  // dq: admins (any district) set a department's webhook; admins, dispatchers (departments
  // of their area) and the department itself read its attempts and dead letters and replay
  // them (auth, issue 7). NOT_FOUND for a department outside the caller's scope.
  absl::Status CheckWebhookAdmin(const Identity& who, const std::string& district,
                                 const std::string& department, bool admin_only) const;
  AssignmentQueue* queue_ = nullptr;
  WebhookStore* webhooks_ = nullptr;
  QueueOptions queue_options_;

  EventCommands* commands_;
  EventStore* store_;
  const OrgRegistry* orgs_;
};

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_DISPATCH_SERVICE_H_
