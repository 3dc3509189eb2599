#ifndef ZHIWANG_SERVICES_DISPATCH_QUEUE_JANITOR_H_
#define ZHIWANG_SERVICES_DISPATCH_QUEUE_JANITOR_H_

// dq (issue 5): keeps every department's queues bounded, including those of departments
// nobody consumes by stream or webhook (console-only: they read the department index).
// Every `every` it trims, for each department of each known district, the assignment
// stream, and each district's notification stream: entries every consumer group has
// acknowledged; streams without any group keep their newest `keep_without_group`.
// Streams and the courier also trim their own queues as they go; this covers the rest.

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/domain/assignment_queue.h"
#include "common/domain/org_registry.h"

namespace zhiwang::dispatch {

class QueueJanitor {
 public:
  // Pointers outlive the janitor.
  QueueJanitor(AssignmentQueue* queue, const OrgRegistry* orgs, int64_t keep_without_group)
      : queue_(queue), orgs_(orgs), keep_without_group_(keep_without_group) {}
  ~QueueJanitor() { Stop(); }

  // One pass over every queue; returns the entries removed (failures are skipped: the
  // next pass tries again).
  int64_t RunOnce();

  void Start(absl::Duration every);
  void Stop();

 private:
  AssignmentQueue* queue_;
  const OrgRegistry* orgs_;
  int64_t keep_without_group_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_QUEUE_JANITOR_H_
