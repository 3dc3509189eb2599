#include "common/domain/lifecycle.h"

#include <algorithm>
#include <initializer_list>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace zhiwang {
namespace {

using S = EventState;
using A = EventAction;
using R = Role;

RoleSet Roles(std::initializer_list<Role> roles) {
  RoleSet set;
  for (Role r : roles) set.set(static_cast<int>(r));
  return set;
}

const RoleSet kDispatchers = Roles({R::kStreetDispatcher, R::kDistrictDispatcher});
const RoleSet kDispatchersAndSystem =
    Roles({R::kStreetDispatcher, R::kDistrictDispatcher, R::kSystem});
const RoleSet kDepartment = Roles({R::kDepartmentOperator, R::kDepartmentSystem});
const RoleSet kReporters = Roles({R::kGridWorker, R::kCommunityStaff});
const RoleSet kReportersAndDispatchers =
    Roles({R::kGridWorker, R::kCommunityStaff, R::kStreetDispatcher, R::kDistrictDispatcher});
const RoleSet kDepartmentAndDispatchers = Roles(
    {R::kDepartmentOperator, R::kDepartmentSystem, R::kStreetDispatcher, R::kDistrictDispatcher});
const RoleSet kSystemOnly = Roles({R::kSystem});
const RoleSet kEvaluators = Roles({R::kStreetDispatcher, R::kDistrictDispatcher, R::kLeader});

// The whole lifecycle. Side roads (cancel, merge, self-resolve) are open only before a
// department has committed to the work; after that only a dispatcher can cancel.
const std::vector<TransitionRule>& Table() {
  static const auto* table = new std::vector<TransitionRule>{
      // reported
      {S::kReported, A::kAccept, S::kAccepted, kDispatchersAndSystem, Party::kAnyone},
      {S::kReported, A::kNotAccept, S::kNotAccepted, kDispatchersAndSystem, Party::kAnyone},
      {S::kReported, A::kSelfResolve, S::kSelfResolved, kReporters, Party::kReporter},
      {S::kReported, A::kCancel, S::kCancelled, kReportersAndDispatchers, Party::kReporter},
      {S::kReported, A::kMerge, S::kMerged, kDispatchersAndSystem, Party::kAnyone},
      // accepted
      {S::kAccepted, A::kDispatch, S::kDispatched, kDispatchersAndSystem, Party::kAnyone},
      {S::kAccepted, A::kSelfResolve, S::kSelfResolved, kReporters, Party::kReporter},
      {S::kAccepted, A::kCancel, S::kCancelled, kReportersAndDispatchers, Party::kReporter},
      {S::kAccepted, A::kMerge, S::kMerged, kDispatchersAndSystem, Party::kAnyone},
      // dispatched
      {S::kDispatched, A::kClaim, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kDispatched, A::kReject, S::kRejected, kDepartment, Party::kAssignedDepartment},
      {S::kDispatched, A::kDispatch, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kDispatched, A::kSelfResolve, S::kSelfResolved, kReporters, Party::kReporter},
      {S::kDispatched, A::kCancel, S::kCancelled, kReportersAndDispatchers, Party::kReporter},
      {S::kDispatched, A::kMerge, S::kMerged, kDispatchers, Party::kAnyone},
      // claimed
      {S::kClaimed, A::kAddProgress, S::kInProgress, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kResolve, S::kResolved, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kReject, S::kRejected, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kRequestExtension, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kApproveExtension, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kDenyExtension, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kRequestSuspension, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kApproveSuspension, S::kSuspended, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kDenySuspension, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // in progress
      {S::kInProgress, A::kAddProgress, S::kInProgress, kDepartment, Party::kAssignedDepartment},
      {S::kInProgress, A::kResolve, S::kResolved, kDepartment, Party::kAssignedDepartment},
      {S::kInProgress, A::kRequestExtension, S::kInProgress, kDepartment,
       Party::kAssignedDepartment},
      {S::kInProgress, A::kApproveExtension, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kDenyExtension, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kRequestSuspension, S::kInProgress, kDepartment,
       Party::kAssignedDepartment},
      {S::kInProgress, A::kApproveSuspension, S::kSuspended, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kDenySuspension, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // resolved
      {S::kResolved, A::kVerifyPass, S::kVerified, kReportersAndDispatchers, Party::kReporter},
      {S::kResolved, A::kVerifyFail, S::kRework, kReportersAndDispatchers, Party::kReporter},
      // verified
      {S::kVerified, A::kClose, S::kClosed, kDispatchersAndSystem, Party::kAnyone},
      // closed, self-resolved
      {S::kClosed, A::kEvaluate, S::kEvaluated, kEvaluators, Party::kAnyone},
      {S::kSelfResolved, A::kEvaluate, S::kEvaluated, kEvaluators, Party::kAnyone},
      // rejected: back to routing
      {S::kRejected, A::kDispatch, S::kDispatched, kDispatchersAndSystem, Party::kAnyone},
      {S::kRejected, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      {S::kRejected, A::kMerge, S::kMerged, kDispatchers, Party::kAnyone},
      // rework: the same department again
      {S::kRework, A::kClaim, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kRework, A::kAddProgress, S::kInProgress, kDepartment, Party::kAssignedDepartment},
      {S::kRework, A::kResolve, S::kResolved, kDepartment, Party::kAssignedDepartment},
      {S::kRework, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // suspended
      {S::kSuspended, A::kResume, S::kInProgress, kDepartmentAndDispatchers,
       Party::kAssignedDepartment},
      {S::kSuspended, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // ---- org (issue 3): triage, unmerge, recategorise, co-handling
      {S::kAccepted, A::kTriage, S::kAccepted, kSystemOnly, Party::kAnyone},
      {S::kRejected, A::kTriage, S::kRejected, kSystemOnly, Party::kAnyone},
      {S::kMerged, A::kUnmerge, S::kAccepted, kDispatchers, Party::kAnyone},
      {S::kAccepted, A::kRecategorise, S::kAccepted, kDispatchers, Party::kAnyone},
      {S::kRejected, A::kRecategorise, S::kRejected, kDispatchers, Party::kAnyone},
      {S::kDispatched, A::kRecategorise, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kRecategorise, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kRecategorise, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kDispatched, A::kCoHandle, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kCoHandle, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kCoHandle, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kRework, A::kCoHandle, S::kRework, kDispatchers, Party::kAnyone},
      {S::kSuspended, A::kCoHandle, S::kSuspended, kDispatchers, Party::kAnyone},
      // dq (issue 5): a dispatcher moves held work to another department; the new
      // assignment gets a new fencing token, so the old holder's deliveries go stale.
      {S::kDispatched, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kRework, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kSuspended, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
  };
  return *table;
}

bool IsDepartmentRole(Role r) { return r == R::kDepartmentOperator || r == R::kDepartmentSystem; }
bool IsReporterRole(Role r) { return r == R::kGridWorker || r == R::kCommunityStaff; }

absl::Status CheckParty(const TransitionRule& rule, const Event& event, const Identity& who) {
  switch (rule.party) {
    case Party::kAnyone:
      return absl::OkStatus();
    case Party::kAssignedDepartment:
      if (IsDepartmentRole(who.role) && who.department_id != event.department_id) {
        return absl::PermissionDeniedError(absl::StrCat(
            "event ", event.id, " is not assigned to department '", who.department_id, "'"));
      }
      return absl::OkStatus();
    case Party::kReporter:
      if (IsReporterRole(who.role) && who.subject != event.reporter.subject) {
        return absl::PermissionDeniedError(
            absl::StrCat("only the reporter may ", ActionName(rule.action), " event ", event.id));
      }
      return absl::OkStatus();
  }
  return absl::InternalError("unknown party");
}

absl::Status CheckParameters(const Event& event, const Command& c) {
  switch (c.action) {
    case A::kDispatch:
      if (c.department_id.empty()) {
        return absl::InvalidArgumentError("department_id is required to dispatch");
      }
      return absl::OkStatus();
    // dq (issue 5)
    case A::kReassign:
      if (c.department_id.empty()) {
        return absl::InvalidArgumentError("department_id is required to reassign");
      }
      if (c.note.empty()) return absl::InvalidArgumentError("note is required to reassign");
      if (c.department_id == event.department_id) {
        return absl::InvalidArgumentError(absl::StrCat("department_id: event ", event.id,
                                                       " is already with department '",
                                                       event.department_id, "'"));
      }
      return absl::OkStatus();
    case A::kReject:
      if (c.reason_code.empty()) {
        return absl::InvalidArgumentError("reason_code is required to reject");
      }
      if (!IsRejectReasonCode(c.reason_code)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "reason_code: '", c.reason_code, "' is not a rejection reason (see docs/routing.md)"));
      }
      return absl::OkStatus();
    case A::kResolve:
      if (!c.reason_code.empty() && !IsResolveReasonCode(c.reason_code)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "reason_code: '", c.reason_code,
            "' is not a resolution reason (FIXED or NOT_FIXED, see docs/lifecycle.md)"));
      }
      [[fallthrough]];
    case A::kSelfResolve:
      if (c.evidence.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "evidence is required to ", ActionName(c.action), " (at least one attachment)"));
      }
      return absl::OkStatus();
    case A::kVerifyFail:
    case A::kAddProgress:
    case A::kCancel:
    case A::kNotAccept:
      if (c.note.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("note is required to ", ActionName(c.action)));
      }
      return absl::OkStatus();
    // ---- org (issue 3)
    case A::kTriage:
      if (c.triage_centre_id.empty()) {
        return absl::InvalidArgumentError("triage_centre_id is required to triage");
      }
      return absl::OkStatus();
    case A::kUnmerge:
      if (c.note.empty()) return absl::InvalidArgumentError("note is required to unmerge");
      return absl::OkStatus();
    case A::kRecategorise:
      if (c.category_code.empty()) {
        return absl::InvalidArgumentError("category_code is required to recategorise");
      }
      if (c.category_code == event.category_code) {
        return absl::InvalidArgumentError(
            absl::StrCat("category_code: the event already has category ", c.category_code));
      }
      if (c.note.empty()) return absl::InvalidArgumentError("note is required to recategorise");
      return absl::OkStatus();
    case A::kCoHandle:
      for (const std::string& d : c.assisting_department_ids) {
        if (d.empty() || d == event.department_id) {
          return absl::InvalidArgumentError(absl::StrCat(
              "assisting_department_ids: '", d, "' must name a department other than the lead"));
        }
      }
      return absl::OkStatus();
    case A::kMerge:
      if (c.merge_into.empty()) {
        return absl::InvalidArgumentError("merge_into is required to merge");
      }
      if (c.merge_into == event.id) {
        return absl::InvalidArgumentError("merge_into must name another event");
      }
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

// Requests (extension, suspension) are flags: one pending at a time, and a decision needs
// one pending.
absl::Status CheckPending(const Event& e, EventAction a) {
  auto refuse = [&](absl::string_view what) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot ", ActionName(a), ": ", what, " (state '", StateName(e.state), "')"));
  };
  switch (a) {
    case A::kRequestExtension:
      return e.extension_pending ? refuse("an extension request is already pending")
                                 : absl::OkStatus();
    case A::kApproveExtension:
    case A::kDenyExtension:
      return e.extension_pending ? absl::OkStatus() : refuse("no extension request is pending");
    case A::kRequestSuspension:
      return e.suspension_pending ? refuse("a suspension request is already pending")
                                  : absl::OkStatus();
    case A::kApproveSuspension:
    case A::kDenySuspension:
      return e.suspension_pending ? absl::OkStatus() : refuse("no suspension request is pending");
    default:
      return absl::OkStatus();
  }
}

// org (issue 3): an assignment made by adjudication is binding.
absl::Status CheckBinding(const Event& e, EventAction a) {
  if (a == A::kReject && e.binding_assignment) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot reject event ", e.id, ": its assignment to '", e.department_id,
        "' was made by adjudication and is binding (state '", StateName(e.state), "')"));
  }
  return absl::OkStatus();
}

