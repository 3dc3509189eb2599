// Evaluation figures on a hand-checked case and on the edges of the definitions.
// Calendar: working hours 08:30–12:00 and 14:00–18:00, Monday to Friday (2026 mainland
// holidays). Policies: every stage 4 working hours; one extension of 2 working hours.

#include "services/console/evaluation.h"

#include <algorithm>
#include <random>
#include <vector>

#include "common/domain/lifecycle.h"
#include "gtest/gtest.h"
#include "services/console/evaluation_test_util.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::console {
namespace {

using A = EventAction;
using S = EventState;
using testing::EventBuilder;

class EvaluationTest : public ::testing::Test {
 protected:
  EvaluationTest()
      : cal_(sla::testing::Cn2026()),
        policies_(sla::testing::UniformPolicies({sla::TimeUnit::kWorkingHours, 4},
                                                sla::TimeUnit::kWorkingDays, 1, 3,
                                                {sla::TimeUnit::kWorkingHours, 2})) {}

  // Local time on 2026-03-<d> (the 9th is a Monday).
  absl::Time At(int d, int hh, int mm, int ss = 0) {
    return absl::FromCivil(absl::CivilSecond(2026, 3, d, hh, mm, ss), cal_.time_zone());
  }
  Period Day(int d) { return DayPeriod(absl::CivilDay(2026, 3, d), cal_.time_zone()); }

  GroupFigures Eval(const std::vector<EventRecord>& events, const Period& p, Grouping g) {
    absl::StatusOr<GroupFigures> out = Evaluate(events, policies_, cal_, p, g);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : GroupFigures{};
  }

