#ifndef ZHIWANG_SERVICES_SLA_SLA_TEST_UTIL_H_
#define ZHIWANG_SERVICES_SLA_SLA_TEST_UTIL_H_

// Policies and calendars shared by the SLA tests.

#include "services/sla/business_calendar.h"
#include "services/sla/sla_clock.h"
#include "services/sla/sla_policy.h"

namespace zhiwang::sla::testing {

inline absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// The parts of the 2026 mainland calendar these tests cross (the full year is in
// deploy/sla/calendar-cn-2026.textpb, checked by sla_config_test).
inline BusinessCalendar Cn2026() {
  CalendarSpec spec;
  spec.periods = {{8 * 60 + 30, 12 * 60}, {14 * 60, 18 * 60}};
  spec.working_weekdays = {1, 2, 3, 4, 5};
  CalendarYear y;
  y.id = "cn-2026";
  y.year = 2026;
  for (int d = 15; d <= 23; ++d) y.holidays.push_back(Day(2026, 2, d));
  for (int d = 1; d <= 7; ++d) y.holidays.push_back(Day(2026, 10, d));
  y.makeup_workdays = {Day(2026, 2, 14), Day(2026, 2, 28), Day(2026, 9, 20), Day(2026, 10, 10)};
  spec.years.push_back(y);
  return *BusinessCalendar::Create(spec);
}

inline absl::Time Local(const BusinessCalendar& cal, int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), cal.time_zone());
}

// The four-rung ladder of the issue: 80 % → department (warning); 100 % → its leader
// (overdue); +1 working day → street dispatch centre; +3 working days → district
// supervision order with 2 working days of its own.
inline std::vector<Rung> IssueLadder(TimeUnit offset_unit = TimeUnit::kWorkingDays,
                                     double first = 1, double second = 3) {
  Rung warn{0.8, std::nullopt, Recipient::kDepartment, NoticeKind::kWarning, false, {}};
  Rung overdue{1.0, std::nullopt, Recipient::kDepartmentLeader, NoticeKind::kOverdue, false, {}};
  Rung street{0,
              TimeAmount{offset_unit, first},
              Recipient::kStreetDispatchCentre,
              NoticeKind::kEscalation,
              false,
              {}};
  Rung order{0,
             TimeAmount{offset_unit, second},
             Recipient::kDistrictDispatchCentre,
             NoticeKind::kSupervisionOrder,
             true,
             TimeAmount{offset_unit, 2}};
  return {warn, overdue, street, order};
}

// Every stage: `limit`; ladder IssueLadder(offset_unit, …); one extension of `extension`.
inline PolicySet UniformPolicies(TimeAmount limit, TimeUnit offset_unit, double first,
                                 double second, TimeAmount extension) {
  std::vector<PolicyEntry> entries;
  for (Stage s :
       {Stage::kAccept, Stage::kDispatch, Stage::kClaim, Stage::kResolve, Stage::kVerify}) {
    PolicyEntry e;
    e.stage = s;
    e.limit = limit;
    entries.push_back(e);
  }
  PolicyDefaults d;
  d.ladder = IssueLadder(offset_unit, first, second);
  d.max_extensions = 1;
  d.extension_length = extension;
  return *PolicySet::Create(std::move(entries), std::move(d));
}

// Second-scale: limit 10 s, +5 s, +15 s, one extension of 10 s.
inline PolicySet SecondScalePolicies() {
  return UniformPolicies({TimeUnit::kNaturalSeconds, 10}, TimeUnit::kNaturalSeconds, 5, 15,
                         {TimeUnit::kNaturalSeconds, 10});
}

inline EventFacts Facts(const std::string& district = "d1") {
  return EventFacts{district, "0101", Urgency::kNormal, "st1_urban", "st1"};
}

}  // namespace zhiwang::sla::testing

#endif  // ZHIWANG_SERVICES_SLA_SLA_TEST_UTIL_H_
