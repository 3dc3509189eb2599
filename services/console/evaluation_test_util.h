#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_TEST_UTIL_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_TEST_UTIL_H_

// Builds events with timelines for the evaluation tests: each step appends one timeline
// entry (seq = previous + 1, from_state = the previous to_state) and updates the event.

#include <string>
#include <utility>

#include "services/console/evaluation.h"

namespace zhiwang::console::testing {

class EventBuilder {
 public:
  EventBuilder(std::string id, std::string street, std::string community, std::string reporter,
               Role reporter_role = Role::kGridWorker) {
    r_.event.id = std::move(id);
    r_.event.district_id = "d1";
    r_.event.street_id = std::move(street);
    r_.event.community_id = std::move(community);
    r_.event.category_code = "0101";
    r_.event.urgency = Urgency::kNormal;
    r_.event.reporter.subject = std::move(reporter);
    r_.event.reporter.role = reporter_role;
  }

  // `department`: the event's department after the step ("" keeps the current one, except
  // for reject, which clears it); `actor_department`: the acting department, if any.
  EventBuilder& Step(absl::Time at, EventAction action, EventState to,
                     const std::string& department = "", const std::string& actor_department = "",
                     const std::string& reason = "") {
    TimelineEntry t;
    t.seq = static_cast<int64_t>(r_.timeline.size()) + 1;
    t.at = at;
    t.action = action;
    t.from_state = r_.event.state;
    t.to_state = to;
    if (!department.empty()) r_.event.department_id = department;
    if (action == EventAction::kReject) r_.event.department_id.clear();
    t.department_id = r_.event.department_id;
    t.actor_department_id = actor_department;
    t.reason_code = reason;
    r_.event.state = to;
    r_.event.version = t.seq;
    r_.timeline.push_back(std::move(t));
    return *this;
  }

  // report → accept → dispatch to `department` → claim, at the four instants.
  EventBuilder& UpToClaim(absl::Time report, absl::Time accept, absl::Time dispatch,
                          absl::Time claim, const std::string& department) {
    Step(report, EventAction::kReport, EventState::kReported);
    Step(accept, EventAction::kAccept, EventState::kAccepted);
    Step(dispatch, EventAction::kDispatch, EventState::kDispatched, department);
    return Step(claim, EventAction::kClaim, EventState::kClaimed, "", department);
  }

  EventRecord Build() const { return r_; }

 private:
  EventRecord r_;
};

}  // namespace zhiwang::console::testing

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_TEST_UTIL_H_
