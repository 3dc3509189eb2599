// The SlaStore contract suite against RedisSlaStore on a private redis-server, plus what
// only Redis shows: exactly-once firing from several connections at once, the event-state
// cross-check of the fire script, and the change feed the event scripts write.

#include "services/sla/redis_sla_store.h"

#include <map>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_environment.h"
#include "services/sla/sla_store_contract.h"

namespace zhiwang::sla::contract {
namespace {

using redis::RedisClient;
using redis::RedisReply;
using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

std::unique_ptr<RedisClient> Connect() {
  absl::StatusOr<std::unique_ptr<RedisClient>> c = RedisClient::Connect(redis::RedisOptions{
      .host = "127.0.0.1", .port = RedisEnvironment::server()->port(), .unix_socket = ""});
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : nullptr;
}

class RedisHarness final : public SlaStoreHarness {
 public:
  static std::unique_ptr<SlaStoreHarness> Make() {
    if (RedisEnvironment::server() == nullptr) return nullptr;
    if (absl::Status s = RedisEnvironment::server()->Flush(); !s.ok()) return nullptr;
    auto h = std::make_unique<RedisHarness>();
    h->client_ = Connect();
    if (h->client_ == nullptr) return nullptr;
    h->store_ = std::make_unique<RedisSlaStore>(h->client_.get());
    return h;
  }
  SlaStore* store() override { return store_.get(); }
  RedisClient* client() { return client_.get(); }

 private:
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisSlaStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Redis, SlaStoreContractTest,
                         ::testing::Values(SlaStoreContractParam{"Redis", &RedisHarness::Make}),
                         SlaStoreContractParamName);

class RedisSlaStoreTest : public SlaStoreContractTest {
 protected:
  RedisClient* client() { return static_cast<RedisHarness*>(harness_.get())->client(); }
};

TEST_P(RedisSlaStoreTest, SeveralConnectionsFiringAtOnceFireEveryRungExactlyOnce) {
  constexpr int kEvents = 500;
  for (int i = 0; i < kEvents; ++i) {
    Apply(absl::StrCat("e", i), 1, EventState::kReported, EventAction::kReport, i % 5);
  }
  constexpr int kReplicas = 4;
  std::vector<std::map<std::string, int>> seen(kReplicas);
  std::vector<std::thread> threads;
  for (int t = 0; t < kReplicas; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<RedisClient> c = Connect();
      if (c == nullptr) return;
      RedisSlaStore replica(c.get());
      for (int round = 0; round < 5000; ++round) {
        absl::StatusOr<std::vector<Notice>> fired =
            replica.FireDue("d1", t0_ + absl::Seconds(100), 8);
        if (!fired.ok() || fired->empty()) break;
        for (const Notice& n : *fired) ++seen[t][n.id];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::map<std::string, int> total;
  for (const auto& m : seen) {
    for (const auto& [id, n] : m) total[id] += n;
  }
  EXPECT_EQ(total.size(), static_cast<size_t>(kEvents * 4));
  for (const auto& [id, n] : total) EXPECT_EQ(n, 1) << id;
  // The stream holds each notification once as well.
  absl::StatusOr<RedisReply> len = client()->Call({"XLEN", redis::keys::Notifications("d1")});
  EXPECT_EQ(len->integer, kEvents * 4);
}

TEST_P(RedisSlaStoreTest, TimerOfAStageTheEventHasLeftIsDroppedEvenBeforeTheChangeArrives) {
  Apply("d1-x-1", 1, EventState::kClaimed, EventAction::kClaim, 0);
  // The event (same slot) is already resolved; the SLA service has not seen it yet.
  ASSERT_TRUE(client()
                  ->Call({"HSET", redis::keys::Event("d1", "d1-x-1"), "s",
                          absl::StrCat(static_cast<int>(EventState::kResolved))})
                  .ok());
  EXPECT_TRUE(FireIds(100).empty());
  EXPECT_EQ(*s().TimerCount("d1"), 0);
}

// query (issue 6): arming keeps the console's light indexes; an opened supervision order
// marks the event supervised; an ended clock leaves the light indexes.
TEST_P(RedisSlaStoreTest, ArmingKeepsLightIndexesAndOrdersMarkSupervised) {
  auto score = [&](const std::string& key) -> std::string {
    absl::StatusOr<RedisReply> r = client()->Call({"ZSCORE", key, "e1"});
    EXPECT_TRUE(r.ok());
    return r.ok() && !r->is_nil() ? r->str : "nil";
  };
  auto ms = [&](int s) { return absl::StrCat(absl::ToUnixMillis(t0_ + absl::Seconds(s))); };
  Apply("e1", 1, EventState::kReported, EventAction::kReport, 0);
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "dl", "", "")), ms(10));
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "yl", "", "")), ms(8));
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "dl", "street", "st1")), ms(10));
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "yl", "dep", "st1_urban")), ms(8));
  EXPECT_EQ(score(redis::keys::SupervisedEvents("d1")), "nil");
  EXPECT_EQ(FireIds(1000).size(), 4u);  // the last rung opens a supervision order
  EXPECT_NE(score(redis::keys::SupervisedEvents("d1")), "nil");
  Apply("e1", 2, EventState::kCancelled, EventAction::kCancel, 40);
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "dl", "", "")), "nil");
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "yl", "street", "st1")), "nil");
  EXPECT_EQ(score(redis::keys::LightIndex("d1", "dl", "dep", "st1_urban")), "nil");
}

TEST(StateStageMapTest, NamesEveryStateWithAClock) {
  std::string m = StateStageMap();
  EXPECT_NE(m.find(",1:1,"), std::string::npos);   // reported → accept
  EXPECT_NE(m.find(",14:4,"), std::string::npos);  // suspended → resolve
  EXPECT_EQ(m.find(",8:"), std::string::npos);     // closed: none
}

INSTANTIATE_TEST_SUITE_P(Redis, RedisSlaStoreTest,
                         ::testing::Values(SlaStoreContractParam{"Redis", &RedisHarness::Make}),
                         SlaStoreContractParamName);

}  // namespace
}  // namespace zhiwang::sla::contract