  // The hand-checked case, evaluated for Tuesday 2026-03-10. Resolve deadlines are claim
  // time + 4 working hours.
  std::vector<EventRecord> HandCase() {
    std::vector<EventRecord> ev;
    // E1 st1/c1 gw1, water: claimed 09:00 → deadline 15:00 (3 h before lunch + 1 h);
    // resolved 11:00, on time; handling 2 h; verified and closed: fixed.
    ev.push_back(EventBuilder("e1", "st1", "c1", "gw1")
                     .UpToClaim(At(10, 8, 0), At(10, 8, 10), At(10, 8, 20), At(10, 9, 0), "water")
                     .Step(At(10, 11, 0), A::kResolve, S::kResolved, "", "water")
                     .Step(At(10, 11, 30), A::kVerifyPass, S::kVerified)
                     .Step(At(10, 11, 40), A::kClose, S::kClosed)
                     .Build());
    // E2 st1/c2 gw2, urban: claimed 08:30 → deadline 14:30; resolved 16:00: overdue;
    // handling 08:30–12:00 + 14:00–16:00 = 5 h 30; closed: fixed.
    ev.push_back(EventBuilder("e2", "st1", "c2", "gw2")
                     .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 8, 30), "urban")
                     .Step(At(10, 16, 0), A::kResolve, S::kResolved, "", "urban")
                     .Step(At(10, 16, 30), A::kVerifyPass, S::kVerified)
                     .Step(At(10, 17, 0), A::kClose, S::kClosed)
                     .Build());
    // E3 st2/c3 gw1, water: claimed 09:00 → deadline 15:00; suspended from 10:30 to the
    // end of the day: the clock stopped before the deadline, so it is due (its deadline
    // as armed, 15:00, falls in the day) and suspended.
    ev.push_back(EventBuilder("e3", "st2", "c3", "gw1")
                     .UpToClaim(At(10, 8, 0), At(10, 8, 10), At(10, 8, 20), At(10, 9, 0), "water")
                     .Step(At(10, 10, 0), A::kRequestSuspension, S::kClaimed, "", "water")
                     .Step(At(10, 10, 30), A::kApproveSuspension, S::kSuspended)
                     .Build());
    // E4 st2/c3 gw2, urban, reported Monday: first resolution Monday 17:00 (deadline
    // 18:00) is Monday's; verification fails Tuesday 08:40 → rework starts a new resolve
    // clock, deadline 08:40 + 4 h = 14:40; resolved 14:20: on time; handling 08:40–12:00 +
    // 14:00–14:20 = 3 h 40. Two verifications on Tuesday, one a rework.
    ev.push_back(EventBuilder("e4", "st2", "c3", "gw2")
                     .UpToClaim(At(9, 8, 0), At(9, 8, 10), At(9, 8, 20), At(9, 14, 0), "urban")
                     .Step(At(9, 17, 0), A::kResolve, S::kResolved, "", "urban")
                     .Step(At(10, 8, 40), A::kVerifyFail, S::kRework)
                     .Step(At(10, 9, 0), A::kClaim, S::kClaimed, "", "urban")
                     .Step(At(10, 14, 20), A::kResolve, S::kResolved, "", "urban")
                     .Step(At(10, 15, 0), A::kVerifyPass, S::kVerified)
                     .Step(At(10, 15, 10), A::kClose, S::kClosed)
                     .Build());
    // E5 st1/c1 gw1: dispatched to water, rejected by water; to urban, rejected by urban;
    // back to water (buck-passing: water had rejected it), claimed 10:10 → deadline 16:10;
    // an approved extension (+2 working hours) moves it to Wednesday 08:40; resolved 17:00:
    // on time thanks to the extension; handling 10:10–12:00 + 14:00–17:00 = 4 h 50.
    ev.push_back(EventBuilder("e5", "st1", "c1", "gw1")
                     .Step(At(10, 8, 0), A::kReport, S::kReported)
                     .Step(At(10, 8, 5), A::kAccept, S::kAccepted)
                     .Step(At(10, 8, 10), A::kDispatch, S::kDispatched, "water")
                     .Step(At(10, 8, 40), A::kReject, S::kRejected, "", "water", "WRONG_DEPARTMENT")
                     .Step(At(10, 9, 0), A::kDispatch, S::kDispatched, "urban")
                     .Step(At(10, 9, 30), A::kReject, S::kRejected, "", "urban", "WRONG_DEPARTMENT")
                     .Step(At(10, 10, 0), A::kDispatch, S::kDispatched, "water")
                     .Step(At(10, 10, 10), A::kClaim, S::kClaimed, "", "water")
                     .Step(At(10, 15, 0), A::kRequestExtension, S::kClaimed, "", "water")
                     .Step(At(10, 15, 10), A::kApproveExtension, S::kClaimed)
                     .Step(At(10, 17, 0), A::kResolve, S::kResolved, "", "water")
                     .Build());
    // E6 st1/c1 gw2, urban: claimed 08:30 → deadline 14:30; resolved 10:30 with reason
    // NOT_FIXED: on time, handling 2 h; verified and closed: closed but not fixed.
    ev.push_back(EventBuilder("e6", "st1", "c1", "gw2")
                     .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 8, 30), "urban")
                     .Step(At(10, 10, 30), A::kResolve, S::kResolved, "", "urban", kNotFixedReason)
                     .Step(At(10, 11, 0), A::kVerifyPass, S::kVerified)
                     .Step(At(10, 11, 10), A::kClose, S::kClosed)
                     .Build());
    // E7 st2/c3 gw1, water: claimed 08:30 → deadline 14:30, still open at the day's end:
    // overdue.
    ev.push_back(EventBuilder("e7", "st2", "c3", "gw1")
                     .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 8, 30), "water")
                     .Build());
    // Reports only: not accepted (gw1, invalid), merged as a duplicate (gw2, invalid),
    // reported at 23:30 and still undecided (gw1, pending), reported at Wednesday 00:00
    // (outside the day), and a hotline report (not a grid worker's).
    ev.push_back(EventBuilder("e8a", "st1", "c1", "gw1")
                     .Step(At(10, 9, 0), A::kReport, S::kReported)
                     .Step(At(10, 9, 10), A::kNotAccept, S::kNotAccepted)
                     .Build());
    ev.push_back(EventBuilder("e8b", "st2", "c3", "gw2")
                     .Step(At(10, 9, 0), A::kReport, S::kReported)
                     .Step(At(10, 9, 20), A::kMerge, S::kMerged)
                     .Build());
    ev.push_back(EventBuilder("e8c", "st1", "c2", "gw1")
                     .Step(At(10, 23, 30), A::kReport, S::kReported)
                     .Build());
    ev.push_back(EventBuilder("e8d", "st2", "c3", "gw2")
                     .Step(At(11, 0, 0), A::kReport, S::kReported)
                     .Build());
    ev.push_back(EventBuilder("e8e", "st1", "c1", "hotline", Role::kSystem)
                     .Step(At(10, 9, 0), A::kReport, S::kReported)
                     .Build());
    return ev;
  }

  sla::BusinessCalendar cal_;
  sla::PolicySet policies_;
};

