#include "services/router/admin_service.h"

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"

namespace zhiwang::router {
namespace {

absl::Status RequireAdmin(const Identity& who) {
  if (who.role == Role::kAdmin) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("role '", RoleName(who.role), "' may not administer districts"));
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::LoadDistrict(grpc::CallbackServerContext* ctx,
                                                     const v1::LoadDistrictRequest* req,
                                                     v1::LoadDistrictResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireAdmin(who); !s.ok()) return finish(s);
    if (!req->has_district()) return finish(absl::InvalidArgumentError("district: is required"));
    // Blocking: loads are rare and small.
    absl::StatusOr<int64_t> version = orgs_->Publish(FromProto(req->district()));
    if (version.ok()) resp->set_version(*version);
    finish(version.status());
  });
}

grpc::ServerUnaryReactor* AdminService::GetDistrict(grpc::CallbackServerContext* ctx,
                                                    const v1::GetDistrictRequest* req,
                                                    v1::GetDistrictResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    // auth (issue 7): district dispatchers read their own district (read-only); any other
    // district is answered like a missing one.
    if (who.role != Role::kDistrictDispatcher) {
      if (absl::Status s = RequireAdmin(who); !s.ok()) return finish(s);
    }
    std::shared_ptr<const District> d = orgs_->Find(req->district_id());
    if (d == nullptr || !CanSeeDistrict(who, *d)) {
      return finish(
          absl::NotFoundError(absl::StrCat("district '", req->district_id(), "' not found")));
    }
    ToProto(d->org(), resp->mutable_district());
    resp->set_version(orgs_->VersionOf(d->id()));
    finish(absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* AdminService::GetOrgFileStatus(grpc::CallbackServerContext* ctx,
                                                         const v1::GetOrgFileStatusRequest* req,
                                                         v1::GetOrgFileStatusResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireAdmin(who); !s.ok()) return finish(s);
    if (watcher_ == nullptr) return finish(absl::OkStatus());
    auto ms = [](absl::Time t) { return t == absl::InfinitePast() ? 0 : absl::ToUnixMillis(t); };
    for (const OrgFileWatcher::FileStatus& f : watcher_->Status()) {
      v1::OrgFileStatus* p = resp->add_files();
      p->set_path(f.path);
      p->set_district_id(f.district_id);
      p->set_loaded_version(f.loaded_version);
      p->set_last_error(f.last_error);
      p->set_loaded_at_unix_ms(ms(f.loaded_at));
      p->set_checked_at_unix_ms(ms(f.checked_at));
    }
    finish(absl::OkStatus());
  });
}

}  // namespace zhiwang::router
