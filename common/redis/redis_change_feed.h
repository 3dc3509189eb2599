#ifndef ZHIWANG_COMMON_REDIS_REDIS_CHANGE_FEED_H_
#define ZHIWANG_COMMON_REDIS_REDIS_CHANGE_FEED_H_

// feed (issue 6): the change feed port (common/domain/change_feed.h) over Redis, and the
// one function allowed to trim the feed.
//
// The feed is zw:{D}:q:changes (keys::ChangeFeed); its floor zw:{D}:q:changes:floor
// (keys::ChangeFeedFloor) is the id below which entries were trimmed. TrimChangeFeed sets
// the floor and trims in one script, and ReadAfter compares the cursor with the floor and
// reads in one script, so a read never silently skips trimmed entries.

#include <string>

#include "absl/status/statusor.h"
#include "common/domain/change_feed.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class RedisChangeFeed : public ChangeFeedReader {
 public:
  // `client` outlives this object.
  explicit RedisChangeFeed(RedisClient* client) : client_(client) {}

  void ReadAfter(const std::string& district_id, const std::string& cursor, int limit,
                 std::function<void(absl::StatusOr<std::vector<ChangeRecord>>)> done) override;
  void Tail(const std::string& district_id,
            std::function<void(absl::StatusOr<std::string>)> done) override;

 private:
  RedisClient* client_;
};

// Removes the district's change-feed entries with an id below `min_id` (XTRIM MINID) — but
// never the newest entry, so a snapshot's cursor (the newest id, e.g. GetBoard's) is never
// below the floor — and raises the floor to the id it trimmed below (never lowers it),
// atomically. An empty feed is left alone. Returns the number of entries removed.
// Blocking: not from a Redis callback.
absl::StatusOr<int64_t> TrimChangeFeed(RedisClient* client, const std::string& district_id,
                                       const std::string& min_id);

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_CHANGE_FEED_H_
