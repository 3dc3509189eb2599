#ifndef ZHIWANG_SERVICES_DISPATCH_DISPATCH_SERVICE_H_
#define ZHIWANG_SERVICES_DISPATCH_DISPATCH_SERVICE_H_

// gRPC adapter of zhiwang.v1.DispatchService (departments and dispatchers). Converts,
// calls EventCommands / EventStore, maps status. Rules live in common/domain.

#include "common/domain/event_commands.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "zhiwang/v1/dispatch.grpc.pb.h"

namespace zhiwang::dispatch {

class DispatchService final : public v1::DispatchService::CallbackService {
 public:
  // All pointers outlive the service.
  DispatchService(EventCommands* commands, EventStore* store, const OrgRegistry* orgs)
      : commands_(commands), store_(store), orgs_(orgs) {}

  // A department lists its own work; dispatchers may name any department of their
  // district (NOT_FOUND for a department outside it; PERMISSION_DENIED for other roles).
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

 private:
  EventCommands* commands_;
  EventStore* store_;
  const OrgRegistry* orgs_;
};

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_DISPATCH_SERVICE_H_
