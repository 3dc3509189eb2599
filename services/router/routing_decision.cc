#include "services/router/routing_decision.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace zhiwang::router {

Identity RouterIdentity() {
  Identity who;
  who.subject = "router";
  who.role = Role::kSystem;
  return who;
}

namespace {

bool Matches(const RoutingRuleInfo& r, const RouteQuery& q, bool district_only) {
  switch (r.scope) {
    case AreaScope::kGrid:
      return !district_only && r.area_id == q.grid_id;
    case AreaScope::kCommunity:
      return !district_only && r.area_id == q.community_id;
    case AreaScope::kStreet:
      return !district_only && r.area_id == q.street_id;
    default:
      return true;
  }
}

}  // namespace

RouteResult RouteByRules(const District& district, const RouteQuery& q) {
  RouteResult out;
  const CategoryInfo* category = district.FindCategory(q.category_code);
  const bool district_level = category != nullptr && category->district_level;
  const bool district_only = district_level || q.cross_street;
  GridPlace place{district.id(), q.street_id, q.community_id};
  std::vector<std::string> skipped;
  for (const RoutingRuleInfo* rule : district.RulesFor(q.category_code)) {
    if (!Matches(*rule, q, district_only)) continue;
    for (const std::string& dep_id : rule->department_ids) {
      if (std::find(q.excluded.begin(), q.excluded.end(), dep_id) != q.excluded.end()) {
        skipped.push_back(absl::StrCat(dep_id, " (rejected)"));
        continue;
      }
      const DepartmentInfo* dep = district.FindDepartment(dep_id);
      if (dep == nullptr || !district.Serves(*dep, place)) {
        skipped.push_back(absl::StrCat(dep_id, " (outside its jurisdiction)"));
        continue;
      }
      RoutingExplanation& x = out.explanation;
      x.rule_id = district.RuleId(*rule);
      x.scope = std::string(AreaScopeName(rule->scope));
      x.area_id = rule->scope == AreaScope::kUnspecified || rule->scope == AreaScope::kDistrict
                      ? district.id()
                      : rule->area_id;
      x.department_id = dep_id;
      x.reason =
          absl::StrCat("rule ", x.rule_id, " (", x.scope, " ", x.area_id, ", priority ",
                       rule->priority, ") routes category ", q.category_code, " to ", dep_id);
      if (district_level) absl::StrAppend(&x.reason, "; category is district-level");
      if (q.cross_street) absl::StrAppend(&x.reason, "; event spans streets");
      if (!skipped.empty()) {
        absl::StrAppend(&x.reason, "; skipped ", absl::StrJoin(skipped, ", "));
      }
      out.department_id = dep_id;
      return out;
    }
  }
  out.triage_centre_id = district.TriageCentreFor(q.street_id, district_only);
  RoutingExplanation& x = out.explanation;
  x.triage_centre_id = out.triage_centre_id;
  x.reason = absl::StrCat(
      "no rule routes category ", q.category_code, district_only ? " at district level" : "",
      " to a department",
      skipped.empty() ? "" : absl::StrCat(" (skipped ", absl::StrJoin(skipped, ", "), ")"),
      "; triage at ", out.triage_centre_id);
  return out;
}

RouteQuery QueryOf(const Event& e) {
  RouteQuery q;
  q.category_code = e.category_code;
  q.grid_id = e.location.grid_id;
  q.community_id = e.community_id;
  q.street_id = e.street_id;
  q.cross_street = e.cross_street;
  q.excluded = e.rejected_by;
  return q;
}

std::optional<Command> DecideRouting(const Event& event, const District* district) {
  if (district == nullptr) return std::nullopt;
  Command c;
  switch (event.state) {
    case EventState::kReported:
      c.action = EventAction::kAccept;
      c.note = "accepted automatically: category and grid are known";
      return c;
    case EventState::kAccepted:
    case EventState::kRejected: {
      if (!event.triage_centre_id.empty()) return std::nullopt;  // a dispatcher decides
      const RouteQuery q = QueryOf(event);
      const CategoryInfo* category = district->FindCategory(event.category_code);
      const bool district_only = event.cross_street || (category && category->district_level);
      const int max_rejections = district->settings().max_rejections;
      if (static_cast<int>(event.rejected_by.size()) >= max_rejections) {
        c.action = EventAction::kTriage;
        c.reason_code = kTriageAdjudication;
        c.triage_centre_id = district->TriageCentreFor(event.street_id, district_only);
        c.routing.triage_centre_id = c.triage_centre_id;
        c.routing.reason = absl::StrCat("rejected ", event.rejected_by.size(), " time(s) (by ",
                                        absl::StrJoin(event.rejected_by, ", "), "); limit ",
                                        max_rejections, ": adjudication at ", c.triage_centre_id);
        c.note = c.routing.reason;
        return c;
      }
      RouteResult r = RouteByRules(*district, q);
      c.routing = r.explanation;
      c.note = r.explanation.reason;
      if (r.department_id.empty()) {
        c.action = EventAction::kTriage;
        c.reason_code = kTriageNoRule;
        c.triage_centre_id = r.triage_centre_id;
        return c;
      }
      c.action = EventAction::kDispatch;
      c.department_id = r.department_id;
      if (!event.rejected_by.empty()) {
        absl::StrAppend(&c.note, " (after ", event.rejected_by.size(), " rejection(s))");
      }
      return c;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace zhiwang::router
