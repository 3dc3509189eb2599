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
#include "common/domain/geo_index.h"

namespace zhiwang {

struct GridInfo {
  std::string id, name, community_id;
  Polygon polygon;  // org (issue 3): empty = cannot be located from a point
};
struct CommunityInfo {
  std::string id, name, street_id;
};
struct StreetInfo {
  std::string id, name;
};
enum class DepartmentLevel : int { kUnspecified = 0, kStreet = 1, kDistrict = 2 };
enum class IntegrationMode : int { kUnspecified = 0, kConsole = 1, kStream = 2, kWebhook = 3 };
struct DepartmentInfo {
  std::string id, name;
  DepartmentLevel level = DepartmentLevel::kUnspecified;
  std::string street_id;
  // ---- org (issue 3)
  std::vector<std::string> category_codes;  // informational
  std::string jurisdiction_area_id;         // "" = its street / the district
  IntegrationMode integration_mode = IntegrationMode::kUnspecified;
  std::string webhook_url;
};
struct CategoryInfo {
  std::string code, name, major;
  Urgency default_urgency = Urgency::kUnspecified;
  bool district_level = false;  // org (issue 3): only district rules and centre apply
};
// org (issue 3): the area a routing rule covers. Numbers equal zhiwang.v1.AreaScope;
// more specific scopes have smaller numbers (kUnspecified means district).
enum class AreaScope : int {
  kUnspecified = 0,
  kGrid = 1,
  kCommunity = 2,
  kStreet = 3,
  kDistrict = 4
};
absl::string_view AreaScopeName(AreaScope s);  // "grid", "community", "street", "district"
struct RoutingRuleInfo {
  std::string category_code;
  std::vector<std::string> department_ids;  // in order of preference
  // ---- org (issue 3)
  std::string id;  // "" = "rule#<index>"
  AreaScope scope = AreaScope::kUnspecified;
  std::string area_id;  // "" for district scope
  int32_t priority = 0;
};
// ---- org (issue 3)
struct DispatchCentreInfo {
  std::string id, name;
  DepartmentLevel level = DepartmentLevel::kUnspecified;
  std::string street_id;  // street level only
};
enum class RecategoriseClock : int { kUnspecified = 0, kRestart = 1, kKeep = 2 };
// Zero values take the defaults (District::settings() resolves them).
struct RoutingSettings {
  int32_t max_rejections = 0;                                              // default 2
  double duplicate_radius_m = 0;                                           // default 250
  int32_t duplicate_window_s = 0;                                          // default 86400
  RecategoriseClock recategorise_clock = RecategoriseClock::kUnspecified;  // default restart
};

struct DistrictOrg {
  std::string id, name;
  std::vector<StreetInfo> streets;
  std::vector<CommunityInfo> communities;
  std::vector<GridInfo> grids;
  std::vector<DepartmentInfo> departments;
  std::vector<CategoryInfo> categories;
  std::vector<RoutingRuleInfo> routing_rules;
  // ---- org (issue 3)
  std::vector<DispatchCentreInfo> dispatch_centres;
  RoutingSettings settings;
};

// org (issue 3): the type URL of the payload District::Create attaches to an
// INVALID_ARGUMENT: the path of the offending element, e.g. "grids[17].polygon", so that
// a file loader can map it back to a line.
inline constexpr char kOrgPathPayload[] = "type.zhiwang/org.path";

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

  // ---- org (issue 3)
  // The rules of a category, most specific first (scope, then priority descending, then
  // file order). Empty when none.
  const std::vector<const RoutingRuleInfo*>& RulesFor(absl::string_view category) const;
  // The effective id of a rule ("rule#<index>" when the file gives none).
  std::string RuleId(const RoutingRuleInfo& rule) const;
  // The grid whose polygon contains `p` (GeoIndex border rule), or nullptr.
  const GridInfo* LocateGrid(LatLng p) const;
  const GeoIndex& geo_index() const { return geo_; }
  // The dispatch centre of a street, and the district's. nullptr when none is declared.
  const DispatchCentreInfo* StreetCentre(absl::string_view street_id) const;
  const DispatchCentreInfo* DistrictCentre() const;
  // The triage queue for an event in `street_id`: the street's centre, else the
  // district's, else "<district id>_triage" (a queue with no declared centre).
  std::string TriageCentreFor(absl::string_view street_id, bool district_level) const;
  // Settings with defaults applied.
  RoutingSettings settings() const;
  // Whether `dep` may be routed work at `place` (its jurisdiction: jurisdiction_area_id,
  // else its street for street departments, else the whole district).
  bool Serves(const DepartmentInfo& dep, const GridPlace& place) const;
  // The street of a community, "" when unknown.
  std::string StreetOfCommunity(absl::string_view community_id) const;

 private:
  explicit District(DistrictOrg org) : org_(std::move(org)) {}
  absl::Status IndexIssue3();
  DistrictOrg org_;
  GeoIndex geo_;
  std::vector<int32_t> geo_grid_;  // geo index polygon → org_.grids index
  absl::flat_hash_map<std::string, std::vector<const RoutingRuleInfo*>> rules_by_category_;
  absl::flat_hash_map<const RoutingRuleInfo*, size_t> rule_index_;
  absl::flat_hash_map<std::string, size_t> street_centres_;
  std::optional<size_t> district_centre_;
  absl::flat_hash_map<std::string, std::string> community_street_;
  absl::flat_hash_map<std::string, GridPlace> grids_;
  absl::flat_hash_map<std::string, size_t> categories_;
  absl::flat_hash_map<std::string, size_t> departments_;
  absl::flat_hash_map<std::string, size_t> rules_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_ORGANISATION_H_
