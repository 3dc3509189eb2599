#ifndef ZHIWANG_SERVICES_SLA_SLA_WORKER_H_
#define ZHIWANG_SERVICES_SLA_SLA_WORKER_H_

// The SLA service's two background loops, for every district of the organisation
// registry (or the --sla_districts list):
//  - the change consumer: reads the district's change feed (keys::ChangeFeed, consumer
//    group "sla"), applies each change to the event's clock (SlaEngine::OnChange, which
//    arms the timers) and acknowledges it. At least once: a replica that dies leaves its
//    entries pending and another reclaims them (XAUTOCLAIM) after `reclaim_after`;
//    applying a change twice is harmless. The feed is trimmed (XTRIM MINID) only below
//    what every consumer group of the feed has acknowledged and below the last
//    `feed_retention` (consoles resume from cursors), never by length.
//  - the firer: every `tick`, takes due timers in bounded batches (SlaStore::FireDue),
//    which publishes each rung exactly once however many replicas run.
// Several replicas may run side by side.

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_client.h"
#include "common/redis/stream_group_reader.h"
#include "services/sla/sla_engine.h"

namespace zhiwang::sla {

class SlaWorker {
 public:
  struct Options {
    std::string consumer;                // unique per process, e.g. "<host>-<pid>"
    std::vector<std::string> districts;  // empty: the organisation registry's
    absl::Duration block = absl::Milliseconds(200);
    absl::Duration reclaim_after = absl::Seconds(5);
    absl::Duration tick = absl::Milliseconds(50);
    absl::Duration trim_every = absl::Seconds(10);
    // feed (issue 6): change-feed history always kept for consoles' cursors, whatever
    // the consumer groups acknowledged (--feed_retention; docs/console.md).
    absl::Duration feed_retention = absl::Hours(72);
    int batch = 100;       // change-feed entries per read
    int fire_batch = 500;  // timers per FireDue call
  };

  // `reader` is used only for blocking reads of the change feed and their acks. Pointers
  // outlive the worker.
  SlaWorker(redis::RedisClient* reader, EventStore* events, SlaEngine* engine,
            const OrgRegistry* orgs, const Clock* clock, Options options);
  ~SlaWorker();

  void Start();
  // Stops both loops; returns when their threads have exited.
  void Stop();

  int64_t fired() const { return fired_.load(); }
  int64_t changes_applied() const { return applied_.load(); }

 private:
  std::vector<std::string> Districts() const;
  void FireLoop();
  void Trim(const std::string& district_id);
  // Applies a batch of entries [(entry id, fields)], then acknowledges those done.
  void HandleBatch(
      const std::string& stream,
      const std::vector<std::pair<std::string, std::map<std::string, std::string>>>& entries);
  // True when the entry may be acknowledged.
  bool Handle(const std::map<std::string, std::string>& fields);

  redis::RedisClient* reader_;
  EventStore* events_;
  SlaEngine* engine_;
  const OrgRegistry* orgs_;
  const Clock* clock_;
  Options options_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> fired_{0};
  std::atomic<int64_t> applied_{0};
  std::map<std::string, absl::Time> next_trim_;  // consumer thread only
  // Reads the change feeds on the consumer thread.
  redis::StreamGroupReader feeds_;
  std::thread consumer_;
  std::thread firer_;
};

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_WORKER_H_
