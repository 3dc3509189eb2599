#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_PERIOD_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_PERIOD_H_

// Evaluation periods (考核周期): half-open instants [from, to), built from local calendar
// days of the district's time zone (Asia/Shanghai). Pure.
//
//   absl::TimeZone tz = calendar.time_zone();
//   Period march = MonthPeriod(absl::CivilMonth(2026, 3), tz);  // [03-01 00:00, 04-01 00:00)
//   Period week = WeekPeriod(absl::CivilDay(2026, 3, 11), tz);  // Mon 03-09 .. Mon 03-16

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace zhiwang::console {

// [from, to): an instant t is in the period when from <= t < to.
struct Period {
  absl::Time from;
  absl::Time to;

  bool Contains(absl::Time t) const { return from <= t && t < to; }
};

// A custom range. INVALID_ARGUMENT (naming "to") when to <= from.
absl::StatusOr<Period> MakePeriod(absl::Time from, absl::Time to);

// One local day: [day 00:00, next day 00:00).
Period DayPeriod(absl::CivilDay day, const absl::TimeZone& tz);
// The ISO week (Monday to Sunday) containing `day`.
Period WeekPeriod(absl::CivilDay day, const absl::TimeZone& tz);
// One local month.
Period MonthPeriod(absl::CivilMonth month, const absl::TimeZone& tz);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_PERIOD_H_
