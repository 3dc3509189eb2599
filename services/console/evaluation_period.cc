#include "services/console/evaluation_period.h"

namespace zhiwang::console {

absl::StatusOr<Period> MakePeriod(absl::Time from, absl::Time to) {
  if (to <= from) return absl::InvalidArgumentError("to: must be after from");
  return Period{from, to};
}

Period DayPeriod(absl::CivilDay day, const absl::TimeZone& tz) {
  return Period{absl::FromCivil(day, tz), absl::FromCivil(day + 1, tz)};
}

Period WeekPeriod(absl::CivilDay day, const absl::TimeZone& tz) {
  absl::CivilDay monday = day;
  while (absl::GetWeekday(monday) != absl::Weekday::monday) --monday;
  return Period{absl::FromCivil(monday, tz), absl::FromCivil(monday + 7, tz)};
}

Period MonthPeriod(absl::CivilMonth month, const absl::TimeZone& tz) {
  return Period{absl::FromCivil(month, tz), absl::FromCivil(month + 1, tz)};
}

}  // namespace zhiwang::console
