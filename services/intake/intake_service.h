#ifndef ZHIWANG_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define ZHIWANG_SERVICES_INTAKE_INTAKE_SERVICE_H_

// gRPC adapter of zhiwang.v1.IntakeService: converts messages, calls EventCommands /
// EventStore, maps status. No rules here: they live in common/domain.

#include "common/domain/event_commands.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "zhiwang/v1/intake.grpc.pb.h"

namespace zhiwang::intake {

class IntakeService final : public v1::IntakeService::CallbackService {
 public:
  // All pointers outlive the service.
  IntakeService(EventCommands* commands, EventStore* store, const OrgRegistry* orgs)
      : commands_(commands), store_(store), orgs_(orgs) {}

  grpc::ServerUnaryReactor* ReportEvent(grpc::CallbackServerContext* ctx,
                                        const v1::ReportEventRequest* req,
                                        v1::ReportEventResponse* resp) override;
  grpc::ServerUnaryReactor* GetEvent(grpc::CallbackServerContext* ctx,
                                     const v1::GetEventRequest* req,
                                     v1::GetEventResponse* resp) override;
  grpc::ServerUnaryReactor* ListMyReports(grpc::CallbackServerContext* ctx,
                                          const v1::ListMyReportsRequest* req,
                                          v1::ListMyReportsResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyEvent(grpc::CallbackServerContext* ctx,
                                        const v1::VerifyEventRequest* req,
                                        v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* CancelEvent(grpc::CallbackServerContext* ctx,
                                        const v1::CancelEventRequest* req,
                                        v1::EventResponse* resp) override;
  grpc::ServerUnaryReactor* SelfResolveEvent(grpc::CallbackServerContext* ctx,
                                             const v1::SelfResolveEventRequest* req,
                                             v1::EventResponse* resp) override;

 private:
  EventCommands* commands_;
  EventStore* store_;
  const OrgRegistry* orgs_;
};

}  // namespace zhiwang::intake

#endif  // ZHIWANG_SERVICES_INTAKE_INTAKE_SERVICE_H_
