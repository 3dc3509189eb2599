#ifndef ZHIWANG_SERVICES_SLA_SLA_STORE_CONTRACT_H_
#define ZHIWANG_SERVICES_SLA_SLA_STORE_CONTRACT_H_

// The contract suite of the SlaStore port (sla_store.h), run against MemorySlaStore and
// RedisSlaStore so the fake cannot drift. Include from one .cc per test binary and
// instantiate SlaStoreContractTest with a factory of fresh, empty stores.
// Plans are made by the real domain (ApplyChange) with second-scale policies on a
// 24×7 calendar; times are whole milliseconds.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/sla/sla_store.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::sla::contract {

class SlaStoreHarness {
 public:
  virtual ~SlaStoreHarness() = default;
  virtual SlaStore* store() = 0;
};

struct SlaStoreContractParam {
  std::string name;
  std::function<std::unique_ptr<SlaStoreHarness>()> make;
};
inline void PrintTo(const SlaStoreContractParam& p, std::ostream* os) { *os << p.name; }
inline std::string SlaStoreContractParamName(
    const ::testing::TestParamInfo<SlaStoreContractParam>& info) {
  return info.param.name;
}

class SlaStoreContractTest : public ::testing::TestWithParam<SlaStoreContractParam> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    ASSERT_NE(harness_, nullptr);
  }
  SlaStore& s() { return *harness_->store(); }

  // Applies a change to event `id` at t0 + `at_s` seconds through the store.
  void Apply(const std::string& id, int64_t version, EventState state, EventAction action,
             int at_s) {
    absl::StatusOr<std::optional<SlaRecord>> cur = s().Load("d1", id);
    ASSERT_TRUE(cur.ok()) << cur.status();
    absl::StatusOr<std::optional<ArmPlan>> plan =
        ApplyChange(*cur, {id, version, state, action, t0_ + absl::Seconds(at_s)}, testing::Facts(),
                    policies_, cal_);
    ASSERT_TRUE(plan.ok()) << plan.status();
    ASSERT_TRUE(plan->has_value());
    absl::Status armed = s().Arm("d1", *cur ? (*cur)->version : 0, **plan);
    ASSERT_TRUE(armed.ok()) << armed;
  }
  std::vector<std::string> FireIds(int at_s, int max = 100) {
    absl::StatusOr<std::vector<Notice>> fired = s().FireDue("d1", t0_ + absl::Seconds(at_s), max);
    EXPECT_TRUE(fired.ok()) << fired.status();
    std::vector<std::string> ids;
    if (fired.ok()) {
      for (const Notice& n : *fired) ids.push_back(n.id);
    }
    return ids;
  }

  std::unique_ptr<SlaStoreHarness> harness_;
  BusinessCalendar cal_ = BusinessCalendar::AlwaysWorking();
  PolicySet policies_ = testing::SecondScalePolicies();
  absl::Time t0_ = absl::FromUnixSeconds(1'800'000'000);
};

// Limit 10 s from the change: rungs at 8 s, 10 s, 15 s and 25 s.
TEST_P(SlaStoreContractTest, ArmedRungsFireOnceEachInDueOrder) {
  Apply("e1", 1, EventState::kReported, EventAction::kReport, 0);
  EXPECT_EQ(*s().TimerCount("d1"), 4);
  EXPECT_TRUE(FireIds(7).empty());
  EXPECT_EQ(FireIds(10), (std::vector<std::string>{"e1:accept:1:0", "e1:accept:1:1"}));
  EXPECT_EQ(FireIds(30), (std::vector<std::string>{"e1:accept:1:2", "e1:accept:1:3"}));
  EXPECT_TRUE(FireIds(1000).empty());
  EXPECT_EQ(*s().TimerCount("d1"), 0);
  absl::StatusOr<std::vector<Notice>> recent = s().RecentNotices("d1", 10);
  ASSERT_EQ(recent->size(), 4u);
  EXPECT_EQ((*recent)[3].fired_at, t0_ + absl::Seconds(30));
  EXPECT_EQ((*recent)[3].deadline, t0_ + absl::Seconds(10));
  EXPECT_EQ((*recent)[3].department_id, "st1_urban");
  EXPECT_EQ((*recent)[3].recipient, Recipient::kDistrictDispatchCentre);
}

