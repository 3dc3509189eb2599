// zw-dispatch: serves zhiwang.v1.DispatchService. Wiring only.
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "common/redis/redis_assignment_queue.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/dispatch/dispatch_service.h"

// dq (issue 5): the dispatch queue (docs/dispatch-queue.md).
ABSL_FLAG(int, dq_max_unacked, 1000, "per-department cap on unacknowledged deliveries");
ABSL_FLAG(absl::Duration, dq_redeliver_after, absl::Seconds(30),
          "idle time after which an unacknowledged delivery is delivered again");
ABSL_FLAG(absl::Duration, dq_poll, absl::Milliseconds(20),
          "how often an idle WatchAssignments stream looks for new entries");

int main(int argc, char** argv) {
  using namespace zhiwang;
  InitService(argc, argv, "dispatch");
  auto ctx = ServiceContext::Create(RedisOptionsFromFlags());
  if (!ctx.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", ctx.status().ToString()}});
    return 1;
  }
  dispatch::DispatchService service(&(*ctx)->commands(), &(*ctx)->events(), &(*ctx)->orgs());
  redis::RedisAssignmentQueue queue(&(*ctx)->redis());
  service.EnableQueue(&queue, {.max_unacked = absl::GetFlag(FLAGS_dq_max_unacked),
                               .redeliver_after = absl::GetFlag(FLAGS_dq_redeliver_after),
                               .poll = absl::GetFlag(FLAGS_dq_poll)});
  absl::Status s = Serve({&service}, nullptr);
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
