// The whole escalation ladder on a fake clock: SlaEngine over MemorySlaStore, the 2026
// calendar, a resolve limit of 4 working hours and the four rungs.

#include <string>
#include <vector>

#include "common/base/clock.h"
#include "gtest/gtest.h"
#include "services/sla/memory_sla_store.h"
#include "services/sla/sla_engine.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::sla {
namespace {

using testing::Cn2026;
using testing::Facts;
using testing::Local;

class LadderTest : public ::testing::Test {
 protected:
  LadderTest()
      : cal_(Cn2026()),
        clock_(Local(cal_, 2026, 3, 10, 9, 0)),  // Tue 10 Mar 2026, 09:00
        engine_(&store_, &config_) {
    config_.Set("d1", std::make_shared<DistrictSla>(DistrictSla{
                          cal_, testing::UniformPolicies({TimeUnit::kWorkingHours, 4},
                                                         TimeUnit::kWorkingDays, 1, 3,
                                                         {TimeUnit::kWorkingHours, 2})}));
  }

  void Change(EventState s, EventAction a) {
    ++version_;
    ASSERT_TRUE(engine_.OnChange({"e1", version_, s, a, clock_.Now()}, Facts()).ok());
  }
  // Fires what is due at `t` (moving the clock there) and returns the rungs fired.
  std::vector<int> FireAt(absl::Time t) {
    clock_.Set(t);
    absl::StatusOr<std::vector<Notice>> fired = engine_.FireDue("d1", clock_.Now(), 100);
    EXPECT_TRUE(fired.ok()) << fired.status();
    std::vector<int> rungs;
    for (const Notice& n : *fired) rungs.push_back(n.rung);
    return rungs;
  }
  absl::Time At(int m, int d, int hh, int mm) { return Local(cal_, 2026, m, d, hh, mm); }
  Light LightNow() { return engine_.Clock("d1", "e1", clock_.Now())->view.light; }

  BusinessCalendar cal_;
  FakeClock clock_;
  MemorySlaStore store_;
  SlaConfig config_;
  SlaEngine engine_;
  int64_t version_ = 0;
};

TEST_F(LadderTest, EveryRungFiresOnceInOrderAtItsWorkingTime) {
  Change(EventState::kClaimed, EventAction::kClaim);
  // 4 working hours from 09:00: 3 h before lunch, 1 h after → 15:00; 80 % → 14:12.
  EXPECT_EQ(engine_.Clock("d1", "e1", clock_.Now())->record.deadline, At(3, 10, 15, 0));
  EXPECT_EQ(LightNow(), Light::kGreen);
  EXPECT_TRUE(FireAt(At(3, 10, 14, 11)).empty());
  EXPECT_EQ(FireAt(At(3, 10, 14, 12)), std::vector<int>{0});
  EXPECT_EQ(LightNow(), Light::kYellow);
  EXPECT_TRUE(FireAt(At(3, 10, 14, 59)).empty());
  EXPECT_EQ(FireAt(At(3, 10, 15, 0)), std::vector<int>{1});
  EXPECT_EQ(LightNow(), Light::kRed);
  // +1 working day: Wed 15:00; +3 working days: Fri 13 Mar 15:00.
  EXPECT_TRUE(FireAt(At(3, 11, 14, 59)).empty());
  EXPECT_EQ(FireAt(At(3, 11, 15, 0)), std::vector<int>{2});
  EXPECT_EQ(FireAt(At(3, 13, 15, 0)), std::vector<int>{3});
  EXPECT_TRUE(FireAt(At(3, 30, 15, 0)).empty());  // nothing fires twice
  absl::StatusOr<std::vector<Notice>> all = store_.RecentNotices("d1", 100);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].kind, NoticeKind::kWarning);
  EXPECT_EQ((*all)[0].recipient, Recipient::kDepartment);
  EXPECT_EQ((*all)[1].recipient, Recipient::kDepartmentLeader);
  EXPECT_EQ((*all)[2].recipient, Recipient::kStreetDispatchCentre);
  EXPECT_EQ((*all)[3].kind, NoticeKind::kSupervisionOrder);
  EXPECT_EQ((*all)[3].id, "e1:resolve:1:3");
  // The supervision order is on the event, with its own deadline: 2 working days later.
  EventClockView v = *engine_.Clock("d1", "e1", clock_.Now());
  ASSERT_EQ(v.record.orders.size(), 1u);
  EXPECT_EQ(v.record.orders[0].id, (*all)[3].supervision_order_id);
  EXPECT_EQ(v.record.orders[0].deadline, At(3, 17, 15, 0));
}

