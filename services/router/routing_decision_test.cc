// Unit tests of the router's pure decision: what it does with an event in each state.

#include "services/router/routing_decision.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/domain/event.h"
#include "common/domain/lifecycle.h"
#include "common/domain/organisation.h"
#include "gtest/gtest.h"

namespace zhiwang::router {
namespace {

// "garbage" routes to dep_a, then dep_b; "manhole" is a category without a rule.
std::shared_ptr<const District> TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}};
  org.communities = {{"c1", "Community 1", "st1"}};
  org.grids = {{"g1", "Grid 1", "c1"}};
  org.departments = {{"dep_a", "Urban management", DepartmentLevel::kStreet, "st1"},
                     {"dep_b", "Sanitation bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal},
                    {"manhole", "Missing manhole cover", "facilities", Urgency::kUrgent}};
  org.routing_rules = {{"garbage", {"dep_a", "dep_b"}}};
  absl::StatusOr<std::shared_ptr<const District>> d = District::Create(std::move(org));
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : nullptr;
}

Event EventIn(EventState state, std::string category = "garbage") {
  Event e;
  e.id = "440304-20261127-0000000001";
  e.district_id = "440304";
  e.street_id = "st1";
  e.community_id = "c1";
  e.category_code = std::move(category);
  e.state = state;
  e.version = 3;
  return e;
}

class RoutingDecisionTest : public ::testing::Test {
 protected:
  std::shared_ptr<const District> district_ = TestDistrict();
};

TEST_F(RoutingDecisionTest, RouterIdentityIsTheSystemRole) {
  Identity who = RouterIdentity();
  EXPECT_EQ(who.subject, "router");
  EXPECT_EQ(who.role, Role::kSystem);
  EXPECT_TRUE(who.department_id.empty());
}

TEST_F(RoutingDecisionTest, ReportedIsAccepted) {
  std::optional<Command> c = DecideRouting(EventIn(EventState::kReported), district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->action, EventAction::kAccept);
  EXPECT_TRUE(c->department_id.empty());
  EXPECT_FALSE(c->note.empty());
}

TEST_F(RoutingDecisionTest, AcceptedIsDispatchedToTheFirstDepartmentOfTheRule) {
  std::optional<Command> c = DecideRouting(EventIn(EventState::kAccepted), district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->action, EventAction::kDispatch);
  EXPECT_EQ(c->department_id, "dep_a");
}

TEST_F(RoutingDecisionTest, RejectedByTheFirstGoesToTheSecond) {
  Event e = EventIn(EventState::kRejected);
  e.rejected_by = {"dep_a"};
  std::optional<Command> c = DecideRouting(e, district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->action, EventAction::kDispatch);
  EXPECT_EQ(c->department_id, "dep_b");
}

TEST_F(RoutingDecisionTest, RejectedBySecondOnlyGoesBackToTheFirst) {
  Event e = EventIn(EventState::kRejected);
  e.rejected_by = {"dep_b"};
  std::optional<Command> c = DecideRouting(e, district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->department_id, "dep_a");
}

// org (issue 3): "waits for triage" is now a recorded step (kTriage) naming the queue,
// and a triaged event is left to the dispatcher.
TEST_F(RoutingDecisionTest, RejectedByAllGoesToAdjudicationAtTheDispatchCentre) {
  Event e = EventIn(EventState::kRejected);
  e.rejected_by = {"dep_a", "dep_b"};
  std::optional<Command> c = DecideRouting(e, district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->action, EventAction::kTriage);
  EXPECT_EQ(c->reason_code, kTriageAdjudication);
  EXPECT_EQ(c->triage_centre_id, "440304_triage");  // no centre declared
  e.triage_centre_id = c->triage_centre_id;
  EXPECT_FALSE(DecideRouting(e, district_.get()).has_value());
}

TEST_F(RoutingDecisionTest, AcceptedWithoutRuleForCategoryGoesToTriage) {
  for (EventState s : {EventState::kAccepted, EventState::kRejected}) {
    std::optional<Command> c = DecideRouting(EventIn(s, "manhole"), district_.get());
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->action, EventAction::kTriage);
    EXPECT_EQ(c->reason_code, kTriageNoRule);
    EXPECT_NE(c->note.find("no rule routes category manhole"), std::string::npos) << c->note;
  }
}

TEST_F(RoutingDecisionTest, UnknownCategoryGoesToTriage) {
  std::optional<Command> c =
      DecideRouting(EventIn(EventState::kAccepted, "no_such"), district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->action, EventAction::kTriage);
}

TEST_F(RoutingDecisionTest, OtherStatesDecideNothing) {
  for (int s = 0; s <= kMaxEventState; ++s) {
    EventState state = static_cast<EventState>(s);
    if (state == EventState::kReported || state == EventState::kAccepted ||
        state == EventState::kRejected) {
      continue;
    }
    EXPECT_FALSE(DecideRouting(EventIn(state), district_.get()).has_value())
        << "state " << StateName(state);
  }
}

TEST_F(RoutingDecisionTest, NullDistrictDecidesNothing) {
  EXPECT_FALSE(DecideRouting(EventIn(EventState::kReported), nullptr).has_value());
  EXPECT_FALSE(DecideRouting(EventIn(EventState::kAccepted), nullptr).has_value());
  EXPECT_FALSE(DecideRouting(EventIn(EventState::kRejected), nullptr).has_value());
}

TEST_F(RoutingDecisionTest, DispatchNoteNamesCategoryAndDepartment) {
  std::optional<Command> c = DecideRouting(EventIn(EventState::kAccepted), district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_NE(c->note.find("garbage"), std::string::npos) << c->note;
  EXPECT_NE(c->note.find("dep_a"), std::string::npos) << c->note;

  Event e = EventIn(EventState::kRejected);
  e.rejected_by = {"dep_a"};
  c = DecideRouting(e, district_.get());
  ASSERT_TRUE(c.has_value());
  EXPECT_NE(c->note.find("garbage"), std::string::npos) << c->note;
  EXPECT_NE(c->note.find("dep_b"), std::string::npos) << c->note;
  EXPECT_NE(c->note.find("1 rejection"), std::string::npos) << c->note;
}

TEST_F(RoutingDecisionTest, DispatchCommandIsAcceptedByTheLifecycle) {
  // The decision must be one the lifecycle lets the router identity take.
  Event e = EventIn(EventState::kAccepted);
  std::optional<Command> c = DecideRouting(e, district_.get());
  ASSERT_TRUE(c.has_value());
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, RouterIdentity(), *c, absl::FromUnixSeconds(1'790'000'000));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, EventState::kDispatched);
  EXPECT_EQ(out->event.department_id, "dep_a");

  Event reported = EventIn(EventState::kReported);
  c = DecideRouting(reported, district_.get());
  ASSERT_TRUE(c.has_value());
  out = ApplyCommand(reported, RouterIdentity(), *c, absl::FromUnixSeconds(1'790'000'000));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, EventState::kAccepted);
}

}  // namespace
}  // namespace zhiwang::router
