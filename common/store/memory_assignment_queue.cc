#include "common/store/memory_assignment_queue.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"

namespace zhiwang {

std::string MemoryAssignmentQueue::StreamName(const QueueRef& q) {
  return q.channel == QueueChannel::kAssignments
             ? absl::StrCat("a:", q.district_id, ":", q.department_id)
             : absl::StrCat("n:", q.district_id);
}

std::string MemoryAssignmentQueue::GroupName(const QueueRef& q) {
  return q.channel == QueueChannel::kAssignments ? "dq" : absl::StrCat("dq:", q.department_id);
}

std::string MemoryAssignmentQueue::Format(Id id) { return absl::StrCat(id.first, "-", id.second); }

absl::StatusOr<std::vector<QueueEntry>> MemoryAssignmentQueue::Next(const QueueRef& q,
                                                                    const std::string& consumer,
                                                                    int max, int max_unacked) {
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  Group& g = s.groups[GroupName(q)];  // created at the start, like XGROUP CREATE … 0
  int room = std::min<int64_t>(max, max_unacked - static_cast<int64_t>(g.pending.size()));
  std::vector<QueueEntry> out;
  if (room <= 0) return out;
  absl::Time now = clock_->Now();
  for (auto it = s.entries.upper_bound(g.last_delivered); it != s.entries.end() && room > 0;
       ++it, --room) {
    g.last_delivered = it->first;
    if (q.channel == QueueChannel::kNotifications && it->second.department != q.department_id) {
      continue;  // another department's: never pending for this one
    }
    g.pending[it->first] = PendingInfo{consumer, now};
    out.push_back(it->second.entry);
  }
  return out;
}

absl::StatusOr<std::vector<QueueEntry>> MemoryAssignmentQueue::PendingFor(
    const QueueRef& q, const std::string& consumer, const std::string& after, int max) {
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  Group& g = s.groups[GroupName(q)];
  std::vector<QueueEntry> out;
  Id from{0, 0};
  if (!after.empty() && !ParseEntryId(after, &from.first, &from.second)) from = {0, 0};
  for (auto it = g.pending.upper_bound(from); it != g.pending.end() && out.size() < size_t(max);
       ++it) {
    if (it->second.consumer != consumer) continue;
    auto e = s.entries.find(it->first);
    if (e != s.entries.end()) out.push_back(e->second.entry);
  }
  return out;
}

absl::StatusOr<std::vector<QueueEntry>> MemoryAssignmentQueue::Reclaim(const QueueRef& q,
                                                                       const std::string& consumer,
                                                                       absl::Duration min_idle,
                                                                       int max) {
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  Group& g = s.groups[GroupName(q)];
  absl::Time now = clock_->Now();
  std::vector<QueueEntry> out;
  for (auto it = g.pending.begin(); it != g.pending.end() && out.size() < size_t(max);) {
    if (now - it->second.delivered_at < min_idle) {
      ++it;
      continue;
    }
    auto e = s.entries.find(it->first);
    if (e == s.entries.end()) {  // deleted meanwhile: Redis drops such ids too
      it = g.pending.erase(it);
      continue;
    }
    it->second = PendingInfo{consumer, now};
    out.push_back(e->second.entry);
    ++it;
  }
  return out;
}

absl::Status MemoryAssignmentQueue::Touch(const QueueRef& q, const std::string& consumer,
                                          const std::vector<std::string>& ids) {
  absl::MutexLock lock(&mu_);
  Group& g = streams_[StreamName(q)].groups[GroupName(q)];
  for (const std::string& id : ids) {
    Id parsed;
    if (!ParseEntryId(id, &parsed.first, &parsed.second)) continue;
    auto it = g.pending.find(parsed);
    if (it != g.pending.end()) it->second = PendingInfo{consumer, clock_->Now()};
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryAssignmentQueue::Ack(const QueueRef& q,
                                                   const std::vector<std::string>& ids) {
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  Group& g = s.groups[GroupName(q)];
  int64_t n = 0;
  for (const std::string& id : ids) {
    Id parsed;
    if (ParseEntryId(id, &parsed.first, &parsed.second)) n += g.pending.erase(parsed);
  }
  return n;
}

absl::StatusOr<int64_t> MemoryAssignmentQueue::Trim(const QueueRef& q, int64_t keep_without_group) {
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  if (s.groups.empty()) {
    int64_t removed = 0;
    while (keep_without_group > 0 && static_cast<int64_t>(s.entries.size()) > keep_without_group) {
      s.entries.erase(s.entries.begin());
      ++removed;
    }
    return removed;
  }
  // Keep everything from the oldest entry some group still needs: its oldest pending
  // entry, or the first entry after what it has been handed.
  std::optional<Id> keep_from;
  for (const auto& [name, g] : s.groups) {
    Id needed = g.pending.empty() ? Id{g.last_delivered.first, g.last_delivered.second + 1}
                                  : g.pending.begin()->first;
    if (!keep_from || needed < *keep_from) keep_from = needed;
  }
  int64_t removed = 0;
  for (auto it = s.entries.begin(); it != s.entries.end() && it->first < *keep_from;) {
    it = s.entries.erase(it);
    ++removed;
  }
  return removed;
}

absl::StatusOr<QueueStats> MemoryAssignmentQueue::Stats(const QueueRef& q) {
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  QueueStats st;
  st.length = s.entries.size();
  auto g = s.groups.find(GroupName(q));
  if (g != s.groups.end()) st.pending = g->second.pending.size();
  return st;
}

absl::StatusOr<std::string> MemoryAssignmentQueue::Append(const QueueRef& q,
                                                          const QueueEntry& entry) {
  if (entry.event_id.empty()) return absl::InvalidArgumentError("event_id: is required");
  if (q.channel == QueueChannel::kNotifications && entry.payload.empty()) {
    return absl::InvalidArgumentError("payload: is required for a notification");
  }
  absl::MutexLock lock(&mu_);
  Stream& s = streams_[StreamName(q)];
  int64_t ms = absl::ToUnixMillis(clock_->Now());
  Id id = ms > s.last_id.first ? Id{ms, 0} : Id{s.last_id.first, s.last_id.second + 1};
  s.last_id = id;
  Stored st{entry, q.department_id};
  st.entry.id = Format(id);
  if (q.channel == QueueChannel::kAssignments) st.entry.payload.clear();
  s.entries[id] = st;
  return st.entry.id;
}

}  // namespace zhiwang
