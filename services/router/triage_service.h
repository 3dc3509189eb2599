#ifndef ZHIWANG_SERVICES_ROUTER_TRIAGE_SERVICE_H_
#define ZHIWANG_SERVICES_ROUTER_TRIAGE_SERVICE_H_

// gRPC adapter of zhiwang.v1.TriageService (issue 3): dispatchers' operations on routing
// — the triage queues of the dispatch centres, adjudication (an assignment of an event
// waiting for adjudication is binding: see lifecycle ApplyCommand), co-handling,
// recategorisation, manual merge/unmerge and routing explanations. The rules live in the
// domain (lifecycle table, EventCommands, RouteByRules); this converts and checks roles.
// Errors: PERMISSION_DENIED for callers who are not dispatchers; INVALID_ARGUMENT naming
// the field; NOT_FOUND for unknown events; FAILED_PRECONDITION naming the state.

#include "common/domain/event_commands.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "zhiwang/v1/triage.grpc.pb.h"

namespace zhiwang::router {

class TriageService final : public v1::TriageService::CallbackService {
 public:
  // Pointers outlive the service.
  TriageService(const OrgRegistry* orgs, EventStore* store, EventCommands* commands)
      : orgs_(orgs), store_(store), commands_(commands) {}

  grpc::ServerUnaryReactor* ListTriage(grpc::CallbackServerContext* ctx,
                                       const v1::ListTriageRequest* req,
                                       v1::ListTriageResponse* resp) override;
  grpc::ServerUnaryReactor* TriageAssign(grpc::CallbackServerContext* ctx,
                                         const v1::TriageAssignRequest* req,
                                         v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* SetCoHandling(grpc::CallbackServerContext* ctx,
                                          const v1::SetCoHandlingRequest* req,
                                          v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* Recategorise(grpc::CallbackServerContext* ctx,
                                         const v1::RecategoriseRequest* req,
                                         v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* MergeEvent(grpc::CallbackServerContext* ctx,
                                       const v1::MergeEventRequest* req,
                                       v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* UnmergeEvent(grpc::CallbackServerContext* ctx,
                                         const v1::UnmergeEventRequest* req,
                                         v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* ListFollowers(grpc::CallbackServerContext* ctx,
                                          const v1::ListFollowersRequest* req,
                                          v1::ListFollowersResponse* resp) override;
  grpc::ServerUnaryReactor* ExplainRouting(grpc::CallbackServerContext* ctx,
                                           const v1::ExplainRoutingRequest* req,
                                           v1::ExplainRoutingResponse* resp) override;

 private:
  const OrgRegistry* orgs_;
  EventStore* store_;
  EventCommands* commands_;
};

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_TRIAGE_SERVICE_H_
