// zw-console: the dispatch-centre console's API (issue 6). Wiring only.
//
// Serves zhiwang.v1.QueryService (search, event detail, board, CSV export; the query
// engineer). Other console services are registered in the marked block below.
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "common/redis/redis_change_feed.h"  // feed
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/console/evaluation_service.h"  // feed
#include "services/console/feed_service.h"        // feed
#include "services/console/query_service.h"
#include "services/console/redis_evaluation_source.h"  // feed
#include "services/console/redis_query_store.h"
#include "services/sla/sla_config_loader.h"  // feed

// feed (issue 6): WatchEvents (docs/console.md, "Feed").
ABSL_FLAG(int, feed_batch, 100, "change-feed entries a WatchEvents stream reads at a time");
ABSL_FLAG(absl::Duration, feed_poll, absl::Milliseconds(100),
          "how often an idle WatchEvents stream looks for new changes");
// feed (issue 6): EvaluationService (docs/evaluation.md).
ABSL_FLAG(std::vector<std::string>, sla_policies, {},
          "SLA policy files (deploy/sla) the evaluation replays timelines with");
ABSL_FLAG(int, evaluation_threads, 2, "threads computing evaluations");

int main(int argc, char** argv) {
  using namespace zhiwang;
  InitService(argc, argv, "console");
  auto ctx = ServiceContext::Create(RedisOptionsFromFlags());
  if (!ctx.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", ctx.status().ToString()}});
    return 1;
  }
  std::vector<grpc::Service*> services;
  // ---- query (issue 6): QueryService.
  console::RedisQueryStore queries(&(*ctx)->redis());
  console::QueryService query_service(&(*ctx)->events(), &queries, &(*ctx)->orgs(),
                                      &(*ctx)->clock());
  services.push_back(&query_service);

  // ---- other console services (feed engineer: FeedService / EvaluationService) ----
  // Construct them above this line's block end and push_back into `services`; stop their
  // background workers in `on_stop`.
  // feed (issue 6): the live feed (docs/console.md, "Feed").
  redis::RedisChangeFeed change_feed(&(*ctx)->redis());
  console::FeedService feed(
      &change_feed, &(*ctx)->events(), &(*ctx)->orgs(),
      {.batch = absl::GetFlag(FLAGS_feed_batch), .poll = absl::GetFlag(FLAGS_feed_poll)});
  services.push_back(&feed);
  // feed (issue 6): the evaluation RPC (docs/evaluation.md); figures need the SLA policies.
  sla::SlaConfig sla_config;
  std::map<std::string, std::vector<v1::BusinessCalendarYear>> sla_years;
  if (absl::Status s =
          sla::LoadSlaConfig(absl::GetFlag(FLAGS_sla_policies), {}, &sla_config, &sla_years);
      !s.ok()) {
    Log(LogLevel::kError, "cannot load SLA policies", {{"error", s.ToString()}});
    return 1;
  }
  console::RedisEvaluationSource evaluation_source(&(*ctx)->redis());
  console::EvaluationRunner evaluation_runner(
      &evaluation_source, &sla_config,
      console::SlaConfigFingerprint(absl::GetFlag(FLAGS_sla_policies), sla_years), &(*ctx)->clock(),
      {.threads = absl::GetFlag(FLAGS_evaluation_threads)});
  console::EvaluationService evaluation(&evaluation_runner, &(*ctx)->orgs());
  services.push_back(&evaluation);

  // ---- end of the registration block ----
  absl::Status s = Serve(services, nullptr);
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