bool IsDispatcherRole(Role r) { return r == R::kStreetDispatcher || r == R::kDistrictDispatcher; }

void ApplyEffects(const Command& c, const Identity& who, Event& e) {
  switch (c.action) {
    case A::kDispatch:
      e.department_id = c.department_id;
      // org (issue 3): an adjudicated assignment binds, and so does a dispatcher's
      // reassignment of a binding one; a router dispatch records why.
      if (IsDispatcherRole(who.role) && (e.awaiting_adjudication || e.binding_assignment)) {
        e.binding_assignment = true;
      }
      e.awaiting_adjudication = false;
      e.triage_centre_id.clear();
      e.assisting_department_ids.clear();
      if (who.role == R::kSystem) {
        e.routing = c.routing;
      } else {
        e.routing = RoutingExplanation{};
        e.routing.department_id = c.department_id;
        e.routing.reason = absl::StrCat("assigned by ", RoleName(who.role), " ", who.subject);
      }
      break;
    case A::kTriage:
      e.triage_centre_id = c.triage_centre_id;
      e.awaiting_adjudication = c.reason_code == kTriageAdjudication;
      e.routing = c.routing;
      e.routing.triage_centre_id = c.triage_centre_id;
      break;
    case A::kUnmerge:
      e.merged_into.clear();
      e.triage_centre_id.clear();
      break;
    case A::kRecategorise:
      e.previous_category_codes.push_back(e.category_code);
      e.category_code = c.category_code;
      // Waiting for triage: routed again with the new category.
      if (e.state == S::kAccepted || e.state == S::kRejected) {
        e.triage_centre_id.clear();
        e.awaiting_adjudication = false;
      }
      break;
    case A::kCoHandle:
      e.assisting_department_ids = c.assisting_department_ids;
      break;
    case A::kReject:
      // The rejecting department's open requests go with it: the next department
      // starts clean.
      e.rejected_by.push_back(e.department_id);
      e.department_id.clear();
      e.assisting_department_ids.clear();
      e.extension_pending = false;
      e.suspension_pending = false;
      break;
    case A::kVerifyFail:
      ++e.rework_count;
      break;
    case A::kRequestExtension:
      e.extension_pending = true;
      break;
    case A::kApproveExtension:
      e.extension_pending = false;
      ++e.extension_count;
      break;
    case A::kDenyExtension:
      e.extension_pending = false;
      break;
    case A::kRequestSuspension:
      e.suspension_pending = true;
      break;
    case A::kApproveSuspension:
    case A::kDenySuspension:
      e.suspension_pending = false;
      break;
    // dq (issue 5)
    case A::kReassign:
      e.department_id = c.department_id;
      e.extension_pending = false;
      e.suspension_pending = false;
      break;
    case A::kMerge:
      e.merged_into = c.merge_into;
      e.department_id.clear();
      e.triage_centre_id.clear();
      e.awaiting_adjudication = false;
      e.assisting_department_ids.clear();
      break;
    case A::kSelfResolve:
    case A::kCancel:
      e.department_id.clear();
      e.extension_pending = false;
      e.suspension_pending = false;
      break;
    default:
      break;
  }
}

