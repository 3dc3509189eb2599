#ifndef ZHIWANG_COMMON_DOMAIN_ASSIGNMENT_QUEUE_H_
#define ZHIWANG_COMMON_DOMAIN_ASSIGNMENT_QUEUE_H_

// The storage port of the unified dispatch queue (issue 5), shaped by the domain.
// Implementations: MemoryAssignmentQueue (unit tests) and RedisAssignmentQueue (Redis
// Streams + one consumer group per department, Lua where several things change
// together); both pass common/store/assignment_queue_contract.h.
//
// A department has two queues (channels): its assignments (entries {event id, fencing
// token}, appended by the lifecycle's atomic transition when an event reaches the
// department) and the notifications concerning it (appended by the SLA service to the
// district's notification stream, filtered by department). Every consumer of a
// department (a WatchAssignments stream, the webhook courier) reads through the same
// consumer group, so each entry goes to one consumer per delivery attempt.
//
// At least once: an entry handed out stays pending until Ack; a pending entry idle for
// longer than the redelivery timeout is handed out again by Reclaim. Ack is idempotent.
// Trim removes only entries every consumer group has acknowledged.
//
// Synchronous and thread-safe: meant for delivery threads (one per stream or department),
// not for callbacks.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace zhiwang {

enum class QueueChannel { kAssignments, kNotifications };

struct QueueRef {
  std::string district_id;
  std::string department_id;
  QueueChannel channel = QueueChannel::kAssignments;
};

struct QueueEntry {
  std::string id;        // the stream entry id "<ms>-<seq>", increasing
  std::string event_id;  // the event concerned
  int64_t token = 0;     // assignments: the fencing token (event version when queued)
  std::string payload;   // notifications: the serialized zhiwang.v1.Notification
};

struct QueueStats {
  int64_t length = 0;   // entries stored
  int64_t pending = 0;  // handed out and not acknowledged
};

class AssignmentQueue {
 public:
  virtual ~AssignmentQueue() = default;

  // Hands `consumer` up to `max` entries never handed out before, oldest first, but no
  // more than leave `max_unacked` entries pending for the department (0 when the cap is
  // reached: the department must acknowledge first). Notification entries of other
  // departments are skipped (and acknowledged for this department). UNAVAILABLE when
  // storage is down.
  virtual absl::StatusOr<std::vector<QueueEntry>> Next(const QueueRef& q,
                                                       const std::string& consumer, int max,
                                                       int max_unacked) = 0;

  // Entries handed to `consumer` earlier and still pending, with ids after `after` ("" =
  // from the start), oldest first: how a consumer resumes from its cursor.
  virtual absl::StatusOr<std::vector<QueueEntry>> PendingFor(const QueueRef& q,
                                                             const std::string& consumer,
                                                             const std::string& after, int max) = 0;

  // Hands `consumer` up to `max` pending entries that nobody acknowledged for at least
  // `min_idle` (whoever had them, e.g. a consumer that died), oldest first.
  virtual absl::StatusOr<std::vector<QueueEntry>> Reclaim(const QueueRef& q,
                                                          const std::string& consumer,
                                                          absl::Duration min_idle, int max) = 0;

  // Makes `consumer` the holder of these pending entries and restarts their idle time, so
  // nobody reclaims them while a slow delivery (a webhook being retried) is in progress.
  // Ids not pending are ignored.
  virtual absl::Status Touch(const QueueRef& q, const std::string& consumer,
                             const std::vector<std::string>& ids) = 0;

  // Acknowledges entries; returns how many were pending (unknown or already acknowledged
  // ids count 0, so acknowledging twice is harmless).
  virtual absl::StatusOr<int64_t> Ack(const QueueRef& q, const std::vector<std::string>& ids) = 0;

  // Removes the entries that every consumer group of the stream has acknowledged; returns
  // how many were removed. A stream without any consumer group (a department that only
  // uses the console, which reads the department index) has promised nothing to anyone:
  // it keeps its newest `keep_without_group` entries (0 = keep all).
  virtual absl::StatusOr<int64_t> Trim(const QueueRef& q, int64_t keep_without_group) = 0;

  virtual absl::StatusOr<QueueStats> Stats(const QueueRef& q) = 0;

  // Appends an entry (the lifecycle appends assignments itself; this is for notifications,
  // tests and tools). Returns the entry id. For notifications `entry.payload` is required.
  virtual absl::StatusOr<std::string> Append(const QueueRef& q, const QueueEntry& entry) = 0;
};

// "<ms>-<seq>" ids compare as number pairs. False for malformed ids.
bool ParseEntryId(const std::string& id, int64_t* ms, int64_t* seq);
// -1, 0 or 1; malformed ids sort first.
int CompareEntryIds(const std::string& a, const std::string& b);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_ASSIGNMENT_QUEUE_H_
