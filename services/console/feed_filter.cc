#include "services/console/feed_filter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/domain/lifecycle.h"

namespace zhiwang::console {

absl::Status ValidateFeedFilter(const FeedFilter& filter) {
  for (EventState s : filter.states) {
    int n = static_cast<int>(s);
    if (n < static_cast<int>(EventState::kReported) || n > static_cast<int>(EventState::kMerged)) {
      return absl::InvalidArgumentError(absl::StrCat("states: ", n, " is not an event state"));
    }
  }
  return absl::OkStatus();
}

bool FeedSends(const FeedFilter& filter, const Identity& who, const ChangeRecord& change,
               const Event& event) {
  if (!CanSeeEvent(who, event)) return false;
  if (!filter.area_id.empty() && !AreaContainsEvent(filter.area_id, event)) return false;
  if (!filter.department_id.empty() && HoldingDepartment(event) != filter.department_id) {
    return false;
  }
  if (!filter.states.empty() &&
      std::find(filter.states.begin(), filter.states.end(), change.state) == filter.states.end()) {
    return false;
  }
  return true;
}

}  // namespace zhiwang::console
