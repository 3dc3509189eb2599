#include "common/store/memory_event_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace zhiwang {
namespace {

std::string RequestKey(const IdempotencyKey& key, const std::string& district) {
  return absl::StrCat(district, "\x1f", key.subject, "\x1f", key.request_id);
}

absl::Status ReusedKey(const IdempotencyKey& key) {
  return absl::AlreadyExistsError(absl::StrCat("client_request_id '", key.request_id,
                                               "' was already used for a different request"));
}

// A listed event with its position in the list: ordered by (key, id), ascending or
// descending. The cursor is the (key, id) of the last event returned — like the Redis
// store's — so events that arrive or leave between pages cause no repeats and no gaps.
struct Listed {
  int64_t key;
  Event event;
};

absl::StatusOr<Page> TakePage(std::vector<Listed> all, bool descending, const PageRequest& page) {
  auto before = [descending](int64_t ka, const std::string& ia, int64_t kb, const std::string& ib) {
    if (ka != kb) return descending ? ka > kb : ka < kb;
    return descending ? ia > ib : ia < ib;
  };
  std::sort(all.begin(), all.end(), [&](const Listed& a, const Listed& b) {
    return before(a.key, a.event.id, b.key, b.event.id);
  });
  size_t i = 0;
  if (!page.cursor.empty()) {
    std::pair<std::string, std::string> parts =
        absl::StrSplit(page.cursor, absl::MaxSplits(':', 1));
    int64_t key = 0;
    if (!absl::SimpleAtoi(parts.first, &key) || parts.second.empty()) {
      return absl::InvalidArgumentError("page_token: is not a token this service issued");
    }
    while (i < all.size() && !before(key, parts.second, all[i].key, all[i].event.id)) ++i;
  }
  Page out;
  size_t limit = static_cast<size_t>(std::clamp(page.limit, 1, 1000));
  for (; i < all.size() && out.events.size() < limit; ++i) {
    out.events.push_back(std::move(all[i].event));
  }
  if (i < all.size()) {
    out.next_cursor = absl::StrCat(all[i - 1].key, ":", out.events.back().id);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::optional<WriteResult>> MemoryEventStore::Replay(
    const IdempotencyKey& key, const std::string& district) const {
  auto it = requests_.find(RequestKey(key, district));
  if (it == requests_.end()) return std::optional<WriteResult>();
  if (it->second.fingerprint != key.fingerprint) return ReusedKey(key);
  return std::optional<WriteResult>(WriteResult{it->second.result, true});
}

void MemoryEventStore::Enqueue(const Event& e) {
  switch (NextWorkQueue(e)) {
    case WorkQueue::kRouter:
      queued_.emplace_back("router", e.id);
      break;
    case WorkQueue::kDepartment:
      queued_.emplace_back(absl::StrCat("department:", e.department_id), e.id);
      break;
    case WorkQueue::kNone:
      break;
  }
}

void MemoryEventStore::Create(const NewEvent& created, const IdempotencyKey& key,
                              Done<WriteResult> done) {
  absl::StatusOr<WriteResult> result;
  {
    absl::MutexLock lock(&mu_);
    auto replay = Replay(key, created.event.district_id);
    if (!replay.ok()) {
      result = replay.status();
    } else if (*replay) {
      result = **replay;
    } else if (events_.contains(created.event.id)) {
      result =
          absl::AlreadyExistsError(absl::StrCat("event ", created.event.id, " already exists"));
    } else {
      Stored& s = events_[created.event.id];
      s.event = created.event;
      s.timeline.push_back(created.entry);
      s.timeline.back().seq = 1;
      requests_[RequestKey(key, created.event.district_id)] = {key.fingerprint, created.event};
      Enqueue(created.event);
      result = WriteResult{created.event, false};
    }
  }
  done(std::move(result));
}

void MemoryEventStore::Load(const std::string& event_id, const IdempotencyKey& key,
                            Done<LoadResult> done) {
  absl::StatusOr<LoadResult> result;
  {
    absl::MutexLock lock(&mu_);
    auto replay = Replay(key, DistrictOfEventId(event_id));
    if (!replay.ok()) {
      result = replay.status();
    } else {
      LoadResult r;
      r.replay = *replay;
      auto it = events_.find(event_id);
      if (it != events_.end()) r.event = it->second.event;
      result = std::move(r);
    }
  }
  done(std::move(result));
}

void MemoryEventStore::CommitSteps(const Event& before, const std::vector<TransitionOutcome>& steps,
                                   const IdempotencyKey& key, Done<WriteResult> done) {
  absl::StatusOr<WriteResult> result;
  {
    absl::MutexLock lock(&mu_);
    bool remember = !key.request_id.empty();
    absl::StatusOr<std::optional<WriteResult>> replay = std::optional<WriteResult>();
    if (remember) replay = Replay(key, before.district_id);
    auto it = events_.find(before.id);
    if (steps.empty()) {
      result = absl::InvalidArgumentError("no steps to commit");
    } else if (!replay.ok()) {
      result = replay.status();
    } else if (*replay) {
      result = **replay;
    } else if (it == events_.end()) {
      result = absl::NotFoundError(absl::StrCat("event ", before.id, " not found"));
    } else if (it->second.event.version != before.version ||
               it->second.event.state != before.state) {
      result = absl::AbortedError(absl::StrCat("event ", before.id, " is at version ",
                                               it->second.event.version, ", not ", before.version));
    } else {
      Stored& s = it->second;
      const Event& after = steps.back().event;
      if (HoldingDepartment(s.event) != HoldingDepartment(after)) {
        s.assigned_seq = ++next_assigned_seq_;
      }
      if (TriageCentre(s.event) != TriageCentre(after)) s.triage_seq = ++next_assigned_seq_;
      if (MasterOf(s.event) != MasterOf(after)) s.follow_seq = ++next_assigned_seq_;
      for (const TransitionOutcome& step : steps) {
        s.timeline.push_back(step.entry);
        s.timeline.back().seq = step.event.version;
      }
      bool queue =
          before.state != after.state || HoldingDepartment(before) != HoldingDepartment(after);
      s.event = after;
      if (remember) requests_[RequestKey(key, before.district_id)] = {key.fingerprint, after};
      if (RoutedAgain(before, after)) {
        queued_.emplace_back("router", after.id);  // org (issue 3)
      } else if (queue) {
        Enqueue(after);
      }
      result = WriteResult{after, false};
    }
  }
  done(std::move(result));
}

void MemoryEventStore::Get(const std::string& event_id, Done<Event> done) {
  absl::StatusOr<Event> result;
  {
    absl::MutexLock lock(&mu_);
    auto it = events_.find(event_id);
    if (it == events_.end()) {
      result = absl::NotFoundError(absl::StrCat("event ", event_id, " not found"));
    } else {
      result = it->second.event;
    }
  }
  done(std::move(result));
}

void MemoryEventStore::GetTimeline(const std::string& event_id,
                                   Done<std::vector<TimelineEntry>> done) {
  absl::StatusOr<std::vector<TimelineEntry>> result;
  {
    absl::MutexLock lock(&mu_);
    auto it = events_.find(event_id);
    if (it == events_.end()) {
      result = absl::NotFoundError(absl::StrCat("event ", event_id, " not found"));
    } else {
      result = it->second.timeline;
    }
  }
  done(std::move(result));
}

void MemoryEventStore::ListByReporter(const std::string& district_id, const std::string& subject,
                                      const PageRequest& page, Done<Page> done) {
  std::vector<Listed> all;  // newest first: by creation time, then id, descending
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, s] : events_) {
      if (s.event.district_id == district_id && s.event.reporter.subject == subject) {
        all.push_back({absl::ToUnixNanos(s.event.created_at), s.event});
      }
    }
  }
  done(TakePage(std::move(all), /*descending=*/true, page));
}

