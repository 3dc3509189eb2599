#ifndef ZHIWANG_SERVICES_AUTHN_AUTH_SERVICE_H_
#define ZHIWANG_SERVICES_AUTHN_AUTH_SERVICE_H_

// gRPC adapter of zhiwang.v1.AuthService (issue 7): WhoAmI for any authenticated caller;
// CreateApiKey / RevokeApiKey / ListApiKeys for admins only (PERMISSION_DENIED otherwise).
// Served by zw-router.

#include "common/base/clock.h"
#include "common/rpc/api_key_store.h"
#include "zhiwang/v1/auth.grpc.pb.h"

namespace zhiwang::authn {

// Longest API key label (bytes).
inline constexpr size_t kMaxLabelBytes = 200;

class AuthService final : public v1::AuthService::CallbackService {
 public:
  AuthService(ApiKeyStore* keys, const Clock* clock) : keys_(keys), clock_(clock) {}

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* ctx, const v1::WhoAmIRequest* req,
                                   v1::WhoAmIResponse* resp) override;
  // INVALID_ARGUMENT naming department_id (required, 1..64 of [A-Za-z0-9._@-]), area (same
  // characters, optional) or label (at most kMaxLabelBytes).
  grpc::ServerUnaryReactor* CreateApiKey(grpc::CallbackServerContext* ctx,
                                         const v1::CreateApiKeyRequest* req,
                                         v1::CreateApiKeyResponse* resp) override;
  // INVALID_ARGUMENT naming key_id when malformed; NOT_FOUND when unknown.
  grpc::ServerUnaryReactor* RevokeApiKey(grpc::CallbackServerContext* ctx,
                                         const v1::RevokeApiKeyRequest* req,
                                         v1::ApiKeyInfo* resp) override;
  grpc::ServerUnaryReactor* ListApiKeys(grpc::CallbackServerContext* ctx,
                                        const v1::ListApiKeysRequest* req,
                                        v1::ListApiKeysResponse* resp) override;

 private:
  ApiKeyStore* keys_;
  const Clock* clock_;
};

}  // namespace zhiwang::authn

#endif  // ZHIWANG_SERVICES_AUTHN_AUTH_SERVICE_H_
