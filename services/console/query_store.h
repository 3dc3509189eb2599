#ifndef ZHIWANG_SERVICES_CONSOLE_QUERY_STORE_H_
#define ZHIWANG_SERVICES_CONSOLE_QUERY_STORE_H_

// The console's read port (issue 6), shaped by the search: count the entries of candidate
// indexes, walk one index from a sort key in bounded batches (events and their facts read
// with it), read one event's facts, and take the board. Implementations: MemoryQueryStore
// (unit tests, brute force over its own copy of the events) and RedisQueryStore (the
// indexes the write scripts keep; one Lua script per batch and one for the board). Both
// pass services/console/query_store_contract.h.
//
// Asynchronous like EventStore: `done` runs exactly once, possibly on another thread.
// Implementations are thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/event_store.h"
#include "services/console/event_query.h"
#include "services/console/query_cursor.h"
#include "services/console/query_plan.h"

namespace zhiwang::console {

struct IndexEntry {
  SortKey key;                 // the entry's score and id
  std::optional<Event> event;  // nullopt when the event is gone (never, today)
  EventFacts facts;
};

struct BoardCell {
  EventState state = EventState::kUnspecified;
  int64_t total = 0, green = 0, yellow = 0, red = 0;
};
struct BoardRow {
  std::string id;                // street or department id; "" for the district
  std::vector<BoardCell> cells;  // by state number, states with total > 0 only
};
// Counts by state × light, exact as of the change-feed entry `feed_cursor`.
struct BoardSnapshot {
  BoardRow district;
  std::vector<BoardRow> streets;      // by id
  std::vector<BoardRow> departments;  // by id (holding department)
  std::string feed_cursor;            // the last change-feed entry id, "0-0" when none
};

class QueryStore {
 public:
  virtual ~QueryStore() = default;

  // The number of entries of each plan's index within its score bounds.
  virtual void Count(const std::string& district_id, const std::vector<WalkPlan>& plans,
                     Done<std::vector<int64_t>> done) = 0;
  // Up to `limit` entries of the plan's index within its bounds, in its direction,
  // strictly after `after` (ties in score ordered by id), with their events and facts.
  // Fewer than `limit` entries means the index has no more.
  virtual void Walk(const std::string& district_id, const WalkPlan& plan,
                    const std::optional<SortKey>& after, int limit,
                    Done<std::vector<IndexEntry>> done) = 0;
  // The facts of one event (no clock and not supervised when unknown).
  virtual void Facts(const std::string& district_id, const std::string& event_id,
                     Done<EventFacts> done) = 0;
  // The board of a district at `now`, in one atomic read.
  virtual void Board(const std::string& district_id, absl::Time now, Done<BoardSnapshot> done) = 0;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_QUERY_STORE_H_
