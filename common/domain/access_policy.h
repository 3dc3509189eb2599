#ifndef ZHIWANG_COMMON_DOMAIN_ACCESS_POLICY_H_
#define ZHIWANG_COMMON_DOMAIN_ACCESS_POLICY_H_

// Authorisation scope (issue 7): which events, grids, districts and triage centres a caller
// may see or act on. Pure domain: every handler asks these functions and never decides
// itself, so lists, streams, single reads and mutations cannot disagree.
//
// Out-of-scope objects are answered exactly like missing ones (NOT_FOUND with the same
// message) and filtered out of lists and streams; see docs/auth.md "Authorisation".
//
// Areas. An identity's `area` is ONE organisation id: a district, street, community or
// grid. It covers itself and everything below it. A grid worker who walks several grids is
// given their community as area (a community's grids are the natural unit of one worker
// team); one grid as area means that grid only.
//
// Event scope by role (CanSeeEvent):
//   admin, auditor, system ........ every event
//   leader, district dispatcher,
//   street dispatcher, community staff: events whose district, street, community, reported
//                                    grid or located grid is their area
//   grid worker .................... the events they reported themselves
//   department operator / system .. events their department holds, assists on, or held
//                                    before (department_history, rejected_by)
//   unspecified .................... nothing
// Acting on an event needs the same scope (then the lifecycle table decides the action).

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/domain/event.h"
#include "common/domain/organisation.h"

namespace zhiwang {

// True when `area` names the event's district, street, community, reported grid or located
// grid. An empty area contains nothing.
bool AreaContainsEvent(absl::string_view area, const Event& event);

// True when `area` is `grid_id` or names the district, street or community of `place` (the
// grid's position). An empty area contains nothing.
bool AreaContainsGrid(absl::string_view area, absl::string_view grid_id, const GridPlace& place);

// True when `who` may read `event` (and so attempt actions on it).
bool CanSeeEvent(const Identity& who, const Event& event);

// May `who` report an event located in `grid_id` (at `place`) of `district`? OK, or
// PERMISSION_DENIED naming location.grid_id. Grid workers, community staff and dispatchers
// report inside their area; a department system inside its own department's district.
// (Which roles may report at all is BuildReportedEvent's rule.)
absl::Status CheckReportScope(const Identity& who, const District& district,
                              absl::string_view grid_id, const GridPlace& place);

// True when `who` may read district-wide data of `district` (calendar, organisation).
// Admin, auditor, system: every district. Area roles: the district that contains their
// area. Department roles: their department's district.
bool CanSeeDistrict(const Identity& who, const District& district);

// True when `who` may work the triage queue of centre `centre_id` of `district`: a district
// dispatcher every centre of their district, a street dispatcher only their street's centre.
bool CanUseTriageCentre(const Identity& who, const District& district, absl::string_view centre_id);

// True when `area` is the district itself or one of its streets, communities or grids.
bool DistrictContainsArea(const District& district, absl::string_view area);

// True when `who` may use the work queue (assignments, deliveries, acknowledgements) of
// `department_id`, a department of `district`: the department's own roles, a district
// dispatcher of that district, a street dispatcher for the street-level departments of
// their street, an admin. Everyone else: false (answer NOT_FOUND, as for an unknown one).
bool CanUseDepartmentQueue(const Identity& who, const District& district,
                           absl::string_view department_id);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_ACCESS_POLICY_H_
