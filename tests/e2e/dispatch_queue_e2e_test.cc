// dq (issue 5) end to end: the real zw-router, zw-intake and zw-dispatch (with its webhook
// courier) on a private redis-server, driven through gRPC like a department system and a
// legacy HTTP receiver would be:
//   - a consumer killed mid-delivery: the delivery goes to another consumer once, and one
//     of the two owns the event;
//   - Redis restarted (AOF) mid-stream: no acknowledged work is lost or redelivered, and
//     everything reported is delivered;
//   - a webhook receiver down for a while (scaled down from a minute to ~2 s): everything
//     is delivered once it returns, in order per event, signed.
// Second-scale settings: zw-dispatch runs with --dq_redeliver_after=1s. Waits are bounded
// polls on observable state, never timing assertions.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/status_testing.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/dispatch/test_http_receiver.h"
#include "services/dispatch/webhook_signature.h"
#include "tests/e2e/stack.h"
#include "tests/e2e/stack_suite.h"

namespace zhiwang::e2e {
namespace {

using dispatch::testing::TestHttpReceiver;

constexpr absl::Duration kRetryBudget = absl::Seconds(5);
const std::vector<std::string> kQueueFlags = {"--dq_redeliver_after=1s", "--dq_poll=5ms"};

Identity System(const std::string& subject, const std::string& department) {
  return Identity{subject, Role::kDepartmentSystem,
                  department == kStreetDept ? kStreetId : kDistrictId, department};
}

// A WatchAssignments stream held by a department system.
class Watcher {
 public:
  Watcher(Stack& stack, const Identity& who, const std::string& consumer,
          absl::Duration lifetime = absl::Seconds(20))
      : ctx_(Stack::Context(who)) {
    ctx_->set_deadline(absl::ToChronoTime(absl::Now() + lifetime));
    v1::WatchAssignmentsRequest req;
    req.set_consumer(consumer);
    reader_ = stack.dispatch().WatchAssignments(ctx_.get(), req);
  }
  ~Watcher() { ctx_->TryCancel(); }
  // The next delivery, or nullopt when the stream ended (deadline, cancel, error).
  std::optional<v1::Delivery> Next() {
    v1::Delivery d;
    if (!reader_->Read(&d)) return std::nullopt;
    return d;
  }
  // Reads until a delivery for `event_id` arrives (others are returned in `skipped`).
  std::optional<v1::Delivery> NextFor(const std::string& event_id) {
    while (auto d = Next()) {
      if (d->event_id() == event_id) return d;
    }
    return std::nullopt;
  }
  void Kill() { ctx_->TryCancel(); }

