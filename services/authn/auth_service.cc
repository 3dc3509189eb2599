#include "services/authn/auth_service.h"

#include "absl/strings/str_cat.h"
#include "common/auth/api_key.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/rpc/status.h"

namespace zhiwang::authn {
namespace {

absl::Status RequireAdmin(const Identity& who) {
  if (who.role == Role::kAdmin) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("role '", RoleName(who.role), "' may not manage api keys"));
}

// The identity the key produces must survive the dev-header syntax (see CallGate).
absl::Status ValidateScopeField(const std::string& value, absl::string_view field, bool required) {
  if (value.empty()) {
    return required ? absl::InvalidArgumentError(absl::StrCat(field, ": is required"))
                    : absl::OkStatus();
  }
  bool ok = value.size() <= 64;
  for (char c : value) {
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                c == '.' || c == '_' || c == '@' || c == '-');
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, ": must be 1..64 of [A-Za-z0-9._@-]"));
}

void ToProto(const ApiKeyRecord& k, v1::ApiKeyInfo* out) {
  out->set_key_id(k.key_id);
  out->set_department_id(k.department_id);
  out->set_area(k.area);
  out->set_label(k.label);
  out->set_created_by(k.created_by);
  *out->mutable_created_at() = zhiwang::ToProto(k.created_at);
  out->set_revoked(k.revoked_at.has_value());
  if (k.revoked_at) *out->mutable_revoked_at() = zhiwang::ToProto(*k.revoked_at);
}

}  // namespace

grpc::ServerUnaryReactor* AuthService::WhoAmI(grpc::CallbackServerContext* ctx,
                                              const v1::WhoAmIRequest* /*req*/,
                                              v1::WhoAmIResponse* resp) {
  return HandleUnary(ctx, [=](const Identity& who, Finish finish) {
    absl::StatusOr<Authenticated> a = AuthenticatedFromMetadata(ctx->client_metadata());
    resp->set_subject(who.subject);
    resp->set_role(static_cast<v1::Role>(who.role));
    resp->set_area(who.area);
    resp->set_department_id(who.department_id);
    resp->set_method(std::string(AuthMethodName(a.ok() ? a->method : AuthMethod::kDevHeader)));
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* AuthService::CreateApiKey(grpc::CallbackServerContext* ctx,
                                                    const v1::CreateApiKeyRequest* req,
                                                    v1::CreateApiKeyResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireAdmin(who); !s.ok()) return finish(s);
    if (absl::Status s = ValidateScopeField(req->department_id(), "department_id", true); !s.ok()) {
      return finish(s);
    }
    if (absl::Status s = ValidateScopeField(req->area(), "area", false); !s.ok()) return finish(s);
    if (req->label().size() > kMaxLabelBytes) {
      return finish(
          absl::InvalidArgumentError(absl::StrCat("label: at most ", kMaxLabelBytes, " bytes")));
    }
    absl::StatusOr<auth::NewApiKey> k = auth::GenerateApiKey();
    if (!k.ok()) return finish(k.status());
    ApiKeyRecord r{.key_id = k->key_id,
                   .salt_hex = k->salt_hex,
                   .hash_hex = k->hash_hex,
                   .department_id = req->department_id(),
                   .area = req->area(),
                   .label = req->label(),
                   .created_by = who.subject,
                   .created_at = clock_->Now()};
    if (absl::Status s = keys_->Create(r); !s.ok()) return finish(s);
    ToProto(r, resp->mutable_key());
    resp->set_api_key(k->presented);
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* AuthService::RevokeApiKey(grpc::CallbackServerContext* ctx,
                                                    const v1::RevokeApiKeyRequest* req,
                                                    v1::ApiKeyInfo* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireAdmin(who); !s.ok()) return finish(s);
    if (!auth::IsApiKeyId(req->key_id())) {
      return finish(absl::InvalidArgumentError("key_id: expected ak_ and 16 hex digits"));
    }
    absl::StatusOr<ApiKeyRecord> k = keys_->Revoke(req->key_id(), clock_->Now());
    if (!k.ok()) return finish(k.status());
    ToProto(*k, resp);
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* AuthService::ListApiKeys(grpc::CallbackServerContext* ctx,
                                                   const v1::ListApiKeysRequest* /*req*/,
                                                   v1::ListApiKeysResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireAdmin(who); !s.ok()) return finish(s);
    absl::StatusOr<std::vector<ApiKeyRecord>> keys = keys_->List();
    if (!keys.ok()) return finish(keys.status());
    for (const ApiKeyRecord& k : *keys) ToProto(k, resp->add_keys());
    finish(absl::OkStatus());
  });
}

}  // namespace zhiwang::authn
