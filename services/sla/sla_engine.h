#ifndef ZHIWANG_SERVICES_SLA_SLA_ENGINE_H_
#define ZHIWANG_SERVICES_SLA_SLA_ENGINE_H_

// The SLA use cases over the SlaStore port: apply a change of the change feed to an
// event's clock (arming its timers), fire due timers, read an event's clock. Domain only:
// takes `now`, never reads the clock. Thread-safe.

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/sla/sla_store.h"

namespace zhiwang::sla {

// A district's calendar and policies.
struct DistrictSla {
  BusinessCalendar calendar;
  PolicySet policies;
};

// Which calendar and policies apply to which district; replaceable at run time (a reload
// takes effect for the next change). "*" is the fallback for districts not listed.
class SlaConfig {
 public:
  void Set(const std::string& district_id, std::shared_ptr<const DistrictSla> config);
  // nullptr when neither the district nor "*" is configured.
  std::shared_ptr<const DistrictSla> Get(const std::string& district_id) const;
  std::map<std::string, std::shared_ptr<const DistrictSla>> All() const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const DistrictSla>> by_district_ ABSL_GUARDED_BY(mu_);
};

struct EventClockView {
  SlaRecord record;
  ClockView view;
};

class SlaEngine {
 public:
  // Pointers outlive the engine.
  SlaEngine(SlaStore* store, const SlaConfig* config);

  // Applies one change. Idempotent: a change not newer than the record does nothing, so a
  // redelivered change is harmless. Retries the optimistic Arm on ABORTED (another
  // replica applied a change meanwhile) up to kMaxAttempts times.
  // Errors: FAILED_PRECONDITION when the district has no SLA configuration; NOT_FOUND when
  // no policy covers the stage; the store's errors.
  absl::Status OnChange(const Change& change, const EventFacts& facts);

  absl::StatusOr<std::vector<Notice>> FireDue(const std::string& district_id, absl::Time now,
                                              int max);

  // NOT_FOUND when the SLA service has no record of the event.
  absl::StatusOr<EventClockView> Clock(const std::string& district_id, const std::string& event_id,
                                       absl::Time now);

  static constexpr int kMaxAttempts = 8;

 private:
  SlaStore* store_;
  const SlaConfig* config_;
};

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_ENGINE_H_
