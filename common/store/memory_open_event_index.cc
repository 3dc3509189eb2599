#include "common/store/memory_open_event_index.h"

#include <algorithm>

namespace zhiwang {

void MemoryOpenEventIndex::Add(const std::string& district, const std::string& category,
                               const std::string& event_id, LatLng at, Done<bool> done) {
  {
    absl::MutexLock lock(&mu_);
    sets_[district + "|" + category][event_id] = at;
  }
  done(true);
}

void MemoryOpenEventIndex::Remove(const std::string& district, const std::string& category,
                                  const std::string& event_id, Done<bool> done) {
  bool removed = false;
  {
    absl::MutexLock lock(&mu_);
    removed = sets_[district + "|" + category].erase(event_id) > 0;
  }
  done(removed);
}

void MemoryOpenEventIndex::Near(const std::string& district, const std::string& category, LatLng at,
                                double radius_m, int limit, Done<std::vector<std::string>> done) {
  std::vector<std::pair<double, std::string>> hits;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, p] : sets_[district + "|" + category]) {
      double d = DistanceMetres(at, p);
      if (d <= radius_m) hits.emplace_back(d, id);
    }
  }
  std::sort(hits.begin(), hits.end());
  std::vector<std::string> out;
  for (const auto& [d, id] : hits) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(id);
  }
  done(std::move(out));
}

}  // namespace zhiwang
