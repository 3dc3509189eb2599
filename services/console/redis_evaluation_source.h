#ifndef ZHIWANG_SERVICES_CONSOLE_REDIS_EVALUATION_SOURCE_H_
#define ZHIWANG_SERVICES_CONSOLE_REDIS_EVALUATION_SOURCE_H_

// feed (issue 6): EvaluationSource over Redis.
//  - Load: one script selects the ids from the indexes — created before `to`
//    (zw:{D}:ix:q:created) minus terminal before `from` (zw:{D}:ix:q:closed) — with
//    ZRANGESTORE + ZDIFF on two scratch keys inside the script (so no id list crosses the
//    wire twice); then every event hash field `d` and timeline list is read, all
//    pipelined (HGET + LRANGE per event), in chunks of `chunk` events.
//  - the cache: zw:{D}:eval:… (keys::EvaluationCache) holds a serialized
//    zhiwang.v1.EvaluationSnapshot, expiring after 400 days.

#include "common/redis/redis_client.h"
#include "services/console/evaluation_source.h"

namespace zhiwang::console {

class RedisEvaluationSource : public EvaluationSource {
 public:
  // `client` outlives this object.
  explicit RedisEvaluationSource(redis::RedisClient* client, int chunk = 2000)
      : client_(client), chunk_(chunk) {}

  void Load(const std::string& district_id, const Period& period,
            Done<std::vector<EventRecord>> done) override;
  void GetCached(const EvaluationCacheKey& key, Done<std::optional<GroupFigures>> done) override;
  void PutCached(const EvaluationCacheKey& key, const GroupFigures& figures,
                 Done<bool> done) override;

 private:
  void LoadIds(const std::string& district_id, std::vector<std::string> ids,
               Done<std::vector<EventRecord>> done);

  redis::RedisClient* client_;
  int chunk_;
};

// Reads events and their timelines by id, pipelined (for the source and for zweval).
// Events that no longer exist are skipped. DATA_LOSS when a stored blob does not parse.
void LoadEventRecords(redis::RedisClient* client, const std::string& district_id,
                      std::vector<std::string> ids, int chunk, Done<std::vector<EventRecord>> done);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_REDIS_EVALUATION_SOURCE_H_
