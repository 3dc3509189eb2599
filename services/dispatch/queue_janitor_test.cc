// dq (issue 5): the janitor bounds every department's queue (memory queue, fake clock).

#include "services/dispatch/queue_janitor.h"

#include "absl/strings/str_cat.h"
#include "common/store/memory_assignment_queue.h"
#include "common/store/memory_org_store.h"
#include "gtest/gtest.h"

namespace zhiwang::dispatch {
namespace {

DistrictOrg TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}};
  org.communities = {{"c1", "Community 1", "st1"}};
  org.grids = {{"g1", "Grid 1", "c1"}};
  org.departments = {{"dep_a", "Urban management", DepartmentLevel::kStreet, "st1"},
                     {"dep_b", "Sanitation bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_a", "dep_b"}}};
  return org;
}

TEST(QueueJanitorTest, TrimsAcknowledgedEntriesAndCapsQueuesNobodyConsumes) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  MemoryAssignmentQueue queue(&clock);
  MemoryOrgStore org_store;
  OrgRegistry orgs(&org_store);
  ASSERT_TRUE(orgs.Publish(TestDistrict()).ok());
  QueueRef a{"440304", "dep_a", QueueChannel::kAssignments};
  QueueRef b{"440304", "dep_b", QueueChannel::kAssignments};
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = queue.Append(a, QueueEntry{"", absl::StrCat("440304-a", i), 1, ""});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
    ASSERT_TRUE(queue.Append(b, QueueEntry{"", absl::StrCat("440304-b", i), 1, ""}).ok());
  }
  // dep_a has a consumer that acknowledged two of its three deliveries.
  ASSERT_TRUE(queue.Next(a, "sys", 10, 100).ok());
  ASSERT_TRUE(queue.Ack(a, {ids[0], ids[1]}).ok());

  QueueJanitor janitor(&queue, &orgs, /*keep_without_group=*/1);
  EXPECT_EQ(janitor.RunOnce(), 4);  // dep_a: the two acknowledged; dep_b: all but 1
  auto sa = queue.Stats(a);
  auto sb = queue.Stats(b);
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(sa->length, 1);
  EXPECT_EQ(sa->pending, 1);  // the unacknowledged delivery is kept
  EXPECT_EQ(sb->length, 1);
  EXPECT_EQ(janitor.RunOnce(), 0);
}

}  // namespace
}  // namespace zhiwang::dispatch
