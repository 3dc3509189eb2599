#ifndef ZHIWANG_SERVICES_ROUTER_ROUTER_WORKER_H_
#define ZHIWANG_SERVICES_ROUTER_ROUTER_WORKER_H_

// Consumes each district's routing queue (a Redis stream, consumer group "router") and
// applies DecideRouting until the event needs nothing more from the router.
//
// At least once, never twice: an entry is acknowledged (XACK) and deleted only after its
// event has been moved on; a router that dies leaves its entries pending, and they are
// reclaimed (XAUTOCLAIM) by any router after `reclaim_after` idle time. The steps decided
// for an event (accept, dispatch) are committed in one write guarded by the version they
// were decided on, so a redelivered entry finds nothing left to do and a decision made on
// a stale read is refused and made again. Several routers may run side by side.

#include <atomic>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/domain/event_store.h"
#include "common/domain/open_event_index.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_client.h"
#include "common/redis/stream_group_reader.h"

namespace zhiwang::router {

class RouterWorker {
 public:
  struct Options {
    std::string consumer;  // unique per process, e.g. "<host>-<pid>"
    absl::Duration block = absl::Milliseconds(500);
    absl::Duration reclaim_after = absl::Seconds(30);
    int batch = 100;
  };

  // `reader` is a connection used only for blocking reads (XREADGROUP BLOCK); events are
  // read and moved through `store`. Pointers outlive the worker.
  RouterWorker(redis::RedisClient* reader, EventStore* store, const OrgRegistry* orgs,
               const Clock* clock, Options options);
  ~RouterWorker();

  // org (issue 3): fold duplicate reports (docs/routing.md). `open` outlives the worker;
  // null (the default) disables folding. Call before Start().
  void set_open_events(OpenEventIndex* open) { open_ = open; }

  void Start();
  // Stops after the current batch; returns when the thread has exited.
  void Stop();

  // Moves one event on until it needs nothing more from the router; `done(true)` when its
  // queue entry may be acknowledged, `done(false)` to leave it pending for a retry.
  // Asynchronous: `done` runs on a store callback thread.
  void RouteEvent(const std::string& event_id, std::function<void(bool)> done);

 private:
  // Routes a batch of (entry id, event id) concurrently, then acknowledges and deletes the
  // entries that are done, in one XACK and one XDEL.
  void RouteBatch(const std::string& stream,
                  const std::vector<std::pair<std::string, std::string>>& entries);

  class RouteOperation;
  redis::RedisClient* reader_;
  EventStore* store_;
  const OrgRegistry* orgs_;
  const Clock* clock_;
  Options options_;
  OpenEventIndex* open_ = nullptr;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  // Reads the routing queues on the worker thread.
  redis::StreamGroupReader queues_;
};

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_ROUTER_WORKER_H_
