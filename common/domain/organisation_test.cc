// Unit tests of the district organisation: validation of every part, lookups and routing.

#include "common/domain/organisation.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

// Two streets, three communities, four grids, a street and two district departments.
DistrictOrg SmallDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Shatou"}, {"st2", "Huafu"}};
  org.communities = {
      {"c1", "Community 1", "st1"}, {"c2", "Community 2", "st1"}, {"c3", "Community 3", "st2"}};
  org.grids = {{"g1", "Grid 1", "c1"},
               {"g2", "Grid 2", "c1"},
               {"g3", "Grid 3", "c2"},
               {"g4", "Grid 4", "c3"}};
  org.departments = {{"st1_urban", "Shatou urban management", DepartmentLevel::kStreet, "st1"},
                     {"water", "District water bureau", DepartmentLevel::kDistrict, ""},
                     {"housing", "District housing bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal},
                    {"water_main", "Burst water main", "facilities", Urgency::kEmergency},
                    {"unrouted", "No rule yet", "other", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"st1_urban", "housing"}},
                       {"water_main", {"water", "housing", "st1_urban"}}};
  return org;
}

std::shared_ptr<const District> MustCreate(DistrictOrg org) {
  absl::StatusOr<std::shared_ptr<const District>> d = District::Create(std::move(org));
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : nullptr;
}

TEST(DistrictCreateTest, ValidSmallDistrictIndexesGridsCategoriesAndDepartments) {
  std::shared_ptr<const District> d = MustCreate(SmallDistrict());
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id(), "440304");
  EXPECT_EQ(d->org().name, "Futian");

  struct WantGrid {
    const char* grid;
    const char* street;
    const char* community;
  };
  for (const WantGrid& w : std::vector<WantGrid>{
           {"g1", "st1", "c1"}, {"g2", "st1", "c1"}, {"g3", "st1", "c2"}, {"g4", "st2", "c3"}}) {
    SCOPED_TRACE(w.grid);
    std::optional<GridPlace> place = d->FindGrid(w.grid);
    ASSERT_TRUE(place.has_value());
    EXPECT_EQ(place->district_id, "440304");
    EXPECT_EQ(place->street_id, w.street);
    EXPECT_EQ(place->community_id, w.community);
  }
  EXPECT_FALSE(d->FindGrid("g9").has_value());
  EXPECT_FALSE(d->FindGrid("").has_value());
  EXPECT_FALSE(d->FindGrid("c1").has_value());  // a community is no grid

  const CategoryInfo* water = d->FindCategory("water_main");
  ASSERT_NE(water, nullptr);
  EXPECT_EQ(water->name, "Burst water main");
  EXPECT_EQ(water->default_urgency, Urgency::kEmergency);
  EXPECT_EQ(d->FindCategory("nope"), nullptr);

  const DepartmentInfo* urban = d->FindDepartment("st1_urban");
  ASSERT_NE(urban, nullptr);
  EXPECT_EQ(urban->level, DepartmentLevel::kStreet);
  EXPECT_EQ(urban->street_id, "st1");
  const DepartmentInfo* housing = d->FindDepartment("housing");
  ASSERT_NE(housing, nullptr);
  EXPECT_EQ(housing->level, DepartmentLevel::kDistrict);
  EXPECT_EQ(d->FindDepartment("nope"), nullptr);
}

TEST(DistrictCreateTest, EmptyDistrictWithAValidIdIsAccepted) {
  DistrictOrg org;
  org.id = "d_1";
  std::shared_ptr<const District> d = MustCreate(org);
  ASSERT_NE(d, nullptr);
  EXPECT_FALSE(d->FindGrid("g1").has_value());
  EXPECT_EQ(d->Route("garbage", {}), std::nullopt);
}

struct BrokenCase {
  const char* name;
  std::function<void(DistrictOrg&)> mutate;
  const char* field;  // what the message must name
};