absl::Duration HM(int h, int m) { return absl::Hours(h) + absl::Minutes(m); }

TEST_F(EvaluationTest, HandCheckedDepartments) {
  GroupFigures g = Eval(HandCase(), Day(10), Grouping::kDepartment);
  ASSERT_EQ(g.size(), 2u);
  // water: E1 on time, E3 suspended, E5 on time, E7 overdue.
  const Figures& w = g["water"];
  EXPECT_EQ(w.due, 4);
  EXPECT_EQ(w.suspended, 1);
  EXPECT_EQ(w.on_time, 2);
  EXPECT_EQ(w.overdue, 1);
  EXPECT_EQ(w.OnTimeRate(), (Ratio{2, 3}));
  EXPECT_EQ(w.handled, 2);
  EXPECT_EQ(w.handling_total, HM(6, 50));  // 2 h + 4 h 50
  EXPECT_EQ(w.handling_p90, HM(4, 50));    // rank ceil(0.9 × 2) = 2
  EXPECT_EQ(w.MeanHandling(), HM(3, 25));
  EXPECT_EQ(w.ReworkRate(), (Ratio{0, 1}));  // E1's verification
  // Assignments E1, E3, E5 (twice), E7; E5's first rejected; its second a buck-passing.
  EXPECT_EQ(w.RejectionRate(), (Ratio{1, 5}));
  EXPECT_EQ(w.buck_passing, 1);
  // Accepted E1, E3, E5, E7 (water holds each at the day's end); E1 closed and fixed.
  EXPECT_EQ(w.ClosureRate(), (Ratio{1, 4}));
  EXPECT_EQ(w.FixedRate(), (Ratio{1, 4}));
  EXPECT_EQ(w.reports, 0);  // reports count for no department

  // urban: E2 overdue, E4 (rework) on time, E6 on time.
  const Figures& u = g["urban"];
  EXPECT_EQ(u.due, 3);
  EXPECT_EQ(u.suspended, 0);
  EXPECT_EQ(u.OnTimeRate(), (Ratio{2, 3}));
  EXPECT_EQ(u.overdue, 1);
  EXPECT_EQ(u.handled, 3);
  EXPECT_EQ(u.handling_total, HM(11, 10));  // 5 h 30 + 3 h 40 + 2 h
  EXPECT_EQ(u.handling_p90, HM(5, 30));     // rank ceil(0.9 × 3) = 3
  // Verifications E2, E4 (fail, pass), E6.
  EXPECT_EQ(u.ReworkRate(), (Ratio{1, 4}));
  // Assignments E2, E5 (rejected), E6.
  EXPECT_EQ(u.RejectionRate(), (Ratio{1, 3}));
  EXPECT_EQ(u.buck_passing, 0);
  // Accepted E2 and E6 (E4 was accepted Monday): E2 fixed, E6 closed but not fixed.
  EXPECT_EQ(u.accepted, 2);
  EXPECT_EQ(u.closed_fixed, 1);
  EXPECT_EQ(u.closed_not_fixed, 1);
  EXPECT_EQ(u.ClosureRate(), (Ratio{2, 2}));
  EXPECT_EQ(u.FixedRate(), (Ratio{1, 2}));
}

