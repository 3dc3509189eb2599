// Properties of the evaluation figures on a generated month of events (seeded, so every
// run checks the same data): order independence, totals that must add up, and figures
// frozen at the period's end.

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "services/console/evaluation.h"
#include "services/console/evaluation_generator.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::console {
namespace {

constexpr Grouping kAllGroupings[] = {Grouping::kDistrict, Grouping::kDepartment, Grouping::kStreet,
                                      Grouping::kCommunity, Grouping::kGridWorker};

class EvaluationPropertyTest : public ::testing::TestWithParam<uint64_t> {
 protected:
  EvaluationPropertyTest()
      : cal_(sla::testing::Cn2026()),
        policies_(sla::testing::UniformPolicies({sla::TimeUnit::kWorkingHours, 4},
                                                sla::TimeUnit::kWorkingDays, 1, 3,
                                                {sla::TimeUnit::kWorkingHours, 2})),
        month_(MonthPeriod(absl::CivilMonth(2026, 3), cal_.time_zone())) {
    GeneratorOptions o;
    o.seed = GetParam();
    o.time_zone = cal_.time_zone();
    absl::StatusOr<std::vector<EventRecord>> ev = GenerateMonth(o);
    EXPECT_TRUE(ev.ok()) << ev.status();
    if (ev.ok()) events_ = std::move(*ev);
  }

  GroupFigures Eval(const std::vector<EventRecord>& ev, const Period& p, Grouping g) {
    absl::StatusOr<GroupFigures> out = Evaluate(ev, policies_, cal_, p, g);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : GroupFigures{};
  }

  sla::BusinessCalendar cal_;
  sla::PolicySet policies_;
  Period month_;
  std::vector<EventRecord> events_;
};

// The additive figures a department sum must reproduce exactly.
struct Additive {
  int64_t due = 0, suspended = 0, on_time = 0, overdue = 0, handled = 0, verifications = 0,
          reworks = 0, assignments = 0, rejected = 0, buck_passing = 0;
  absl::Duration handling_total;

