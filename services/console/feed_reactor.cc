#include "services/console/feed_reactor.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/log.h"
#include "common/rpc/status.h"

namespace zhiwang::console {

FeedReactor::FeedReactor(ChangeFeedReader* feed, EventStore* store, FeedTimer* timer, Identity who,
                         std::string district_id, std::string cursor, FeedFilter filter,
                         FeedSettings settings)
    : feed_(feed),
      store_(store),
      timer_(timer),
      who_(std::move(who)),
      district_id_(std::move(district_id)),
      filter_(std::move(filter)),
      settings_(settings) {
  {
    absl::MutexLock lock(&mu_);
    cursor_ = std::move(cursor);
  }
  Start();
}

bool FeedReactor::BeginOp() {
  absl::MutexLock lock(&mu_);
  if (stop_) return false;
  ++ops_;
  return true;
}

void FeedReactor::EndOp() {
  bool last = false;
  {
    absl::MutexLock lock(&mu_);
    --ops_;
    last = done_ && ops_ == 0;
  }
  if (last) delete this;
}

void FeedReactor::FinishLocked(const grpc::Status& status) {
  stop_ = true;
  if (finished_) return;
  finished_ = true;
  Finish(status);
}

void FeedReactor::Start() {
  bool from_now;
  {
    absl::MutexLock lock(&mu_);
    from_now = cursor_.empty();
  }
  if (!from_now) return Read();
  if (!BeginOp()) return;
  feed_->Tail(district_id_, [this](absl::StatusOr<std::string> tail) {
    if (tail.ok()) {
      {
        absl::MutexLock lock(&mu_);
        cursor_ = *tail;
      }
      Read();
    } else if (absl::IsUnavailable(tail.status())) {
      // Retry from the start: "from now" is whenever Redis answers.
      Wait(settings_.retry);
    } else {
      absl::MutexLock lock(&mu_);
      FinishLocked(ToGrpc(tail.status()));
    }
    EndOp();
  });
}

void FeedReactor::Read() {
  if (!BeginOp()) return;
  std::string cursor;
  {
    absl::MutexLock lock(&mu_);
    cursor = cursor_;
  }
  if (cursor.empty()) {  // Tail never answered: ask again
    EndOp();
    return Start();
  }
  feed_->ReadAfter(district_id_, cursor, settings_.batch,
                   [this](absl::StatusOr<std::vector<ChangeRecord>> changes) {
                     OnRead(std::move(changes));
                     EndOp();
                   });
}

void FeedReactor::OnRead(absl::StatusOr<std::vector<ChangeRecord>> changes) {
  if (!changes.ok()) {
    if (absl::IsUnavailable(changes.status())) {
      Log(LogLevel::kWarning, "feed: change feed read failed",
          {{"district", district_id_}, {"error", changes.status().ToString()}});
      return Wait(settings_.retry);
    }
    absl::MutexLock lock(&mu_);
    return FinishLocked(ToGrpc(changes.status()));
  }
  if (changes->empty()) return Wait(settings_.poll);
  LoadAndSend(*std::move(changes));
}

void FeedReactor::LoadAndSend(std::vector<ChangeRecord> changes) {
  struct Batch {
    absl::Mutex mu;
    std::vector<ChangeRecord> changes;
    std::map<std::string, std::optional<Event>> events;  // nullopt: gone
    int remaining = 0;
    absl::Status failure;
  };
  auto batch = std::make_shared<Batch>();
  batch->changes = std::move(changes);
  for (const ChangeRecord& c : batch->changes) batch->events.emplace(c.event_id, std::nullopt);
  batch->remaining = static_cast<int>(batch->events.size());
  if (!BeginOp()) return;
  auto compose = [this, batch] {
    if (!batch->failure.ok()) {
      Log(LogLevel::kWarning, "feed: cannot load events",
          {{"district", district_id_}, {"error", batch->failure.ToString()}});
      return Wait(settings_.retry);  // the cursor has not moved: read the same batch again
    }
    std::vector<v1::EventChange> out;
    bool last_sent = false;
    for (const ChangeRecord& c : batch->changes) {
      const std::optional<Event>& event = batch->events[c.event_id];
      last_sent = event.has_value() && FeedSends(filter_, who_, c, *event);
      if (!last_sent) continue;
      v1::EventChange m;
      m.set_cursor(c.cursor);
      m.set_event_id(c.event_id);
      m.set_version(c.version);
      m.set_state(static_cast<v1::EventState>(c.state));
      m.set_action(static_cast<v1::EventAction>(c.action));
      *m.mutable_at() = ToProto(c.at);
      EventToProtoFor(who_, *event, m.mutable_event());  // masked for the caller
      out.push_back(std::move(m));
    }
    if (!last_sent) {
      v1::EventChange m;
      m.set_cursor(batch->changes.back().cursor);
      m.set_progress_only(true);
      out.push_back(std::move(m));
    }
    absl::MutexLock lock(&mu_);
    if (stop_) return;
    cursor_ = batch->changes.back().cursor;
    for (v1::EventChange& m : out) outbox_.push_back(std::move(m));
    if (!writing_) {
      writing_ = true;
      StartWrite(&outbox_.front());
    }
  };
  for (const auto& [id, unused] : batch->events) {
    store_->Get(id, [this, batch, id = id, compose](absl::StatusOr<Event> e) {
      bool all;
      {
        absl::MutexLock lock(&batch->mu);
        if (e.ok()) {
          batch->events[id] = *std::move(e);
        } else if (!absl::IsNotFound(e.status())) {
          batch->failure = e.status();
        }
        all = --batch->remaining == 0;
      }
      if (all) {  // the last answer: compose once, then end the batch's op
        compose();
        EndOp();
      }
    });
  }
}

void FeedReactor::Wait(absl::Duration d) {
  if (!BeginOp()) return;
  timer_->RunAfter(d, [this](bool fired) {
    if (fired) Read();  // a stream that ended meanwhile starts nothing (BeginOp)
    EndOp();
  });
}

void FeedReactor::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    outbox_.pop_front();
    if (!ok) {
      writing_ = false;
      return FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
    }
    if (stop_) {
      writing_ = false;
      return;
    }
    if (!outbox_.empty()) {
      StartWrite(&outbox_.front());
      return;
    }
    writing_ = false;
  }
  Read();
}

void FeedReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  FinishLocked(grpc::Status::CANCELLED);
}

void FeedReactor::OnDone() {
  bool last;
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    done_ = true;
    last = ops_ == 0;
  }
  if (last) delete this;
}

}  // namespace zhiwang::console