TEST_F(EvaluationTest, HandCheckedDistrictTotal) {
  GroupFigures g = Eval(HandCase(), Day(10), Grouping::kDistrict);
  ASSERT_EQ(g.size(), 1u);
  const Figures& d = g["d1"];
  EXPECT_EQ(d.OnTimeRate(), (Ratio{4, 6}));
  EXPECT_EQ(d.due, 7);
  EXPECT_EQ(d.overdue, 2);
  EXPECT_EQ(d.handled, 5);
  EXPECT_EQ(d.handling_total, HM(18, 0));
  EXPECT_EQ(d.handling_p90, HM(5, 30));  // rank ceil(0.9 × 5) = 5: the longest
  EXPECT_EQ(d.ReworkRate(), (Ratio{1, 5}));
  EXPECT_EQ(d.RejectionRate(), (Ratio{2, 8}));
  EXPECT_EQ(d.buck_passing, 1);
  EXPECT_EQ(d.accepted, 6);
  EXPECT_EQ(d.closed_fixed, 2);
  EXPECT_EQ(d.closed_not_fixed, 1);
  // Grid-worker reports on Tuesday: six valid, two invalid, e8c pending; e8d is
  // Wednesday's, e8e the hotline's, e4 Monday's.
  EXPECT_EQ(d.reports, 9);
  EXPECT_EQ(d.pending_reports, 1);
  EXPECT_EQ(d.ValidReportRate(), (Ratio{6, 8}));
}

TEST_F(EvaluationTest, HandCheckedAreasAndGridWorkers) {
  std::vector<EventRecord> ev = HandCase();
  GroupFigures st = Eval(ev, Day(10), Grouping::kStreet);
  EXPECT_EQ(st["st1"].OnTimeRate(), (Ratio{3, 4}));  // E1, E5, E6 on time; E2 overdue
  EXPECT_EQ(st["st2"].OnTimeRate(), (Ratio{1, 2}));  // E4 on time, E7 overdue, E3 suspended
  EXPECT_EQ(st["st2"].suspended, 1);
  GroupFigures cm = Eval(ev, Day(10), Grouping::kCommunity);
  EXPECT_EQ(cm["c1"].OnTimeRate(), (Ratio{3, 3}));  // E1, E5, E6
  EXPECT_EQ(cm["c2"].OnTimeRate(), (Ratio{0, 1}));  // E2
  EXPECT_EQ(cm["c2"].pending_reports, 1);           // e8c
  GroupFigures gw = Eval(ev, Day(10), Grouping::kGridWorker);
  ASSERT_EQ(gw.size(), 2u);  // the hotline report counts for no grid worker
  // gw1: E1, E3, E5, E7 valid; e8a invalid; e8c pending.
  EXPECT_EQ(gw["gw1"].reports, 6);
  EXPECT_EQ(gw["gw1"].ValidReportRate(), (Ratio{4, 5}));
  // gw2: E2, E6 valid; e8b merged.
  EXPECT_EQ(gw["gw2"].ValidReportRate(), (Ratio{2, 3}));
}

TEST_F(EvaluationTest, SumOverDepartmentsEqualsDistrictForDepartmentFigures) {
  std::vector<EventRecord> ev = HandCase();
  GroupFigures by_dept = Eval(ev, Day(10), Grouping::kDepartment);
  Figures sum;
  for (const auto& [dept, f] : by_dept) {
    sum.due += f.due;
    sum.on_time += f.on_time;
    sum.suspended += f.suspended;
    sum.handled += f.handled;
    sum.handling_total += f.handling_total;
    sum.reworks += f.reworks;
    sum.verifications += f.verifications;
    sum.assignments += f.assignments;
    sum.rejected_assignments += f.rejected_assignments;
  }
  const Figures& d = Eval(ev, Day(10), Grouping::kDistrict)["d1"];
  EXPECT_EQ(sum.due, d.due);
  EXPECT_EQ(sum.on_time, d.on_time);
  EXPECT_EQ(sum.suspended, d.suspended);
  EXPECT_EQ(sum.handled, d.handled);
  EXPECT_EQ(sum.handling_total, d.handling_total);
  EXPECT_EQ(sum.reworks, d.reworks);
  EXPECT_EQ(sum.verifications, d.verifications);
  EXPECT_EQ(sum.assignments, d.assignments);
  EXPECT_EQ(sum.rejected_assignments, d.rejected_assignments);
}

