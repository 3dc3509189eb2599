#include "services/router/router_worker.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "common/redis/keys.h"
#include "common/rpc/log.h"
#include "services/router/routing_decision.h"

namespace zhiwang::router {
namespace {

constexpr char kGroup[] = "router";

// Stream entries of an XREADGROUP / XAUTOCLAIM reply: [[id, [field, value, ...]], ...].
// Deleted entries come back with a nil body; they have nothing to route.
std::vector<std::pair<std::string, std::string>> EntriesOf(const redis::RedisReply& list) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const redis::RedisReply& entry : list.elements) {
    if (entry.elements.size() != 2) continue;
    std::string event_id;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "e") event_id = fields[i + 1].str;
    }
    out.emplace_back(entry.elements[0].str, event_id);
  }
  return out;
}

}  // namespace

// read → decide every step the router can take (accept, then dispatch) → commit them
// all in one atomic write guarded by the version read. A redelivered entry re-reads and
// finds nothing left to decide; a decision made on a stale read is refused by the store
// (ABORTED) and made again on a fresh read. So no request ids are recorded for routing.
class RouterWorker::RouteOperation : public std::enable_shared_from_this<RouteOperation> {
 public:
  RouteOperation(RouterWorker* w, std::string event_id, std::function<void(bool)> done)
      : w_(w), event_id_(std::move(event_id)), done_(std::move(done)) {}

  void Read() {
    if (++attempts_ > kMaxAttempts) return Finish(false, "event keeps changing");
    auto self = shared_from_this();
    w_->store_->Get(event_id_, [self](absl::StatusOr<Event> e) { self->OnEvent(std::move(e)); });
  }

 private:
  void OnEvent(absl::StatusOr<Event> event) {
    if (absl::IsNotFound(event.status())) return Finish(true, "event not found");
    if (!event.ok()) return Finish(false, event.status().ToString());
    district_ = w_->orgs_->Find(event->district_id);
    if (district_ == nullptr) return Finish(false, "district not loaded");
    event_ = *std::move(event);
    master_.clear();
    // org (issue 3): a fresh report may duplicate an open event nearby.
    if (event_.state == EventState::kReported && w_->open_ != nullptr &&
        district_->settings().duplicate_radius_m > 0) {
      return FindMaster();
    }
    Decide();
  }

  // Candidates nearest first; the first that is still an open event of the category,
  // reported within the window before this one, becomes the master. Candidates no longer
  // open are dropped from the index on the way.
  void FindMaster() {
    auto self = shared_from_this();
    const RoutingSettings s = district_->settings();
    w_->open_->Near(event_.district_id, event_.category_code,
                    LatLng{event_.location.latitude, event_.location.longitude},
                    s.duplicate_radius_m, kMaxCandidates,
                    [self](absl::StatusOr<std::vector<std::string>> ids) {
                      if (!ids.ok()) return self->Finish(false, ids.status().ToString());
                      self->candidates_ = *std::move(ids);
                      self->CheckCandidate(0);
                    });
  }

  void CheckCandidate(size_t i) {
    if (i >= candidates_.size()) return Decide();
    if (candidates_[i] == event_.id) return CheckCandidate(i + 1);
    auto self = shared_from_this();
    w_->store_->Get(candidates_[i], [self, i](absl::StatusOr<Event> m) {
      if (m.ok() && self->IsOpenMaster(*m)) {
        self->master_ = m->id;
        return self->Decide();
      }
      if (absl::IsNotFound(m.status()) || (m.ok() && !IsOpen(*m))) {
        self->w_->open_->Remove(self->event_.district_id, self->event_.category_code,
                                self->candidates_[i], [](absl::StatusOr<bool>) {});
      }
      self->CheckCandidate(i + 1);
    });
  }

  static bool IsOpen(const Event& e) {
    switch (e.state) {
      case EventState::kAccepted:
      case EventState::kDispatched:
      case EventState::kClaimed:
      case EventState::kInProgress:
      case EventState::kRejected:
      case EventState::kRework:
      case EventState::kSuspended:
        return true;
      default:
        return false;
    }
  }

  bool IsOpenMaster(const Event& m) const {
    const absl::Duration window = absl::Seconds(district_->settings().duplicate_window_s);
    return IsOpen(m) && m.category_code == event_.category_code &&
           m.created_at <= event_.created_at && event_.created_at - m.created_at <= window;
  }

