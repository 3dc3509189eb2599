#ifndef ZHIWANG_COMMON_REDIS_REDIS_EVENT_STORE_H_
#define ZHIWANG_COMMON_REDIS_REDIS_EVENT_STORE_H_

// EventStore on Redis. Every write is one Lua script (scripts/*.lua) over keys of one
// district's hash slot (keys.h), so it is atomic and runs unchanged on Redis Cluster.
// Requests from many threads are pipelined over one RedisClient. Thread-safe.

#include "common/domain/event_store.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class RedisEventStore final : public EventStore {
 public:
  // Queues are never trimmed by length here: department queues are trimmed only of
  // acknowledged entries (RedisAssignmentQueue::Trim); the router deletes what it acked.

  explicit RedisEventStore(RedisClient* client) : client_(client) {}

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
  // org (issue 3)
  void ListTriage(const std::string& district_id, const std::string& centre_id,
                  const PageRequest& page, Done<Page> done) override;
  void ListFollowers(const std::string& district_id, const std::string& master_id,
                     const PageRequest& page, Done<Page> done) override;

 private:
  void ListIndex(const std::string& district_id, const std::string& index_key, bool newest_first,
                 const PageRequest& page, Done<Page> done);
  RedisClient* client_;
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_REDIS_EVENT_STORE_H_