TEST_F(EvaluationTest, InvariantToOrderOfEventsAndEntries) {
  std::vector<EventRecord> ev = HandCase();
  GroupFigures want = Eval(ev, Day(10), Grouping::kDepartment);
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(ev.begin(), ev.end(), rng);
    for (EventRecord& r : ev) std::shuffle(r.timeline.begin(), r.timeline.end(), rng);
    EXPECT_EQ(Eval(ev, Day(10), Grouping::kDepartment), want) << "round " << round;
  }
}

TEST_F(EvaluationTest, DueInPeriodResolvedAfterCountsOverdueWhereDue) {
  // Claimed Tuesday 14:00 → deadline Tuesday 18:00; resolved Wednesday 09:00.
  EventRecord e = EventBuilder("e", "st1", "c1", "gw1")
                      .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 14, 0), "water")
                      .Step(At(11, 9, 0), A::kResolve, S::kResolved, "", "water")
                      .Build();
  Figures tue = Eval({e}, Day(10), Grouping::kDepartment)["water"];
  EXPECT_EQ(tue.due, 1);
  EXPECT_EQ(tue.overdue, 1);
  EXPECT_EQ(tue.handled, 0);
  Figures wed = Eval({e}, Day(11), Grouping::kDepartment)["water"];
  EXPECT_EQ(wed.due, 0);  // reckoned on Tuesday, at its deadline
  EXPECT_EQ(wed.handled, 1);
  EXPECT_EQ(wed.handling_total, HM(4, 30));  // Tue 14:00–18:00 + Wed 08:30–09:00
}

TEST_F(EvaluationTest, FrozenAtPeriodEnd) {
  EventBuilder b("e", "st1", "c1", "gw1");
  b.UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 8, 30), "water");
  GroupFigures before = Eval({b.Build()}, Day(10), Grouping::kDepartment);
  b.Step(At(11, 10, 0), A::kReject, S::kRejected, "", "water", "WRONG_DEPARTMENT")
      .Step(At(11, 10, 5), A::kCancel, S::kCancelled);
  EXPECT_EQ(Eval({b.Build()}, Day(10), Grouping::kDepartment), before);
  EXPECT_EQ(before.at("water").overdue, 1);
  EXPECT_EQ(before.at("water").RejectionRate(), (Ratio{0, 1}));
}

TEST_F(EvaluationTest, ResolvedExactlyAtDeadlineIsOverdue) {
  // Claimed 14:00 → deadline 18:00, as the SLA light turns red at the deadline.
  auto resolved_at = [&](absl::Time t) {
    return EventBuilder("e", "st1", "c1", "gw1")
        .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 14, 0), "water")
        .Step(t, A::kResolve, S::kResolved, "", "water")
        .Build();
  };
  EXPECT_EQ(
      Eval({resolved_at(At(10, 18, 0))}, Day(10), Grouping::kDepartment)["water"].OnTimeRate(),
      (Ratio{0, 1}));
  EXPECT_EQ(
      Eval({resolved_at(At(10, 17, 59, 59))}, Day(10), Grouping::kDepartment)["water"].OnTimeRate(),
      (Ratio{1, 1}));
}

TEST_F(EvaluationTest, DeadlineAtPeriodEndBelongsToTheNextPeriod) {
  EventRecord e = EventBuilder("e", "st1", "c1", "gw1")
                      .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 14, 0), "water")
                      .Build();
  absl::Time deadline = At(10, 18, 0);
  Period ending_at = *MakePeriod(At(10, 0, 0), deadline);
  Period ending_after = *MakePeriod(At(10, 0, 0), deadline + absl::Nanoseconds(1));
  EXPECT_EQ(Eval({e}, ending_at, Grouping::kDepartment)["water"].due, 0);
  EXPECT_EQ(Eval({e}, ending_after, Grouping::kDepartment)["water"].overdue, 1);
}

