#include "services/dispatch/watch_reactor.h"

#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"
#include "common/domain/reporter_masking.h"
#include "common/rpc/convert.h"
#include "common/rpc/log.h"
#include "common/rpc/status.h"
#include "zhiwang/v1/notification.pb.h"

namespace zhiwang::dispatch {

WatchReactor::WatchReactor(AssignmentQueue* queue, EventStore* store, WatchSettings settings)
    : queue_(queue),
      store_(store),
      settings_(std::move(settings)),
      assignments_{settings_.district_id, settings_.department_id, QueueChannel::kAssignments},
      notifications_{settings_.district_id, settings_.department_id, QueueChannel::kNotifications} {
  if (absl::StartsWith(settings_.cursor, "a:")) settings_.cursor = settings_.cursor.substr(2);
  thread_ = std::thread([this] { Run(); });
}

bool WatchReactor::stopping() {
  absl::MutexLock lock(&mu_);
  return stop_;
}

void WatchReactor::SleepFor(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stop_), d);
}

void WatchReactor::Run() {
  absl::Time next_housekeeping = absl::InfinitePast();
  bool resumed = false;
  while (!stopping()) {
    absl::Status failure;
    if (!resumed) {
      auto a = queue_->PendingFor(assignments_, settings_.consumer, settings_.cursor, 1000);
      auto n = queue_->PendingFor(notifications_, settings_.consumer, "", 1000);
      if (a.ok() && n.ok()) {
        resumed = true;
        if (!SendAssignments(*a, true) || !SendNotifications(*n, true)) break;
      } else {
        failure = a.ok() ? n.status() : a.status();
      }
    }
    if (resumed && absl::Now() >= next_housekeeping) {
      // Redeliver what nobody acknowledged in time, then drop what everyone acknowledged.
      auto a = queue_->Reclaim(assignments_, settings_.consumer, settings_.redeliver_after,
                               settings_.batch);
      auto n = queue_->Reclaim(notifications_, settings_.consumer, settings_.redeliver_after,
                               settings_.batch);
      if (a.ok() && n.ok()) {
        if (!SendAssignments(*a, true) || !SendNotifications(*n, true)) break;
        (void)queue_->Trim(assignments_, 0);
        (void)queue_->Trim(notifications_, 0);
        next_housekeeping = absl::Now() + settings_.redeliver_after / 4;
      } else {
        failure = a.ok() ? n.status() : a.status();
      }
    }
    bool got = false;
    if (resumed && failure.ok()) {
      auto a =
          queue_->Next(assignments_, settings_.consumer, settings_.batch, settings_.max_unacked);
      auto n =
          queue_->Next(notifications_, settings_.consumer, settings_.batch, settings_.max_unacked);
      if (a.ok() && n.ok()) {
        got = !a->empty() || !n->empty();
        if (!SendAssignments(*a, false) || !SendNotifications(*n, false)) break;
      } else {
        failure = a.ok() ? n.status() : a.status();
      }
    }
    if (!failure.ok()) {
      // Redis away: keep the stream open and try again; nothing is lost (entries wait).
      Log(LogLevel::kWarning, "watch: queue read failed",
          {{"department", settings_.department_id}, {"error", failure.ToString()}});
      SleepFor(absl::Milliseconds(200));
    } else if (!got) {
      SleepFor(settings_.poll);
    }
  }
}

bool WatchReactor::SendAssignments(const std::vector<QueueEntry>& entries, bool redelivery) {
  for (const QueueEntry& entry : entries) {
    std::promise<absl::StatusOr<Event>> p;
    store_->Get(entry.event_id, [&p](absl::StatusOr<Event> e) { p.set_value(std::move(e)); });
    absl::StatusOr<Event> event = p.get_future().get();
    if (!event.ok() && !absl::IsNotFound(event.status())) {
      // Leave it pending: it is redelivered after the idle timeout.
      Log(LogLevel::kWarning, "watch: cannot load event",
          {{"event", entry.event_id}, {"error", event.status().ToString()}});
      continue;
    }
    if (!event.ok() || HoldingDepartment(*event) != settings_.department_id ||
        event->assignment_token != entry.token) {
      (void)queue_->Ack(assignments_, {entry.id});  // stale: the event has moved on
      continue;
    }
    v1::Delivery d;
    d.set_kind(v1::Delivery::KIND_ASSIGNMENT);
    d.set_delivery_id(absl::StrCat("a:", entry.id));
    d.set_event_id(entry.event_id);
    d.set_fencing_token(entry.token);
    Event visible = *event;
    MaskReporterFor(settings_.viewer, visible);  // auth (issue 7)
    ToProto(visible, d.mutable_event());
    d.set_redelivery(redelivery);
    if (!Push(std::move(d))) return false;
  }
  return true;
}

bool WatchReactor::SendNotifications(const std::vector<QueueEntry>& entries, bool redelivery) {
  for (const QueueEntry& entry : entries) {
    v1::Delivery d;
    d.set_kind(v1::Delivery::KIND_NOTIFICATION);
    d.set_delivery_id(absl::StrCat("n:", entry.id));
    d.set_event_id(entry.event_id);
    if (!d.mutable_notification()->ParseFromString(entry.payload)) {
      (void)queue_->Ack(notifications_, {entry.id});  // unreadable: would never parse
      Log(LogLevel::kError, "watch: notification does not parse", {{"entry", entry.id}});
      continue;
    }
    d.set_redelivery(redelivery);
    if (!Push(std::move(d))) return false;
  }
  return true;
}

bool WatchReactor::Push(v1::Delivery d) {
  absl::MutexLock lock(&mu_);
  auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stop_ || buffer_.size() < kMaxBuffered;
  };
  mu_.Await(absl::Condition(&room));
  if (stop_) return false;
  buffer_.push_back(std::move(d));
  if (!writing_) {
    writing_ = true;
    StartWrite(&buffer_.front());
  }
  return true;
}

void WatchReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  buffer_.pop_front();
  if (!ok || stop_) {
    writing_ = false;
    if (!stop_) {
      stop_ = true;
      if (!finished_) {
        finished_ = true;
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      }
    }
    return;
  }
  if (buffer_.empty()) {
    writing_ = false;
  } else {
    StartWrite(&buffer_.front());
  }
}

void WatchReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
  // A cancelled call may be finished at once, even with a write outstanding.
  if (!finished_) {
    finished_ = true;
    Finish(grpc::Status::CANCELLED);
  }
}

void WatchReactor::OnDone() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
  delete this;
}

}  // namespace zhiwang::dispatch
