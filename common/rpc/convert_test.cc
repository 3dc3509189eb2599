// Unit tests of domain ⇄ zhiwang.v1 conversion: round trips field by field, timestamps
// with nanoseconds, and out-of-range enum numbers.

#include "common/rpc/convert.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/organisation.h"
#include "common/domain/report.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

// 2026-09-21T... with a nanosecond part that survives only an exact conversion.
const absl::Time kCreated = absl::FromUnixSeconds(1'790'000'000) + absl::Nanoseconds(123'456'789);
const absl::Time kUpdated = absl::FromUnixSeconds(1'790'000'777) + absl::Nanoseconds(1);

bool Mentions(const absl::Status& s, absl::string_view what) {
  return s.message().find(what) != absl::string_view::npos;
}

Attachment Photo(int i) {
  return Attachment{"s3://bucket/photo" + std::to_string(i) + ".jpg", "image/jpeg", 1000 + i,
                    std::string(64, static_cast<char>('a' + i))};
}

void ExpectSameAttachments(const std::vector<Attachment>& a, const std::vector<Attachment>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].uri, b[i].uri) << i;
    EXPECT_EQ(a[i].content_type, b[i].content_type) << i;
    EXPECT_EQ(a[i].size_bytes, b[i].size_bytes) << i;
    EXPECT_EQ(a[i].sha256, b[i].sha256) << i;
  }
}

Event FullEvent() {
  Event e;
  e.id = "440304-20260921-7K3F9Q2ABC";
  e.district_id = "440304";
  e.street_id = "st1";
  e.community_id = "c1";
  e.category_code = "garbage";
  e.urgency = Urgency::kEmergency;
  e.source = Source::kSensor;
  e.location = Location{22.543096, 114.057865, "g1", "深南大道 1 号"};
  e.description = "垃圾堆放 / exposed garbage";
  e.reporter = Reporter{"worker-001", Role::kCommunityStaff, "王五", "+86 138-0000-0000"};
  e.attachments = {Photo(1), Photo(2)};
  e.state = EventState::kInProgress;
  e.version = 42;
  e.department_id = "dep_b";
  e.rejected_by = {"dep_a", "dep_c"};
  e.rework_count = 2;
  e.merged_into = "440304-20260920-0000000001";
  e.created_at = kCreated;
  e.updated_at = kUpdated;
  e.extension_pending = true;
  e.suspension_pending = true;
  e.extension_count = 3;
  return e;
}

void ExpectSameEvent(const Event& a, const Event& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.district_id, b.district_id);
  EXPECT_EQ(a.street_id, b.street_id);
  EXPECT_EQ(a.community_id, b.community_id);
  EXPECT_EQ(a.category_code, b.category_code);
  EXPECT_EQ(a.urgency, b.urgency);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.location.latitude, b.location.latitude);
  EXPECT_EQ(a.location.longitude, b.location.longitude);
  EXPECT_EQ(a.location.grid_id, b.location.grid_id);
  EXPECT_EQ(a.location.address, b.location.address);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.reporter.subject, b.reporter.subject);
  EXPECT_EQ(a.reporter.role, b.reporter.role);
  EXPECT_EQ(a.reporter.name, b.reporter.name);
  EXPECT_EQ(a.reporter.phone, b.reporter.phone);
  ExpectSameAttachments(a.attachments, b.attachments);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.department_id, b.department_id);
  EXPECT_EQ(a.rejected_by, b.rejected_by);
  EXPECT_EQ(a.rework_count, b.rework_count);
  EXPECT_EQ(a.merged_into, b.merged_into);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_EQ(a.extension_pending, b.extension_pending);
  EXPECT_EQ(a.suspension_pending, b.suspension_pending);
  EXPECT_EQ(a.extension_count, b.extension_count);
}

