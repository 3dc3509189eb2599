#ifndef ZHIWANG_COMMON_DOMAIN_ORG_REGISTRY_H_
#define ZHIWANG_COMMON_DOMAIN_ORG_REGISTRY_H_

// The organisations in force, shared by every handler of a service, and the storage port
// they are loaded from.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/domain/organisation.h"

namespace zhiwang {

struct VersionedDistrict {
  DistrictOrg org;
  int64_t version = 0;
};

// Where district organisations are kept. Blocking (loads are rare).
// Implementations: MemoryOrgStore, RedisOrgStore. Thread-safe.
class OrgStore {
 public:
  virtual ~OrgStore() = default;
  // Replaces the district atomically and returns its new version (previous + 1).
  virtual absl::StatusOr<int64_t> Save(const DistrictOrg& org) = 0;
  // NOT_FOUND when the district was never saved.
  virtual absl::StatusOr<VersionedDistrict> Load(const std::string& district_id) = 0;
  virtual absl::StatusOr<std::vector<std::string>> ListDistricts() = 0;
  // The district's current version, or 0 when it was never saved.
  virtual absl::StatusOr<int64_t> Version(const std::string& district_id) = 0;
};

// The validated districts in force, with lookups across districts (which district a grid
// or an area belongs to). Refresh() picks up new versions from the store; readers are
// never blocked for long (they copy a shared_ptr). Thread-safe.
class OrgRegistry {
 public:
  explicit OrgRegistry(OrgStore* store) : store_(store) {}

  // Loads every district whose stored version differs from the one in force. A district
  // that fails validation keeps its previous version; the error is returned (after the
  // others were refreshed).
  absl::Status Refresh();

  // Validates `org` and saves it; INVALID_ARGUMENT (naming the field) writes nothing.
  absl::StatusOr<int64_t> Publish(const DistrictOrg& org);

  std::shared_ptr<const District> Find(absl::string_view district_id) const;
  // The ids of the districts in force.
  std::vector<std::string> DistrictIds() const;
  // The district holding a grid, nullptr when no district has it.
  std::shared_ptr<const District> FindByGrid(absl::string_view grid_id) const;
  // The district an area id (district, street, community or grid) belongs to.
  std::shared_ptr<const District> FindByArea(absl::string_view area_id) const;
  // The district a department belongs to.
  std::shared_ptr<const District> FindByDepartment(absl::string_view department_id) const;
  // The version in force of a district, 0 when none.
  int64_t VersionOf(absl::string_view district_id) const;

 private:
  void Install(std::shared_ptr<const District> d, int64_t version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  OrgStore* store_;
  absl::Mutex refresh_mu_;  // one Refresh at a time
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::pair<std::shared_ptr<const District>, int64_t>> districts_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> area_to_district_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> department_to_district_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_ORG_REGISTRY_H_
