// The QueryStore contract suite against RedisQueryStore on a private redis-server: the
// events are written by RedisEventStore (the real create/transition scripts, which keep
// the indexes); the clock and supervision entries are written where zw-sla's scripts
// write them (common/redis/keys.h LightIndex, SupervisedEvents).
#include "services/console/redis_query_store.h"

#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/testing/redis_environment.h"
#include "common/testing/redis_server.h"
#include "services/console/query_store_contract.h"

namespace zhiwang::console::contract {
namespace {

using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

class RedisHarness final : public QueryHarness {
 public:
  static std::unique_ptr<QueryHarness> Make() {
    if (RedisEnvironment::server() == nullptr) return nullptr;
    if (!RedisEnvironment::server()->Flush().ok()) return nullptr;
    redis::RedisOptions options;
    options.port = RedisEnvironment::server()->port();
    auto client = redis::RedisClient::Connect(options);
    if (!client.ok()) return nullptr;
    return std::unique_ptr<QueryHarness>(new RedisHarness(*std::move(client)));
  }
  EventStore* events() override { return &events_; }
  QueryStore* store() override { return &store_; }
  void SetClock(const Event& e, std::optional<absl::Time> deadline,
                std::optional<absl::Time> yellow_at) override {
    const std::string& d = e.district_id;
    std::string dl = absl::StrCat(absl::ToUnixMillis(*deadline));
    std::string yl = absl::StrCat(absl::ToUnixMillis(*yellow_at));
    for (auto [scope, value] : {std::pair<std::string, std::string>{"", ""},
                                {"street", e.street_id},
                                {"dep", HoldingDepartment(e)}}) {
      if (!scope.empty() && value.empty()) continue;
      EXPECT_TRUE(
          client_->Call({"ZADD", redis::keys::LightIndex(d, "dl", scope, value), dl, e.id}).ok());
      EXPECT_TRUE(
          client_->Call({"ZADD", redis::keys::LightIndex(d, "yl", scope, value), yl, e.id}).ok());
    }
  }
  void Supervise(const Event& e) override {
    EXPECT_TRUE(client_
                    ->Call({"ZADD", redis::keys::SupervisedEvents(e.district_id),
                            absl::StrCat(absl::ToUnixMillis(e.created_at)), e.id})
                    .ok());
  }

 private:
  explicit RedisHarness(std::unique_ptr<redis::RedisClient> client)
      : client_(std::move(client)), events_(client_.get()), store_(client_.get()) {}
  std::unique_ptr<redis::RedisClient> client_;
  redis::RedisEventStore events_;
  RedisQueryStore store_;
};

INSTANTIATE_TEST_SUITE_P(Redis, QueryStoreContractTest,
                         ::testing::Values(QueryContractParam{"Redis", &RedisHarness::Make}),
                         QueryContractParamName);

}  // namespace
}  // namespace zhiwang::console::contract
