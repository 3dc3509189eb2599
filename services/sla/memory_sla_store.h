#ifndef ZHIWANG_SERVICES_SLA_MEMORY_SLA_STORE_H_
#define ZHIWANG_SERVICES_SLA_MEMORY_SLA_STORE_H_

// SlaStore in memory, for unit tests. One mutex makes every method atomic. It does not
// see events, so unlike RedisSlaStore it does not cross-check the event's state when
// firing (the record's stage sequence and generation decide). Thread-safe.

#include <map>
#include <set>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "services/sla/sla_store.h"

namespace zhiwang::sla {

class MemorySlaStore final : public SlaStore {
 public:
  absl::StatusOr<std::optional<SlaRecord>> Load(const std::string& district_id,
                                                const std::string& event_id) override;
  absl::Status Arm(const std::string& district_id, int64_t expected_version,
                   const ArmPlan& plan) override;
  absl::StatusOr<std::vector<Notice>> FireDue(const std::string& district_id, absl::Time now,
                                              int max) override;
  absl::StatusOr<std::vector<Notice>> RecentNotices(const std::string& district_id,
                                                    int limit) override;
  absl::StatusOr<int64_t> TimerCount(const std::string& district_id) override;

 private:
  struct District {
    std::map<std::string, SlaRecord> records;
    std::set<std::pair<absl::Time, std::string>> due;  // (due, member)
    std::map<std::string, Timer> timers;               // by member
    std::vector<Notice> notices;
  };
  absl::Mutex mu_;
  std::map<std::string, District> districts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_MEMORY_SLA_STORE_H_
