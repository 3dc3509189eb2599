#include "services/sla/business_calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace zhiwang::sla {
namespace {

constexpr int kMaxDays = 3660;  // bounds every walk over days

int IsoWeekday(absl::CivilDay d) {
  switch (absl::GetWeekday(d)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 0;
}

}  // namespace

bool ParseDay(const std::string& s, absl::CivilDay* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  return absl::ParseCivilTime(s, out);
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(const CalendarSpec& spec) {
  BusinessCalendar c;
  if (!absl::LoadTimeZone(spec.time_zone, &c.tz_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: unknown time zone '", spec.time_zone, "'"));
  }
  if (spec.periods.empty()) return absl::InvalidArgumentError("periods: none given");
  int last_end = 0;
  for (const WorkingPeriod& p : spec.periods) {
    if (p.start_minute < last_end || p.end_minute <= p.start_minute || p.end_minute > 1440) {
      return absl::InvalidArgumentError(
          "periods: must be ordered, non-overlapping, non-empty and within 0..1440");
    }
    last_end = p.end_minute;
    c.day_length_ += absl::Minutes(p.end_minute - p.start_minute);
  }
  c.periods_ = spec.periods;
  for (int w : spec.working_weekdays) {
    if (w < 1 || w > 7) {
      return absl::InvalidArgumentError(
          absl::StrCat("working_weekdays: ", w, " is not an ISO weekday 1..7"));
    }
    c.weekday_works_[w] = true;
  }
  std::set<int> seen_years;
  for (const CalendarYear& y : spec.years) {
    if (!seen_years.insert(y.year).second) {
      return absl::InvalidArgumentError(absl::StrCat("year: ", y.year, " given twice"));
    }
    c.holidays_.insert(y.holidays.begin(), y.holidays.end());
    for (absl::CivilDay d : y.makeup_workdays) {
      if (c.holidays_.count(d)) {
        return absl::InvalidArgumentError(
            absl::StrCat("makeup_workdays: ", absl::FormatCivilTime(d), " is also a holiday"));
      }
      c.makeups_.insert(d);
    }
  }
  c.years_ = spec.years;
  return c;
}

BusinessCalendar BusinessCalendar::AlwaysWorking() {
  BusinessCalendar c;
  c.tz_ = absl::UTCTimeZone();
  c.periods_ = {{0, 1440}};
  for (int w = 1; w <= 7; ++w) c.weekday_works_[w] = true;
  c.day_length_ = absl::Hours(24);
  return c;
}

bool BusinessCalendar::IsWorkingDay(absl::CivilDay day) const {
  if (makeups_.count(day)) return true;
  if (holidays_.count(day)) return false;
  return weekday_works_[IsoWeekday(day)];
}

absl::StatusOr<absl::Time> BusinessCalendar::AddWorking(absl::Time from,
                                                        absl::Duration amount) const {
  if (amount <= absl::ZeroDuration()) return from;
  absl::CivilDay day = absl::ToCivilDay(from, tz_);
  for (int i = 0; i < kMaxDays; ++i, ++day) {
    if (!IsWorkingDay(day)) continue;
    for (const WorkingPeriod& p : periods_) {
      absl::Time start = absl::FromCivil(absl::CivilMinute(day) + p.start_minute, tz_);
      absl::Time end = absl::FromCivil(absl::CivilMinute(day) + p.end_minute, tz_);
      if (end <= from) continue;
      absl::Time begin = std::max(start, from);
      absl::Duration available = end - begin;
      if (amount <= available) return begin + amount;
      amount -= available;
    }
  }
  return absl::OutOfRangeError("working time does not fit in 10 years of the calendar");
}

absl::Duration BusinessCalendar::WorkingBetween(absl::Time a, absl::Time b) const {
  absl::Duration total;
  if (b <= a) return total;
  absl::CivilDay day = absl::ToCivilDay(a, tz_);
  absl::CivilDay last = absl::ToCivilDay(b, tz_);
  for (int i = 0; i < kMaxDays && day <= last; ++i, ++day) {
    if (!IsWorkingDay(day)) continue;
    for (const WorkingPeriod& p : periods_) {
      absl::Time start = absl::FromCivil(absl::CivilMinute(day) + p.start_minute, tz_);
      absl::Time end = absl::FromCivil(absl::CivilMinute(day) + p.end_minute, tz_);
      absl::Time lo = std::max(start, a), hi = std::min(end, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

}  // namespace zhiwang::sla
