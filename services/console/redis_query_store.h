#ifndef ZHIWANG_SERVICES_CONSOLE_REDIS_QUERY_STORE_H_
#define ZHIWANG_SERVICES_CONSOLE_REDIS_QUERY_STORE_H_

// QueryStore on the indexes the write scripts keep (common/redis/query_index_ops.h,
// zw-sla's light and supervision indexes): Count is one pipelined ZCOUNT per plan, Walk
// one Lua script per batch (query_walk.lua), Board one Lua script (query_board.lua).
// Thread-safe (the client is).

#include "common/redis/redis_client.h"
#include "services/console/query_store.h"

namespace zhiwang::console {

class RedisQueryStore final : public QueryStore {
 public:
  explicit RedisQueryStore(redis::RedisClient* client) : client_(client) {}

  void Count(const std::string& district_id, const std::vector<WalkPlan>& plans,
             Done<std::vector<int64_t>> done) override;
  void Walk(const std::string& district_id, const WalkPlan& plan,
            const std::optional<SortKey>& after, int limit,
            Done<std::vector<IndexEntry>> done) override;
  void Facts(const std::string& district_id, const std::string& event_id,
             Done<EventFacts> done) override;
  void Board(const std::string& district_id, absl::Time now, Done<BoardSnapshot> done) override;

 private:
  redis::RedisClient* client_;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_REDIS_QUERY_STORE_H_
