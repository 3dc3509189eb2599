#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_H_

// Performance evaluation (定期评事): the figures of docs/evaluation.md, computed from raw
// event timelines, the district's SLA policies and its business calendar. Pure: no clock,
// no storage, no gRPC; deterministic and independent of the order of `events`.
//
// Figures of a period are "frozen at its end": only timeline entries with at < period.to
// are read, so a period's figures never change once it is over, however the events go
// on. Every figure is an exact integer count (or an exact absl::Duration); rates are
// Ratio{numerator, denominator}, so two computations can be compared with ==.
//
//   absl::StatusOr<GroupFigures> by_dept = Evaluate(events, policies, calendar,
//       MonthPeriod(absl::CivilMonth(2026, 3), calendar.time_zone()), Grouping::kDepartment);
//   Ratio on_time = (*by_dept)["water"].OnTimeRate();  // on time / (due − suspended)
//
// Thread-safe: no shared state.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/domain/event.h"
#include "services/console/evaluation_period.h"
#include "services/sla/business_calendar.h"
#include "services/sla/sla_policy.h"

namespace zhiwang::console {

// An exact rate. `denominator == 0` means "not defined" (nothing to rate), never NaN.
struct Ratio {
  int64_t numerator = 0;
  int64_t denominator = 0;

  bool defined() const { return denominator > 0; }
  // numerator / denominator, or nullopt when not defined.
  std::optional<double> value() const;
  friend bool operator==(const Ratio&, const Ratio&) = default;
};

// The figures of one group in one period. Definitions: docs/evaluation.md.
struct Figures {
  // Resolve tasks (one per run of the SLA resolve-stage clock) whose reckoning instant
  // falls in the period. suspended and overdue are subsets of due; on_time + overdue +
  // suspended == due.
  int64_t due = 0;
  int64_t suspended = 0;
  int64_t on_time = 0;
  int64_t overdue = 0;

  // Resolve tasks ended by a resolution in the period: their working handling time
  // (suspensions excluded). handling_p90 is the nearest-rank 90th percentile.
  int64_t handled = 0;
  absl::Duration handling_total;
  absl::Duration handling_p90;

  // Verifications (verify_pass / verify_fail entries) in the period; rework = the fails.
  int64_t verifications = 0;
  int64_t reworks = 0;

  // Assignments (dispatch / reassign to a department) received in the period; of them,
  // those the department rejected before the period's end; and those that gave the event
  // back to a department that had already rejected it (buck-passing, 推诿).
  int64_t assignments = 0;
  int64_t rejected_assignments = 0;
  int64_t buck_passing = 0;

  // Events accepted (立案) in the period, and of them those closed before its end, split
  // into fixed and closed-but-not-fixed (the last resolution's reason code NOT_FIXED).
  int64_t accepted = 0;
  int64_t closed_fixed = 0;
  int64_t closed_not_fixed = 0;

  // Reports by grid workers in the period, by their outcome at the period's end.
  int64_t reports = 0;
  int64_t valid_reports = 0;
  int64_t invalid_reports = 0;
  int64_t pending_reports = 0;

  Ratio OnTimeRate() const { return {on_time, due - suspended}; }
  Ratio ClosureRate() const { return {closed_fixed + closed_not_fixed, accepted}; }
  Ratio FixedRate() const { return {closed_fixed, accepted}; }
  Ratio ReworkRate() const { return {reworks, verifications}; }
  Ratio RejectionRate() const { return {rejected_assignments, assignments}; }
  Ratio ValidReportRate() const { return {valid_reports, valid_reports + invalid_reports}; }
  // The exact mean handling time is handling_total / handled; nullopt when handled == 0.
  std::optional<absl::Duration> MeanHandling() const;

  friend bool operator==(const Figures&, const Figures&) = default;
};

// One event as stored: its current fields and its whole timeline (any order; seq unique).
struct EventRecord {
  Event event;
  std::vector<TimelineEntry> timeline;
};

// Who a figure counts for.
//   kDistrict   — event.district_id (the total);
//   kDepartment — the department the figure is attributed to (docs/evaluation.md);
//                 figures with no department (reports) are left out;
//   kStreet, kCommunity — event.street_id / event.community_id;
//   kGridWorker — event.reporter.subject of events reported by a grid worker.
// Figures whose key would be "" are left out.
enum class Grouping { kDistrict, kDepartment, kStreet, kCommunity, kGridWorker };

// Group key → figures, ordered by key. Groups nothing counts for are absent.
using GroupFigures = std::map<std::string, Figures>;

// The figures of `period` per group. `events` must include every event with a timeline
// entry in the period or not settled (IsSettled: closed or terminal) at period.from (more
// is harmless).
// `policies` and `calendar` are the district's, as the SLA service uses them.
// Errors: INVALID_ARGUMENT naming the event for a timeline with a duplicate seq or an
// action number IsKnownAction rejects; NOT_FOUND when no policy covers an event's resolve
// stage; OUT_OF_RANGE from the calendar.
absl::StatusOr<GroupFigures> Evaluate(absl::Span<const EventRecord> events,
                                      const sla::PolicySet& policies,
                                      const sla::BusinessCalendar& calendar, const Period& period,
                                      Grouping grouping);

// One run of the SLA resolve-stage clock (a "resolve task", docs/evaluation.md): the work
// of one department from claim (or rework) until the event leaves the stage.
struct ResolveTask {
  int64_t stage_seq = 0;   // the SLA record's stage_seq within the replay
  std::string department;  // department_id of the entry that started it
  absl::Time start;
  absl::Time deadline;     // as the SLA service last armed it; while suspended, the one before
  bool suspended = false;  // suspended at its end, or at the cut while still open
  absl::Time suspended_since;
  absl::Time run_start;     // start of the current unsuspended run (internal)
  absl::Duration handling;  // working time of the unsuspended runs that have finished
  bool ended = false;       // left the resolve stage before the cut
  bool resolved = false;    // ...by a resolve entry
  absl::Time end_at;
};

// The resolve tasks of one event from its timeline entries with at < cut, oldest first:
// what Evaluate counts on-time, overdue, suspended and handling time from. For the query
// service's event detail and for checks against the SLA service. Errors as Evaluate.
absl::StatusOr<std::vector<ResolveTask>> ResolveTasksOf(const EventRecord& record,
                                                        const sla::PolicySet& policies,
                                                        const sla::BusinessCalendar& calendar,
                                                        absl::Time cut);

// The reason code of a resolve entry declaring the event handled but not fixed.
inline constexpr char kNotFixedReason[] = "NOT_FIXED";

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_H_
