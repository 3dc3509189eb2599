// zwctl apikey create|revoke|list (issue 7): API keys for department systems, through
// zhiwang.v1.AuthService on zw-router (--admin), as an admin.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "tools/zwctl/zwctl.h"
#include "zhiwang/v1/auth.grpc.pb.h"

ABSL_FLAG(std::string, key_department, "", "apikey create: the department the key acts for");
ABSL_FLAG(std::string, key_area, "", "apikey create: the key's area scope (optional)");
ABSL_FLAG(std::string, key_label, "", "apikey create: a note on who uses the key");
ABSL_FLAG(std::string, key_id, "", "apikey revoke: the key id (ak_...)");

namespace zhiwang::zwctl {
namespace {

std::string Describe(const v1::ApiKeyInfo& k) {
  std::string when = absl::FormatTime(
      "%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(k.created_at().seconds()), absl::LocalTimeZone());
  return k.key_id() + "  department=" + k.department_id() + "  area=" + k.area() +
         "  created=" + when + " by " + k.created_by() + (k.revoked() ? "  REVOKED" : "") +
         (k.label().empty() ? "" : "  label=" + k.label());
}

int Fail(const char* rpc, const grpc::Status& s) {
  std::fprintf(stderr, "zwctl apikey: %s\n", std::string(RpcStatus(rpc, s).message()).c_str());
  return 1;
}

}  // namespace

int RunApiKey(const std::string& sub) {
  auto stub = v1::AuthService::NewStub(Dial(absl::GetFlag(FLAGS_admin)));
  grpc::ClientContext ctx;
  Prepare(ctx, Identity{"zwctl", "admin", "", ""}, absl::GetFlag(FLAGS_rpc_deadline));
  if (sub == "create") {
    v1::CreateApiKeyRequest req;
    req.set_department_id(absl::GetFlag(FLAGS_key_department));
    req.set_area(absl::GetFlag(FLAGS_key_area));
    req.set_label(absl::GetFlag(FLAGS_key_label));
    v1::CreateApiKeyResponse resp;
    grpc::Status s = stub->CreateApiKey(&ctx, req, &resp);
    if (!s.ok()) return Fail("CreateApiKey", s);
    std::fprintf(stderr, "created %s (the key below is shown only once)\n",
                 Describe(resp.key()).c_str());
    std::printf("%s\n", resp.api_key().c_str());
    return 0;
  }
  if (sub == "revoke") {
    v1::RevokeApiKeyRequest req;
    req.set_key_id(absl::GetFlag(FLAGS_key_id));
    v1::ApiKeyInfo resp;
    grpc::Status s = stub->RevokeApiKey(&ctx, req, &resp);
    if (!s.ok()) return Fail("RevokeApiKey", s);
    std::printf("%s\n", Describe(resp).c_str());
    return 0;
  }
  if (sub == "list") {
    v1::ListApiKeysResponse resp;
    grpc::Status s = stub->ListApiKeys(&ctx, {}, &resp);
    if (!s.ok()) return Fail("ListApiKeys", s);
    for (const v1::ApiKeyInfo& k : resp.keys()) std::printf("%s\n", Describe(k).c_str());
    return 0;
  }
  std::fprintf(stderr, "zwctl apikey: unknown subcommand '%s' (create, revoke, list)\n",
               sub.c_str());
  return 2;
}

}  // namespace zhiwang::zwctl
