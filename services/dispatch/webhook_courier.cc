#include "services/dispatch/webhook_courier.h"

#include <future>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/domain/lifecycle.h"
#include "common/domain/reporter_masking.h"
#include "common/rpc/convert.h"
#include "common/rpc/log.h"
#include "google/protobuf/util/json_util.h"
#include "services/dispatch/http_post.h"
#include "services/dispatch/webhook_signature.h"
#include "zhiwang/v1/dispatch.pb.h"

namespace zhiwang::dispatch {

class WebhookCourier::Worker {
 public:
  Worker(WebhookCourier* owner, std::string district, std::string department)
      : owner_(owner),
        district_(std::move(district)),
        department_(std::move(department)),
        assignments_{district_, department_, QueueChannel::kAssignments},
        notifications_{district_, department_, QueueChannel::kNotifications},
        random_(std::random_device{}()) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Worker() {
    stop_.Notify();
    thread_.join();
  }
  bool finished() const { return finished_.HasBeenNotified(); }

 private:
  struct Item {
    QueueRef* queue = nullptr;  // null for a replayed dead letter
    std::string entry_id;
    std::string delivery_id;
    std::string event_id;
    std::string body;
  };

  bool Sleep(absl::Duration d) { return !stop_.WaitForNotificationWithTimeout(d); }

  void Run() {
    while (!stop_.HasBeenNotified()) {
      absl::StatusOr<WebhookEndpoint> endpoint =
          owner_->webhooks_->GetEndpoint(district_, department_);
      if (!endpoint.ok() && absl::IsNotFound(endpoint.status())) break;
      if (!endpoint.ok() || !endpoint->enabled) {
        if (!Sleep(owner_->options_.scan_every)) break;
        continue;
      }
      endpoint_ = *endpoint;
      absl::StatusOr<bool> worked = Step();
      if (!worked.ok()) {
        Log(LogLevel::kWarning, "courier: queue unavailable",
            {{"department", department_}, {"error", worked.status().ToString()}});
        if (!Sleep(absl::Milliseconds(200))) break;
      } else if (!*worked && !Sleep(owner_->options_.poll)) {
        break;
      }
    }
    finished_.Notify();
  }

  // One round: a replayed dead letter, else what is due for redelivery and what is new.
  // True when something was handled.
  absl::StatusOr<bool> Step() {
    absl::StatusOr<std::optional<DeadLetterRecord>> replay =
        owner_->webhooks_->TakeReplay(district_, department_);
    if (!replay.ok()) return replay.status();
    if (*replay) {
      Send(Item{nullptr, "", (*replay)->delivery_id, (*replay)->event_id, (*replay)->body});
      return true;
    }
    const WebhookCourier::Options& o = owner_->options_;
    bool any = false;
    for (QueueRef* q : {&assignments_, &notifications_}) {
      auto due = owner_->queue_->Reclaim(*q, o.consumer, o.redeliver_after, o.batch);
      if (!due.ok()) return due.status();
      auto fresh = owner_->queue_->Next(*q, o.consumer, o.batch, o.max_unacked);
      if (!fresh.ok()) return fresh.status();
      for (auto* list : {&*due, &*fresh}) {
        for (const QueueEntry& e : *list) {
          if (stop_.HasBeenNotified()) return true;  // left pending: redelivered later
          any = true;
          std::optional<Item> item = Prepare(q, e, list == &*due);
          if (item) Send(*item);
        }
      }
      (void)owner_->queue_->Trim(*q, 0);
    }
    return any;
  }

  // The body for an entry; nullopt when there is nothing to send (a stale assignment is
  // acknowledged; an event that cannot be read now stays pending).
  std::optional<Item> Prepare(QueueRef* q, const QueueEntry& e, bool redelivery) {
    v1::Delivery d;
    d.set_event_id(e.event_id);
    d.set_redelivery(redelivery);
    if (q->channel == QueueChannel::kAssignments) {
      std::promise<absl::StatusOr<Event>> p;
      owner_->events_->Get(e.event_id, [&p](absl::StatusOr<Event> r) { p.set_value(r); });
      absl::StatusOr<Event> event = p.get_future().get();
      if (!event.ok() && !absl::IsNotFound(event.status())) return std::nullopt;
      if (!event.ok() || HoldingDepartment(*event) != department_ ||
          event->assignment_token != e.token) {
        (void)owner_->queue_->Ack(*q, {e.id});
        return std::nullopt;
      }
      d.set_kind(v1::Delivery::KIND_ASSIGNMENT);
      d.set_delivery_id(absl::StrCat("a:", e.id));
      d.set_fencing_token(e.token);
      // auth (issue 7): the payload goes to the department's own system and is masked
      // for it like any department view.
      Event visible = *event;
      MaskReporterFor(Identity{"", Role::kDepartmentSystem, "", department_}, visible);
      ToProto(visible, d.mutable_event());
    } else {
      d.set_kind(v1::Delivery::KIND_NOTIFICATION);
      d.set_delivery_id(absl::StrCat("n:", e.id));
      if (!d.mutable_notification()->ParseFromString(e.payload)) {
        (void)owner_->queue_->Ack(*q, {e.id});
        return std::nullopt;
      }
    }
    std::string body;
    if (!google::protobuf::util::MessageToJsonString(d, &body).ok()) {
      Log(LogLevel::kError, "courier: cannot encode delivery", {{"entry", e.id}});
      return std::nullopt;
    }
    return Item{q, e.id, d.delivery_id(), e.event_id, std::move(body)};
  }

