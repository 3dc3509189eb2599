#ifndef ZHIWANG_COMMON_RPC_SERVICE_CONTEXT_H_
#define ZHIWANG_COMMON_RPC_SERVICE_CONTEXT_H_

// The wiring every service binary shares: the Redis connection (from the flags), the
// Redis-backed stores, the organisation registry kept fresh by a background thread, the
// clock and the EventCommands use cases.

#include <atomic>
#include <memory>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "common/base/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/redis/redis_org_store.h"

namespace zhiwang {

class ServiceContext {
 public:
  // Connects to Redis (retrying for up to `connect_for`), loads the organisations and
  // starts refreshing them every `refresh_every`.
  static absl::StatusOr<std::unique_ptr<ServiceContext>> Create(
      const redis::RedisOptions& options, absl::Duration connect_for = absl::Seconds(30),
      absl::Duration refresh_every = absl::Seconds(1));
  ~ServiceContext();

  redis::RedisClient& redis() { return *redis_; }
  EventStore& events() { return events_; }
  OrgRegistry& orgs() { return orgs_; }
  EventCommands& commands() { return commands_; }
  const Clock& clock() const { return clock_; }

 private:
  explicit ServiceContext(std::unique_ptr<redis::RedisClient> redis);
  void RefreshLoop(absl::Duration every);

  std::unique_ptr<redis::RedisClient> redis_;
  RealClock clock_;
  redis::RedisEventStore events_;
  redis::RedisOrgStore org_store_;
  OrgRegistry orgs_;
  EventCommands commands_;
  absl::Notification stop_;
  std::thread refresher_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_SERVICE_CONTEXT_H_
