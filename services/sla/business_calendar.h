#ifndef ZHIWANG_SERVICES_SLA_BUSINESS_CALENDAR_H_
#define ZHIWANG_SERVICES_SLA_BUSINESS_CALENDAR_H_

// A business calendar (工作日历) and working-time arithmetic. Pure: no clock, no I/O.
//
// A day is a working day when it is a make-up working day (调休), or when it is a
// working weekday and not a public holiday. On a working day, working time runs in the
// calendar's periods (e.g. 08:30–12:00 and 14:00–18:00 local time). Days of years the
// calendar has no data for follow the weekday rule alone.
//
//   absl::StatusOr<BusinessCalendar> cal = BusinessCalendar::Create(spec);
//   absl::Time due = *cal->AddWorking(reported_at, absl::Hours(4));
//   absl::Duration used = cal->WorkingBetween(reported_at, now);
//
// Thread-safe after construction (immutable).

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace zhiwang::sla {

struct WorkingPeriod {
  int start_minute = 0;  // local minutes after midnight
  int end_minute = 0;    // exclusive
};

// One year's data, as loaded from a calendar file.
struct CalendarYear {
  std::string id;
  int year = 0;
  bool provisional = false;
  std::vector<absl::CivilDay> holidays;
  std::vector<absl::CivilDay> makeup_workdays;
};

struct CalendarSpec {
  std::string time_zone = "Asia/Shanghai";
  std::vector<WorkingPeriod> periods;
  std::vector<int> working_weekdays;  // ISO: 1 = Monday … 7 = Sunday
  std::vector<CalendarYear> years;
};

class BusinessCalendar {
 public:
  // INVALID_ARGUMENT (naming the field) when the time zone is unknown, periods are empty,
  // unordered or overlapping or outside 0..1440, a weekday is outside 1..7, a day is both
  // a holiday and a make-up day, or a year appears twice.
  static absl::StatusOr<BusinessCalendar> Create(const CalendarSpec& spec);

  // A calendar that works around the clock every day (for tests and demos).
  static BusinessCalendar AlwaysWorking();

  bool IsWorkingDay(absl::CivilDay day) const;
  // The total length of a working day's periods (the length of "one working day").
  absl::Duration WorkingDayLength() const { return day_length_; }

  // The instant when `amount` of working time has elapsed after `from`. A zero or negative
  // amount returns `from`. Lands at the end of a period when it uses it up exactly (a
  // deadline of 12:00, not 14:00). OUT_OF_RANGE when no such instant within 10 years.
  absl::StatusOr<absl::Time> AddWorking(absl::Time from, absl::Duration amount) const;

  // Working time in [a, b); zero when b <= a.
  absl::Duration WorkingBetween(absl::Time a, absl::Time b) const;

  const absl::TimeZone& time_zone() const { return tz_; }
  const std::vector<CalendarYear>& years() const { return years_; }

 private:
  BusinessCalendar() = default;
  absl::TimeZone tz_;
  std::vector<WorkingPeriod> periods_;
  bool weekday_works_[8] = {};
  std::set<absl::CivilDay> holidays_;
  std::set<absl::CivilDay> makeups_;
  std::vector<CalendarYear> years_;
  absl::Duration day_length_;
};

// Parses "YYYY-MM-DD"; false when malformed.
bool ParseDay(const std::string& s, absl::CivilDay* out);

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_BUSINESS_CALENDAR_H_
