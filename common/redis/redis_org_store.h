#ifndef ZHIWANG_COMMON_REDIS_REDIS_ORG_STORE_H_
#define ZHIWANG_COMMON_REDIS_REDIS_ORG_STORE_H_

// OrgStore on Redis: each district's organisation is one hash {v, d} (keys.h), replaced
// with one MULTI/EXEC so readers see the old or the new version, never a mix.
// Thread-safe; blocking (uses RedisClient::Call — not from a Redis callback).

#include "common/domain/org_registry.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class RedisOrgStore final : public OrgStore {
 public:
  explicit RedisOrgStore(RedisClient* client) : client_(client) {}
  absl::StatusOr<int64_t> Save(const DistrictOrg& org) override;
  absl::StatusOr<VersionedDistrict> Load(const std::string& district_id) override;
  absl::StatusOr<std::vector<std::string>> ListDistricts() override;
  absl::StatusOr<int64_t> Version(const std::string& district_id) override;

 private:
  RedisClient* client_;
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_ORG_STORE_H_
