// zw-sla: keeps every event's stage clock from the change feed, fires the escalation
// ladder exactly once (SlaWorker) and serves zhiwang.v1.SlaService. Wiring only.
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/sla/redis_sla_store.h"
#include "services/sla/sla_config_loader.h"
#include "services/sla/sla_service.h"
#include "services/sla/sla_worker.h"

ABSL_FLAG(std::vector<std::string>, sla_policies, {},
          "policy files (zhiwang.v1.SlaPolicySet text); one per district, or one with no "
          "district_id for every district");
ABSL_FLAG(std::vector<std::string>, sla_calendars, {},
          "calendar year files for policy files that name none");
ABSL_FLAG(std::vector<std::string>, sla_districts, {},
          "districts to serve (default: every district of the organisation registry)");
ABSL_FLAG(int, sla_reclaim_after_ms, 5000,
          "idle time after which another replica takes over a change-feed entry");
// feed (issue 6): docs/console.md.
ABSL_FLAG(absl::Duration, feed_retention, absl::Hours(72),
          "change-feed history kept for consoles' WatchEvents cursors, whatever the consumer "
          "groups acknowledged; an older cursor is answered OUT_OF_RANGE");
ABSL_FLAG(int, sla_tick_ms, 50, "how often due timers are taken");
ABSL_FLAG(int, sla_fire_batch, 500, "timers taken per atomic pop");

int main(int argc, char** argv) {
  using namespace zhiwang;
  InitService(argc, argv, "sla");
  sla::SlaConfig config;
  std::map<std::string, std::vector<v1::BusinessCalendarYear>> calendars;
  if (absl::Status s = sla::LoadSlaConfig(absl::GetFlag(FLAGS_sla_policies),
                                          absl::GetFlag(FLAGS_sla_calendars), &config, &calendars);
      !s.ok()) {
    Log(LogLevel::kError, "cannot load SLA policies", {{"error", s.ToString()}});
    return 1;
  }
  for (const auto& [district, years] : calendars) {
    for (const v1::BusinessCalendarYear& y : years) {
      if (y.provisional()) {
        Log(LogLevel::kWarning, "provisional calendar loaded",
            {{"district", district}, {"calendar", y.id()}});
      }
    }
  }
  auto ctx = ServiceContext::Create(RedisOptionsFromFlags());
  if (!ctx.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", ctx.status().ToString()}});
    return 1;
  }
  redis::RedisOptions reader_options = RedisOptionsFromFlags();
  reader_options.command_timeout = absl::Seconds(3);
  reader_options.connections = 1;
  auto reader = redis::RedisClient::Connect(reader_options);
  if (!reader.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", reader.status().ToString()}});
    return 1;
  }
  sla::RedisSlaStore store(&(*ctx)->redis());
  sla::SlaEngine engine(&store, &config);
  char host[128] = {0};
  gethostname(host, sizeof host - 1);
  sla::SlaWorker::Options options;
  options.consumer = absl::StrCat(host, "-", getpid());
  options.districts = absl::GetFlag(FLAGS_sla_districts);
  options.reclaim_after = absl::Milliseconds(absl::GetFlag(FLAGS_sla_reclaim_after_ms));
  options.tick = absl::Milliseconds(absl::GetFlag(FLAGS_sla_tick_ms));
  options.feed_retention = absl::GetFlag(FLAGS_feed_retention);  // feed
  options.fire_batch = absl::GetFlag(FLAGS_sla_fire_batch);
  sla::SlaWorker worker(reader->get(), &(*ctx)->events(), &engine, &(*ctx)->orgs(),
                        &(*ctx)->clock(), options);
  worker.Start();
  sla::SlaService service(&engine, &(*ctx)->clock(), std::move(calendars), &(*ctx)->events(),
                          &(*ctx)->orgs());
  absl::Status s = Serve({&service}, [&worker] { worker.Stop(); });
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
