#include "common/domain/org_registry.h"

#include <utility>

namespace zhiwang {

absl::Status OrgRegistry::Refresh() {
  absl::MutexLock refresh_lock(&refresh_mu_);
  absl::StatusOr<std::vector<std::string>> ids = store_->ListDistricts();
  if (!ids.ok()) return ids.status();
  absl::Status first_error;
  for (const std::string& id : *ids) {
    absl::StatusOr<int64_t> version = store_->Version(id);
    if (!version.ok()) return version.status();
    {
      absl::MutexLock lock(&mu_);
      auto it = districts_.find(id);
      if (it != districts_.end() && it->second.second == *version) continue;
    }
    absl::StatusOr<VersionedDistrict> loaded = store_->Load(id);
    if (!loaded.ok()) return loaded.status();
    absl::StatusOr<std::shared_ptr<const District>> district =
        District::Create(std::move(loaded->org));
    if (!district.ok()) {
      if (first_error.ok()) first_error = district.status();
      continue;
    }
    absl::MutexLock lock(&mu_);
    Install(*std::move(district), loaded->version);
  }
  return first_error;
}

absl::StatusOr<int64_t> OrgRegistry::Publish(const DistrictOrg& org) {
  absl::StatusOr<std::shared_ptr<const District>> district = District::Create(org);
  if (!district.ok()) return district.status();
  absl::StatusOr<int64_t> version = store_->Save(org);
  if (!version.ok()) return version.status();
  absl::MutexLock lock(&mu_);
  Install(*std::move(district), *version);
  return version;
}

void OrgRegistry::Install(std::shared_ptr<const District> d, int64_t version) {
  const DistrictOrg& o = d->org();
  area_to_district_[o.id] = o.id;
  for (const StreetInfo& s : o.streets) area_to_district_[s.id] = o.id;
  for (const CommunityInfo& c : o.communities) area_to_district_[c.id] = o.id;
  for (const GridInfo& g : o.grids) area_to_district_[g.id] = o.id;
  for (const DepartmentInfo& dep : o.departments) department_to_district_[dep.id] = o.id;
  districts_[o.id] = {std::move(d), version};
}

std::shared_ptr<const District> OrgRegistry::Find(absl::string_view district_id) const {
  absl::MutexLock lock(&mu_);
  auto it = districts_.find(district_id);
  return it == districts_.end() ? nullptr : it->second.first;
}

std::vector<std::string> OrgRegistry::DistrictIds() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> ids;
  for (const auto& [id, d] : districts_) ids.push_back(id);
  return ids;
}

std::shared_ptr<const District> OrgRegistry::FindByGrid(absl::string_view grid_id) const {
  std::shared_ptr<const District> d = FindByArea(grid_id);
  if (d != nullptr && d->FindGrid(grid_id)) return d;
  return nullptr;
}

std::shared_ptr<const District> OrgRegistry::FindByDepartment(
    absl::string_view department_id) const {
  absl::MutexLock lock(&mu_);
  auto it = department_to_district_.find(department_id);
  if (it == department_to_district_.end()) return nullptr;
  auto d = districts_.find(it->second);
  if (d == districts_.end() || d->second.first->FindDepartment(department_id) == nullptr) {
    return nullptr;
  }
  return d->second.first;
}

int64_t OrgRegistry::VersionOf(absl::string_view district_id) const {
  absl::MutexLock lock(&mu_);
  auto it = districts_.find(district_id);
  return it == districts_.end() ? 0 : it->second.second;
}

std::shared_ptr<const District> OrgRegistry::FindByArea(absl::string_view area_id) const {
  absl::MutexLock lock(&mu_);
  auto it = area_to_district_.find(area_id);
  if (it == area_to_district_.end()) return nullptr;
  auto d = districts_.find(it->second);
  return d == districts_.end() ? nullptr : d->second.first;
}

}  // namespace zhiwang
