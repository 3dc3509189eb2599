// Unit tests of the DispatchService adapter, in-process, together with IntakeService for a
// whole event flow. The router is not running: the test takes its part by applying the
// router's own decisions (DecideRouting) through EventCommands under RouterIdentity().

#include "services/dispatch/dispatch_service.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/rpc/identity.h"
#include "common/store/memory_event_store.h"
#include "common/store/memory_org_store.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/intake/intake_service.h"
#include "services/router/routing_decision.h"
#include "zhiwang/v1/dispatch.grpc.pb.h"
#include "zhiwang/v1/intake.grpc.pb.h"

namespace zhiwang::dispatch {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'790'000'000);

DistrictOrg TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}, {"st2", "Street 2"}};
  org.communities = {{"c1", "Community 1", "st1"}, {"c2", "Community 2", "st2"}};
  org.grids = {{"g1", "Grid 1", "c1"}, {"g2", "Grid 2", "c2"}};
  org.departments = {{"dep_a", "Urban management", DepartmentLevel::kStreet, "st1"},
                     {"dep_b", "Sanitation bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_a", "dep_b"}}};
  return org;
}

// A second district, to check that dispatchers stay within their own.
DistrictOrg OtherDistrict() {
  DistrictOrg org;
  org.id = "440305";
  org.name = "Nanshan";
  org.streets = {{"n_st1", "Street 1"}};
  org.communities = {{"n_c1", "Community 1", "n_st1"}};
  org.grids = {{"n_g1", "Grid 1", "n_c1"}};
  org.departments = {{"n_dep", "Urban management", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"n_dep"}}};
  return org;
}

const Identity kWorker{"w1", Role::kGridWorker, "g1", ""};
const Identity kOperatorA{"op-a", Role::kDepartmentOperator, "st1", "dep_a"};
const Identity kOperatorB{"op-b", Role::kDepartmentOperator, "440304", "dep_b"};
const Identity kStreetDispatcher{"disp-1", Role::kStreetDispatcher, "st1", ""};
const Identity kOtherDispatcher{"disp-9", Role::kStreetDispatcher, "440305", ""};

bool Mentions(const grpc::Status& s, std::string_view what) {
  return s.error_message().find(what) != std::string::npos;
}

v1::EventState State(EventState s) { return static_cast<v1::EventState>(s); }

class DispatchServiceTest : public ::testing::Test {
 protected:
  DispatchServiceTest()
      : clock_(kStart),
        orgs_(&org_store_),
        commands_(&store_, &orgs_, &clock_, [this] { return ++random_; }),
        intake_(&commands_, &store_, &orgs_),
        dispatch_(&commands_, &store_, &orgs_) {
    absl::StatusOr<int64_t> v = orgs_.Publish(TestDistrict());
    EXPECT_TRUE(v.ok()) << v.status();
    v = orgs_.Publish(OtherDistrict());
    EXPECT_TRUE(v.ok()) << v.status();
    grpc::ServerBuilder builder;
    builder.RegisterService(&intake_);
    builder.RegisterService(&dispatch_);
    server_ = builder.BuildAndStart();
    std::shared_ptr<grpc::Channel> channel = server_->InProcessChannel(grpc::ChannelArguments());
    intake_stub_ = v1::IntakeService::NewStub(channel);
    dispatch_stub_ = v1::DispatchService::NewStub(channel);
  }
  ~DispatchServiceTest() override { server_->Shutdown(); }