// dq (issue 5): fencing. Department roles must quote the current assignment's token (when
// they quote one) and may not act on work another subject claimed.
absl::Status CheckFencing(const Event& e, const Identity& who, const Command& c) {
  if (!IsDepartmentRole(who.role)) return absl::OkStatus();
  if (c.fencing_token != 0 && c.fencing_token != e.assignment_token) {
    return absl::FailedPreconditionError(absl::StrCat(
        "stale fencing_token ", c.fencing_token, ": event ", e.id, " is now assigned with token ",
        e.assignment_token, " (state '", StateName(e.state), "')"));
  }
  if (!e.claimed_by.empty() && e.claimed_by != who.subject) {
    return absl::FailedPreconditionError(absl::StrCat(
        "event ", e.id, " is claimed by '", e.claimed_by, "' (state '", StateName(e.state), "')"));
  }
  return absl::OkStatus();
}

// dq (issue 5): a new assignment (entering a department's queue) gets a new token and no
// owner; a claim records its owner; leaving departments drops the owner.
void UpdateOwnership(const Event& before, const Identity& who, EventAction action, Event& after) {
  bool new_assignment = NextWorkQueue(after) == WorkQueue::kDepartment &&
                        (before.state != after.state ||
                         before.department_id != after.department_id || action == A::kReassign);
  if (new_assignment) {
    after.assignment_token = after.version;
    after.claimed_by.clear();
  }
  if (action == A::kClaim) after.claimed_by = who.subject;
  if (HoldingDepartment(after).empty()) after.claimed_by.clear();
}