TEST_P(SlaStoreContractTest, FireDueTakesAtMostMaxEarliestFirst) {
  Apply("e1", 1, EventState::kReported, EventAction::kReport, 0);
  Apply("e2", 1, EventState::kReported, EventAction::kReport, 1);
  EXPECT_EQ(FireIds(100, 3),
            (std::vector<std::string>{"e1:accept:1:0", "e2:accept:1:0", "e1:accept:1:1"}));
  EXPECT_EQ(*s().TimerCount("d1"), 5);
}

TEST_P(SlaStoreContractTest, ArmWithStaleExpectedVersionIsAbortedAndWritesNothing) {
  Apply("e1", 1, EventState::kReported, EventAction::kReport, 0);
  absl::StatusOr<std::optional<ArmPlan>> plan =
      ApplyChange(std::nullopt, {"e1", 2, EventState::kAccepted, EventAction::kAccept, t0_},
                  testing::Facts(), policies_, cal_);
  EXPECT_EQ(s().Arm("d1", 0, **plan).code(), absl::StatusCode::kAborted);
  EXPECT_EQ((*s().Load("d1", "e1"))->stage, Stage::kAccept);
  EXPECT_EQ(*s().TimerCount("d1"), 4);
}

TEST_P(SlaStoreContractTest, EndedStageCancelsTheRungsNotYetFired) {
  Apply("e1", 1, EventState::kReported, EventAction::kReport, 0);
  EXPECT_EQ(FireIds(8), (std::vector<std::string>{"e1:accept:1:0"}));
  Apply("e1", 2, EventState::kCancelled, EventAction::kCancel, 9);
  EXPECT_TRUE(FireIds(1000).empty());
  EXPECT_EQ((*s().Load("d1", "e1"))->stage, Stage::kNone);
}

TEST_P(SlaStoreContractTest, FiredRungsSurviveReArmingAndAreForgottenByANewStage) {
  Apply("e1", 1, EventState::kClaimed, EventAction::kClaim, 0);
  EXPECT_EQ(FireIds(8), (std::vector<std::string>{"e1:resolve:1:0"}));
  Apply("e1", 2, EventState::kClaimed, EventAction::kApproveExtension, 9);  // limit 20 s
  EXPECT_EQ((*s().Load("d1", "e1"))->fired_rungs, std::vector<int>{0});
  EXPECT_TRUE(FireIds(19).empty());
  EXPECT_EQ(FireIds(20), (std::vector<std::string>{"e1:resolve:1:1"}));
  Apply("e1", 3, EventState::kResolved, EventAction::kResolve, 21);
  EXPECT_TRUE((*s().Load("d1", "e1"))->fired_rungs.empty());
  EXPECT_EQ(FireIds(29), (std::vector<std::string>{"e1:verify:2:0"}));
}

TEST_P(SlaStoreContractTest, SupervisionOrderIsRecordedOnTheEventsRecord) {
  Apply("e1", 1, EventState::kDispatched, EventAction::kDispatch, 0);
  EXPECT_EQ(FireIds(25).size(), 4u);
  std::optional<SlaRecord> r = *s().Load("d1", "e1");
  ASSERT_EQ(r->orders.size(), 1u);
  EXPECT_EQ(r->orders[0].id, "e1-so-1-3");
  EXPECT_EQ(r->orders[0].event_id, "e1");
  EXPECT_EQ(r->orders[0].opened_at, t0_ + absl::Seconds(25));
  EXPECT_EQ(r->orders[0].deadline, t0_ + absl::Seconds(27));
  EXPECT_EQ(r->orders[0].recipient, Recipient::kDistrictDispatchCentre);
}

TEST_P(SlaStoreContractTest, ConcurrentFiringFiresEveryRungExactlyOnce) {
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i) {
    Apply(absl::StrCat("e", i), 1, EventState::kReported, EventAction::kReport, i % 7);
  }
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 2000; ++round) {
        absl::StatusOr<std::vector<Notice>> fired = s().FireDue("d1", t0_ + absl::Seconds(100), 16);
        if (!fired.ok() || fired->empty()) break;
        for (const Notice& n : *fired) got[t].push_back(n.id);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::map<std::string, int> count;
  for (const auto& v : got) {
    for (const std::string& id : v) ++count[id];
  }
  EXPECT_EQ(count.size(), static_cast<size_t>(kEvents * 4));
  for (const auto& [id, n] : count) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(s().RecentNotices("d1", 10000)->size(), static_cast<size_t>(kEvents * 4));
}

}  // namespace zhiwang::sla::contract

#endif  // ZHIWANG_SERVICES_SLA_SLA_STORE_CONTRACT_H_