  // A client context carrying `who`, with a generous deadline so a handler that never
  // finishes fails the test instead of hanging it.
  static std::unique_ptr<grpc::ClientContext> Context(const Identity& who) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(kDevIdentityHeader, FormatDevIdentity(who));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  v1::Event MustReport(const std::string& request_id) {
    v1::ReportEventRequest req;
    req.set_client_request_id(request_id);
    req.set_category_code("garbage");
    req.mutable_location()->set_latitude(22.54);
    req.mutable_location()->set_longitude(114.05);
    req.mutable_location()->set_grid_id("g1");
    req.set_description("exposed garbage");
    v1::ReportEventResponse resp;
    grpc::Status s = intake_stub_->ReportEvent(Context(kWorker).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.event();
  }

  // One step of the router: decide on the stored event and apply the decision. Returns
  // the decision taken (nullopt when there was none).
  std::optional<Command> RouteOnce(const std::string& event_id) {
    std::optional<Event> current;
    store_.Get(event_id, [&](absl::StatusOr<Event> e) {
      ASSERT_TRUE(e.ok()) << e.status();
      current = *e;
    });
    if (!current) return std::nullopt;
    std::shared_ptr<const District> district = orgs_.Find(current->district_id);
    std::optional<Command> c = router::DecideRouting(*current, district.get());
    if (!c) return std::nullopt;
    absl::StatusOr<WriteResult> result = absl::UnknownError("not called");
    commands_.Act(router::RouterIdentity(), event_id,
                  absl::StrCat("route-", event_id, "-", current->version), *c,
                  [&](absl::StatusOr<WriteResult> r) { result = std::move(r); });
    EXPECT_TRUE(result.ok()) << result.status();
    return c;
  }

  // Reports an event and routes it to its first department (dep_a).
  v1::Event ReportedAndDispatched(const std::string& request_id) {
    v1::Event e = MustReport(request_id);
    RouteOnce(e.id());  // accept
    RouteOnce(e.id());  // dispatch
    return e;
  }

  grpc::Status ListAs(const Identity& who, const std::string& department,
                      v1::ListAssignmentsResponse* resp, int page_size = 0,
                      const std::string& token = "") {
    v1::ListAssignmentsRequest req;
    req.set_department_id(department);
    req.set_page_size(page_size);
    req.set_page_token(token);
    return dispatch_stub_->ListAssignments(Context(who).get(), req, resp);
  }

  static std::vector<std::string> Ids(const v1::ListAssignmentsResponse& resp) {
    std::vector<std::string> ids;
    for (const v1::Event& e : resp.events()) ids.push_back(e.id());
    return ids;
  }

  FakeClock clock_;
  std::atomic<uint64_t> random_{0};
  MemoryEventStore store_;
  MemoryOrgStore org_store_;
  OrgRegistry orgs_;
  EventCommands commands_;
  intake::IntakeService intake_;
  DispatchService dispatch_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::IntakeService::Stub> intake_stub_;
  std::unique_ptr<v1::DispatchService::Stub> dispatch_stub_;
};

TEST_F(DispatchServiceTest, FullFlowFromReportToClose) {
  v1::Event reported = MustReport("r1");
  const std::string id = reported.id();
  ASSERT_EQ(reported.state(), State(EventState::kReported));

  // Router: accept, then dispatch to the first department of the rule.
  clock_.Advance(absl::Seconds(1));
  std::optional<Command> accept = RouteOnce(id);
  ASSERT_TRUE(accept.has_value());
  EXPECT_EQ(accept->action, EventAction::kAccept);
  clock_.Advance(absl::Seconds(1));
  std::optional<Command> dispatch = RouteOnce(id);
  ASSERT_TRUE(dispatch.has_value());
  EXPECT_EQ(dispatch->action, EventAction::kDispatch);
  EXPECT_EQ(dispatch->department_id, "dep_a");
  EXPECT_FALSE(RouteOnce(id).has_value());  // nothing more for the router
  EXPECT_EQ(store_.queued().back(), (MemoryEventStore::QueuedItem{"department:dep_a", id}));

  v1::EventResponse resp;
  // Department dep_a claims, reports progress and resolves.
  clock_.Advance(absl::Minutes(10));
  v1::ClaimEventRequest claim;
  claim.set_client_request_id("claim-1");
  claim.set_event_id(id);
  grpc::Status s = dispatch_stub_->ClaimEvent(Context(kOperatorA).get(), claim, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kClaimed));
  EXPECT_EQ(resp.event().department_id(), "dep_a");

