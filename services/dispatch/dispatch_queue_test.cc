// dq (issue 5): the dispatch queue through the real DispatchService adapter in-process,
// on a real redis-server (RedisEventStore feeds the department streams through the
// lifecycle's transition script; RedisAssignmentQueue reads them): WatchAssignments,
// acknowledgements, redelivery, fencing tokens, one owner, department and dispatcher
// operations, notifications.

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_assignment_queue.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/redis/redis_webhook_store.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/dispatch/dispatch_service.h"
#include "services/router/routing_decision.h"
#include "zhiwang/v1/dispatch.grpc.pb.h"

namespace zhiwang::dispatch {
namespace {

using redis::RedisAssignmentQueue;
using redis::RedisClient;
using redis::RedisEventStore;
using zhiwang::testing::RedisEnvironment;

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

const Identity kWorker{"w1", Role::kGridWorker, "g1", ""};
const Identity kSystemA{"sys-a", Role::kDepartmentSystem, "st1", "dep_a"};
const Identity kOperatorA1{"op-a1", Role::kDepartmentOperator, "st1", "dep_a"};
const Identity kOperatorA2{"op-a2", Role::kDepartmentOperator, "st1", "dep_a"};
const Identity kSystemB{"sys-b", Role::kDepartmentSystem, "440304", "dep_b"};
const Identity kDispatcher{"disp-1", Role::kDistrictDispatcher, "440304", ""};

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

class DispatchQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto client = RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    store_ = std::make_unique<RedisEventStore>(client_.get());
    queue_ = std::make_unique<RedisAssignmentQueue>(client_.get());
    webhooks_ = std::make_unique<redis::RedisWebhookStore>(client_.get());
    orgs_ = std::make_unique<OrgRegistry>(&org_store_);
    ASSERT_TRUE(orgs_->Publish(TestDistrict()).ok());
    commands_ = std::make_unique<EventCommands>(store_.get(), orgs_.get(), &clock_,
                                                [this] { return ++random_; });
    service_ = std::make_unique<DispatchService>(commands_.get(), store_.get(), orgs_.get());
    service_->EnableQueue(queue_.get(), {.max_unacked = 100,
                                         .redeliver_after = absl::Milliseconds(300),
                                         .poll = absl::Milliseconds(5)});
    service_->EnableWebhooks(webhooks_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = v1::DispatchService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  static std::unique_ptr<grpc::ClientContext> Context(const Identity& who, int seconds = 30) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(kDevIdentityHeader, FormatDevIdentity(who));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return ctx;
  }

