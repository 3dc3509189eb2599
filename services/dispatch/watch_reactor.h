#ifndef ZHIWANG_SERVICES_DISPATCH_WATCH_REACTOR_H_
#define ZHIWANG_SERVICES_DISPATCH_WATCH_REACTOR_H_

// dq (issue 5): one WatchAssignments stream. A delivery thread reads the department's
// queues (assignments and notifications) through the AssignmentQueue as consumer
// `consumer` and hands Delivery messages to this gRPC write reactor, one write in flight
// at a time, at most kMaxBuffered waiting (so a slow client slows only its own stream).
//
// Order on start: the consumer's own unacknowledged deliveries after the cursor (resume),
// then, in a loop: entries idle past `redeliver_after` (whoever had them: a consumer that
// died), new entries within the department's cap, and a trim of acknowledged entries.
// An assignment whose event has moved on (another department or a newer fencing token) is
// stale: it is acknowledged and not sent. The stream ends on cancel, a failed write or
// server shutdown; entries sent but not acknowledged stay pending and are redelivered.

#include <deque>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "common/domain/assignment_queue.h"
#include "common/domain/event_store.h"
#include "grpcpp/grpcpp.h"
#include "zhiwang/v1/dispatch.pb.h"

namespace zhiwang::dispatch {

struct WatchSettings {
  std::string district_id;
  std::string department_id;
  std::string consumer;
  std::string cursor;  // assignment entry id ("a:<id>" or "<id>"), "" = from the start
  int max_unacked = 1000;
  absl::Duration redeliver_after = absl::Seconds(30);
  absl::Duration poll = absl::Milliseconds(20);
  int batch = 50;
  Identity viewer;  // auth (issue 7): whose view the events are masked for
};

class WatchReactor final : public grpc::ServerWriteReactor<v1::Delivery> {
 public:
  static constexpr size_t kMaxBuffered = 64;

  // Starts the delivery thread. Pointers outlive the reactor (the service owns them).
  WatchReactor(AssignmentQueue* queue, EventStore* store, WatchSettings settings);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Run();
  // Sends the entries (stale assignments are acknowledged instead); false when stopping.
  bool SendAssignments(const std::vector<QueueEntry>& entries, bool redelivery);
  bool SendNotifications(const std::vector<QueueEntry>& entries, bool redelivery);
  // Waits for room in the buffer, then queues `d`; false when the stream is ending.
  bool Push(v1::Delivery d);
  bool stopping();
  void SleepFor(absl::Duration d);

  AssignmentQueue* queue_;
  EventStore* store_;
  WatchSettings settings_;
  QueueRef assignments_;
  QueueRef notifications_;

  absl::Mutex mu_;
  std::deque<v1::Delivery> buffer_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_WATCH_REACTOR_H_