  clock_.Advance(absl::Minutes(30));
  v1::AddProgressRequest progress;
  progress.set_client_request_id("progress-1");
  progress.set_event_id(id);
  progress.set_note("truck on the way");
  s = dispatch_stub_->AddProgress(Context(kOperatorA).get(), progress, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kInProgress));

  clock_.Advance(absl::Hours(1));
  v1::ResolveEventRequest resolve;
  resolve.set_client_request_id("resolve-1");
  resolve.set_event_id(id);
  resolve.set_note("cleaned");
  v1::Attachment* photo = resolve.add_evidence();
  photo->set_uri("s3://bucket/after.jpg");
  photo->set_content_type("image/jpeg");
  s = dispatch_stub_->ResolveEvent(Context(kOperatorA).get(), resolve, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kResolved));

  // The reporter verifies on site through the intake service.
  clock_.Advance(absl::Hours(2));
  v1::VerifyEventRequest verify;
  verify.set_client_request_id("verify-1");
  verify.set_event_id(id);
  verify.set_passed(true);
  s = intake_stub_->VerifyEvent(Context(kWorker).get(), verify, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kVerified));

  // A dispatcher closes it.
  clock_.Advance(absl::Minutes(5));
  v1::CloseEventRequest close;
  close.set_client_request_id("close-1");
  close.set_event_id(id);
  close.set_note("done");
  s = dispatch_stub_->CloseEvent(Context(kStreetDispatcher).get(), close, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kClosed));
  EXPECT_EQ(resp.event().version(), 8);
  EXPECT_EQ(resp.event().updated_at().seconds(),
            absl::ToUnixSeconds(kStart + absl::Seconds(2) + absl::Minutes(10) + absl::Minutes(30) +
                                absl::Hours(1) + absl::Hours(2) + absl::Minutes(5)));

  // The whole story is on the timeline, in order.
  v1::GetEventRequest get;
  get.set_event_id(id);
  get.set_include_timeline(true);
  v1::GetEventResponse got;
  s = intake_stub_->GetEvent(Context(kWorker).get(), get, &got);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::vector<EventAction> actions;
  for (const v1::TimelineEntry& t : got.timeline()) {
    actions.push_back(static_cast<EventAction>(t.action()));
    EXPECT_EQ(t.seq(), static_cast<int64_t>(actions.size()));
  }
  EXPECT_EQ(actions, (std::vector<EventAction>{EventAction::kReport, EventAction::kAccept,
                                               EventAction::kDispatch, EventAction::kClaim,
                                               EventAction::kAddProgress, EventAction::kResolve,
                                               EventAction::kVerifyPass, EventAction::kClose}));
  ASSERT_EQ(got.timeline_size(), 8);
  EXPECT_EQ(got.timeline(1).actor_subject(), "router");
  EXPECT_EQ(got.timeline(2).department_id(), "dep_a");
  EXPECT_EQ(got.timeline(3).actor_subject(), "op-a");
  EXPECT_EQ(got.timeline(3).actor_department_id(), "dep_a");
  EXPECT_EQ(got.timeline(5).evidence_size(), 1);
  EXPECT_EQ(got.timeline(7).actor_subject(), "disp-1");

  // Closed events are no longer anyone's work.
  v1::ListAssignmentsResponse list;
  s = ListAs(kOperatorA, "", &list);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(list.events_size(), 0);
}

TEST_F(DispatchServiceTest, ClaimRetryIsReplayed) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::ClaimEventRequest claim;
  claim.set_client_request_id("claim-1");
  claim.set_event_id(e.id());
  v1::EventResponse first, again;
  ASSERT_TRUE(dispatch_stub_->ClaimEvent(Context(kOperatorA).get(), claim, &first).ok());
  grpc::Status s = dispatch_stub_->ClaimEvent(Context(kOperatorA).get(), claim, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.event().version(), first.event().version());
  EXPECT_EQ(again.event().state(), State(EventState::kClaimed));
}

