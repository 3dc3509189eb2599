// End-to-end tests of issue 3 (organisation and routing) against the real binaries and a
// private Redis: rejection → re-route → rejection → adjudication → binding assignment;
// a reported grid that disagrees with the point is flagged; manual merge and unmerge of a
// duplicate; hot reload of an organisation file, with a bad file refused while the
// service continues.

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/e2e/stack.h"
#include "zhiwang/v1/triage.grpc.pb.h"

namespace zhiwang::e2e {
namespace {

constexpr char kStreetCentre[] = "990100001_fbzx";
constexpr char kOtherGrid[] = "990100001001002";

// TestDistrict() plus what issue 3 adds: grid polygons (kGridId covers every point
// MakeReport uses; the other grid lies elsewhere), dispatch centres and settings.
v1::District RoutingDistrict() {
  v1::District d = TestDistrict();
  auto square = [](v1::Grid* g, double lat0, double lng0, double lat1, double lng1) {
    for (auto [lat, lng] : {std::pair{lat0, lng0}, {lat0, lng1}, {lat1, lng1}, {lat1, lng0}}) {
      v1::LatLng* v = g->add_polygon();
      v->set_lat(lat);
      v->set_lng(lng);
    }
  };
  for (v1::Grid& g : *d.mutable_grids()) {
    if (g.id() == kGridId) square(&g, 22.0, 113.5, 22.7, 114.2);
    if (g.id() == kOtherGrid) square(&g, 21.0, 113.5, 21.5, 114.2);
  }
  v1::DispatchCentre* street = d.add_dispatch_centres();
  street->set_id(kStreetCentre);
  street->set_name("测试街道分拨中心");
  street->set_level(v1::DEPARTMENT_LEVEL_STREET);
  street->set_street_id(kStreetId);
  v1::DispatchCentre* district = d.add_dispatch_centres();
  district->set_id("990100_fbzx");
  district->set_name("测试区分拨中心");
  district->set_level(v1::DEPARTMENT_LEVEL_DISTRICT);
  d.mutable_routing_settings()->set_max_rejections(2);
  return d;
}

class RoutingE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Stack>> s = Stack::Start(RoutingDistrict(), {});
    if (!s.ok()) {
      error_ = new std::string(s.status().ToString());
      return;
    }
    stack_ = s->release();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    delete error_;
    error_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(stack_, nullptr) << "the e2e stack did not start: " << *error_;
    ASSERT_TRUE(stack_->EnsureRunning().ok());
    triage_ = v1::TriageService::NewStub(
        grpc::CreateChannel(stack_->address(Service::kRouter), grpc::InsecureChannelCredentials()));
  }
  Stack& stack() { return *stack_; }

  // ListTriage of the street centre: the ids waiting there.
  std::vector<std::string> Waiting() {
    v1::ListTriageRequest req;
    req.set_district_id(kDistrictId);
    req.set_centre_id(kStreetCentre);
    req.set_page_size(100);
    v1::ListTriageResponse resp;
    grpc::Status s = triage_->ListTriage(Stack::Context(StreetDispatcher()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const v1::Event& e : resp.events()) ids.push_back(e.id());
    return ids;
  }

  static inline Stack* stack_ = nullptr;
  static inline std::string* error_ = nullptr;
  std::unique_ptr<v1::TriageService::Stub> triage_;
};

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(RoutingE2E, RejectedTwiceGoesToAdjudicationAndTheAdjudicatedAssignmentIsBinding) {
  absl::StatusOr<v1::Event> reported =
      Report(stack(), GridWorker("gw-adj"), MakeReport("adj-1", kTwoDeptCategory));
  ASSERT_TRUE(reported.ok()) << reported.status();
  const std::string id = reported->id();

  // The router dispatches by rule, and says which rule.
  absl::StatusOr<v1::Event> first = WaitDispatched(stack(), GridWorker("gw-adj"), id);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->department_id(), kStreetDept);
  EXPECT_EQ(first->routing().department_id(), kStreetDept);
  EXPECT_EQ(first->routing().scope(), "district");
  EXPECT_FALSE(first->routing().rule_id().empty());

