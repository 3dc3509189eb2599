#ifndef ZHIWANG_COMMON_STORE_MEMORY_ASSIGNMENT_QUEUE_H_
#define ZHIWANG_COMMON_STORE_MEMORY_ASSIGNMENT_QUEUE_H_

// In-memory AssignmentQueue for unit tests: streams, consumer groups and pending lists
// modelled after Redis Streams, with idle time read from a Clock. Passes the same contract
// suite as RedisAssignmentQueue. Thread-safe.

#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "common/domain/assignment_queue.h"

namespace zhiwang {

class MemoryAssignmentQueue final : public AssignmentQueue {
 public:
  explicit MemoryAssignmentQueue(const Clock* clock) : clock_(clock) {}

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

 private:
  using Id = std::pair<int64_t, int64_t>;
  struct Stored {
    QueueEntry entry;
    std::string department;  // notifications: whom it concerns
  };
  struct PendingInfo {
    std::string consumer;
    absl::Time delivered_at;
  };
  struct Group {
    Id last_delivered{0, 0};
    std::map<Id, PendingInfo> pending;
  };
  struct Stream {
    std::map<Id, Stored> entries;
    Id last_id{0, 0};
    std::map<std::string, Group> groups;
  };
  static std::string StreamName(const QueueRef& q);
  static std::string GroupName(const QueueRef& q);
  static std::string Format(Id id);

  const Clock* clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Stream> streams_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_STORE_MEMORY_ASSIGNMENT_QUEUE_H_
