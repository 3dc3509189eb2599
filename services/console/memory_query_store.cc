#include "services/console/memory_query_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"

namespace zhiwang::console {
namespace {

using Kind = DrivingIndex::Kind;

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

bool Before(const SortKey& a, const SortKey& b) {
  return a.score != b.score ? a.score < b.score : a.id < b.id;
}

}  // namespace

void MemoryQueryStore::Put(const Event& e) {
  absl::MutexLock lock(&mu_);
  events_[e.id] = e;
  std::string holder = HoldingDepartment(e);
  if (!holder.empty()) ever_[e.id].insert(holder);
  for (const std::string& d : e.assisting_department_ids) ever_[e.id].insert(d);
  ++changes_;
}

void MemoryQueryStore::SetClock(const std::string& id, std::optional<absl::Time> deadline,
                                std::optional<absl::Time> yellow_at) {
  absl::MutexLock lock(&mu_);
  if (deadline) {
    clocks_[id] = {*deadline, yellow_at.value_or(*deadline)};
  } else {
    clocks_.erase(id);
  }
}

void MemoryQueryStore::MarkSupervised(const std::string& id) {
  absl::MutexLock lock(&mu_);
  supervised_.insert(id);
}

EventFacts MemoryQueryStore::FactsOf(const std::string& id) const {
  EventFacts f;
  auto c = clocks_.find(id);
  if (c != clocks_.end()) {
    f.deadline = c->second.first;
    f.yellow_at = c->second.second;
  }
  f.supervised = supervised_.count(id) > 0;
  return f;
}

std::vector<SortKey> MemoryQueryStore::Entries(const std::string& d, const WalkPlan& plan) const {
  std::vector<SortKey> out;
  const DrivingIndex& ix = plan.index;
  for (const auto& [id, e] : events_) {
    if (e.district_id != d) continue;
    std::optional<int64_t> score;
    switch (ix.kind) {
      case Kind::kAll:
        score = Ms(e.created_at);
        break;
      case Kind::kSupervised:
        if (supervised_.count(id)) score = Ms(e.created_at);
        break;
      case Kind::kMembership: {
        bool member = false;
        if (ix.ref.kind == QueryIndexKind::kDepartmentEver) {
          auto it = ever_.find(id);
          member = it != ever_.end() && it->second.count(ix.ref.value) > 0;
        } else if (ix.ref.kind == QueryIndexKind::kReporter) {
          member = e.reporter.subject == ix.ref.value;
        } else {
          std::vector<QueryIndexRef> refs = MembershipIndexes(e);
          member = std::find(refs.begin(), refs.end(), ix.ref) != refs.end();
        }
        if (member) score = Ms(e.created_at);
        break;
      }
      case Kind::kDeadline: {
        auto c = clocks_.find(id);
        if (c == clocks_.end()) break;
        if (ix.scope == "street" && e.street_id != ix.value) break;
        if (ix.scope == "dep" && HoldingDepartment(e) != ix.value) break;
        score = Ms(c->second.first);
        break;
      }
    }
    if (!score) continue;
    if (plan.min_score && *score < *plan.min_score) continue;
    if (plan.max_score && *score > *plan.max_score) continue;
    out.push_back({*score, id});
  }
  std::sort(out.begin(), out.end(), Before);
  if (!plan.ascending) std::reverse(out.begin(), out.end());
  return out;
}

void MemoryQueryStore::Count(const std::string& d, const std::vector<WalkPlan>& plans,
                             Done<std::vector<int64_t>> done) {
  std::vector<int64_t> out;
  {
    absl::MutexLock lock(&mu_);
    for (const WalkPlan& p : plans) out.push_back(static_cast<int64_t>(Entries(d, p).size()));
  }
  done(std::move(out));
}

void MemoryQueryStore::Walk(const std::string& d, const WalkPlan& plan,
                            const std::optional<SortKey>& after, int limit,
                            Done<std::vector<IndexEntry>> done) {
  std::vector<IndexEntry> out;
  {
    absl::MutexLock lock(&mu_);
    for (const SortKey& k : Entries(d, plan)) {
      if (after && (plan.ascending ? !Before(*after, k) : !Before(k, *after))) continue;
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back({k, events_.at(k.id), FactsOf(k.id)});
    }
  }
  done(std::move(out));
}

void MemoryQueryStore::Facts(const std::string& d, const std::string& id, Done<EventFacts> done) {
  EventFacts f;
  {
    absl::MutexLock lock(&mu_);
    f = FactsOf(id);
  }
  done(f);
}

void MemoryQueryStore::Board(const std::string& d, absl::Time now, Done<BoardSnapshot> done) {
  BoardSnapshot b;
  {
    absl::MutexLock lock(&mu_);
    std::map<std::string, std::map<int, BoardCell>> streets, deps;
    std::map<int, BoardCell> all;
    auto count = [&](std::map<int, BoardCell>& row, EventState s, Light l) {
      BoardCell& c = row[static_cast<int>(s)];
      c.state = s;
      ++c.total;
      if (l == Light::kRed) ++c.red;
      if (l == Light::kYellow) ++c.yellow;
      if (l != Light::kRed && l != Light::kYellow) ++c.green;
    };
    for (const auto& [id, e] : events_) {
      if (e.district_id != d) continue;
      Light l = LightAt(FactsOf(id), now);
      count(all, e.state, l);
      if (!e.street_id.empty()) count(streets[e.street_id], e.state, l);
      std::string holder = HoldingDepartment(e);
      if (!holder.empty()) count(deps[holder], e.state, l);
    }
    auto row = [](const std::string& id, const std::map<int, BoardCell>& cells) {
      BoardRow r{id, {}};
      for (const auto& [s, c] : cells) r.cells.push_back(c);
      return r;
    };
    b.district = row("", all);
    for (const auto& [id, cells] : streets) b.streets.push_back(row(id, cells));
    for (const auto& [id, cells] : deps) b.departments.push_back(row(id, cells));
    b.feed_cursor = changes_ == 0 ? "0-0" : absl::StrCat(changes_, "-0");
  }
  done(std::move(b));
}

}  // namespace zhiwang::console
