#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_CONVERT_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_CONVERT_H_

// feed (issue 6): evaluation figures ⇄ zhiwang.v1 messages (evaluation.proto), for the
// EvaluationService adapter and the Redis cache. Lossless: FiguresFromProto(ToProto(f))
// == f (durations are exact to the nanosecond).

#include <string>

#include "absl/status/statusor.h"
#include "services/console/evaluation.h"
#include "zhiwang/v1/evaluation.pb.h"

namespace zhiwang::console {

void ToProto(const std::string& group_id, const Figures& f, v1::GroupFigures* out);
Figures FiguresFromProto(const v1::GroupFigures& p);

v1::EvaluationSnapshot ToSnapshot(const GroupFigures& figures);
GroupFigures FromSnapshot(const v1::EvaluationSnapshot& snapshot);

v1::Rate ToProto(const Ratio& r);

v1::EvaluationGrouping ToProto(Grouping g);
// INVALID_ARGUMENT naming "grouping" for UNSPECIFIED or an unknown value.
absl::StatusOr<Grouping> GroupingFromProto(int g);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_CONVERT_H_
