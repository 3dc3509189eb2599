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

// What the caller asks for, beyond the action itself.
struct Command {
  EventAction action = EventAction::kUnspecified;
  std::string note;
  std::string reason_code;
  std::vector<Attachment> evidence;
  std::string department_id;  // kDispatch: the department to assign
  std::string merge_into;     // kMerge: the master event
  // dq (issue 5): the fencing token of the assignment the caller acts on (from its
  // delivery or Event.assignment_token); 0 = none given. A department role quoting a
  // token other than the event's current one is refused with FAILED_PRECONDITION.
  int64_t fencing_token = 0;
};

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

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_LIFECYCLE_H_
