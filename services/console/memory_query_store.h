#ifndef ZHIWANG_SERVICES_CONSOLE_MEMORY_QUERY_STORE_H_
#define ZHIWANG_SERVICES_CONSOLE_MEMORY_QUERY_STORE_H_

// In-memory QueryStore for unit tests: keeps its own copy of the events (Put after every
// write) and their facts, and answers every method by brute force over them, with the
// same index semantics as the Redis indexes (membership by creation time; department
// history = every holding or assisting department seen; lights by the event's street and
// holding department). Thread-safe.

#include <map>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "services/console/query_store.h"

namespace zhiwang::console {

class MemoryQueryStore final : public QueryStore {
 public:
  // The event as a write left it (create or transition).
  void Put(const Event& event);
  // A running clock (deadline, yellow instant), or none.
  void SetClock(const std::string& event_id, std::optional<absl::Time> deadline,
                std::optional<absl::Time> yellow_at);
  void MarkSupervised(const std::string& event_id);

  void Count(const std::string& district_id, const std::vector<WalkPlan>& plans,
             Done<std::vector<int64_t>> done) override;
  void Walk(const std::string& district_id, const WalkPlan& plan,
            const std::optional<SortKey>& after, int limit,
            Done<std::vector<IndexEntry>> done) override;
  void Facts(const std::string& district_id, const std::string& event_id,
             Done<EventFacts> done) override;
  void Board(const std::string& district_id, absl::Time now, Done<BoardSnapshot> done) override;

 private:
  // The plan's index entries within bounds, in its order.
  std::vector<SortKey> Entries(const std::string& district_id, const WalkPlan& plan) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  EventFacts FactsOf(const std::string& id) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Event> events_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::set<std::string>> ever_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::pair<absl::Time, absl::Time>> clocks_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> supervised_ ABSL_GUARDED_BY(mu_);
  int64_t changes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_MEMORY_QUERY_STORE_H_
