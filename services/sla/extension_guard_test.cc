// The extension limit is enforced before an approval commits: EventCommands with the SLA
// ExtensionGuard over the in-memory stores.
#include "services/sla/extension_guard.h"

#include <future>

#include "common/store/memory_event_store.h"
#include "common/store/memory_org_store.h"
#include "gtest/gtest.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::sla {
namespace {

const Identity kWorker{"worker-1", Role::kGridWorker, "g1", ""};
const Identity kDispatcher{"dispatcher-1", Role::kDistrictDispatcher, "440304", ""};
const Identity kOperator{"op-1", Role::kDepartmentOperator, "440304", "st1_urban"};

DistrictOrg SmallOrg() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Shatou"}};
  org.communities = {{"c1", "Community 1", "st1"}};
  org.grids = {{"g1", "Grid 1", "c1"}};
  org.departments = {{"st1_urban", "Shatou urban management", DepartmentLevel::kStreet, "st1"}};
  org.categories = {{"0101", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"0101", {"st1_urban"}}};
  return org;
}

class ExtensionGuardCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(orgs_.Publish(SmallOrg()).ok());
    config_.Set("*", std::make_shared<DistrictSla>(DistrictSla{BusinessCalendar::AlwaysWorking(),
                                                               testing::SecondScalePolicies()}));
    commands_.set_guard(&guard_);
  }
  absl::StatusOr<WriteResult> Act(const Identity& who, const std::string& id,
                                  const std::string& rid, EventAction action) {
    std::promise<absl::StatusOr<WriteResult>> p;
    Command c;
    c.action = action;
    if (action == EventAction::kDispatch) c.department_id = "st1_urban";
    if (action == EventAction::kRequestExtension) c.note = "need parts";
    commands_.Act(who, id, rid, c, [&p](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    return p.get_future().get();
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  MemoryOrgStore org_store_;
  OrgRegistry orgs_{&org_store_};
  MemoryEventStore store_;
  uint64_t next_ = 0;
  EventCommands commands_{&store_, &orgs_, &clock_, [this] { return ++next_; }};
  SlaConfig config_;
  ExtensionGuard guard_{&config_};
};

TEST_F(ExtensionGuardCommandsTest, SecondApprovalBeyondThePolicyLimitIsRefusedAndWritesNothing) {
  ReportInput in;
  in.client_request_id = "r1";
  in.category_code = "0101";
  in.location = Location{22.54, 114.05, "g1", "Shatou Road 1"};
  in.description = "garbage";
  in.attachments = {Attachment{"media://p", "image/jpeg", 10, ""}};
  std::promise<absl::StatusOr<WriteResult>> p;
  commands_.Report(kWorker, in, [&p](absl::StatusOr<WriteResult> r) { p.set_value(r); });
  absl::StatusOr<WriteResult> r = p.get_future().get();
  ASSERT_TRUE(r.ok()) << r.status();
  std::string id = r->event.id;
  ASSERT_TRUE(Act(kDispatcher, id, "a", EventAction::kAccept).ok());
  ASSERT_TRUE(Act(kDispatcher, id, "d", EventAction::kDispatch).ok());
  ASSERT_TRUE(Act(kOperator, id, "c", EventAction::kClaim).ok());
  ASSERT_TRUE(Act(kOperator, id, "x1", EventAction::kRequestExtension).ok());
  absl::StatusOr<WriteResult> first = Act(kDispatcher, id, "y1", EventAction::kApproveExtension);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->event.extension_count, 1);
  ASSERT_TRUE(Act(kOperator, id, "x2", EventAction::kRequestExtension).ok());
  absl::StatusOr<WriteResult> second = Act(kDispatcher, id, "y2", EventAction::kApproveExtension);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  // The refused approval wrote nothing: the request is still pending, one extension so far.
  std::promise<absl::StatusOr<Event>> g;
  store_.Get(id, [&g](absl::StatusOr<Event> e) { g.set_value(e); });
  absl::StatusOr<Event> now = g.get_future().get();
  EXPECT_EQ(now->extension_count, 1);
  EXPECT_TRUE(now->extension_pending);
  // A denial is not limited.
  EXPECT_TRUE(Act(kDispatcher, id, "n2", EventAction::kDenyExtension).ok());
}

}  // namespace
}  // namespace zhiwang::sla
