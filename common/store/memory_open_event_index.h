#ifndef ZHIWANG_COMMON_STORE_MEMORY_OPEN_EVENT_INDEX_H_
#define ZHIWANG_COMMON_STORE_MEMORY_OPEN_EVENT_INDEX_H_

// OpenEventIndex in memory, for unit tests; distances by DistanceMetres. Callbacks run
// before the call returns. Thread-safe.

#include <map>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/domain/open_event_index.h"

namespace zhiwang {

class MemoryOpenEventIndex final : public OpenEventIndex {
 public:
  void Add(const std::string& district, const std::string& category, const std::string& event_id,
           LatLng at, Done<bool> done) override;
  void Remove(const std::string& district, const std::string& category, const std::string& event_id,
              Done<bool> done) override;
  void Near(const std::string& district, const std::string& category, LatLng at, double radius_m,
            int limit, Done<std::vector<std::string>> done) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, std::map<std::string, LatLng>> sets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_STORE_MEMORY_OPEN_EVENT_INDEX_H_
