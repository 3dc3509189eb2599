#ifndef ZHIWANG_SERVICES_CONSOLE_QUERY_REQUEST_H_
#define ZHIWANG_SERVICES_CONSOLE_QUERY_REQUEST_H_

// zhiwang.v1.ListEventsRequest → EventQuery, validated against the district's
// organisation (adapter layer: protobuf in, domain out). INVALID_ARGUMENT names the field:
// district_id (empty or unknown), filter.states / filter.lights / sort (out of range),
// filter.category_codes / filter.category_major / filter.area_id (not in the district),
// filter.department_ever (without department_id), filter.created_to / filter.updated_to
// (before the start).

#include "absl/status/statusor.h"
#include "common/domain/org_registry.h"
#include "services/console/event_query.h"
#include "services/console/query_plan.h"
#include "zhiwang/v1/console.pb.h"

namespace zhiwang::console {

struct ResolvedQuery {
  EventQuery query;
  std::shared_ptr<const District> district;
  std::optional<QueryIndexKind> filter_area;
};

absl::StatusOr<ResolvedQuery> QueryFromRequest(const v1::ListEventsRequest& req,
                                               const OrgRegistry& orgs);

// The caller's area kind in `district` (for scope-driven plans).
AreaIndexes AreasFor(const ResolvedQuery& q, const Identity& who);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_QUERY_REQUEST_H_