TEST_F(LadderTest, ResolvingCancelsTheRungsNotYetFired) {
  Change(EventState::kClaimed, EventAction::kClaim);
  EXPECT_EQ(FireAt(At(3, 10, 14, 12)), std::vector<int>{0});
  Change(EventState::kResolved, EventAction::kResolve);  // the verify stage starts
  EXPECT_TRUE(FireAt(At(3, 10, 15, 0)).empty());         // the resolve deadline passes: nothing
  // By Friday only the verify stage's rungs fired (80 % Tue 17:24, deadline Wed 08:42,
  // +1 working day Thu 08:42), never the resolve stage's later ones.
  EXPECT_EQ(FireAt(At(3, 13, 15, 0)), (std::vector<int>{0, 1, 2}));
  std::vector<Notice> all = *store_.RecentNotices("d1", 100);
  int resolve = 0;
  for (const Notice& n : all) resolve += n.stage == "resolve";
  EXPECT_EQ(resolve, 1);
  EXPECT_EQ(all.back().stage, "verify");
  Change(EventState::kVerified, EventAction::kVerifyPass);  // no clock after verification
  EXPECT_TRUE(FireAt(At(4, 30, 9, 0)).empty());
  EXPECT_EQ(LightNow(), Light::kNone);
}

TEST_F(LadderTest, SuspendedTimeIsExcludedFromTheClock) {
  Change(EventState::kClaimed, EventAction::kClaim);
  clock_.Set(At(3, 10, 10, 0));  // 1 h used
  Change(EventState::kSuspended, EventAction::kApproveSuspension);
  EXPECT_TRUE(FireAt(At(3, 20, 9, 0)).empty());  // ten days suspended: nothing fires
  Light suspended_light = LightNow();
  EXPECT_EQ(suspended_light, Light::kGreen);
  clock_.Set(At(3, 23, 9, 0));  // Mon 23 Mar 09:00: resume with 3 h left
  Change(EventState::kInProgress, EventAction::kResume);
  EventClockView v = *engine_.Clock("d1", "e1", clock_.Now());
  EXPECT_EQ(v.record.deadline, At(3, 23, 12, 0));  // 3 h left, all before lunch
  EXPECT_EQ(v.record.suspended_total, At(3, 23, 9, 0) - At(3, 10, 10, 0));
  // 80 % of 4 h = 3 h 12 m; 1 h used before: 2 h 12 m after 09:00 → 11:12.
  EXPECT_EQ(FireAt(At(3, 23, 11, 12)), std::vector<int>{0});
  EXPECT_EQ(FireAt(At(3, 23, 12, 0)), std::vector<int>{1});
}

TEST_F(LadderTest, ApprovedExtensionMovesTheDeadlineAndFiredRungsStayFired) {
  Change(EventState::kClaimed, EventAction::kClaim);
  EXPECT_EQ(FireAt(At(3, 10, 14, 12)), std::vector<int>{0});
  Change(EventState::kClaimed, EventAction::kApproveExtension);  // +2 working hours
  EventClockView v = *engine_.Clock("d1", "e1", clock_.Now());
  EXPECT_EQ(v.record.deadline, At(3, 10, 17, 0));
  EXPECT_EQ(v.record.extensions, 1);
  EXPECT_TRUE(FireAt(At(3, 10, 15, 0)).empty());  // the old deadline's timer is stale
  EXPECT_EQ(FireAt(At(3, 10, 17, 0)), std::vector<int>{1});
  int warnings = 0;
  std::vector<Notice> all = *store_.RecentNotices("d1", 100);
  for (const Notice& n : all) warnings += n.rung == 0;
  EXPECT_EQ(warnings, 1);
}

TEST_F(LadderTest, RedeliveredChangeIsHarmless) {
  Change(EventState::kClaimed, EventAction::kClaim);
  ASSERT_TRUE(engine_
                  .OnChange({"e1", version_, EventState::kClaimed, EventAction::kClaim,
                             clock_.Now() + absl::Hours(1)},
                            Facts())
                  .ok());
  EXPECT_EQ(engine_.Clock("d1", "e1", clock_.Now())->record.deadline, At(3, 10, 15, 0));
  EXPECT_EQ(*store_.TimerCount("d1"), 4);
}

TEST_F(LadderTest, DistrictWithoutConfigurationIsAFailedPrecondition) {
  absl::Status s = engine_.OnChange(
      {"x1", 1, EventState::kReported, EventAction::kReport, clock_.Now()}, Facts("other"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ExtensionGuardTest, RefusesAnExtensionBeyondThePolicyMaximum) {
  PolicySet p = testing::SecondScalePolicies();  // one extension allowed
  Event e;
  e.id = "e1";
  e.state = EventState::kInProgress;
  e.category_code = "0101";
  e.urgency = Urgency::kNormal;
  EXPECT_TRUE(CheckExtensionAllowed(p, e).ok());
  e.extension_count = 1;
  EXPECT_EQ(CheckExtensionAllowed(p, e).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace zhiwang::sla
