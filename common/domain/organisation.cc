#include "common/domain/organisation.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace zhiwang {
namespace {

// INVALID_ARGUMENT "<field> '<id>': <why>", with the element's path (e.g.
// "grids[17].community_id") attached as the kOrgPathPayload payload.
absl::Status Invalid(absl::string_view field, absl::string_view id, absl::string_view why,
                     absl::string_view path = "") {
  absl::Status s = absl::InvalidArgumentError(absl::StrCat(field, " '", id, "': ", why));
  if (!path.empty()) s.SetPayload(kOrgPathPayload, absl::Cord(path));
  return s;
}

std::string At(absl::string_view list, size_t i, absl::string_view field) {
  return absl::StrCat(list, "[", i, "]", field.empty() ? "" : ".", field);
}

// District ids are event-id prefixes and key hash tags: digits and letters only.
bool IsSafeId(absl::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  });
}

}  // namespace

absl::string_view AreaScopeName(AreaScope s) {
  switch (s) {
    case AreaScope::kGrid:
      return "grid";
    case AreaScope::kCommunity:
      return "community";
    case AreaScope::kStreet:
      return "street";
    case AreaScope::kDistrict:
    case AreaScope::kUnspecified:
      return "district";
  }
  return "district";
}

absl::StatusOr<std::shared_ptr<const District>> District::Create(DistrictOrg org) {
  if (!IsSafeId(org.id)) {
    return Invalid("district.id", org.id, "must be 1..32 letters, digits or '_'", "id");
  }
  std::shared_ptr<District> d(new District(std::move(org)));
  const DistrictOrg& o = d->org_;
  absl::flat_hash_map<std::string, std::string>& street_of_community = d->community_street_;
  absl::flat_hash_set<std::string> streets;
  for (size_t i = 0; i < o.streets.size(); ++i) {
    const StreetInfo& s = o.streets[i];
    if (s.id.empty()) return Invalid("streets.id", s.id, "is empty", At("streets", i, "id"));
    if (!streets.insert(s.id).second) {
      return Invalid("streets.id", s.id, "is duplicated", At("streets", i, "id"));
    }
  }
  for (size_t i = 0; i < o.communities.size(); ++i) {
    const CommunityInfo& c = o.communities[i];
    if (c.id.empty()) {
      return Invalid("communities.id", c.id, "is empty", At("communities", i, "id"));
    }
    if (!streets.contains(c.street_id)) {
      return Invalid("communities.street_id", c.id,
                     absl::StrCat("names unknown street '", c.street_id, "'"),
                     At("communities", i, "street_id"));
    }
    if (!street_of_community.emplace(c.id, c.street_id).second) {
      return Invalid("communities.id", c.id, "is duplicated", At("communities", i, "id"));
    }
  }
  for (size_t i = 0; i < o.grids.size(); ++i) {
    const GridInfo& g = o.grids[i];
    if (g.id.empty()) return Invalid("grids.id", g.id, "is empty", At("grids", i, "id"));
    auto it = street_of_community.find(g.community_id);
    if (it == street_of_community.end()) {
      return Invalid("grids.community_id", g.id,
                     absl::StrCat("names unknown community '", g.community_id, "'"),
                     At("grids", i, "community_id"));
    }
    if (!d->grids_.emplace(g.id, GridPlace{o.id, it->second, g.community_id}).second) {
      return Invalid("grids.id", g.id, "is duplicated", At("grids", i, "id"));
    }
  }
  for (size_t i = 0; i < o.departments.size(); ++i) {
    const DepartmentInfo& dep = o.departments[i];
    if (dep.id.empty()) {
      return Invalid("departments.id", dep.id, "is empty", At("departments", i, "id"));
    }
    if (dep.level == DepartmentLevel::kUnspecified) {
      return Invalid("departments.level", dep.id, "must be street or district",
                     At("departments", i, "level"));
    }
    if (dep.level == DepartmentLevel::kStreet && !streets.contains(dep.street_id)) {
      return Invalid("departments.street_id", dep.id,
                     absl::StrCat("names unknown street '", dep.street_id, "'"),
                     At("departments", i, "street_id"));
    }
    if (!d->departments_.emplace(dep.id, i).second) {
      return Invalid("departments.id", dep.id, "is duplicated", At("departments", i, "id"));
    }
  }
  for (size_t i = 0; i < o.categories.size(); ++i) {
    const CategoryInfo& c = o.categories[i];
    if (c.code.empty()) {
      return Invalid("categories.code", c.code, "is empty", At("categories", i, "code"));
    }
    if (c.default_urgency == Urgency::kUnspecified) {
      return Invalid("categories.default_urgency", c.code, "must be set",
                     At("categories", i, "default_urgency"));
    }
    if (!d->categories_.emplace(c.code, i).second) {
      return Invalid("categories.code", c.code, "is duplicated", At("categories", i, "code"));
    }
  }
  for (size_t i = 0; i < o.routing_rules.size(); ++i) {
    const RoutingRuleInfo& r = o.routing_rules[i];
    if (!d->categories_.contains(r.category_code)) {
      return Invalid("routing_rules.category_code", r.category_code, "is not a category",
                     At("routing_rules", i, "category_code"));
    }
    for (size_t k = 0; k < r.department_ids.size(); ++k) {
      const std::string& dep = r.department_ids[k];
      if (!d->departments_.contains(dep)) {
        return Invalid(
            "routing_rules.department_ids", dep,
            absl::StrCat("is not a department (rule for category '", r.category_code, "')"),
            absl::StrCat(At("routing_rules", i, "department_ids"), "[", k, "]"));
      }
    }
    if (r.scope == AreaScope::kUnspecified || r.scope == AreaScope::kDistrict) {
      if (!d->rules_.contains(r.category_code)) d->rules_.emplace(r.category_code, i);
    }
  }
  if (absl::Status s = d->IndexIssue3(); !s.ok()) return s;
  return std::shared_ptr<const District>(std::move(d));
}

