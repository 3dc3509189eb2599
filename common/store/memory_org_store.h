#ifndef ZHIWANG_COMMON_STORE_MEMORY_ORG_STORE_H_
#define ZHIWANG_COMMON_STORE_MEMORY_ORG_STORE_H_

// OrgStore in memory, for unit tests. Thread-safe.

#include <map>

#include "absl/synchronization/mutex.h"
#include "common/domain/org_registry.h"

namespace zhiwang {

class MemoryOrgStore final : public OrgStore {
 public:
  absl::StatusOr<int64_t> Save(const DistrictOrg& org) override;
  absl::StatusOr<VersionedDistrict> Load(const std::string& district_id) override;
  absl::StatusOr<std::vector<std::string>> ListDistricts() override;
  absl::StatusOr<int64_t> Version(const std::string& district_id) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, VersionedDistrict> districts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_STORE_MEMORY_ORG_STORE_H_
