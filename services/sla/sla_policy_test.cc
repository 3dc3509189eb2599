#include "services/sla/sla_policy.h"

#include "gtest/gtest.h"

namespace zhiwang::sla {
namespace {

PolicyEntry Entry(std::string cat, Urgency u, Stage s, double hours) {
  PolicyEntry e;
  e.category = std::move(cat);
  e.urgency = u;
  e.stage = s;
  e.limit = {TimeUnit::kWorkingHours, hours};
  return e;
}

TEST(PolicySetTest, LookupFallsBackFromCategoryToMajorClassToDefault) {
  PolicySet p = *PolicySet::Create({Entry("0101", Urgency::kNormal, Stage::kResolve, 4),
                                    Entry("01", Urgency::kUnspecified, Stage::kResolve, 8),
                                    Entry("", Urgency::kUrgent, Stage::kResolve, 2),
                                    Entry("", Urgency::kUnspecified, Stage::kResolve, 16)},
                                   PolicyDefaults{});
  EXPECT_EQ(p.Find("0101", Urgency::kNormal, Stage::kResolve)->limit.amount, 4);
  EXPECT_EQ(p.Find("0101", Urgency::kUrgent, Stage::kResolve)->limit.amount, 8);  // major class
  EXPECT_EQ(p.Find("0102", Urgency::kNormal, Stage::kResolve)->limit.amount, 8);
  EXPECT_EQ(p.Find("0201", Urgency::kUrgent, Stage::kResolve)->limit.amount, 2);
  EXPECT_EQ(p.Find("0201", Urgency::kNormal, Stage::kResolve)->limit.amount, 16);
  EXPECT_EQ(p.Find("0201", Urgency::kNormal, Stage::kVerify).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(PolicySetTest, EntriesTakeTheSetDefaultsForWhatTheyLeaveOut) {
  PolicyDefaults d;
  d.yellow_share = 0.7;
  d.max_extensions = 2;
  PolicyEntry e = Entry("", Urgency::kUnspecified, Stage::kClaim, 1);
  e.max_extensions = 0;
  PolicySet p = *PolicySet::Create({e}, d);
  StagePolicy got = *p.Find("0901", Urgency::kEmergency, Stage::kClaim);
  EXPECT_EQ(got.yellow_share, 0.7);
  EXPECT_EQ(got.max_extensions, 0);
}

TEST(PolicySetTest, RejectsInvalidEntriesNamingTheField) {
  absl::StatusOr<PolicySet> p =
      PolicySet::Create({Entry("01", Urgency::kNormal, Stage::kResolve, 0)}, PolicyDefaults{});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("policies[0].limit"), std::string::npos);
  p = PolicySet::Create({Entry("01", Urgency::kNormal, Stage::kResolve, 1),
                         Entry("01", Urgency::kNormal, Stage::kResolve, 2)},
                        PolicyDefaults{});
  EXPECT_NE(p.status().message().find("policies[1]"), std::string::npos);
  PolicyEntry bad = Entry("01", Urgency::kNormal, Stage::kNone, 1);
  EXPECT_NE(PolicySet::Create({bad}, PolicyDefaults{}).status().message().find("stage"),
            std::string::npos);
}

TEST(StageTest, StatesMapToTheStageWhoseClockRuns) {
  EXPECT_EQ(StageOfState(EventState::kReported), Stage::kAccept);
  EXPECT_EQ(StageOfState(EventState::kRejected), Stage::kDispatch);
  EXPECT_EQ(StageOfState(EventState::kDispatched), Stage::kClaim);
  EXPECT_EQ(StageOfState(EventState::kSuspended), Stage::kResolve);
  EXPECT_EQ(StageOfState(EventState::kRework), Stage::kResolve);
  EXPECT_EQ(StageOfState(EventState::kResolved), Stage::kVerify);
  EXPECT_EQ(StageOfState(EventState::kClosed), Stage::kNone);
  EXPECT_EQ(StageOfState(EventState::kCancelled), Stage::kNone);
}

}  // namespace
}  // namespace zhiwang::sla
