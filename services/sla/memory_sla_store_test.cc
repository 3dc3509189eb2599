// The SlaStore contract suite against MemorySlaStore.
#include "services/sla/memory_sla_store.h"

#include "services/sla/sla_store_contract.h"

namespace zhiwang::sla::contract {
namespace {

class MemoryHarness final : public SlaStoreHarness {
 public:
  SlaStore* store() override { return &store_; }

 private:
  MemorySlaStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, SlaStoreContractTest,
                         ::testing::Values(SlaStoreContractParam{
                             "Memory", [] { return std::make_unique<MemoryHarness>(); }}),
                         SlaStoreContractParamName);

}  // namespace
}  // namespace zhiwang::sla::contract