  void Decide() {
    std::vector<TransitionOutcome> steps;
    const Event* current = &event_;
    absl::Time now = w_->clock_->Now();
    while (steps.size() < kMaxStepsPerEvent) {
      std::optional<Command> command;
      if (!master_.empty() && current->state == EventState::kAccepted) {
        command = Command();
        command->action = EventAction::kMerge;
        command->merge_into = master_;
        command->note = absl::StrCat("duplicate of ", master_, ": same category within ",
                                     district_->settings().duplicate_radius_m, " m and ",
                                     district_->settings().duplicate_window_s, " s");
      } else {
        command = DecideRouting(*current, district_.get());
      }
      if (!command) break;
      absl::StatusOr<TransitionOutcome> outcome =
          ApplyCommand(*current, RouterIdentity(), *command, now);
      if (!outcome.ok()) return Finish(true, outcome.status().ToString());
      steps.push_back(*std::move(outcome));
      current = &steps.back().event;
    }
    if (!steps.empty() && steps.back().entry.action == EventAction::kTriage) {
      Log(LogLevel::kInfo, "waiting for triage",
          {{"event", event_id_},
           {"centre", current->triage_centre_id},
           {"reason", steps.back().entry.reason_code}});
    }
    if (steps.empty()) return Finish(true, "");
    auto self = shared_from_this();
    Event after = *current;
    w_->store_->CommitSteps(
        event_, steps, IdempotencyKey{}, [self, after](absl::StatusOr<WriteResult> r) {
          if (absl::IsAborted(r.status())) return self->Read();
          if (!r.ok()) return self->Finish(false, r.status().ToString());
          // An open event routed from a fresh report becomes a possible master.
          if (self->w_->open_ != nullptr && self->event_.state == EventState::kReported &&
              IsOpen(after)) {
            return self->w_->open_->Add(after.district_id, after.category_code, after.id,
                                        LatLng{after.location.latitude, after.location.longitude},
                                        [self](absl::StatusOr<bool>) { self->Finish(true, ""); });
          }
          self->Finish(true, "");
        });
  }

  void Finish(bool ok, const std::string& why) {
    if (!ok || !why.empty()) {
      Log(ok ? LogLevel::kInfo : LogLevel::kWarning, "routing stopped",
          {{"event", event_id_}, {"why", why}});
    }
    done_(ok);
  }

  static constexpr size_t kMaxStepsPerEvent = 4;
  static constexpr int kMaxAttempts = 8;
  static constexpr int kMaxCandidates = 5;
  RouterWorker* w_;
  std::string event_id_;
  std::function<void(bool)> done_;
  int attempts_ = 0;
  // The read being decided on (one at a time: set by OnEvent).
  Event event_;
  std::shared_ptr<const District> district_;
  std::vector<std::string> candidates_;
  std::string master_;
};

RouterWorker::RouterWorker(redis::RedisClient* reader, EventStore* store, const OrgRegistry* orgs,
                           const Clock* clock, Options options)
    : reader_(reader),
      store_(store),
      orgs_(orgs),
      clock_(clock),
      options_(std::move(options)),
      queues_(
          reader_, clock_, &stop_,
          {.group = kGroup,
           .consumer = options_.consumer,
           .block = options_.block,
           .reclaim_after = options_.reclaim_after,
           .batch = options_.batch},
          {.districts = [this] { return orgs_->DistrictIds(); },
           .stream = [](const std::string& d) { return redis::keys::RouterQueue(d); },
           .handle =
               [this](const std::string& stream, const redis::RedisReply& list, bool reclaimed) {
                 auto entries = EntriesOf(list);
                 if (reclaimed) {
                   if (entries.empty()) return;
                   Log(LogLevel::kInfo, "reclaimed routing entries",
                       {{"count", absl::StrCat(entries.size())}});
                 }
                 RouteBatch(stream, entries);
               }}) {}

RouterWorker::~RouterWorker() { Stop(); }

void RouterWorker::Start() {
  thread_ = std::thread([this] { queues_.Run(); });
}

void RouterWorker::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void RouterWorker::RouteEvent(const std::string& event_id, std::function<void(bool)> done) {
  std::make_shared<RouteOperation>(this, event_id, std::move(done))->Read();
}

void RouterWorker::RouteBatch(const std::string& stream,
                              const std::vector<std::pair<std::string, std::string>>& entries) {
  if (entries.empty()) return;
  std::vector<char> done(entries.size(), 0);
  absl::BlockingCounter pending(static_cast<int>(entries.size()));
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].second.empty()) {  // a deleted entry: nothing to route
      done[i] = 1;
      pending.DecrementCount();
      continue;
    }
    RouteEvent(entries[i].second, [&done, &pending, i](bool ok) {
      done[i] = ok ? 1 : 0;
      pending.DecrementCount();
    });
  }
  pending.Wait();
  std::vector<std::string> ack = {"XACK", stream, kGroup};
  std::vector<std::string> del = {"XDEL", stream};
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!done[i]) continue;
    ack.push_back(entries[i].first);
    del.push_back(entries[i].first);
  }
  if (del.size() == 2) return;
  // Acknowledged entries are deleted: the stream holds only work not yet done.
  (void)reader_->Call(std::move(ack));
  (void)reader_->Call(std::move(del));
}

}  // namespace zhiwang::router
