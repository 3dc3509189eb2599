// The shipped calendars and policies (deploy/sla) load and mean what DOMAIN.md says.
#include "services/sla/sla_config_loader.h"

#include "gtest/gtest.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::sla {
namespace {

const std::string kDir = ZW_SLA_DEPLOY_DIR;

TEST(SlaConfigLoaderTest, ShippedSampleDistrictLoadsWith2027Provisional) {
  absl::StatusOr<LoadedDistrict> d = LoadDistrict(kDir + "/policies.textpb", {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->district_id, "440304");
  ASSERT_EQ(d->years.size(), 2u);
  EXPECT_FALSE(d->years[0].provisional());
  EXPECT_TRUE(d->years[1].provisional());
  const BusinessCalendar& cal = d->config->calendar;
  using testing::Local;
  // The 2026 notice: National Day week, its make-up days, Spring Festival.
  EXPECT_EQ(*cal.AddWorking(Local(cal, 2026, 9, 30, 16, 0), absl::Hours(4)),
            Local(cal, 2026, 10, 8, 10, 30));
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2026, 10, 10)));
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2026, 9, 20)));
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2026, 1, 4)));
  EXPECT_FALSE(cal.IsWorkingDay(absl::CivilDay(2026, 2, 23)));  // a Monday off
  EXPECT_FALSE(cal.IsWorkingDay(absl::CivilDay(2026, 5, 5)));   // a Tuesday off
  EXPECT_TRUE(cal.IsWorkingDay(absl::CivilDay(2026, 5, 9)));
  EXPECT_FALSE(cal.IsWorkingDay(absl::CivilDay(2027, 10, 1)));  // provisional 2027
}

TEST(SlaConfigLoaderTest, SamplePoliciesCarryTheCityRules) {
  absl::StatusOr<LoadedDistrict> d = LoadDistrict(kDir + "/policies.textpb", {});
  ASSERT_TRUE(d.ok()) << d.status();
  const PolicySet& p = d->config->policies;
  StagePolicy garbage = *p.Find("0101", Urgency::kNormal, Stage::kResolve);
  EXPECT_EQ(garbage.limit.unit, TimeUnit::kWorkingHours);
  EXPECT_EQ(garbage.limit.amount, 4);
  EXPECT_EQ(garbage.ladder.size(), 4u);
  EXPECT_TRUE(garbage.ladder[3].opens_supervision_order);
  StagePolicy manhole = *p.Find("0501", Urgency::kEmergency, Stage::kResolve);
  EXPECT_EQ(manhole.limit.unit, TimeUnit::kNaturalHours);
  EXPECT_EQ(manhole.limit.amount, 6);
  EXPECT_EQ(manhole.max_extensions, 0);
  EXPECT_EQ(p.Find("0201", Urgency::kNormal, Stage::kResolve)->limit.amount, 1);  // major class
  EXPECT_EQ(p.Find("0102", Urgency::kNormal, Stage::kAccept)->limit.amount, 0.5);
  // Every sample category has a limit for every stage.
  for (const char* c : {"0101", "0102", "0103", "0104", "0201", "0202", "0301", "0302", "0401",
                        "0402", "0501", "0502", "0601", "0602", "0701", "0801", "0901"}) {
    for (Stage s :
         {Stage::kAccept, Stage::kDispatch, Stage::kClaim, Stage::kResolve, Stage::kVerify}) {
      EXPECT_TRUE(p.Find(c, Urgency::kNormal, s).ok()) << c << " " << StageName(s);
    }
  }
}

TEST(SlaConfigLoaderTest, SecondScalePoliciesApplyToEveryDistrict) {
  absl::StatusOr<LoadedDistrict> d = LoadDistrict(kDir + "/policies-seconds.textpb", {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->district_id, "*");
  EXPECT_EQ(d->config->calendar.WorkingDayLength(), absl::Hours(24));
}

TEST(SlaConfigLoaderTest, MissingFileIsNotFoundAndBadDayIsInvalid) {
  EXPECT_EQ(LoadDistrict(kDir + "/nope.textpb", {}).status().code(), absl::StatusCode::kNotFound);
  v1::BusinessCalendarYear y;
  y.set_id("bad");
  y.add_periods()->set_end_minute(60);
  y.add_holidays("2026-13-01");
  absl::StatusOr<BusinessCalendar> c = CalendarFromYears({y});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("holidays"), std::string::npos);
}

}  // namespace
}  // namespace zhiwang::sla
