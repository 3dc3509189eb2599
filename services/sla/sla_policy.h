#ifndef ZHIWANG_SERVICES_SLA_SLA_POLICY_H_
#define ZHIWANG_SERVICES_SLA_SLA_POLICY_H_

// Time-limit policies (处置时限) per category × urgency × stage, with their escalation
// ladders, extension rules and yellow share. Pure; immutable after Create (thread-safe).
//
// Lookup falls back from the most specific entry: the exact category code, then its
// major class (the first two digits), then the default (""); within each, an entry for
// the exact urgency before one for any urgency (Urgency::kUnspecified).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "services/sla/business_calendar.h"

namespace zhiwang::sla {

// A stage of an event's life that has a time limit. Numbers equal zhiwang.v1.SlaStage.
enum class Stage : int {
  kNone = 0,
  kAccept = 1,
  kDispatch = 2,
  kClaim = 3,
  kResolve = 4,
  kVerify = 5
};
inline constexpr int kMaxStage = 5;

// "accept", "dispatch", "claim", "resolve", "verify" ("" for kNone).
absl::string_view StageName(Stage s);

// The stage whose clock runs while an event is in `state` (kResolve for a suspended event:
// its clock is stopped, not ended); kNone when no clock runs.
Stage StageOfState(EventState state);

// Numbers equal zhiwang.v1.TimeUnit.
enum class TimeUnit : int {
  kUnspecified = 0,
  kWorkingHours = 1,
  kWorkingDays = 2,
  kNaturalHours = 3,
  kNaturalMinutes = 4,
  kNaturalSeconds = 5,
  kWorkingMinutes = 6,
};
inline constexpr int kMaxTimeUnit = 6;

struct TimeAmount {
  TimeUnit unit = TimeUnit::kUnspecified;
  double amount = 0;

  bool working() const {
    return unit == TimeUnit::kWorkingHours || unit == TimeUnit::kWorkingDays ||
           unit == TimeUnit::kWorkingMinutes;
  }
  // The amount as a duration of working time (working units; a working day is the
  // calendar's WorkingDayLength) or natural time.
  absl::Duration ToDuration(const BusinessCalendar& cal) const;
};

// `d` of working (working=true) or natural time after `from`.
absl::StatusOr<absl::Time> AddTime(const BusinessCalendar& cal, bool working, absl::Time from,
                                   absl::Duration d);
// Working or natural time in [a, b).
absl::Duration TimeBetween(const BusinessCalendar& cal, bool working, absl::Time a, absl::Time b);

// Numbers equal zhiwang.v1.RecipientLevel and zhiwang.v1.NotificationKind.
enum class Recipient : int {
  kUnspecified = 0,
  kDepartment = 1,
  kDepartmentLeader = 2,
  kStreetDispatchCentre = 3,
  kDistrictDispatchCentre = 4,
};
inline constexpr int kMaxRecipient = 4;
enum class NoticeKind : int {
  kUnspecified = 0,
  kWarning = 1,
  kOverdue = 2,
  kEscalation = 3,
  kSupervisionOrder = 4,
  kTest = 5,
};
inline constexpr int kMaxNoticeKind = 5;

// A rung of the ladder: at a share of the limit, or at an offset after the deadline.
struct Rung {
  double share_of_limit = 0;                 // used when after_deadline is unset
  std::optional<TimeAmount> after_deadline;  // e.g. +1 working day
  Recipient recipient = Recipient::kDepartment;
  NoticeKind kind = NoticeKind::kWarning;
  bool opens_supervision_order = false;
  TimeAmount supervision_limit;  // the order's own limit
};

// One entry of a policy file. Unset optional parts take the set's defaults.
struct PolicyEntry {
  std::string category;  // "0101", "01" or ""
  Urgency urgency = Urgency::kUnspecified;
  Stage stage = Stage::kNone;
  TimeAmount limit;
  std::vector<Rung> ladder;
  std::optional<int> max_extensions;
  std::optional<TimeAmount> extension_length;
  std::optional<double> yellow_share;
};

struct PolicyDefaults {
  std::vector<Rung> ladder;
  double yellow_share = 0.8;
  int max_extensions = 1;
  TimeAmount extension_length{TimeUnit::kWorkingDays, 1};
};

// The resolved policy for one event's stage.
struct StagePolicy {
  TimeAmount limit;
  std::vector<Rung> ladder;
  int max_extensions = 0;
  TimeAmount extension_length;
  double yellow_share = 0.8;
};

class PolicySet {
 public:
  // INVALID_ARGUMENT (naming the field) for: a stage kNone, a limit not > 0 or without a
  // unit, a rung with share outside (0, 10] and no offset, a yellow share outside (0, 1),
  // two entries for the same (category, urgency, stage).
  static absl::StatusOr<PolicySet> Create(std::vector<PolicyEntry> entries,
                                          PolicyDefaults defaults);

  // NOT_FOUND when no entry (not even a default) covers the stage.
  absl::StatusOr<StagePolicy> Find(absl::string_view category, Urgency urgency, Stage stage) const;

 private:
  std::vector<PolicyEntry> entries_;
  PolicyDefaults defaults_;
};

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_POLICY_H_
