#ifndef ZHIWANG_SERVICES_SLA_SLA_CONFIG_LOADER_H_
#define ZHIWANG_SERVICES_SLA_SLA_CONFIG_LOADER_H_

// Loads business calendars and time-limit policies from protobuf text files
// (deploy/sla/*.textpb; messages zhiwang.v1.BusinessCalendarYear and SlaPolicySet) into
// the domain. Files, not code: a district's calendar or policies are replaced by editing
// its files and restarting (or SIGHUP-less reload: the service reloads when told by
// flags; see docs/sla.md).

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/sla/sla_engine.h"
#include "zhiwang/v1/sla.pb.h"

namespace zhiwang::sla {

// Parses one calendar year file. INVALID_ARGUMENT (naming the file and field) when it does
// not parse or a day is malformed.
absl::StatusOr<v1::BusinessCalendarYear> ReadCalendarYear(const std::string& path);

// Builds a calendar from years (their periods, weekdays and time zone must agree).
absl::StatusOr<BusinessCalendar> CalendarFromYears(const std::vector<v1::BusinessCalendarYear>& ys);

// Parses a policy file into the domain policy set.
absl::StatusOr<v1::SlaPolicySet> ReadPolicyFile(const std::string& path);
absl::StatusOr<PolicySet> PoliciesFromProto(const v1::SlaPolicySet& p);

// A loaded district configuration and the calendar years it came from.
struct LoadedDistrict {
  std::string district_id;  // "*" for the fallback
  std::shared_ptr<const DistrictSla> config;
  std::vector<v1::BusinessCalendarYear> years;
};

// Loads a policy file and its calendars: the policy set's `calendar_files` (relative to
// the policy file's folder) or, when it names none, `default_calendar_files`.
absl::StatusOr<LoadedDistrict> LoadDistrict(const std::string& policy_path,
                                            const std::vector<std::string>& default_calendar_files);

// Loads every policy file (LoadDistrict) into `config`; `years` (may be nullptr) receives
// each district's calendar years. The first error is returned; nothing is set then.
absl::Status LoadSlaConfig(const std::vector<std::string>& policy_paths,
                           const std::vector<std::string>& default_calendar_files,
                           SlaConfig* config,
                           std::map<std::string, std::vector<v1::BusinessCalendarYear>>* years);

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_CONFIG_LOADER_H_
