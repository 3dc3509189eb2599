#include "services/console/memory_evaluation_source.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"
#include "services/console/evaluation_csv.h"

namespace zhiwang::console {
namespace {

std::string CacheId(const EvaluationCacheKey& k) {
  return absl::StrCat(k.district_id, "|", k.scope, "|", GroupingName(k.grouping), "|",
                      absl::ToUnixNanos(k.period.from), "|", absl::ToUnixNanos(k.period.to), "|",
                      k.config);
}

}  // namespace

std::optional<absl::Time> SettledSince(const EventRecord& record) {
  if (!IsSettled(record.event.state)) return std::nullopt;
  std::vector<const TimelineEntry*> entries;
  for (const TimelineEntry& t : record.timeline) entries.push_back(&t);
  std::sort(entries.begin(), entries.end(),
            [](const TimelineEntry* a, const TimelineEntry* b) { return a->seq < b->seq; });
  std::optional<absl::Time> since;
  for (const TimelineEntry* t : entries) {
    if (!IsSettled(t->to_state)) {
      since.reset();
    } else if (!since.has_value()) {
      since = t->at;
    }
  }
  return since.has_value() ? since : std::optional<absl::Time>(record.event.updated_at);
}

void MemoryEvaluationSource::Put(const EventRecord& record) {
  absl::MutexLock lock(&mu_);
  events_[record.event.id] = record;
}

int MemoryEvaluationSource::loads() const {
  absl::MutexLock lock(&mu_);
  return loads_;
}

void MemoryEvaluationSource::Load(const std::string& district_id, const Period& period,
                                  Done<std::vector<EventRecord>> done) {
  std::vector<EventRecord> out;
  {
    absl::MutexLock lock(&mu_);
    ++loads_;
    for (const auto& [id, r] : events_) {
      if (r.event.district_id != district_id || r.event.created_at >= period.to) continue;
      std::optional<absl::Time> closed = SettledSince(r);
      if (closed.has_value() && *closed < period.from) continue;
      out.push_back(r);
    }
  }
  done(std::move(out));
}

void MemoryEvaluationSource::GetCached(const EvaluationCacheKey& key,
                                       Done<std::optional<GroupFigures>> done) {
  std::optional<GroupFigures> hit;
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(CacheId(key));
    if (it != cache_.end()) hit = it->second;
  }
  done(std::move(hit));
}

void MemoryEvaluationSource::PutCached(const EvaluationCacheKey& key, const GroupFigures& figures,
                                       Done<bool> done) {
  {
    absl::MutexLock lock(&mu_);
    cache_[CacheId(key)] = figures;
  }
  done(true);
}

}  // namespace zhiwang::console
