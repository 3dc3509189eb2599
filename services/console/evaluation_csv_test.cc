// The evaluation CSV: number formatting, and the exact rows of a small hand-checked case.
// Calendar and policies as in evaluation_test.cc: working hours 08:30–12:00 and
// 14:00–18:00, Monday to Friday; every stage 4 working hours.

#include "services/console/evaluation_csv.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/console/csv_writer.h"
#include "services/console/evaluation_test_util.h"
#include "services/sla/sla_test_util.h"

namespace zhiwang::console {
namespace {

using A = EventAction;
using S = EventState;
using testing::EventBuilder;

// The lines of a CSV file without the BOM, split on CRLF (the trailing empty one dropped).
std::vector<std::string> Lines(const std::string& csv) {
  std::string body = csv.substr(std::string(kUtf8Bom).size());
  std::vector<std::string> lines = absl::StrSplit(body, "\r\n");
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(EvaluationCsvFormatTest, PercentIsRoundedHalfUpWithTwoDecimals) {
  EXPECT_EQ(FormatPercent({2, 3}), "66.67");
  EXPECT_EQ(FormatPercent({1, 3}), "33.33");
  EXPECT_EQ(FormatPercent({1, 8}), "12.50");
  EXPECT_EQ(FormatPercent({1, 16}), "6.25");
  EXPECT_EQ(FormatPercent({1, 32}), "3.13");  // 3.125 rounds up
  EXPECT_EQ(FormatPercent({0, 5}), "0.00");
  EXPECT_EQ(FormatPercent({5, 5}), "100.00");
  EXPECT_EQ(FormatPercent({0, 0}), "");
}

TEST(EvaluationCsvFormatTest, SecondsAreExactIntegersWhenWhole) {
  EXPECT_EQ(FormatSeconds(absl::Hours(2)), "7200");
  EXPECT_EQ(FormatSeconds(absl::ZeroDuration()), "0");
  EXPECT_EQ(FormatSeconds(absl::Milliseconds(1500)), "1.5");
  EXPECT_EQ(FormatSeconds(absl::Nanoseconds(1)), "0.000000001");
  EXPECT_EQ(FormatSeconds(-absl::Milliseconds(500)), "-0.5");
}

TEST(EvaluationCsvFormatTest, GroupingNamesParseBack) {
  for (Grouping g : {Grouping::kDistrict, Grouping::kDepartment, Grouping::kStreet,
                     Grouping::kCommunity, Grouping::kGridWorker}) {
    absl::StatusOr<Grouping> parsed = ParseGrouping(GroupingName(g));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, g);
  }
  EXPECT_EQ(ParseGrouping("dept").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EvaluationCsvTest, HeaderHasEveryRateAsNumeratorDenominatorAndPercent) {
  std::vector<std::string> h = EvaluationCsvHeader();
  ASSERT_GE(h.size(), 2u);
  EXPECT_EQ(h[0], "group_kind");
  EXPECT_EQ(h[1], "group_id");
  const std::string joined = absl::StrJoin(h, ",");
  EXPECT_NE(joined.find("on_time_rate_num,on_time_rate_den,on_time_rate_pct"), std::string::npos);
  EXPECT_NE(joined.find("valid_report_rate_num,valid_report_rate_den,valid_report_rate_pct"),
            std::string::npos);
  EXPECT_EQ(Lines(EvaluationCsv({}, Grouping::kStreet)), (std::vector<std::string>{joined}));
}

class EvaluationCsvCaseTest : public ::testing::Test {
 protected:
  EvaluationCsvCaseTest()
      : cal_(sla::testing::Cn2026()),
        policies_(sla::testing::UniformPolicies({sla::TimeUnit::kWorkingHours, 4},
                                                sla::TimeUnit::kWorkingDays, 1, 3,
                                                {sla::TimeUnit::kWorkingHours, 2})) {}

  absl::Time At(int hh, int mm) {
    return absl::FromCivil(absl::CivilSecond(2026, 3, 10, hh, mm, 0), cal_.time_zone());
  }

  // Tuesday 2026-03-10. E1 (water): claimed 09:00 (deadline 13:00 + lunch = 15:00),
  // resolved 11:00: on time, 2 h = 7200 s; verified, closed fixed. E2 (urban): claimed
  // 08:30 (deadline 14:30), resolved 16:00: overdue, 08:30–12:00 + 14:00–16:00 = 5 h 30 =
  // 19800 s; verification fails (rework), claimed again 16:30, not resolved by the day's
  // end (new deadline the next morning, outside the day).
  std::vector<EventRecord> Case() {
    std::vector<EventRecord> ev;
    ev.push_back(EventBuilder("e1", "st1", "c1", "gw1")
                     .UpToClaim(At(8, 0), At(8, 10), At(8, 20), At(9, 0), "water")
                     .Step(At(11, 0), A::kResolve, S::kResolved, "", "water")
                     .Step(At(11, 30), A::kVerifyPass, S::kVerified)
                     .Step(At(11, 40), A::kClose, S::kClosed)
                     .Build());
    ev.push_back(EventBuilder("e2", "st1", "c2", "gw2")
                     .UpToClaim(At(8, 0), At(8, 5), At(8, 10), At(8, 30), "urban")
                     .Step(At(16, 0), A::kResolve, S::kResolved, "", "urban")
                     .Step(At(16, 20), A::kVerifyFail, S::kRework)
                     .Step(At(16, 30), A::kClaim, S::kClaimed, "", "urban")
                     .Build());
    return ev;
  }

  std::vector<std::string> CsvLines(Grouping g) {
    absl::StatusOr<GroupFigures> figures = Evaluate(
        Case(), policies_, cal_, DayPeriod(absl::CivilDay(2026, 3, 10), cal_.time_zone()), g);
    EXPECT_TRUE(figures.ok()) << figures.status();
    if (!figures.ok()) return {};
    return Lines(EvaluationCsv(*figures, g));
  }

  sla::BusinessCalendar cal_;
  sla::PolicySet policies_;
};

TEST_F(EvaluationCsvCaseTest, DepartmentRowsAreExact) {
  std::vector<std::string> lines = CsvLines(Grouping::kDepartment);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], absl::StrJoin(EvaluationCsvHeader(), ","));
  // kind,id,due,suspended,on_time,overdue, on_time 1/1, closure 0/1, fixed 0/1,
  // rework 1/1, rejection 0/1, valid_report 0/0, accepted..pending, handled,
  // total, p90, mean.
  EXPECT_EQ(lines[1],
            "department,urban,1,0,0,1,"
            "0,1,0.00,0,1,0.00,0,1,0.00,1,1,100.00,0,1,0.00,0,0,,"
            "1,0,0,1,1,1,0,0,0,0,0,0,1,19800,19800,19800.00");
  EXPECT_EQ(lines[2],
            "department,water,1,0,1,0,"
            "1,1,100.00,1,1,100.00,1,1,100.00,0,1,0.00,0,1,0.00,0,0,,"
            "1,1,0,1,0,1,0,0,0,0,0,0,1,7200,7200,7200.00");
}

TEST_F(EvaluationCsvCaseTest, DistrictRowSumsTheCase) {
  std::vector<std::string> lines = CsvLines(Grouping::kDistrict);
  ASSERT_EQ(lines.size(), 2u);
  // Two reports by grid workers: e1 valid (accepted), e2 valid too. p90 of {7200, 19800}
  // is rank ceil(1.8) = 2 → 19800; mean 27000 / 2 = 13500.
  EXPECT_EQ(lines[1],
            "district,d1,2,0,1,1,"
            "1,2,50.00,1,2,50.00,1,2,50.00,1,2,50.00,0,2,0.00,2,2,100.00,"
            "2,1,0,2,1,2,0,0,2,2,0,0,2,27000,19800,13500.00");
}

}  // namespace
}  // namespace zhiwang::console
