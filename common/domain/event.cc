#include "common/domain/event.h"

#include <array>

namespace zhiwang {
namespace {

constexpr std::array<absl::string_view, kMaxEventState + 1> kStateNames = {
    "unspecified", "reported", "accepted",  "dispatched", "claimed",      "in_progress",
    "resolved",    "verified", "closed",    "evaluated",  "not_accepted", "self_resolved",
    "rejected",    "rework",   "suspended", "cancelled",  "merged"};

constexpr std::array<absl::string_view, kMaxRole + 1> kRoleNames = {"unspecified",
                                                                    "grid_worker",
                                                                    "community_staff",
                                                                    "street_dispatcher",
                                                                    "district_dispatcher",
                                                                    "department_operator",
                                                                    "department_system",
                                                                    "leader",
                                                                    "auditor",
                                                                    "admin",
                                                                    "system"};

}  // namespace

absl::string_view StateName(EventState s) {
  int i = static_cast<int>(s);
  return (i >= 0 && i <= kMaxEventState) ? kStateNames[i] : "invalid";
}

// A switch rather than an array: action numbers are sparse (each issue has its own
// reserved range), and a missing case is a compiler warning (-Wswitch).
absl::string_view ActionName(EventAction a) {
  using A = EventAction;
  switch (a) {
    case A::kUnspecified:
      return "unspecified";
    case A::kReport:
      return "report";
    case A::kAccept:
      return "accept";
    case A::kNotAccept:
      return "not_accept";
    case A::kDispatch:
      return "dispatch";
    case A::kClaim:
      return "claim";
    case A::kAddProgress:
      return "add_progress";
    case A::kResolve:
      return "resolve";
    case A::kReject:
      return "reject";
    case A::kVerifyPass:
      return "verify_pass";
    case A::kVerifyFail:
      return "verify_fail";
    case A::kClose:
      return "close";
    case A::kEvaluate:
      return "evaluate";
    case A::kSelfResolve:
      return "self_resolve";
    case A::kCancel:
      return "cancel";
    case A::kMerge:
      return "merge";
    case A::kRequestExtension:
      return "request_extension";
    case A::kApproveExtension:
      return "approve_extension";
    case A::kDenyExtension:
      return "deny_extension";
    case A::kRequestSuspension:
      return "request_suspension";
    case A::kApproveSuspension:
      return "approve_suspension";
    case A::kDenySuspension:
      return "deny_suspension";
    case A::kResume:
      return "resume";
    case A::kTriage:
      return "triage";
    case A::kUnmerge:
      return "unmerge";
    case A::kRecategorise:
      return "recategorise";
    case A::kCoHandle:
      return "co_handle";
    case A::kReassign:
      return "reassign";
  }
  return "invalid";
}

bool IsKnownAction(int action) { return ActionName(static_cast<EventAction>(action)) != "invalid"; }

absl::string_view RoleName(Role r) {
  int i = static_cast<int>(r);
  return (i >= 0 && i <= kMaxRole) ? kRoleNames[i] : "invalid";
}

Role RoleFromName(absl::string_view name) {
  for (int i = 1; i <= kMaxRole; ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return Role::kUnspecified;
}

std::string DistrictOfEventId(absl::string_view event_id) {
  size_t dash = event_id.find('-');
  if (dash == absl::string_view::npos) return "";
  return std::string(event_id.substr(0, dash));
}

}  // namespace zhiwang
