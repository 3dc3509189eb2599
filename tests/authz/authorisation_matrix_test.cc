// auth (issue 7): the authorisation matrix. Every RPC of every service in package zhiwang.v1
// (read from the protobuf descriptor pool) × every role × every object relation (own, same
// area, other area, missing) is called through a real in-process gRPC server hosting all
// services, and the status code is compared with the expected one. OK answers are also
// searched (by reflection) for every zhiwang.v1.Event they carry: each must be one the
// caller may see, with the reporter's contact masked or not as docs/auth.md says. The test
// FAILS when an RPC exists that has no rule here (or a rule names an RPC that does not).
//
// Storage: a private redis-server (RedisEnvironment), flushed between scenarios, and the
// Redis implementations the binaries use — the dispatch queue and webhook store exist only
// for Redis, and streams (WatchAssignments) read what the Lua transition script wrote. The
// SLA records come from the in-memory SLA store (checked against Redis by its contract
// suite); the organisation from the in-memory org store. The console reads the Lua-kept
// query indexes and change feed, the evaluation the stored events (the sample district's SLA
// policies for both districts); API keys and the audit trail live in Redis too. CSV chunks
// are searched for event ids as answers are for events.
//
// ---------------------------------------------------------------------------------------
// HOW TO ADD AN RPC (every zhiwang.v1 service of this build is registered: intake, dispatch,
// triage, admin, SLA, query, feed, evaluation, auth, audit)
//  1. Link its service library in tests/authz/CMakeLists.txt and, if it is a new service,
//     construct and register it in MatrixTest::SetUp (next to the others).
//  2. Add one Rule to Rules() below:
//       {.method = "zhiwang.v1.QueryService/GetEventDetail",
//        .object = kEvent,                 // what the request names: kEvent, kDepartment,
//                                          // kDistrict, kCentre, kGrid or kNone
//        .setup = Prep::kDispatched,       // the state the three events are put in
//        .gate = kAll,                     // roles the method lets in (else PERMISSION_DENIED)
//        .act = kAll,                      // roles that succeed on a visible object
//        .build = B<v1::GetEventDetailRequest>(
//            [](auto& r, const Target& t) { r.set_event_id(t.event); }),
//        .mutates = false},
//     Expected codes follow from the rule and the visibility table kVisible: not in gate →
//     PERMISSION_DENIED; object missing or not visible → NOT_FOUND (kGrid: PERMISSION_DENIED,
//     missing grid INVALID_ARGUMENT); visible and in act → OK, else `denied`. Exceptions go
//     in `overrides`. Departments see no event before it is dispatched (Held()).
//     Streams (server-streaming) are read until their first message, so an OK cell of a
//     stream needs a scenario in which the stream has something to send at once;
//     client-streaming and bidirectional RPCs need a new branch in Call().
// ---------------------------------------------------------------------------------------

#include <algorithm>
#include <bitset>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_assignment_queue.h"
#include "common/redis/redis_change_feed.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/redis/redis_webhook_store.h"
#include "common/rpc/api_key_store.h"
#include "common/rpc/audit_log.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/authn/audit_service.h"
#include "services/authn/auth_service.h"
#include "services/console/evaluation_runner.h"
#include "services/console/evaluation_service.h"
#include "services/console/feed_service.h"
#include "services/console/query_service.h"
#include "services/console/redis_evaluation_source.h"
#include "services/console/redis_query_store.h"
#include "services/dispatch/dispatch_service.h"
#include "services/intake/intake_service.h"
#include "services/router/admin_service.h"
#include "services/router/triage_service.h"
#include "services/sla/memory_sla_store.h"
#include "services/sla/sla_config_loader.h"
#include "services/sla/sla_engine.h"
#include "services/sla/sla_service.h"
#include "zhiwang/v1/auth.pb.h"
#include "zhiwang/v1/console.pb.h"
#include "zhiwang/v1/evaluation.pb.h"
#include "zhiwang/v1/event.pb.h"
#include "zhiwang/v1/feed.pb.h"

