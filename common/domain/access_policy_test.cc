// Unit tests of the authorisation scope (access_policy.h): every role against events,
// grids, districts, triage centres and department queues inside and outside its scope.

#include "common/domain/access_policy.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

// District 440304: street st1 (communities c1 {g1, g2}, c2 {g3}), street st2 (c3 {g4});
// a street department of st1, one of st2, a district department; a centre per street and
// one for the district.
std::shared_ptr<const District> TestDistrict() {
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
  org.departments = {{"st1_urban", "Shatou urban", DepartmentLevel::kStreet, "st1"},
                     {"st2_urban", "Huafu urban", DepartmentLevel::kStreet, "st2"},
                     {"water", "Water bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"st1_urban"}}};
  org.dispatch_centres = {{"ctr_st1", "Shatou centre", DepartmentLevel::kStreet, "st1"},
                          {"ctr_st2", "Huafu centre", DepartmentLevel::kStreet, "st2"},
                          {"ctr_d", "District centre", DepartmentLevel::kDistrict, ""}};
  absl::StatusOr<std::shared_ptr<const District>> d = District::Create(std::move(org));
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : nullptr;
}

// An event reported by w1 in g1 (c1, st1), held by st1_urban.
Event EventInG1() {
  Event e;
  e.id = "440304-20261127-0000000001";
  e.district_id = "440304";
  e.street_id = "st1";
  e.community_id = "c1";
  e.location.grid_id = "g1";
  e.reporter.subject = "w1";
  e.department_id = "st1_urban";
  return e;
}

Identity Who(Role role, std::string area = "", std::string department = "",
             std::string subject = "someone") {
  return Identity{std::move(subject), role, std::move(area), std::move(department)};
}

TEST(AreaContainsEventTest, EveryLevelOfTheEventsPlaceContainsIt) {
  Event e = EventInG1();
  e.located_grid_id = "g3";
  for (const char* area : {"440304", "st1", "c1", "g1", "g3"}) {
    EXPECT_TRUE(AreaContainsEvent(area, e)) << area;
  }
  for (const char* area : {"", "st2", "c2", "g2", "440305"}) {
    EXPECT_FALSE(AreaContainsEvent(area, e)) << area;
  }
}

TEST(CanSeeEventTest, GlobalRolesSeeEverything) {
  for (Role r : {Role::kAdmin, Role::kAuditor, Role::kSystem}) {
    EXPECT_TRUE(CanSeeEvent(Who(r), EventInG1())) << RoleName(r);
  }
}

TEST(CanSeeEventTest, AreaRolesSeeOnlyTheirArea) {
  Event e = EventInG1();
  struct Case {
    Role role;
    const char* area;
    bool sees;
  };
  for (const Case& c : std::vector<Case>{{Role::kStreetDispatcher, "st1", true},
                                         {Role::kStreetDispatcher, "st2", false},
                                         {Role::kDistrictDispatcher, "440304", true},
                                         {Role::kDistrictDispatcher, "440305", false},
                                         {Role::kLeader, "440304", true},
                                         {Role::kLeader, "st2", false},
                                         {Role::kCommunityStaff, "c1", true},
                                         {Role::kCommunityStaff, "c2", false},
                                         {Role::kStreetDispatcher, "", false}}) {
    EXPECT_EQ(CanSeeEvent(Who(c.role, c.area), e), c.sees) << RoleName(c.role) << " " << c.area;
  }
}

TEST(CanSeeEventTest, GridWorkerSeesOnlyOwnReportsEvenInTheirGrid) {
  Event e = EventInG1();
  EXPECT_TRUE(CanSeeEvent(Who(Role::kGridWorker, "g1", "", "w1"), e));
  EXPECT_FALSE(CanSeeEvent(Who(Role::kGridWorker, "g1", "", "w2"), e));
  EXPECT_FALSE(CanSeeEvent(Who(Role::kGridWorker, "g1", "", ""), e));
}

TEST(CanSeeEventTest, DepartmentSeesHeldAssistedAndPastEventsOnly) {
  Event e = EventInG1();
  e.assisting_department_ids = {"water"};
  EXPECT_TRUE(CanSeeEvent(Who(Role::kDepartmentOperator, "", "st1_urban"), e));
  EXPECT_TRUE(CanSeeEvent(Who(Role::kDepartmentSystem, "", "water"), e));
  EXPECT_FALSE(CanSeeEvent(Who(Role::kDepartmentOperator, "", "st2_urban"), e));
  EXPECT_FALSE(CanSeeEvent(Who(Role::kDepartmentOperator, "st1", ""), e));  // no department
  e.department_id = "water";
  e.assisting_department_ids.clear();
  e.department_history = {"st1_urban", "water"};
  EXPECT_TRUE(CanSeeEvent(Who(Role::kDepartmentOperator, "", "st1_urban"), e));
  e.department_history.clear();
  e.rejected_by = {"st2_urban"};  // events from before department_history
  EXPECT_TRUE(CanSeeEvent(Who(Role::kDepartmentOperator, "", "st2_urban"), e));
  EXPECT_FALSE(CanSeeEvent(Who(Role::kDepartmentOperator, "", "st1_urban"), e));
}

TEST(CanSeeEventTest, UnspecifiedRoleSeesNothing) {
  EXPECT_FALSE(CanSeeEvent(Who(Role::kUnspecified, "440304", "st1_urban", "w1"), EventInG1()));
}

TEST(CheckReportScopeTest, ReportersReportInsideTheirArea) {
  auto d = TestDistrict();
  ASSERT_NE(d, nullptr);
  GridPlace g1 = *d->FindGrid("g1");
  GridPlace g4 = *d->FindGrid("g4");
  EXPECT_TRUE(CheckReportScope(Who(Role::kGridWorker, "g1"), *d, "g1", g1).ok());
  EXPECT_TRUE(CheckReportScope(Who(Role::kGridWorker, "c1"), *d, "g1", g1).ok());
  EXPECT_TRUE(CheckReportScope(Who(Role::kStreetDispatcher, "st2"), *d, "g4", g4).ok());
  EXPECT_TRUE(CheckReportScope(Who(Role::kDistrictDispatcher, "440304"), *d, "g4", g4).ok());
  absl::Status s = CheckReportScope(Who(Role::kGridWorker, "g2"), *d, "g1", g1);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("location.grid_id"), absl::string_view::npos) << s;
  EXPECT_EQ(CheckReportScope(Who(Role::kCommunityStaff, "c3"), *d, "g1", g1).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckReportScope(Who(Role::kGridWorker, ""), *d, "g1", g1).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CheckReportScopeTest, DepartmentSystemReportsInItsDepartmentsDistrict) {
  auto d = TestDistrict();
  ASSERT_NE(d, nullptr);
  GridPlace g4 = *d->FindGrid("g4");
  EXPECT_TRUE(CheckReportScope(Who(Role::kDepartmentSystem, "", "water"), *d, "g4", g4).ok());
  EXPECT_EQ(CheckReportScope(Who(Role::kDepartmentSystem, "", "other"), *d, "g4", g4).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(CanSeeDistrictTest, AreaAndDepartmentRolesSeeOnlyTheirDistrict) {
  auto d = TestDistrict();
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(CanSeeDistrict(Who(Role::kAdmin), *d));
  EXPECT_TRUE(CanSeeDistrict(Who(Role::kAuditor), *d));
  for (const char* area : {"440304", "st2", "c1", "g3"}) {
    EXPECT_TRUE(CanSeeDistrict(Who(Role::kLeader, area), *d)) << area;
  }
  EXPECT_FALSE(CanSeeDistrict(Who(Role::kDistrictDispatcher, "440305"), *d));
  EXPECT_FALSE(CanSeeDistrict(Who(Role::kGridWorker, ""), *d));
  EXPECT_TRUE(CanSeeDistrict(Who(Role::kDepartmentOperator, "", "water"), *d));
  EXPECT_FALSE(CanSeeDistrict(Who(Role::kDepartmentOperator, "", "elsewhere"), *d));
  EXPECT_FALSE(CanSeeDistrict(Who(Role::kUnspecified, "440304"), *d));
}

TEST(CanUseTriageCentreTest, StreetDispatcherOnlyTheirStreetsCentre) {
  auto d = TestDistrict();
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(CanUseTriageCentre(Who(Role::kStreetDispatcher, "st1"), *d, "ctr_st1"));
  EXPECT_FALSE(CanUseTriageCentre(Who(Role::kStreetDispatcher, "st1"), *d, "ctr_st2"));
  EXPECT_FALSE(CanUseTriageCentre(Who(Role::kStreetDispatcher, "st1"), *d, "ctr_d"));
  for (const char* c : {"ctr_st1", "ctr_st2", "ctr_d"}) {
    EXPECT_TRUE(CanUseTriageCentre(Who(Role::kDistrictDispatcher, "440304"), *d, c)) << c;
  }
  EXPECT_FALSE(CanUseTriageCentre(Who(Role::kDistrictDispatcher, "440305"), *d, "ctr_d"));
  EXPECT_FALSE(CanUseTriageCentre(Who(Role::kDistrictDispatcher, "440304"), *d, "ctr_other"));
  EXPECT_FALSE(CanUseTriageCentre(Who(Role::kLeader, "440304"), *d, "ctr_d"));
  EXPECT_FALSE(CanUseTriageCentre(Who(Role::kDistrictDispatcher, "440304"), *d, ""));
}

TEST(CanUseDepartmentQueueTest, OwnDepartmentDispatchersOfTheAreaAndAdmins) {
  auto d = TestDistrict();
  ASSERT_NE(d, nullptr);
  EXPECT_TRUE(CanUseDepartmentQueue(Who(Role::kDepartmentSystem, "", "water"), *d, "water"));
  EXPECT_FALSE(CanUseDepartmentQueue(Who(Role::kDepartmentSystem, "", "water"), *d, "st1_urban"));
  EXPECT_TRUE(CanUseDepartmentQueue(Who(Role::kStreetDispatcher, "st1"), *d, "st1_urban"));
  EXPECT_FALSE(CanUseDepartmentQueue(Who(Role::kStreetDispatcher, "st1"), *d, "st2_urban"));
  EXPECT_FALSE(CanUseDepartmentQueue(Who(Role::kStreetDispatcher, "st1"), *d, "water"));
  EXPECT_TRUE(CanUseDepartmentQueue(Who(Role::kDistrictDispatcher, "440304"), *d, "water"));
  EXPECT_FALSE(CanUseDepartmentQueue(Who(Role::kDistrictDispatcher, "440305"), *d, "water"));
  EXPECT_TRUE(CanUseDepartmentQueue(Who(Role::kAdmin), *d, "st2_urban"));
  EXPECT_FALSE(CanUseDepartmentQueue(Who(Role::kAdmin), *d, "unknown"));
  EXPECT_FALSE(CanUseDepartmentQueue(Who(Role::kLeader, "440304"), *d, "water"));
}

}  // namespace
}  // namespace zhiwang
