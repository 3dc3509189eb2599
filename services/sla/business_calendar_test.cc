#include "services/sla/business_calendar.h"

#include "gtest/gtest.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::sla {
namespace {

using testing::Cn2026;
using testing::Day;
using testing::Local;

TEST(BusinessCalendarTest, DeadlineCrossingNationalDayWeekResumesOnOctoberEighth) {
  BusinessCalendar cal = Cn2026();
  // Wed 30 Sep 16:00 + 4 working hours: 2 h that day, then 1–7 Oct are off.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 9, 30, 16, 0), absl::Hours(4)),
            Local(cal, 2026, 10, 8, 10, 30));
  EXPECT_EQ(cal.WorkingBetween(Local(cal, 2026, 9, 30, 16, 0), Local(cal, 2026, 10, 8, 10, 30)),
            absl::Hours(4));
}

TEST(BusinessCalendarTest, MakeUpSaturdayIsAWorkingDay) {
  BusinessCalendar cal = Cn2026();
  EXPECT_TRUE(cal.IsWorkingDay(Day(2026, 10, 10)));   // Saturday, make-up
  EXPECT_FALSE(cal.IsWorkingDay(Day(2026, 10, 17)));  // an ordinary Saturday
  EXPECT_TRUE(cal.IsWorkingDay(Day(2026, 9, 20)));    // Sunday, make-up
  // Fri 9 Oct 17:00 + 2 h: 1 h on Friday, 1 h on the make-up Saturday.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 10, 9, 17, 0), absl::Hours(2)),
            Local(cal, 2026, 10, 10, 9, 30));
  // Fri 13 Feb 17:00 + 2 h lands on the make-up Saturday before Spring Festival.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 2, 13, 17, 0), absl::Hours(2)),
            Local(cal, 2026, 2, 14, 9, 30));
}

TEST(BusinessCalendarTest, ReportAtFiveToSixCarriesTheRestToTheNextMorningAndAfternoon) {
  BusinessCalendar cal = Cn2026();
  // Tue 10 Mar 17:55 + 4 h: 5 min, then 3 h 30 on Wednesday morning, 25 min after lunch.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 3, 10, 17, 55), absl::Hours(4)),
            Local(cal, 2026, 3, 11, 14, 25));
}

TEST(BusinessCalendarTest, ReportAtThreeInTheMorningStartsAtEightThirty) {
  BusinessCalendar cal = Cn2026();
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 3, 10, 3, 0), absl::Hours(4)),
            Local(cal, 2026, 3, 10, 14, 30));
  EXPECT_EQ(cal.WorkingBetween(Local(cal, 2026, 3, 10, 3, 0), Local(cal, 2026, 3, 10, 8, 30)),
            absl::ZeroDuration());
}

TEST(BusinessCalendarTest, LunchBreakDoesNotCount) {
  BusinessCalendar cal = Cn2026();
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 3, 10, 11, 0), absl::Hours(2)),
            Local(cal, 2026, 3, 10, 15, 0));
  EXPECT_EQ(cal.WorkingBetween(Local(cal, 2026, 3, 10, 11, 0), Local(cal, 2026, 3, 10, 15, 0)),
            absl::Hours(2));
  // A limit that uses the morning up exactly ends at 12:00, not at 14:00.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 3, 10, 8, 30), absl::Minutes(210)),
            Local(cal, 2026, 3, 10, 12, 0));
}

TEST(BusinessCalendarTest, WorkingDaysSkipWeekendsAndSpringFestival) {
  BusinessCalendar cal = Cn2026();
  EXPECT_EQ(cal.WorkingDayLength(), absl::Minutes(450));
  // Fri 13 Feb 15:00 + 2 working days: Sat 14 (make-up) and then 15–23 Feb are off,
  // so the second day ends Tue 24 Feb 15:00.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 2, 13, 15, 0), cal.WorkingDayLength() * 2),
            Local(cal, 2026, 2, 24, 15, 0));
}

TEST(BusinessCalendarTest, RejectsBadSpecsNamingTheField) {
  CalendarSpec spec;
  spec.periods = {{600, 500}};
  spec.working_weekdays = {1};
  absl::StatusOr<BusinessCalendar> c = BusinessCalendar::Create(spec);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("periods"), std::string::npos);
  spec.periods = {{600, 700}};
  spec.time_zone = "Mars/Olympus";
  EXPECT_NE(BusinessCalendar::Create(spec).status().message().find("time_zone"), std::string::npos);
  spec.time_zone = "Asia/Shanghai";
  spec.working_weekdays = {8};
  EXPECT_NE(BusinessCalendar::Create(spec).status().message().find("working_weekdays"),
            std::string::npos);
}

TEST(BusinessCalendarTest, AlwaysWorkingCountsNaturalTime) {
  BusinessCalendar cal = BusinessCalendar::AlwaysWorking();
  absl::Time t = absl::FromUnixSeconds(1'800'000'000);
  EXPECT_EQ(*cal.AddWorking(t, absl::Seconds(90)), t + absl::Seconds(90));
  EXPECT_EQ(cal.WorkingBetween(t, t + absl::Hours(30)), absl::Hours(30));
}

}  // namespace
}  // namespace zhiwang::sla
