#include "common/domain/event.h"

#include <array>

namespace zhiwang {
namespace {

constexpr std::array<absl::string_view, kMaxEventState + 1> kStateNames = {
    "unspecified", "reported", "accepted",  "dispatched", "claimed",      "in_progress",
    "resolved",    "verified", "closed",    "evaluated",  "not_accepted", "self_resolved",
    "rejected",    "rework",   "suspended", "cancelled",  "merged"};

constexpr std::array<absl::string_view, kMaxEventAction + 1> kActionNames = {
    "unspecified", "report", "accept", "not_accept", "dispatch", "claim", "add_progress", "resolve",
    "reject", "verify_pass", "verify_fail", "close", "evaluate", "self_resolve", "cancel", "merge",
    "request_extension", "approve_extension", "deny_extension", "request_suspension",
    "approve_suspension", "deny_suspension", "resume",
    // 23–29 unused
    "", "", "", "", "", "", "",
    // ---- org (issue 3)
    "triage", "unmerge", "recategorise", "co_handle"};

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

absl::string_view ActionName(EventAction a) {
  int i = static_cast<int>(a);
  // dq (issue 5)
  if (a == EventAction::kReassign) return "reassign";
  return (i >= 0 && i <= kMaxEventAction) ? kActionNames[i] : "invalid";
}

bool IsKnownAction(int action) {
  if (action < 0 || action > kDqLastAction) return false;
  absl::string_view name = ActionName(static_cast<EventAction>(action));
  return !name.empty() && name != "invalid";
}

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