namespace zhiwang {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using zhiwang::testing::RedisEnvironment;
using Code = grpc::StatusCode;

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

// ---- roles: one identity each ------------------------------------------------------------
enum R { GW, CS, SD, DD, OP, DS, LD, AU, AD, SY, kRoleCount };
using Roles = std::bitset<kRoleCount>;
Roles Of(std::initializer_list<R> rs) {
  Roles out;
  for (R r : rs) out.set(r);
  return out;
}
const Roles kAll = Roles().set();

const Identity kWho[kRoleCount] = {
    {"w1", Role::kGridWorker, "g1", ""},               // grid g1 of community c1, street st1
    {"cs1", Role::kCommunityStaff, "c1", ""},          // community c1
    {"sd1", Role::kStreetDispatcher, "st1", ""},       // street st1
    {"dd1", Role::kDistrictDispatcher, "440304", ""},  // district 440304
    {"op1", Role::kDepartmentOperator, "", "dep_a"},   // street department of st1
    {"sys1", Role::kDepartmentSystem, "", "dep_a"},    // the same department's system
    {"ld1", Role::kLeader, "440304", ""},              // district leader
    {"au1", Role::kAuditor, "", ""},                   // platform auditor
    {"ad1", Role::kAdmin, "", ""},                     // platform admin
    {"svc", Role::kSystem, "", ""},                    // Zhiwang's own services
};

// ---- objects and relations -----------------------------------------------------------------
// own: the caller's object (event reported by w1 in g1, held by dep_a; department dep_a;
// district 440304; centre ctr_st1; grid g1). same: another object of the same district
// (event reported by w2 in g2, held by dep_b; dep_b; 440304; ctr_d; g2). other: another
// district's (event in 440305 held by dep_z; dep_z; 440305; ctr_z; g9). missing: no such.
enum Rel { kOwn, kSame, kOther, kMissing, kRelCount };
const char* const kRelName[kRelCount] = {"own", "same-area", "other-area", "missing"};
enum Obj { kEvent, kDepartment, kDistrict, kCentre, kGrid, kNone, kObjCount };

// Which relations each role may see, per object kind ('o' own, 's' same, 'x' other). This
// table is the specification (docs/auth.md "Authorisation"); the code must agree with it.
const char* const kVisible[kObjCount][kRoleCount] = {
    //          GW    CS    SD    DD    OP   DS   LD    AU     AD     SY
    /*event*/ {"o", "os", "os", "os", "o", "o", "os", "osx", "osx", "osx"},
    /*dept */ {"", "", "os", "os", "o", "o", "", "", "osx", ""},
    /*distr*/ {"os", "os", "os", "os", "os", "os", "os", "osx", "osx", "osx"},
    /*centr*/ {"", "", "o", "os", "", "", "", "", "", ""},
    /*grid */ {"o", "os", "os", "os", "os", "os", "os", "osx", "osx", "osx"},
    /*none */ {"", "", "", "", "", "", "", "", "", ""},
};
bool Visible(Obj o, R r, Rel rel) {
  const char letter = rel == kOwn ? 'o' : rel == kSame ? 's' : 'x';
  return std::string(kVisible[o][r]).find(letter) != std::string::npos;
}
// Reporter contact in full: dispatchers, Zhiwang's services and the reporter themself.
bool SeesContact(R r) { return r == SD || r == DD || r == SY; }

const char kMissingEvent[] = "440304-20260101-0000000000";
const char kApiKeyId[] = "ak_0123456789abcdef";  // an active API key in every scenario
const char kName[] = "张三";
const char kPhone[] = "13812345678";

// What a request may name, resolved for one relation.
struct Target {
  std::string event, master, department, department_district, district, centre, grid;
  std::string other_department;  // a department of the event's district that does not hold it
  std::string rid;               // a fresh client_request_id
};

using Build = std::function<void(Message&, const Target&)>;
template <typename Req>
Build B(std::function<void(Req&, const Target&)> f) {
  return [f](Message& m, const Target& t) { f(static_cast<Req&>(m), t); };
}

// The state the three events (own, same, other) are put in before a call.
enum class Prep {
  kReported,
  kAccepted,
  kAcceptedWithMasters,  // plus an open master event per district
  kMerged,               // merged into their district's master
  kDispatched,
  kClaimed,
  kExtensionPending,
  kSuspensionPending,
  kSuspended,
  kResolved,
  kVerified,
};

struct Override {
  R role;
  Rel rel;
  Code code;
};

struct Rule {
  std::string method;  // "zhiwang.v1.<Service>/<Method>"
  Obj object = kNone;
  Prep setup = Prep::kDispatched;
  Roles gate = kAll;
  Roles act = kAll;
  Build build;
  Code denied = Code::PERMISSION_DENIED;  // in gate, object visible, role not in act
  std::vector<Override> overrides = {};
  bool mutates = true;       // an OK answer changed state: the next cell starts afresh
  bool same_message = true;  // NOT_FOUND for out-of-scope reads exactly like missing
};

// Before dispatch no department holds the events: departments see none of them.
bool Held(Prep p) {
  return p != Prep::kReported && p != Prep::kAccepted && p != Prep::kAcceptedWithMasters &&
         p != Prep::kMerged;
}
bool SeesEvent(Prep p, R r, Rel rel) {
  if ((r == OP || r == DS) && !Held(p)) return false;
  return Visible(kEvent, r, rel);
}

Code Expected(const Rule& rule, R role, Rel rel) {
  for (const Override& o : rule.overrides) {
    if (o.role == role && o.rel == rel) return o.code;
  }
  if (rule.object == kGrid && rel == kMissing) return Code::INVALID_ARGUMENT;
  if (!rule.gate.test(role)) return Code::PERMISSION_DENIED;
  if (rule.object != kNone) {
    if (rel == kMissing) return Code::NOT_FOUND;
    bool visible =
        rule.object == kEvent ? SeesEvent(rule.setup, role, rel) : Visible(rule.object, role, rel);
    if (!visible) {
      return rule.object == kGrid ? Code::PERMISSION_DENIED : Code::NOT_FOUND;
    }
  }
  return rule.act.test(role) ? Code::OK : rule.denied;
}

// Two districts. 440304: streets st1 (community c1: g1, g2) and st2 (c2: g3); departments
// dep_a, dep_b (street st1) and dep_d (district); centres ctr_st1, ctr_st2, ctr_d. 440305:
// street st9 (c9: g9); departments dep_z, dep_y; centre ctr_z.
DistrictOrg District304() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Shatou"}, {"st2", "Huafu"}};
  org.communities = {{"c1", "Community 1", "st1"}, {"c2", "Community 2", "st2"}};
  org.grids = {{"g1", "Grid 1", "c1"}, {"g2", "Grid 2", "c1"}, {"g3", "Grid 3", "c2"}};
  org.departments = {{"dep_a", "Shatou urban", DepartmentLevel::kStreet, "st1"},
                     {"dep_b", "Shatou safety", DepartmentLevel::kStreet, "st1"},
                     {"dep_d", "Water bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal},
                    {"litter", "Litter", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_a"}}, {"litter", {"dep_a"}}};
  org.dispatch_centres = {{"ctr_st1", "Shatou centre", DepartmentLevel::kStreet, "st1"},
                          {"ctr_st2", "Huafu centre", DepartmentLevel::kStreet, "st2"},
                          {"ctr_d", "Futian centre", DepartmentLevel::kDistrict, ""}};
  return org;
}

DistrictOrg District305() {
  DistrictOrg org;
  org.id = "440305";
  org.name = "Nanshan";
  org.streets = {{"st9", "Nantou"}};
  org.communities = {{"c9", "Community 9", "st9"}};
  org.grids = {{"g9", "Grid 9", "c9"}};
  org.departments = {{"dep_z", "Nanshan urban", DepartmentLevel::kDistrict, ""},
                     {"dep_y", "Nanshan water", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal},
                    {"litter", "Litter", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_z"}}, {"litter", {"dep_z"}}};
  org.dispatch_centres = {{"ctr_z", "Nanshan centre", DepartmentLevel::kDistrict, ""}};
  return org;
}

v1::Attachment Photo() {
  v1::Attachment a;
  a.set_uri("media://2026/11/27/fix.jpg");
  a.set_content_type("image/jpeg");
  a.set_size_bytes(1000);
  return a;
}

// The same override for each role of `roles` at relation `rel`; Join concatenates lists.
std::vector<Override> Each(Roles roles, Rel rel, Code code) {
  std::vector<Override> out;
  for (int r = 0; r < kRoleCount; ++r) {
    if (roles.test(r)) out.push_back({static_cast<R>(r), rel, code});
  }
  return out;
}
std::vector<Override> Join(std::initializer_list<std::vector<Override>> parts) {
  std::vector<Override> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
// Roles whose events all lie in their own district (440304).
const Roles kOneDistrict = Of({GW, CS, SD, DD, OP, DS, LD});

const std::vector<Rule>& Rules() {
  static const auto* rules = new std::vector<Rule>{
      // ---- IntakeService
      {.method = "zhiwang.v1.IntakeService/ReportEvent",
       .object = kGrid,
       .setup = Prep::kReported,
       .gate = Of({GW, CS, SD, DD, DS}),
       .act = Of({GW, CS, SD, DD, DS}),
       .build = B<v1::ReportEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_category_code("garbage");
         r.mutable_location()->set_latitude(22.54);
         r.mutable_location()->set_longitude(114.05);
         r.mutable_location()->set_grid_id(t.grid);
         r.set_description("exposed garbage");
         r.set_reporter_name(kName);
         r.set_reporter_phone(kPhone);
       })},
      {.method = "zhiwang.v1.IntakeService/GetEvent",
       .object = kEvent,
       .build = B<v1::GetEventRequest>([](auto& r, const Target& t) {
         r.set_event_id(t.event);
         r.set_include_timeline(true);
       }),
       .mutates = false},
      {.method = "zhiwang.v1.IntakeService/ListMyReports",
       .act = Of({GW, CS, SD, DD, LD}),  // the others carry no area: no district to list
       .build = B<v1::ListMyReportsRequest>([](auto&, const Target&) {}),
       .denied = Code::FAILED_PRECONDITION,
       .mutates = false},
      {.method = "zhiwang.v1.IntakeService/VerifyEvent",
       .object = kEvent,
       .setup = Prep::kResolved,
       .act = Of({GW, SD, DD}),
       .build = B<v1::VerifyEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_passed(true);
       })},
      {.method = "zhiwang.v1.IntakeService/CancelEvent",
       .object = kEvent,
       .setup = Prep::kReported,
       .act = Of({GW, SD, DD}),
       .build = B<v1::CancelEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_reason("reported twice");
       })},
      {.method = "zhiwang.v1.IntakeService/SelfResolveEvent",
       .object = kEvent,
       .setup = Prep::kReported,
       .act = Of({GW}),
       .build = B<v1::SelfResolveEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         *r.add_evidence() = Photo();
       })},
      // ---- DispatchService: departments
      {.method = "zhiwang.v1.DispatchService/ListAssignments",
       .object = kDepartment,
       .gate = Of({OP, DS, SD, DD, AD}),
       .act = Of({OP, DS, SD, DD, AD}),
       .build = B<v1::ListAssignmentsRequest>(
           [](auto& r, const Target& t) { r.set_department_id(t.department); }),
       .mutates = false},
      {.method = "zhiwang.v1.DispatchService/ClaimEvent",
       .object = kEvent,
       .act = Of({OP, DS}),
       .build = B<v1::ClaimEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       })},
      {.method = "zhiwang.v1.DispatchService/AddProgress",
       .object = kEvent,
       .setup = Prep::kClaimed,
       .act = Of({OP}),
       .build = B<v1::AddProgressRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_note("on site");
       }),
       .overrides = {{DS, kOwn, Code::FAILED_PRECONDITION}}},  // claimed by op1, not sys1
      {.method = "zhiwang.v1.DispatchService/ResolveEvent",
       .object = kEvent,
       .setup = Prep::kClaimed,
       .act = Of({OP}),
       .build = B<v1::ResolveEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         *r.add_evidence() = Photo();
       }),
       .overrides = {{DS, kOwn, Code::FAILED_PRECONDITION}}},
      {.method = "zhiwang.v1.DispatchService/RejectEvent",
       .object = kEvent,
       .act = Of({OP, DS}),
       .build = B<v1::RejectEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_reason_code("WRONG_DEPARTMENT");
         r.set_note("water, not waste");
       })},
      {.method = "zhiwang.v1.DispatchService/RequestExtension",
       .object = kEvent,
       .setup = Prep::kClaimed,
       .act = Of({OP}),
       .build = B<v1::DepartmentRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_note("needs parts");
       }),
       .overrides = {{DS, kOwn, Code::FAILED_PRECONDITION}}},
      {.method = "zhiwang.v1.DispatchService/RequestSuspension",
       .object = kEvent,
       .setup = Prep::kClaimed,
       .act = Of({OP}),
       .build = B<v1::DepartmentRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_note("court order");
       }),
       .overrides = {{DS, kOwn, Code::FAILED_PRECONDITION}}},
      {.method = "zhiwang.v1.DispatchService/ResumeEvent",
       .object = kEvent,
       .setup = Prep::kSuspended,
       .act = Of({OP, SD, DD}),
       .build = B<v1::DepartmentRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       }),
       .overrides = {{DS, kOwn, Code::FAILED_PRECONDITION}}},
      // ---- DispatchService: dispatchers
      {.method = "zhiwang.v1.DispatchService/AssignEvent",
       .object = kEvent,
       .setup = Prep::kAccepted,
       .act = Of({SD, DD, SY}),
       .build = B<v1::AssignEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_department_id(t.other_department);
       })},
      {.method = "zhiwang.v1.DispatchService/CloseEvent",
       .object = kEvent,
       .setup = Prep::kVerified,
       .act = Of({SD, DD, SY}),
       .build = B<v1::CloseEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       })},
      {.method = "zhiwang.v1.DispatchService/ReassignEvent",
       .object = kEvent,
       .act = Of({SD, DD}),
       .build = B<v1::ReassignEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_department_id(t.other_department);
         r.set_note("their patch");
       })},
      {.method = "zhiwang.v1.DispatchService/ApproveExtension",
       .object = kEvent,
       .setup = Prep::kExtensionPending,
       .act = Of({SD, DD}),
       .build = B<v1::DecisionRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       })},
      {.method = "zhiwang.v1.DispatchService/DenyExtension",
       .object = kEvent,
       .setup = Prep::kExtensionPending,
       .act = Of({SD, DD}),
       .build = B<v1::DecisionRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       })},
      {.method = "zhiwang.v1.DispatchService/ApproveSuspension",
       .object = kEvent,
       .setup = Prep::kSuspensionPending,
       .act = Of({SD, DD}),
       .build = B<v1::DecisionRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       })},
      {.method = "zhiwang.v1.DispatchService/DenySuspension",
       .object = kEvent,
       .setup = Prep::kSuspensionPending,
       .act = Of({SD, DD}),
       .build = B<v1::DecisionRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
       })},
      // ---- DispatchService: the queue (streams are read up to their first message)
      {.method = "zhiwang.v1.DispatchService/WatchAssignments",
       .object = kDepartment,
       .gate = Of({OP, DS, SD, DD, AD}),
       .act = Of({OP, DS, SD, DD, AD}),
       .build = B<v1::WatchAssignmentsRequest>(
           [](auto& r, const Target& t) { r.set_department_id(t.department); })},
      {.method = "zhiwang.v1.DispatchService/AckDeliveries",
       .object = kDepartment,
       .gate = Of({OP, DS, SD, DD, AD}),
       .act = Of({OP, DS, SD, DD, AD}),
       .build = B<v1::AckDeliveriesRequest>([](auto& r, const Target& t) {
         r.set_department_id(t.department);
         r.add_delivery_ids("a:1-0");
       }),
       .mutates = false},
      {.method = "zhiwang.v1.DispatchService/SendTestNotification",
       .object = kDepartment,
       .gate = Of({SD, DD, AD}),
       .act = Of({SD, DD, AD}),
       .build = B<v1::SendTestNotificationRequest>([](auto& r, const Target& t) {
         r.set_department_id(t.department);
         r.set_message("ping");
       }),
       .mutates = false},
      // ---- DispatchService: webhooks (own department, dispatchers of its area, admins)
      {.method = "zhiwang.v1.DispatchService/SetWebhook",
       .object = kDepartment,
       .gate = Of({AD}),
       .act = Of({AD}),
       .build = B<v1::SetWebhookRequest>([](auto& r, const Target& t) {
         v1::WebhookConfig& c = *r.mutable_config();
         c.set_district_id(t.department_district);
         c.set_department_id(t.department);
         c.set_url("http://127.0.0.1:9/hook");
         c.set_secret("0123456789abcdef0123456789abcdef");
         c.set_enabled(false);
       }),
       .mutates = false},
      {.method = "zhiwang.v1.DispatchService/ListDeadLetters",
       .object = kDepartment,
       .gate = Of({OP, DS, SD, DD, AD}),
       .act = Of({OP, DS, SD, DD, AD}),
       .build = B<v1::WebhookListRequest>([](auto& r, const Target& t) {
         r.set_district_id(t.department_district);
         r.set_department_id(t.department);
       }),
       .mutates = false},
      {.method = "zhiwang.v1.DispatchService/ReplayDeadLetters",
       .object = kDepartment,
       .gate = Of({OP, DS, SD, DD, AD}),
       .act = Of({OP, DS, SD, DD, AD}),
       .build = B<v1::WebhookListRequest>([](auto& r, const Target& t) {
         r.set_district_id(t.department_district);
         r.set_department_id(t.department);
       }),
       .mutates = false},
      {.method = "zhiwang.v1.DispatchService/ListWebhookAttempts",
       .object = kDepartment,
       .gate = Of({OP, DS, SD, DD, AD}),
       .act = Of({OP, DS, SD, DD, AD}),
       .build = B<v1::WebhookListRequest>([](auto& r, const Target& t) {
         r.set_district_id(t.department_district);
         r.set_department_id(t.department);
       }),
       .mutates = false},
      // ---- TriageService (dispatchers)
      {.method = "zhiwang.v1.TriageService/ListTriage",
       .object = kCentre,
       .setup = Prep::kAccepted,
       .gate = Of({SD, DD}),
       .act = Of({SD, DD}),
       .build =
           B<v1::ListTriageRequest>([](auto& r, const Target& t) { r.set_centre_id(t.centre); }),
       .mutates = false},
      {.method = "zhiwang.v1.TriageService/TriageAssign",
       .object = kEvent,
       .setup = Prep::kAccepted,
       .act = Of({SD, DD, SY}),
       .build = B<v1::TriageAssignRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_department_id(t.other_department);
       })},
      {.method = "zhiwang.v1.TriageService/SetCoHandling",
       .object = kEvent,
       .act = Of({SD, DD}),
       .build = B<v1::SetCoHandlingRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.add_assisting_department_ids(t.other_department);
       })},
      {.method = "zhiwang.v1.TriageService/Recategorise",
       .object = kEvent,
       .setup = Prep::kAccepted,
       .act = Of({SD, DD}),
       .build = B<v1::RecategoriseRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_category_code("litter");
         r.set_note("it is litter");
       })},
      {.method = "zhiwang.v1.TriageService/MergeEvent",
       .object = kEvent,
       .setup = Prep::kAcceptedWithMasters,
       .act = Of({SD, DD, SY}),
       .build = B<v1::MergeEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_master_id(t.master);
       }),
       // The master is checked first: an invisible master answers "master_id: … not found".
       .same_message = false},
      {.method = "zhiwang.v1.TriageService/UnmergeEvent",
       .object = kEvent,
       .setup = Prep::kMerged,
       .act = Of({SD, DD}),
       .build = B<v1::UnmergeEventRequest>([](auto& r, const Target& t) {
         r.set_client_request_id(t.rid);
         r.set_event_id(t.event);
         r.set_note("not the same problem");
       })},
      {.method = "zhiwang.v1.TriageService/ListFollowers",
       .object = kEvent,
       .setup = Prep::kAccepted,
       .gate = Of({SD, DD}),
       .act = Of({SD, DD}),
       .build =
           B<v1::ListFollowersRequest>([](auto& r, const Target& t) { r.set_event_id(t.event); }),
       .mutates = false},
      {.method = "zhiwang.v1.TriageService/ExplainRouting",
       .object = kEvent,
       .setup = Prep::kAccepted,
       .gate = Of({SD, DD}),
       .act = Of({SD, DD}),
       .build =
           B<v1::ExplainRoutingRequest>([](auto& r, const Target& t) { r.set_event_id(t.event); }),
       .mutates = false},
      // ---- AdminService
      {.method = "zhiwang.v1.AdminService/LoadDistrict",
       .gate = Of({AD}),
       .act = Of({AD}),
       .build = B<v1::LoadDistrictRequest>(
           [](auto& r, const Target&) { ToProto(District304(), r.mutable_district()); }),
       .mutates = false},
      {.method = "zhiwang.v1.AdminService/GetDistrict",
       .object = kDistrict,
       .gate = Of({AD, DD}),
       .act = Of({AD, DD}),
       .build = B<v1::GetDistrictRequest>(
           [](auto& r, const Target& t) { r.set_district_id(t.district); }),
       .mutates = false},
      {.method = "zhiwang.v1.AdminService/GetOrgFileStatus",
       .gate = Of({AD}),
       .act = Of({AD}),
       .build = B<v1::GetOrgFileStatusRequest>([](auto&, const Target&) {}),
       .mutates = false},
      // ---- SlaService
      {.method = "zhiwang.v1.SlaService/GetEventClock",
       .object = kEvent,
       .build =
           B<v1::GetEventClockRequest>([](auto& r, const Target& t) { r.set_event_id(t.event); }),
       .mutates = false},
      {.method = "zhiwang.v1.SlaService/ListProvisionalCalendars",
       .build = B<v1::ListProvisionalCalendarsRequest>([](auto&, const Target&) {}),
       .mutates = false},
      {.method = "zhiwang.v1.SlaService/GetCalendar",
       .object = kDistrict,
       .build = B<v1::GetCalendarRequest>(
           [](auto& r, const Target& t) { r.set_district_id(t.district); }),
       .mutates = false},
      // ---- QueryService (console, issue 6). Lists filter by CanSeeEvent: a district
      // outside the caller's scope lists nothing (OK, empty); an unknown district is a bad
      // query (INVALID_ARGUMENT naming district_id).
      {.method = "zhiwang.v1.QueryService/ListEvents",
       .object = kDistrict,
       .build = B<v1::ListEventsRequest>(
           [](auto& r, const Target& t) { r.set_district_id(t.district); }),
       .overrides = Join(
           {Each(kOneDistrict, kOther, Code::OK), Each(kAll, kMissing, Code::INVALID_ARGUMENT)}),
       .mutates = false},
      {.method = "zhiwang.v1.QueryService/GetEventDetail",
       .object = kEvent,
       .build =
           B<v1::GetEventDetailRequest>([](auto& r, const Target& t) { r.set_event_id(t.event); }),
       .mutates = false},
      // Counts only, per area: the whole district (admin, auditor, system, the district's
      // leader and dispatcher), one street (street dispatcher, community staff) or one
      // department (its roles). Districts are public organisation data: another district's
      // board is refused openly, an unknown one is a bad request.
      {.method = "zhiwang.v1.QueryService/GetBoard",
       .object = kDistrict,
       .gate = Of({CS, SD, DD, OP, DS, LD, AU, AD, SY}),
       .act = Of({CS, SD, DD, OP, DS, LD, AU, AD, SY}),
       .build =
           B<v1::GetBoardRequest>([](auto& r, const Target& t) { r.set_district_id(t.district); }),
       .overrides = Join({Each(kOneDistrict, kOther, Code::PERMISSION_DENIED),
                          Each(kAll, kMissing, Code::INVALID_ARGUMENT)}),
       .mutates = false},
      {.method = "zhiwang.v1.QueryService/ExportEventsCsv",
       .object = kDistrict,
       .build = B<v1::ExportEventsCsvRequest>(
           [](auto& r, const Target& t) { r.mutable_query()->set_district_id(t.district); }),
       .overrides = Join(
           {Each(kOneDistrict, kOther, Code::OK), Each(kAll, kMissing, Code::INVALID_ARGUMENT)}),
       .mutates = false},
      // ---- FeedService (console, issue 6): a district's change feed from its start, so an
      // OK stream has its first message at once (a change the caller may see, or progress).
      {.method = "zhiwang.v1.FeedService/WatchEvents",
       .object = kDistrict,
       .build = B<v1::WatchEventsRequest>([](auto& r, const Target& t) {
         r.set_district_id(t.district);
         r.set_cursor("0-0");
       }),
       .mutates = false},
      // ---- EvaluationService (issue 6): leaders and dispatchers their area of their own
      // district (another district, or an unknown one, is outside their area:
      // PERMISSION_DENIED, docs/evaluation.md); auditors and admins every configured district.
      {.method = "zhiwang.v1.EvaluationService/Evaluate",
       .object = kDistrict,
       .gate = Of({SD, DD, LD, AU, AD}),
       .act = Of({SD, DD, LD, AU, AD}),
       .build = B<v1::EvaluateRequest>([](auto& r, const Target& t) {
         r.set_district_id(t.district);
         r.set_day("2026-09-01");
         r.set_grouping(v1::EVALUATION_GROUPING_DEPARTMENT);
       }),
       .overrides = Join({Each(Of({SD, DD, LD}), kOther, Code::PERMISSION_DENIED),
                          Each(Of({SD, DD, LD}), kMissing, Code::PERMISSION_DENIED)}),
       .mutates = false},
      {.method = "zhiwang.v1.EvaluationService/ExportEvaluationCsv",
       .object = kDistrict,
       .gate = Of({SD, DD, LD, AU, AD}),
       .act = Of({SD, DD, LD, AU, AD}),
       .build = B<v1::EvaluateRequest>([](auto& r, const Target& t) {
         r.set_district_id(t.district);
         r.set_day("2026-09-01");
         r.set_grouping(v1::EVALUATION_GROUPING_STREET);
       }),
       .overrides = Join({Each(Of({SD, DD, LD}), kOther, Code::PERMISSION_DENIED),
                          Each(Of({SD, DD, LD}), kMissing, Code::PERMISSION_DENIED)}),
       .mutates = false},
      // ---- AuthService (issue 7): WhoAmI for anyone; API keys for admins only.
      {.method = "zhiwang.v1.AuthService/WhoAmI",
       .build = B<v1::WhoAmIRequest>([](auto&, const Target&) {}),
       .mutates = false},
      {.method = "zhiwang.v1.AuthService/CreateApiKey",
       .gate = Of({AD}),
       .act = Of({AD}),
       .build = B<v1::CreateApiKeyRequest>([](auto& r, const Target&) {
         r.set_department_id("dep_a");
         r.set_area("440304");
         r.set_label("matrix");
       })},
      {.method = "zhiwang.v1.AuthService/RevokeApiKey",
       .gate = Of({AD}),
       .act = Of({AD}),
       .build =
           B<v1::RevokeApiKeyRequest>([](auto& r, const Target&) { r.set_key_id(kApiKeyId); })},
      {.method = "zhiwang.v1.AuthService/ListApiKeys",
       .gate = Of({AD}),
       .act = Of({AD}),
       .build = B<v1::ListApiKeysRequest>([](auto&, const Target&) {}),
       .mutates = false},
      // ---- AuditService (issue 7): auditors and admins read the trail.
      {.method = "zhiwang.v1.AuditService/ListAudit",
       .gate = Of({AU, AD}),
       .act = Of({AU, AD}),
       .build = B<v1::ListAuditRequest>([](auto&, const Target&) {}),
       .mutates = false},
  };
  return *rules;
}

