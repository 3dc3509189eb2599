#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_SERVICE_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_SERVICE_H_

// feed (issue 6): zhiwang.v1.EvaluationService, the gRPC adapter of the evaluation: checks
// the caller and the request, runs the EvaluationRunner, converts the figures. Who may
// see what (docs/evaluation.md, "Who may see what"):
//   admin, auditor ........................ the whole district;
//   leader, district / street dispatcher .. the events of their area only: their area is
//     the district → the whole district; a street, community or grid of it → every figure
//     is computed over the events inside that area (so no group's row shows work outside
//     it); an area outside the district → PERMISSION_DENIED;
//   any other role ........................ PERMISSION_DENIED.

#include "common/domain/org_registry.h"
#include "services/console/evaluation_runner.h"
#include "zhiwang/v1/evaluation.grpc.pb.h"

namespace zhiwang::console {

class EvaluationService final : public v1::EvaluationService::CallbackService {
 public:
  // Pointers outlive the service.
  EvaluationService(EvaluationRunner* runner, const OrgRegistry* orgs)
      : runner_(runner), orgs_(orgs) {}

  grpc::ServerUnaryReactor* Evaluate(grpc::CallbackServerContext* ctx,
                                     const v1::EvaluateRequest* req,
                                     v1::EvaluateResponse* resp) override;
  grpc::ServerUnaryReactor* ExportEvaluationCsv(grpc::CallbackServerContext* ctx,
                                                const v1::EvaluateRequest* req,
                                                v1::EvaluationCsvFile* resp) override;

 private:
  // The query for `req` by `who`: INVALID_ARGUMENT naming the field, PERMISSION_DENIED,
  // NOT_FOUND for a district without SLA policies.
  absl::StatusOr<EvaluationQuery> QueryFor(const Identity& who, const v1::EvaluateRequest& req);

  EvaluationRunner* runner_;
  const OrgRegistry* orgs_;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_SERVICE_H_
