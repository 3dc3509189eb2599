#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_SOURCE_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_SOURCE_H_

// feed (issue 6): the storage port of the evaluation: the input events of a period and the
// cache of finished periods' figures. Implementations: MemoryEvaluationSource (unit tests)
// and RedisEvaluationSource; both pass evaluation_source_contract.h.
//
// Asynchronous: `done` runs exactly once, possibly on another thread, possibly before the
// method returns; callbacks must not block. Implementations are thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/event_store.h"
#include "services/console/evaluation.h"
#include "services/console/evaluation_period.h"

namespace zhiwang::console {

// Names one cached result: the figures of `grouping` for `period`, over the events of
// `scope` ("" = the whole district), under the SLA configuration `config` (a fingerprint:
// other policies give other figures).
struct EvaluationCacheKey {
  std::string district_id;
  std::string scope;
  Grouping grouping = Grouping::kDistrict;
  Period period;
  std::string config;
};

class EvaluationSource {
 public:
  virtual ~EvaluationSource() = default;
  // The inputs of `period` (docs/evaluation.md, "Inputs"): every event of the district
  // created before period.to that was not already in a terminal state before period.from,
  // each with its whole timeline (in any order). Selected from the creation and closure
  // indexes, never by scanning.
  virtual void Load(const std::string& district_id, const Period& period,
                    Done<std::vector<EventRecord>> done) = 0;
  // The cached figures, or nullopt when there are none.
  virtual void GetCached(const EvaluationCacheKey& key, Done<std::optional<GroupFigures>> done) = 0;
  // Caches `figures` (the caller only caches finished periods: their figures are frozen).
  virtual void PutCached(const EvaluationCacheKey& key, const GroupFigures& figures,
                         Done<bool> done) = 0;
};

// When an event settled (IsSettled: closed or terminal), as the closure index records it:
// the `at` of the timeline entry that last moved it from an unsettled state into a settled
// one (an evaluation after the close does not move it); nullopt when it is not settled.
// For the memory source and tests.
std::optional<absl::Time> SettledSince(const EventRecord& record);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_SOURCE_H_