void MemoryEventStore::ListByDepartment(const std::string& district_id,
                                        const std::string& department_id, const PageRequest& page,
                                        Done<Page> done) {
  std::vector<Listed> held;  // oldest assignment first
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, s] : events_) {
      if (s.event.district_id == district_id && HoldingDepartment(s.event) == department_id &&
          !department_id.empty()) {
        held.push_back({s.assigned_seq, s.event});
      }
    }
  }
  done(TakePage(std::move(held), /*descending=*/false, page));
}

void MemoryEventStore::ListTriage(const std::string& district_id, const std::string& centre_id,
                                  const PageRequest& page, Done<Page> done) {
  std::vector<Listed> waiting;  // oldest entry first
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, s] : events_) {
      if (s.event.district_id == district_id && !centre_id.empty() &&
          TriageCentre(s.event) == centre_id) {
        waiting.push_back({s.triage_seq, s.event});
      }
    }
  }
  done(TakePage(std::move(waiting), /*descending=*/false, page));
}

void MemoryEventStore::ListFollowers(const std::string& district_id, const std::string& master_id,
                                     const PageRequest& page, Done<Page> done) {
  std::vector<Listed> followers;  // oldest merge first
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, s] : events_) {
      if (s.event.district_id == district_id && !master_id.empty() &&
          MasterOf(s.event) == master_id) {
        followers.push_back({s.follow_seq, s.event});
      }
    }
  }
  done(TakePage(std::move(followers), /*descending=*/false, page));
}

std::vector<MemoryEventStore::QueuedItem> MemoryEventStore::queued() const {
  absl::MutexLock lock(&mu_);
  return queued_;
}

}  // namespace zhiwang
