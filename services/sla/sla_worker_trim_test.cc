// feed (issue 6): zw-sla trims the change feed only below what every consumer group
// acknowledged AND below the last feed_retention, and records the floor that WatchEvents
// compares cursors with. Real redis-server; SlaWorker running with a fake clock.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/clock.h"
#include "common/domain/org_registry.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "gtest/gtest.h"
#include "services/sla/memory_sla_store.h"
#include "services/sla/sla_worker.h"

namespace zhiwang::sla {
namespace {

using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

TEST(SlaWorkerTrimTest, KeepsTheRetentionWindowEvenWhenAcknowledged) {
  ASSERT_NE(RedisEnvironment::server(), nullptr);
  ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
  auto client = redis::RedisClient::Connect({.port = RedisEnvironment::server()->port()});
  ASSERT_TRUE(client.ok()) << client.status();
  auto reader = redis::RedisClient::Connect({.port = RedisEnvironment::server()->port()});
  ASSERT_TRUE(reader.ok()) << reader.status();

  const absl::Time now = absl::FromUnixSeconds(1'790'000'000);
  const std::string feed = redis::keys::ChangeFeed("d1");
  auto id_at = [](absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t), "-0"); };
  const std::string old_id = id_at(now - absl::Hours(100));  // past the 72 h retention
  const std::string mid_id = id_at(now - absl::Hours(50));   // within it
  const std::string new_id = id_at(now - absl::Hours(1));
  for (const std::string& id : {old_id, mid_id, new_id}) {
    // Changes of events that do not exist: the worker acknowledges them.
    ASSERT_TRUE(
        (*client)
            ->Call({"XADD", feed, id, "e", "d1-none", "v", "1", "s", "1", "a", "1", "t", "0"})
            .ok());
  }

  FakeClock clock(now);
  redis::RedisEventStore events(client->get());
  MemorySlaStore sla_store;
  SlaConfig config;
  SlaEngine engine(&sla_store, &config);
  MemoryOrgStore org_store;
  OrgRegistry orgs(&org_store);
  SlaWorker::Options options;
  options.consumer = "trim-test";
  options.districts = {"d1"};
  options.block = absl::Milliseconds(20);
  options.trim_every = absl::ZeroDuration();  // the fake clock stands still: trim every pass
  options.feed_retention = absl::Hours(72);
  SlaWorker worker(reader->get(), &events, &engine, &orgs, &clock, options);
  worker.Start();
  // Wait (bounded: 10 s) until every change is acknowledged and a trim after that recorded
  // its floor: the retention bound, since the group acknowledged even the newest entry.
  const std::string want_floor = id_at(now - absl::Hours(72));
  absl::StatusOr<redis::RedisReply> floor;
  for (int i = 0; i < 1000; ++i) {
    floor = (*client)->Call({"GET", redis::keys::ChangeFeedFloor("d1")});
    if (floor.ok() && !floor->is_nil() && floor->str == want_floor) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  worker.Stop();
  ASSERT_TRUE(floor.ok());
  ASSERT_FALSE(floor->is_nil()) << "no trim happened";
  // Everything was acknowledged, yet only what is older than 72 h went.
  EXPECT_EQ(floor->str, want_floor);
  absl::StatusOr<redis::RedisReply> left = (*client)->Call({"XRANGE", feed, "-", "+"});
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->elements.size(), 2u);
  EXPECT_EQ(left->elements[0].elements[0].str, mid_id);
  EXPECT_EQ(left->elements[1].elements[0].str, new_id);
}

}  // namespace
}  // namespace zhiwang::sla
