#ifndef ZHIWANG_COMMON_REDIS_REDIS_OPEN_EVENT_INDEX_H_
#define ZHIWANG_COMMON_REDIS_REDIS_OPEN_EVENT_INDEX_H_

// OpenEventIndex on Redis: one GEO set per district × category (keys::OpenEventsGeo),
// GEOADD / ZREM / GEOSEARCH FROMLONLAT BYRADIUS … ASC COUNT. Thread-safe.

#include "common/domain/open_event_index.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class RedisOpenEventIndex final : public OpenEventIndex {
 public:
  explicit RedisOpenEventIndex(RedisClient* client) : client_(client) {}
  void Add(const std::string& district, const std::string& category, const std::string& event_id,
           LatLng at, Done<bool> done) override;
  void Remove(const std::string& district, const std::string& category, const std::string& event_id,
              Done<bool> done) override;
  void Near(const std::string& district, const std::string& category, LatLng at, double radius_m,
            int limit, Done<std::vector<std::string>> done) override;

 private:
  RedisClient* client_;
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_OPEN_EVENT_INDEX_H_
