// Pure unit tests of the console search: the light rule, the predicate, the plan choice
// and the page token.
#include "services/console/event_query.h"

#include "gtest/gtest.h"
#include "services/console/query_cursor.h"
#include "services/console/query_plan.h"

namespace zhiwang::console {
namespace {

absl::Time T(int s) { return absl::FromUnixSeconds(1'790'000'000) + absl::Seconds(s); }

TEST(LightAtTest, RedAtTheDeadlineYellowFromTheYellowInstantGreenBeforeNoneWithoutClock) {
  EventFacts f{T(100), T(80), false};
  EXPECT_EQ(LightAt(f, T(79)), Light::kGreen);
  EXPECT_EQ(LightAt(f, T(80)), Light::kYellow);
  EXPECT_EQ(LightAt(f, T(99)), Light::kYellow);
  EXPECT_EQ(LightAt(f, T(100)), Light::kRed);
  EXPECT_EQ(LightAt(EventFacts{}, T(100)), Light::kNone);
}

Event Sample() {
  Event e;
  e.id = "440304-20261127-AAAA";
  e.district_id = "440304";
  e.street_id = "st1";
  e.community_id = "c1";
  e.location.grid_id = "g1";
  e.category_code = "garbage";
  e.state = EventState::kClaimed;
  e.department_id = "urban1";
  e.reporter.subject = "worker-1";
  e.created_at = T(10);
  e.updated_at = T(20);
  return e;
}

TEST(MatchesTest, EveryConditionCanExcludeTheEvent) {
  Event e = Sample();
  EventQuery q;
  q.district_id = "440304";
  EXPECT_TRUE(Matches(q, e, {}, T(0)));
  auto refuses = [&](auto change) {
    EventQuery x = q;
    change(x);
    return !Matches(x, e, {}, T(0));
  };
  EXPECT_TRUE(refuses([](EventQuery& x) { x.states = {EventState::kDispatched}; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.lights = {Light::kRed}; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.category_codes = {"pipe"}; }));
  EXPECT_TRUE(refuses([](EventQuery& x) {
    x.by_major = true;
    x.major_codes = {"pipe"};
  }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.area_id = "st2"; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.department_id = "water"; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.reporter_subject = "worker-2"; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.created_from = T(11); }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.created_to = T(10); }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.updated_to = T(20); }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.supervised = Tristate::kYes; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.merged = Tristate::kYes; }));
  EXPECT_TRUE(refuses([](EventQuery& x) { x.sort = SortOrder::kDeadlineAsc; }));
  EXPECT_FALSE(refuses([](EventQuery& x) { x.area_id = "c1"; }));
  EXPECT_FALSE(refuses([](EventQuery& x) { x.department_id = "urban1"; }));
}

TEST(CandidatePlansTest, DepartmentHistoryIsTheOnlyPlanAndScopesAddTheirIndex) {
  EventQuery q;
  q.district_id = "440304";
  q.department_id = "water";
  q.department_ever = true;
  Identity admin{"a", Role::kAdmin, "440304", ""};
  auto plans = CandidatePlans(q, admin, {}, T(0));
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].index.ref, (QueryIndexRef{QueryIndexKind::kDepartmentEver, "water"}));

  EventQuery all;
  all.district_id = "440304";
  Identity street{"s", Role::kStreetDispatcher, "st1", ""};
  plans = CandidatePlans(all, street, {std::nullopt, QueryIndexKind::kStreet}, T(0));
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].index.ref, (QueryIndexRef{QueryIndexKind::kStreet, "st1"}));
  EXPECT_EQ(plans[1].index.kind, DrivingIndex::Kind::kAll);
  EXPECT_FALSE(plans[0].ascending);  // newest first by default

  EventQuery red;
  red.district_id = "440304";
  red.department_id = "water";
  red.lights = {Light::kRed};
  red.sort = SortOrder::kDeadlineAsc;
  plans = CandidatePlans(red, admin, {}, T(5));
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].index.scope, "dep");
  EXPECT_EQ(plans[0].max_score, absl::ToUnixMillis(T(5)));
  EXPECT_EQ(ChoosePlan({5, 3, 3}), 1u);
}

TEST(CursorTest, RoundTripsAndRefusesForeignOrBrokenTokens) {
  EventQuery q;
  q.district_id = "440304";
  uint64_t fp = QueryFingerprint(q);
  std::string token = EncodeCursor({123, "440304-x|y"}, fp);
  auto back = DecodeCursor(token, fp);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, (SortKey{123, "440304-x|y"}));
  EventQuery other = q;
  other.states = {EventState::kClaimed};
  EXPECT_NE(QueryFingerprint(other), fp);
  EXPECT_EQ(DecodeCursor(token, QueryFingerprint(other)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeCursor("%%%", fp).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeCursor(EncodeCursor({1, ""}, fp), fp).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhiwang::console
