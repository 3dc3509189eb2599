#ifndef ZHIWANG_SERVICES_SLA_SLA_SERVICE_H_
#define ZHIWANG_SERVICES_SLA_SLA_SERVICE_H_

// gRPC adapter of zhiwang.v1.SlaService: proto ⇄ domain, no rules. Reads block on Redis
// (small, rare console reads). auth (issue 7): GetEventClock answers only for events in the
// caller's scope (access_policy.h CanSeeEvent; NOT_FOUND like a missing event), GetCalendar
// only for districts the caller may see (CanSeeDistrict; NOT_FOUND like a missing
// calendar); ListProvisionalCalendars (which calendar years are provisional) to anyone
// identified.

#include <map>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "services/sla/sla_engine.h"
#include "zhiwang/v1/sla.grpc.pb.h"

namespace zhiwang::sla {

class SlaService final : public v1::SlaService::CallbackService {
 public:
  // `calendars`: the calendar years loaded per district ("*" = fallback). `events` and
  // `orgs` give the scope checks. Pointers outlive the service.
  SlaService(SlaEngine* engine, const Clock* clock,
             std::map<std::string, std::vector<v1::BusinessCalendarYear>> calendars,
             EventStore* events, const OrgRegistry* orgs);

  grpc::ServerUnaryReactor* GetEventClock(grpc::CallbackServerContext* ctx,
                                          const v1::GetEventClockRequest* req,
                                          v1::EventClock* resp) override;
  grpc::ServerUnaryReactor* ListProvisionalCalendars(
      grpc::CallbackServerContext* ctx, const v1::ListProvisionalCalendarsRequest* req,
      v1::ListProvisionalCalendarsResponse* resp) override;
  grpc::ServerUnaryReactor* GetCalendar(grpc::CallbackServerContext* ctx,
                                        const v1::GetCalendarRequest* req,
                                        v1::GetCalendarResponse* resp) override;

 private:
  SlaEngine* engine_;
  const Clock* clock_;
  std::map<std::string, std::vector<v1::BusinessCalendarYear>> calendars_;
  EventStore* events_;
  const OrgRegistry* orgs_;
};

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_SERVICE_H_