TEST(ConvertTimeTest, KeepsNanoseconds) {
  google::protobuf::Timestamp p = ToProto(kCreated);
  EXPECT_EQ(p.seconds(), 1'790'000'000);
  EXPECT_EQ(p.nanos(), 123'456'789);
  EXPECT_EQ(FromProto(p), kCreated);
}

TEST(ConvertTimeTest, EpochIsZero) {
  google::protobuf::Timestamp p = ToProto(absl::UnixEpoch());
  EXPECT_EQ(p.seconds(), 0);
  EXPECT_EQ(p.nanos(), 0);
  EXPECT_EQ(FromProto(p), absl::UnixEpoch());
}

TEST(ConvertTimeTest, BeforeEpochHasNonNegativeNanos) {
  absl::Time t = absl::UnixEpoch() - absl::Milliseconds(1500);
  google::protobuf::Timestamp p = ToProto(t);
  EXPECT_EQ(p.seconds(), -2);
  EXPECT_EQ(p.nanos(), 500'000'000);
  EXPECT_EQ(FromProto(p), t);
}

TEST(ConvertEventTest, RoundTripsEveryField) {
  Event e = FullEvent();
  v1::Event p;
  ToProto(e, &p);
  EXPECT_EQ(p.id(), e.id);
  EXPECT_EQ(p.urgency(), v1::Urgency(3));
  EXPECT_EQ(p.state(), v1::EventState(static_cast<int>(EventState::kInProgress)));
  EXPECT_EQ(p.created_at().nanos(), 123'456'789);
  ExpectSameEvent(FromProto(p), e);
}

TEST(ConvertEventTest, RoundTripsThroughTheWireFormat) {
  Event e = FullEvent();
  v1::Event p;
  ToProto(e, &p);
  std::string bytes = p.SerializeAsString();
  v1::Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  ExpectSameEvent(FromProto(parsed), e);
}

TEST(ConvertEventTest, RoundTripsADefaultEvent) {
  Event e;
  v1::Event p;
  ToProto(e, &p);
  ExpectSameEvent(FromProto(p), e);
}

TEST(ConvertEventTest, RoundTripsEveryState) {
  for (int s = 0; s <= kMaxEventState; ++s) {
    Event e = FullEvent();
    e.state = static_cast<EventState>(s);
    v1::Event p;
    ToProto(e, &p);
    EXPECT_EQ(FromProto(p).state, e.state) << s;
  }
}

TEST(ConvertEventTest, OutOfRangeEnumsBecomeUnspecified) {
  v1::Event p;
  ToProto(FullEvent(), &p);
  p.set_state(static_cast<v1::EventState>(kMaxEventState + 1));
  p.mutable_reporter()->set_role(static_cast<v1::Role>(99));
  Event e = FromProto(p);
  EXPECT_EQ(e.state, EventState::kUnspecified);
  EXPECT_EQ(e.reporter.role, Role::kUnspecified);
}

TEST(ConvertEnumTest, RangeChecks) {
  EXPECT_EQ(StateFromProto(1), EventState::kReported);
  EXPECT_EQ(StateFromProto(kMaxEventState), EventState::kMerged);
  EXPECT_EQ(StateFromProto(-1), EventState::kUnspecified);
  EXPECT_EQ(StateFromProto(kMaxEventState + 1), EventState::kUnspecified);
  EXPECT_EQ(RoleFromProto(kMaxRole), Role::kSystem);
  EXPECT_EQ(RoleFromProto(kMaxRole + 1), Role::kUnspecified);
  EXPECT_EQ(RoleFromProto(-3), Role::kUnspecified);
  EXPECT_EQ(UrgencyFromProto(2), Urgency::kUrgent);
  EXPECT_EQ(SourceFromProto(5), Source::kSensor);
  // Urgency and source map unknown numbers to a value outside the enum (not
  // kUnspecified), so that validation refuses them instead of applying a default.
  EXPECT_NE(UrgencyFromProto(4), Urgency::kNormal);
  EXPECT_NE(UrgencyFromProto(4), Urgency::kUrgent);
  EXPECT_NE(UrgencyFromProto(4), Urgency::kEmergency);
  EXPECT_NE(SourceFromProto(6), Source::kSensor);
}

TEST(ConvertTimelineTest, RoundTripsEveryField) {
  TimelineEntry t;
  t.seq = 7;
  t.at = kUpdated;
  t.actor_subject = "op-1";
  t.actor_role = Role::kDepartmentOperator;
  t.actor_department_id = "dep_b";
  t.from_state = EventState::kDispatched;
  t.to_state = EventState::kRejected;
  t.action = EventAction::kReject;
  t.note = "不属于本部门";
  t.department_id = "dep_b";
  t.evidence = {Photo(3)};
  t.reason_code = "NOT_OUR_JURISDICTION";

  v1::TimelineEntry p;
  ToProto(t, &p);
  v1::TimelineEntry parsed;
  ASSERT_TRUE(parsed.ParseFromString(p.SerializeAsString()));
  TimelineEntry back = FromProto(parsed);
  EXPECT_EQ(back.seq, t.seq);
  EXPECT_EQ(back.at, t.at);
  EXPECT_EQ(back.actor_subject, t.actor_subject);
  EXPECT_EQ(back.actor_role, t.actor_role);
  EXPECT_EQ(back.actor_department_id, t.actor_department_id);
  EXPECT_EQ(back.from_state, t.from_state);
  EXPECT_EQ(back.to_state, t.to_state);
  EXPECT_EQ(back.action, t.action);
  EXPECT_EQ(back.note, t.note);
  EXPECT_EQ(back.department_id, t.department_id);
  ExpectSameAttachments(back.evidence, t.evidence);
  EXPECT_EQ(back.reason_code, t.reason_code);
}

TEST(ConvertTimelineTest, RoundTripsEveryAction) {
  for (int a = 0; a <= kDqLastAction; ++a) {
    if (!IsKnownAction(a)) continue;
    TimelineEntry t;
    t.action = static_cast<EventAction>(a);
    v1::TimelineEntry p;
    ToProto(t, &p);
    EXPECT_EQ(FromProto(p).action, t.action) << a;
  }
  for (int unknown : {kMaxEventAction + 1, kDqLastAction + 1}) {
    v1::TimelineEntry p;
    p.set_action(static_cast<v1::EventAction>(unknown));
    EXPECT_EQ(FromProto(p).action, EventAction::kUnspecified) << unknown;
  }
}

DistrictOrg FullDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "福田区";
  org.streets = {{"st1", "Street 1"}, {"st2", "Street 2"}};
  org.communities = {{"c1", "Community 1", "st1"}, {"c2", "Community 2", "st2"}};
  org.grids = {{"g1", "Grid 1", "c1"}, {"g2", "Grid 2", "c2"}, {"g3", "Grid 3", "c2"}};
  org.departments = {{"dep_a", "Urban management st1", DepartmentLevel::kStreet, "st1"},
                     {"dep_w", "Water bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal},
                    {"manhole", "Missing manhole cover", "facilities", Urgency::kEmergency}};
  org.routing_rules = {{"garbage", {"dep_a", "dep_w"}}, {"manhole", {"dep_w"}}};
  return org;
}

TEST(ConvertDistrictTest, RoundTripsEveryField) {
  DistrictOrg d = FullDistrict();
  v1::District p;
  ToProto(d, &p);
  v1::District parsed;
  ASSERT_TRUE(parsed.ParseFromString(p.SerializeAsString()));
  DistrictOrg back = FromProto(parsed);

  EXPECT_EQ(back.id, d.id);
  EXPECT_EQ(back.name, d.name);
  ASSERT_EQ(back.streets.size(), d.streets.size());
  for (size_t i = 0; i < d.streets.size(); ++i) {
    EXPECT_EQ(back.streets[i].id, d.streets[i].id);
    EXPECT_EQ(back.streets[i].name, d.streets[i].name);
  }
  ASSERT_EQ(back.communities.size(), d.communities.size());
  for (size_t i = 0; i < d.communities.size(); ++i) {
    EXPECT_EQ(back.communities[i].id, d.communities[i].id);
    EXPECT_EQ(back.communities[i].name, d.communities[i].name);
    EXPECT_EQ(back.communities[i].street_id, d.communities[i].street_id);
  }
  ASSERT_EQ(back.grids.size(), d.grids.size());
  for (size_t i = 0; i < d.grids.size(); ++i) {
    EXPECT_EQ(back.grids[i].id, d.grids[i].id);
    EXPECT_EQ(back.grids[i].name, d.grids[i].name);
    EXPECT_EQ(back.grids[i].community_id, d.grids[i].community_id);
  }
  ASSERT_EQ(back.departments.size(), d.departments.size());
  for (size_t i = 0; i < d.departments.size(); ++i) {
    EXPECT_EQ(back.departments[i].id, d.departments[i].id);
    EXPECT_EQ(back.departments[i].name, d.departments[i].name);
    EXPECT_EQ(back.departments[i].level, d.departments[i].level);
    EXPECT_EQ(back.departments[i].street_id, d.departments[i].street_id);
  }
  ASSERT_EQ(back.categories.size(), d.categories.size());
  for (size_t i = 0; i < d.categories.size(); ++i) {
    EXPECT_EQ(back.categories[i].code, d.categories[i].code);
    EXPECT_EQ(back.categories[i].name, d.categories[i].name);
    EXPECT_EQ(back.categories[i].major, d.categories[i].major);
    EXPECT_EQ(back.categories[i].default_urgency, d.categories[i].default_urgency);
  }
  ASSERT_EQ(back.routing_rules.size(), d.routing_rules.size());
  for (size_t i = 0; i < d.routing_rules.size(); ++i) {
    EXPECT_EQ(back.routing_rules[i].category_code, d.routing_rules[i].category_code);
    EXPECT_EQ(back.routing_rules[i].department_ids, d.routing_rules[i].department_ids);
  }
  // What came back is still a valid district.
  EXPECT_TRUE(District::Create(back).ok());
}

TEST(ConvertDistrictTest, OutOfRangeLevelAndUrgencyBecomeUnspecified) {
  v1::District p;
  ToProto(FullDistrict(), &p);
  p.mutable_departments(0)->set_level(static_cast<v1::DepartmentLevel>(7));
  p.mutable_categories(0)->set_default_urgency(static_cast<v1::Urgency>(99));
  DistrictOrg back = FromProto(p);
  EXPECT_EQ(back.departments[0].level, DepartmentLevel::kUnspecified);
  EXPECT_EQ(back.categories[0].default_urgency, Urgency::kUnspecified);
  // ...which validation then refuses by field.
  absl::StatusOr<std::shared_ptr<const District>> d = District::Create(back);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(d.status(), "departments.level")) << d.status();
}

