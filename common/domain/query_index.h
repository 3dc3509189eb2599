#ifndef ZHIWANG_COMMON_DOMAIN_QUERY_INDEX_H_
#define ZHIWANG_COMMON_DOMAIN_QUERY_INDEX_H_

// The console's secondary indexes (issue 6), as the domain sees them: which membership
// indexes an event belongs to, as a pure function of the event. The Redis store turns
// them into sorted-set keys (common/redis/keys.h, QueryIndex) and keeps them inside the
// same atomic write as the event; the query planner (console/query_plan.h) drives a
// listing from one of them. Every membership index is scored by the event's creation
// time (ms), which never changes, so walking any of them from a cursor is stable while
// events move. See docs/console.md.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/domain/event.h"

namespace zhiwang {

enum class QueryIndexKind : int {
  kState = 0,           // value: the state number ("3")
  kStreet = 1,          // value: street id
  kCommunity = 2,       // value: community id
  kGrid = 3,            // value: reported or located grid id (both indexed)
  kDepartmentNow = 4,   // value: the holding department (HoldingDepartment)
  kDepartmentEver = 5,  // value: every department that ever held it (added, never removed)
  kCategory = 6,        // value: category code
  kReporter = 7,        // value: reporter subject (the existing ix:rep, by creation time)
};

// Short stable names used in keys: "st", "street", "comm", "grid", "dep", "depever",
// "cat", "rep".
absl::string_view QueryIndexKindName(QueryIndexKind kind);

struct QueryIndexRef {
  QueryIndexKind kind = QueryIndexKind::kState;
  std::string value;
  friend bool operator==(const QueryIndexRef&, const QueryIndexRef&) = default;
  friend auto operator<=>(const QueryIndexRef&, const QueryIndexRef&) = default;
};

// The membership indexes `event` belongs to in its current state, sorted and without
// duplicates: state, street, community, grids, holding department, category. Not the
// reporter index (kept by the create script since before issue 6) and not
// kDepartmentEver (a history: every write adds the holding department to it and nothing
// removes it). Empty values are skipped.
std::vector<QueryIndexRef> MembershipIndexes(const Event& event);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_QUERY_INDEX_H_
