#include "services/console/query_plan.h"

#include "absl/strings/str_cat.h"

namespace zhiwang::console {
namespace {

using Kind = DrivingIndex::Kind;

DrivingIndex Member(QueryIndexKind kind, const std::string& value) {
  return DrivingIndex{Kind::kMembership, QueryIndexRef{kind, value}, "", ""};
}

bool IsDepartmentRole(Role r) {
  return r == Role::kDepartmentOperator || r == Role::kDepartmentSystem;
}

}  // namespace

std::optional<QueryIndexKind> AreaIndexKind(const District& d, absl::string_view area) {
  if (area.empty() || area == d.id()) return std::nullopt;
  for (const auto& street : d.org().streets) {
    if (street.id == area) return QueryIndexKind::kStreet;
  }
  if (!d.StreetOfCommunity(area).empty()) return QueryIndexKind::kCommunity;
  if (d.FindGrid(area)) return QueryIndexKind::kGrid;
  return std::nullopt;
}

std::vector<WalkPlan> CandidatePlans(const EventQuery& q, const Identity& who,
                                     const AreaIndexes& areas, absl::Time now) {
  std::vector<WalkPlan> out;
  if (q.sort == SortOrder::kDeadlineAsc) {
    // Red only: nothing past `now` can match.
    std::optional<int64_t> max;
    if (q.lights.size() == 1 && q.lights[0] == Light::kRed) max = absl::ToUnixMillis(now);
    auto add = [&](const std::string& scope, const std::string& value) {
      out.push_back({DrivingIndex{Kind::kDeadline, {}, scope, value}, std::nullopt, max, true});
    };
    if (!q.department_id.empty() && !q.department_ever) add("dep", q.department_id);
    if (q.area_id != "" && areas.filter_area == QueryIndexKind::kStreet) add("street", q.area_id);
    if (areas.caller_area == QueryIndexKind::kStreet) add("street", who.area);
    add("", "");
    return out;
  }
  std::optional<int64_t> min, max;
  if (q.created_from) min = absl::ToUnixMillis(*q.created_from);
  if (q.created_to) max = absl::ToUnixMillis(*q.created_to) - 1;
  bool asc = q.sort == SortOrder::kCreatedAsc;
  auto add = [&](DrivingIndex index) { out.push_back({std::move(index), min, max, asc}); };
  if (!q.department_id.empty() && q.department_ever) {
    add(Member(QueryIndexKind::kDepartmentEver, q.department_id));
    return out;
  }
  if (!q.department_id.empty()) add(Member(QueryIndexKind::kDepartmentNow, q.department_id));
  if (!q.reporter_subject.empty()) add(Member(QueryIndexKind::kReporter, q.reporter_subject));
  if (q.states.size() == 1) {
    add(Member(QueryIndexKind::kState, absl::StrCat(static_cast<int>(q.states[0]))));
  } else if (q.states.empty() && q.merged == Tristate::kYes) {
    add(Member(QueryIndexKind::kState, absl::StrCat(static_cast<int>(EventState::kMerged))));
  }
  if (q.category_codes.size() == 1) add(Member(QueryIndexKind::kCategory, q.category_codes[0]));
  if (q.supervised == Tristate::kYes) add(DrivingIndex{Kind::kSupervised, {}, "", ""});
  if (!q.area_id.empty() && areas.filter_area) add(Member(*areas.filter_area, q.area_id));
  // The caller's scope.
  if (IsDepartmentRole(who.role) && !who.department_id.empty()) {
    add(Member(QueryIndexKind::kDepartmentEver, who.department_id));
  } else if (who.role == Role::kGridWorker) {
    add(Member(QueryIndexKind::kReporter, who.subject));
  } else if (areas.caller_area) {
    add(Member(*areas.caller_area, who.area));
  }
  add(DrivingIndex{Kind::kAll, {}, "", ""});
  return out;
}

size_t ChoosePlan(const std::vector<int64_t>& estimates) {
  size_t best = 0;
  for (size_t i = 1; i < estimates.size(); ++i) {
    if (estimates[i] < estimates[best]) best = i;
  }
  return best;
}

}  // namespace zhiwang::console