 private:
  std::unique_ptr<grpc::ClientContext> ctx_;
  std::unique_ptr<grpc::ClientReader<v1::Delivery>> reader_;
};

grpc::Status Ack(Stack& stack, const Identity& who, const std::string& delivery_id) {
  v1::AckDeliveriesRequest req;
  req.add_delivery_ids(delivery_id);
  v1::AckDeliveriesResponse resp;
  return CallWithRetry(who, [&](grpc::ClientContext* ctx) {
    return stack.dispatch().AckDeliveries(ctx, req, &resp);
  });
}

grpc::Status ClaimWithToken(Stack& stack, const Identity& who, const std::string& rid,
                            const std::string& event_id, int64_t token) {
  v1::ClaimEventRequest req;
  req.set_client_request_id(rid);
  req.set_event_id(event_id);
  req.set_fencing_token(token);
  v1::EventResponse resp;
  return CallWithRetry(
      who, [&](grpc::ClientContext* ctx) { return stack.dispatch().ClaimEvent(ctx, req, &resp); });
}

class DispatchQueueE2E : public StackSuite {
 protected:
  void SetUp() override {
    StackSuite::SetUp();
    if (HasFatalFailure()) return;
    absl::Status s = stack().Restart(Service::kDispatch, kQueueFlags);
    ASSERT_TRUE(s.ok()) << s;
  }
};

TEST_F(DispatchQueueE2E, ConsumerKilledMidDeliveryIsRedeliveredOnceAndOneOwnerWins) {
  const Identity worker = GridWorker("gw-dq-kill");
  const Identity first = System("sys-water-1", kWaterDept);
  const Identity second = System("sys-water-2", kWaterDept);
  ASSERT_OK_AND_ASSIGN(v1::Event e,
                       Report(stack(), worker, MakeReport("dq-kill-1", kOneDeptCategory)));
  ASSERT_OK_AND_ASSIGN(e, WaitDispatched(stack(), worker, e.id()));
  ASSERT_EQ(e.department_id(), kWaterDept);

  int64_t token = 0;
  {
    Watcher dying(stack(), first, "instance-1");
    std::optional<v1::Delivery> d = dying.NextFor(e.id());
    ASSERT_TRUE(d.has_value());
    token = d->fencing_token();
    dying.Kill();  // dies holding the delivery, unacknowledged
  }
  ASSERT_GT(token, 0);

  // Another instance gets it again after the redelivery timeout — once: it acknowledges
  // at once, and within the next three timeouts nothing more arrives for the event.
  Watcher live(stack(), second, "instance-2", absl::Seconds(5));
  int deliveries = 0;
  while (std::optional<v1::Delivery> d = live.Next()) {
    if (d->event_id() != e.id()) continue;
    ++deliveries;
    EXPECT_TRUE(d->redelivery());
    EXPECT_EQ(d->fencing_token(), token);
    ASSERT_TRUE(Ack(stack(), second, d->delivery_id()).ok());
  }
  EXPECT_EQ(deliveries, 1);

  // Both instances act on it; exactly one owns it.
  grpc::Status a = ClaimWithToken(stack(), first, "dq-kill-claim-1", e.id(), token);
  grpc::Status b = ClaimWithToken(stack(), second, "dq-kill-claim-2", e.id(), token);
  EXPECT_NE(a.ok(), b.ok()) << a.error_message() << " / " << b.error_message();
  grpc::Status loser = a.ok() ? b : a;
  EXPECT_EQ(loser.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << loser.error_message();
  ASSERT_OK_AND_ASSIGN(v1::GetEventResponse got, GetEvent(stack(), worker, e.id(), true));
  EXPECT_EQ(got.event().claimed_by(), a.ok() ? "sys-water-1" : "sys-water-2");
  EXPECT_EQ(CountAction(got.timeline(), v1::EVENT_ACTION_CLAIM), 1);
}

TEST_F(DispatchQueueE2E, DispatchKilledMidDeliveryResumesTheDeliveryOnceAfterRestart) {
  const Identity worker = GridWorker("gw-dq-crash");
  const Identity sys = System("sys-water-9", kWaterDept);
  ASSERT_OK_AND_ASSIGN(v1::Event e,
                       Report(stack(), worker, MakeReport("dq-crash-1", kOneDeptCategory)));
  ASSERT_OK_AND_ASSIGN(e, WaitDispatched(stack(), worker, e.id()));
  std::string delivery_id;
  {
    Watcher w(stack(), sys, "water-system-9");
    std::optional<v1::Delivery> d = w.NextFor(e.id());
    ASSERT_TRUE(d.has_value());
    delivery_id = d->delivery_id();
    ASSERT_TRUE(stack().Kill(Service::kDispatch).ok());  // SIGKILL mid-delivery
  }
  ASSERT_TRUE(stack().Restart(Service::kDispatch, kQueueFlags).ok());
  // The same consumer resumes: its unacknowledged delivery comes first, once.
  Watcher again(stack(), sys, "water-system-9", absl::Seconds(4));
  int deliveries = 0;
  while (std::optional<v1::Delivery> d = again.Next()) {
    if (d->event_id() != e.id()) continue;
    ++deliveries;
    EXPECT_EQ(d->delivery_id(), delivery_id);
    EXPECT_TRUE(d->redelivery());
    ASSERT_TRUE(Ack(stack(), sys, d->delivery_id()).ok());
  }
  EXPECT_EQ(deliveries, 1);
  ASSERT_TRUE(ClaimWithToken(stack(), sys, "dq-crash-claim", e.id(), e.assignment_token()).ok());
}

TEST_F(DispatchQueueE2E, RedisRestartMidStreamLosesNoAcknowledgedWork) {
  const Identity worker = GridWorker("gw-dq-restart");
  const Identity sys = System("sys-street-1", kStreetDept);
  std::vector<std::string> before;
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK_AND_ASSIGN(
        v1::Event e,
        Report(stack(), worker, MakeReport(absl::StrCat("dq-rr-", i), kTwoDeptCategory)));
    before.push_back(e.id());
  }
  std::set<std::string> acked_before;
  std::set<std::string> wanted(before.begin(), before.end());
  {
    Watcher w(stack(), sys, "street-system");
    while (acked_before.size() < 3) {
      std::optional<v1::Delivery> d = w.Next();
      ASSERT_TRUE(d.has_value()) << "stream ended before three deliveries";
      if (!wanted.contains(d->event_id())) continue;
      ASSERT_TRUE(Ack(stack(), sys, d->delivery_id()).ok());
      acked_before.insert(d->event_id());
    }
    ASSERT_TRUE(stack().redis().Restart().ok());  // mid-stream
  }
  std::vector<std::string> after;
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(
        v1::Event e,
        Report(stack(), worker, MakeReport(absl::StrCat("dq-rr-after-", i), kTwoDeptCategory),
               kRetryBudget));
    after.push_back(e.id());
    wanted.insert(e.id());
  }
  // Everything not acknowledged before the restart arrives; nothing acknowledged does.
  std::set<std::string> delivered_after;
  absl::Time until = absl::Now() + absl::Seconds(30);
  while (absl::Now() < until && delivered_after.size() + acked_before.size() < wanted.size()) {
    Watcher w(stack(), sys, "street-system", absl::Seconds(3));
    while (std::optional<v1::Delivery> d = w.Next()) {
      if (!wanted.contains(d->event_id())) continue;
      EXPECT_FALSE(acked_before.contains(d->event_id()))
          << d->event_id() << " was acknowledged before the restart but delivered again";
      delivered_after.insert(d->event_id());
      if (!Ack(stack(), sys, d->delivery_id()).ok()) break;  // reconnect and go on
      if (delivered_after.size() + acked_before.size() == wanted.size()) break;
    }
  }
  for (const std::string& id : wanted) {
    EXPECT_TRUE(acked_before.contains(id) || delivered_after.contains(id))
        << id << " was never delivered";
  }
}

TEST_F(DispatchQueueE2E, WebhookReceiverDownThenBackGetsEverythingInOrderPerEventSigned) {
  const Identity worker = GridWorker("gw-dq-webhook");
  const std::string secret = "e2e-webhook-secret-0123";
  int port = 0;
  {
    TestHttpReceiver probe(0, [](int) { return TestHttpReceiver::Answer::kAccept; });
    ASSERT_TRUE(probe.ok());
    port = probe.port();
  }  // nothing listens there now: the receiver is down
  v1::SetWebhookRequest set;
  v1::WebhookConfig& c = *set.mutable_config();
  c.set_district_id(kDistrictId);
  c.set_department_id(kCityDept);
  c.set_url(absl::StrCat("http://127.0.0.1:", port, "/zhiwang"));
  c.set_secret(secret);
  c.set_enabled(true);
  c.set_max_attempts(100);
  c.set_timeout_ms(500);
  c.set_initial_backoff_ms(50);
  c.set_max_backoff_ms(400);
  v1::WebhookConfig saved;
  ASSERT_TRUE(CallWithRetry(Admin(), [&](grpc::ClientContext* ctx) {
                return stack().dispatch().SetWebhook(ctx, set, &saved);
              }).ok());
  EXPECT_EQ(saved.secret(), "");  // never returned

  // Three events reassigned to the city department, each followed by a notification.
  std::vector<std::string> events;
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(
        v1::Event e,
        Report(stack(), worker, MakeReport(absl::StrCat("dq-wh-", i), kOneDeptCategory)));
    ASSERT_OK_AND_ASSIGN(e, WaitDispatched(stack(), worker, e.id()));
    v1::ReassignEventRequest re;
    re.set_client_request_id(absl::StrCat("dq-wh-re-", i));
    re.set_event_id(e.id());
    re.set_department_id(kCityDept);
    re.set_note("city bureau's case");
    v1::EventResponse resp;
    ASSERT_TRUE(CallWithRetry(StreetDispatcher(), [&](grpc::ClientContext* ctx) {
                  return stack().dispatch().ReassignEvent(ctx, re, &resp);
                }).ok());
    v1::SendTestNotificationRequest n;
    n.set_department_id(kCityDept);
    n.set_event_id(e.id());
    n.set_message(absl::StrCat("reminder ", i));
    v1::SendTestNotificationResponse nr;
    // auth (issue 7): a district department's queue is the district dispatchers'.
    const Identity district_dispatcher{"dispatcher-d", Role::kDistrictDispatcher, kDistrictId, ""};
    ASSERT_TRUE(CallWithRetry(district_dispatcher, [&](grpc::ClientContext* ctx) {
                  return stack().dispatch().SendTestNotification(ctx, n, &nr);
                }).ok());
    events.push_back(e.id());
  }
  // Down: attempts fail and are logged.
  v1::WebhookListRequest list;
  list.set_district_id(kDistrictId);
  list.set_department_id(kCityDept);
  absl::Time until = absl::Now() + absl::Seconds(15);
  int failed = 0;
  while (absl::Now() < until && failed < 3) {
    v1::ListWebhookAttemptsResponse attempts;
    grpc::Status s = CallWithRetry(Admin(), [&](grpc::ClientContext* ctx) {
      return stack().dispatch().ListWebhookAttempts(ctx, list, &attempts);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    failed = 0;
    for (const v1::WebhookAttempt& a : attempts.attempts()) failed += a.http_status() == 0;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_GE(failed, 3);
  absl::SleepFor(absl::Seconds(2));  // the outage (a minute in production, scaled down)

  TestHttpReceiver receiver(port, [](int) { return TestHttpReceiver::Answer::kAccept; });
  ASSERT_TRUE(receiver.ok());
  until = absl::Now() + absl::Seconds(30);
  while (absl::Now() < until && receiver.accepted().size() < 6) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  std::vector<TestHttpReceiver::Request> got = receiver.accepted();
  ASSERT_EQ(got.size(), 6u);
  std::map<std::string, std::vector<v1::Delivery::Kind>> per_event;
  std::set<std::string> ids;
  for (TestHttpReceiver::Request& r : got) {
    EXPECT_TRUE(
        dispatch::VerifySignature(secret, r.headers["x-zhiwang-signature"], r.body, absl::Now()));
    v1::Delivery d;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &d).ok()) << r.body;
    per_event[d.event_id()].push_back(d.kind());
    EXPECT_TRUE(ids.insert(d.delivery_id()).second) << "delivered twice: " << d.delivery_id();
  }
  for (const std::string& id : events) {
    EXPECT_EQ(per_event[id], (std::vector<v1::Delivery::Kind>{v1::Delivery::KIND_ASSIGNMENT,
                                                              v1::Delivery::KIND_NOTIFICATION}))
        << id;
  }
  v1::ListDeadLettersResponse dead;
  ASSERT_TRUE(CallWithRetry(Admin(), [&](grpc::ClientContext* ctx) {
                return stack().dispatch().ListDeadLetters(ctx, list, &dead);
              }).ok());
  EXPECT_EQ(dead.dead_letters_size(), 0);
}

}  // namespace
}  // namespace zhiwang::e2e
