// feed (issue 6): the EvaluationSource contract, run against MemoryEvaluationSource and
// RedisEvaluationSource (real redis-server) with the same generated month: both select the
// same input events for every period, with the same timelines, and cache alike.

#include <algorithm>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "common/testing/redis_environment.h"
#include "gtest/gtest.h"
#include "services/console/evaluation_fixture.h"
#include "services/console/evaluation_generator.h"
#include "services/console/memory_evaluation_source.h"
#include "services/console/redis_evaluation_source.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::console {
namespace {

using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

const absl::TimeZone kTz = [] {
  absl::TimeZone tz;
  (void)absl::LoadTimeZone("Asia/Shanghai", &tz);
  return tz;
}();

std::vector<EventRecord> Month() {
  GeneratorOptions o;
  o.seed = 11;
  o.events = 150;
  o.time_zone = kTz;
  absl::StatusOr<std::vector<EventRecord>> ev = GenerateMonth(o);
  EXPECT_TRUE(ev.ok()) << ev.status();
  return ev.ok() ? *ev : std::vector<EventRecord>{};
}

// The ids Load selects, sorted, with each timeline's seqs sorted (order is free).
std::vector<std::pair<std::string, std::vector<int64_t>>> Selected(EvaluationSource& s,
                                                                   const Period& p) {
  std::promise<absl::StatusOr<std::vector<EventRecord>>> done;
  s.Load("d1", p, [&](absl::StatusOr<std::vector<EventRecord>> r) { done.set_value(r); });
  absl::StatusOr<std::vector<EventRecord>> r = done.get_future().get();
  EXPECT_TRUE(r.ok()) << r.status();
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  if (!r.ok()) return out;
  for (const EventRecord& e : *r) {
    std::vector<int64_t> seqs;
    for (const TimelineEntry& t : e.timeline) seqs.push_back(t.seq);
    std::sort(seqs.begin(), seqs.end());
    out.emplace_back(e.event.id, seqs);
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Sources {
  std::unique_ptr<redis::RedisClient> client;
  MemoryEvaluationSource memory;
  std::unique_ptr<RedisEvaluationSource> redis;
};

class EvaluationSourceContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto client = redis::RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(client.ok()) << client.status();
    s_.client = *std::move(client);
    s_.redis = std::make_unique<RedisEvaluationSource>(s_.client.get(), /*chunk=*/17);
    month_ = Month();
    ASSERT_FALSE(month_.empty());
    for (const EventRecord& r : month_) s_.memory.Put(r);
    ASSERT_TRUE(WriteStoredRecords(s_.client.get(), month_).ok());
  }
  Sources s_;
  std::vector<EventRecord> month_;
};

TEST_F(EvaluationSourceContractTest, BothSelectTheSameInputsForEveryPeriod) {
  std::vector<Period> periods = {
      MonthPeriod(absl::CivilMonth(2026, 3), kTz), MonthPeriod(absl::CivilMonth(2026, 4), kTz),
      WeekPeriod(absl::CivilDay(2026, 3, 11), kTz), DayPeriod(absl::CivilDay(2026, 3, 31), kTz),
      MonthPeriod(absl::CivilMonth(2026, 2), kTz)};
  for (const Period& p : periods) {
    auto memory = Selected(s_.memory, p);
    auto redis = Selected(*s_.redis, p);
    EXPECT_EQ(memory, redis) << absl::FormatTime(p.from);
  }
  // Nothing was created before March: February selects nothing; March selects every event.
  EXPECT_TRUE(Selected(*s_.redis, periods[4]).empty());
  EXPECT_EQ(Selected(*s_.redis, periods[0]).size(), month_.size());
  // Settled (closed or terminal) before April: left out of April's inputs.
  size_t terminal_in_march = 0;
  for (const EventRecord& r : month_) {
    std::optional<absl::Time> t = SettledSince(r);
    if (t && *t < periods[1].from) ++terminal_in_march;
  }
  EXPECT_GT(terminal_in_march, 0u);
  EXPECT_EQ(Selected(*s_.redis, periods[1]).size(), month_.size() - terminal_in_march);
}

TEST_F(EvaluationSourceContractTest, LoadedRecordsEvaluateLikeTheOriginals) {
  const Period march = MonthPeriod(absl::CivilMonth(2026, 3), kTz);
  std::promise<absl::StatusOr<std::vector<EventRecord>>> done;
  s_.redis->Load("d1", march,
                 [&](absl::StatusOr<std::vector<EventRecord>> r) { done.set_value(r); });
  absl::StatusOr<std::vector<EventRecord>> loaded = done.get_future().get();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::map<std::string, const EventRecord*> by_id;
  for (const EventRecord& r : *loaded) by_id[r.event.id] = &r;
  for (const EventRecord& want : month_) {
    ASSERT_TRUE(by_id.count(want.event.id)) << want.event.id;
    const EventRecord& got = *by_id[want.event.id];
    EXPECT_EQ(got.event.state, want.event.state);
    EXPECT_EQ(got.event.street_id, want.event.street_id);
    ASSERT_EQ(got.timeline.size(), want.timeline.size());
    for (size_t i = 0; i < got.timeline.size(); ++i) {
      EXPECT_EQ(got.timeline[i].seq, want.timeline[i].seq);
      EXPECT_EQ(got.timeline[i].at, want.timeline[i].at);
      EXPECT_EQ(got.timeline[i].reason_code, want.timeline[i].reason_code);
    }
  }
}

// Why the closure index may leave out every event settled (closed or terminal) before a
// period starts: no figure of a later period changes. April and a week of late March,
// evaluated over the whole month and over what the Redis source selects, for every grouping.
TEST_F(EvaluationSourceContractTest, EventsSettledBeforeThePeriodChangeNoFigure) {
  const sla::BusinessCalendar cal = sla::testing::Cn2026();
  const sla::PolicySet policies =
      sla::testing::UniformPolicies({sla::TimeUnit::kWorkingHours, 4}, sla::TimeUnit::kWorkingDays,
                                    1, 3, {sla::TimeUnit::kWorkingHours, 2});
  size_t left_out = 0;
  for (const Period& p : {MonthPeriod(absl::CivilMonth(2026, 4), kTz),
                          WeekPeriod(absl::CivilDay(2026, 3, 25), kTz)}) {
    std::promise<absl::StatusOr<std::vector<EventRecord>>> done;
    s_.redis->Load("d1", p, [&](absl::StatusOr<std::vector<EventRecord>> r) { done.set_value(r); });
    absl::StatusOr<std::vector<EventRecord>> selected = done.get_future().get();
    ASSERT_TRUE(selected.ok()) << selected.status();
    left_out += month_.size() - selected->size();
    for (Grouping g : {Grouping::kDistrict, Grouping::kDepartment, Grouping::kStreet,
                       Grouping::kCommunity, Grouping::kGridWorker}) {
      absl::StatusOr<GroupFigures> all = Evaluate(month_, policies, cal, p, g);
      absl::StatusOr<GroupFigures> some = Evaluate(*selected, policies, cal, p, g);
      ASSERT_TRUE(all.ok() && some.ok());
      EXPECT_EQ(*all, *some) << absl::FormatTime(p.from) << " grouping " << static_cast<int>(g);
    }
  }
  EXPECT_GT(left_out, 0u) << "the data set must have events settled before the period";
}

void CacheContract(EvaluationSource& s) {
  const Period march = MonthPeriod(absl::CivilMonth(2026, 3), kTz);
  EvaluationCacheKey key{"d1", "", Grouping::kDepartment, march, "cfg1"};
  GroupFigures figures;
  figures["water"].due = 7;
  figures["water"].on_time = 5;
  figures["water"].handling_total = absl::Seconds(90) + absl::Nanoseconds(3);
  figures["urban"].closed_not_fixed = 2;
  auto get = [&](const EvaluationCacheKey& k) {
    std::promise<absl::StatusOr<std::optional<GroupFigures>>> p;
    s.GetCached(k, [&](absl::StatusOr<std::optional<GroupFigures>> r) { p.set_value(r); });
    return p.get_future().get();
  };
  absl::StatusOr<std::optional<GroupFigures>> miss = get(key);
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(miss->has_value());
  std::promise<absl::StatusOr<bool>> put;
  s.PutCached(key, figures, [&](absl::StatusOr<bool> r) { put.set_value(r); });
  ASSERT_TRUE(put.get_future().get().ok());
  absl::StatusOr<std::optional<GroupFigures>> hit = get(key);
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ(**hit, figures);
  EvaluationCacheKey other = key;
  other.config = "cfg2";
  EXPECT_FALSE(get(other)->has_value());
  other = key;
  other.scope = "st1";
  EXPECT_FALSE(get(other)->has_value());
  other = key;
  other.grouping = Grouping::kStreet;
  EXPECT_FALSE(get(other)->has_value());
}

TEST_F(EvaluationSourceContractTest, MemoryCachesExactly) { CacheContract(s_.memory); }
TEST_F(EvaluationSourceContractTest, RedisCachesExactly) { CacheContract(*s_.redis); }

}  // namespace
}  // namespace zhiwang::console
