// dq (issue 5): the webhook courier against a real HTTP receiver on loopback and a real
// redis-server: failures, timeouts and a receiver that is down, then back; order;
// signatures; the attempt log; dead letters and replay; isolation between departments.
// Waits are bounded polls on observable state, never timing assertions. "Down for a
// minute" is scaled down to two seconds here (second-scale settings).

#include "services/dispatch/webhook_courier.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_assignment_queue.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/redis/redis_webhook_store.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/dispatch/test_http_receiver.h"
#include "services/dispatch/webhook_signature.h"
#include "services/router/routing_decision.h"
#include "zhiwang/v1/dispatch.pb.h"
#include "zhiwang/v1/notification.pb.h"

namespace zhiwang::dispatch {
namespace {

using redis::RedisAssignmentQueue;
using redis::RedisClient;
using redis::RedisEventStore;
using redis::RedisWebhookStore;
using testing::TestHttpReceiver;
using zhiwang::testing::RedisEnvironment;
using Answer = TestHttpReceiver::Answer;

const char kSecret[] = "test-secret-0123456789";

DistrictOrg TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}};
  org.communities = {{"c1", "Community 1", "st1"}};
  org.grids = {{"g1", "Grid 1", "c1"}};
  org.departments = {{"dep_a", "Urban management", DepartmentLevel::kStreet, "st1"},
                     {"dep_b", "Sanitation bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_a", "dep_b"}}};
  return org;
}

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

// Independent of the product's verifier: recompute the HMAC from the header's t.
bool SignatureMatches(const TestHttpReceiver::Request& r) {
  auto it = r.headers.find("x-zhiwang-signature");
  if (it == r.headers.end()) return false;
  std::vector<std::string> parts = absl::StrSplit(it->second, ',');
  if (parts.size() != 2 || parts[0].rfind("t=", 0) != 0 || parts[1].rfind("v1=", 0) != 0) {
    return false;
  }
  std::string msg = absl::StrCat(parts[0].substr(2), ".", r.body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kSecret, sizeof(kSecret) - 1,
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &len);
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) absl::StrAppend(&hex, absl::Hex(mac[i], absl::kZeroPad2));
  return hex == parts[1].substr(3);
}

v1::Delivery BodyOf(const TestHttpReceiver::Request& r) {
  v1::Delivery d;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.body, &d).ok()) << r.body;
  return d;
}

