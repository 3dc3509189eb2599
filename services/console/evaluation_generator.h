#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_GENERATOR_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_GENERATOR_H_

// A deterministic month of events with lifecycle-valid timelines, for evaluation tests and
// the recomputation tool. Every step goes through ApplyCommand (common/domain/lifecycle.h),
// so the timelines are ones the platform could have written. Pure: the same options give
// the same events on every run and platform (own integer sampling over std::mt19937_64).
//
//   GeneratorOptions o;
//   o.seed = 42;
//   absl::StatusOr<std::vector<EventRecord>> month = GenerateMonth(o);

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/console/evaluation.h"

namespace zhiwang::console {

struct GeneratorOptions {
  uint64_t seed = 1;
  absl::CivilMonth month = absl::CivilMonth(2026, 3);
  absl::TimeZone time_zone = absl::UTCTimeZone();  // pass the calendar's zone
  int events = 300;
  std::string district_id = "d1";
  std::vector<std::string> departments = {"water", "urban", "housing", "market"};
  std::vector<std::string> streets = {"st1", "st2", "st3"};
  int communities_per_street = 2;
  int grid_workers_per_community = 2;
  std::vector<std::string> categories = {"0101", "0202"};
};

// Events reported at random instants of the month; their later steps may run past it.
// INVALID_ARGUMENT when a list is empty or a count < 1; INTERNAL if the lifecycle refuses
// a step (a bug in the generator).
absl::StatusOr<std::vector<EventRecord>> GenerateMonth(const GeneratorOptions& options);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_GENERATOR_H_
