#ifndef ZHIWANG_COMMON_DOMAIN_EVENT_STORE_H_
#define ZHIWANG_COMMON_DOMAIN_EVENT_STORE_H_

// The storage port for events, shaped by the domain. Implementations: MemoryEventStore
// (unit tests) and RedisEventStore (one Lua script per write); both pass the same
// contract suite (common/store/event_store_contract.h).
//
// Methods are asynchronous: `done` runs exactly once, possibly on another thread (the
// Redis I/O thread) and possibly before the method returns (the memory store). Callbacks
// must not block. Implementations are thread-safe.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/event.h"
#include "common/domain/lifecycle.h"
#include "common/domain/report.h"

namespace zhiwang {

template <typename T>
using Done = std::function<void(absl::StatusOr<T>)>;

// Identifies one mutating request: a retry carries the same subject and request id. The
// fingerprint tells a retry (same payload) from a misuse of the id (another payload).
// For CommitSteps, an empty request_id means "remember nothing": for internal writers
// (the router) whose writes are already made safe to repeat by the version check alone.
// Create always needs one.
struct IdempotencyKey {
  std::string subject;
  std::string request_id;
  uint64_t fingerprint = 0;
};

// How long a request id is remembered. Documented in docs/api.md.
inline constexpr int64_t kIdempotencyTtlSeconds = 7 * 24 * 3600;

struct WriteResult {
  Event event;            // the event as the (first) write left it
  bool replayed = false;  // true when this was a retry of an earlier request
};

struct LoadResult {
  std::optional<Event> event;         // nullopt when no such event
  std::optional<WriteResult> replay;  // set when the key names an earlier write
};

// Paging: a cursor names the last item returned (its sort key and id), not a position,
// so a page never repeats or skips an item because others arrived or left meanwhile.
// A cursor the store did not issue is INVALID_ARGUMENT (naming page_token); limit is
// clamped to 1..1000.
struct PageRequest {
  int limit = 20;
  std::string cursor;  // opaque, from Page::next_cursor; empty for the first page
};

struct Page {
  std::vector<Event> events;
  std::string next_cursor;  // empty when there is nothing more
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Atomically: stores the event and its first timeline entry, indexes it, queues it for
  // routing and remembers `key`. When `key` was used before: the earlier result with
  // replayed=true, or ALREADY_EXISTS when the fingerprint differs. ALREADY_EXISTS also
  // when the event id exists. UNAVAILABLE when storage is unreachable (the write may or
  // may not have happened; retry with the same key).
  virtual void Create(const NewEvent& created, const IdempotencyKey& key,
                      Done<WriteResult> done) = 0;

  // Reads the event and whether `key` names an earlier write (its result, or
  // ALREADY_EXISTS when the fingerprint differs).
  virtual void Load(const std::string& event_id, const IdempotencyKey& key,
                    Done<LoadResult> done) = 0;

  // Atomically, if the stored event still has `before.version` and `before.state` (else
  // ABORTED): replaces the event with the last step's event, appends every step's entry
  // (seq = that step's version), moves the event between indexes, queues the next work
  // item for its final state (NextWorkQueue) and remembers `key`. A key used before
  // replays like Create. `steps` are consecutive transitions of `before` made by
  // ApplyCommand (each one version more than the last); at least one.
  virtual void CommitSteps(const Event& before, const std::vector<TransitionOutcome>& steps,
                           const IdempotencyKey& key, Done<WriteResult> done) = 0;

  // CommitSteps with one step.
  void Commit(const Event& before, const TransitionOutcome& outcome, const IdempotencyKey& key,
              Done<WriteResult> done) {
    CommitSteps(before, {outcome}, key, std::move(done));
  }

  // NOT_FOUND when there is no such event.
  virtual void Get(const std::string& event_id, Done<Event> done) = 0;
  virtual void GetTimeline(const std::string& event_id, Done<std::vector<TimelineEntry>> done) = 0;

  // A reporter's events in a district, newest first.
  virtual void ListByReporter(const std::string& district_id, const std::string& subject,
                              const PageRequest& page, Done<Page> done) = 0;
  // Events a department holds (HoldingDepartment), oldest assignment first.
  virtual void ListByDepartment(const std::string& district_id, const std::string& department_id,
                                const PageRequest& page, Done<Page> done) = 0;

  // ---- org (issue 3)
  // Events waiting in a dispatch centre's triage queue (TriageCentre), oldest entry
  // first. CommitSteps keeps this index in the same atomic write.
  virtual void ListTriage(const std::string& district_id, const std::string& centre_id,
                          const PageRequest& page, Done<Page> done) = 0;
  // The followers of a master event (merged into it: MasterOf), oldest merge first.
  virtual void ListFollowers(const std::string& district_id, const std::string& master_id,
                             const PageRequest& page, Done<Page> done) = 0;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_EVENT_STORE_H_
