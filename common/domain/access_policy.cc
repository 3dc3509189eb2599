#include "common/domain/access_policy.h"

#include <algorithm>

namespace zhiwang {

bool AreaContainsEvent(absl::string_view area, const Event& event) {
  if (area.empty()) return false;
  return area == event.district_id || area == event.street_id || area == event.community_id ||
         area == event.location.grid_id || area == event.located_grid_id;
}

namespace {

bool DepartmentTouched(absl::string_view department, const Event& event) {
  if (department.empty()) return false;
  if (event.department_id == department) return true;
  auto has = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), department) != list.end();
  };
  return has(event.assisting_department_ids) || has(event.rejected_by);
}

}  // namespace

bool CanSeeEvent(const Identity& who, const Event& event) {
  switch (who.role) {
    case Role::kAdmin:
    case Role::kAuditor:
    case Role::kSystem:
      return true;
    case Role::kLeader:
    case Role::kDistrictDispatcher:
    case Role::kStreetDispatcher:
    case Role::kCommunityStaff:
      return AreaContainsEvent(who.area, event);
    case Role::kGridWorker:
      return !who.subject.empty() && who.subject == event.reporter.subject;
    case Role::kDepartmentOperator:
    case Role::kDepartmentSystem:
      return DepartmentTouched(who.department_id, event);
    case Role::kUnspecified:
      return false;
  }
  return false;
}

}  // namespace zhiwang
