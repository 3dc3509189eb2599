#ifndef ZHIWANG_SERVICES_AUTHN_AUDIT_SERVICE_H_
#define ZHIWANG_SERVICES_AUTHN_AUDIT_SERVICE_H_

// gRPC adapter of zhiwang.v1.AuditService (issue 7): reading the audit trail. Auditors and
// admins only (PERMISSION_DENIED otherwise). There is deliberately no RPC that edits or
// deletes entries. Served by zw-router.

#include "common/rpc/audit_log.h"
#include "zhiwang/v1/auth.grpc.pb.h"

namespace zhiwang::authn {

class AuditService final : public v1::AuditService::CallbackService {
 public:
  explicit AuditService(AuditLog* log) : log_(log) {}

  // INVALID_ARGUMENT naming page_size (0..100), page_token, since/until (until <= since)
  // or subject/object (at most 128 bytes).
  grpc::ServerUnaryReactor* ListAudit(grpc::CallbackServerContext* ctx,
                                      const v1::ListAuditRequest* req,
                                      v1::ListAuditResponse* resp) override;

 private:
  AuditLog* log_;
};

}  // namespace zhiwang::authn

#endif  // ZHIWANG_SERVICES_AUTHN_AUDIT_SERVICE_H_
