#ifndef ZHIWANG_SERVICES_ROUTER_ADMIN_SERVICE_H_
#define ZHIWANG_SERVICES_ROUTER_ADMIN_SERVICE_H_

// gRPC adapter of zhiwang.v1.AdminService: loading and reading a district's
// organisation, categories and routing table. Admins only (PERMISSION_DENIED otherwise),
// except GetDistrict, which a district dispatcher may also call for their own district
// (auth, issue 7: read-only; another district is NOT_FOUND like a missing one).

#include "common/domain/org_registry.h"
#include "services/router/org_file_watcher.h"
#include "zhiwang/v1/admin.grpc.pb.h"

namespace zhiwang::router {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // `watcher` (org, issue 3) may be null: no files are watched.
  explicit AdminService(OrgRegistry* orgs, const OrgFileWatcher* watcher = nullptr)
      : orgs_(orgs), watcher_(watcher) {}

  // Validates (INVALID_ARGUMENT naming the field and id; nothing written) and publishes.
  grpc::ServerUnaryReactor* LoadDistrict(grpc::CallbackServerContext* ctx,
                                         const v1::LoadDistrictRequest* req,
                                         v1::LoadDistrictResponse* resp) override;
  grpc::ServerUnaryReactor* GetDistrict(grpc::CallbackServerContext* ctx,
                                        const v1::GetDistrictRequest* req,
                                        v1::GetDistrictResponse* resp) override;
  // org (issue 3): the watched organisation files and why a change was refused.
  grpc::ServerUnaryReactor* GetOrgFileStatus(grpc::CallbackServerContext* ctx,
                                             const v1::GetOrgFileStatusRequest* req,
                                             v1::GetOrgFileStatusResponse* resp) override;

 private:
  OrgRegistry* orgs_;
  const OrgFileWatcher* watcher_;
};

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_ADMIN_SERVICE_H_
