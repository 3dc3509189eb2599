#ifndef ZHIWANG_SERVICES_CONSOLE_MEMORY_EVALUATION_SOURCE_H_
#define ZHIWANG_SERVICES_CONSOLE_MEMORY_EVALUATION_SOURCE_H_

// feed (issue 6): EvaluationSource in memory, for unit tests. Same selection as the Redis
// one (evaluation_source_contract.h). Thread-safe; callbacks run before methods return.

#include <map>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "services/console/evaluation_source.h"

namespace zhiwang::console {

class MemoryEvaluationSource : public EvaluationSource {
 public:
  // Stores (or replaces) an event and its timeline.
  void Put(const EventRecord& record);
  // How many Load calls were made (to check the cache is used).
  int loads() const;

  void Load(const std::string& district_id, const Period& period,
            Done<std::vector<EventRecord>> done) override;
  void GetCached(const EvaluationCacheKey& key, Done<std::optional<GroupFigures>> done) override;
  void PutCached(const EvaluationCacheKey& key, const GroupFigures& figures,
                 Done<bool> done) override;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, EventRecord> events_ ABSL_GUARDED_BY(mu_);  // by event id
  std::map<std::string, GroupFigures> cache_ ABSL_GUARDED_BY(mu_);
  int loads_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_MEMORY_EVALUATION_SOURCE_H_