TEST_F(EvaluationTest, SuspendedAfterTheDeadlineStaysOverdue) {
  // Claimed 08:30 → deadline 14:30; suspended 15:00 when already late.
  EventRecord e = EventBuilder("e", "st1", "c1", "gw1")
                      .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 8, 30), "water")
                      .Step(At(10, 14, 45), A::kRequestSuspension, S::kClaimed, "", "water")
                      .Step(At(10, 15, 0), A::kApproveSuspension, S::kSuspended)
                      .Build();
  Figures f = Eval({e}, Day(10), Grouping::kDepartment)["water"];
  EXPECT_EQ(f.due, 1);
  EXPECT_EQ(f.suspended, 0);
  EXPECT_EQ(f.overdue, 1);
}

TEST_F(EvaluationTest, SuspendedTimeDoesNotCount) {
  // Claimed 09:00 (deadline 15:00), suspended 10:00–16:00, resumed: 3 h of the limit are
  // left → deadline Wednesday 09:30 (16:00–18:00, then 08:30–09:30). Resolved Wednesday
  // 09:00: on time; handling 1 h + 2 h + 30 min.
  EventRecord e = EventBuilder("e", "st1", "c1", "gw1")
                      .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 9, 0), "water")
                      .Step(At(10, 9, 50), A::kRequestSuspension, S::kClaimed, "", "water")
                      .Step(At(10, 10, 0), A::kApproveSuspension, S::kSuspended)
                      .Step(At(10, 16, 0), A::kResume, S::kInProgress, "", "water")
                      .Step(At(11, 9, 0), A::kResolve, S::kResolved, "", "water")
                      .Build();
  Figures wed = Eval({e}, Day(11), Grouping::kDepartment)["water"];
  EXPECT_EQ(wed.OnTimeRate(), (Ratio{1, 1}));
  EXPECT_EQ(wed.handling_total, HM(3, 30));
  EXPECT_EQ(Eval({e}, Day(10), Grouping::kDepartment)["water"].due, 0);
}

TEST_F(EvaluationTest, ReassignedWorkIsNotDueForTheFormerDepartment) {
  // Claimed by water 09:00 (deadline 15:00), reassigned to urban at 10:00 (action 50),
  // claimed by urban 10:30 → deadline 16:30, resolved 16:00.
  EventRecord e = EventBuilder("e", "st1", "c1", "gw1")
                      .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 9, 0), "water")
                      .Step(At(10, 10, 0), A::kReassign, S::kDispatched, "urban")
                      .Step(At(10, 10, 30), A::kClaim, S::kClaimed, "", "urban")
                      .Step(At(10, 16, 0), A::kResolve, S::kResolved, "", "urban")
                      .Build();
  GroupFigures g = Eval({e}, Day(10), Grouping::kDepartment);
  EXPECT_EQ(g["water"].due, 0);
  EXPECT_EQ(g["water"].assignments, 1);
  EXPECT_EQ(g["urban"].OnTimeRate(), (Ratio{1, 1}));
  EXPECT_EQ(g["urban"].assignments, 1);
  EXPECT_EQ(g["urban"].handling_total, HM(3, 30));  // 10:30–12:00 + 14:00–16:00
}

TEST_F(EvaluationTest, DeadlineUsesTheCategoryTheClockStartedWith) {
  // 0202 has a 1-working-hour resolve limit, 0101 four hours. Claimed as 0202 at 09:00
  // (deadline 10:00), recategorised to 0101 at 09:30 keeping the clock (the SLA service
  // restarts only on a new stage or a dispatch), resolved 11:00: overdue.
  std::vector<sla::PolicyEntry> entries(2);
  entries[0].category = "0101";
  entries[0].stage = sla::Stage::kResolve;
  entries[0].limit = {sla::TimeUnit::kWorkingHours, 4};
  entries[1] = entries[0];
  entries[1].category = "0202";
  entries[1].limit = {sla::TimeUnit::kWorkingHours, 1};
  sla::PolicySet policies = *sla::PolicySet::Create(entries, {});
  EventRecord e = EventBuilder("e", "st1", "c1", "gw1")
                      .UpToClaim(At(10, 8, 0), At(10, 8, 5), At(10, 8, 10), At(10, 9, 0), "water")
                      .Step(At(10, 9, 30), A::kRecategorise, S::kClaimed, "", "", kClockKeep)
                      .Step(At(10, 11, 0), A::kResolve, S::kResolved, "", "water")
                      .Build();
  e.event.category_code = "0101";
  e.event.previous_category_codes = {"0202"};
  absl::StatusOr<GroupFigures> g = Evaluate({e}, policies, cal_, Day(10), Grouping::kDepartment);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)["water"].OnTimeRate(), (Ratio{0, 1}));
}

