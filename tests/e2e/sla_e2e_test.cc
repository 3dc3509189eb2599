// End-to-end SLA scenarios: the real binaries (router, intake, dispatch and one or two
// zw-sla replicas) with second-scale policies (deploy/sla/policies-seconds.textpb: every
// stage 4 s; rungs at 80 %, 100 %, +2 s, +4 s (supervision order)) on a private Redis.
// Notifications are counted on the district's notification stream itself.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "gtest/gtest.h"
#include "tests/e2e/stack.h"
#include "tests/e2e/stack_suite.h"
#include "zhiwang/v1/notification.pb.h"
#include "zhiwang/v1/sla.grpc.pb.h"

namespace zhiwang::e2e {
namespace {

const std::vector<std::string> kSlaFlags = {
    absl::StrCat("--sla_policies=", ZW_SLA_DEPLOY_DIR, "/policies-seconds.textpb"),
    "--sla_tick_ms=20", "--sla_reclaim_after_ms=1000"};

class SlaE2E : public StackSuite {
 protected:
  void SetUp() override {
    StackSuite::SetUp();
    if (HasFatalFailure()) return;
    if (!stack().running(Service::kSla)) {
      absl::Status s = stack().StartService(Service::kSla, kSlaFlags);
      ASSERT_TRUE(s.ok()) << s;
    }
    auto c = redis::RedisClient::Connect(
        {.host = "127.0.0.1", .port = stack().redis().port(), .unix_socket = ""});
    ASSERT_TRUE(c.ok()) << c.status();
    redis_ = *std::move(c);
  }

