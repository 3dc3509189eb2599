// Contract of OpenEventIndex, run against the memory and the Redis implementation (a
// private redis-server), so the fake cannot drift.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_open_event_index.h"
#include "common/store/memory_open_event_index.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

constexpr double kMetreLat = 1.0 / 111195.0;  // degrees of latitude per metre
const LatLng kHere{22.5400, 114.0500};
LatLng North(double metres) { return {kHere.lat + metres * kMetreLat, kHere.lng}; }

template <typename T>
T Wait(const std::function<void(Done<T>)>& call) {
  absl::Notification done;
  absl::StatusOr<T> out;
  call([&](absl::StatusOr<T> r) {
    out = std::move(r);
    done.Notify();
  });
  done.WaitForNotification();
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : T{};
}

struct Harness {
  std::unique_ptr<testing::RedisServer> server;
  std::unique_ptr<redis::RedisClient> client;
  std::unique_ptr<OpenEventIndex> index;
};

std::unique_ptr<Harness> MakeMemory() {
  auto h = std::make_unique<Harness>();
  h->index = std::make_unique<MemoryOpenEventIndex>();
  return h;
}

std::unique_ptr<Harness> MakeRedis() {
  auto h = std::make_unique<Harness>();
  absl::StatusOr<std::unique_ptr<testing::RedisServer>> server = testing::RedisServer::Start();
  if (!server.ok()) {
    ADD_FAILURE() << server.status();
    return nullptr;
  }
  h->server = *std::move(server);
  redis::RedisOptions options;
  options.port = h->server->port();
  absl::StatusOr<std::unique_ptr<redis::RedisClient>> client = redis::RedisClient::Connect(options);
  if (!client.ok()) {
    ADD_FAILURE() << client.status();
    return nullptr;
  }
  h->client = *std::move(client);
  h->index = std::make_unique<redis::RedisOpenEventIndex>(h->client.get());
  return h;
}

class OpenEventIndexContract
    : public ::testing::TestWithParam<std::function<std::unique_ptr<Harness>()>> {
 protected:
  void SetUp() override {
    h_ = GetParam()();
    ASSERT_NE(h_, nullptr);
  }
  OpenEventIndex& idx() { return *h_->index; }
  void Add(const std::string& cat, const std::string& id, LatLng at) {
    EXPECT_TRUE(Wait<bool>([&](Done<bool> d) { idx().Add("440304", cat, id, at, d); }));
  }
  std::vector<std::string> Near(const std::string& cat, LatLng at, double r, int limit = 10,
                                const std::string& district = "440304") {
    return Wait<std::vector<std::string>>(
        [&](Done<std::vector<std::string>> d) { idx().Near(district, cat, at, r, limit, d); });
  }
  std::unique_ptr<Harness> h_;
};

TEST_P(OpenEventIndexContract, NearFindsEventsWithinTheRadiusNearestFirst) {
  Add("0101", "far", North(1000));
  Add("0101", "b", North(150));
  Add("0101", "a", North(20));
  EXPECT_EQ(Near("0101", kHere, 250), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Near("0101", kHere, 100), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Near("0101", kHere, 250, 1), (std::vector<std::string>{"a"}));
}

TEST_P(OpenEventIndexContract, OtherCategoriesAndDistrictsAreNotFound) {
  Add("0101", "a", kHere);
  EXPECT_TRUE(Near("0104", kHere, 250).empty());
  EXPECT_TRUE(Near("0101", kHere, 250, 10, "440305").empty());
}

TEST_P(OpenEventIndexContract, RemoveTakesTheEventOutAndAddAgainMovesIt) {
  Add("0101", "a", kHere);
  EXPECT_TRUE(Wait<bool>([&](Done<bool> d) { idx().Remove("440304", "0101", "a", d); }));
  EXPECT_TRUE(Near("0101", kHere, 250).empty());
  EXPECT_FALSE(Wait<bool>([&](Done<bool> d) { idx().Remove("440304", "0101", "a", d); }));
  Add("0101", "b", kHere);
  Add("0101", "b", North(2000));
  EXPECT_TRUE(Near("0101", kHere, 250).empty());
  EXPECT_EQ(Near("0101", North(2000), 250), (std::vector<std::string>{"b"}));
}

INSTANTIATE_TEST_SUITE_P(Memory, OpenEventIndexContract, ::testing::Values(&MakeMemory));
INSTANTIATE_TEST_SUITE_P(Redis, OpenEventIndexContract, ::testing::Values(&MakeRedis));

}  // namespace
}  // namespace zhiwang
