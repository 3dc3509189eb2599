#include "services/console/query_request.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/rpc/convert.h"

namespace zhiwang::console {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

}  // namespace

absl::StatusOr<ResolvedQuery> QueryFromRequest(const v1::ListEventsRequest& req,
                                               const OrgRegistry& orgs) {
  ResolvedQuery out;
  if (req.district_id().empty()) return Bad("district_id", "is required");
  out.district = orgs.Find(req.district_id());
  if (out.district == nullptr) return Bad("district_id", "names no known district");
  EventQuery& q = out.query;
  q.district_id = req.district_id();
  const v1::EventFilter& f = req.filter();
  for (int s : f.states()) {
    if (s <= 0 || s > kMaxEventState)
      return Bad("filter.states", absl::StrCat("unknown state ", s));
    q.states.push_back(static_cast<EventState>(s));
  }
  for (int l : f.lights()) {
    if (l < 0 || l > 3) return Bad("filter.lights", absl::StrCat("unknown light ", l));
    q.lights.push_back(static_cast<Light>(l));
  }
  for (const std::string& c : f.category_codes()) {
    if (out.district->FindCategory(c) == nullptr) {
      return Bad("filter.category_codes", absl::StrCat("unknown category '", c, "'"));
    }
    q.category_codes.push_back(c);
  }
  if (!f.category_major().empty()) {
    q.by_major = true;
    for (const CategoryInfo& c : out.district->org().categories) {
      if (c.major == f.category_major()) q.major_codes.push_back(c.code);
    }
    if (q.major_codes.empty()) {
      return Bad(
          "filter.category_major",
          absl::StrCat("no category of the district has major class '", f.category_major(), "'"));
    }
  }
  if (!f.area_id().empty()) {
    out.filter_area = AreaIndexKind(*out.district, f.area_id());
    if (!out.filter_area && f.area_id() != out.district->id()) {
      return Bad("filter.area_id", absl::StrCat("'", f.area_id(), "' is not an area of district ",
                                                out.district->id()));
    }
    q.area_id = f.area_id();
  }
  q.department_id = f.department_id();
  q.department_ever = f.department_ever();
  if (q.department_ever && q.department_id.empty()) {
    return Bad("filter.department_ever", "needs filter.department_id");
  }
  q.reporter_subject = f.reporter_subject();
  if (f.has_created_from()) q.created_from = FromProto(f.created_from());
  if (f.has_created_to()) q.created_to = FromProto(f.created_to());
  if (f.has_updated_from()) q.updated_from = FromProto(f.updated_from());
  if (f.has_updated_to()) q.updated_to = FromProto(f.updated_to());
  if (q.created_from && q.created_to && *q.created_to < *q.created_from) {
    return Bad("filter.created_to", "is before filter.created_from");
  }
  if (q.updated_from && q.updated_to && *q.updated_to < *q.updated_from) {
    return Bad("filter.updated_to", "is before filter.updated_from");
  }
  if (f.supervised() < 0 || f.supervised() > 2) return Bad("filter.supervised", "out of range");
  if (f.merged() < 0 || f.merged() > 2) return Bad("filter.merged", "out of range");
  q.supervised = static_cast<Tristate>(f.supervised());
  q.merged = static_cast<Tristate>(f.merged());
  switch (req.sort()) {
    case v1::EVENT_SORT_UNSPECIFIED:
    case v1::EVENT_SORT_CREATED_DESC:
      q.sort = SortOrder::kCreatedDesc;
      break;
    case v1::EVENT_SORT_CREATED_ASC:
      q.sort = SortOrder::kCreatedAsc;
      break;
    case v1::EVENT_SORT_DEADLINE_ASC:
      q.sort = SortOrder::kDeadlineAsc;
      break;
    default:
      return Bad("sort", absl::StrCat("unknown sort order ", static_cast<int>(req.sort())));
  }
  return out;
}

AreaIndexes AreasFor(const ResolvedQuery& q, const Identity& who) {
  return AreaIndexes{q.filter_area, AreaIndexKind(*q.district, who.area)};
}

}  // namespace zhiwang::console
