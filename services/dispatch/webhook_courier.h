#ifndef ZHIWANG_SERVICES_DISPATCH_WEBHOOK_COURIER_H_
#define ZHIWANG_SERVICES_DISPATCH_WEBHOOK_COURIER_H_

// dq (issue 5): delivers departments' queues (assignments and notifications) to their
// webhook endpoints. One worker thread per department with an enabled endpoint, so a slow
// or dead receiver holds up only its own department. A worker reads through the
// department's consumer group as consumer "courier" and sends entries strictly one after
// another (order per department, hence per event), each until it succeeds (2xx) or
// max_attempts have failed — then it becomes a dead letter. Between attempts it waits
// BackoffDelay (exponential, full jitter) and keeps the entry claimed (Touch) so no other
// consumer takes it over meanwhile. Each attempt is logged. The entry is acknowledged only
// after success or dead-lettering, so a courier killed mid-delivery leaves it pending and
// it is delivered again after the redelivery timeout (at least once; receivers dedupe by
// the X-Zhiwang-Delivery header). Replayed dead letters are sent before new work.
//
// Body: the zhiwang.v1.Delivery message (the same one WatchAssignments streams) in
// protobuf's JSON mapping. Headers: Content-Type, X-Zhiwang-Delivery, X-Zhiwang-Event,
// X-Zhiwang-Signature (webhook_signature.h). See docs/webhooks.md.

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/domain/assignment_queue.h"
#include "common/domain/event_store.h"
#include "common/domain/webhook.h"

namespace zhiwang::dispatch {

class WebhookCourier {
 public:
  struct Options {
    std::string consumer = "courier";
    absl::Duration scan_every = absl::Seconds(1);  // endpoint set and settings reload
    absl::Duration poll = absl::Milliseconds(50);  // idle queue poll
    absl::Duration redeliver_after = absl::Seconds(30);
    int max_unacked = 1000;
    int batch = 20;
  };

  // Pointers outlive the courier.
  WebhookCourier(AssignmentQueue* queue, EventStore* events, WebhookStore* webhooks,
                 Options options);
  ~WebhookCourier();  // Stop()

  void Start();
  // Stops every worker (an attempt in flight finishes, bounded by its timeout).
  void Stop();

 private:
  class Worker;
  void Scan();

  AssignmentQueue* queue_;
  EventStore* events_;
  WebhookStore* webhooks_;
  Options options_;
  absl::Notification stop_;
  std::thread scanner_;
  absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<Worker>> workers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_WEBHOOK_COURIER_H_