v1::ReportEventRequest ValidRequest() {
  v1::ReportEventRequest r;
  r.set_client_request_id("req-0001");
  r.set_category_code("garbage");
  r.set_urgency(static_cast<v1::Urgency>(2));
  r.set_source(static_cast<v1::Source>(3));
  r.mutable_location()->set_latitude(22.54);
  r.mutable_location()->set_longitude(114.05);
  r.mutable_location()->set_grid_id("g1");
  r.mutable_location()->set_address("Shennan Road 1");
  r.set_description("exposed garbage");
  r.set_reporter_name("Wang");
  r.set_reporter_phone("+86 138-0000-0000");
  v1::Attachment* a = r.add_attachments();
  a->set_uri("s3://bucket/p.jpg");
  a->set_content_type("image/jpeg");
  a->set_size_bytes(1234);
  a->set_sha256(std::string(64, 'f'));
  return r;
}

TEST(ConvertReportTest, CopiesEveryField) {
  ReportInput in = FromProto(ValidRequest());
  EXPECT_EQ(in.client_request_id, "req-0001");
  EXPECT_EQ(in.category_code, "garbage");
  EXPECT_EQ(in.urgency, Urgency::kUrgent);
  EXPECT_EQ(in.source, Source::kResidentApp);
  EXPECT_EQ(in.location.latitude, 22.54);
  EXPECT_EQ(in.location.longitude, 114.05);
  EXPECT_EQ(in.location.grid_id, "g1");
  EXPECT_EQ(in.location.address, "Shennan Road 1");
  EXPECT_EQ(in.description, "exposed garbage");
  EXPECT_EQ(in.reporter_name, "Wang");
  EXPECT_EQ(in.reporter_phone, "+86 138-0000-0000");
  ASSERT_EQ(in.attachments.size(), 1u);
  EXPECT_EQ(in.attachments[0].uri, "s3://bucket/p.jpg");
  EXPECT_EQ(in.attachments[0].content_type, "image/jpeg");
  EXPECT_EQ(in.attachments[0].size_bytes, 1234);
  EXPECT_EQ(in.attachments[0].sha256, std::string(64, 'f'));
  EXPECT_TRUE(ValidateReportShape(in).ok()) << ValidateReportShape(in);
}

