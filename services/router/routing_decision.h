#ifndef ZHIWANG_SERVICES_ROUTER_ROUTING_DECISION_H_
#define ZHIWANG_SERVICES_ROUTER_ROUTING_DECISION_H_

// What the router does with an event in front of it. Pure.
//
//   reported            → accept (立案) when its district is known
//   accepted / rejected → (waiting in a triage queue already: nothing)
//                         rejected max_rejections times or more → triage (reason
//                           "adjudication") at the dispatch centre: a dispatcher decides,
//                           and that assignment is binding;
//                         a rule routes it (RouteByRules) → dispatch, with the explanation;
//                         no rule, or every department excluded → triage ("no_rule")
//   any other state     → nothing (someone else already moved it on)
//
// See docs/routing.md.

#include <optional>
#include <string>
#include <vector>

#include "common/domain/lifecycle.h"
#include "common/domain/organisation.h"

namespace zhiwang::router {

// The identity the router acts under; recorded on the timeline.
Identity RouterIdentity();

// Where an event is and what it is, for the rules.
struct RouteQuery {
  std::string category_code;
  std::string grid_id, community_id, street_id;
  bool cross_street = false;          // forces district scope
  std::vector<std::string> excluded;  // departments that rejected it
};

// The decision of the rules. department_id "" means triage at triage_centre_id.
// `explanation` says which rule matched (scope, area, priority) and which departments
// were skipped and why.
struct RouteResult {
  std::string department_id;
  std::string triage_centre_id;
  RoutingExplanation explanation;
};

// Of the category's rules that match the place (grid, its community, its street, the
// district), the most specific scope first, then higher priority, then file order: the
// first department of the rule that is not excluded and whose jurisdiction covers the
// place. District-level categories and cross-street events only consider district
// rules and go to the district centre for triage. Never fails: no match → triage.
RouteResult RouteByRules(const District& district, const RouteQuery& query);

// The query for an event (its reported grid, street and community; rejected_by).
RouteQuery QueryOf(const Event& event);

// `district` may be null (not loaded yet): then nothing is decided.
std::optional<Command> DecideRouting(const Event& event, const District* district);

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_ROUTING_DECISION_H_
