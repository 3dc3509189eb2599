#include "common/domain/query_index.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"

namespace zhiwang {

absl::string_view QueryIndexKindName(QueryIndexKind kind) {
  switch (kind) {
    case QueryIndexKind::kState:
      return "st";
    case QueryIndexKind::kStreet:
      return "street";
    case QueryIndexKind::kCommunity:
      return "comm";
    case QueryIndexKind::kGrid:
      return "grid";
    case QueryIndexKind::kDepartmentNow:
      return "dep";
    case QueryIndexKind::kDepartmentEver:
      return "depever";
    case QueryIndexKind::kCategory:
      return "cat";
    case QueryIndexKind::kReporter:
      return "rep";
  }
  return "unknown";
}

std::vector<QueryIndexRef> MembershipIndexes(const Event& e) {
  std::vector<QueryIndexRef> out;
  auto add = [&out](QueryIndexKind kind, const std::string& value) {
    if (!value.empty()) out.push_back({kind, value});
  };
  add(QueryIndexKind::kState, absl::StrCat(static_cast<int>(e.state)));
  add(QueryIndexKind::kStreet, e.street_id);
  add(QueryIndexKind::kCommunity, e.community_id);
  add(QueryIndexKind::kGrid, e.location.grid_id);
  add(QueryIndexKind::kGrid, e.located_grid_id);
  add(QueryIndexKind::kDepartmentNow, HoldingDepartment(e));
  add(QueryIndexKind::kCategory, e.category_code);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace zhiwang