TEST(ConvertReportTest, OutOfRangeUrgencyIsRefusedNamingUrgency) {
  v1::ReportEventRequest r = ValidRequest();
  r.set_urgency(static_cast<v1::Urgency>(99));
  // Survives the wire as an unknown enum number (proto3 enums are open).
  v1::ReportEventRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(r.SerializeAsString()));
  EXPECT_EQ(static_cast<int>(parsed.urgency()), 99);
  absl::Status s = ValidateReportShape(FromProto(parsed));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(s, "urgency")) << s;
}

TEST(ConvertReportTest, OutOfRangeSourceIsRefusedNamingSource) {
  v1::ReportEventRequest r = ValidRequest();
  r.set_source(static_cast<v1::Source>(-5));
  absl::Status s = ValidateReportShape(FromProto(r));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(s, "source")) << s;
}

// ---- org (issue 3)
TEST(ConvertOrgTest, EventRoutingFieldsRoundTrip) {
  Event e;
  e.id = "440304-20261127-0000000001";
  e.located_grid_id = "g2";
  e.grid_mismatch = true;
  e.cross_street = true;
  e.routing = RoutingExplanation{"r1", "street", "st1", "dep", "because", ""};
  e.assisting_department_ids = {"a", "b"};
  e.binding_assignment = true;
  e.awaiting_adjudication = true;
  e.triage_centre_id = "c1";
  e.previous_category_codes = {"0101", "0104"};
  v1::Event p;
  ToProto(e, &p);
  Event back = FromProto(p);
  EXPECT_EQ(back.located_grid_id, "g2");
  EXPECT_TRUE(back.grid_mismatch);
  EXPECT_TRUE(back.cross_street);
  EXPECT_EQ(back.routing.rule_id, "r1");
  EXPECT_EQ(back.routing.scope, "street");
  EXPECT_EQ(back.routing.area_id, "st1");
  EXPECT_EQ(back.routing.department_id, "dep");
  EXPECT_EQ(back.routing.reason, "because");
  EXPECT_EQ(back.assisting_department_ids, e.assisting_department_ids);
  EXPECT_TRUE(back.binding_assignment);
  EXPECT_TRUE(back.awaiting_adjudication);
  EXPECT_EQ(back.triage_centre_id, "c1");
  EXPECT_EQ(back.previous_category_codes, e.previous_category_codes);
}