TEST_F(EvaluationTest, NoEventsGiveNoGroupsAndUndefinedRates) {
  EXPECT_TRUE(Eval({}, Day(10), Grouping::kDepartment).empty());
  Figures none;
  EXPECT_FALSE(none.OnTimeRate().defined());
  EXPECT_EQ(none.OnTimeRate().value(), std::nullopt);
  EXPECT_EQ(none.ClosureRate().value(), std::nullopt);
  EXPECT_EQ(none.ReworkRate().value(), std::nullopt);
  EXPECT_EQ(none.RejectionRate().value(), std::nullopt);
  EXPECT_EQ(none.ValidReportRate().value(), std::nullopt);
  EXPECT_EQ(none.MeanHandling(), std::nullopt);
  EXPECT_EQ((Ratio{1, 4}).value(), 0.25);
}

TEST_F(EvaluationTest, AllSuspendedLeavesOnTimeRateUndefined) {
  std::vector<EventRecord> ev = HandCase();
  Figures e3 = Eval({ev[2]}, Day(10), Grouping::kDepartment)["water"];  // E3 only
  EXPECT_EQ(e3.due, 1);
  EXPECT_EQ(e3.suspended, 1);
  EXPECT_FALSE(e3.OnTimeRate().defined());
}

TEST_F(EvaluationTest, RejectsBadTimelines) {
  EventRecord dup = EventBuilder("e", "st1", "c1", "gw1")
                        .Step(At(10, 8, 0), A::kReport, S::kReported)
                        .Step(At(10, 8, 5), A::kAccept, S::kAccepted)
                        .Build();
  dup.timeline[1].seq = 1;
  absl::StatusOr<GroupFigures> out =
      Evaluate({dup}, policies_, cal_, Day(10), Grouping::kDepartment);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);

  EventRecord unknown =
      EventBuilder("e", "st1", "c1", "gw1").Step(At(10, 8, 0), A::kReport, S::kReported).Build();
  unknown.timeline[0].action = static_cast<EventAction>(40);
  out = Evaluate({unknown}, policies_, cal_, Day(10), Grouping::kDepartment);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);

  Period empty{At(10, 0, 0), At(10, 0, 0)};
  out = Evaluate({}, policies_, cal_, empty, Grouping::kDepartment);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EvaluationTest, MissingResolvePolicyIsNotFoundButOtherStagesMayHaveNone) {
  std::vector<sla::PolicyEntry> only_resolve(1);
  only_resolve[0].stage = sla::Stage::kResolve;
  only_resolve[0].limit = {sla::TimeUnit::kWorkingHours, 4};
  sla::PolicySet resolve_only = *sla::PolicySet::Create(only_resolve, {});
  std::vector<EventRecord> ev = HandCase();
  absl::StatusOr<GroupFigures> a = Evaluate(ev, resolve_only, cal_, Day(10), Grouping::kDepartment);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ((*a)["water"].OnTimeRate(), (Ratio{2, 3}));

  std::vector<sla::PolicyEntry> only_claim = only_resolve;
  only_claim[0].stage = sla::Stage::kClaim;
  sla::PolicySet claim_only = *sla::PolicySet::Create(only_claim, {});
  EXPECT_EQ(Evaluate(ev, claim_only, cal_, Day(10), Grouping::kDepartment).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace zhiwang::console
