#ifndef ZHIWANG_SERVICES_CONSOLE_QUERY_PLAN_H_
#define ZHIWANG_SERVICES_CONSOLE_QUERY_PLAN_H_

// Which index drives a console search (issue 6), pure. Every membership index, the
// creation index and the supervised index are scored by creation time, so any of them
// can drive a list sorted by creation, and a cursor (creation ms, id) is valid in all of
// them: the planner may pick a different index on the next page without repeating or
// skipping an event. A list sorted by deadline is driven by a deadline index (district,
// street or holding department). The candidate with the fewest entries in range wins.
// See docs/console.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/organisation.h"
#include "common/domain/query_index.h"
#include "services/console/event_query.h"

namespace zhiwang::console {

struct DrivingIndex {
  enum class Kind : int {
    kAll = 0,         // every event (ix:q:created)
    kMembership = 1,  // `ref`
    kSupervised = 2,  // ix:q:sup
    kDeadline = 3,    // deadline index of `scope` ("", "street", "dep") / `value`
  };
  Kind kind = Kind::kAll;
  QueryIndexRef ref;
  std::string scope;
  std::string value;
  friend bool operator==(const DrivingIndex&, const DrivingIndex&) = default;
};

// Inclusive score bounds (ms); nullopt = unbounded.
struct WalkPlan {
  DrivingIndex index;
  std::optional<int64_t> min_score;
  std::optional<int64_t> max_score;
  bool ascending = true;
  friend bool operator==(const WalkPlan&, const WalkPlan&) = default;
};

// Resolved by the adapter from the organisation: the index kind of an area id
// (kStreet / kCommunity / kGrid; nullopt for a district or an unknown id).
struct AreaIndexes {
  std::optional<QueryIndexKind> filter_area;  // of query.area_id
  std::optional<QueryIndexKind> caller_area;  // of who.area
};

// The membership index kind of an area id in `district`: kStreet, kCommunity or kGrid;
// nullopt for the district itself or an id the district does not have.
std::optional<QueryIndexKind> AreaIndexKind(const District& district, absl::string_view area);

// The plans that can drive `query` for `who` at `now`, most specific first; never empty.
// A department-history query has exactly one (that index: membership in it is not
// decidable from the event). Scope indexes: department roles their department's history
// index, grid workers their reporter index, area-scoped callers their area's index.
std::vector<WalkPlan> CandidatePlans(const EventQuery& query, const Identity& who,
                                     const AreaIndexes& areas, absl::Time now);

// The index of the smallest estimate (the first on ties). `estimates` has one entry per
// candidate.
size_t ChoosePlan(const std::vector<int64_t>& estimates);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_QUERY_PLAN_H_
