#include "common/store/memory_org_store.h"

#include "absl/strings/str_cat.h"

namespace zhiwang {

absl::StatusOr<int64_t> MemoryOrgStore::Save(const DistrictOrg& org) {
  absl::MutexLock lock(&mu_);
  VersionedDistrict& d = districts_[org.id];
  d.org = org;
  return ++d.version;
}

absl::StatusOr<VersionedDistrict> MemoryOrgStore::Load(const std::string& district_id) {
  absl::MutexLock lock(&mu_);
  auto it = districts_.find(district_id);
  if (it == districts_.end()) {
    return absl::NotFoundError(absl::StrCat("district ", district_id, " not found"));
  }
  return it->second;
}

absl::StatusOr<std::vector<std::string>> MemoryOrgStore::ListDistricts() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  for (const auto& [id, d] : districts_) ids.push_back(id);
  return ids;
}

absl::StatusOr<int64_t> MemoryOrgStore::Version(const std::string& district_id) {
  absl::MutexLock lock(&mu_);
  auto it = districts_.find(district_id);
  return it == districts_.end() ? 0 : it->second.version;
}

}  // namespace zhiwang
