#ifndef ZHIWANG_COMMON_REDIS_REDIS_ASSIGNMENT_QUEUE_H_
#define ZHIWANG_COMMON_REDIS_REDIS_ASSIGNMENT_QUEUE_H_

// AssignmentQueue on Redis Streams (dq, issue 5). Assignments: keys::DepartmentQueue,
// entries {e: event id, v: fencing token}, consumer group "dq". Notifications: the
// district's keys::Notifications stream, entries {e, dep, d}, one consumer group
// "dq:<department>" per department. Next and Trim are Lua scripts (queue_next.lua,
// queue_trim.lua); the rest are single commands. Errors: UNAVAILABLE when Redis is down
// or loading, INTERNAL for unexpected replies. Thread-safe; blocks the calling thread.

#include "common/domain/assignment_queue.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class RedisAssignmentQueue final : public AssignmentQueue {
 public:
  explicit RedisAssignmentQueue(RedisClient* client) : client_(client) {}

  absl::StatusOr<std::vector<QueueEntry>> Next(const QueueRef& q, const std::string& consumer,
                                               int max, int max_unacked) override;
  absl::StatusOr<std::vector<QueueEntry>> PendingFor(const QueueRef& q, const std::string& consumer,
                                                     const std::string& after, int max) override;
  absl::StatusOr<std::vector<QueueEntry>> Reclaim(const QueueRef& q, const std::string& consumer,
                                                  absl::Duration min_idle, int max) override;
  absl::Status Touch(const QueueRef& q, const std::string& consumer,
                     const std::vector<std::string>& ids) override;
  absl::StatusOr<int64_t> Ack(const QueueRef& q, const std::vector<std::string>& ids) override;
  absl::StatusOr<int64_t> Trim(const QueueRef& q, int64_t keep_without_group) override;
  absl::StatusOr<QueueStats> Stats(const QueueRef& q) override;
  absl::StatusOr<std::string> Append(const QueueRef& q, const QueueEntry& entry) override;

  // The stream key and consumer group of a queue.
  static std::string StreamKey(const QueueRef& q);
  static std::string GroupName(const QueueRef& q);

 private:
  absl::StatusOr<RedisReply> Run(std::vector<std::string> argv);
  absl::StatusOr<RedisReply> RunScript(const std::string& source, const std::string& sha1,
                                       std::vector<std::string> keys,
                                       std::vector<std::string> args);
  RedisClient* client_;
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_ASSIGNMENT_QUEUE_H_
