#include "services/sla/sla_service.h"

#include <future>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/status.h"
#include "services/sla/sla_convert.h"

namespace zhiwang::sla {

SlaService::SlaService(SlaEngine* engine, const Clock* clock,
                       std::map<std::string, std::vector<v1::BusinessCalendarYear>> calendars,
                       EventStore* events, const OrgRegistry* orgs)
    : engine_(engine),
      clock_(clock),
      calendars_(std::move(calendars)),
      events_(events),
      orgs_(orgs) {}

grpc::ServerUnaryReactor* SlaService::GetEventClock(grpc::CallbackServerContext* ctx,
                                                    const v1::GetEventClockRequest* req,
                                                    v1::EventClock* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = ValidateEventId(req->event_id()); !s.ok()) return finish(s);
    // auth (issue 7): the clock of an event outside the caller's scope does not exist.
    std::promise<absl::StatusOr<Event>> loaded;
    GetEventFor(events_, who, req->event_id(),
                [&loaded](absl::StatusOr<Event> e) { loaded.set_value(std::move(e)); });
    if (absl::StatusOr<Event> e = loaded.get_future().get(); !e.ok()) return finish(e.status());
    absl::StatusOr<EventClockView> c =
        engine_->Clock(DistrictOfEventId(req->event_id()), req->event_id(), clock_->Now());
    if (!c.ok()) return finish(c.status());
    const SlaRecord& r = c->record;
    resp->set_event_id(r.event_id);
    resp->set_stage(static_cast<v1::SlaStage>(r.stage));
    if (r.stage != Stage::kNone) {
      ToProto(r.deadline, resp->mutable_deadline());
      ToProto(r.stage_started, resp->mutable_stage_started());
    }
    resp->set_light(static_cast<v1::SlaLight>(c->view.light));
    resp->set_remaining_ms(absl::ToInt64Milliseconds(c->view.remaining));
    resp->set_used_share(c->view.used_share);
    resp->set_working_time(r.working_time);
    resp->set_suspended(r.suspended);
    resp->set_suspended_total_ms(absl::ToInt64Milliseconds(r.suspended_total));
    resp->set_extensions(r.extensions);
    for (int rung : r.fired_rungs) resp->add_fired_rungs(rung);
    for (const SupervisionOrder& o : r.orders) ToProto(o, resp->add_supervision_orders());
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* SlaService::ListProvisionalCalendars(
    grpc::CallbackServerContext* ctx, const v1::ListProvisionalCalendarsRequest* req,
    v1::ListProvisionalCalendarsResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity&, Finish finish) {
    std::set<std::string> seen;
    for (const auto& [district, years] : calendars_) {
      for (const v1::BusinessCalendarYear& y : years) {
        if (y.provisional() && seen.insert(y.id()).second) *resp->add_calendars() = y;
      }
    }
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* SlaService::GetCalendar(grpc::CallbackServerContext* ctx,
                                                  const v1::GetCalendarRequest* req,
                                                  v1::GetCalendarResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    auto not_found = [&] {
      return absl::NotFoundError(
          absl::StrCat("district_id: no calendar for '", req->district_id(), "'"));
    };
    // auth (issue 7): area and department roles read their own district's calendar only.
    std::shared_ptr<const District> d = orgs_->Find(req->district_id());
    bool global =
        who.role == Role::kAdmin || who.role == Role::kAuditor || who.role == Role::kSystem;
    if (!global && (d == nullptr || !CanSeeDistrict(who, *d))) return finish(not_found());
    auto it = calendars_.find(req->district_id());
    if (it == calendars_.end()) it = calendars_.find("*");
    if (it == calendars_.end()) return finish(not_found());
    for (const v1::BusinessCalendarYear& y : it->second) *resp->add_years() = y;
    finish(absl::OkStatus());
  });
}

}  // namespace zhiwang::sla