// auth (issue 7): every department that leads or assists joins the history once, so it
// keeps read access after a rejection, reassignment or closing.
void RecordDepartments(Event& e) {
  auto add = [&](const std::string& d) {
    if (d.empty()) return;
    if (std::find(e.department_history.begin(), e.department_history.end(), d) ==
        e.department_history.end()) {
      e.department_history.push_back(d);
    }
  };
  add(e.department_id);
  for (const std::string& d : e.assisting_department_ids) add(d);
}

}  // namespace

std::span<const TransitionRule> TransitionTable() { return Table(); }

bool IsRejectReasonCode(absl::string_view code) {
  for (const char* c : kRejectReasonCodes) {
    if (absl::EqualsIgnoreCase(code, c)) return true;
  }
  return false;
}

bool IsResolveReasonCode(absl::string_view code) {
  for (const char* c : kResolveReasonCodes) {
    if (absl::EqualsIgnoreCase(code, c)) return true;
  }
  return false;
}

const TransitionRule* FindRule(EventState from, EventAction action) {
  for (const TransitionRule& r : Table()) {
    if (r.from == from && r.action == action) return &r;
  }
  return nullptr;
}

bool IsTerminal(EventState s) {
  return s == S::kEvaluated || s == S::kNotAccepted || s == S::kCancelled || s == S::kMerged;
}