  // First rejection: re-routed, excluding the department that rejected.
  ASSERT_TRUE(Reject(stack(), Operator(kStreetDept), "adj-r1", id, "NOT_OUR_JURISDICTION",
                     "this is the district's")
                  .ok());
  absl::StatusOr<v1::Event> second =
      WaitDispatched(stack(), GridWorker("gw-adj"), id, /*not_to=*/kStreetDept);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->department_id(), kCityDept);

  // Second rejection: the limit (2) is reached → the street centre adjudicates.
  ASSERT_TRUE(
      Reject(stack(), Operator(kCityDept), "adj-r2", id, "wrong_department", "street work").ok());
  absl::StatusOr<v1::Event> waiting =
      WaitForEvent(stack(), GridWorker("gw-adj"), id,
                   [](const v1::Event& e) { return e.awaiting_adjudication(); });
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->state(), v1::EVENT_STATE_REJECTED);
  EXPECT_EQ(waiting->triage_centre_id(), kStreetCentre);
  EXPECT_TRUE(Contains(Waiting(), id));

  // A reason code outside the documented list is refused.
  // The dispatcher assigns: binding.
  v1::TriageAssignRequest assign;
  assign.set_client_request_id("adj-assign");
  assign.set_event_id(id);
  assign.set_department_id(kStreetDept);
  assign.set_note("adjudicated: street office handles exposed garbage");
  v1::EventResponse assigned;
  grpc::Status s =
      triage_->TriageAssign(Stack::Context(StreetDispatcher()).get(), assign, &assigned);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(assigned.event().binding_assignment());
  EXPECT_EQ(assigned.event().department_id(), kStreetDept);
  EXPECT_FALSE(Contains(Waiting(), id));

  absl::StatusOr<v1::Event> again =
      Reject(stack(), Operator(kStreetDept), "adj-r3", id, "NOT_OUR_JURISDICTION", "still not");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition) << again.status();
  EXPECT_NE(again.status().message().find("binding"), absl::string_view::npos) << again.status();
  // The department can still work on it.
  EXPECT_TRUE(Claim(stack(), Operator(kStreetDept), "adj-claim", id).ok());

  // Every rejection is on the timeline against the rejecting department.
  absl::StatusOr<v1::GetEventResponse> got = GetEvent(stack(), GridWorker("gw-adj"), id, true);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> rejecters;
  int triage_entries = 0;
  for (const v1::TimelineEntry& t : got->timeline()) {
    if (t.action() == v1::EVENT_ACTION_REJECT) rejecters.push_back(t.actor_department_id());
    if (t.action() == v1::EVENT_ACTION_TRIAGE) {
      ++triage_entries;
      EXPECT_EQ(t.reason_code(), "adjudication");
    }
  }
  EXPECT_EQ(rejecters, (std::vector<std::string>{kStreetDept, kCityDept}));
  EXPECT_EQ(triage_entries, 1);
}

TEST_F(RoutingE2E, RejectionWithAReasonOutsideTheListIsInvalidArgument) {
  absl::StatusOr<v1::Event> reported =
      Report(stack(), GridWorker("gw-rc"), MakeReport("rc-1", kOneDeptCategory));
  ASSERT_TRUE(reported.ok()) << reported.status();
  ASSERT_TRUE(WaitDispatched(stack(), GridWorker("gw-rc"), reported->id()).ok());
  absl::StatusOr<v1::Event> r =
      Reject(stack(), Operator(kWaterDept), "rc-r1", reported->id(), "because", "no");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("reason_code"), absl::string_view::npos) << r.status();
}

TEST_F(RoutingE2E, ReportedGridThatDisagreesWithThePointIsFlaggedNotOverwritten) {
  v1::ReportEventRequest req = MakeReport("mismatch-1", kOneDeptCategory);
  req.mutable_location()->set_grid_id(kOtherGrid);  // the point lies in kGridId
  // auth (issue 7): a worker reporting in two grids has their community as area.
  const Identity worker{"gw-mm", Role::kGridWorker, "990100001001", ""};
  absl::StatusOr<v1::Event> e = Report(stack(), worker, req);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->location().grid_id(), kOtherGrid);
  EXPECT_EQ(e->located_grid_id(), kGridId);
  EXPECT_TRUE(e->grid_mismatch());
  EXPECT_FALSE(e->cross_street());  // both grids are in the one street

  absl::StatusOr<v1::Event> agree =
      Report(stack(), worker, MakeReport("mismatch-2", kOneDeptCategory));
  ASSERT_TRUE(agree.ok()) << agree.status();
  EXPECT_EQ(agree->located_grid_id(), kGridId);
  EXPECT_FALSE(agree->grid_mismatch());
}

