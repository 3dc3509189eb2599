// The EventStore contract suite (event_store_contract.h) against MemoryEventStore, plus
// what only the memory store exposes: the work items it queued.

#include "common/store/memory_event_store.h"

#include <memory>
#include <string>
#include <vector>

#include "common/store/event_store_contract.h"
#include "gtest/gtest.h"

namespace zhiwang::contract {
namespace {

class MemoryHarness final : public EventStoreHarness {
 public:
  EventStore* store() override { return &store_; }
  MemoryEventStore& memory() { return store_; }

 private:
  MemoryEventStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, EventStoreContractTest,
                         ::testing::Values(EventStoreContractParam{
                             "Memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         EventStoreContractParamName);

// The work items each write queues, seen through MemoryEventStore::queued().
class MemoryEventStoreQueueTest : public EventStoreContractTest {
 protected:
  MemoryEventStore& memory() { return static_cast<MemoryHarness*>(harness_.get())->memory(); }
};

TEST_P(MemoryEventStoreQueueTest, CreateRejectAndDispatchQueueWorkItems) {
  using Q = MemoryEventStore::QueuedItem;
  Event e = Created(1, 0);
  EXPECT_EQ(memory().queued(), (std::vector<Q>{{"router", e.id}}));
  e = Dispatched(e, W::kUrban, 10);  // accept queues nothing, dispatch queues the department
  EXPECT_EQ(memory().queued(), (std::vector<Q>{{"router", e.id}, {"department:st1_urban", e.id}}));
  e = Move(e, W::Operator(W::kUrban), Reject(), 20, "reject-1");
  EXPECT_EQ(memory().queued(),
            (std::vector<Q>{{"router", e.id}, {"department:st1_urban", e.id}, {"router", e.id}}));
  // Nothing is queued by refused or replayed writes.
  NewEvent again = MakeNew(1, 0);
  ASSERT_TRUE(s().Create(again, CreateKey(1)).ok());
  EXPECT_EQ(memory().queued().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Memory, MemoryEventStoreQueueTest,
                         ::testing::Values(EventStoreContractParam{
                             "Memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         EventStoreContractParamName);

}  // namespace
}  // namespace zhiwang::contract
