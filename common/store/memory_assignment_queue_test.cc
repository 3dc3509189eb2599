// The AssignmentQueue contract suite against MemoryAssignmentQueue, plus idle-time
// behaviour on a fake clock.

#include "common/store/memory_assignment_queue.h"

#include "common/store/assignment_queue_contract.h"

namespace zhiwang::contract {
namespace {

class MemoryHarness final : public AssignmentQueueHarness {
 public:
  AssignmentQueue* queue() override { return &queue_; }
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  MemoryAssignmentQueue queue_{&clock_};
};

INSTANTIATE_TEST_SUITE_P(Memory, AssignmentQueueContractTest,
                         ::testing::Values(AssignmentQueueContractParam{
                             "Memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         AssignmentQueueContractParamName);

TEST(MemoryAssignmentQueueTest, RedeliversAfterTheIdleTimeoutHasPassedOnTheClock) {
  MemoryHarness h;
  QueueRef ref{"d1", "a", QueueChannel::kAssignments};
  ASSERT_TRUE(h.queue_.Append(ref, QueueEntry{"", "d1-e1", 3, ""}).ok());
  ASSERT_TRUE(h.queue_.Next(ref, "c1", 10, 10).ok());
  h.clock_.Advance(absl::Seconds(29));
  auto early = h.queue_.Reclaim(ref, "c2", absl::Seconds(30), 10);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  h.clock_.Advance(absl::Seconds(1));
  auto due = h.queue_.Reclaim(ref, "c2", absl::Seconds(30), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  // A reclaim restarts the idle time: not again before another timeout.
  auto again = h.queue_.Reclaim(ref, "c3", absl::Seconds(30), 10);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

}  // namespace
}  // namespace zhiwang::contract
