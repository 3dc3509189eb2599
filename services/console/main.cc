// zw-console: the dispatch-centre console's API (issue 6). Wiring only.
//
// Serves zhiwang.v1.QueryService (search, event detail, board, CSV export; the query
// engineer). Other console services are registered in the marked block below.
#include <vector>

#include "absl/status/status.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"

int main(int argc, char** argv) {
  using namespace zhiwang;
  InitService(argc, argv, "console");
  auto ctx = ServiceContext::Create(RedisOptionsFromFlags());
  if (!ctx.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", ctx.status().ToString()}});
    return 1;
  }
  std::vector<grpc::Service*> services;
  // ---- query (issue 6): QueryService — registered here once it lands.

  // ---- other console services (feed engineer: FeedService / EvaluationService) ----
  // Construct them above this line's block end and push_back into `services`; stop their
  // background workers in `on_stop`.

  // ---- end of the registration block ----
  absl::Status s = Serve(services, nullptr);
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
