// feed (issue 6, item 4): a hand-checked small case end to end. Five events are driven
// through the real RPCs of the real binaries (zw-intake, zw-router, zw-dispatch), then
// zw-console's EvaluationService.Evaluate must give exactly the figures worked out by hand
// below. The SLA policies are written by the test: 24×7 calendar, resolve limit 720 natural hours
// for category 0101 (every task resolved in the test is on time) and 1 second for 0104
// (the test waits 1.5 s between claim and resolve, so that task is overdue). Only counts
// are asserted, never a duration.

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/convert.h"
#include "gtest/gtest.h"
#include "tests/e2e/stack.h"
#include "tests/e2e/stack_suite.h"
#include "zhiwang/v1/evaluation.grpc.pb.h"

namespace zhiwang::e2e {
namespace {

constexpr char kPolicies[] = R"pb(
  calendar_files: [ "calendar.textpb" ]
  policies {
    stage: SLA_STAGE_RESOLVE
    limit { unit: TIME_UNIT_NATURAL_HOURS amount: 720 }
  }
  policies {
    category: "0104"
    stage: SLA_STAGE_RESOLVE
    limit { unit: TIME_UNIT_NATURAL_SECONDS amount: 1 }
  }
)pb";

constexpr char kCalendar[] = R"pb(
  id: "always-2026"
  year: 2026
  time_zone: "Asia/Shanghai"
  provisional: false
  source: "evaluation e2e test"
  periods { start_minute: 0 end_minute: 1440 }
  working_weekdays: [ 1, 2, 3, 4, 5, 6, 7 ]
)pb";

class EvaluationE2E : public StackSuite {
 protected:
  void SetUp() override {
    StackSuite::SetUp();
    if (HasFatalFailure()) return;
    const std::string dir = stack().dir();
    std::ofstream(dir + "/eval-policies.textpb") << kPolicies;
    std::ofstream(dir + "/calendar.textpb") << kCalendar;
    if (!stack().running(Service::kConsole)) {
      absl::Status s = stack().StartService(
          Service::kConsole, {absl::StrCat("--sla_policies=", dir, "/eval-policies.textpb")});
      ASSERT_TRUE(s.ok()) << s;
    }
    evaluation_ = v1::EvaluationService::NewStub(grpc::CreateChannel(
        stack().address(Service::kConsole), grpc::InsecureChannelCredentials()));
  }

  // Resolves with a photo and `reason_code` as `who`.
  absl::StatusOr<v1::Event> ResolveWith(const Identity& who, const std::string& rid,
                                        const std::string& id, const std::string& reason) {
    v1::ResolveEventRequest req;
    req.set_client_request_id(rid);
    req.set_event_id(id);
    req.set_note("handled");
    req.set_reason_code(reason);
    *req.add_evidence() = Photo("after.jpg");
    v1::EventResponse resp;
    grpc::Status s = stack().dispatch().ResolveEvent(Stack::Context(who).get(), req, &resp);
    if (!s.ok()) return ToAbsl(s);
    return resp.event();
  }

  std::unique_ptr<v1::EvaluationService::Stub> evaluation_;
};

