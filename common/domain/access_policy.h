#ifndef ZHIWANG_COMMON_DOMAIN_ACCESS_POLICY_H_
#define ZHIWANG_COMMON_DOMAIN_ACCESS_POLICY_H_

// Object-level read scope: which events a caller may see (issue 7). Pure domain: every
// handler that returns, lists or streams events asks this one function, so lists, streams
// and single reads cannot disagree. An event outside the caller's scope must be answered
// exactly like a missing one (NOT_FOUND), and filtered out of lists and streams.
//
// Scope by role (area = the caller's area scope: a district, street, community or grid id):
//   admin, auditor, system ........ every event
//   leader, district dispatcher ... events whose district, street, community or grid is `area`
//   street dispatcher, community staff: the same rule (their area is a street / community)
//   grid worker .................... the events they reported themselves
//   department operator / system .. events their department holds, assists on, or handled
//                                    before (rejected_by lists departments it passed through)
//   unspecified .................... nothing

#include "absl/strings/string_view.h"
#include "common/domain/event.h"

namespace zhiwang {

// True when `area` names the event's district, street, community, reported grid or located
// grid. An empty area contains nothing.
bool AreaContainsEvent(absl::string_view area, const Event& event);

// True when `who` may read `event`.
bool CanSeeEvent(const Identity& who, const Event& event);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_ACCESS_POLICY_H_
