#ifndef ZHIWANG_COMMON_DOMAIN_ORGANISATION_H_
#define ZHIWANG_COMMON_DOMAIN_ORGANISATION_H_

// A district's organisation as the domain uses it: areas, departments, categories and
// the category → departments routing table, with validated lookups.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/event.h"

namespace zhiwang {

struct GridInfo {
  std::string id, name, community_id;
};
struct CommunityInfo {
  std::string id, name, street_id;
};
struct StreetInfo {
  std::string id, name;
};
enum class DepartmentLevel : int { kUnspecified = 0, kStreet = 1, kDistrict = 2 };
struct DepartmentInfo {
  std::string id, name;
  DepartmentLevel level = DepartmentLevel::kUnspecified;
  std::string street_id;
};
struct CategoryInfo {
  std::string code, name, major;
  Urgency default_urgency = Urgency::kUnspecified;
};
struct RoutingRuleInfo {
  std::string category_code;
  std::vector<std::string> department_ids;  // in order of preference
};

struct DistrictOrg {
  std::string id, name;
  std::vector<StreetInfo> streets;
  std::vector<CommunityInfo> communities;
  std::vector<GridInfo> grids;
  std::vector<DepartmentInfo> departments;
  std::vector<CategoryInfo> categories;
  std::vector<RoutingRuleInfo> routing_rules;
};

// Where a grid sits.
struct GridPlace {
  std::string district_id, street_id, community_id;
};

// An immutable, validated district with O(1) lookups. Thread-safe (read-only).
class District {
 public:
  // Validates and indexes `org`. INVALID_ARGUMENT names the offending field and id:
  // empty or duplicate ids, a parent that does not exist, a rule naming an unknown
  // category or department, an unspecified level or urgency.
  static absl::StatusOr<std::shared_ptr<const District>> Create(DistrictOrg org);

  const DistrictOrg& org() const { return org_; }
  const std::string& id() const { return org_.id; }
  std::optional<GridPlace> FindGrid(absl::string_view grid_id) const;
  const CategoryInfo* FindCategory(absl::string_view code) const;
  const DepartmentInfo* FindDepartment(absl::string_view id) const;
  // The first department routing `category` that is not in `excluded`, or nullopt when
  // none is left (the event then waits for triage by a dispatcher).
  std::optional<std::string> Route(absl::string_view category,
                                   const std::vector<std::string>& excluded) const;

 private:
  explicit District(DistrictOrg org) : org_(std::move(org)) {}
  DistrictOrg org_;
  absl::flat_hash_map<std::string, GridPlace> grids_;
  absl::flat_hash_map<std::string, size_t> categories_;
  absl::flat_hash_map<std::string, size_t> departments_;
  absl::flat_hash_map<std::string, size_t> rules_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_ORGANISATION_H_
