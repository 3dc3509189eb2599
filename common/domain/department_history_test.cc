// auth (issue 7): ApplyCommand keeps every department that led or assisted on an event in
// department_history, so a department keeps read access after the event moved on.

#include "common/domain/access_policy.h"
#include "common/domain/lifecycle.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);
const Identity kDispatcher{"disp-1", Role::kDistrictDispatcher, "d1", ""};
const Identity kOpA{"op-a", Role::kDepartmentOperator, "", "dep_a"};
const Identity kOpC{"op-c", Role::kDepartmentOperator, "", "dep_c"};

Event Accepted() {
  Event e;
  e.id = "d1-20260101-1";
  e.district_id = "d1";
  e.state = EventState::kAccepted;
  e.version = 2;
  return e;
}

Event Step(const Event& e, const Identity& who, Command c) {
  absl::StatusOr<TransitionOutcome> out = ApplyCommand(e, who, c, kNow);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? out->event : e;
}

TEST(DepartmentHistoryTest, ReassignedAwayDepartmentKeepsReadAccess) {
  Event e = Step(Accepted(), kDispatcher,
                 Command{.action = EventAction::kDispatch, .department_id = "dep_a"});
  EXPECT_EQ(e.department_history, (std::vector<std::string>{"dep_a"}));
  e = Step(
      e, kDispatcher,
      Command{.action = EventAction::kReassign, .note = "wrong team", .department_id = "dep_b"});
  EXPECT_EQ(e.department_history, (std::vector<std::string>{"dep_a", "dep_b"}));
  EXPECT_TRUE(CanSeeEvent(kOpA, e));
  EXPECT_FALSE(CanSeeEvent(kOpC, e));
}

TEST(DepartmentHistoryTest, AssistingDepartmentsJoinOnceInOrder) {
  Event e = Step(Accepted(), kDispatcher,
                 Command{.action = EventAction::kDispatch, .department_id = "dep_a"});
  e = Step(e, kDispatcher,
           Command{.action = EventAction::kCoHandle, .assisting_department_ids = {"dep_c"}});
  e = Step(e, kDispatcher,
           Command{.action = EventAction::kCoHandle, .assisting_department_ids = {}});
  EXPECT_EQ(e.department_history, (std::vector<std::string>{"dep_a", "dep_c"}));
  EXPECT_TRUE(CanSeeEvent(kOpC, e));  // it helped once
}

TEST(DepartmentHistoryTest, RejectionKeepsTheRejectingDepartmentInTheHistory) {
  Event e = Step(Accepted(), kDispatcher,
                 Command{.action = EventAction::kDispatch, .department_id = "dep_a"});
  e = Step(e, kOpA, Command{.action = EventAction::kReject, .reason_code = "WRONG_DEPARTMENT"});
  EXPECT_EQ(e.department_id, "");
  EXPECT_EQ(e.department_history, (std::vector<std::string>{"dep_a"}));
}

}  // namespace
}  // namespace zhiwang
