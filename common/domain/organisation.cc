#include "common/domain/organisation.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace zhiwang {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view id, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, " '", id, "': ", why));
}

// District ids are event-id prefixes and key hash tags: digits and letters only.
bool IsSafeId(absl::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  });
}

}  // namespace

absl::StatusOr<std::shared_ptr<const District>> District::Create(DistrictOrg org) {
  if (!IsSafeId(org.id)) {
    return Invalid("district.id", org.id, "must be 1..32 letters, digits or '_'");
  }
  std::shared_ptr<District> d(new District(std::move(org)));
  const DistrictOrg& o = d->org_;
  absl::flat_hash_map<std::string, std::string> street_of_community;
  absl::flat_hash_set<std::string> streets;
  for (const StreetInfo& s : o.streets) {
    if (s.id.empty()) return Invalid("streets.id", s.id, "is empty");
    if (!streets.insert(s.id).second) return Invalid("streets.id", s.id, "is duplicated");
  }
  for (const CommunityInfo& c : o.communities) {
    if (c.id.empty()) return Invalid("communities.id", c.id, "is empty");
    if (!streets.contains(c.street_id)) {
      return Invalid("communities.street_id", c.id,
                     absl::StrCat("names unknown street '", c.street_id, "'"));
    }
    if (!street_of_community.emplace(c.id, c.street_id).second) {
      return Invalid("communities.id", c.id, "is duplicated");
    }
  }
  for (const GridInfo& g : o.grids) {
    if (g.id.empty()) return Invalid("grids.id", g.id, "is empty");
    auto it = street_of_community.find(g.community_id);
    if (it == street_of_community.end()) {
      return Invalid("grids.community_id", g.id,
                     absl::StrCat("names unknown community '", g.community_id, "'"));
    }
    if (!d->grids_.emplace(g.id, GridPlace{o.id, it->second, g.community_id}).second) {
      return Invalid("grids.id", g.id, "is duplicated");
    }
  }
  for (size_t i = 0; i < o.departments.size(); ++i) {
    const DepartmentInfo& dep = o.departments[i];
    if (dep.id.empty()) return Invalid("departments.id", dep.id, "is empty");
    if (dep.level == DepartmentLevel::kUnspecified) {
      return Invalid("departments.level", dep.id, "must be street or district");
    }
    if (dep.level == DepartmentLevel::kStreet && !streets.contains(dep.street_id)) {
      return Invalid("departments.street_id", dep.id,
                     absl::StrCat("names unknown street '", dep.street_id, "'"));
    }
    if (!d->departments_.emplace(dep.id, i).second) {
      return Invalid("departments.id", dep.id, "is duplicated");
    }
  }
  for (size_t i = 0; i < o.categories.size(); ++i) {
    const CategoryInfo& c = o.categories[i];
    if (c.code.empty()) return Invalid("categories.code", c.code, "is empty");
    if (c.default_urgency == Urgency::kUnspecified) {
      return Invalid("categories.default_urgency", c.code, "must be set");
    }
    if (!d->categories_.emplace(c.code, i).second) {
      return Invalid("categories.code", c.code, "is duplicated");
    }
  }
  for (size_t i = 0; i < o.routing_rules.size(); ++i) {
    const RoutingRuleInfo& r = o.routing_rules[i];
    if (!d->categories_.contains(r.category_code)) {
      return Invalid("routing_rules.category_code", r.category_code, "is not a category");
    }
    for (const std::string& dep : r.department_ids) {
      if (!d->departments_.contains(dep)) {
        return Invalid(
            "routing_rules.department_ids", dep,
            absl::StrCat("is not a department (rule for category '", r.category_code, "')"));
      }
    }
    if (!d->rules_.emplace(r.category_code, i).second) {
      return Invalid("routing_rules.category_code", r.category_code, "has two rules");
    }
  }
  return std::shared_ptr<const District>(std::move(d));
}

std::optional<GridPlace> District::FindGrid(absl::string_view grid_id) const {
  auto it = grids_.find(grid_id);
  if (it == grids_.end()) return std::nullopt;
  return it->second;
}

const CategoryInfo* District::FindCategory(absl::string_view code) const {
  auto it = categories_.find(code);
  return it == categories_.end() ? nullptr : &org_.categories[it->second];
}

const DepartmentInfo* District::FindDepartment(absl::string_view id) const {
  auto it = departments_.find(id);
  return it == departments_.end() ? nullptr : &org_.departments[it->second];
}

std::optional<std::string> District::Route(absl::string_view category,
                                           const std::vector<std::string>& excluded) const {
  auto it = rules_.find(category);
  if (it == rules_.end()) return std::nullopt;
  for (const std::string& dep : org_.routing_rules[it->second].department_ids) {
    if (std::find(excluded.begin(), excluded.end(), dep) == excluded.end()) return dep;
  }
  return std::nullopt;
}

}  // namespace zhiwang