bool IsSettled(EventState s) { return s == S::kClosed || IsTerminal(s); }

absl::StatusOr<TransitionOutcome> ApplyCommand(const Event& current, const Identity& who,
                                               const Command& command, absl::Time now) {
  const TransitionRule* rule = FindRule(current.state, command.action);
  if (rule == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("action '", ActionName(command.action), "' is not allowed in state '",
                     StateName(current.state), "' (event ", current.id, ")"));
  }
  if (!rule->roles.test(static_cast<int>(who.role))) {
    return absl::PermissionDeniedError(
        absl::StrCat("role '", RoleName(who.role), "' may not ", ActionName(command.action)));
  }
  if (absl::Status s = CheckParty(*rule, current, who); !s.ok()) return s;
  if (absl::Status s = CheckParameters(current, command); !s.ok()) return s;
  if (absl::Status s = CheckPending(current, command.action); !s.ok()) return s;
  if (absl::Status s = CheckBinding(current, command.action); !s.ok()) return s;
  if (absl::Status s = CheckFencing(current, who, command); !s.ok()) return s;  // dq

  TransitionOutcome out;
  out.event = current;
  ApplyEffects(command, who, out.event);
  out.event.state = rule->to;
  out.event.version = current.version + 1;
  out.event.updated_at = now;
  UpdateOwnership(current, who, command.action, out.event);  // dq
  RecordDepartments(out.event);                              // auth

  TimelineEntry& t = out.entry;
  t.at = now;
  t.actor_subject = who.subject;
  t.actor_role = who.role;
  t.actor_department_id = who.department_id;
  t.from_state = current.state;
  t.to_state = rule->to;
  t.action = command.action;
  t.note = command.note;
  t.reason_code = command.reason_code;
  t.evidence = command.evidence;
  t.department_id = out.event.department_id;
  return out;
}

WorkQueue NextWorkQueue(const Event& e) {
  switch (e.state) {
    case S::kReported:
      return WorkQueue::kRouter;
    // org (issue 3): a rejected event goes back to the router unless it waits in a
    // dispatch centre's triage queue.
    case S::kRejected:
      return e.triage_centre_id.empty() ? WorkQueue::kRouter : WorkQueue::kNone;
    case S::kDispatched:
    case S::kRework:
      return WorkQueue::kDepartment;
    default:
      return WorkQueue::kNone;
  }
}

bool RoutedAgain(const Event& before, const Event& after) {
  if (after.state != S::kAccepted && after.state != S::kRejected) return false;
  if (!after.triage_centre_id.empty()) return false;
  return !TriageCentre(before).empty() || before.state == S::kMerged;
}

std::string TriageCentre(const Event& e) {
  if (e.state != S::kAccepted && e.state != S::kRejected) return "";
  return e.triage_centre_id;
}

std::string MasterOf(const Event& e) { return e.state == S::kMerged ? e.merged_into : ""; }

std::string HoldingDepartment(const Event& e) {
  switch (e.state) {
    case S::kDispatched:
    case S::kClaimed:
    case S::kInProgress:
    case S::kRework:
    case S::kSuspended:
      return e.department_id;
    default:
      return "";
  }
}

}  // namespace zhiwang
