#include "services/console/event_query.h"

#include <algorithm>

#include "common/domain/access_policy.h"
#include "common/domain/lifecycle.h"

namespace zhiwang::console {
namespace {

template <typename T>
bool AnyOf(const std::vector<T>& values, const T& v) {
  return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
}

bool InRange(absl::Time t, const std::optional<absl::Time>& from,
             const std::optional<absl::Time>& to) {
  return (!from || t >= *from) && (!to || t < *to);
}

bool Tri(Tristate want, bool has) {
  return want == Tristate::kAny || (want == Tristate::kYes) == has;
}

}  // namespace

Light LightAt(const EventFacts& f, absl::Time now) {
  if (!f.deadline) return Light::kNone;
  if (*f.deadline <= now) return Light::kRed;
  if (f.yellow_at && *f.yellow_at <= now) return Light::kYellow;
  return Light::kGreen;
}

bool Matches(const EventQuery& q, const Event& e, const EventFacts& f, absl::Time now) {
  if (e.district_id != q.district_id) return false;
  if (!AnyOf(q.states, e.state)) return false;
  if (!q.lights.empty() && !AnyOf(q.lights, LightAt(f, now))) return false;
  if (!AnyOf(q.category_codes, e.category_code)) return false;
  if (q.by_major && std::find(q.major_codes.begin(), q.major_codes.end(), e.category_code) ==
                        q.major_codes.end()) {
    return false;
  }
  if (!q.area_id.empty() && !AreaContainsEvent(q.area_id, e)) return false;
  if (!q.department_id.empty() && !q.department_ever && HoldingDepartment(e) != q.department_id) {
    return false;
  }
  if (!q.reporter_subject.empty() && e.reporter.subject != q.reporter_subject) return false;
  if (!InRange(e.created_at, q.created_from, q.created_to)) return false;
  if (!InRange(e.updated_at, q.updated_from, q.updated_to)) return false;
  if (!Tri(q.supervised, f.supervised)) return false;
  if (!Tri(q.merged, e.state == EventState::kMerged)) return false;
  if (q.sort == SortOrder::kDeadlineAsc && !f.deadline) return false;
  return true;
}

}  // namespace zhiwang::console
