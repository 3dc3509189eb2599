#include "services/console/memory_evaluation_source.h"

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

std::optional<absl::Time> TerminalSince(const EventRecord& record) {
  if (!IsTerminal(record.event.state)) return std::nullopt;
  const TimelineEntry* last = nullptr;
  for (const TimelineEntry& t : record.timeline) {
    if (last == nullptr || t.seq > last->seq) last = &t;
  }
  if (last == nullptr) return record.event.updated_at;
  return last->at;
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
      std::optional<absl::Time> closed = TerminalSince(r);
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