// The checks and indexes added by issue 3: polygons, scoped rules, jurisdictions,
// dispatch centres and settings.
absl::Status District::IndexIssue3() {
  const DistrictOrg& o = org_;
  std::vector<Polygon> polygons;
  for (size_t i = 0; i < o.grids.size(); ++i) {
    const GridInfo& g = o.grids[i];
    if (g.polygon.empty()) continue;
    std::string path = At("grids", i, "polygon");
    if (g.polygon.size() < 3) {
      return Invalid("grids.polygon", g.id, "needs at least 3 vertices", path);
    }
    for (const LatLng& v : g.polygon) {
      if (!std::isfinite(v.lat) || !std::isfinite(v.lng) || v.lat < -90 || v.lat > 90 ||
          v.lng < -180 || v.lng > 180) {
        return Invalid("grids.polygon", g.id, "has a vertex outside WGS-84 ranges", path);
      }
    }
    if (SignedArea(g.polygon) == 0) {
      return Invalid("grids.polygon", g.id, "has no area (degenerate)", path);
    }
    polygons.push_back(g.polygon);
    geo_grid_.push_back(static_cast<int32_t>(i));
  }
  geo_ = GeoIndex::Build(std::move(polygons));

  auto area_in = [&](absl::string_view area, absl::string_view street) {
    // Is `area` (a street or community id, or the district) inside `street`?
    if (area == o.id) return street.empty();
    if (area == street) return true;
    auto it = community_street_.find(area);
    return it != community_street_.end() && it->second == street;
  };
  auto is_area = [&](absl::string_view area) {
    if (area == o.id) return true;
    for (const StreetInfo& s : o.streets) {
      if (s.id == area) return true;
    }
    return community_street_.contains(area);
  };
  for (size_t i = 0; i < o.departments.size(); ++i) {
    const DepartmentInfo& dep = o.departments[i];
    if (!dep.jurisdiction_area_id.empty()) {
      bool ok =
          is_area(dep.jurisdiction_area_id) && (dep.level == DepartmentLevel::kDistrict ||
                                                area_in(dep.jurisdiction_area_id, dep.street_id));
      if (!ok) {
        return Invalid("departments.jurisdiction_area_id", dep.id,
                       absl::StrCat("'", dep.jurisdiction_area_id,
                                    "' is not the district, a street or a community within the "
                                    "department's reach"),
                       At("departments", i, "jurisdiction_area_id"));
      }
    }
    for (size_t k = 0; k < dep.category_codes.size(); ++k) {
      if (!categories_.contains(dep.category_codes[k])) {
        return Invalid("departments.category_codes", dep.id,
                       absl::StrCat("'", dep.category_codes[k], "' is not a category"),
                       absl::StrCat(At("departments", i, "category_codes"), "[", k, "]"));
      }
    }
    if (dep.integration_mode == IntegrationMode::kWebhook && dep.webhook_url.empty()) {
      return Invalid("departments.integration.webhook_url", dep.id,
                     "is required for webhook integration",
                     At("departments", i, "integration.webhook_url"));
    }
  }
  // Where each area lies, for rule and jurisdiction checks.
  auto street_of_area = [&](AreaScope scope, absl::string_view area) -> std::optional<std::string> {
    switch (scope) {
      case AreaScope::kGrid: {
        auto it = grids_.find(area);
        if (it == grids_.end()) return std::nullopt;
        return it->second.street_id;
      }
      case AreaScope::kCommunity: {
        auto it = community_street_.find(area);
        if (it == community_street_.end()) return std::nullopt;
        return it->second;
      }
      case AreaScope::kStreet:
        for (const StreetInfo& s : o.streets) {
          if (s.id == area) return s.id;
        }
        return std::nullopt;
      default:
        return std::string();
    }
  };
  absl::flat_hash_set<std::string> rule_ids;
  absl::flat_hash_set<std::string> rule_slots;
  for (size_t i = 0; i < o.routing_rules.size(); ++i) {
    const RoutingRuleInfo& r = o.routing_rules[i];
    std::string id = r.id.empty() ? absl::StrCat("rule#", i) : r.id;
    if (!rule_ids.insert(id).second) {
      return Invalid("routing_rules.id", id, "is duplicated", At("routing_rules", i, "id"));
    }
    if (static_cast<int>(r.scope) < 0 || static_cast<int>(r.scope) > 4) {
      return Invalid("routing_rules.scope", id, "is not a scope", At("routing_rules", i, "scope"));
    }
    bool district_scope = r.scope == AreaScope::kUnspecified || r.scope == AreaScope::kDistrict;
    if (district_scope && !r.area_id.empty() && r.area_id != o.id) {
      return Invalid("routing_rules.area_id", id,
                     "must be empty or the district id for district scope",
                     At("routing_rules", i, "area_id"));
    }
    std::optional<std::string> street = street_of_area(r.scope, r.area_id);
    if (!district_scope && !street) {
      return Invalid("routing_rules.area_id", id,
                     absl::StrCat("'", r.area_id, "' is not a ", AreaScopeName(r.scope)),
                     At("routing_rules", i, "area_id"));
    }
    // Jurisdiction is checked when routing (a district-wide rule may name a street
    // department first: it serves events of its own street only).
    const CategoryInfo* cat = FindCategory(r.category_code);
    if (cat->district_level && !district_scope) {
      return Invalid("routing_rules.scope", id,
                     absl::StrCat("category ", cat->code,
                                  " is district-level: only district "
                                  "rules apply"),
                     At("routing_rules", i, "scope"));
    }
    std::string slot = absl::StrCat(r.category_code, "|", district_scope ? 4 : int(r.scope), "|",
                                    district_scope ? "" : r.area_id, "|", r.priority);
    if (!rule_slots.insert(slot).second) {
      return Invalid("routing_rules.category_code", r.category_code,
                     absl::StrCat("has two rules for the same area and priority (", id, ")"),
                     At("routing_rules", i, "category_code"));
    }
    rules_by_category_[r.category_code].push_back(&r);
    rule_index_[&r] = i;
  }
  for (auto& [code, rules] : rules_by_category_) {
    std::stable_sort(rules.begin(), rules.end(),
                     [](const RoutingRuleInfo* a, const RoutingRuleInfo* b) {
                       auto rank = [](AreaScope s) {
                         return s == AreaScope::kUnspecified ? 4 : static_cast<int>(s);
                       };
                       if (rank(a->scope) != rank(b->scope)) return rank(a->scope) < rank(b->scope);
                       return a->priority > b->priority;
                     });
  }
  absl::flat_hash_set<std::string> centre_ids;
  for (size_t i = 0; i < o.dispatch_centres.size(); ++i) {
    const DispatchCentreInfo& c = o.dispatch_centres[i];
    if (!IsSafeId(c.id)) {
      return Invalid("dispatch_centres.id", c.id, "must be 1..32 letters, digits or '_'",
                     At("dispatch_centres", i, "id"));
    }
    if (!centre_ids.insert(c.id).second) {
      return Invalid("dispatch_centres.id", c.id, "is duplicated", At("dispatch_centres", i, "id"));
    }
    if (c.level == DepartmentLevel::kStreet) {
      if (!street_of_area(AreaScope::kStreet, c.street_id)) {
        return Invalid("dispatch_centres.street_id", c.id,
                       absl::StrCat("names unknown street '", c.street_id, "'"),
                       At("dispatch_centres", i, "street_id"));
      }
      if (!street_centres_.emplace(c.street_id, i).second) {
        return Invalid("dispatch_centres.street_id", c.id, "street already has a centre",
                       At("dispatch_centres", i, "street_id"));
      }
    } else if (c.level == DepartmentLevel::kDistrict) {
      if (district_centre_) {
        return Invalid("dispatch_centres.level", c.id, "the district already has a centre",
                       At("dispatch_centres", i, "level"));
      }
      district_centre_ = i;
    } else {
      return Invalid("dispatch_centres.level", c.id, "must be street or district",
                     At("dispatch_centres", i, "level"));
    }
  }
  const RoutingSettings& st = o.settings;
  if (st.max_rejections < 0 || st.max_rejections > 10) {
    return Invalid("routing_settings.max_rejections", o.id, "must be within 0..10",
                   "routing_settings.max_rejections");
  }
  if (!std::isfinite(st.duplicate_radius_m) || st.duplicate_radius_m < 0 ||
      st.duplicate_radius_m > 10000) {
    return Invalid("routing_settings.duplicate_radius_m", o.id, "must be within 0..10000",
                   "routing_settings.duplicate_radius_m");
  }
  if (st.duplicate_window_s < 0) {
    return Invalid("routing_settings.duplicate_window_s", o.id, "must not be negative",
                   "routing_settings.duplicate_window_s");
  }
  return absl::OkStatus();
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

const std::vector<const RoutingRuleInfo*>& District::RulesFor(absl::string_view category) const {
  static const auto* kNone = new std::vector<const RoutingRuleInfo*>();
  auto it = rules_by_category_.find(category);
  return it == rules_by_category_.end() ? *kNone : it->second;
}

std::string District::RuleId(const RoutingRuleInfo& rule) const {
  if (!rule.id.empty()) return rule.id;
  auto it = rule_index_.find(&rule);
  return it == rule_index_.end() ? "rule#?" : absl::StrCat("rule#", it->second);
}

const GridInfo* District::LocateGrid(LatLng p) const {
  std::optional<int32_t> i = geo_.Locate(p);
  if (!i) return nullptr;
  return &org_.grids[geo_grid_[*i]];
}

const DispatchCentreInfo* District::StreetCentre(absl::string_view street_id) const {
  auto it = street_centres_.find(street_id);
  return it == street_centres_.end() ? nullptr : &org_.dispatch_centres[it->second];
}

const DispatchCentreInfo* District::DistrictCentre() const {
  return district_centre_ ? &org_.dispatch_centres[*district_centre_] : nullptr;
}

std::string District::TriageCentreFor(absl::string_view street_id, bool district_level) const {
  if (!district_level) {
    if (const DispatchCentreInfo* c = StreetCentre(street_id)) return c->id;
  }
  if (const DispatchCentreInfo* c = DistrictCentre()) return c->id;
  return absl::StrCat(org_.id, "_triage");
}

RoutingSettings District::settings() const {
  RoutingSettings s = org_.settings;
  if (s.max_rejections == 0) s.max_rejections = 2;
  if (s.duplicate_radius_m == 0) s.duplicate_radius_m = 250;
  if (s.duplicate_window_s == 0) s.duplicate_window_s = 86400;
  if (s.recategorise_clock == RecategoriseClock::kUnspecified) {
    s.recategorise_clock = RecategoriseClock::kRestart;
  }
  return s;
}

bool District::Serves(const DepartmentInfo& dep, const GridPlace& place) const {
  const std::string& area = !dep.jurisdiction_area_id.empty()       ? dep.jurisdiction_area_id
                            : dep.level == DepartmentLevel::kStreet ? dep.street_id
                                                                    : org_.id;
  return area == org_.id || area == place.street_id || area == place.community_id;
}

std::string District::StreetOfCommunity(absl::string_view community_id) const {
  auto it = community_street_.find(community_id);
  return it == community_street_.end() ? "" : it->second;
}

}  // namespace zhiwang
