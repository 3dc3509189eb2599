#ifndef ZHIWANG_COMMON_STORE_MEMORY_EVENT_STORE_H_
#define ZHIWANG_COMMON_STORE_MEMORY_EVENT_STORE_H_

// EventStore in memory, for unit tests. Same contract as RedisEventStore (checked by the
// shared contract suite); callbacks run before the call returns. Thread-safe.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/domain/event_store.h"

namespace zhiwang {

class MemoryEventStore final : public EventStore {
 public:
  // A work item queued by a write: (queue name, event id). Queue names are "router" and
  // "department:<id>".
  using QueuedItem = std::pair<std::string, std::string>;

  void Create(const NewEvent& created, const IdempotencyKey& key, Done<WriteResult> done) override;
  void Load(const std::string& event_id, const IdempotencyKey& key, Done<LoadResult> done) override;
  using EventStore::Commit;
  void CommitSteps(const Event& before, const std::vector<TransitionOutcome>& steps,
                   const IdempotencyKey& key, Done<WriteResult> done) override;
  void Get(const std::string& event_id, Done<Event> done) override;
  void GetTimeline(const std::string& event_id, Done<std::vector<TimelineEntry>> done) override;
  void ListByReporter(const std::string& district_id, const std::string& subject,
                      const PageRequest& page, Done<Page> done) override;
  void ListByDepartment(const std::string& district_id, const std::string& department_id,
                        const PageRequest& page, Done<Page> done) override;
  void ListTriage(const std::string& district_id, const std::string& centre_id,
                  const PageRequest& page, Done<Page> done) override;
  void ListFollowers(const std::string& district_id, const std::string& master_id,
                     const PageRequest& page, Done<Page> done) override;

  // Every work item queued so far, in order.
  std::vector<QueuedItem> queued() const;

 private:
  struct Remembered {
    uint64_t fingerprint;
    Event result;
  };
  struct Stored {
    Event event;
    std::vector<TimelineEntry> timeline;
    int64_t assigned_seq = 0;  // ordering within the holding department's list
    int64_t triage_seq = 0;    // ordering within the triage queue (org, issue 3)
    int64_t follow_seq = 0;    // ordering within the master's followers
  };
  // Looks `key` up: ok(nullopt) when new, the result when a retry, ALREADY_EXISTS when
  // reused for another payload.
  absl::StatusOr<std::optional<WriteResult>> Replay(const IdempotencyKey& key,
                                                    const std::string& district) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Enqueue(const Event& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Stored> events_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Remembered> requests_ ABSL_GUARDED_BY(mu_);
  std::vector<QueuedItem> queued_ ABSL_GUARDED_BY(mu_);
  int64_t next_assigned_seq_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_STORE_MEMORY_EVENT_STORE_H_