// auth (issue 7): an event another department holds is out of scope: NOT_FOUND.
TEST_F(DispatchServiceTest, AnotherDepartmentMayNotClaim) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::ClaimEventRequest claim;
  claim.set_client_request_id("claim-1");
  claim.set_event_id(e.id());
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->ClaimEvent(Context(kOperatorB).get(), claim, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "event " + e.id() + " not found");
}

TEST_F(DispatchServiceTest, ClaimWithoutIdentityIsUnauthenticated) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::ClaimEventRequest claim;
  claim.set_client_request_id("claim-1");
  claim.set_event_id(e.id());
  grpc::ClientContext ctx;
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->ClaimEvent(&ctx, claim, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(DispatchServiceTest, ClaimMalformedEventIdIsInvalidArgument) {
  v1::ClaimEventRequest claim;
  claim.set_client_request_id("claim-1");
  claim.set_event_id("garbage");
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->ClaimEvent(Context(kOperatorA).get(), claim, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "event_id")) << s.error_message();
}

TEST_F(DispatchServiceTest, ClaimUnknownEventIsNotFound) {
  v1::ClaimEventRequest claim;
  claim.set_client_request_id("claim-1");
  claim.set_event_id("440304-20260921-0000000000");
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->ClaimEvent(Context(kOperatorA).get(), claim, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(DispatchServiceTest, CloseBeforeVerificationIsFailedPrecondition) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::CloseEventRequest close;
  close.set_client_request_id("close-1");
  close.set_event_id(e.id());
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->CloseEvent(Context(kStreetDispatcher).get(), close, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Mentions(s, "dispatched")) << s.error_message();
}

TEST_F(DispatchServiceTest, RejectedByEveryDepartmentWaitsForTriageThenAssign) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::EventResponse resp;
  v1::RejectEventRequest reject;
  reject.set_client_request_id("reject-a");
  reject.set_event_id(e.id());
  reject.set_reason_code("NOT_OUR_JURISDICTION");
  grpc::Status s = dispatch_stub_->RejectEvent(Context(kOperatorA).get(), reject, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kRejected));

  std::optional<Command> next = RouteOnce(e.id());
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->department_id, "dep_b");

  reject.set_client_request_id("reject-b");
  s = dispatch_stub_->RejectEvent(Context(kOperatorB).get(), reject, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // org (issue 3): the second rejection reaches the limit (2): adjudication at the
  // dispatch centre's triage queue, recorded as a step; then nothing more is routed.
  std::optional<Command> triage = RouteOnce(e.id());
  ASSERT_TRUE(triage.has_value());
  EXPECT_EQ(triage->action, EventAction::kTriage);
  EXPECT_EQ(triage->reason_code, kTriageAdjudication);
  EXPECT_FALSE(RouteOnce(e.id()).has_value());

  v1::AssignEventRequest assign;
  assign.set_client_request_id("assign-1");
  assign.set_event_id(e.id());
  assign.set_department_id("dep_a");
  assign.set_note("it is yours after all");
  s = dispatch_stub_->AssignEvent(Context(kStreetDispatcher).get(), assign, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().state(), State(EventState::kDispatched));
  EXPECT_EQ(resp.event().department_id(), "dep_a");
  EXPECT_EQ(resp.event().rejected_by_size(), 2);
}

TEST_F(DispatchServiceTest, RejectNeedsAReasonCode) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::RejectEventRequest reject;
  reject.set_client_request_id("reject-a");
  reject.set_event_id(e.id());
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->RejectEvent(Context(kOperatorA).get(), reject, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "reason_code")) << s.error_message();
}

TEST_F(DispatchServiceTest, AssignToUnknownDepartmentIsInvalidArgument) {
  v1::Event e = MustReport("r1");
  RouteOnce(e.id());  // accepted
  v1::AssignEventRequest assign;
  assign.set_client_request_id("assign-1");
  assign.set_event_id(e.id());
  assign.set_department_id("n_dep");  // a department of another district
  v1::EventResponse resp;
  grpc::Status s = dispatch_stub_->AssignEvent(Context(kStreetDispatcher).get(), assign, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "department_id")) << s.error_message();
}