  // Every notification on the district's stream (at most 100,000).
  std::vector<v1::Notification> Notifications() {
    std::vector<v1::Notification> out;
    absl::StatusOr<redis::RedisReply> r = redis_->Call(
        {"XRANGE", redis::keys::Notifications(kDistrictId), "-", "+", "COUNT", "100000"});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    for (const redis::RedisReply& e : r->elements) {
      if (e.elements.size() != 2) continue;
      const auto& f = e.elements[1].elements;
      for (size_t i = 0; i + 1 < f.size(); i += 2) {
        v1::Notification n;
        if (f[i].str == "d" && n.ParseFromString(f[i + 1].str)) out.push_back(n);
      }
    }
    return out;
  }
  // The rungs fired for `event_id` in `stage`, in stream order.
  std::vector<int> Rungs(const std::string& event_id, const std::string& stage) {
    std::vector<int> out;
    for (const v1::Notification& n : Notifications()) {
      if (n.event_id() == event_id && n.stage() == stage) out.push_back(n.rung());
    }
    return out;
  }
  // Polls until `event_id` has `count` rungs in `stage`, at most `timeout`.
  std::vector<int> WaitRungs(const std::string& event_id, const std::string& stage, size_t count,
                             absl::Duration timeout = absl::Seconds(20)) {
    absl::Time give_up = absl::Now() + timeout;
    std::vector<int> got;
    while (absl::Now() < give_up) {
      got = Rungs(event_id, stage);
      if (got.size() >= count) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return got;
  }
  absl::StatusOr<v1::Event> ReportDispatched(const std::string& request_id) {
    absl::StatusOr<v1::Event> e =
        Report(stack(), GridWorker("gw-sla"), MakeReport(request_id, kOneDeptCategory));
    if (!e.ok()) return e.status();
    return WaitDispatched(stack(), GridWorker("gw-sla"), e->id());
  }

  std::unique_ptr<redis::RedisClient> redis_;
};

TEST_F(SlaE2E, SecondScaleLadderFiresEveryRungOnceInOrderAndOpensASupervisionOrder) {
  absl::StatusOr<v1::Event> e = ReportDispatched("sla-ladder-1");
  ASSERT_TRUE(e.ok()) << e.status();
  // The claim stage's four rungs: 3.2 s, 4 s, 6 s, 8 s after dispatch.
  std::vector<int> rungs = WaitRungs(e->id(), "claim", 4);
  EXPECT_EQ(rungs, (std::vector<int>{0, 1, 2, 3}));
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(Rungs(e->id(), "claim").size(), 4u);  // and nothing more
  // The event's clock: red, with the supervision order on it.
  auto channel =
      grpc::CreateChannel(stack().address(Service::kSla), grpc::InsecureChannelCredentials());
  auto sla = v1::SlaService::NewStub(channel);
  v1::GetEventClockRequest req;
  req.set_event_id(e->id());
  v1::EventClock clock;
  auto ctx = Stack::Context(StreetDispatcher());
  grpc::Status s = sla->GetEventClock(ctx.get(), req, &clock);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(clock.stage(), v1::SLA_STAGE_CLAIM);
  EXPECT_EQ(clock.light(), v1::SLA_LIGHT_RED);
  ASSERT_EQ(clock.supervision_orders_size(), 1);
  EXPECT_EQ(clock.supervision_orders(0).event_id(), e->id());
  EXPECT_EQ(clock.fired_rungs_size(), 4);
}

TEST_F(SlaE2E, ClaimingEndsTheClaimLadderAndStartsTheResolveClock) {
  absl::StatusOr<v1::Event> e = ReportDispatched("sla-claim-1");
  ASSERT_TRUE(e.ok()) << e.status();
  std::vector<int> warned = WaitRungs(e->id(), "claim", 1);
  ASSERT_EQ(warned, std::vector<int>{0});
  absl::StatusOr<v1::Event> claimed =
      Claim(stack(), Operator(kWaterDept), "sla-claim-1-c", e->id());
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  // The resolve stage runs its own ladder; the claim stage's later rungs never fire.
  std::vector<int> resolve = WaitRungs(e->id(), "resolve", 2);
  EXPECT_EQ(resolve, (std::vector<int>{0, 1}));
  EXPECT_EQ(Rungs(e->id(), "claim"), std::vector<int>{0});
}

TEST_F(SlaE2E, KillingAReplicaDuringABurstFiresEveryRungExactlyOnce) {
  if (!stack().running(Service::kSla2)) {
    absl::Status s = stack().StartService(Service::kSla2, kSlaFlags);
    ASSERT_TRUE(s.ok()) << s;
  }
  constexpr int kEvents = 60;
  std::vector<std::string> ids;
  for (int i = 0; i < kEvents; ++i) {
    absl::StatusOr<v1::Event> e =
        Report(stack(), GridWorker("gw-burst"),
               MakeReport(absl::StrCat("sla-burst-", i), kOneDeptCategory));
    ASSERT_TRUE(e.ok()) << e.status();
    ids.push_back(e->id());
  }
  // The claim ladders fall due 3.2–8 s after dispatch; kill one replica in the middle.
  absl::SleepFor(absl::Seconds(4));
  ASSERT_TRUE(stack().Kill(Service::kSla).ok());
  // Counts per notification id, and per (event, claim rung).
  std::map<std::string, int> by_id;
  std::map<std::string, int> claim_rungs;
  auto count = [&] {
    by_id.clear();
    claim_rungs.clear();
    for (const v1::Notification& n : Notifications()) {
      ++by_id[n.id()];
      if (n.stage() == "claim") ++claim_rungs[absl::StrCat(n.event_id(), "/", n.rung())];
    }
  };
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (absl::Now() < give_up) {
    count();
    int complete = 0;
    for (const std::string& id : ids) complete += claim_rungs.count(absl::StrCat(id, "/3"));
    if (complete == kEvents) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  absl::SleepFor(absl::Seconds(1));
  count();
  for (const auto& [id, n] : by_id) EXPECT_EQ(n, 1) << id << " fired " << n << " times";
  for (const std::string& id : ids) {
    for (int rung = 0; rung < 4; ++rung) {
      EXPECT_EQ(claim_rungs[absl::StrCat(id, "/", rung)], 1) << id << " rung " << rung;
    }
  }
}

}  // namespace
}  // namespace zhiwang::e2e
