// The AssignmentQueue contract suite against RedisAssignmentQueue on a private
// redis-server, plus what only Redis shows: pending deliveries and acknowledgements
// survive a restart (AOF), and the lifecycle's transition script feeds the queue.

#include "common/redis/redis_assignment_queue.h"

#include <memory>

#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/store/assignment_queue_contract.h"
#include "common/testing/redis_environment.h"
#include "common/testing/redis_server.h"

namespace zhiwang::contract {
namespace {

using redis::RedisAssignmentQueue;
using redis::RedisClient;
using zhiwang::testing::RedisEnvironment;
using zhiwang::testing::RedisServer;

const ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

class RedisHarness final : public AssignmentQueueHarness {
 public:
  static std::unique_ptr<RedisHarness> Make() {
    RedisServer* server = RedisEnvironment::server();
    if (server == nullptr || !server->Flush().ok()) {
      ADD_FAILURE() << "no redis-server";
      return nullptr;
    }
    auto client = RedisClient::Connect({.port = server->port()});
    if (!client.ok()) {
      ADD_FAILURE() << client.status();
      return nullptr;
    }
    auto h = std::make_unique<RedisHarness>();
    h->client_ = *std::move(client);
    h->queue_ = std::make_unique<RedisAssignmentQueue>(h->client_.get());
    return h;
  }
  AssignmentQueue* queue() override { return queue_.get(); }
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisAssignmentQueue> queue_;
};

INSTANTIATE_TEST_SUITE_P(Redis, AssignmentQueueContractTest,
                         ::testing::Values(AssignmentQueueContractParam{
                             "Redis", [] { return RedisHarness::Make(); }}),
                         AssignmentQueueContractParamName);

TEST(RedisAssignmentQueueTest, AcknowledgementsAndPendingDeliveriesSurviveARestart) {
  auto h = RedisHarness::Make();
  ASSERT_NE(h, nullptr);
  QueueRef ref{"d1", "a", QueueChannel::kAssignments};
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = h->queue_->Append(ref, QueueEntry{"", absl::StrCat("d1-e", i), i + 1, ""});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  ASSERT_TRUE(h->queue_->Next(ref, "c1", 2, 100).ok());
  ASSERT_TRUE(h->queue_->Ack(ref, {ids[0]}).ok());
  ASSERT_TRUE(RedisEnvironment::server()->Restart().ok());
  // The client reconnects by itself; a command may fail once while it does.
  absl::StatusOr<std::vector<QueueEntry>> pending;
  for (int i = 0; i < 20; ++i) {
    pending = h->queue_->PendingFor(ref, "c1", "", 10);
    if (pending.ok()) break;
    EXPECT_EQ(pending.status().code(), absl::StatusCode::kUnavailable) << pending.status();
  }
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 1u);  // e1 pending; e0 acknowledged stays acknowledged
  EXPECT_EQ((*pending)[0].id, ids[1]);
  auto next = h->queue_->Next(ref, "c1", 10, 100);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 1u);  // e2, never handed out
  EXPECT_EQ((*next)[0].id, ids[2]);
}

}  // namespace
}  // namespace zhiwang::contract
