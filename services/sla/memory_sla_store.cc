#include "services/sla/memory_sla_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace zhiwang::sla {

bool ParseTimerMember(const std::string& member, std::string* event_id, int64_t* stage_seq,
                      int64_t* generation, int* rung) {
  std::vector<std::string> parts = absl::StrSplit(member, '|');
  return parts.size() == 4 && !parts[0].empty() && absl::SimpleAtoi(parts[1], stage_seq) &&
         absl::SimpleAtoi(parts[2], generation) && absl::SimpleAtoi(parts[3], rung) &&
         (*event_id = parts[0], true);
}

absl::StatusOr<std::optional<SlaRecord>> MemorySlaStore::Load(const std::string& district_id,
                                                              const std::string& event_id) {
  absl::MutexLock lock(&mu_);
  District& d = districts_[district_id];
  auto it = d.records.find(event_id);
  if (it == d.records.end()) return std::nullopt;
  return it->second;
}

absl::Status MemorySlaStore::Arm(const std::string& district_id, int64_t expected_version,
                                 const ArmPlan& plan) {
  absl::MutexLock lock(&mu_);
  District& d = districts_[district_id];
  auto it = d.records.find(plan.record.event_id);
  int64_t stored = it == d.records.end() ? 0 : it->second.version;
  if (stored != expected_version) {
    return absl::AbortedError(
        absl::StrCat("sla record of ", plan.record.event_id, " is at version ", stored));
  }
  SlaRecord next = plan.record;
  if (it != d.records.end()) {
    for (const std::string& m : it->second.armed_timers) {
      auto t = d.timers.find(m);
      if (t == d.timers.end()) continue;
      d.due.erase({t->second.due, m});
      d.timers.erase(t);
    }
    // Fired rungs and orders belong to the store; a new stage forgets the fired rungs.
    next.fired_rungs =
        it->second.stage_seq == next.stage_seq ? it->second.fired_rungs : std::vector<int>{};
    next.orders = it->second.orders;
  } else {
    next.fired_rungs.clear();
    next.orders.clear();
  }
  next.armed_timers.clear();
  for (const Timer& t : plan.timers) {
    next.armed_timers.push_back(t.member);
    auto old = d.timers.find(t.member);
    if (old != d.timers.end()) d.due.erase({old->second.due, t.member});
    d.timers[t.member] = t;
    d.due.insert({t.due, t.member});
  }
  d.records[next.event_id] = std::move(next);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Notice>> MemorySlaStore::FireDue(const std::string& district_id,
                                                            absl::Time now, int max) {
  absl::MutexLock lock(&mu_);
  District& d = districts_[district_id];
  std::vector<Notice> fired;
  for (int taken = 0; taken < max && !d.due.empty() && d.due.begin()->first <= now; ++taken) {
    std::string member = d.due.begin()->second;
    d.due.erase(d.due.begin());
    Timer timer = std::move(d.timers[member]);
    d.timers.erase(member);
    auto rec = d.records.find(timer.notice.event_id);
    if (rec == d.records.end()) continue;
    SlaRecord& r = rec->second;
    if (r.stage == Stage::kNone || r.stage_seq != timer.stage_seq ||
        r.generation != timer.generation ||
        std::count(r.fired_rungs.begin(), r.fired_rungs.end(), timer.rung) > 0) {
      continue;  // stale: the stage ended or the deadline moved
    }
    r.fired_rungs.push_back(timer.rung);
    Notice n = timer.notice;
    n.fired_at = now;
    if (!n.supervision_order_id.empty()) {
      r.orders.push_back(SupervisionOrder{n.supervision_order_id, n.event_id, now,
                                          n.supervision_order_deadline, n.recipient});
    }
    d.notices.push_back(n);
    fired.push_back(std::move(n));
  }
  return fired;
}

absl::StatusOr<std::vector<Notice>> MemorySlaStore::RecentNotices(const std::string& district_id,
                                                                  int limit) {
  absl::MutexLock lock(&mu_);
  const std::vector<Notice>& all = districts_[district_id].notices;
  size_t from = all.size() > static_cast<size_t>(limit) ? all.size() - limit : 0;
  return std::vector<Notice>(all.begin() + from, all.end());
}

absl::StatusOr<int64_t> MemorySlaStore::TimerCount(const std::string& district_id) {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(districts_[district_id].due.size());
}

}  // namespace zhiwang::sla
