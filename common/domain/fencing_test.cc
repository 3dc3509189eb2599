// dq (issue 5): fencing tokens and single ownership in the lifecycle (ApplyCommand).

#include "absl/status/status.h"
#include "common/domain/lifecycle.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);
const Identity kDispatcher{"disp-1", Role::kDistrictDispatcher, "d1", ""};
const Identity kOp1{"op-1", Role::kDepartmentOperator, "d1", "dep_a"};
const Identity kOp2{"op-2", Role::kDepartmentOperator, "d1", "dep_a"};
const Identity kSysB{"sys-b", Role::kDepartmentSystem, "d1", "dep_b"};

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

Command Dispatch(const std::string& dep) {
  return Command{.action = EventAction::kDispatch, .department_id = dep};
}

TEST(FencingTest, DispatchGivesTheAssignmentTheNewVersionAsToken) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  EXPECT_EQ(e.version, 3);
  EXPECT_EQ(e.assignment_token, 3);
  EXPECT_EQ(e.claimed_by, "");
}

TEST(FencingTest, ClaimRecordsTheOwnerAndKeepsTheToken) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  e = Step(e, kOp1, Command{.action = EventAction::kClaim, .fencing_token = 3});
  EXPECT_EQ(e.claimed_by, "op-1");
  EXPECT_EQ(e.assignment_token, 3);
}

TEST(FencingTest, StaleTokenIsRefusedNamingTheState) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, kOp1, Command{.action = EventAction::kClaim, .fencing_token = 2}, kNow);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("dispatched"), std::string::npos);
}

TEST(FencingTest, NoTokenGivenIsNotFenced) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  e = Step(e, kOp1, Command{.action = EventAction::kClaim});
  EXPECT_EQ(e.state, EventState::kClaimed);
}

TEST(FencingTest, AnotherOperatorMayNotActOnClaimedWork) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  e = Step(e, kOp1, Command{.action = EventAction::kClaim});
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, kOp2, Command{.action = EventAction::kAddProgress, .note = "x"}, kNow);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("claimed by 'op-1'"), std::string::npos);
}

TEST(FencingTest, ReassignIssuesANewTokenAndDropsTheOwner) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  e = Step(e, kOp1, Command{.action = EventAction::kClaim});
  e = Step(e, kDispatcher,
           Command{.action = EventAction::kReassign, .note = "wrong", .department_id = "dep_b"});
  EXPECT_EQ(e.state, EventState::kDispatched);
  EXPECT_EQ(e.department_id, "dep_b");
  EXPECT_EQ(e.assignment_token, e.version);
  EXPECT_EQ(e.claimed_by, "");
  absl::StatusOr<TransitionOutcome> stale =
      ApplyCommand(e, kSysB, Command{.action = EventAction::kClaim, .fencing_token = 3}, kNow);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  e = Step(e, kSysB, Command{.action = EventAction::kClaim, .fencing_token = e.assignment_token});
  EXPECT_EQ(e.claimed_by, "sys-b");
}

TEST(FencingTest, ReassignNeedsAnotherDepartmentAndANote) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  absl::StatusOr<TransitionOutcome> same = ApplyCommand(
      e, kDispatcher,
      Command{.action = EventAction::kReassign, .note = "x", .department_id = "dep_a"}, kNow);
  EXPECT_EQ(same.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<TransitionOutcome> no_note = ApplyCommand(
      e, kDispatcher, Command{.action = EventAction::kReassign, .department_id = "dep_b"}, kNow);
  EXPECT_EQ(no_note.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<TransitionOutcome> by_department = ApplyCommand(
      e, kOp1, Command{.action = EventAction::kReassign, .note = "x", .department_id = "dep_b"},
      kNow);
  EXPECT_EQ(by_department.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(FencingTest, RejectDropsTheOwner) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  e = Step(e, kOp1, Command{.action = EventAction::kClaim});
  e = Step(e, kOp1, Command{.action = EventAction::kReject, .reason_code = "NOT_OUR_JURISDICTION"});
  EXPECT_EQ(e.claimed_by, "");
}

TEST(FencingTest, ReworkIsANewAssignmentOfTheSameDepartment) {
  Event e = Step(Accepted(), kDispatcher, Dispatch("dep_a"));
  e = Step(e, kOp1, Command{.action = EventAction::kClaim});
  Attachment photo{"s3://x/1.jpg", "image/jpeg", 10, ""};
  e = Step(e, kOp1, Command{.action = EventAction::kResolve, .evidence = {photo}});
  e = Step(e, kDispatcher, Command{.action = EventAction::kVerifyFail, .note = "still there"});
  EXPECT_EQ(e.state, EventState::kRework);
  EXPECT_EQ(e.assignment_token, e.version);
  EXPECT_EQ(e.claimed_by, "");
}

TEST(FencingTest, ReassignHasAName) {
  EXPECT_EQ(ActionName(EventAction::kReassign), "reassign");
  EXPECT_TRUE(IsKnownAction(50));
  EXPECT_FALSE(IsKnownAction(49));
}

}  // namespace
}  // namespace zhiwang
