#include "common/rpc/convert.h"

namespace zhiwang {

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  int64_t nanos = absl::ToUnixNanos(t);
  int64_t seconds = nanos / 1000000000;
  int64_t rest = nanos % 1000000000;
  if (rest < 0) {
    rest += 1000000000;
    --seconds;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(rest));
  return out;
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

EventState StateFromProto(int v) {
  return v >= 0 && v <= kMaxEventState ? static_cast<EventState>(v) : EventState::kUnspecified;
}
Role RoleFromProto(int v) {
  return v >= 0 && v <= kMaxRole ? static_cast<Role>(v) : Role::kUnspecified;
}
Urgency UrgencyFromProto(int v) {
  return v >= 0 && v <= 3 ? static_cast<Urgency>(v) : static_cast<Urgency>(-1);
}
Source SourceFromProto(int v) {
  return v >= 0 && v <= 5 ? static_cast<Source>(v) : static_cast<Source>(-1);
}

v1::Attachment ToProto(const Attachment& a) {
  v1::Attachment out;
  out.set_uri(a.uri);
  out.set_content_type(a.content_type);
  out.set_size_bytes(a.size_bytes);
  out.set_sha256(a.sha256);
  return out;
}

Attachment FromProto(const v1::Attachment& a) {
  return Attachment{a.uri(), a.content_type(), a.size_bytes(), a.sha256()};
}

std::vector<Attachment> FromProto(const google::protobuf::RepeatedPtrField<v1::Attachment>& list) {
  std::vector<Attachment> out;
  out.reserve(list.size());
  for (const v1::Attachment& a : list) out.push_back(FromProto(a));
  return out;
}

void ToProto(const Event& e, v1::Event* out) {
  out->set_id(e.id);
  out->set_district_id(e.district_id);
  out->set_street_id(e.street_id);
  out->set_community_id(e.community_id);
  out->set_category_code(e.category_code);
  out->set_urgency(static_cast<v1::Urgency>(e.urgency));
  out->set_source(static_cast<v1::Source>(e.source));
  v1::Location* l = out->mutable_location();
  l->set_latitude(e.location.latitude);
  l->set_longitude(e.location.longitude);
  l->set_grid_id(e.location.grid_id);
  l->set_address(e.location.address);
  out->set_description(e.description);
  v1::Reporter* r = out->mutable_reporter();
  r->set_subject(e.reporter.subject);
  r->set_role(static_cast<v1::Role>(e.reporter.role));
  r->set_name(e.reporter.name);
  r->set_phone(e.reporter.phone);
  for (const Attachment& a : e.attachments) *out->add_attachments() = ToProto(a);
  out->set_state(static_cast<v1::EventState>(e.state));
  out->set_version(e.version);
  out->set_department_id(e.department_id);
  for (const std::string& d : e.rejected_by) out->add_rejected_by(d);
  out->set_rework_count(e.rework_count);
  out->set_merged_into(e.merged_into);
  *out->mutable_created_at() = ToProto(e.created_at);
  *out->mutable_updated_at() = ToProto(e.updated_at);
  out->set_extension_pending(e.extension_pending);
  out->set_suspension_pending(e.suspension_pending);
  out->set_extension_count(e.extension_count);
  // ---- org (issue 3)
  out->set_located_grid_id(e.located_grid_id);
  out->set_grid_mismatch(e.grid_mismatch);
  out->set_cross_street(e.cross_street);
  if (!e.routing.rule_id.empty() || !e.routing.reason.empty() || !e.routing.department_id.empty() ||
      !e.routing.triage_centre_id.empty()) {
    ToProto(e.routing, out->mutable_routing());
  }
  for (const std::string& d : e.assisting_department_ids) out->add_assisting_department_ids(d);
  out->set_binding_assignment(e.binding_assignment);
  out->set_awaiting_adjudication(e.awaiting_adjudication);
  out->set_triage_centre_id(e.triage_centre_id);
  for (const std::string& c : e.previous_category_codes) out->add_previous_category_codes(c);
  out->set_assignment_token(e.assignment_token);                                     // dq
  out->set_claimed_by(e.claimed_by);                                                 // dq
  for (const std::string& d : e.department_history) out->add_department_history(d);  // auth
}

void ToProto(const RoutingExplanation& r, v1::RoutingExplanation* out) {
  out->set_rule_id(r.rule_id);
  out->set_scope(r.scope);
  out->set_area_id(r.area_id);
  out->set_department_id(r.department_id);
  out->set_reason(r.reason);
  out->set_triage_centre_id(r.triage_centre_id);
}

RoutingExplanation FromProto(const v1::RoutingExplanation& p) {
  return RoutingExplanation{p.rule_id(),       p.scope(),  p.area_id(),
                            p.department_id(), p.reason(), p.triage_centre_id()};
}

Event FromProto(const v1::Event& p) {
  Event e;
  e.id = p.id();
  e.district_id = p.district_id();
  e.street_id = p.street_id();
  e.community_id = p.community_id();
  e.category_code = p.category_code();
  e.urgency = UrgencyFromProto(p.urgency());
  e.source = SourceFromProto(p.source());
  e.location = Location{p.location().latitude(), p.location().longitude(), p.location().grid_id(),
                        p.location().address()};
  e.description = p.description();
  e.reporter = Reporter{p.reporter().subject(), RoleFromProto(p.reporter().role()),
                        p.reporter().name(), p.reporter().phone()};
  e.attachments = FromProto(p.attachments());
  e.state = StateFromProto(p.state());
  e.version = p.version();
  e.department_id = p.department_id();
  e.rejected_by.assign(p.rejected_by().begin(), p.rejected_by().end());
  e.rework_count = p.rework_count();
  e.merged_into = p.merged_into();
  e.created_at = FromProto(p.created_at());
  e.updated_at = FromProto(p.updated_at());
  e.extension_pending = p.extension_pending();
  e.suspension_pending = p.suspension_pending();
  e.extension_count = p.extension_count();
  // ---- org (issue 3)
  e.located_grid_id = p.located_grid_id();
  e.grid_mismatch = p.grid_mismatch();
  e.cross_street = p.cross_street();
  e.routing = FromProto(p.routing());
  e.assisting_department_ids.assign(p.assisting_department_ids().begin(),
                                    p.assisting_department_ids().end());
  e.binding_assignment = p.binding_assignment();
  e.awaiting_adjudication = p.awaiting_adjudication();
  e.triage_centre_id = p.triage_centre_id();
  e.previous_category_codes.assign(p.previous_category_codes().begin(),
                                   p.previous_category_codes().end());
  e.assignment_token = p.assignment_token();  // dq
  e.claimed_by = p.claimed_by();              // dq
  e.department_history.assign(p.department_history().begin(),
                              p.department_history().end());  // auth
  return e;
}

void ToProto(const TimelineEntry& t, v1::TimelineEntry* out) {
  out->set_seq(t.seq);
  *out->mutable_at() = ToProto(t.at);
  out->set_actor_subject(t.actor_subject);
  out->set_actor_role(static_cast<v1::Role>(t.actor_role));
  out->set_actor_department_id(t.actor_department_id);
  out->set_from_state(static_cast<v1::EventState>(t.from_state));
  out->set_to_state(static_cast<v1::EventState>(t.to_state));
  out->set_action(static_cast<v1::EventAction>(t.action));
  out->set_note(t.note);
  out->set_department_id(t.department_id);
  for (const Attachment& a : t.evidence) *out->add_evidence() = ToProto(a);
  out->set_reason_code(t.reason_code);
}

TimelineEntry FromProto(const v1::TimelineEntry& p) {
  TimelineEntry t;
  t.seq = p.seq();
  t.at = FromProto(p.at());
  t.actor_subject = p.actor_subject();
  t.actor_role = RoleFromProto(p.actor_role());
  t.actor_department_id = p.actor_department_id();
  t.from_state = StateFromProto(p.from_state());
  t.to_state = StateFromProto(p.to_state());
  t.action =
      IsKnownAction(p.action()) ? static_cast<EventAction>(p.action()) : EventAction::kUnspecified;
  t.note = p.note();
  t.department_id = p.department_id();
  t.evidence = FromProto(p.evidence());
  t.reason_code = p.reason_code();
  return t;
}

ReportInput FromProto(const v1::ReportEventRequest& r) {
  ReportInput in;
  in.client_request_id = r.client_request_id();
  in.category_code = r.category_code();
  in.urgency = UrgencyFromProto(r.urgency());
  in.source = SourceFromProto(r.source());
  in.location = Location{r.location().latitude(), r.location().longitude(), r.location().grid_id(),
                         r.location().address()};
  in.description = r.description();
  in.reporter_name = r.reporter_name();
  in.reporter_phone = r.reporter_phone();
  in.attachments = FromProto(r.attachments());
  return in;
}

void ToProto(const DistrictOrg& d, v1::District* out) {
  out->set_id(d.id);
  out->set_name(d.name);
  for (const StreetInfo& s : d.streets) {
    v1::Street* p = out->add_streets();
    p->set_id(s.id);
    p->set_name(s.name);
  }
  for (const CommunityInfo& c : d.communities) {
    v1::Community* p = out->add_communities();
    p->set_id(c.id);
    p->set_name(c.name);
    p->set_street_id(c.street_id);
  }
  for (const GridInfo& g : d.grids) {
    v1::Grid* p = out->add_grids();
    p->set_id(g.id);
    p->set_name(g.name);
    p->set_community_id(g.community_id);
    for (const LatLng& v : g.polygon) {
      v1::LatLng* q = p->add_polygon();
      q->set_lat(v.lat);
      q->set_lng(v.lng);
    }
  }
  for (const DepartmentInfo& dep : d.departments) {
    v1::Department* p = out->add_departments();
    p->set_id(dep.id);
    p->set_name(dep.name);
    p->set_level(static_cast<v1::DepartmentLevel>(dep.level));
    p->set_street_id(dep.street_id);
    for (const std::string& c : dep.category_codes) p->add_category_codes(c);
    p->set_jurisdiction_area_id(dep.jurisdiction_area_id);
    if (dep.integration_mode != IntegrationMode::kUnspecified || !dep.webhook_url.empty()) {
      p->mutable_integration()->set_mode(static_cast<v1::IntegrationMode>(dep.integration_mode));
      p->mutable_integration()->set_webhook_url(dep.webhook_url);
    }
  }
  for (const CategoryInfo& c : d.categories) {
    v1::Category* p = out->add_categories();
    p->set_code(c.code);
    p->set_name(c.name);
    p->set_major(c.major);
    p->set_default_urgency(static_cast<v1::Urgency>(c.default_urgency));
    p->set_district_level(c.district_level);
  }
  for (const RoutingRuleInfo& r : d.routing_rules) {
    v1::RoutingRule* p = out->add_routing_rules();
    p->set_category_code(r.category_code);
    for (const std::string& id : r.department_ids) p->add_department_ids(id);
    p->set_id(r.id);
    p->set_scope(static_cast<v1::AreaScope>(r.scope));
    p->set_area_id(r.area_id);
    p->set_priority(r.priority);
  }
  for (const DispatchCentreInfo& c : d.dispatch_centres) {
    v1::DispatchCentre* p = out->add_dispatch_centres();
    p->set_id(c.id);
    p->set_name(c.name);
    p->set_level(static_cast<v1::DepartmentLevel>(c.level));
    p->set_street_id(c.street_id);
  }
  if (d.settings.max_rejections != 0 || d.settings.duplicate_radius_m != 0 ||
      d.settings.duplicate_window_s != 0 ||
      d.settings.recategorise_clock != RecategoriseClock::kUnspecified) {
    v1::RoutingSettings* s = out->mutable_routing_settings();
    s->set_max_rejections(d.settings.max_rejections);
    s->set_duplicate_radius_m(d.settings.duplicate_radius_m);
    s->set_duplicate_window_s(d.settings.duplicate_window_s);
    s->set_recategorise_clock(static_cast<v1::RecategoriseClock>(d.settings.recategorise_clock));
  }
}

DistrictOrg FromProto(const v1::District& p) {
  DistrictOrg d;
  d.id = p.id();
  d.name = p.name();
  for (const v1::Street& s : p.streets()) d.streets.push_back({s.id(), s.name()});
  for (const v1::Community& c : p.communities()) {
    d.communities.push_back({c.id(), c.name(), c.street_id()});
  }
  for (const v1::Grid& g : p.grids()) {
    Polygon polygon;
    for (const v1::LatLng& v : g.polygon()) polygon.push_back({v.lat(), v.lng()});
    d.grids.push_back({g.id(), g.name(), g.community_id(), std::move(polygon)});
  }
  for (const v1::Department& dep : p.departments()) {
    DepartmentLevel level = dep.level() >= 0 && dep.level() <= 2
                                ? static_cast<DepartmentLevel>(dep.level())
                                : DepartmentLevel::kUnspecified;
    DepartmentInfo info{dep.id(), dep.name(), level, dep.street_id()};
    info.category_codes.assign(dep.category_codes().begin(), dep.category_codes().end());
    info.jurisdiction_area_id = dep.jurisdiction_area_id();
    int mode = dep.integration().mode();
    info.integration_mode =
        mode >= 0 && mode <= 3 ? static_cast<IntegrationMode>(mode) : IntegrationMode::kUnspecified;
    info.webhook_url = dep.integration().webhook_url();
    d.departments.push_back(std::move(info));
  }
  for (const v1::Category& c : p.categories()) {
    Urgency u = UrgencyFromProto(c.default_urgency());
    if (static_cast<int>(u) < 0) u = Urgency::kUnspecified;
    d.categories.push_back({c.code(), c.name(), c.major(), u, c.district_level()});
  }
  for (const v1::RoutingRule& r : p.routing_rules()) {
    RoutingRuleInfo rule{r.category_code(), {r.department_ids().begin(), r.department_ids().end()}};
    rule.id = r.id();
    // Out-of-range scopes are kept (as a cast) so that the validator names them.
    rule.scope = static_cast<AreaScope>(r.scope());
    rule.area_id = r.area_id();
    rule.priority = r.priority();
    d.routing_rules.push_back(std::move(rule));
  }
  for (const v1::DispatchCentre& c : p.dispatch_centres()) {
    DepartmentLevel level = c.level() >= 0 && c.level() <= 2
                                ? static_cast<DepartmentLevel>(c.level())
                                : DepartmentLevel::kUnspecified;
    d.dispatch_centres.push_back({c.id(), c.name(), level, c.street_id()});
  }
  const v1::RoutingSettings& s = p.routing_settings();
  d.settings.max_rejections = s.max_rejections();
  d.settings.duplicate_radius_m = s.duplicate_radius_m();
  d.settings.duplicate_window_s = s.duplicate_window_s();
  int clock = s.recategorise_clock();
  d.settings.recategorise_clock = clock >= 0 && clock <= 2 ? static_cast<RecategoriseClock>(clock)
                                                           : RecategoriseClock::kUnspecified;
  return d;
}

}  // namespace zhiwang
