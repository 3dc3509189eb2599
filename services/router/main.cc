// zw-router: routes new and rejected events (RouterWorker) and serves
// zhiwang.v1.AdminService; authn (issue 7): also AuthService and AuditService, and audits
// event transitions from the change feeds (AuditFeedWorker). Wiring only.
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/redis/redis_open_event_index.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/authn/audit_feed_worker.h"
#include "services/authn/audit_service.h"
#include "services/authn/auth_service.h"
#include "services/router/admin_service.h"
#include "services/router/router_worker.h"
#include "services/router/triage_service.h"

ABSL_FLAG(int, reclaim_after_ms, 30000,
          "idle time after which another router takes over a routing entry");
// ---- org (issue 3): hot reload of organisation files.
ABSL_FLAG(std::vector<std::string>, org_file, {},
          "organisation files (text-format zhiwang.v1.District) to load and watch");
ABSL_FLAG(std::string, org_dir, "", "a directory whose *.textpb organisation files are watched");
ABSL_FLAG(int, org_poll_ms, 1000, "how often watched organisation files are checked (100..60000)");

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
  // org (issue 3): open events by place, for folding duplicate reports.
  redis::RedisOpenEventIndex open_events(&(*ctx)->redis());
  router::RouterWorker worker(reader->get(), &(*ctx)->events(), &(*ctx)->orgs(), &(*ctx)->clock(),
                              options);
  worker.set_open_events(&open_events);
  worker.Start();
  router::OrgFileWatcher::Options watch;
  watch.files = absl::GetFlag(FLAGS_org_file);
  watch.dir = absl::GetFlag(FLAGS_org_dir);
  watch.poll = absl::Milliseconds(absl::GetFlag(FLAGS_org_poll_ms));
  router::OrgFileWatcher watcher(&(*ctx)->orgs(), &(*ctx)->clock(), watch);
  const bool watching = !watch.files.empty() || !watch.dir.empty();
  if (watching) watcher.Start();
  router::AdminService admin(&(*ctx)->orgs(), watching ? &watcher : nullptr);
  router::TriageService triage(&(*ctx)->orgs(), &(*ctx)->events(), &(*ctx)->commands());
  // authn (issue 7): API keys, the audit trail and the feed-to-audit worker (its blocking
  // group reads get their own connection, like the router's).
  auto audit_reader = redis::RedisClient::Connect(reader_options);
  if (!audit_reader.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", audit_reader.status().ToString()}});
    return 1;
  }
  ApiKeyStore api_keys(&(*ctx)->redis());
  AuditLog audit_log(&(*ctx)->redis(), absl::GetFlag(FLAGS_audit_max_entries));
  authn::AuthService auth(&api_keys, &(*ctx)->clock());
  authn::AuditService audit(&audit_log);
  authn::AuditFeedWorker audit_feed(
      audit_reader->get(), &(*ctx)->redis(), &audit_log, &(*ctx)->orgs(), &(*ctx)->clock(),
      {.consumer = options.consumer, .reclaim_after = options.reclaim_after});
  audit_feed.Start();
  absl::Status s = Serve({&admin, &triage, &auth, &audit}, [&worker, &watcher, &audit_feed] {
    worker.Stop();
    watcher.Stop();
    audit_feed.Stop();
  });
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