  absl::StatusOr<WriteResult> Act(const Identity& who, const std::string& id, Command c,
                                  const std::string& rid) {
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Act(who, id, rid, c, [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    return p.get_future().get();
  }

  // Creates an event and routes it (accept + dispatch) to dep_a.
  std::string Dispatched(int n) {
    ReportInput in;
    in.client_request_id = absl::StrCat("r", n);
    in.category_code = "garbage";
    in.location = Location{22.54, 114.05, "g1", ""};
    in.description = "exposed garbage";
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Report(kWorker, in, [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    absl::StatusOr<WriteResult> created = p.get_future().get();
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return "";
    std::string id = created->event.id;
    for (int step = 0; step < 2; ++step) {
      std::promise<absl::StatusOr<Event>> g;
      store_->Get(id, [&](absl::StatusOr<Event> e) { g.set_value(e); });
      absl::StatusOr<Event> current = g.get_future().get();
      EXPECT_TRUE(current.ok());
      std::optional<Command> c =
          router::DecideRouting(*current, orgs_->Find(current->district_id).get());
      EXPECT_TRUE(c.has_value());
      if (!c) return id;
      EXPECT_TRUE(Act(router::RouterIdentity(), id, *c, absl::StrCat("route-", id, step)).ok());
    }
    return id;
  }

  grpc::Status Claim(const Identity& who, const std::string& id, int64_t token,
                     const std::string& rid, v1::EventResponse* resp) {
    v1::ClaimEventRequest req;
    req.set_client_request_id(rid);
    req.set_event_id(id);
    req.set_fencing_token(token);
    return stub_->ClaimEvent(Context(who).get(), req, resp);
  }

  grpc::Status Ack(const Identity& who, const std::string& delivery_id, int* acked = nullptr) {
    v1::AckDeliveriesRequest req;
    req.add_delivery_ids(delivery_id);
    v1::AckDeliveriesResponse resp;
    grpc::Status s = stub_->AckDeliveries(Context(who).get(), req, &resp);
    if (acked != nullptr) *acked = resp.acknowledged();
    return s;
  }

  // An open WatchAssignments stream.
  struct Watch {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::Delivery>> reader;
    std::optional<v1::Delivery> Read() {
      v1::Delivery d;
      if (!reader->Read(&d)) return std::nullopt;
      return d;
    }
  };
  Watch Open(const Identity& who, const std::string& consumer, const std::string& cursor = "") {
    Watch w;
    w.ctx = Context(who, 20);
    v1::WatchAssignmentsRequest req;
    req.set_consumer(consumer);
    req.set_cursor(cursor);
    w.reader = stub_->WatchAssignments(w.ctx.get(), req);
    return w;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::atomic<uint64_t> random_{0};
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisEventStore> store_;
  std::unique_ptr<RedisAssignmentQueue> queue_;
  std::unique_ptr<redis::RedisWebhookStore> webhooks_;
  MemoryOrgStore org_store_;
  std::unique_ptr<OrgRegistry> orgs_;
  std::unique_ptr<EventCommands> commands_;
  std::unique_ptr<DispatchService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::DispatchService::Stub> stub_;
};

TEST_F(DispatchQueueTest, WatchDeliversAssignmentWithItsFencingToken) {
  std::string id = Dispatched(1);
  Watch w = Open(kSystemA, "sys-a-1");
  std::optional<v1::Delivery> d = w.Read();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind(), v1::Delivery::KIND_ASSIGNMENT);
  EXPECT_EQ(d->event_id(), id);
  EXPECT_GT(d->fencing_token(), 0);
  EXPECT_EQ(d->event().assignment_token(), d->fencing_token());
  EXPECT_FALSE(d->redelivery());
  int acked = 0;
  ASSERT_TRUE(Ack(kSystemA, d->delivery_id(), &acked).ok());
  EXPECT_EQ(acked, 1);
  ASSERT_TRUE(Ack(kSystemA, d->delivery_id(), &acked).ok());
  EXPECT_EQ(acked, 0);  // idempotent
  w.ctx->TryCancel();
}

TEST_F(DispatchQueueTest, UnacknowledgedDeliveryIsRedeliveredToAnotherConsumerAndOnlyOneOwns) {
  std::string id = Dispatched(1);
  int64_t token = 0;
  {
    Watch dying = Open(kSystemA, "instance-1");
    std::optional<v1::Delivery> d = dying.Read();
    ASSERT_TRUE(d.has_value());
    token = d->fencing_token();
    dying.ctx->TryCancel();  // killed before acknowledging
  }
  Watch live = Open(kSystemA, "instance-2");
  std::optional<v1::Delivery> again = live.Read();  // after the 300 ms redelivery timeout
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->event_id(), id);
  EXPECT_TRUE(again->redelivery());
  EXPECT_EQ(again->fencing_token(), token);
  // Both instances try to claim; exactly one owns it.
  v1::EventResponse r1, r2;
  grpc::Status s1 = Claim(kSystemA, id, token, "claim-1", &r1);
  grpc::Status s2 = Claim(kOperatorA1, id, token, "claim-2", &r2);
  ASSERT_TRUE(s1.ok()) << s1.error_message();
  EXPECT_EQ(s2.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s2.error_message();
  EXPECT_EQ(r1.event().claimed_by(), "sys-a");
  ASSERT_TRUE(Ack(kSystemA, again->delivery_id()).ok());
  live.ctx->TryCancel();
}

TEST_F(DispatchQueueTest, StaleFencingTokenIsRefusedAfterReassignment) {
  std::string id = Dispatched(1);
  auto before = Act(kOperatorA1, id, Command{.action = EventAction::kClaim}, "c1");
  ASSERT_TRUE(before.ok()) << before.status();
  int64_t old_token = before->event.assignment_token;
  v1::ReassignEventRequest re;
  re.set_client_request_id("re-1");
  re.set_event_id(id);
  re.set_department_id("dep_b");
  re.set_note("wrong department");
  v1::EventResponse resp;
  ASSERT_TRUE(stub_->ReassignEvent(Context(kDispatcher).get(), re, &resp).ok());
  EXPECT_EQ(resp.event().department_id(), "dep_b");
  EXPECT_GT(resp.event().assignment_token(), old_token);
  EXPECT_EQ(resp.event().claimed_by(), "");
  const int64_t new_token = resp.event().assignment_token();
  // dep_b quoting the old token is refused; the new one works.
  grpc::Status stale = Claim(kSystemB, id, old_token, "b-1", &resp);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(stale.error_message().find("stale fencing_token"), std::string::npos);
  v1::EventResponse ok;
  grpc::Status fresh = Claim(kSystemB, id, new_token, "b-2", &ok);
  EXPECT_TRUE(fresh.ok()) << fresh.error_message();
  EXPECT_EQ(ok.event().claimed_by(), "sys-b");
}

TEST_F(DispatchQueueTest, StaleDeliveryOfAReassignedEventIsNotSent) {
  std::string id = Dispatched(1);
  std::string other = Dispatched(2);
  Command re{.action = EventAction::kReassign, .note = "not ours", .department_id = "dep_b"};
  ASSERT_TRUE(Act(kDispatcher, id, re, "re-1").ok());
  Watch w = Open(kSystemA, "sys-a-1");
  std::optional<v1::Delivery> d = w.Read();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->event_id(), other);  // the first event's entry went stale and was skipped
  w.ctx->TryCancel();
}

TEST_F(DispatchQueueTest, AnotherOperatorMayNotActOnClaimedWork) {
  std::string id = Dispatched(1);
  ASSERT_TRUE(Act(kOperatorA1, id, Command{.action = EventAction::kClaim}, "c1").ok());
  v1::AddProgressRequest req;
  req.set_client_request_id("p1");
  req.set_event_id(id);
  req.set_note("on my way");
  v1::EventResponse resp;
  grpc::Status s = stub_->AddProgress(Context(kOperatorA2).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("claimed by 'op-a1'"), std::string::npos);
  EXPECT_TRUE(stub_->AddProgress(Context(kOperatorA1).get(), req, &resp).ok());
}

TEST_F(DispatchQueueTest, ExtensionAndSuspensionRequestsAndDecisions) {
  std::string id = Dispatched(1);
  auto claimed = Act(kSystemA, id, Command{.action = EventAction::kClaim}, "c1");
  ASSERT_TRUE(claimed.ok());
  int64_t token = claimed->event.assignment_token;
  v1::DepartmentRequest ext;
  ext.set_client_request_id("x1");
  ext.set_event_id(id);
  ext.set_fencing_token(token);
  ext.set_note("needs a crane");
  v1::EventResponse resp;
  ASSERT_TRUE(stub_->RequestExtension(Context(kSystemA).get(), ext, &resp).ok());
  EXPECT_TRUE(resp.event().extension_pending());
  v1::DecisionRequest approve;
  approve.set_client_request_id("a1");
  approve.set_event_id(id);
  ASSERT_TRUE(stub_->ApproveExtension(Context(kDispatcher).get(), approve, &resp).ok());
  EXPECT_EQ(resp.event().extension_count(), 1);
  v1::DepartmentRequest sus = ext;
  sus.set_client_request_id("s1");
  ASSERT_TRUE(stub_->RequestSuspension(Context(kSystemA).get(), sus, &resp).ok());
  v1::DecisionRequest deny;
  deny.set_client_request_id("d1");
  deny.set_event_id(id);
  ASSERT_TRUE(stub_->DenySuspension(Context(kDispatcher).get(), deny, &resp).ok());
  EXPECT_FALSE(resp.event().suspension_pending());
  EXPECT_EQ(resp.event().state(), v1::EVENT_STATE_CLAIMED);
  // A decision with nothing pending is refused, naming the state.
  grpc::Status again = stub_->DenySuspension(Context(kDispatcher).get(), deny, &resp);
  EXPECT_TRUE(again.ok());  // same request id: a replay of the earlier decision
  deny.set_client_request_id("d2");
  grpc::Status none = stub_->DenySuspension(Context(kDispatcher).get(), deny, &resp);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(DispatchQueueTest, ResumeFromCursorRedeliversOnlyUnacknowledgedAfterIt) {
  std::string e1 = Dispatched(1), e2 = Dispatched(2), e3 = Dispatched(3);
  std::vector<std::string> ids;
  {
    Watch w = Open(kSystemA, "inst");
    for (int i = 0; i < 3; ++i) {
      std::optional<v1::Delivery> d = w.Read();
      ASSERT_TRUE(d.has_value());
      ids.push_back(d->delivery_id());
    }
    ASSERT_TRUE(Ack(kSystemA, ids[0]).ok());
    w.ctx->TryCancel();
  }
  Watch again = Open(kSystemA, "inst", ids[1]);  // processed up to e2, acked only e1
  std::optional<v1::Delivery> d = again.Read();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->delivery_id(), ids[2]);
  EXPECT_EQ(d->event_id(), e3);
  EXPECT_TRUE(d->redelivery());
  again.ctx->TryCancel();
}

TEST_F(DispatchQueueTest, TestNotificationReachesTheDepartmentStream) {
  v1::SendTestNotificationRequest req;
  req.set_department_id("dep_a");
  req.set_message("hello");
  v1::SendTestNotificationResponse resp;
  ASSERT_TRUE(stub_->SendTestNotification(Context(kDispatcher).get(), req, &resp).ok());
  req.set_department_id("dep_b");
  v1::SendTestNotificationResponse other;
  ASSERT_TRUE(stub_->SendTestNotification(Context(kDispatcher).get(), req, &other).ok());
  Watch w = Open(kSystemA, "sys-a-1");
  std::optional<v1::Delivery> d = w.Read();
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind(), v1::Delivery::KIND_NOTIFICATION);
  EXPECT_EQ(d->notification().id(), resp.notification().id());
  EXPECT_EQ(d->notification().kind(), v1::NOTIFICATION_KIND_TEST);
  EXPECT_TRUE(Ack(kSystemA, d->delivery_id()).ok());
  w.ctx->TryCancel();
}

TEST_F(DispatchQueueTest, BadRequestsAreRefusedNamingTheField) {
  int acked = 0;
  grpc::Status s = Ack(kSystemA, "x:1-0", &acked);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("delivery_ids"), std::string::npos);
  v1::SendTestNotificationRequest req;
  v1::SendTestNotificationResponse resp;
  s = stub_->SendTestNotification(Context(kSystemA).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  Watch other = Open(kSystemA, "x");
  v1::WatchAssignmentsRequest r;
  auto ctx = Context(kSystemA);
  r.set_department_id("dep_b");
  auto reader = stub_->WatchAssignments(ctx.get(), r);
  v1::Delivery d;
  EXPECT_FALSE(reader->Read(&d));
  // auth (issue 7): another department's queue reads like an unknown department.
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
  other.ctx->TryCancel();
}

const Identity kAdmin{"admin-1", Role::kAdmin, "440304", ""};

TEST_F(DispatchQueueTest, SetWebhookValidatesNamesTheFieldAndNeverReturnsTheSecret) {
  v1::SetWebhookRequest req;
  v1::WebhookConfig& c = *req.mutable_config();
  c.set_district_id("440304");
  c.set_department_id("dep_a");
  c.set_url("ftp://example/hook");
  c.set_secret("0123456789abcdef");
  c.set_enabled(true);
  v1::WebhookConfig resp;
  grpc::Status bad = stub_->SetWebhook(Context(kAdmin).get(), req, &resp);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("url", 0), 0u) << bad.error_message();
  auto none = webhooks_->GetEndpoint("440304", "dep_a");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);  // nothing written