TEST_F(DispatchServiceTest, ListAssignmentsOfOwnDepartment) {
  v1::Event first = ReportedAndDispatched("r1");
  v1::Event second = ReportedAndDispatched("r2");
  MustReport("r3");  // not dispatched yet: nobody's work

  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kOperatorA, "", &resp);  // defaults to the caller's department
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Ids(resp), (std::vector<std::string>{first.id(), second.id()}));
  EXPECT_EQ(resp.events(0).state(), State(EventState::kDispatched));

  v1::ListAssignmentsResponse named;
  s = ListAs(kOperatorA, "dep_a", &named);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Ids(named), Ids(resp));

  v1::ListAssignmentsResponse other;
  s = ListAs(kOperatorB, "", &other);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(other.events_size(), 0);
}

TEST_F(DispatchServiceTest, ListAssignmentsPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(ReportedAndDispatched("r" + std::to_string(i)).id());
  v1::ListAssignmentsResponse page1, page2;
  grpc::Status s = ListAs(kOperatorA, "", &page1, 2);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_FALSE(page1.next_page_token().empty());
  s = ListAs(kOperatorA, "", &page2, 2, page1.next_page_token());
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(page2.next_page_token().empty());
  std::vector<std::string> seen = Ids(page1);
  for (const std::string& id : Ids(page2)) seen.push_back(id);
  EXPECT_EQ(seen, ids);
}

TEST_F(DispatchServiceTest, ListAssignmentsPageSizeOutOfRangeIsInvalidArgument) {
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kOperatorA, "", &resp, 500);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "page_size")) << s.error_message();
}

// auth (issue 7): another department's queue reads like an unknown department.
TEST_F(DispatchServiceTest, DepartmentOperatorMayNotListAnotherDepartment) {
  ReportedAndDispatched("r1");
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kOperatorB, "dep_a", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(resp.events_size(), 0);
  grpc::Status missing = ListAs(kOperatorB, "dep_x", &resp);
  EXPECT_EQ(s.error_message(), absl::StrReplaceAll(missing.error_message(), {{"dep_x", "dep_a"}}));
}

TEST_F(DispatchServiceTest, GridWorkerMayNotListAssignments) {
  ReportedAndDispatched("r1");
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kWorker, "dep_a", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// auth (issue 7): a street dispatcher lists the street departments of their street only.
TEST_F(DispatchServiceTest, StreetDispatcherMayListTheDepartmentsOfTheirStreet) {
  v1::Event e = ReportedAndDispatched("r1");
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kStreetDispatcher, "dep_a", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Ids(resp), (std::vector<std::string>{e.id()}));
  v1::ListAssignmentsResponse district_level;
  EXPECT_EQ(ListAs(kStreetDispatcher, "dep_b", &district_level).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(DispatchServiceTest, DispatcherMustNameADepartment) {
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kStreetDispatcher, "", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "department_id")) << s.error_message();
}

TEST_F(DispatchServiceTest, DispatcherOfAnotherDistrictSeesNothing) {
  ReportedAndDispatched("r1");
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(kOtherDispatcher, "dep_a", &resp);
  // The header promises PERMISSION_DENIED; the adapter answers NOT_FOUND (the department
  // is not in the caller's district). Either way nothing is listed.
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(resp.events_size(), 0);
}

// Department identities need not carry an area (identity.h: area is optional):
// ListAssignments finds a department's district from the department itself.
TEST_F(DispatchServiceTest, DepartmentOperatorWithoutAreaListsOwnWork) {
  v1::Event e = ReportedAndDispatched("r1");
  Identity no_area{"op-a2", Role::kDepartmentOperator, "", "dep_a"};
  v1::ListAssignmentsResponse resp;
  grpc::Status s = ListAs(no_area, "", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Ids(resp), (std::vector<std::string>{e.id()}));
}

}  // namespace
}  // namespace zhiwang::dispatch
