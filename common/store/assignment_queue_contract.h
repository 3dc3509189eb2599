#ifndef ZHIWANG_COMMON_STORE_ASSIGNMENT_QUEUE_CONTRACT_H_
#define ZHIWANG_COMMON_STORE_ASSIGNMENT_QUEUE_CONTRACT_H_

// The contract suite of the AssignmentQueue port (common/domain/assignment_queue.h): the
// same tests run against MemoryAssignmentQueue and RedisAssignmentQueue, so the fake
// cannot drift. Include from one .cc per test binary and instantiate:
//
//   INSTANTIATE_TEST_SUITE_P(Memory, AssignmentQueueContractTest,
//       ::testing::Values(AssignmentQueueContractParam{"Memory", [] { return ...; }}),
//       AssignmentQueueContractParamName);
//
// No test depends on elapsed time: redelivery is exercised with a zero idle timeout and
// its absence with an hour.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/domain/assignment_queue.h"
#include "gtest/gtest.h"

namespace zhiwang::contract {

// Owns one fresh, empty queue store.
class AssignmentQueueHarness {
 public:
  virtual ~AssignmentQueueHarness() = default;
  virtual AssignmentQueue* queue() = 0;
};

struct AssignmentQueueContractParam {
  std::string name;
  std::function<std::unique_ptr<AssignmentQueueHarness>()> make;
};
inline void PrintTo(const AssignmentQueueContractParam& p, std::ostream* os) { *os << p.name; }
inline std::string AssignmentQueueContractParamName(
    const ::testing::TestParamInfo<AssignmentQueueContractParam>& info) {
  return info.param.name;
}

class AssignmentQueueContractTest : public ::testing::TestWithParam<AssignmentQueueContractParam> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    ASSERT_NE(harness_, nullptr);
  }
  AssignmentQueue& q() { return *harness_->queue(); }

  static QueueRef Dept(const std::string& dep = "st1_urban") {
    return QueueRef{"d1", dep, QueueChannel::kAssignments};
  }
  static QueueRef Notes(const std::string& dep) {
    return QueueRef{"d1", dep, QueueChannel::kNotifications};
  }
  // Appends assignments for events e1..en with tokens 10+i; returns their ids.
  std::vector<std::string> AppendN(const QueueRef& ref, int n) {
    std::vector<std::string> ids;
    for (int i = 1; i <= n; ++i) {
      absl::StatusOr<std::string> id =
          q().Append(ref, QueueEntry{"", absl::StrCat("d1-e", i), 10 + i, ""});
      EXPECT_TRUE(id.ok()) << id.status();
      ids.push_back(id.ok() ? *id : "");
    }
    return ids;
  }
  static std::vector<std::string> EventsOf(const std::vector<QueueEntry>& v) {
    std::vector<std::string> out;
    for (const QueueEntry& e : v) out.push_back(e.event_id);
    return out;
  }
  static std::vector<std::string> IdsOf(const std::vector<QueueEntry>& v) {
    std::vector<std::string> out;
    for (const QueueEntry& e : v) out.push_back(e.id);
    return out;
  }
  std::unique_ptr<AssignmentQueueHarness> harness_;
};

using V = std::vector<std::string>;

TEST_P(AssignmentQueueContractTest, NextHandsEachEntryToOneConsumerInOrder) {
  AppendN(Dept(), 3);
  auto a = q().Next(Dept(), "c1", 2, 100);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(EventsOf(*a), (V{"d1-e1", "d1-e2"}));
  auto b = q().Next(Dept(), "c2", 10, 100);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(EventsOf(*b), (V{"d1-e3"}));
  auto c = q().Next(Dept(), "c1", 10, 100);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
}

TEST_P(AssignmentQueueContractTest, EntriesCarryTheirFencingToken) {
  AppendN(Dept(), 2);
  auto a = q().Next(Dept(), "c1", 10, 100);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].token, 11);
  EXPECT_EQ((*a)[1].token, 12);
  EXPECT_LT(CompareEntryIds((*a)[0].id, (*a)[1].id), 0);
}

TEST_P(AssignmentQueueContractTest, CapOnUnacknowledgedDeliveriesHoldsBackTheRest) {
  std::vector<std::string> ids = AppendN(Dept(), 5);
  auto a = q().Next(Dept(), "c1", 10, 3);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 3u);
  auto b = q().Next(Dept(), "c2", 10, 3);  // the cap is the department's, not the consumer's
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->empty());
  ASSERT_TRUE(q().Ack(Dept(), {ids[0]}).ok());
  auto c = q().Next(Dept(), "c2", 10, 3);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(EventsOf(*c), (V{"d1-e4"}));
}

TEST_P(AssignmentQueueContractTest, AckIsIdempotent) {
  std::vector<std::string> ids = AppendN(Dept(), 1);
  ASSERT_TRUE(q().Next(Dept(), "c1", 10, 100).ok());
  auto first = q().Ack(Dept(), {ids[0]});
  auto second = q().Ack(Dept(), {ids[0]});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(*second, 0);
  auto st = q().Stats(Dept());
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->pending, 0);
}

TEST_P(AssignmentQueueContractTest, UnacknowledgedEntryIsReclaimedOnlyAfterIdleTimeout) {
  AppendN(Dept(), 2);
  ASSERT_TRUE(q().Next(Dept(), "dead", 10, 100).ok());
  auto early = q().Reclaim(Dept(), "live", absl::Hours(1), 10);
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_TRUE(early->empty());
  auto late = q().Reclaim(Dept(), "live", absl::ZeroDuration(), 10);
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(EventsOf(*late), (V{"d1-e1", "d1-e2"}));
  EXPECT_EQ((*late)[0].token, 11);
  // Now "live" owns them, "dead" none.
  auto live = q().PendingFor(Dept(), "live", "", 10);
  auto dead = q().PendingFor(Dept(), "dead", "", 10);
  ASSERT_TRUE(live.ok() && dead.ok());
  EXPECT_EQ(live->size(), 2u);
  EXPECT_TRUE(dead->empty());
}

