// Routing and grid lookup over the sample district (deploy/sample/district.textpb):
// table-driven routing cases, and properties that must hold for every grid and category.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/domain/geo_index.h"
#include "common/domain/organisation.h"
#include "common/orgfile/org_file.h"
#include "common/rpc/convert.h"
#include "gtest/gtest.h"
#include "services/router/routing_decision.h"

namespace zhiwang::router {
namespace {

std::shared_ptr<const District> Sample() {
  static std::shared_ptr<const District> d = [] {
    absl::StatusOr<v1::District> p =
        orgfile::ReadOrgFile(std::string(ZW_SOURCE_DIR) + "/deploy/sample/district.textpb");
    EXPECT_TRUE(p.ok()) << p.status();
    absl::StatusOr<std::shared_ptr<const District>> made = District::Create(FromProto(*p));
    EXPECT_TRUE(made.ok()) << made.status();
    return *made;
  }();
  return d;
}

RouteQuery At(const District& d, const std::string& category, const std::string& grid) {
  RouteQuery q;
  q.category_code = category;
  q.grid_id = grid;
  std::optional<GridPlace> place = d.FindGrid(grid);
  EXPECT_TRUE(place.has_value()) << grid;
  if (place) {
    q.community_id = place->community_id;
    q.street_id = place->street_id;
  }
  return q;
}

struct RouteCase {
  const char* name;
  const char* category;
  const char* grid;
  std::vector<std::string> excluded;
  bool cross_street;
  const char* department;  // "" = triage
  const char* rule;        // "" when triaged
  const char* scope;
  const char* triage_centre;
};

TEST(SampleRoutingTest, TableOfDecisions) {
  const std::vector<RouteCase> cases = {
      {"street rule sends garbage to the street office",
       "0101",
       "440304001001001",
       {},
       false,
       "440304001_cgb",
       "s-001-0101",
       "street",
       ""},
      {"street rule's second department after a rejection",
       "0101",
       "440304005002003",
       {"440304005_cgb"},
       false,
       "440304_cgj",
       "s-005-0101",
       "street",
       ""},
      {"every department of every matching rule excluded: triage at the street centre",
       "0101",
       "440304005002003",
       {"440304005_cgb", "440304_cgj"},
       false,
       "",
       "",
       "",
       "440304005_fbzx"},
      {"community rule beats the district rule",
       "0104",
       "440304002001002",
       {},
       false,
       "440304002_cgb",
       "c-440304002001-0104",
       "community",
       ""},
      {"no community rule: district rule",
       "0104",
       "440304001001002",
       {},
       false,
       "440304_swj",
       "d-0104",
       "district",
       ""},
      {"grid rule with the higher priority wins",
       "0601",
       "440304001001005",
       {},
       false,
       "440304001_cgb",
       "g-440304001001005-0601",
       "grid",
       ""},
      {"grid rule's second department after a rejection",
       "0601",
       "440304001001005",
       {"440304001_cgb"},
       false,
       "440304_scjgj",
       "g-440304001001005-0601",
       "grid",
       ""},
      {"no grid rule: district rule",
       "0601",
       "440304001001006",
       {},
       false,
       "440304_scjgj",
       "d-0601",
       "district",
       ""},
      {"district-level category ignores street rules",
       "0502",
       "440304003001001",
       {},
       false,
       "440304_zjj",
       "d-0502",
       "district",
       ""},
      {"category without any rule: the street centre's triage",
       "0805",
       "440304003001001",
       {},
       false,
       "",
       "",
       "",
       "440304003_fbzx"},
      {"cross-street event skips the street rule",
       "0101",
       "440304001001001",
       {},
       true,
       "440304_cgj",
       "d-0101",
       "district",
       ""},
      {"cross-street event without a district rule: the district centre",
       "0405",
       "440304001001001",
       {},
       true,
       "",
       "",
       "",
       "440304_fbzx"},
      {"street office of another street is never chosen",
       "0405",
       "440304007003001",
       {},
       false,
       "440304007_cgb",
       "s-007-0405",
       "street",
       ""},
  };
  std::shared_ptr<const District> d = Sample();
  ASSERT_NE(d, nullptr);
  for (const RouteCase& c : cases) {
    SCOPED_TRACE(c.name);
    RouteQuery q = At(*d, c.category, c.grid);
    q.excluded = c.excluded;
    q.cross_street = c.cross_street;
    RouteResult r = RouteByRules(*d, q);
    EXPECT_EQ(r.department_id, c.department) << r.explanation.reason;
    EXPECT_EQ(r.explanation.rule_id, c.rule) << r.explanation.reason;
    EXPECT_EQ(r.explanation.scope, c.scope) << r.explanation.reason;
    EXPECT_EQ(r.triage_centre_id, c.triage_centre) << r.explanation.reason;
    EXPECT_FALSE(r.explanation.reason.empty());
  }
}

TEST(SampleRoutingTest, ExplanationNamesRuleScopeAreaAndSkippedDepartments) {
  std::shared_ptr<const District> d = Sample();
  RouteQuery q = At(*d, "0101", "440304005002003");
  q.excluded = {"440304005_cgb"};
  RouteResult r = RouteByRules(*d, q);
  EXPECT_EQ(r.explanation.area_id, "440304005");
  EXPECT_NE(r.explanation.reason.find("s-005-0101"), std::string::npos) << r.explanation.reason;
  EXPECT_NE(r.explanation.reason.find("440304005_cgb (rejected)"), std::string::npos)
      << r.explanation.reason;
}

// Property: every category × grid routes to a department that exists and serves the
// grid, or to a declared dispatch centre's triage queue; never nowhere.
TEST(SampleRoutingPropertyTest, EveryCategoryAndGridRoutesToADepartmentOrToTriage) {
  std::shared_ptr<const District> d = Sample();
  std::set<std::string> centres;
  for (const DispatchCentreInfo& c : d->org().dispatch_centres) centres.insert(c.id);
  int routed = 0, triaged = 0;
  for (const CategoryInfo& cat : d->org().categories) {
    for (const GridInfo& g : d->org().grids) {
      RouteQuery q = At(*d, cat.code, g.id);
      RouteResult r = RouteByRules(*d, q);
      if (!r.department_id.empty()) {
        ++routed;
        const DepartmentInfo* dep = d->FindDepartment(r.department_id);
        ASSERT_NE(dep, nullptr) << cat.code << " " << g.id;
        ASSERT_TRUE(d->Serves(*dep, *d->FindGrid(g.id))) << cat.code << " " << g.id;
        ASSERT_TRUE(r.triage_centre_id.empty());
        ASSERT_FALSE(r.explanation.rule_id.empty());
      } else {
        ++triaged;
        ASSERT_TRUE(centres.contains(r.triage_centre_id)) << cat.code << " " << g.id;
        // Street-level triage stays in the grid's street.
        if (!cat.district_level) {
          ASSERT_EQ(r.triage_centre_id, g.id.substr(0, 9) + "_fbzx") << cat.code << " " << g.id;
        }
      }
    }
  }
  EXPECT_EQ(routed + triaged, static_cast<int>(d->org().categories.size() * 1000));
  EXPECT_GT(routed, 0);
  EXPECT_GT(triaged, 0);  // the sample has categories without rules, on purpose
}

// Property: every grid's interior point is located in exactly that grid, by the index and
// by the scan, and no other polygon contains it.
TEST(SampleGeoPropertyTest, EveryGridsInteriorPointResolvesToExactlyThatGrid) {
  std::shared_ptr<const District> d = Sample();
  const auto& grids = d->org().grids;
  ASSERT_EQ(d->geo_index().size(), grids.size());
  for (size_t i = 0; i < grids.size(); ++i) {
    std::optional<LatLng> p = InteriorPoint(grids[i].polygon);
    ASSERT_TRUE(p.has_value()) << grids[i].id;
    const GridInfo* located = d->LocateGrid(*p);
    ASSERT_NE(located, nullptr) << grids[i].id;
    EXPECT_EQ(located->id, grids[i].id);
    EXPECT_EQ(d->geo_index().LocateByScan(*p), std::optional<int32_t>(static_cast<int32_t>(i)));
    int containing = 0;
    for (const GridInfo& g : grids) containing += PolygonContains(g.polygon, *p) ? 1 : 0;
    EXPECT_EQ(containing, 1) << grids[i].id;
  }
}

// Property: points on shared borders (edge midpoints and shared vertices inside the
// district) belong to exactly one grid, and the index agrees with the scan.
TEST(SampleGeoPropertyTest, SharedBorderPointsBelongToExactlyOneGridDeterministically) {
  std::shared_ptr<const District> d = Sample();
  const auto& grids = d->org().grids;
  std::map<std::pair<double, double>, int> vertex_uses;
  int checked = 0;
  for (const GridInfo& g : grids) {
    for (size_t k = 0; k < g.polygon.size(); ++k) {
      const LatLng& a = g.polygon[k];
      const LatLng& b = g.polygon[(k + 1) % g.polygon.size()];
      ++vertex_uses[{a.lat, a.lng}];
      LatLng mid{(a.lat + b.lat) / 2, (a.lng + b.lng) / 2};
      int containing = 0;
      for (const GridInfo& h : grids) containing += PolygonContains(h.polygon, mid) ? 1 : 0;
      std::optional<int32_t> by_index = d->geo_index().Locate(mid);
      EXPECT_EQ(by_index, d->geo_index().LocateByScan(mid));
      EXPECT_LE(containing, 1) << g.id << " edge " << k;
      ++checked;
    }
  }
  for (const auto& [v, uses] : vertex_uses) {
    if (uses < 4) continue;  // on the district's outline
    LatLng p{v.first, v.second};
    int containing = 0;
    for (const GridInfo& h : grids) containing += PolygonContains(h.polygon, p) ? 1 : 0;
    EXPECT_EQ(containing, 1) << p.lat << "," << p.lng;
    EXPECT_EQ(d->geo_index().Locate(p), d->geo_index().LocateByScan(p));
  }
  EXPECT_EQ(checked, 4000);
}

TEST(SampleGeoTest, PointOutsideTheDistrictIsNotLocated) {
  std::shared_ptr<const District> d = Sample();
  EXPECT_EQ(d->LocateGrid({22.60, 114.05}), nullptr);
  EXPECT_EQ(d->LocateGrid({0, 0}), nullptr);
}

}  // namespace
}  // namespace zhiwang::router