TEST_F(RoutingE2E, ManualMergeMakesAFollowerListedUnderItsMasterAndUnmergeRoutesItAgain) {
  absl::StatusOr<v1::Event> master =
      Report(stack(), GridWorker("gw-dup"), MakeReport("dup-m", kOneDeptCategory));
  absl::StatusOr<v1::Event> copy =
      Report(stack(), GridWorker("gw-dup"), MakeReport("dup-f", kOneDeptCategory));
  ASSERT_TRUE(master.ok() && copy.ok());
  ASSERT_TRUE(WaitDispatched(stack(), GridWorker("gw-dup"), master->id()).ok());
  ASSERT_TRUE(WaitDispatched(stack(), GridWorker("gw-dup"), copy->id()).ok());

  v1::MergeEventRequest merge;
  merge.set_client_request_id("dup-merge");
  merge.set_event_id(copy->id());
  merge.set_master_id(master->id());
  merge.set_note("same standing water");
  v1::EventResponse merged;
  grpc::Status s = triage_->MergeEvent(Stack::Context(StreetDispatcher()).get(), merge, &merged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(merged.event().state(), v1::EVENT_STATE_MERGED);
  EXPECT_EQ(merged.event().merged_into(), master->id());

  v1::ListFollowersRequest lf;
  lf.set_event_id(master->id());
  v1::ListFollowersResponse followers;
  s = triage_->ListFollowers(Stack::Context(StreetDispatcher()).get(), lf, &followers);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(followers.events_size(), 1);
  EXPECT_EQ(followers.events(0).id(), copy->id());

  // Merging into a merged event is refused, naming its state.
  v1::MergeEventRequest chain = merge;
  chain.set_client_request_id("dup-chain");
  chain.set_event_id(master->id());
  chain.set_master_id(copy->id());
  s = triage_->MergeEvent(Stack::Context(StreetDispatcher()).get(), chain, &merged);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  v1::UnmergeEventRequest unmerge;
  unmerge.set_client_request_id("dup-unmerge");
  unmerge.set_event_id(copy->id());
  unmerge.set_note("a different puddle");
  s = triage_->UnmergeEvent(Stack::Context(StreetDispatcher()).get(), unmerge, &merged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(WaitDispatched(stack(), GridWorker("gw-dup"), copy->id()).ok());
  s = triage_->ListFollowers(Stack::Context(StreetDispatcher()).get(), lf, &followers);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(followers.events_size(), 0);
}

TEST_F(RoutingE2E, ReportOfTheSameCategoryNearAnOpenEventIsFoldedIntoIt) {
  v1::ReportEventRequest first = MakeReport("fold-1", kOneDeptCategory);
  absl::StatusOr<v1::Event> master = Report(stack(), GridWorker("gw-fold"), first);
  ASSERT_TRUE(master.ok()) << master.status();
  ASSERT_TRUE(WaitDispatched(stack(), GridWorker("gw-fold"), master->id()).ok());

  // About 55 m away, same category: a follower, not a second dispatch.
  v1::ReportEventRequest again = MakeReport("fold-2", kOneDeptCategory);
  *again.mutable_location() = first.location();
  again.mutable_location()->set_latitude(first.location().latitude() + 0.0005);
  absl::StatusOr<v1::Event> copy = Report(stack(), GridWorker("gw-fold2"), again);
  ASSERT_TRUE(copy.ok()) << copy.status();
  absl::StatusOr<v1::Event> folded =
      WaitForEvent(stack(), GridWorker("gw-fold2"), copy->id(), [](const v1::Event& e) {
        return e.state() != v1::EVENT_STATE_REPORTED && e.state() != v1::EVENT_STATE_ACCEPTED;
      });
  ASSERT_TRUE(folded.ok()) << folded.status();
  EXPECT_EQ(folded->state(), v1::EVENT_STATE_MERGED);
  EXPECT_EQ(folded->merged_into(), master->id());
  EXPECT_EQ(folded->department_id(), "");

  v1::ListFollowersRequest lf;
  lf.set_event_id(master->id());
  v1::ListFollowersResponse followers;
  grpc::Status s = triage_->ListFollowers(Stack::Context(StreetDispatcher()).get(), lf, &followers);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(followers.events_size(), 1);
  EXPECT_EQ(followers.events(0).id(), copy->id());

  // Another category at the same point is its own event.
  v1::ReportEventRequest other = MakeReport("fold-3", kTwoDeptCategory);
  *other.mutable_location() = again.location();
  absl::StatusOr<v1::Event> distinct = Report(stack(), GridWorker("gw-fold3"), other);
  ASSERT_TRUE(distinct.ok()) << distinct.status();
  absl::StatusOr<v1::Event> routed =
      WaitDispatched(stack(), GridWorker("gw-fold3"), distinct->id());
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->merged_into(), "");
}

TEST_F(RoutingE2E, RecategoriseKeepsHistoryRecordsTheClockRuleAndExplainRoutingShowsTheRule) {
  absl::StatusOr<v1::Event> e =
      Report(stack(), GridWorker("gw-rec"), MakeReport("rec-1", kOneDeptCategory));
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_TRUE(WaitDispatched(stack(), GridWorker("gw-rec"), e->id()).ok());
  v1::RecategoriseRequest req;
  req.set_client_request_id("rec-r");
  req.set_event_id(e->id());
  req.set_category_code(kTwoDeptCategory);
  req.set_note("it is garbage, not water");
  v1::EventResponse resp;
  grpc::Status s = triage_->Recategorise(Stack::Context(StreetDispatcher()).get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.event().category_code(), kTwoDeptCategory);
  ASSERT_EQ(resp.event().previous_category_codes_size(), 1);
  EXPECT_EQ(resp.event().previous_category_codes(0), kOneDeptCategory);
  absl::StatusOr<v1::GetEventResponse> got = GetEvent(stack(), GridWorker("gw-rec"), e->id(), true);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->timeline().rbegin()->action(), v1::EVENT_ACTION_RECATEGORISE);
  EXPECT_EQ(got->timeline().rbegin()->reason_code(), "clock_restart");

  v1::ExplainRoutingRequest ex;
  ex.set_event_id(e->id());
  v1::ExplainRoutingResponse why;
  s = triage_->ExplainRouting(Stack::Context(StreetDispatcher()).get(), ex, &why);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(why.recorded().department_id(), kWaterDept);
  EXPECT_EQ(why.now().department_id(), kStreetDept);  // the new category's rule
  EXPECT_NE(why.now().reason().find(kTwoDeptCategory), std::string::npos) << why.now().reason();
}