// Who sets an event of a district up: its reporter, holder, holder's operator, dispatcher.
struct Party {
  Identity reporter;
  std::string department;
  Identity operator_;
  Identity dispatcher;
  std::string other_department;
};
const Party kOwnParty{{"w1", Role::kGridWorker, "g1", ""},
                      "dep_a",
                      {"op1", Role::kDepartmentOperator, "", "dep_a"},
                      {"dd1", Role::kDistrictDispatcher, "440304", ""},
                      "dep_d"};
const Party kSameParty{{"w2", Role::kGridWorker, "g2", ""},
                       "dep_b",
                       {"op-b", Role::kDepartmentOperator, "", "dep_b"},
                       {"dd1", Role::kDistrictDispatcher, "440304", ""},
                       "dep_d"};
const Party kOtherParty{{"w9", Role::kGridWorker, "g9", ""},
                        "dep_z",
                        {"op-z", Role::kDepartmentOperator, "", "dep_z"},
                        {"dd5", Role::kDistrictDispatcher, "440305", ""},
                        "dep_y"};
const Identity kRouter{"router", Role::kSystem, "", ""};

// The ids of one scenario's events.
struct Scenario {
  std::string event[3];  // own, same, other
  std::string master304, master305;
};

class MatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto client = redis::RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    store_ = std::make_unique<redis::RedisEventStore>(client_.get());
    queue_ = std::make_unique<redis::RedisAssignmentQueue>(client_.get());
    webhooks_ = std::make_unique<redis::RedisWebhookStore>(client_.get());
    orgs_ = std::make_unique<OrgRegistry>(&org_store_);
    ASSERT_TRUE(orgs_->Publish(District304()).ok());
    ASSERT_TRUE(orgs_->Publish(District305()).ok());
    commands_ = std::make_unique<EventCommands>(store_.get(), orgs_.get(), &clock_,
                                                [this] { return ++random_; });
    intake_ = std::make_unique<intake::IntakeService>(commands_.get(), store_.get(), orgs_.get());
    dispatch_ =
        std::make_unique<dispatch::DispatchService>(commands_.get(), store_.get(), orgs_.get());
    // A stream cancelled by an earlier cell may still hold a delivery when the next
    // scenario starts: redeliver quickly so that the next caller receives it.
    dispatch_->EnableQueue(queue_.get(), {.max_unacked = 100,
                                          .redeliver_after = absl::Milliseconds(50),
                                          .poll = absl::Milliseconds(5)});
    dispatch_->EnableWebhooks(webhooks_.get());
    triage_ = std::make_unique<router::TriageService>(orgs_.get(), store_.get(), commands_.get());
    admin_ = std::make_unique<router::AdminService>(orgs_.get());
    sla_engine_ = std::make_unique<sla::SlaEngine>(&sla_store_, &sla_config_);
    v1::BusinessCalendarYear year;
    year.set_id("cn-2026");
    year.set_year(2026);
    sla_ = std::make_unique<sla::SlaService>(
        sla_engine_.get(), &clock_,
        std::map<std::string, std::vector<v1::BusinessCalendarYear>>{{"440304", {year}},
                                                                     {"440305", {year}}},
        store_.get(), orgs_.get());
    // The console (issue 6): queries over the Lua-maintained indexes, the live feed, the
    // evaluation (the sample district's policies for both districts, none for others).
    query_store_ = std::make_unique<console::RedisQueryStore>(client_.get());
    query_ = std::make_unique<console::QueryService>(store_.get(), query_store_.get(), orgs_.get(),
                                                     &clock_);
    change_feed_ = std::make_unique<redis::RedisChangeFeed>(client_.get());
    feed_ = std::make_unique<console::FeedService>(change_feed_.get(), store_.get(), orgs_.get(),
                                                   console::FeedSettings{});
    absl::StatusOr<sla::LoadedDistrict> policies = sla::LoadDistrict(ZW_SLA_POLICIES, {});
    ASSERT_TRUE(policies.ok()) << policies.status();
    evaluation_sla_.Set("440304", policies->config);
    evaluation_sla_.Set("440305", policies->config);
    evaluation_source_ = std::make_unique<console::RedisEvaluationSource>(client_.get());
    evaluation_runner_ = std::make_unique<console::EvaluationRunner>(
        evaluation_source_.get(), &evaluation_sla_, "matrix", &clock_,
        console::EvaluationRunner::Options{});
    evaluation_ =
        std::make_unique<console::EvaluationService>(evaluation_runner_.get(), orgs_.get());
    // Authentication (issue 7): API keys and the audit trail, in Redis.
    api_keys_ = std::make_unique<ApiKeyStore>(client_.get());
    audit_log_ = std::make_unique<AuditLog>(client_.get());
    auth_ = std::make_unique<authn::AuthService>(api_keys_.get(), &clock_);
    audit_ = std::make_unique<authn::AuditService>(audit_log_.get());
    grpc::ServerBuilder builder;
    for (grpc::Service* s : std::initializer_list<grpc::Service*>{
             intake_.get(), dispatch_.get(), triage_.get(), admin_.get(), sla_.get(), query_.get(),
             feed_.get(), evaluation_.get(), auth_.get(), audit_.get()}) {
      builder.RegisterService(s);
    }
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = server_->InProcessChannel(grpc::ChannelArguments());
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  // ---- scenario set-up through the domain (the path under test is the RPC, not this)
  absl::StatusOr<WriteResult> Act(const Identity& who, const std::string& id, Command c) {
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Act(who, id, absl::StrCat("setup-", ++setup_seq_), c,
                   [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    return p.get_future().get();
  }
  std::string Report(const Identity& reporter) {
    ReportInput in;
    in.client_request_id = absl::StrCat("setup-", ++setup_seq_);
    in.category_code = "garbage";
    in.location = Location{22.54, 114.05, reporter.area, ""};
    in.description = "exposed garbage";
    in.reporter_name = kName;
    in.reporter_phone = kPhone;
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Report(reporter, in, [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    absl::StatusOr<WriteResult> r = p.get_future().get();
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->event.id : "";
  }
  void Step(const Identity& who, const std::string& id, Command c) {
    absl::StatusOr<WriteResult> r = Act(who, id, c);
    EXPECT_TRUE(r.ok()) << ActionName(c.action) << " " << id << ": " << r.status();
  }
  std::string Prepare(const Party& p, Prep setup, const std::string& master) {
    std::string id = Report(p.reporter);
    if (setup == Prep::kReported) return id;
    Step(kRouter, id, {.action = EventAction::kAccept});
    if (setup == Prep::kAccepted || setup == Prep::kAcceptedWithMasters) return id;
    if (setup == Prep::kMerged) {
      Step(kRouter, id, {.action = EventAction::kMerge, .merge_into = master});
      return id;
    }
    Step(kRouter, id, {.action = EventAction::kDispatch, .department_id = p.department});
    if (setup == Prep::kDispatched) return id;
    Step(p.operator_, id, {.action = EventAction::kClaim});
    switch (setup) {
      case Prep::kExtensionPending:
        Step(p.operator_, id, {.action = EventAction::kRequestExtension});
        break;
      case Prep::kSuspensionPending:
      case Prep::kSuspended:
        Step(p.operator_, id, {.action = EventAction::kRequestSuspension});
        if (setup == Prep::kSuspended) {
          Step(p.dispatcher, id, {.action = EventAction::kApproveSuspension});
        }
        break;
      case Prep::kResolved:
      case Prep::kVerified: {
        Command resolve{.action = EventAction::kResolve};
        resolve.evidence = {Attachment{"media://fix.jpg", "image/jpeg", 1000, ""}};
        Step(p.operator_, id, resolve);
        if (setup == Prep::kVerified) {
          Step(p.dispatcher, id, {.action = EventAction::kVerifyPass});
        }
        break;
      }
      default:
        break;
    }
    return id;
  }
  Scenario Fresh(Prep setup) {
    EXPECT_TRUE(RedisEnvironment::server()->Flush().ok());
    Scenario s;
    if (setup == Prep::kAcceptedWithMasters || setup == Prep::kMerged) {
      s.master304 = Prepare(kOwnParty, Prep::kAccepted, "");
      s.master305 = Prepare(kOtherParty, Prep::kAccepted, "");
    }
    s.event[kOwn] = Prepare(kOwnParty, setup, s.master304);
    s.event[kSame] = Prepare(kSameParty, setup, s.master304);
    s.event[kOther] = Prepare(kOtherParty, setup, s.master305);
    for (int i = 0; i < 3; ++i) {  // an SLA record for each (GetEventClock)
      sla::ArmPlan plan;
      plan.record.event_id = s.event[i];
      plan.record.version = 1;
      EXPECT_TRUE(sla_store_.Arm(i == kOther ? "440305" : "440304", 0, plan).ok());
    }
    ApiKeyRecord key{.key_id = kApiKeyId,
                     .salt_hex = std::string(32, '0'),
                     .hash_hex = std::string(64, '0'),
                     .department_id = "dep_a",
                     .area = "440304",
                     .label = "matrix",
                     .created_by = "ad1",
                     .created_at = clock_.Now()};
    EXPECT_TRUE(api_keys_->Create(key).ok());  // for RevokeApiKey / ListApiKeys
    return s;
  }

  Target TargetFor(const Scenario& s, Rel rel) {
    static const char* const kDepartments[] = {"dep_a", "dep_b", "dep_z", "dep_nope"};
    static const char* const kDistricts[] = {"440304", "440304", "440305", "999999"};
    static const char* const kCentres[] = {"ctr_st1", "ctr_d", "ctr_z", "ctr_nope"};
    static const char* const kGrids[] = {"g1", "g2", "g9", "g_nope"};
    Target t;
    t.event = rel == kMissing ? kMissingEvent : s.event[rel];
    t.master = rel == kOther ? s.master305 : s.master304;
    t.department = kDepartments[rel];
    t.department_district = rel == kOther ? "440305" : "440304";
    t.district = kDistricts[rel];
    t.centre = kCentres[rel];
    t.grid = kGrids[rel];
    t.other_department = rel == kOther ? "dep_y" : "dep_d";
    t.rid = absl::StrCat("matrix-", ++call_seq_);
    return t;
  }

  // ---- the call: generic, by full method name, unary or server-streaming
  struct Answer {
    grpc::Status status;
    std::unique_ptr<Message> response;  // when OK (a stream's first message)
  };
  Answer Call(const google::protobuf::MethodDescriptor& m, const Message& request,
              const Identity& who) {
    const std::string path = absl::StrCat("/", m.service()->full_name(), "/", m.name());
    grpc::ClientContext ctx;
    ctx.AddMetadata(kDevIdentityHeader, FormatDevIdentity(who));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer req(&slice, 1), resp;
    Answer a;
    if (!m.server_streaming()) {
      std::promise<grpc::Status> done;
      stub_->UnaryCall(&ctx, path, grpc::StubOptions(), &req, &resp,
                       [&done](grpc::Status s) { done.set_value(std::move(s)); });
      a.status = done.get_future().get();
    } else {
      grpc::CompletionQueue cq;
      auto call = stub_->PrepareCall(&ctx, path, &cq);
      auto wait = [&cq](intptr_t want) {
        void* tag = nullptr;
        bool ok = false;
        EXPECT_TRUE(cq.Next(&tag, &ok));
        EXPECT_EQ(reinterpret_cast<intptr_t>(tag), want);
        return ok;
      };
      call->StartCall(reinterpret_cast<void*>(1));
      wait(1);
      call->Write(req, reinterpret_cast<void*>(2));
      wait(2);
      call->WritesDone(reinterpret_cast<void*>(3));
      wait(3);
      call->Read(&resp, reinterpret_cast<void*>(4));
      bool got = wait(4);
      if (got) ctx.TryCancel();
      call->Finish(&a.status, reinterpret_cast<void*>(5));
      wait(5);
      cq.Shutdown();
      void* tag;
      bool ok;
      while (cq.Next(&tag, &ok)) {
      }
      if (got) a.status = grpc::Status::OK;
    }
    if (a.status.ok()) {
      std::vector<grpc::Slice> slices;
      EXPECT_TRUE(resp.Dump(&slices).ok());
      std::string out;
      for (const grpc::Slice& s : slices) out.append(s.begin(), s.end());
      a.response.reset(google::protobuf::MessageFactory::generated_factory()
                           ->GetPrototype(m.output_type())
                           ->New());
      EXPECT_TRUE(a.response->ParseFromString(out));
    }
    return a;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::atomic<uint64_t> random_{0};
  int setup_seq_ = 0, call_seq_ = 0;
  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<redis::RedisEventStore> store_;
  std::unique_ptr<redis::RedisAssignmentQueue> queue_;
  std::unique_ptr<redis::RedisWebhookStore> webhooks_;
  MemoryOrgStore org_store_;
  std::unique_ptr<OrgRegistry> orgs_;
  std::unique_ptr<EventCommands> commands_;
  sla::MemorySlaStore sla_store_;
  sla::SlaConfig sla_config_;
  std::unique_ptr<sla::SlaEngine> sla_engine_;
  std::unique_ptr<intake::IntakeService> intake_;
  std::unique_ptr<dispatch::DispatchService> dispatch_;
  std::unique_ptr<router::TriageService> triage_;
  std::unique_ptr<router::AdminService> admin_;
  std::unique_ptr<sla::SlaService> sla_;
  std::unique_ptr<console::RedisQueryStore> query_store_;
  std::unique_ptr<console::QueryService> query_;
  std::unique_ptr<redis::RedisChangeFeed> change_feed_;
  std::unique_ptr<console::FeedService> feed_;
  sla::SlaConfig evaluation_sla_;
  std::unique_ptr<console::RedisEvaluationSource> evaluation_source_;
  std::unique_ptr<console::EvaluationRunner> evaluation_runner_;
  std::unique_ptr<console::EvaluationService> evaluation_;
  std::unique_ptr<ApiKeyStore> api_keys_;
  std::unique_ptr<AuditLog> audit_log_;
  std::unique_ptr<authn::AuthService> auth_;
  std::unique_ptr<authn::AuditService> audit_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
};

// Every zhiwang.v1.Event inside `m` (at any depth).
void CollectEvents(const Message& m, std::vector<const v1::Event*>* out) {
  if (m.GetDescriptor() == v1::Event::descriptor()) {
    out->push_back(static_cast<const v1::Event*>(&m));
    return;
  }
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        CollectEvents(r->GetRepeatedMessage(m, f, i), out);
      }
    } else {
      CollectEvents(r->GetMessage(m, f), out);
    }
  }
}

// The RPCs of package zhiwang.v1: every .proto file under proto/zhiwang/v1 must be linked
// into this test (so that a new service cannot hide by not being linked).
std::vector<const google::protobuf::MethodDescriptor*> AllMethods() {
  std::vector<const google::protobuf::MethodDescriptor*> out;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(ZW_PROTO_DIR)) {
    if (entry.path().extension() == ".proto") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& name : files) {
    const google::protobuf::FileDescriptor* f = pool->FindFileByName("zhiwang/v1/" + name);
    EXPECT_NE(f, nullptr) << "zhiwang/v1/" << name
                          << " is not linked into the matrix test: link its service library";
    if (f == nullptr || f->package() != "zhiwang.v1") continue;
    for (int s = 0; s < f->service_count(); ++s) {
      for (int m = 0; m < f->service(s)->method_count(); ++m) {
        out.push_back(f->service(s)->method(m));
      }
    }
  }
  return out;
}