TEST_F(EvaluationE2E, SmallCaseEqualsFiguresWorkedOutByHand) {
  const absl::Time start = absl::Now() - absl::Minutes(1);
  const Identity worker = GridWorker("gw-eval-1");
  const Identity cgb = Operator(kStreetDept);
  const Identity cgj = Operator(kCityDept);
  const Identity swj = Operator(kWaterDept);
  const Identity dispatcher = StreetDispatcher();
  auto ok = [](const absl::StatusOr<v1::Event>& e) { return e.status(); };

  // E1 (0101 → cgb): claim, resolve FIXED, verify pass, close.       closed, fixed
  absl::StatusOr<v1::Event> e1 = Report(stack(), worker, MakeReport("ev-e1", kTwoDeptCategory));
  ASSERT_TRUE(e1.ok()) << e1.status();
  ASSERT_TRUE(WaitDispatched(stack(), worker, e1->id()).ok());
  ASSERT_TRUE(ok(Claim(stack(), cgb, "ev-e1-claim", e1->id())).ok());
  ASSERT_TRUE(ok(ResolveWith(cgb, "ev-e1-res", e1->id(), "FIXED")).ok());
  ASSERT_TRUE(ok(Verify(stack(), worker, "ev-e1-ver", e1->id(), true, "fine")).ok());
  ASSERT_TRUE(ok(Close(stack(), dispatcher, "ev-e1-close", e1->id(), "done")).ok());

  // E2 (0101 → cgb): claim, resolve NOT_FIXED, verify pass, close.   closed, not fixed
  absl::StatusOr<v1::Event> e2 = Report(stack(), worker, MakeReport("ev-e2", kTwoDeptCategory));
  ASSERT_TRUE(e2.ok()) << e2.status();
  ASSERT_TRUE(WaitDispatched(stack(), worker, e2->id()).ok());
  ASSERT_TRUE(ok(Claim(stack(), cgb, "ev-e2-claim", e2->id())).ok());
  ASSERT_TRUE(ok(ResolveWith(cgb, "ev-e2-res", e2->id(), "NOT_FIXED")).ok());
  ASSERT_TRUE(ok(Verify(stack(), worker, "ev-e2-ver", e2->id(), true, "explained")).ok());
  ASSERT_TRUE(ok(Close(stack(), dispatcher, "ev-e2-close", e2->id(), "done")).ok());

  // E3 (0101 → cgb): cgb rejects unclaimed; the router re-routes to cgj; cgj claims,
  // resolves, the check fails (rework), cgj resolves again, the check passes. Not closed.
  absl::StatusOr<v1::Event> e3 = Report(stack(), worker, MakeReport("ev-e3", kTwoDeptCategory));
  ASSERT_TRUE(e3.ok()) << e3.status();
  ASSERT_TRUE(WaitDispatched(stack(), worker, e3->id()).ok());
  ASSERT_TRUE(
      ok(Reject(stack(), cgb, "ev-e3-rej", e3->id(), "NOT_OUR_JURISDICTION", "not ours")).ok());
  absl::StatusOr<v1::Event> again = WaitDispatched(stack(), worker, e3->id(), kStreetDept);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->department_id(), kCityDept);
  ASSERT_TRUE(ok(Claim(stack(), cgj, "ev-e3-claim", e3->id())).ok());
  ASSERT_TRUE(ok(ResolveWith(cgj, "ev-e3-res1", e3->id(), "")).ok());
  ASSERT_TRUE(ok(Verify(stack(), worker, "ev-e3-ver1", e3->id(), false, "still dirty")).ok());
  ASSERT_TRUE(ok(ResolveWith(cgj, "ev-e3-res2", e3->id(), "FIXED")).ok());
  ASSERT_TRUE(ok(Verify(stack(), worker, "ev-e3-ver2", e3->id(), true, "clean now")).ok());

  // E4 (0104 → swj): claim, wait past the 1 s limit, resolve.        overdue
  absl::StatusOr<v1::Event> e4 = Report(stack(), worker, MakeReport("ev-e4", kOneDeptCategory));
  ASSERT_TRUE(e4.ok()) << e4.status();
  ASSERT_TRUE(WaitDispatched(stack(), worker, e4->id()).ok());
  ASSERT_TRUE(ok(Claim(stack(), swj, "ev-e4-claim", e4->id())).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(ok(ResolveWith(swj, "ev-e4-res", e4->id(), "")).ok());

  // E5 (0101 → cgb): the reporter cancels it while dispatched.        invalid report
  absl::StatusOr<v1::Event> e5 = Report(stack(), worker, MakeReport("ev-e5", kTwoDeptCategory));
  ASSERT_TRUE(e5.ok()) << e5.status();
  ASSERT_TRUE(WaitDispatched(stack(), worker, e5->id()).ok());
  ASSERT_TRUE(ok(Cancel(stack(), worker, "ev-e5-cancel", e5->id(), "mistake")).ok());

  // This binary's stack holds only these five events, so every figure below is theirs.
  v1::EvaluateRequest req;
  req.set_district_id(kDistrictId);
  *req.mutable_range()->mutable_from() = ToProto(start);
  *req.mutable_range()->mutable_to() = ToProto(absl::Now() + absl::Minutes(10));
  auto evaluate = [&](v1::EvaluationGrouping g) {
    req.set_grouping(g);
    v1::EvaluateResponse resp;
    grpc::Status s = CallWithRetry(
        Admin(), [&](grpc::ClientContext* ctx) { return evaluation_->Evaluate(ctx, req, &resp); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::map<std::string, v1::GroupFigures> out;
    for (const v1::GroupFigures& f : resp.groups()) out[f.group_id()] = f;
    EXPECT_FALSE(resp.final());  // the period has not ended: computed live
    return out;
  };

  // District totals, by hand:
  //  accepted: E1..E5 (the router accepts each)                              = 5
  //  closed fixed: E1; closed not fixed: E2 (its last resolution NOT_FIXED)   = 1, 1
  //  closure rate (1 + 1) / 5; fixed rate 1 / 5
  //  resolve tasks due: E1, E2 (on time), E3 ×2 — first run and rework (on time),
  //    E4 (overdue: resolved 1.5 s after a 1 s limit); E3's cgb assignment was never
  //    claimed, so it is no task                                               = 5
  //  on time 4, overdue 1, suspended 0 → on-time rate 4 / (5 − 0)
  //  handled (resolutions in the period): E1, E2, E3 ×2, E4                  = 5
  //  verifications: E1 pass, E2 pass, E3 fail, E3 pass = 4; reworks 1 → 1 / 4
  //  assignments: dispatch of E1, E2, E3 (cgb), E3 (cgj), E4 (swj), E5       = 6
  //  rejected: E3's cgb assignment = 1 → 1 / 6; buck-passing 0
  //  reports by grid workers: 5; valid (closed, closed, verified, resolved) 4;
  //    invalid (cancelled) 1; pending 0 → 4 / 5
  std::map<std::string, v1::GroupFigures> district = evaluate(v1::EVALUATION_GROUPING_DISTRICT);
  ASSERT_EQ(district.size(), 1u);
  const v1::GroupFigures& d = district[kDistrictId];
  EXPECT_EQ(d.accepted(), 5);
  EXPECT_EQ(d.closed_fixed(), 1);
  EXPECT_EQ(d.closed_not_fixed(), 1);
  EXPECT_EQ(d.closure_rate().numerator(), 2);
  EXPECT_EQ(d.closure_rate().denominator(), 5);
  EXPECT_EQ(d.closure_rate().percent(), "40.00");
  EXPECT_EQ(d.fixed_rate().percent(), "20.00");
  EXPECT_EQ(d.due(), 5);
  EXPECT_EQ(d.on_time(), 4);
  EXPECT_EQ(d.overdue(), 1);
  EXPECT_EQ(d.suspended(), 0);
  EXPECT_EQ(d.on_time_rate().numerator(), 4);
  EXPECT_EQ(d.on_time_rate().denominator(), 5);
  EXPECT_EQ(d.on_time_rate().percent(), "80.00");
  EXPECT_EQ(d.handled(), 5);
  EXPECT_EQ(d.verifications(), 4);
  EXPECT_EQ(d.reworks(), 1);
  EXPECT_EQ(d.rework_rate().percent(), "25.00");
  EXPECT_EQ(d.assignments(), 6);
  EXPECT_EQ(d.rejected_assignments(), 1);
  EXPECT_EQ(d.rejection_rate().percent(), "16.67");
  EXPECT_EQ(d.buck_passing(), 0);
  EXPECT_EQ(d.reports(), 5);
  EXPECT_EQ(d.valid_reports(), 4);
  EXPECT_EQ(d.invalid_reports(), 1);
  EXPECT_EQ(d.pending_reports(), 0);
  EXPECT_EQ(d.valid_report_rate().percent(), "80.00");

  // Per department, by hand:
  //  cgb: assignments E1, E2, E3, E5 = 4, rejected 1 (E3); tasks E1, E2 on time → 2/2;
  //       verifications E1, E2 = 2, reworks 0
  //  cgj: assignments 1 (E3); tasks 2, both on time; verifications 2 (fail, pass),
  //       reworks 1
  //  swj: assignments 1 (E4); task 1, overdue → on-time rate 0 / 1
  std::map<std::string, v1::GroupFigures> dep = evaluate(v1::EVALUATION_GROUPING_DEPARTMENT);
  EXPECT_EQ(dep[kStreetDept].assignments(), 4);
  EXPECT_EQ(dep[kStreetDept].rejected_assignments(), 1);
  EXPECT_EQ(dep[kStreetDept].due(), 2);
  EXPECT_EQ(dep[kStreetDept].on_time(), 2);
  EXPECT_EQ(dep[kStreetDept].verifications(), 2);
  EXPECT_EQ(dep[kStreetDept].reworks(), 0);
  EXPECT_EQ(dep[kCityDept].assignments(), 1);
  EXPECT_EQ(dep[kCityDept].rejected_assignments(), 0);
  EXPECT_EQ(dep[kCityDept].due(), 2);
  EXPECT_EQ(dep[kCityDept].on_time(), 2);
  EXPECT_EQ(dep[kCityDept].verifications(), 2);
  EXPECT_EQ(dep[kCityDept].reworks(), 1);
  EXPECT_EQ(dep[kWaterDept].assignments(), 1);
  EXPECT_EQ(dep[kWaterDept].due(), 1);
  EXPECT_EQ(dep[kWaterDept].overdue(), 1);
  EXPECT_EQ(dep[kWaterDept].on_time_rate().numerator(), 0);
  EXPECT_EQ(dep[kWaterDept].on_time_rate().denominator(), 1);

  // Per grid worker: all five reports are gw-eval-1's.
  std::map<std::string, v1::GroupFigures> workers = evaluate(v1::EVALUATION_GROUPING_WORKER);
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers["gw-eval-1"].reports(), 5);
  EXPECT_EQ(workers["gw-eval-1"].valid_reports(), 4);
}

}  // namespace
}  // namespace zhiwang::e2e
