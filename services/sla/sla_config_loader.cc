#include "services/sla/sla_config_loader.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"

namespace zhiwang::sla {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TimeAmount FromProto(const v1::TimeAmount& t) {
  return TimeAmount{static_cast<TimeUnit>(t.unit()), t.amount()};
}

std::vector<Rung> LadderFromProto(const google::protobuf::RepeatedPtrField<v1::EscalationRung>& l) {
  std::vector<Rung> out;
  for (const v1::EscalationRung& r : l) {
    Rung rung;
    rung.share_of_limit = r.share_of_limit();
    if (r.has_after_deadline()) rung.after_deadline = FromProto(r.after_deadline());
    rung.recipient = static_cast<Recipient>(r.recipient());
    rung.kind = static_cast<NoticeKind>(r.kind());
    rung.opens_supervision_order = r.opens_supervision_order();
    rung.supervision_limit = FromProto(r.supervision_limit());
    out.push_back(rung);
  }
  return out;
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

absl::StatusOr<v1::BusinessCalendarYear> ReadCalendarYear(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  v1::BusinessCalendarYear y;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &y)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a BusinessCalendarYear"));
  }
  return y;
}

absl::StatusOr<BusinessCalendar> CalendarFromYears(
    const std::vector<v1::BusinessCalendarYear>& ys) {
  if (ys.empty()) return absl::InvalidArgumentError("calendar_files: none given");
  CalendarSpec spec;
  const v1::BusinessCalendarYear& first = ys.front();
  spec.time_zone = first.time_zone().empty() ? "Asia/Shanghai" : first.time_zone();
  for (const v1::WorkingPeriod& p : first.periods()) {
    spec.periods.push_back({p.start_minute(), p.end_minute()});
  }
  spec.working_weekdays.assign(first.working_weekdays().begin(), first.working_weekdays().end());
  for (const v1::BusinessCalendarYear& y : ys) {
    if (y.periods_size() != first.periods_size() ||
        y.working_weekdays_size() != first.working_weekdays_size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("periods: calendar ", y.id(), " differs from ", first.id()));
    }
    CalendarYear year;
    year.id = y.id();
    year.year = y.year();
    year.provisional = y.provisional();
    for (const std::string& d : y.holidays()) {
      absl::CivilDay day;
      if (!ParseDay(d, &day)) {
        return absl::InvalidArgumentError(absl::StrCat("holidays: '", d, "' in ", y.id()));
      }
      year.holidays.push_back(day);
    }
    for (const std::string& d : y.makeup_workdays()) {
      absl::CivilDay day;
      if (!ParseDay(d, &day)) {
        return absl::InvalidArgumentError(absl::StrCat("makeup_workdays: '", d, "' in ", y.id()));
      }
      year.makeup_workdays.push_back(day);
    }
    spec.years.push_back(std::move(year));
  }
  return BusinessCalendar::Create(spec);
}

absl::StatusOr<v1::SlaPolicySet> ReadPolicyFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  v1::SlaPolicySet p;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &p)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not an SlaPolicySet"));
  }
  return p;
}

absl::StatusOr<PolicySet> PoliciesFromProto(const v1::SlaPolicySet& p) {
  PolicyDefaults d;
  d.ladder = LadderFromProto(p.default_ladder());
  if (p.default_yellow_share() > 0) d.yellow_share = p.default_yellow_share();
  d.max_extensions = p.default_max_extensions();
  if (p.has_default_extension_length()) {
    d.extension_length = FromProto(p.default_extension_length());
  }
  std::vector<PolicyEntry> entries;
  for (const v1::TimeLimitPolicy& t : p.policies()) {
    PolicyEntry e;
    e.category = t.category();
    e.urgency = static_cast<Urgency>(t.urgency());
    e.stage = static_cast<Stage>(t.stage());
    e.limit = FromProto(t.limit());
    e.ladder = LadderFromProto(t.ladder());
    if (t.has_max_extensions()) e.max_extensions = t.max_extensions();
    if (t.has_extension_length()) e.extension_length = FromProto(t.extension_length());
    if (t.yellow_share() > 0) e.yellow_share = t.yellow_share();
    entries.push_back(std::move(e));
  }
  return PolicySet::Create(std::move(entries), std::move(d));
}

absl::StatusOr<LoadedDistrict> LoadDistrict(
    const std::string& policy_path, const std::vector<std::string>& default_calendar_files) {
  absl::StatusOr<v1::SlaPolicySet> p = ReadPolicyFile(policy_path);
  if (!p.ok()) return p.status();
  absl::StatusOr<PolicySet> policies = PoliciesFromProto(*p);
  if (!policies.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(policy_path, ": ", policies.status().message()));
  }
  std::vector<std::string> files;
  for (const std::string& f : p->calendar_files()) files.push_back(DirOf(policy_path) + "/" + f);
  if (files.empty()) files = default_calendar_files;
  LoadedDistrict out;
  out.district_id = p->district_id().empty() ? "*" : p->district_id();
  for (const std::string& f : files) {
    absl::StatusOr<v1::BusinessCalendarYear> y = ReadCalendarYear(f);
    if (!y.ok()) return y.status();
    out.years.push_back(*std::move(y));
  }
  absl::StatusOr<BusinessCalendar> cal = CalendarFromYears(out.years);
  if (!cal.ok()) return cal.status();
  out.config = std::make_shared<DistrictSla>(DistrictSla{*std::move(cal), *std::move(policies)});
  return out;
}

absl::Status LoadSlaConfig(const std::vector<std::string>& policy_paths,
                           const std::vector<std::string>& default_calendar_files,
                           SlaConfig* config,
                           std::map<std::string, std::vector<v1::BusinessCalendarYear>>* years) {
  std::vector<LoadedDistrict> loaded;
  for (const std::string& path : policy_paths) {
    absl::StatusOr<LoadedDistrict> d = LoadDistrict(path, default_calendar_files);
    if (!d.ok()) return d.status();
    loaded.push_back(*std::move(d));
  }
  for (LoadedDistrict& d : loaded) {
    config->Set(d.district_id, d.config);
    if (years != nullptr) (*years)[d.district_id] = std::move(d.years);
  }
  return absl::OkStatus();
}

}  // namespace zhiwang::sla
