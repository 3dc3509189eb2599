// zw-dispatch: serves zhiwang.v1.DispatchService. Wiring only.
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "common/redis/redis_assignment_queue.h"
#include "common/redis/redis_webhook_store.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/dispatch/dispatch_service.h"
#include "services/dispatch/queue_janitor.h"
#include "services/dispatch/webhook_courier.h"
#include "services/sla/extension_guard.h"    // sla
#include "services/sla/sla_config_loader.h"  // sla

// sla: the SLA policies whose limit on extensions is enforced before an approval commits.
ABSL_FLAG(std::vector<std::string>, sla_policies, {},
          "SLA policy files (deploy/sla); their extension limits are enforced on approval");

// dq (issue 5): the dispatch queue (docs/dispatch-queue.md).
ABSL_FLAG(int, dq_max_unacked, 1000, "per-department cap on unacknowledged deliveries");
ABSL_FLAG(absl::Duration, dq_redeliver_after, absl::Seconds(30),
          "idle time after which an unacknowledged delivery is delivered again");
ABSL_FLAG(absl::Duration, dq_trim_every, absl::Seconds(60),
          "how often every department queue is trimmed of acknowledged entries");
ABSL_FLAG(int64_t, dq_keep_unconsumed, 10000,
          "entries kept in a queue no consumer group reads (console-only departments)");
ABSL_FLAG(bool, dq_webhooks, true, "run the webhook courier in this process");
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
  // sla: refuse APPROVE_EXTENSION beyond the SLA policy's limit, before it commits.
  sla::SlaConfig sla_config;
  if (absl::Status s =
          sla::LoadSlaConfig(absl::GetFlag(FLAGS_sla_policies), {}, &sla_config, nullptr);
      !s.ok()) {
    Log(LogLevel::kError, "cannot load SLA policies", {{"error", s.ToString()}});
    return 1;
  }
  sla::ExtensionGuard extension_guard(&sla_config);
  (*ctx)->commands().set_guard(&extension_guard);
  dispatch::DispatchService service(&(*ctx)->commands(), &(*ctx)->events(), &(*ctx)->orgs());
  redis::RedisAssignmentQueue queue(&(*ctx)->redis());
  service.EnableQueue(&queue, {.max_unacked = absl::GetFlag(FLAGS_dq_max_unacked),
                               .redeliver_after = absl::GetFlag(FLAGS_dq_redeliver_after),
                               .poll = absl::GetFlag(FLAGS_dq_poll)});
  redis::RedisWebhookStore webhooks(&(*ctx)->redis());
  service.EnableWebhooks(&webhooks);
  dispatch::WebhookCourier courier(&queue, &(*ctx)->events(), &webhooks,
                                   {.redeliver_after = absl::GetFlag(FLAGS_dq_redeliver_after),
                                    .max_unacked = absl::GetFlag(FLAGS_dq_max_unacked)});
  if (absl::GetFlag(FLAGS_dq_webhooks)) courier.Start();
  dispatch::QueueJanitor janitor(&queue, &(*ctx)->orgs(), absl::GetFlag(FLAGS_dq_keep_unconsumed));
  janitor.Start(absl::GetFlag(FLAGS_dq_trim_every));
  absl::Status s = Serve({&service}, nullptr);
  janitor.Stop();
  courier.Stop();
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
