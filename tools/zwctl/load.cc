// zwctl load-district: parse a text-format District and load it through AdminService.
#include <cstdio>

#include "absl/flags/flag.h"
#include "tools/zwctl/zwctl.h"
#include "zhiwang/v1/admin.grpc.pb.h"

namespace zhiwang::zwctl {

int RunLoadDistrict() {
  const std::string path = absl::GetFlag(FLAGS_file);
  if (path.empty()) {
    std::fprintf(stderr, "zwctl load-district: --file=PATH is required\n");
    return 2;
  }
  absl::StatusOr<v1::District> district = ReadDistrict(path);
  if (!district.ok()) {
    std::fprintf(stderr, "zwctl load-district: %s\n",
                 std::string(district.status().message()).c_str());
    return 1;
  }
  const v1::District& d = *district;
  std::printf(
      "district %s %s: %d streets, %d communities, %d grids, %d departments, "
      "%d categories, %d routing rules\n",
      d.id().c_str(), d.name().c_str(), d.streets_size(), d.communities_size(), d.grids_size(),
      d.departments_size(), d.categories_size(), d.routing_rules_size());
  if (absl::GetFlag(FLAGS_dry_run)) return 0;

  const std::string admin = absl::GetFlag(FLAGS_admin);
  auto stub = v1::AdminService::NewStub(Dial(admin));
  v1::LoadDistrictRequest req;
  *req.mutable_district() = d;
  v1::LoadDistrictResponse resp;
  grpc::ClientContext ctx;
  Prepare(ctx, Identity{"zwctl", "admin", d.id(), ""}, absl::GetFlag(FLAGS_rpc_deadline));
  const grpc::Status s = stub->LoadDistrict(&ctx, req, &resp);
  if (!s.ok()) {
    std::fprintf(stderr, "zwctl load-district: %s: %s\n", admin.c_str(),
                 std::string(RpcStatus("LoadDistrict", s).message()).c_str());
    return 1;
  }
  std::printf("loaded district %s, version %lld\n", d.id().c_str(),
              static_cast<long long>(resp.version()));
  return 0;
}

}  // namespace zhiwang::zwctl
