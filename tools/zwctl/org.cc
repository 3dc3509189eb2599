// zwctl org validate|load|status (issue 3): organisation files.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "tools/zwctl/zwctl.h"
#include "zhiwang/v1/admin.grpc.pb.h"

namespace zhiwang::zwctl {

int RunOrg(const std::string& sub) {
  if (sub == "validate" || sub == "load") {
    const std::string path = absl::GetFlag(FLAGS_file);
    if (path.empty()) {
      std::fprintf(stderr, "zwctl org %s: --file=PATH is required\n", sub.c_str());
      return 2;
    }
    absl::StatusOr<v1::District> d = ReadDistrict(path);
    if (!d.ok()) {
      std::fprintf(stderr, "%s\n", std::string(d.status().message()).c_str());
      return 1;
    }
    std::printf(
        "%s: valid: district %s %s: %d streets, %d communities, %d grids, %d departments, "
        "%d dispatch centres, %d categories, %d routing rules\n",
        path.c_str(), d->id().c_str(), d->name().c_str(), d->streets_size(), d->communities_size(),
        d->grids_size(), d->departments_size(), d->dispatch_centres_size(), d->categories_size(),
        d->routing_rules_size());
    if (sub == "validate") return 0;
    return RunLoadDistrict();
  }
  if (sub == "status") {
    const std::string admin = absl::GetFlag(FLAGS_admin);
    auto stub = v1::AdminService::NewStub(Dial(admin));
    v1::GetOrgFileStatusResponse resp;
    grpc::ClientContext ctx;
    Prepare(ctx, Identity{"zwctl", "admin", "", ""}, absl::GetFlag(FLAGS_rpc_deadline));
    const grpc::Status s = stub->GetOrgFileStatus(&ctx, {}, &resp);
    if (!s.ok()) {
      std::fprintf(stderr, "zwctl org status: %s: %s\n", admin.c_str(),
                   std::string(RpcStatus("GetOrgFileStatus", s).message()).c_str());
      return 1;
    }
    if (resp.files().empty()) std::printf("no organisation files are watched\n");
    int bad = 0;
    for (const v1::OrgFileStatus& f : resp.files()) {
      std::printf("%s: district %s version %lld%s%s\n", f.path().c_str(),
                  f.district_id().empty() ? "-" : f.district_id().c_str(),
                  static_cast<long long>(f.loaded_version()),
                  f.last_error().empty() ? ", in force" : ", REFUSED: ", f.last_error().c_str());
      if (!f.last_error().empty()) ++bad;
    }
    return bad == 0 ? 0 : 1;
  }
  std::fprintf(stderr, "zwctl org: unknown subcommand '%s' (validate, load, status)\n",
               sub.c_str());
  return 2;
}

}  // namespace zhiwang::zwctl
