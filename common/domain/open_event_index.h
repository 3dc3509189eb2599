#ifndef ZHIWANG_COMMON_DOMAIN_OPEN_EVENT_INDEX_H_
#define ZHIWANG_COMMON_DOMAIN_OPEN_EVENT_INDEX_H_

// Storage port (issue 3): where open events are, per district × category, so that the
// router can fold a new report into an open event of the same category nearby instead of
// dispatching it again (信息碰撞). Implementations: MemoryOpenEventIndex (unit tests) and
// RedisOpenEventIndex (a GEO set per district × category); both pass
// common/store/open_event_index_contract.h.
//
// The index is a hint: the router adds an event after committing its routing, and checks
// every candidate against the event store before folding into it (state, category, time
// window), removing candidates that are no longer open. So a lost Add (a crash right after
// the commit) can only miss a fold; it never folds into a closed event or hands an event to
// two owners. Asynchronous like EventStore; thread-safe.

#include <string>
#include <vector>

#include "common/domain/event_store.h"
#include "common/domain/geo_index.h"

namespace zhiwang {

class OpenEventIndex {
 public:
  virtual ~OpenEventIndex() = default;
  // Adds (or moves) `event_id` at `at`.
  virtual void Add(const std::string& district, const std::string& category,
                   const std::string& event_id, LatLng at, Done<bool> done) = 0;
  virtual void Remove(const std::string& district, const std::string& category,
                      const std::string& event_id, Done<bool> done) = 0;
  // Events within `radius_m` metres of `at`, nearest first, at most `limit`.
  virtual void Near(const std::string& district, const std::string& category, LatLng at,
                    double radius_m, int limit, Done<std::vector<std::string>> done) = 0;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_OPEN_EVENT_INDEX_H_
