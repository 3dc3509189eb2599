#ifndef ZHIWANG_COMMON_REDIS_REDIS_WEBHOOK_STORE_H_
#define ZHIWANG_COMMON_REDIS_REDIS_WEBHOOK_STORE_H_

// dq (issue 5): WebhookStore on Redis (keys::Webhook*). Dead letters and attempts are
// stored as serialized zhiwang.v1.DeadLetter / WebhookAttempt; replay is one Lua script.
// UNAVAILABLE when Redis is down. Thread-safe; blocks the calling thread.

#include "common/domain/webhook.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class RedisWebhookStore final : public WebhookStore {
 public:
  explicit RedisWebhookStore(RedisClient* client) : client_(client) {}

  absl::Status PutEndpoint(const WebhookEndpoint& e) override;
  absl::StatusOr<WebhookEndpoint> GetEndpoint(const std::string& district,
                                              const std::string& department) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListEndpoints() override;
  absl::Status LogAttempt(const std::string& district, const std::string& department,
                          const WebhookAttemptRecord& a) override;
  absl::StatusOr<std::vector<WebhookAttemptRecord>> ListAttempts(const std::string& district,
                                                                 const std::string& department,
                                                                 int limit) override;
  absl::Status AddDeadLetter(const std::string& district, const std::string& department,
                             const DeadLetterRecord& d) override;
  absl::StatusOr<std::vector<DeadLetterRecord>> ListDeadLetters(const std::string& district,
                                                                const std::string& department,
                                                                int limit) override;
  absl::StatusOr<int64_t> ReplayDeadLetters(const std::string& district,
                                            const std::string& department) override;
  absl::StatusOr<std::optional<DeadLetterRecord>> TakeReplay(
      const std::string& district, const std::string& department) override;

 private:
  absl::StatusOr<RedisReply> Run(std::vector<std::string> argv);
  RedisClient* client_;
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_WEBHOOK_STORE_H_
