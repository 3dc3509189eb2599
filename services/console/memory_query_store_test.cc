// The QueryStore contract suite against MemoryQueryStore (over MemoryEventStore writes).
#include "services/console/memory_query_store.h"

#include "common/store/memory_event_store.h"
#include "services/console/query_store_contract.h"

namespace zhiwang::console::contract {
namespace {

class MemoryHarness final : public QueryHarness {
 public:
  EventStore* events() override { return &events_; }
  QueryStore* store() override { return &store_; }
  void Observe(const Event& e) override { store_.Put(e); }
  void SetClock(const Event& e, std::optional<absl::Time> deadline,
                std::optional<absl::Time> yellow_at) override {
    store_.SetClock(e.id, deadline, yellow_at);
  }
  void Supervise(const Event& e) override { store_.MarkSupervised(e.id); }

 private:
  MemoryEventStore events_;
  MemoryQueryStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, QueryStoreContractTest,
                         ::testing::Values(QueryContractParam{
                             "Memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         QueryContractParamName);

}  // namespace
}  // namespace zhiwang::console::contract
