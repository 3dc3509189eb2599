#ifndef ZHIWANG_COMMON_DOMAIN_LIFECYCLE_H_
#define ZHIWANG_COMMON_DOMAIN_LIFECYCLE_H_

// The event lifecycle as one table: state × action → next state, the roles allowed, and
// which party of those roles may act. Pure: no clock, no storage.

#include <bitset>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace zhiwang {

// Beyond the role, who of that role may act on a given event.
enum class Party {
  kAnyone,              // any caller holding an allowed role
  kAssignedDepartment,  // department roles must belong to the event's department
  kReporter,            // grid workers / community staff must be the reporter
};

using RoleSet = std::bitset<kMaxRole + 1>;

struct TransitionRule {
  EventState from;
  EventAction action;
  EventState to;
  RoleSet roles;
  Party party;
};

// Every allowed (state, action) pair. Pairs not in the table are refused.
std::span<const TransitionRule> TransitionTable();

// The rule for (from, action), or nullptr when that action is not allowed in that state.
const TransitionRule* FindRule(EventState from, EventAction action);

// True for states no action leaves (except evaluation of closed events).
bool IsTerminal(EventState s);
// True once the handling is over: closed (结案) or terminal. From here only an evaluation of a
// closed event may follow, and it changes no figure of docs/evaluation.md; an unmerge is
// the one way back (MERGED is terminal). The closure index (zw:{D}:ix:q:closed) holds the
// settled events by the time they settled.
bool IsSettled(EventState s);

// What the caller asks for, beyond the action itself.
struct Command {
  EventAction action = EventAction::kUnspecified;
  std::string note;
  std::string reason_code;
  std::vector<Attachment> evidence;
  std::string department_id;  // kDispatch: the department to assign
  std::string merge_into;     // kMerge: the master event
  // ---- org (issue 3)
  RoutingExplanation routing;    // kDispatch / kTriage by the router: why
  std::string triage_centre_id;  // kTriage: the centre whose queue takes the event
  std::string category_code;     // kRecategorise: the new category
  std::vector<std::string> assisting_department_ids;  // kCoHandle
  // dq (issue 5): the fencing token of the assignment the caller acts on (from its
  // delivery or Event.assignment_token); 0 = none given. A department role quoting a
  // token other than the event's current one is refused with FAILED_PRECONDITION.
  int64_t fencing_token = 0;
};

// org (issue 3): the reason codes a department may give for a rejection (退单),
// matched case-insensitively; anything else is INVALID_ARGUMENT naming reason_code.
// Documented in docs/routing.md.
inline constexpr const char* kRejectReasonCodes[] = {
    "NOT_OUR_JURISDICTION",     "WRONG_DEPARTMENT", "WRONG_CATEGORY", "WRONG_LOCATION", "DUPLICATE",
    "INSUFFICIENT_INFORMATION", "NOT_A_PROBLEM",    "OTHER"};
bool IsRejectReasonCode(absl::string_view code);

// feed (issue 6): the reason codes of a resolution (处置反馈), matched case-insensitively:
// FIXED (also when empty) and NOT_FIXED (handled but not fixed: explained, not repairable;
// counted apart by the evaluation, docs/evaluation.md). Anything else is INVALID_ARGUMENT
// naming reason_code. Documented in docs/lifecycle.md.
inline constexpr const char* kResolveReasonCodes[] = {"FIXED", "NOT_FIXED"};
bool IsResolveReasonCode(absl::string_view code);

// org (issue 3): reason codes of kTriage (on the timeline entry).
inline constexpr char kTriageNoRule[] = "no_rule";
inline constexpr char kTriageAdjudication[] = "adjudication";
// org (issue 3): reason codes of kRecategorise: what the SLA service does with the clock
// (the district's recategorise_clock setting).
inline constexpr char kClockRestart[] = "clock_restart";
inline constexpr char kClockKeep[] = "clock_keep";

struct TransitionOutcome {
  Event event;          // the event after the transition (version + 1)
  TimelineEntry entry;  // the timeline entry recording it (seq is set by the store)
};

// Applies `command` by `who` to `current` at `now`.
// Errors:
//   FAILED_PRECONDITION — the action is not allowed in the current state (the message
//                         names the state), or a pending request is missing/duplicate;
//   PERMISSION_DENIED   — the role may not take this action, or the caller is not the
//                         party the rule requires (e.g. another department);
//   INVALID_ARGUMENT    — a parameter the action needs is missing (names the field).
// dq (issue 5): also FAILED_PRECONDITION for a department role quoting a stale fencing
// token, or acting on work another subject has claimed. The outcome carries a new
// assignment_token whenever the event enters a department's queue (see
// docs/dispatch-queue.md). Committed with the version check, so both checks are part of
// the atomic transition.
absl::StatusOr<TransitionOutcome> ApplyCommand(const Event& current, const Identity& who,
                                               const Command& command, absl::Time now);

// Where the event should be queued after reaching its state.
enum class WorkQueue { kNone, kRouter, kDepartment };
WorkQueue NextWorkQueue(const Event& event);

// The department currently holding the event as work (for its assignment index), or ""
// when it is not with a department.
std::string HoldingDepartment(const Event& event);

// org (issue 3): the dispatch centre whose triage queue holds the event (accepted or
// rejected with triage_centre_id set), or "".
std::string TriageCentre(const Event& event);
// org (issue 3): whether a transition sends an accepted or rejected event back to the
// router although NextWorkQueue would not queue it for its state: it left a triage queue
// (recategorised) or a merge (unmerged). Stores then queue it for the router.
bool RoutedAgain(const Event& before, const Event& after);
// org (issue 3): the master of a merged event (for the followers index), or "".
std::string MasterOf(const Event& event);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_LIFECYCLE_H_