  void Add(const Figures& f) {
    due += f.due;
    suspended += f.suspended;
    on_time += f.on_time;
    overdue += f.overdue;
    handled += f.handled;
    verifications += f.verifications;
    reworks += f.reworks;
    assignments += f.assignments;
    rejected += f.rejected_assignments;
    buck_passing += f.buck_passing;
    handling_total += f.handling_total;
  }
  friend bool operator==(const Additive&, const Additive&) = default;
};

Additive Sum(const GroupFigures& g) {
  Additive a;
  for (const auto& [key, f] : g) a.Add(f);
  return a;
}

TEST_P(EvaluationPropertyTest, TheMonthIsNotTrivial) {
  // Guards the other properties against passing on empty data.
  const Figures& d = Eval(events_, month_, Grouping::kDistrict)["d1"];
  EXPECT_GT(d.on_time, 0);
  EXPECT_GT(d.overdue, 0);
  EXPECT_GT(d.suspended, 0);
  EXPECT_GT(d.reworks, 0);
  EXPECT_GT(d.rejected_assignments, 0);
  EXPECT_GT(d.buck_passing, 0);
  EXPECT_GT(d.closed_not_fixed, 0);
  EXPECT_GT(d.invalid_reports, 0);
}

TEST_P(EvaluationPropertyTest, SameSeedSameEvents) {
  GeneratorOptions o;
  o.seed = GetParam();
  o.time_zone = cal_.time_zone();
  absl::StatusOr<std::vector<EventRecord>> again = GenerateMonth(o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Eval(*again, month_, Grouping::kDepartment),
            Eval(events_, month_, Grouping::kDepartment));
}

TEST_P(EvaluationPropertyTest, InvariantToInputOrder) {
  std::vector<EventRecord> shuffled = events_;
  std::mt19937_64 rng(GetParam() + 1);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  for (EventRecord& r : shuffled) std::shuffle(r.timeline.begin(), r.timeline.end(), rng);
  for (Grouping g : kAllGroupings) {
    EXPECT_EQ(Eval(shuffled, month_, g), Eval(events_, month_, g)) << static_cast<int>(g);
  }
}

TEST_P(EvaluationPropertyTest, DepartmentsAndAreasAddUpToTheDistrict) {
  GroupFigures district = Eval(events_, month_, Grouping::kDistrict);
  ASSERT_EQ(district.size(), 1u);
  Additive total = Sum(district);
  EXPECT_EQ(Sum(Eval(events_, month_, Grouping::kDepartment)), total);
  EXPECT_EQ(Sum(Eval(events_, month_, Grouping::kStreet)), total);
  EXPECT_EQ(Sum(Eval(events_, month_, Grouping::kCommunity)), total);
  EXPECT_EQ(Sum(Eval(events_, month_, Grouping::kGridWorker)), total);  // all by grid workers
  // Accepted events held by no department at the month's end count for none.
  int64_t accepted = 0;
  for (const auto& [dept, f] : Eval(events_, month_, Grouping::kDepartment)) {
    accepted += f.accepted;
  }
  EXPECT_LE(accepted, district["d1"].accepted);
}

TEST_P(EvaluationPropertyTest, OutcomesPartitionDueAndRatesStayWithinOne) {
  for (Grouping g : kAllGroupings) {
    for (const auto& [key, f] : Eval(events_, month_, g)) {
      EXPECT_EQ(f.due, f.on_time + f.overdue + f.suspended) << key;
      EXPECT_EQ(f.reports, f.valid_reports + f.invalid_reports + f.pending_reports) << key;
      for (Ratio r : {f.OnTimeRate(), f.ClosureRate(), f.FixedRate(), f.ReworkRate(),
                      f.RejectionRate(), f.ValidReportRate()}) {
        EXPECT_GE(r.numerator, 0) << key;
        EXPECT_LE(r.numerator, r.denominator) << key;
      }
      EXPECT_LE(f.buck_passing, f.assignments) << key;
    }
  }
}

TEST_P(EvaluationPropertyTest, FlowFiguresOfTheDaysAddUpToTheMonth) {
  // Handling, verifications and assignments are counted at one entry each, so they split
  // across the days exactly.
  Additive days;
  for (absl::CivilDay d(2026, 3, 1); d < absl::CivilDay(2026, 4, 1); ++d) {
    for (const auto& [key, f] :
         Eval(events_, DayPeriod(d, cal_.time_zone()), Grouping::kDistrict)) {
      days.handled += f.handled;
      days.handling_total += f.handling_total;
      days.verifications += f.verifications;
      days.reworks += f.reworks;
      days.assignments += f.assignments;
    }
  }
  const Figures& m = Eval(events_, month_, Grouping::kDistrict)["d1"];
  EXPECT_EQ(days.handled, m.handled);
  EXPECT_EQ(days.handling_total, m.handling_total);
  EXPECT_EQ(days.verifications, m.verifications);
  EXPECT_EQ(days.reworks, m.reworks);
  EXPECT_EQ(days.assignments, m.assignments);
}

TEST_P(EvaluationPropertyTest, EntriesAfterThePeriodChangeNothing) {
  Period mid = DayPeriod(absl::CivilDay(2026, 3, 16), cal_.time_zone());
  std::vector<EventRecord> cut = events_;
  for (EventRecord& r : cut) {
    std::erase_if(r.timeline, [&](const TimelineEntry& t) { return t.at >= mid.to; });
  }
  for (Grouping g : kAllGroupings) {
    EXPECT_EQ(Eval(cut, mid, g), Eval(events_, mid, g)) << static_cast<int>(g);
  }
}

TEST_P(EvaluationPropertyTest, ResolveDeadlinesMatchAFullSlaReplay) {
  // The SLA service applies every change of every stage; the evaluation replays only the
  // resolve stage. Their resolve deadlines must agree.
  int tasks_seen = 0;
  for (const EventRecord& r : events_) {
    struct Run {
      absl::Time start, deadline;
    };
    std::vector<Run> want;
    std::optional<sla::SlaRecord> rec;
    int64_t seq_of_run = -1;
    for (const TimelineEntry& t : r.timeline) {
      sla::EventFacts facts{r.event.district_id, r.event.category_code, r.event.urgency,
                            t.department_id, r.event.street_id};
      absl::StatusOr<std::optional<sla::ArmPlan>> plan = sla::ApplyChange(
          rec, {r.event.id, t.seq, t.to_state, t.action, t.at}, facts, policies_, cal_);
      ASSERT_TRUE(plan.ok()) << plan.status();
      ASSERT_TRUE(plan->has_value());
      rec = (*plan)->record;
      if (rec->stage != sla::Stage::kResolve) continue;
      if (rec->stage_seq != seq_of_run) {
        want.push_back({t.at, rec->deadline});
        seq_of_run = rec->stage_seq;
      }
      want.back().deadline = rec->deadline;
    }
    absl::StatusOr<std::vector<ResolveTask>> got =
        ResolveTasksOf(r, policies_, cal_, absl::InfiniteFuture());
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->size(), want.size()) << r.event.id;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ((*got)[i].start, want[i].start) << r.event.id;
      EXPECT_EQ((*got)[i].deadline, want[i].deadline) << r.event.id;
      ++tasks_seen;
    }
  }
  EXPECT_GT(tasks_seen, 100);
}

INSTANTIATE_TEST_SUITE_P(Seeds, EvaluationPropertyTest, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace zhiwang::console
