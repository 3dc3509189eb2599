#ifndef ZHIWANG_SERVICES_SLA_REDIS_SLA_STORE_H_
#define ZHIWANG_SERVICES_SLA_REDIS_SLA_STORE_H_

// SlaStore on Redis: per district one timer sorted set (scored by due ms) and one
// notification stream, per event one SLA record hash, all under the district's hash tag
// (keys::SlaTimers, keys::Notifications, keys::SlaRecord). Arm and FireDue are one Lua
// script each (scripts/sla_arm.lua, scripts/sla_fire.lua); FireDue also checks the
// event's state in its hash, so a timer whose stage the event has left fires nothing
// even before the change reached the SLA service. Calls block. Thread-safe.

#include "common/redis/redis_client.h"
#include "services/sla/sla_store.h"

namespace zhiwang::sla {

class RedisSlaStore final : public SlaStore {
 public:
  explicit RedisSlaStore(redis::RedisClient* client) : client_(client) {}

  absl::StatusOr<std::optional<SlaRecord>> Load(const std::string& district_id,
                                                const std::string& event_id) override;
  absl::Status Arm(const std::string& district_id, int64_t expected_version,
                   const ArmPlan& plan) override;
  absl::StatusOr<std::vector<Notice>> FireDue(const std::string& district_id, absl::Time now,
                                              int max) override;
  absl::StatusOr<std::vector<Notice>> RecentNotices(const std::string& district_id,
                                                    int limit) override;
  absl::StatusOr<int64_t> TimerCount(const std::string& district_id) override;

 private:
  redis::RedisClient* client_;
};

// ",<state>:<stage>,…," for every state with a stage (the fire script's cross-check).
std::string StateStageMap();

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_REDIS_SLA_STORE_H_
