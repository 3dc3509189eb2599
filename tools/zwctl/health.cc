// zwctl health: one grpc.health.v1.Health/Check.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tools/zwctl/zwctl.h"

namespace zhiwang::zwctl {

int RunHealth() {
  const std::string addr = absl::GetFlag(FLAGS_addr);
  if (addr.empty()) {
    std::fprintf(stderr, "zwctl health: --addr=HOST:PORT is required\n");
    return 2;
  }
  auto stub = grpc::health::v1::Health::NewStub(Dial(addr));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  // Health is unauthenticated; no identity header. Fail fast when nothing listens.
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  const grpc::Status s = stub->Check(&ctx, req, &resp);
  if (!s.ok()) {
    if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
      std::printf("SERVICE_UNKNOWN\n");
    } else {
      std::printf("UNREACHABLE\n");
    }
    std::fprintf(stderr, "%s: %s %s\n", addr.c_str(), CodeName(s.error_code()).c_str(),
                 s.error_message().c_str());
    return 1;
  }
  using grpc::health::v1::HealthCheckResponse;
  std::printf("%s\n", HealthCheckResponse::ServingStatus_Name(resp.status()).c_str());
  return resp.status() == HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace zhiwang::zwctl
