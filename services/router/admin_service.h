#ifndef ZHIWANG_SERVICES_ROUTER_ADMIN_SERVICE_H_
#define ZHIWANG_SERVICES_ROUTER_ADMIN_SERVICE_H_

// gRPC adapter of zhiwang.v1.AdminService: loading and reading a district's
// organisation, categories and routing table. Admins only (PERMISSION_DENIED otherwise).

#include "common/domain/org_registry.h"
#include "zhiwang/v1/admin.grpc.pb.h"

namespace zhiwang::router {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  explicit AdminService(OrgRegistry* orgs) : orgs_(orgs) {}

  // Validates (INVALID_ARGUMENT naming the field and id; nothing written) and publishes.
  grpc::ServerUnaryReactor* LoadDistrict(grpc::CallbackServerContext* ctx,
                                         const v1::LoadDistrictRequest* req,
                                         v1::LoadDistrictResponse* resp) override;
  grpc::ServerUnaryReactor* GetDistrict(grpc::CallbackServerContext* ctx,
                                        const v1::GetDistrictRequest* req,
                                        v1::GetDistrictResponse* resp) override;

 private:
  OrgRegistry* orgs_;
};

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_ADMIN_SERVICE_H_
