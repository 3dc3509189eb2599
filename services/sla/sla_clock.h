#ifndef ZHIWANG_SERVICES_SLA_SLA_CLOCK_H_
#define ZHIWANG_SERVICES_SLA_SLA_CLOCK_H_

// An event's stage clock and its escalation timers. Pure: takes `now` and the change,
// never reads the clock.
//
// The clock of a stage measures the stage's limit in working or natural time. It runs in
// "runs" separated by suspensions (挂账): `consumed` is the limit used by earlier runs,
// `run_started` the start of the current one, so suspended time never counts. An
// approved extension (延期) adds the policy's extension length to the limit.
//
// Every (re)computation of the clock bumps `generation`; timers carry the stage sequence
// and generation they were armed for, so a timer of a past stage or of a moved deadline
// is recognised as stale and dropped by the store instead of firing.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/sla/business_calendar.h"
#include "services/sla/sla_policy.h"

namespace zhiwang::sla {

// One entry of the change feed (keys::ChangeFeed): a committed transition.
struct Change {
  std::string event_id;
  int64_t version = 0;
  EventState state = EventState::kUnspecified;
  EventAction action = EventAction::kUnspecified;
  absl::Time at;
};

// What the clock needs to know about the event beyond the change.
struct EventFacts {
  std::string district_id;
  std::string category_code;
  Urgency urgency = Urgency::kUnspecified;
  std::string department_id;
  std::string street_id;
};

struct SupervisionOrder {
  std::string id;
  std::string event_id;
  absl::Time opened_at;
  absl::Time deadline;
  Recipient recipient = Recipient::kUnspecified;
};

// The SLA record of one event. The store adds `fired_rungs` and `orders` (written only
// by firing); everything else is written by arming.
struct SlaRecord {
  std::string event_id;
  int64_t version = 0;  // last change-feed version applied
  Stage stage = Stage::kNone;
  int64_t stage_seq = 0;
  int64_t generation = 0;
  bool working_time = true;
  absl::Duration limit;
  absl::Duration consumed;
  absl::Time run_started;  // while suspended: when the suspension began
  bool suspended = false;
  absl::Time stage_started;
  absl::Time deadline;
  // query (issue 6): when the stage's yellow share of the limit is used up (set with
  // `deadline` by arming; the console's light indexes are scored by both).
  absl::Time yellow_at;
  absl::Duration suspended_total;
  int extensions = 0;
  double yellow_share = 0.8;
  std::vector<std::string> armed_timers;  // members of the timer set armed for this record
  EventFacts facts;
  // Read-only for arming: kept by the store across re-arming within a stage.
  std::vector<int> fired_rungs;
  std::vector<SupervisionOrder> orders;
};

// A notification, as the domain sees it (zhiwang.v1.Notification).
struct Notice {
  std::string id;  // stable: "<event>:<stage>:<stage seq>:<rung>"
  NoticeKind kind = NoticeKind::kUnspecified;
  std::string district_id;
  std::string event_id;
  std::string department_id;
  std::string street_id;
  Recipient recipient = Recipient::kUnspecified;
  std::string stage;
  int rung = 0;
  absl::Time deadline;
  absl::Time fired_at;  // set by the store when it fires
  std::string message;
  std::string supervision_order_id;       // when the rung opens a supervision order
  absl::Time supervision_order_deadline;  // its deadline
};

// A timer: fire `notice` at `due` unless the record has moved on.
struct Timer {
  std::string member;  // "<event>|<stage seq>|<generation>|<rung>"
  int64_t stage_seq = 0;
  int64_t generation = 0;
  int rung = 0;
  absl::Time due;
  Notice notice;
};

// The new record and the timers to arm in place of `record.armed_timers` of the old one.
struct ArmPlan {
  SlaRecord record;
  std::vector<Timer> timers;
};

// Applies a change to the event's record (nullopt: none yet). Returns nullopt when the
// change is not newer than the record (a redelivery or an overtaken change: nothing to
// do). Rungs in `current->fired_rungs` of the same stage are not armed again.
// Errors: NOT_FOUND when no policy covers the stage; OUT_OF_RANGE from the calendar.
absl::StatusOr<std::optional<ArmPlan>> ApplyChange(const std::optional<SlaRecord>& current,
                                                   const Change& change, const EventFacts& facts,
                                                   const PolicySet& policies,
                                                   const BusinessCalendar& calendar);

enum class Light : int { kNone = 0, kGreen = 1, kYellow = 2, kRed = 3 };

struct ClockView {
  Light light = Light::kNone;
  absl::Duration used;       // limit used so far (working or natural)
  absl::Duration remaining;  // negative when overdue
  double used_share = 0;
};

// The light and remaining time of `record` at `now`.
ClockView Evaluate(const SlaRecord& record, const BusinessCalendar& calendar, absl::Time now);

// FAILED_PRECONDITION when `extensions_used` already reaches the stage policy's maximum.
absl::Status CheckExtensionAllowed(const PolicySet& policies, const Event& event);

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_CLOCK_H_
