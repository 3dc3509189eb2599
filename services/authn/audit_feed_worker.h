#ifndef ZHIWANG_SERVICES_AUTHN_AUDIT_FEED_WORKER_H_
#define ZHIWANG_SERVICES_AUTHN_AUDIT_FEED_WORKER_H_

// Writes every committed event transition into the audit stream (issue 7), without touching
// the transition scripts: it consumes each district's change feed (keys::ChangeFeed) in its
// own consumer group "audit", reads the timeline entries up to that version (each names its
// actor: subject, role, department; one write may append several, e.g. accept + dispatch)
// and appends one allowed entry per timeline entry, action "event:<action>", object the
// event id, version its seq. Delivery is at least once; AuditLog::AppendOnce keeps one entry
// per (district, event, seq). An entry is acknowledged only after it
// was written, so a crash loses nothing (another router reclaims it after reclaim_after).
//
// Runs in zw-router, one thread. Start() then Stop() (also from the destructor).

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/base/clock.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_client.h"
#include "common/redis/stream_group_reader.h"
#include "common/rpc/audit_log.h"

namespace zhiwang::authn {

class AuditFeedWorker {
 public:
  static constexpr char kGroup[] = "audit";

  struct Options {
    std::string consumer;                // unique per process
    std::vector<std::string> districts;  // empty: every district the registry knows
    absl::Duration block = absl::Milliseconds(500);
    absl::Duration reclaim_after = absl::Seconds(30);
  };

  // `reader` is used for the blocking group reads only; `redis` (pipelined) for the rest.
  AuditFeedWorker(redis::RedisClient* reader, redis::RedisClient* redis, AuditLog* audit,
                  const OrgRegistry* orgs, const Clock* clock, Options options);
  ~AuditFeedWorker();

  void Start();
  void Stop();
  // Feed entries handled so far.
  int64_t handled() const { return handled_; }

 private:
  void Handle(const std::string& stream, const redis::RedisReply& entries);
  // One feed entry: false when it must be retried (not acknowledged).
  bool HandleOne(const std::string& district, const redis::RedisReply& body);

  redis::RedisClient* redis_;
  AuditLog* audit_;
  const OrgRegistry* orgs_;
  Options options_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> handled_{0};
  redis::StreamGroupReader feeds_;
  std::thread thread_;
};

}  // namespace zhiwang::authn

#endif  // ZHIWANG_SERVICES_AUTHN_AUDIT_FEED_WORKER_H_
