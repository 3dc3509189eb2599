// zweval: evaluation figures as CSV, recomputed from raw event timelines (issue 6, item 4).
// For now the timelines come from the deterministic month generator; docs/evaluation.md
// ("Recomputing from raw timelines") says how they will be read from Redis.
//
//   zweval --generate_seed=7 --month=2026-03 --group=department --csv=march.csv
//   zweval --generate_seed=7 --month=2026-03 --check   # prints "identical", exit 0
//
// Calendar and policies: the SLA policy file given by --sla_policies and the calendars it
// names (default: the checkout's deploy/sla/policies.textpb, 2026 and provisional 2027).
// Exit codes: 0 success; 1 the --check runs differ; 2 bad flags or an evaluation error.

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/console/evaluation.h"
#include "services/console/evaluation_csv.h"
#include "services/console/evaluation_generator.h"
#include "services/console/evaluation_period.h"
#include "services/sla/sla_config_loader.h"

ABSL_FLAG(uint64_t, generate_seed, 1, "seed of the generated month of events");
ABSL_FLAG(std::string, sla_policies, ZW_DEFAULT_SLA_POLICIES,
          "SLA policy file (deploy/sla); its calendar files are loaded beside it");
ABSL_FLAG(std::string, month, "2026-03", "the month to generate and evaluate, YYYY-MM");
ABSL_FLAG(int, events, 300, "number of events to generate");
ABSL_FLAG(std::string, group, "department",
          "grouping: district, department, street, community or worker");
ABSL_FLAG(std::string, csv, "", "write the CSV to this file instead of stdout");
ABSL_FLAG(bool, check, false,
          "evaluate twice (as generated, and with events and timeline entries shuffled); "
          "exit 1 if the CSV differs, print \"identical\" otherwise");

namespace zhiwang::console {
namespace {

// The same events with the events and each timeline's entries in a seeded random order.
std::vector<EventRecord> Shuffled(std::vector<EventRecord> events, uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x5DEECE66DULL);
  std::shuffle(events.begin(), events.end(), rng);
  for (EventRecord& e : events) std::shuffle(e.timeline.begin(), e.timeline.end(), rng);
  return events;
}

absl::StatusOr<std::string> EvaluateToCsv(const std::vector<EventRecord>& events,
                                          const sla::PolicySet& policies,
                                          const sla::BusinessCalendar& calendar,
                                          const Period& period, Grouping grouping) {
  absl::StatusOr<GroupFigures> figures = Evaluate(events, policies, calendar, period, grouping);
  if (!figures.ok()) return figures.status();
  return EvaluationCsv(*figures, grouping);
}

int Fail(const absl::Status& s) {
  std::cerr << "zweval: " << s << "\n";
  return 2;
}

int Run() {
  absl::CivilMonth month;
  if (!absl::ParseCivilTime(absl::GetFlag(FLAGS_month), &month)) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("month: \"", absl::GetFlag(FLAGS_month), "\" is not YYYY-MM")));
  }
  absl::StatusOr<Grouping> grouping = ParseGrouping(absl::GetFlag(FLAGS_group));
  if (!grouping.ok()) return Fail(grouping.status());

  absl::StatusOr<sla::LoadedDistrict> sla_config =
      sla::LoadDistrict(absl::GetFlag(FLAGS_sla_policies), {});
  if (!sla_config.ok()) return Fail(sla_config.status());
  const sla::BusinessCalendar& calendar = sla_config->config->calendar;
  const sla::PolicySet& policies = sla_config->config->policies;
  const Period period = MonthPeriod(month, calendar.time_zone());

  GeneratorOptions options;
  options.seed = absl::GetFlag(FLAGS_generate_seed);
  options.month = month;
  options.time_zone = calendar.time_zone();
  options.events = absl::GetFlag(FLAGS_events);
  absl::StatusOr<std::vector<EventRecord>> events = GenerateMonth(options);
  if (!events.ok()) return Fail(events.status());

  absl::StatusOr<std::string> csv = EvaluateToCsv(*events, policies, calendar, period, *grouping);
  if (!csv.ok()) return Fail(csv.status());

  int rc = 0;
  if (absl::GetFlag(FLAGS_check)) {
    absl::StatusOr<std::string> again =
        EvaluateToCsv(Shuffled(*events, options.seed), policies, calendar, period, *grouping);
    if (!again.ok()) return Fail(again.status());
    if (*again == *csv) {
      std::cout << "identical\n";
    } else {
      std::cout << "different: the shuffled events give another CSV\n";
      rc = 1;
    }
  }

  const std::string path = absl::GetFlag(FLAGS_csv);
  if (!path.empty()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *csv;
    out.close();
    if (!out) return Fail(absl::UnavailableError(absl::StrCat("csv: cannot write ", path)));
  } else if (!absl::GetFlag(FLAGS_check)) {
    std::cout << *csv << std::flush;
  }
  return rc;
}

}  // namespace
}  // namespace zhiwang::console

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "zweval --generate_seed=N --month=YYYY-MM [--group=department|street|community|"
      "worker|district] [--csv=out.csv] [--check]");
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    std::cerr << "zweval: unexpected argument " << rest[1] << "\n";
    return 2;
  }
  return zhiwang::console::Run();
}