// Polls `done` every 20 ms for at most `limit`.
bool WaitFor(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(30)) {
  absl::Time until = absl::Now() + limit;
  while (absl::Now() < until) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

class WebhookCourierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto client = RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    store_ = std::make_unique<RedisEventStore>(client_.get());
    queue_ = std::make_unique<RedisAssignmentQueue>(client_.get());
    webhooks_ = std::make_unique<RedisWebhookStore>(client_.get());
    orgs_ = std::make_unique<OrgRegistry>(&org_store_);
    ASSERT_TRUE(orgs_->Publish(TestDistrict()).ok());
    commands_ = std::make_unique<EventCommands>(store_.get(), orgs_.get(), &clock_,
                                                [this] { return ++random_; });
  }
  void TearDown() override {
    if (courier_) courier_->Stop();
  }

  void StartCourier() {
    courier_ = std::make_unique<WebhookCourier>(
        queue_.get(), store_.get(), webhooks_.get(),
        WebhookCourier::Options{.scan_every = absl::Milliseconds(100),
                                .poll = absl::Milliseconds(10),
                                .redeliver_after = absl::Seconds(30)});
    courier_->Start();
  }

  void SetEndpoint(const std::string& dep, int port, int max_attempts, int timeout_ms,
                   int max_backoff_ms = 200) {
    WebhookEndpoint e;
    e.district_id = "440304";
    e.department_id = dep;
    e.url = absl::StrCat("http://127.0.0.1:", port, "/hook");
    e.secret = kSecret;
    e.max_attempts = max_attempts;
    e.timeout = absl::Milliseconds(timeout_ms);
    e.initial_backoff = absl::Milliseconds(20);
    e.max_backoff = absl::Milliseconds(max_backoff_ms);
    ASSERT_TRUE(ValidateEndpoint(e).ok());
    ASSERT_TRUE(webhooks_->PutEndpoint(e).ok());
  }

  absl::StatusOr<WriteResult> Act(const Identity& who, const std::string& id, Command c,
                                  const std::string& rid) {
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Act(who, id, rid, c, [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    return p.get_future().get();
  }

  // Creates an event and routes it (accept + dispatch) to dep_a; returns its id.
  std::string Dispatched(int n) {
    ReportInput in;
    in.client_request_id = absl::StrCat("r", n);
    in.category_code = "garbage";
    in.location = Location{22.54, 114.05, "g1", ""};
    in.description = absl::StrCat("exposed garbage #", n);
    in.reporter_name = "张三";
    in.reporter_phone = "13812345678";
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Report(Identity{"w1", Role::kGridWorker, "g1", ""}, in,
                      [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    absl::StatusOr<WriteResult> created = p.get_future().get();
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return "";
    std::string id = created->event.id;
    for (int step = 0; step < 2; ++step) {
      std::promise<absl::StatusOr<Event>> g;
      store_->Get(id, [&](absl::StatusOr<Event> e) { g.set_value(e); });
      absl::StatusOr<Event> current = g.get_future().get();
      std::optional<Command> c =
          router::DecideRouting(*current, orgs_->Find(current->district_id).get());
      EXPECT_TRUE(c.has_value());
      EXPECT_TRUE(Act(router::RouterIdentity(), id, *c, absl::StrCat("route-", id, step)).ok());
    }
    return id;
  }

  int64_t Pending(const std::string& dep, QueueChannel ch) {
    auto st = queue_->Stats(QueueRef{"440304", dep, ch});
    return st.ok() ? st->pending : -1;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::atomic<uint64_t> random_{0};
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisEventStore> store_;
  std::unique_ptr<RedisAssignmentQueue> queue_;
  std::unique_ptr<RedisWebhookStore> webhooks_;
  MemoryOrgStore org_store_;
  std::unique_ptr<OrgRegistry> orgs_;
  std::unique_ptr<EventCommands> commands_;
  std::unique_ptr<WebhookCourier> courier_;
};

TEST_F(WebhookCourierTest, ReceiverThatFailsThenTimesOutThenAcceptsGetsEverythingInOrderSigned) {
  TestHttpReceiver receiver(0, [](int n) {
    return n <= 2 ? Answer::kFail : n <= 4 ? Answer::kHang : Answer::kAccept;
  });
  ASSERT_TRUE(receiver.ok());
  SetEndpoint("dep_a", receiver.port(), 10, 300);
  std::vector<std::string> events = {Dispatched(1), Dispatched(2), Dispatched(3)};
  v1::Notification n;
  n.set_id("warn-1");
  n.set_kind(v1::NOTIFICATION_KIND_WARNING);
  n.set_event_id(events[0]);
  ASSERT_TRUE(queue_
                  ->Append(QueueRef{"440304", "dep_a", QueueChannel::kNotifications},
                           QueueEntry{"", events[0], 0, n.SerializeAsString()})
                  .ok());
  StartCourier();

  ASSERT_TRUE(WaitFor([&] { return receiver.accepted().size() >= 4; }))
      << receiver.requests().size() << " requests";
  std::vector<TestHttpReceiver::Request> got = receiver.accepted();
  ASSERT_EQ(got.size(), 4u);
  // Assignments in queue order, then the notification; each once; all signed.
  for (int i = 0; i < 3; ++i) {
    v1::Delivery d = BodyOf(got[i]);
    EXPECT_EQ(d.kind(), v1::Delivery::KIND_ASSIGNMENT);
    EXPECT_EQ(d.event_id(), events[i]);
    EXPECT_EQ(got[i].headers["x-zhiwang-event"], events[i]);
    EXPECT_EQ(got[i].headers["x-zhiwang-delivery"], d.delivery_id());
    EXPECT_EQ(d.fencing_token(), d.event().assignment_token());
    EXPECT_GT(d.fencing_token(), 0);
    // auth (issue 7): the payload is the department's view: the reporter's contact masked.
    EXPECT_EQ(d.event().reporter().name(), "张*");
    EXPECT_EQ(d.event().reporter().phone(), "138****5678");
  }
  v1::Delivery note = BodyOf(got[3]);
  EXPECT_EQ(note.kind(), v1::Delivery::KIND_NOTIFICATION);
  EXPECT_EQ(note.notification().id(), "warn-1");
  for (auto& r : got) {
    EXPECT_TRUE(SignatureMatches(r)) << r.headers["x-zhiwang-signature"];
    EXPECT_TRUE(VerifySignature(kSecret, r.headers["x-zhiwang-signature"], r.body, absl::Now()));
    EXPECT_FALSE(
        VerifySignature(kSecret, r.headers["x-zhiwang-signature"], r.body + " ", absl::Now()));
  }
  // Every attempt is logged: two HTTP 500s, two timeouts, then successes.
  ASSERT_TRUE(WaitFor([&] {
    return Pending("dep_a", QueueChannel::kAssignments) == 0 &&
           Pending("dep_a", QueueChannel::kNotifications) == 0;
  }));
  auto log = webhooks_->ListAttempts("440304", "dep_a", 100);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->size(), receiver.requests().size());
  int failed = 0, timed_out = 0, ok = 0;
  for (const WebhookAttemptRecord& a : *log) {
    if (a.http_status == 500) ++failed;
    if (a.http_status == 0 && a.error.find("timed out") != std::string::npos) ++timed_out;
    if (a.http_status == 200) ++ok;
    EXPECT_GT(a.latency_us, 0);
  }
  EXPECT_EQ(failed, 2);
  EXPECT_EQ(timed_out, 2);
  EXPECT_EQ(ok, 4);
}

TEST_F(WebhookCourierTest, ReceiverDownForAWhileGetsEverythingAfterItReturnsInOrder) {
  int port = 0;
  {
    TestHttpReceiver probe(0, [](int) { return Answer::kAccept; });
    ASSERT_TRUE(probe.ok());
    port = probe.port();
  }  // nothing listens on `port` now: connections are refused
  SetEndpoint("dep_a", port, 100, 300, 300);
  std::vector<std::string> events;
  for (int i = 1; i <= 5; ++i) events.push_back(Dispatched(i));
  StartCourier();
  // Down: wait until several refused attempts are logged (2 s scaled-down outage).
  ASSERT_TRUE(WaitFor([&] {
    auto log = webhooks_->ListAttempts("440304", "dep_a", 100);
    return log.ok() && log->size() >= 3;
  }));
  absl::SleepFor(absl::Seconds(2));
  auto log = webhooks_->ListAttempts("440304", "dep_a", 100);
  ASSERT_TRUE(log.ok());
  for (const WebhookAttemptRecord& a : *log) EXPECT_EQ(a.http_status, 0) << a.error;
  TestHttpReceiver receiver(port, [](int) { return Answer::kAccept; });
  ASSERT_TRUE(receiver.ok());
  ASSERT_TRUE(WaitFor([&] { return receiver.accepted().size() >= 5; }));
  std::vector<TestHttpReceiver::Request> got = receiver.accepted();
  ASSERT_EQ(got.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(BodyOf(got[i]).event_id(), events[i]);
  ASSERT_TRUE(WaitFor([&] { return Pending("dep_a", QueueChannel::kAssignments) == 0; }));
  auto dead = webhooks_->ListDeadLetters("440304", "dep_a", 10);
  ASSERT_TRUE(dead.ok());
  EXPECT_TRUE(dead->empty());
}

TEST_F(WebhookCourierTest, GivingUpMakesADeadLetterThatReplayDeliversAgain) {
  TestHttpReceiver receiver(0, [](int n) { return n <= 3 ? Answer::kFail : Answer::kAccept; });
  ASSERT_TRUE(receiver.ok());
  SetEndpoint("dep_a", receiver.port(), 3, 300);
  std::string id = Dispatched(1);
  StartCourier();
  ASSERT_TRUE(WaitFor([&] {
    auto dead = webhooks_->ListDeadLetters("440304", "dep_a", 10);
    return dead.ok() && dead->size() == 1;
  }));
  auto dead = webhooks_->ListDeadLetters("440304", "dep_a", 10);
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ((*dead)[0].event_id, id);
  EXPECT_EQ((*dead)[0].attempts, 3);
  EXPECT_EQ((*dead)[0].last_error, "HTTP 500");
  // Dead-lettered means acknowledged: the queue holds nothing for it any more.
  ASSERT_TRUE(WaitFor([&] { return Pending("dep_a", QueueChannel::kAssignments) == 0; }));
  EXPECT_TRUE(receiver.accepted().empty());

  auto replayed = webhooks_->ReplayDeadLetters("440304", "dep_a");
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(*replayed, 1);
  ASSERT_TRUE(WaitFor([&] { return receiver.accepted().size() == 1; }));
  EXPECT_EQ(receiver.accepted()[0].headers["x-zhiwang-delivery"], (*dead)[0].delivery_id);
  auto after = webhooks_->ListDeadLetters("440304", "dep_a", 10);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST_F(WebhookCourierTest, SlowReceiverHoldsUpOnlyItsOwnDepartment) {
  TestHttpReceiver slow(
      0, [](int) { return Answer::kHang; }, absl::Seconds(10));
  TestHttpReceiver fast(0, [](int) { return Answer::kAccept; });
  ASSERT_TRUE(slow.ok() && fast.ok());
  SetEndpoint("dep_a", slow.port(), 100, 5000, 1000);
  SetEndpoint("dep_b", fast.port(), 10, 1000);
  std::string a = Dispatched(1);
  std::string b = Dispatched(2);
  Command re{.action = EventAction::kReassign, .note = "sanitation", .department_id = "dep_b"};
  ASSERT_TRUE(Act(Identity{"disp", Role::kDistrictDispatcher, "440304", ""}, b, re, "re").ok());
  StartCourier();
  ASSERT_TRUE(WaitFor([&] { return fast.accepted().size() == 1; }));
  EXPECT_EQ(BodyOf(fast.accepted()[0]).event_id(), b);
  EXPECT_TRUE(slow.accepted().empty());
  // dep_a's first delivery is still being tried (its batch, including the stale entry
  // of the reassigned event, stays pending behind it).
  EXPECT_FALSE(slow.requests().empty());
  EXPECT_GE(Pending("dep_a", QueueChannel::kAssignments), 1);
}

}  // namespace
}  // namespace zhiwang::dispatch
