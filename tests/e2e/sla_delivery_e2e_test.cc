// Where the SLA service (issue 4) meets the dispatch queue (issue 5), end to end on the
// real binaries: warnings fired by zw-sla reach the department on its WatchAssignments
// stream, and extension requests made through zw-dispatch move the SLA deadline, with the
// policy's limit on extensions enforced before an approval commits.
// Second-scale policies (deploy/sla/policies-seconds.textpb: every stage 4 s, rungs at
// 80 %, 100 %, +2 s, +4 s; one extension of 4 s per event). Waits are bounded polls.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/e2e/stack.h"
#include "tests/e2e/stack_suite.h"
#include "zhiwang/v1/sla.grpc.pb.h"

namespace zhiwang::e2e {
namespace {

const std::string kSecondsPolicies =
    absl::StrCat("--sla_policies=", ZW_SLA_DEPLOY_DIR, "/policies-seconds.textpb");

class SlaDeliveryE2E : public StackSuite {
 protected:
  void SetUp() override {
    StackSuite::SetUp();
    if (HasFatalFailure()) return;
    if (!stack().running(Service::kSla)) {
      absl::Status s = stack().StartService(
          Service::kSla, {kSecondsPolicies, "--sla_tick_ms=20", "--sla_reclaim_after_ms=1000"});
      ASSERT_TRUE(s.ok()) << s;
    }
    // zw-dispatch enforces the same policies' extension limit.
    absl::Status s = stack().Restart(
        Service::kDispatch, {kSecondsPolicies, "--dq_redeliver_after=1s", "--dq_poll=5ms"});
    ASSERT_TRUE(s.ok()) << s;
    sla_ = v1::SlaService::NewStub(
        grpc::CreateChannel(stack().address(Service::kSla), grpc::InsecureChannelCredentials()));
  }

  absl::StatusOr<v1::Event> ReportDispatched(const std::string& request_id) {
    absl::StatusOr<v1::Event> e =
        Report(stack(), GridWorker("gw-sla-dq"), MakeReport(request_id, kOneDeptCategory));
    if (!e.ok()) return e.status();
    return WaitDispatched(stack(), GridWorker("gw-sla-dq"), e->id());
  }

  // The event's SLA clock once `done` holds (polled every 50 ms, at most 10 s).
  std::optional<v1::EventClock> WaitClock(const std::string& event_id,
                                          const std::function<bool(const v1::EventClock&)>& done) {
    absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (absl::Now() < give_up) {
      v1::GetEventClockRequest req;
      req.set_event_id(event_id);
      v1::EventClock clock;
      auto ctx = Stack::Context(StreetDispatcher());
      if (sla_->GetEventClock(ctx.get(), req, &clock).ok() && done(clock)) return clock;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return std::nullopt;
  }

  grpc::Status DepartmentCall(const Identity& who, const std::string& rid,
                              const std::string& event_id,
                              grpc::Status (v1::DispatchService::Stub::*rpc)(
                                  grpc::ClientContext*, const v1::DepartmentRequest&,
                                  v1::EventResponse*)) {
    v1::DepartmentRequest req;
    req.set_client_request_id(rid);
    req.set_event_id(event_id);
    req.set_note("needs a contractor");
    v1::EventResponse resp;
    return CallWithRetry(
        who, [&](grpc::ClientContext* ctx) { return (stack().dispatch().*rpc)(ctx, req, &resp); });
  }
  grpc::Status Decide(const std::string& rid, const std::string& event_id,
                      grpc::Status (v1::DispatchService::Stub::*rpc)(grpc::ClientContext*,
                                                                     const v1::DecisionRequest&,
                                                                     v1::EventResponse*)) {
    v1::DecisionRequest req;
    req.set_client_request_id(rid);
    req.set_event_id(event_id);
    req.set_note("approved by the street centre");
    v1::EventResponse resp;
    return CallWithRetry(StreetDispatcher(), [&](grpc::ClientContext* ctx) {
      return (stack().dispatch().*rpc)(ctx, req, &resp);
    });
  }

  std::unique_ptr<v1::SlaService::Stub> sla_;
};

TEST_F(SlaDeliveryE2E, SlaWarningReachesTheDepartmentOnItsWatchStream) {
  absl::StatusOr<v1::Event> e = ReportDispatched("sla-dq-warn-1");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->department_id(), kWaterDept);

