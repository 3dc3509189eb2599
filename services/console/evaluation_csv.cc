#include "services/console/evaluation_csv.h"

#include <cstdint>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/console/csv_writer.h"

namespace zhiwang::console {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

// Rounds num / den to the nearest integer, halves up. Preconditions: num >= 0, den > 0.
int64_t RoundHalfUp(int64_t num, int64_t den) { return (2 * num + den) / (2 * den); }

// value / 100 with two decimals; value >= 0.
std::string Hundredths(int64_t value) {
  return absl::StrFormat("%d.%02d", value / 100, value % 100);
}

void AddRatio(const Ratio& r, std::vector<std::string>& row) {
  row.push_back(absl::StrCat(r.numerator));
  row.push_back(absl::StrCat(r.denominator));
  row.push_back(FormatPercent(r));
}

std::string MeanSeconds(const Figures& f) {
  if (f.handled <= 0) return "";
  // Hundredths of a second: total_ns / (handled * 1e7). A month's total in nanoseconds
  // stays far below 2^62, so 2 * total does not overflow.
  return Hundredths(
      RoundHalfUp(absl::ToInt64Nanoseconds(f.handling_total), f.handled * (kNanosPerSecond / 100)));
}

}  // namespace

std::string GroupingName(Grouping grouping) {
  switch (grouping) {
    case Grouping::kDistrict:
      return "district";
    case Grouping::kDepartment:
      return "department";
    case Grouping::kStreet:
      return "street";
    case Grouping::kCommunity:
      return "community";
    case Grouping::kGridWorker:
      return "worker";
  }
  return "";
}

absl::StatusOr<Grouping> ParseGrouping(absl::string_view name) {
  for (Grouping g : {Grouping::kDistrict, Grouping::kDepartment, Grouping::kStreet,
                     Grouping::kCommunity, Grouping::kGridWorker}) {
    if (name == GroupingName(g)) return g;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "group: \"", name, "\" is not district, department, street, community or worker"));
}

std::string FormatPercent(const Ratio& r) {
  if (!r.defined()) return "";
  return Hundredths(RoundHalfUp(r.numerator * 10000, r.denominator));
}

std::string FormatSeconds(absl::Duration d) {
  const int64_t ns = absl::ToInt64Nanoseconds(d);
  const int64_t whole = ns / kNanosPerSecond;
  int64_t frac = std::llabs(ns % kNanosPerSecond);
  if (frac == 0) return absl::StrCat(whole);
  std::string digits = absl::StrFormat("%09d", frac);
  digits.erase(digits.find_last_not_of('0') + 1);
  // -0.5 s has whole == 0: the sign must come from ns.
  return absl::StrCat(ns < 0 && whole == 0 ? "-" : "", whole, ".", digits);
}

std::vector<std::string> EvaluationCsvHeader() {
  std::vector<std::string> h = {"group_kind", "group_id", "due", "suspended", "on_time", "overdue"};
  for (const char* rate : {"on_time_rate", "closure_rate", "fixed_rate", "rework_rate",
                           "rejection_rate", "valid_report_rate"}) {
    for (const char* part : {"_num", "_den", "_pct"}) h.push_back(absl::StrCat(rate, part));
  }
  for (const char* c :
       {"accepted", "closed_fixed", "closed_not_fixed", "verifications", "reworks", "assignments",
        "rejected_assignments", "buck_passing", "reports", "valid_reports", "invalid_reports",
        "pending_reports", "handled", "handling_total_s", "handling_p90_s", "handling_mean_s"}) {
    h.push_back(c);
  }
  return h;
}

std::string EvaluationCsv(const GroupFigures& figures, Grouping grouping) {
  CsvWriter csv(EvaluationCsvHeader());
  const std::string kind = GroupingName(grouping);
  for (const auto& [id, f] : figures) {
    std::vector<std::string> row = {kind,
                                    id,
                                    absl::StrCat(f.due),
                                    absl::StrCat(f.suspended),
                                    absl::StrCat(f.on_time),
                                    absl::StrCat(f.overdue)};
    AddRatio(f.OnTimeRate(), row);
    AddRatio(f.ClosureRate(), row);
    AddRatio(f.FixedRate(), row);
    AddRatio(f.ReworkRate(), row);
    AddRatio(f.RejectionRate(), row);
    AddRatio(f.ValidReportRate(), row);
    for (int64_t n : {f.accepted, f.closed_fixed, f.closed_not_fixed, f.verifications, f.reworks,
                      f.assignments, f.rejected_assignments, f.buck_passing, f.reports,
                      f.valid_reports, f.invalid_reports, f.pending_reports, f.handled}) {
      row.push_back(absl::StrCat(n));
    }
    row.push_back(FormatSeconds(f.handling_total));
    row.push_back(FormatSeconds(f.handling_p90));
    row.push_back(MeanSeconds(f));
    // The row is built from the same list as the header, so the count always matches.
    csv.AddRow(row).IgnoreError();
  }
  return csv.str();
}

}  // namespace zhiwang::console
