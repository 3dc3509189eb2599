// zw-router: routes new and rejected events (RouterWorker) and serves
// zhiwang.v1.AdminService. Wiring only.
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/router/admin_service.h"
#include "services/router/router_worker.h"

ABSL_FLAG(int, reclaim_after_ms, 30000,
          "idle time after which another router takes over a routing entry");

int main(int argc, char** argv) {
  using namespace zhiwang;
  InitService(argc, argv, "router");
  auto ctx = ServiceContext::Create(RedisOptionsFromFlags());
  if (!ctx.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", ctx.status().ToString()}});
    return 1;
  }
  // Blocking stream reads get their own connection so they never stall the pipeline.
  redis::RedisOptions reader_options = RedisOptionsFromFlags();
  reader_options.command_timeout = absl::Seconds(3);
  reader_options.connections = 1;
  auto reader = redis::RedisClient::Connect(reader_options);
  if (!reader.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", reader.status().ToString()}});
    return 1;
  }
  char host[128] = {0};
  gethostname(host, sizeof host - 1);
  router::RouterWorker::Options options;
  options.consumer = absl::StrCat(host, "-", getpid());
  options.reclaim_after = absl::Milliseconds(absl::GetFlag(FLAGS_reclaim_after_ms));
  router::RouterWorker worker(reader->get(), &(*ctx)->events(), &(*ctx)->orgs(), &(*ctx)->clock(),
                              options);
  worker.Start();
  router::AdminService admin(&(*ctx)->orgs());
  absl::Status s = Serve({&admin}, [&worker] { worker.Stop(); });
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