  Identity system{"sys-water-sla", Role::kDepartmentSystem, kDistrictId, kWaterDept};
  auto ctx = Stack::Context(system);
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(15)));
  v1::WatchAssignmentsRequest req;
  req.set_consumer("sla-watcher");
  auto reader = stack().dispatch().WatchAssignments(ctx.get(), req);

  bool got_assignment = false;
  std::optional<v1::Notification> warning;
  v1::Delivery d;
  while (!warning && reader->Read(&d)) {
    if (d.event_id() != e->id()) continue;
    if (d.kind() == v1::Delivery::KIND_ASSIGNMENT) got_assignment = true;
    if (d.kind() == v1::Delivery::KIND_NOTIFICATION &&
        d.notification().kind() == v1::NOTIFICATION_KIND_WARNING) {
      warning = d.notification();
    }
  }
  ctx->TryCancel();
  EXPECT_TRUE(got_assignment);
  ASSERT_TRUE(warning.has_value()) << "no SLA warning delivered for " << e->id();
  EXPECT_EQ(warning->department_id(), kWaterDept);
  EXPECT_EQ(warning->stage(), "claim");
  EXPECT_EQ(warning->rung(), 0);
  EXPECT_FALSE(warning->id().empty());
}

TEST_F(SlaDeliveryE2E, ApprovedExtensionMovesTheDeadlineAndTheLimitRefusesASecond) {
  absl::StatusOr<v1::Event> e = ReportDispatched("sla-dq-ext-1");
  ASSERT_TRUE(e.ok()) << e.status();
  const Identity op = Operator(kWaterDept);
  ASSERT_TRUE(Claim(stack(), op, "sla-dq-ext-claim", e->id(), absl::Seconds(5)).ok());
  std::optional<v1::EventClock> before = WaitClock(
      e->id(), [](const v1::EventClock& c) { return c.stage() == v1::SLA_STAGE_RESOLVE; });
  ASSERT_TRUE(before.has_value());
  ASSERT_EQ(before->extensions(), 0);

  ASSERT_TRUE(
      DepartmentCall(op, "sla-dq-ext-req-1", e->id(), &v1::DispatchService::Stub::RequestExtension)
          .ok());
  grpc::Status approved =
      Decide("sla-dq-ext-ok-1", e->id(), &v1::DispatchService::Stub::ApproveExtension);
  ASSERT_TRUE(approved.ok()) << approved.error_message();
  std::optional<v1::EventClock> after =
      WaitClock(e->id(), [](const v1::EventClock& c) { return c.extensions() == 1; });
  ASSERT_TRUE(after.has_value()) << "the approval never reached the SLA clock";
  // One extension of 4 natural seconds.
  EXPECT_EQ(after->deadline().seconds() - before->deadline().seconds(), 4);

  // The policy allows one extension: a second approval is refused and changes nothing.
  ASSERT_TRUE(
      DepartmentCall(op, "sla-dq-ext-req-2", e->id(), &v1::DispatchService::Stub::RequestExtension)
          .ok());
  grpc::Status second =
      Decide("sla-dq-ext-ok-2", e->id(), &v1::DispatchService::Stub::ApproveExtension);
  EXPECT_EQ(second.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << second.error_message();
  absl::StatusOr<v1::GetEventResponse> now = GetEvent(stack(), op, e->id(), false);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->event().extension_count(), 1);
}

}  // namespace
}  // namespace zhiwang::e2e