TEST(DistrictCreateTest, EachBrokenInputIsRefusedNamingTheField) {
  const std::vector<BrokenCase> cases = {
      {"empty district id", [](DistrictOrg& o) { o.id = ""; }, "district.id"},
      {"district id with '-'", [](DistrictOrg& o) { o.id = "440-304"; }, "district.id"},
      {"district id with '{'", [](DistrictOrg& o) { o.id = "{440304}"; }, "district.id"},
      {"district id with space", [](DistrictOrg& o) { o.id = "440 304"; }, "district.id"},
      {"district id over 32 chars", [](DistrictOrg& o) { o.id = std::string(33, 'd'); },
       "district.id"},
      {"empty street id",
       [](DistrictOrg& o) {
         o.streets.push_back({"", "x"});
       },
       "streets.id"},
      {"duplicate street id",
       [](DistrictOrg& o) {
         o.streets.push_back({"st1", "x"});
       },
       "streets.id"},
      {"empty community id",
       [](DistrictOrg& o) {
         o.communities.push_back({"", "x", "st1"});
       },
       "communities.id"},
      {"community with unknown street",
       [](DistrictOrg& o) {
         o.communities.push_back({"c9", "x", "st9"});
       },
       "communities.street_id"},
      {"duplicate community id",
       [](DistrictOrg& o) {
         o.communities.push_back({"c1", "x", "st2"});
       },
       "communities.id"},
      {"empty grid id",
       [](DistrictOrg& o) {
         o.grids.push_back({"", "x", "c1"});
       },
       "grids.id"},
      {"grid with unknown community",
       [](DistrictOrg& o) {
         o.grids.push_back({"g9", "x", "c9"});
       },
       "grids.community_id"},
      {"duplicate grid id",
       [](DistrictOrg& o) {
         o.grids.push_back({"g1", "x", "c3"});
       },
       "grids.id"},
      {"empty department id",
       [](DistrictOrg& o) {
         o.departments.push_back({"", "x", DepartmentLevel::kDistrict, ""});
       },
       "departments.id"},
      {"department with unspecified level",
       [](DistrictOrg& o) {
         o.departments.push_back({"d9", "x", DepartmentLevel::kUnspecified, ""});
       },
       "departments.level"},
      {"street department with unknown street",
       [](DistrictOrg& o) {
         o.departments.push_back({"d9", "x", DepartmentLevel::kStreet, "st9"});
       },
       "departments.street_id"},
      {"street department without street",
       [](DistrictOrg& o) {
         o.departments.push_back({"d9", "x", DepartmentLevel::kStreet, ""});
       },
       "departments.street_id"},
      {"duplicate department id",
       [](DistrictOrg& o) {
         o.departments.push_back({"water", "x", DepartmentLevel::kDistrict, ""});
       },
       "departments.id"},
      {"empty category code",
       [](DistrictOrg& o) {
         o.categories.push_back({"", "x", "y", Urgency::kNormal});
       },
       "categories.code"},
      {"category without urgency",
       [](DistrictOrg& o) {
         o.categories.push_back({"c_new", "x", "y", Urgency::kUnspecified});
       },
       "categories.default_urgency"},
      {"duplicate category code",
       [](DistrictOrg& o) {
         o.categories.push_back({"garbage", "x", "y", Urgency::kUrgent});
       },
       "categories.code"},
      {"routing rule with unknown category",
       [](DistrictOrg& o) {
         o.routing_rules.push_back({"no_such", {"water"}});
       },
       "routing_rules.category_code"},
      {"routing rule with unknown department",
       [](DistrictOrg& o) {
         o.routing_rules.push_back({"unrouted", {"water", "nope"}});
       },
       "routing_rules.department_ids"},
      {"two rules for one category",
       [](DistrictOrg& o) {
         o.routing_rules.push_back({"garbage", {"water"}});
       },
       "routing_rules.category_code"},
  };
  for (const BrokenCase& c : cases) {
    SCOPED_TRACE(c.name);
    DistrictOrg org = SmallDistrict();
    c.mutate(org);
    absl::StatusOr<std::shared_ptr<const District>> d = District::Create(std::move(org));
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << d.status();
    EXPECT_NE(d.status().message().find(c.field), absl::string_view::npos) << d.status();
  }
}

TEST(DistrictCreateTest, MessageNamesTheOffendingId) {
  DistrictOrg org = SmallDistrict();
  org.grids.push_back({"g_dup", "x", "c1"});
  org.grids.push_back({"g_dup", "y", "c2"});
  absl::StatusOr<std::shared_ptr<const District>> d = District::Create(std::move(org));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("g_dup"), absl::string_view::npos) << d.status();
}

TEST(DistrictCreateTest, DistrictIdOfLettersDigitsAndUnderscoreUpTo32IsAccepted) {
  for (const std::string& id :
       {std::string("440304"), std::string("Futian_2"), std::string(32, 'z')}) {
    DistrictOrg org = SmallDistrict();
    org.id = id;
    EXPECT_TRUE(District::Create(std::move(org)).ok()) << id;
  }
}

TEST(DistrictRouteTest, PicksTheFirstDepartmentInOrderOfPreference) {
  std::shared_ptr<const District> d = MustCreate(SmallDistrict());
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Route("garbage", {}), "st1_urban");
  EXPECT_EQ(d->Route("water_main", {}), "water");
}

TEST(DistrictRouteTest, SkipsExcludedDepartments) {
  std::shared_ptr<const District> d = MustCreate(SmallDistrict());
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Route("water_main", {"water"}), "housing");
  EXPECT_EQ(d->Route("water_main", {"housing", "water"}), "st1_urban");
  EXPECT_EQ(d->Route("water_main", {"housing"}), "water");
  // Exclusions of departments not in the rule change nothing.
  EXPECT_EQ(d->Route("garbage", {"water"}), "st1_urban");
}

TEST(DistrictRouteTest, NoneLeftWhenAllAreExcluded) {
  std::shared_ptr<const District> d = MustCreate(SmallDistrict());
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Route("garbage", {"st1_urban", "housing"}), std::nullopt);
  EXPECT_EQ(d->Route("water_main", {"st1_urban", "housing", "water"}), std::nullopt);
}

TEST(DistrictRouteTest, NoneWithoutARule) {
  std::shared_ptr<const District> d = MustCreate(SmallDistrict());
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Route("unrouted", {}), std::nullopt);  // a category without a rule
  EXPECT_EQ(d->Route("no_such_category", {}), std::nullopt);
}

TEST(DistrictRouteTest, RuleWithNoDepartmentsRoutesNowhere) {
  DistrictOrg org = SmallDistrict();
  org.routing_rules.push_back({"unrouted", {}});
  std::shared_ptr<const District> d = MustCreate(std::move(org));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Route("unrouted", {}), std::nullopt);
}

}  // namespace
}  // namespace zhiwang