// Last: restarts the router with a watched file.
TEST_F(RoutingE2E, HotReloadAppliesAGoodFileAndRefusesABadOneWhileTheServiceContinues) {
  const std::string path = absl::StrCat(stack().dir(), "/org.textpb");
  auto write = [&](const v1::District& d, const std::string& extra) {
    std::string text;
    ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(d, &text));
    std::ofstream(path, std::ios::trunc) << text << extra;
  };
  auto status = [&]() {
    v1::GetOrgFileStatusResponse resp;
    grpc::Status s = stack().admin().GetOrgFileStatus(Stack::Context(Admin()).get(), {}, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.files_size() == 1 ? resp.files(0) : v1::OrgFileStatus();
  };
  auto wait_for = [&](const std::function<bool(const v1::OrgFileStatus&)>& done) {
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    v1::OrgFileStatus f;
    while (absl::Now() < give_up) {
      f = status();
      if (done(f)) return f;
      absl::SleepFor(absl::Milliseconds(50));
    }
    ADD_FAILURE() << "file status never matched; last: " << f.ShortDebugString();
    return f;
  };

  v1::District d = RoutingDistrict();
  write(d, "");
  ASSERT_TRUE(
      stack()
          .Restart(Service::kRouter, {absl::StrCat("--org_file=", path), "--org_poll_ms=100"})
          .ok());
  v1::OrgFileStatus loaded = wait_for(
      [](const v1::OrgFileStatus& f) { return f.loaded_version() > 0 && f.last_error().empty(); });
  const int64_t good_version = loaded.loaded_version();

  // A bad file: refused with file, line and id; the previous version keeps serving.
  write(d, "grids { id: \"990100001001099\" name: \"x\" community_id: \"no_such_community\" }\n");
  v1::OrgFileStatus refused =
      wait_for([](const v1::OrgFileStatus& f) { return !f.last_error().empty(); });
  EXPECT_NE(refused.last_error().find(absl::StrCat(path, ":")), std::string::npos)
      << refused.last_error();
  EXPECT_NE(refused.last_error().find("990100001001099"), std::string::npos)
      << refused.last_error();
  EXPECT_EQ(refused.loaded_version(), good_version);
  v1::GetDistrictRequest gd;
  gd.set_district_id(kDistrictId);
  v1::GetDistrictResponse current;
  ASSERT_TRUE(stack().admin().GetDistrict(Stack::Context(Admin()).get(), gd, &current).ok());
  EXPECT_EQ(current.version(), good_version);
  absl::StatusOr<v1::Event> still =
      Report(stack(), GridWorker("gw-hot"), MakeReport("hot-1", kOneDeptCategory));
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_TRUE(WaitDispatched(stack(), GridWorker("gw-hot"), still->id()).ok());

  // A good change: in force, no error.
  v1::Category* extra = d.add_categories();
  extra->set_code("0999");
  extra->set_name("热加载测试");
  extra->set_major("其他");
  extra->set_default_urgency(v1::URGENCY_NORMAL);
  write(d, "");
  v1::OrgFileStatus reloaded = wait_for([&](const v1::OrgFileStatus& f) {
    return f.last_error().empty() && f.loaded_version() > good_version;
  });
  ASSERT_TRUE(stack().admin().GetDistrict(Stack::Context(Admin()).get(), gd, &current).ok());
  EXPECT_EQ(current.version(), reloaded.loaded_version());
  bool has_new = false;
  for (const v1::Category& c : current.district().categories()) has_new |= c.code() == "0999";
  EXPECT_TRUE(has_new);
}

}  // namespace
}  // namespace zhiwang::e2e
