#ifndef ZHIWANG_SERVICES_SLA_SLA_STORE_H_
#define ZHIWANG_SERVICES_SLA_SLA_STORE_H_

// The storage port of the SLA service: per-event SLA records, the district's timer set
// and its notification stream. Implementations: MemorySlaStore (unit tests) and
// RedisSlaStore (one Lua script per write); both pass services/sla/sla_store_contract.h.
//
// Exactly once: FireDue removes a timer and publishes its notice in one atomic step, and
// publishes only when the record still has the timer's stage sequence and generation and
// the rung has not fired in that stage; so any number of concurrent callers, crashes and
// retries fire each rung of a stage at most once, and a rung whose timer is armed fires
// once it is due. Calls block (the SLA service calls them from its worker threads).
// Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/sla/sla_clock.h"

namespace zhiwang::sla {

class SlaStore {
 public:
  virtual ~SlaStore() = default;

  // The event's record with its fired rungs and supervision orders; nullopt when none.
  virtual absl::StatusOr<std::optional<SlaRecord>> Load(const std::string& district_id,
                                                        const std::string& event_id) = 0;

  // Atomically, if the stored record's version is `expected_version` (0: no record yet),
  // else ABORTED: stores plan.record, removes the timers the stored record had armed, arms
  // plan.timers, and forgets the fired rungs when the stage sequence changed.
  virtual absl::Status Arm(const std::string& district_id, int64_t expected_version,
                           const ArmPlan& plan) = 0;

  // Atomically takes at most `max` timers due at `now` (earliest first) and removes them;
  // fires those still valid (see above): appends the notice (fired_at = now) to the
  // district's notification stream, records the rung as fired and opens its supervision
  // order if any. Returns the notices fired.
  virtual absl::StatusOr<std::vector<Notice>> FireDue(const std::string& district_id,
                                                      absl::Time now, int max) = 0;

  // The last `limit` notices published for the district, oldest first.
  virtual absl::StatusOr<std::vector<Notice>> RecentNotices(const std::string& district_id,
                                                            int limit) = 0;

  // The number of armed timers of the district (stale ones included until taken).
  virtual absl::StatusOr<int64_t> TimerCount(const std::string& district_id) = 0;
};

// Parses a timer member "<event>|<stage seq>|<generation>|<rung>"; false when malformed.
bool ParseTimerMember(const std::string& member, std::string* event_id, int64_t* stage_seq,
                      int64_t* generation, int* rung);

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_STORE_H_