std::string MethodName(const google::protobuf::MethodDescriptor& m) {
  return absl::StrCat(m.service()->full_name(), "/", m.name());
}

TEST(AuthorisationMatrixCoverageTest, EveryRpcHasARuleAndEveryRuleAnRpc) {
  std::set<std::string> methods, ruled;
  for (const auto* m : AllMethods()) methods.insert(MethodName(*m));
  for (const Rule& r : Rules()) {
    EXPECT_TRUE(ruled.insert(r.method).second) << "two rules for " << r.method;
  }
  for (const std::string& m : methods) {
    EXPECT_TRUE(ruled.count(m)) << m << " has no entry in the authorisation matrix";
  }
  for (const std::string& r : ruled) {
    EXPECT_TRUE(methods.count(r)) << "the matrix names " << r << ", which is not an RPC";
  }
  EXPECT_GE(methods.size(), 42u);  // the services of this build
}

TEST_F(MatrixTest, EveryRpcEveryRoleEveryRelationAnswersAsSpecified) {
  std::map<std::string, const Rule*> by_method;
  for (const Rule& r : Rules()) by_method[r.method] = &r;
  int cells = 0;
  for (const auto* m : AllMethods()) {
    auto it = by_method.find(MethodName(*m));
    if (it == by_method.end()) continue;  // reported by the coverage test
    const Rule& rule = *it->second;
    SCOPED_TRACE(rule.method);
    std::optional<Scenario> scenario;
    for (int role = 0; role < kRoleCount; ++role) {
      std::string missing_message;  // this role's NOT_FOUND for a missing object
      std::vector<std::pair<Rel, std::string>> not_found;
      for (int rel = 0; rel < kRelCount; ++rel) {
        if (rule.object == kNone && rel != kOwn) continue;  // no object: one call
        if (!scenario) scenario = Fresh(rule.setup);
        Target target = TargetFor(*scenario, static_cast<Rel>(rel));
        std::unique_ptr<Message> request(google::protobuf::MessageFactory::generated_factory()
                                             ->GetPrototype(m->input_type())
                                             ->New());
        rule.build(*request, target);
        const Identity& who = kWho[role];
        Answer a = Call(*m, *request, who);
        Code want = Expected(rule, static_cast<R>(role), static_cast<Rel>(rel));
        ++cells;
        std::string cell = absl::StrCat(RoleName(who.role), " × ", kRelName[rel]);
        EXPECT_EQ(a.status.error_code(), want)
            << cell << ": got " << a.status.error_code() << " '" << a.status.error_message() << "'";
        if (a.status.error_code() == Code::NOT_FOUND && rule.object == kEvent) {
          std::string normalised =
              absl::StrReplaceAll(a.status.error_message(), {{target.event, "<id>"}});
          if (rel == kMissing) {
            missing_message = normalised;
          } else {
            not_found.emplace_back(static_cast<Rel>(rel), normalised);
          }
        }
        if (a.status.ok()) {
          // Never leak, and mask as specified, in everything an OK answer carries.
          std::vector<const v1::Event*> events;
          CollectEvents(*a.response, &events);
          for (const v1::Event* e : events) {
            Rel of = e->id() == scenario->event[kOwn]     ? kOwn
                     : e->id() == scenario->event[kSame]  ? kSame
                     : e->id() == scenario->event[kOther] ? kOther
                                                          : kMissing;
            bool master_seen =
                (e->id() == scenario->master304 &&
                 (Visible(kEvent, static_cast<R>(role), kSame) || role == GW)) ||
                (e->id() == scenario->master305 && Visible(kEvent, static_cast<R>(role), kOther));
            bool own_report = e->reporter().subject() == who.subject;
            EXPECT_TRUE(own_report || master_seen ||
                        (of != kMissing && SeesEvent(rule.setup, static_cast<R>(role), of)))
                << cell << ": leaked event " << e->id();
            bool full = SeesContact(static_cast<R>(role)) || own_report;
            EXPECT_EQ(e->reporter().name(), full ? kName : "张*") << cell << " " << e->id();
            EXPECT_EQ(e->reporter().phone(), full ? kPhone : "138****5678")
                << cell << " " << e->id();
          }
          // CSV exports carry events as rows: none the caller may not see.
          if (m->output_type() == v1::CsvChunk::descriptor()) {
            const std::string& data = static_cast<const v1::CsvChunk&>(*a.response).data();
            EXPECT_NE(data.find("event_id,"), std::string::npos) << cell << ": no CSV header";
            for (int of = kOwn; of <= kOther; ++of) {
              if (data.find(scenario->event[of]) == std::string::npos) continue;
              EXPECT_TRUE(SeesEvent(rule.setup, static_cast<R>(role), static_cast<Rel>(of)))
                  << cell << ": leaked event " << scenario->event[of] << " in CSV";
            }
          }
          // A board shows a scoped caller only the rows of its scope.
          if (m->output_type() == v1::Board::descriptor()) {
            const auto& board = static_cast<const v1::Board&>(*a.response);
            bool street = role == CS || role == SD, department = role == OP || role == DS;
            if (street || department) {
              EXPECT_FALSE(board.has_district()) << cell << ": district row";
              for (const v1::BoardRow& r : board.streets()) {
                EXPECT_TRUE(street && r.id() == "st1") << cell << ": street row " << r.id();
              }
              for (const v1::BoardRow& r : board.departments()) {
                EXPECT_TRUE(department && r.id() == "dep_a")
                    << cell << ": department row " << r.id();
              }
            }
          }
          if (rule.mutates) scenario.reset();
        }
      }
      if (rule.same_message && !missing_message.empty()) {
        for (const auto& [rel, message] : not_found) {
          EXPECT_EQ(message, missing_message) << RoleName(kWho[role].role) << " × " << kRelName[rel]
                                              << ": out of scope must read exactly like missing";
        }
      }
    }
  }
  EXPECT_GT(cells, 1000);
}

}  // namespace
}  // namespace zhiwang
