// zw-dispatch: serves zhiwang.v1.DispatchService. Wiring only.
#include "absl/status/status.h"
#include "common/rpc/log.h"
#include "common/rpc/server_runner.h"
#include "common/rpc/service_context.h"
#include "services/dispatch/dispatch_service.h"

int main(int argc, char** argv) {
  using namespace zhiwang;
  InitService(argc, argv, "dispatch");
  auto ctx = ServiceContext::Create(RedisOptionsFromFlags());
  if (!ctx.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", ctx.status().ToString()}});
    return 1;
  }
  dispatch::DispatchService service(&(*ctx)->commands(), &(*ctx)->events(), &(*ctx)->orgs());
  absl::Status s = Serve({&service}, nullptr);
  if (!s.ok()) {
    Log(LogLevel::kError, "serve failed", {{"error", s.ToString()}});
    return 1;
  }
  return 0;
}
