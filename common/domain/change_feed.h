#ifndef ZHIWANG_COMMON_DOMAIN_CHANGE_FEED_H_
#define ZHIWANG_COMMON_DOMAIN_CHANGE_FEED_H_

// feed (issue 6): the storage port of a district's change feed (zw:{D}:q:changes, one
// entry per committed write), read by cursor for the console's live feed (WatchEvents).
// Implementation: redis::RedisChangeFeed (common/redis/redis_change_feed.h), tested
// against a real Redis (there is no in-memory one: the feed service is tested end to end).
//
// A cursor is an entry id ("<ms>-<seq>"), totally ordered. Reading after a cursor gives
// exactly the entries with a greater id, oldest first, or OUT_OF_RANGE when some of them
// were already trimmed (retention, docs/console.md): then the reader must take a fresh
// snapshot and resume from its cursor.
//
// Methods are asynchronous: `done` runs exactly once, possibly on another thread; callbacks
// must not block. Implementations are thread-safe.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace zhiwang {

// One committed write, as the feed records it.
struct ChangeRecord {
  std::string cursor;  // the entry id
  std::string event_id;
  int64_t version = 0;
  EventState state = EventState::kUnspecified;     // after the write
  EventAction action = EventAction::kUnspecified;  // of the write's last step
  absl::Time at;
};

class ChangeFeedReader {
 public:
  virtual ~ChangeFeedReader() = default;
  // Up to `limit` (1..1000) entries with an id greater than `cursor`, oldest first; empty
  // when there are none yet. OUT_OF_RANGE when entries after `cursor` were trimmed;
  // INVALID_ARGUMENT (naming "cursor") when it is not an entry id.
  virtual void ReadAfter(const std::string& district_id, const std::string& cursor, int limit,
                         std::function<void(absl::StatusOr<std::vector<ChangeRecord>>)> done) = 0;
  // The id of the newest entry ("0-0" when the feed is empty): a cursor that reads only
  // what comes next.
  virtual void Tail(const std::string& district_id,
                    std::function<void(absl::StatusOr<std::string>)> done) = 0;
};

// Parses "<ms>-<seq>" (both decimal, unsigned); false for anything else.
bool ParseFeedCursor(absl::string_view cursor, uint64_t* ms, uint64_t* seq);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_CHANGE_FEED_H_
