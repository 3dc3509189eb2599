#include "services/authn/audit_service.h"

#include "absl/strings/str_cat.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"

namespace zhiwang::authn {
namespace {

absl::Status RequireAuditor(const Identity& who) {
  if (who.role == Role::kAuditor || who.role == Role::kAdmin) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("role '", RoleName(who.role), "' may not read the audit trail"));
}

absl::StatusOr<AuditQuery> QueryFrom(const v1::ListAuditRequest& req) {
  AuditQuery q;
  if (req.subject().size() > 128) return absl::InvalidArgumentError("subject: at most 128 bytes");
  if (req.object().size() > 128) return absl::InvalidArgumentError("object: at most 128 bytes");
  q.subject = req.subject();
  q.object = req.object();
  if (req.has_since()) q.since = FromProto(req.since());
  if (req.has_until()) q.until = FromProto(req.until());
  if (q.since && q.until && *q.until <= *q.since) {
    return absl::InvalidArgumentError("until: must be after since");
  }
  if (req.decision() == v1::AUDIT_DECISION_ALLOWED) q.allowed = true;
  if (req.decision() == v1::AUDIT_DECISION_DENIED) q.allowed = false;
  if (req.page_size() < 0 || req.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: must be 0..", kMaxPageSize));
  }
  q.page_size = req.page_size() == 0 ? kDefaultPageSize : req.page_size();
  q.page_token = req.page_token();
  return q;
}

}  // namespace

grpc::ServerUnaryReactor* AuditService::ListAudit(grpc::CallbackServerContext* ctx,
                                                  const v1::ListAuditRequest* req,
                                                  v1::ListAuditResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (absl::Status s = RequireAuditor(who); !s.ok()) return finish(s);
    absl::StatusOr<AuditQuery> q = QueryFrom(*req);
    if (!q.ok()) return finish(q.status());
    absl::StatusOr<AuditPage> page = log_->List(*q);
    if (!page.ok()) return finish(page.status());
    for (const AuditRecord& r : page->entries) {
      v1::AuditEntry* e = resp->add_entries();
      e->set_id(r.id);
      *e->mutable_at() = ToProto(r.at);
      e->set_subject(r.subject);
      e->set_role(static_cast<v1::Role>(r.role));
      e->set_department_id(r.department_id);
      e->set_action(r.action);
      e->set_object(r.object);
      e->set_decision(r.allowed ? v1::AUDIT_DECISION_ALLOWED : v1::AUDIT_DECISION_DENIED);
      e->set_status_code(r.code);
      e->set_peer(r.peer);
      e->set_district_id(r.district_id);
      e->set_version(r.version);
    }
    resp->set_next_page_token(page->next_page_token);
    finish(absl::OkStatus());
  });
}

}  // namespace zhiwang::authn