  // Sends until success or max_attempts; then acknowledges (or dead-letters and
  // acknowledges). Returns early, leaving the entry pending, only when stopping.
  void Send(const Item& item) {
    std::string last_error;
    for (int attempt = 1; attempt <= endpoint_.max_attempts; ++attempt) {
      if (item.queue != nullptr) {
        (void)owner_->queue_->Touch(*item.queue, owner_->options_.consumer, {item.entry_id});
      }
      absl::Time start = absl::Now();
      std::vector<std::pair<std::string, std::string>> headers = {
          {"Content-Type", "application/json"},
          {"X-Zhiwang-Delivery", item.delivery_id},
          {"X-Zhiwang-Event", item.event_id},
          {"X-Zhiwang-Attempt", absl::StrCat(attempt)},
          {kSignatureHeader,
           SignatureHeaderValue(endpoint_.secret, absl::ToUnixSeconds(start), item.body)}};
      absl::StatusOr<HttpResponse> r =
          HttpPost(endpoint_.url, headers, item.body, endpoint_.timeout);
      absl::Duration latency = absl::Now() - start;
      WebhookAttemptRecord rec;
      rec.delivery_id = item.delivery_id;
      rec.event_id = item.event_id;
      rec.attempt = attempt;
      rec.latency_us = absl::ToInt64Microseconds(latency);
      rec.at_unix_ms = absl::ToUnixMillis(start);
      bool ok = r.ok() && r->status >= 200 && r->status < 300;
      if (r.ok()) rec.http_status = r->status;
      if (!ok) {
        rec.error = r.ok() ? absl::StrCat("HTTP ", r->status) : r.status().ToString();
        last_error = rec.error;
      }
      (void)owner_->webhooks_->LogAttempt(district_, department_, rec);
      if (ok) {
        if (item.queue != nullptr) (void)owner_->queue_->Ack(*item.queue, {item.entry_id});
        return;
      }
      if ((attempt < endpoint_.max_attempts &&
           !Sleep(BackoffDelay(endpoint_, attempt, random_()))) ||
          stop_.HasBeenNotified()) {
        // Stopping: a queue entry stays pending (redelivered later); a replayed dead
        // letter goes back to the dead letters.
        if (item.queue == nullptr) {
          (void)owner_->webhooks_->AddDeadLetter(
              district_, department_,
              DeadLetterRecord{item.delivery_id, item.event_id, attempt, last_error, item.body});
        }
        return;
      }
    }
    DeadLetterRecord dl{item.delivery_id, item.event_id, endpoint_.max_attempts, last_error,
                        item.body};
    if (absl::Status s = owner_->webhooks_->AddDeadLetter(district_, department_, dl); !s.ok()) {
      return;  // not recorded: leave it pending so it is tried again later
    }
    if (item.queue != nullptr) (void)owner_->queue_->Ack(*item.queue, {item.entry_id});
    Log(LogLevel::kWarning, "courier: dead letter",
        {{"department", department_}, {"delivery", item.delivery_id}, {"error", last_error}});
  }

  WebhookCourier* owner_;
  std::string district_;
  std::string department_;
  QueueRef assignments_;
  QueueRef notifications_;
  WebhookEndpoint endpoint_;
  std::mt19937_64 random_;
  absl::Notification stop_;
  absl::Notification finished_;
  std::thread thread_;
};

WebhookCourier::WebhookCourier(AssignmentQueue* queue, EventStore* events, WebhookStore* webhooks,
                               Options options)
    : queue_(queue), events_(events), webhooks_(webhooks), options_(std::move(options)) {}

WebhookCourier::~WebhookCourier() { Stop(); }

void WebhookCourier::Start() {
  scanner_ = std::thread([this] {
    do {
      Scan();
    } while (!stop_.WaitForNotificationWithTimeout(options_.scan_every));
  });
}

void WebhookCourier::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (scanner_.joinable()) scanner_.join();
  absl::MutexLock lock(&mu_);
  workers_.clear();
}

void WebhookCourier::Scan() {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> endpoints =
      webhooks_->ListEndpoints();
  if (!endpoints.ok()) return;
  absl::MutexLock lock(&mu_);
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->second->finished()) {
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [district, department] : *endpoints) {
    std::string key = absl::StrCat(district, "/", department);
    if (!workers_.contains(key)) {
      workers_[key] = std::make_unique<Worker>(this, district, department);
    }
  }
}

}  // namespace zhiwang::dispatch
