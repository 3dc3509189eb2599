#include "services/console/evaluation_period.h"

#include "gtest/gtest.h"

namespace zhiwang::console {
namespace {

absl::TimeZone Shanghai() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz));
  return tz;
}

TEST(EvaluationPeriodTest, DayStartsAtLocalMidnight) {
  Period p = DayPeriod(absl::CivilDay(2026, 3, 10), Shanghai());
  // Shanghai is UTC+8 all year: local midnight is 16:00 UTC the day before.
  EXPECT_EQ(p.from, absl::FromCivil(absl::CivilSecond(2026, 3, 9, 16, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(p.to - p.from, absl::Hours(24));
}

TEST(EvaluationPeriodTest, HalfOpen) {
  Period p = DayPeriod(absl::CivilDay(2026, 3, 10), Shanghai());
  EXPECT_TRUE(p.Contains(p.from));
  EXPECT_FALSE(p.Contains(p.to));
  EXPECT_TRUE(p.Contains(p.to - absl::Nanoseconds(1)));
  EXPECT_FALSE(p.Contains(p.from - absl::Nanoseconds(1)));
}

TEST(EvaluationPeriodTest, WeekRunsMondayToMonday) {
  absl::TimeZone tz = Shanghai();
  // 2026-03-11 is a Wednesday; its ISO week starts on Monday 03-09.
  Period p = WeekPeriod(absl::CivilDay(2026, 3, 11), tz);
  EXPECT_EQ(p.from, absl::FromCivil(absl::CivilDay(2026, 3, 9), tz));
  EXPECT_EQ(p.to, absl::FromCivil(absl::CivilDay(2026, 3, 16), tz));
  Period sunday = WeekPeriod(absl::CivilDay(2026, 3, 15), tz);
  EXPECT_EQ(sunday.from, p.from);
  Period monday = WeekPeriod(absl::CivilDay(2026, 3, 16), tz);
  EXPECT_EQ(monday.from, p.to);
}

TEST(EvaluationPeriodTest, MonthCoversItsDays) {
  absl::TimeZone tz = Shanghai();
  Period feb = MonthPeriod(absl::CivilMonth(2026, 2), tz);
  EXPECT_EQ(feb.to - feb.from, absl::Hours(24 * 28));
  EXPECT_EQ(feb.to, MonthPeriod(absl::CivilMonth(2026, 3), tz).from);
}

TEST(EvaluationPeriodTest, CustomRangeMustBeNonEmpty) {
  absl::Time t = absl::FromUnixSeconds(1'770'000'000);
  EXPECT_TRUE(MakePeriod(t, t + absl::Seconds(1)).ok());
  EXPECT_EQ(MakePeriod(t, t).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MakePeriod(t, t - absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhiwang::console