TEST(ConvertOrgTest, DistrictOrganisationFieldsRoundTrip) {
  DistrictOrg org;
  org.id = "440304";
  org.grids = {{"g1", "Grid", "c1", {{22.5, 114.0}, {22.5, 114.1}, {22.6, 114.1}}}};
  DepartmentInfo dep{"d1", "Dep", DepartmentLevel::kStreet, "st1"};
  dep.category_codes = {"0101"};
  dep.jurisdiction_area_id = "c1";
  dep.integration_mode = IntegrationMode::kWebhook;
  dep.webhook_url = "https://dep.example/hook";
  org.departments = {dep};
  org.categories = {{"0502", "路面塌陷", "突发事件", Urgency::kEmergency, true}};
  RoutingRuleInfo rule{"0502", {"d1"}};
  rule.id = "r1";
  rule.scope = AreaScope::kCommunity;
  rule.area_id = "c1";
  rule.priority = 7;
  org.routing_rules = {rule};
  org.dispatch_centres = {{"st1_fbzx", "Centre", DepartmentLevel::kStreet, "st1"}};
  org.settings.max_rejections = 3;
  org.settings.duplicate_radius_m = 100;
  org.settings.duplicate_window_s = 3600;
  org.settings.recategorise_clock = RecategoriseClock::kKeep;
  v1::District p;
  ToProto(org, &p);
  DistrictOrg back = FromProto(p);
  ASSERT_EQ(back.grids.size(), 1u);
  ASSERT_EQ(back.grids[0].polygon.size(), 3u);
  EXPECT_EQ(back.grids[0].polygon[2].lat, 22.6);
  EXPECT_EQ(back.departments[0].category_codes, dep.category_codes);
  EXPECT_EQ(back.departments[0].jurisdiction_area_id, "c1");
  EXPECT_EQ(back.departments[0].integration_mode, IntegrationMode::kWebhook);
  EXPECT_EQ(back.departments[0].webhook_url, dep.webhook_url);
  EXPECT_TRUE(back.categories[0].district_level);
  EXPECT_EQ(back.routing_rules[0].id, "r1");
  EXPECT_EQ(back.routing_rules[0].scope, AreaScope::kCommunity);
  EXPECT_EQ(back.routing_rules[0].area_id, "c1");
  EXPECT_EQ(back.routing_rules[0].priority, 7);
  ASSERT_EQ(back.dispatch_centres.size(), 1u);
  EXPECT_EQ(back.dispatch_centres[0].street_id, "st1");
  EXPECT_EQ(back.settings.max_rejections, 3);
  EXPECT_EQ(back.settings.duplicate_radius_m, 100);
  EXPECT_EQ(back.settings.duplicate_window_s, 3600);
  EXPECT_EQ(back.settings.recategorise_clock, RecategoriseClock::kKeep);
}

}  // namespace
}  // namespace zhiwang