  c.set_url("http://127.0.0.1:9/hook");
  grpc::Status denied = stub_->SetWebhook(Context(kDispatcher).get(), req, &resp);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  c.set_department_id("nope");
  EXPECT_EQ(stub_->SetWebhook(Context(kAdmin).get(), req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  c.set_department_id("dep_a");
  ASSERT_TRUE(stub_->SetWebhook(Context(kAdmin).get(), req, &resp).ok());
  EXPECT_EQ(resp.secret(), "");
  EXPECT_EQ(resp.max_attempts(), 8);  // the default, filled in
  auto saved = webhooks_->GetEndpoint("440304", "dep_a");
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->secret, "0123456789abcdef");
}

TEST_F(DispatchQueueTest, DeadLettersAreListedAndReplayedThroughTheApi) {
  ASSERT_TRUE(webhooks_
                  ->AddDeadLetter("440304", "dep_a",
                                  DeadLetterRecord{"a:1-0", "440304-x", 8, "HTTP 500", "{}"})
                  .ok());
  v1::WebhookListRequest req;
  req.set_district_id("440304");
  req.set_department_id("dep_a");
  v1::ListDeadLettersResponse list;
  ASSERT_TRUE(stub_->ListDeadLetters(Context(kDispatcher).get(), req, &list).ok());
  ASSERT_EQ(list.dead_letters_size(), 1);
  EXPECT_EQ(list.dead_letters(0).last_error(), "HTTP 500");
  v1::ReplayDeadLettersResponse replayed;
  ASSERT_TRUE(stub_->ReplayDeadLetters(Context(kDispatcher).get(), req, &replayed).ok());
  EXPECT_EQ(replayed.replayed(), 1);
  ASSERT_TRUE(stub_->ListDeadLetters(Context(kDispatcher).get(), req, &list).ok());
  EXPECT_EQ(list.dead_letters_size(), 0);
  auto taken = webhooks_->TakeReplay("440304", "dep_a");
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->delivery_id, "a:1-0");
  // auth (issue 7): the department reads its own webhook's attempts, not another's.
  v1::ListWebhookAttemptsResponse attempts;
  EXPECT_TRUE(stub_->ListWebhookAttempts(Context(kSystemA).get(), req, &attempts).ok());
  EXPECT_EQ(stub_->ListWebhookAttempts(Context(kSystemB).get(), req, &attempts).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace zhiwang::dispatch
