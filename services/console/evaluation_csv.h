#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_CSV_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_CSV_H_

// An evaluation result (Evaluate, evaluation.h) as a CSV export (csv_writer.h): one row per
// group, in key order, with the columns of EvaluationCsvHeader(). Pure and deterministic:
// equal GroupFigures give byte-identical files, so the file itself can be compared.
//
// Every rate is three columns: <rate>_num, <rate>_den (the exact Ratio) and <rate>_pct,
// the percentage with two decimals rounded half up in integer arithmetic ("" when the
// denominator is 0). Handling times are in seconds: total and p90 as exact integers (a
// fractional part, "12.5", only if the duration is not whole seconds); the mean as
// total / handled with two decimals rounded half up ("" when nothing was handled).
//
//   absl::StatusOr<GroupFigures> g = Evaluate(events, policies, calendar, march,
//                                             Grouping::kDepartment);
//   std::string csv = EvaluationCsv(*g, Grouping::kDepartment);
//
// Thread-safe: no shared state.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/console/evaluation.h"

namespace zhiwang::console {

// "district", "department", "street", "community", "worker".
std::string GroupingName(Grouping grouping);
// The inverse of GroupingName; INVALID_ARGUMENT naming "group" for any other text.
absl::StatusOr<Grouping> ParseGrouping(absl::string_view name);

// num / den as a percentage with two decimals, rounded half up ("66.67"); "" when
// den <= 0. Precondition: 0 <= num and num * 20000 does not overflow.
std::string FormatPercent(const Ratio& r);
// Whole seconds as an integer ("3600"); otherwise seconds with the needed decimals
// ("0.25", "-1.5"); exact to the nanosecond.
std::string FormatSeconds(absl::Duration d);

// The header row: group_kind, group_id, then the figures (see the .cc for the list).
std::vector<std::string> EvaluationCsvHeader();

// The whole file: BOM, header, one row per group of `figures`.
std::string EvaluationCsv(const GroupFigures& figures, Grouping grouping);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_CSV_H_
