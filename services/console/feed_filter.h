#ifndef ZHIWANG_SERVICES_CONSOLE_FEED_FILTER_H_
#define ZHIWANG_SERVICES_CONSOLE_FEED_FILTER_H_

// feed (issue 6): which changes of the change feed a WatchEvents stream sends. Pure.
//
//   FeedFilter f{.area_id = "st1", .states = {EventState::kDispatched}};
//   if (FeedSends(f, who, change, event)) { ...send... }

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/domain/change_feed.h"
#include "common/domain/event.h"

namespace zhiwang::console {

// Every set field must hold; an empty field holds for every change.
struct FeedFilter {
  std::string area_id;        // AreaContainsEvent(area_id, event): district/street/community/grid
  std::string department_id;  // the department holding the event now (HoldingDepartment)
  std::vector<EventState> states;  // the state the change moved the event to is one of them
};

// INVALID_ARGUMENT naming "states" for an unspecified or unknown state.
absl::Status ValidateFeedFilter(const FeedFilter& filter);

// True when the change is sent to `who`: the caller may see the event (CanSeeEvent, the
// one read-scope rule: never leak) and the event, as it is now, and the change match.
bool FeedSends(const FeedFilter& filter, const Identity& who, const ChangeRecord& change,
               const Event& event);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_FEED_FILTER_H_