TEST_P(AssignmentQueueContractTest, TouchMovesAPendingEntryToTheToucher) {
  std::vector<std::string> ids = AppendN(Dept(), 2);
  ASSERT_TRUE(q().Next(Dept(), "c1", 10, 100).ok());
  ASSERT_TRUE(q().Ack(Dept(), {ids[1]}).ok());
  ASSERT_TRUE(q().Touch(Dept(), "courier", {ids[0], ids[1]}).ok());  // ids[1]: ignored
  auto courier = q().PendingFor(Dept(), "courier", "", 10);
  auto c1 = q().PendingFor(Dept(), "c1", "", 10);
  ASSERT_TRUE(courier.ok() && c1.ok());
  EXPECT_EQ(IdsOf(*courier), (V{ids[0]}));
  EXPECT_TRUE(c1->empty());
  auto st = q().Stats(Dept());
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->pending, 1);
}

TEST_P(AssignmentQueueContractTest, AcknowledgedEntryIsNeverReclaimed) {
  std::vector<std::string> ids = AppendN(Dept(), 2);
  ASSERT_TRUE(q().Next(Dept(), "c1", 10, 100).ok());
  ASSERT_TRUE(q().Ack(Dept(), {ids[0]}).ok());
  auto r = q().Reclaim(Dept(), "c2", absl::ZeroDuration(), 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(EventsOf(*r), (V{"d1-e2"}));
}

TEST_P(AssignmentQueueContractTest, PendingForResumesAfterTheCursor) {
  std::vector<std::string> ids = AppendN(Dept(), 3);
  ASSERT_TRUE(q().Next(Dept(), "c1", 10, 100).ok());
  auto all = q().PendingFor(Dept(), "c1", "", 10);
  auto after = q().PendingFor(Dept(), "c1", ids[0], 10);
  ASSERT_TRUE(all.ok() && after.ok());
  EXPECT_EQ(IdsOf(*all), ids);
  EXPECT_EQ(IdsOf(*after), (V{ids[1], ids[2]}));
  ASSERT_TRUE(q().Ack(Dept(), {ids[1]}).ok());
  auto acked = q().PendingFor(Dept(), "c1", ids[0], 10);
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(IdsOf(*acked), (V{ids[2]}));
}

TEST_P(AssignmentQueueContractTest, TrimRemovesOnlyWhatWasAcknowledged) {
  std::vector<std::string> ids = AppendN(Dept(), 4);
  ASSERT_TRUE(q().Next(Dept(), "c1", 3, 100).ok());  // e4 never handed out
  ASSERT_TRUE(q().Ack(Dept(), {ids[0], ids[2]}).ok());
  auto removed = q().Trim(Dept(), 1);  // the cap applies only to streams without groups
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 1);  // e1; e2 is pending, so e3 stays behind it
  ASSERT_TRUE(q().Ack(Dept(), {ids[1]}).ok());
  removed = q().Trim(Dept(), 0);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2);  // e2, e3; e4 was never delivered
  auto st = q().Stats(Dept());
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->length, 1);
  auto rest = q().Next(Dept(), "c1", 10, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(EventsOf(*rest), (V{"d1-e4"}));
}

TEST_P(AssignmentQueueContractTest, TrimWithoutConsumerGroupKeepsTheNewestUpToTheCap) {
  AppendN(Dept(), 5);
  auto none = q().Trim(Dept(), 0);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  auto removed = q().Trim(Dept(), 2);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 3);
  auto rest = q().Next(Dept(), "c1", 10, 100);  // a consumer arriving later gets the newest
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(EventsOf(*rest), (V{"d1-e4", "d1-e5"}));
}

TEST_P(AssignmentQueueContractTest, DepartmentsHaveSeparateQueues) {
  AppendN(Dept("a"), 2);
  AppendN(Dept("b"), 1);
  auto a = q().Next(Dept("a"), "c", 10, 100);
  auto b = q().Next(Dept("b"), "c", 10, 100);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 2u);
  EXPECT_EQ(b->size(), 1u);
}

TEST_P(AssignmentQueueContractTest, NotificationsReachOnlyTheirDepartment) {
  ASSERT_TRUE(q().Append(Notes("a"), QueueEntry{"", "d1-e1", 0, "n1"}).ok());
  ASSERT_TRUE(q().Append(Notes("b"), QueueEntry{"", "d1-e2", 0, "n2"}).ok());
  ASSERT_TRUE(q().Append(Notes("a"), QueueEntry{"", "d1-e3", 0, "n3"}).ok());
  auto a = q().Next(Notes("a"), "c", 10, 100);
  auto b = q().Next(Notes("b"), "c", 10, 100);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].payload, "n1");
  EXPECT_EQ((*a)[1].payload, "n3");
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].event_id, "d1-e2");
  // Skipped entries are not pending for the other department.
  auto st = q().Stats(Notes("a"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->pending, 2);
}

TEST_P(AssignmentQueueContractTest, NotificationWithoutPayloadIsRefused) {
  auto r = q().Append(Notes("a"), QueueEntry{"", "d1-e1", 0, ""});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace zhiwang::contract

#endif  // ZHIWANG_COMMON_STORE_ASSIGNMENT_QUEUE_CONTRACT_H_
