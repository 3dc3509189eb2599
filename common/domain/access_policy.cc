#include "common/domain/access_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace zhiwang {
namespace {

bool Contains(const std::vector<std::string>& list, absl::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool DepartmentTouched(absl::string_view department, const Event& event) {
  if (department.empty()) return false;
  // rejected_by keeps events written before department_history existed visible to the
  // departments that rejected them.
  return event.department_id == department ||
         Contains(event.assisting_department_ids, department) ||
         Contains(event.department_history, department) || Contains(event.rejected_by, department);
}

bool IsDepartmentRole(Role r) {
  return r == Role::kDepartmentOperator || r == Role::kDepartmentSystem;
}

}  // namespace

bool AreaContainsEvent(absl::string_view area, const Event& event) {
  if (area.empty()) return false;
  return area == event.district_id || area == event.street_id || area == event.community_id ||
         area == event.location.grid_id || area == event.located_grid_id;
}

bool AreaContainsGrid(absl::string_view area, absl::string_view grid_id, const GridPlace& place) {
  if (area.empty()) return false;
  return area == grid_id || area == place.district_id || area == place.street_id ||
         area == place.community_id;
}

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

absl::Status CheckReportScope(const Identity& who, const District& district,
                              absl::string_view grid_id, const GridPlace& place) {
  bool inside =
      IsDepartmentRole(who.role)
          ? !who.department_id.empty() && district.FindDepartment(who.department_id) != nullptr
          : AreaContainsGrid(who.area, grid_id, place);
  if (inside) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("location.grid_id: '", grid_id, "' is outside the caller's area"));
}

bool DistrictContainsArea(const District& district, absl::string_view area) {
  if (area.empty()) return false;
  if (area == district.id() || district.FindGrid(area)) return true;
  const DistrictOrg& org = district.org();
  return std::any_of(org.streets.begin(), org.streets.end(),
                     [&](const StreetInfo& s) { return s.id == area; }) ||
         std::any_of(org.communities.begin(), org.communities.end(),
                     [&](const CommunityInfo& c) { return c.id == area; });
}

bool CanSeeDistrict(const Identity& who, const District& district) {
  switch (who.role) {
    case Role::kAdmin:
    case Role::kAuditor:
    case Role::kSystem:
      return true;
    case Role::kDepartmentOperator:
    case Role::kDepartmentSystem:
      return !who.department_id.empty() && district.FindDepartment(who.department_id) != nullptr;
    case Role::kUnspecified:
      return false;
    default:
      return DistrictContainsArea(district, who.area);
  }
}

bool CanUseTriageCentre(const Identity& who, const District& district,
                        absl::string_view centre_id) {
  if (centre_id.empty()) return false;
  switch (who.role) {
    case Role::kDistrictDispatcher: {
      if (!DistrictContainsArea(district, who.area)) return false;
      const std::vector<DispatchCentreInfo>& centres = district.org().dispatch_centres;
      // The district's fallback queue when it configures no centre (TriageCentreFor).
      return centre_id == district.TriageCentreFor("", true) ||
             std::any_of(centres.begin(), centres.end(),
                         [&](const DispatchCentreInfo& c) { return c.id == centre_id; });
    }
    case Role::kStreetDispatcher: {
      const DispatchCentreInfo* mine = district.StreetCentre(who.area);
      return mine != nullptr && mine->id == centre_id;
    }
    default:
      return false;
  }
}

bool CanUseDepartmentQueue(const Identity& who, const District& district,
                           absl::string_view department_id) {
  const DepartmentInfo* dep = district.FindDepartment(department_id);
  if (dep == nullptr) return false;
  switch (who.role) {
    case Role::kAdmin:
      return true;
    case Role::kDepartmentOperator:
    case Role::kDepartmentSystem:
      return who.department_id == department_id;
    case Role::kDistrictDispatcher:
      return DistrictContainsArea(district, who.area);
    case Role::kStreetDispatcher:
      return dep->level == DepartmentLevel::kStreet && !who.area.empty() &&
             dep->street_id == who.area;
    default:
      return false;
  }
}

}  // namespace zhiwang
