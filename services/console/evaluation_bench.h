#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_BENCH_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_BENCH_H_

// feed (issue 6, item 5): latency of the Evaluate path on Redis (input selection from the
// indexes, pipelined reads, the pure evaluation, the cache), for the console benchmark's
// "one month's evaluation of all departments". Call it from any benchmark that has a
// district stored in Redis:
//
//   RedisEvaluationSource source(client);
//   absl::StatusOr<EvaluationLatency> cached =
//       MeasureEvaluation(&source, sla, "bench", MonthQuery("440304", march), 50, true);
//   absl::StatusOr<EvaluationLatency> uncached = MeasureEvaluation(..., 10, false);
//
// Cached: the first run fills the cache (not timed), every timed run reads it back.
// Uncached: every run selects, reads and evaluates. Blocking; bounded by `runs`.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/console/evaluation_runner.h"

namespace zhiwang::console {

struct EvaluationLatency {
  int runs = 0;
  size_t groups = 0;  // groups in the result (sanity: all departments)
  absl::Duration p50, p99, max;
};

// The query for one month's evaluation of all departments of a district (whole scope).
EvaluationQuery MonthQuery(const std::string& district_id, const Period& month);

// Runs `query` `runs` times (1..10000) through a fresh EvaluationRunner over `source` with
// the cache on or off; nearest-rank percentiles. The period must be over (final) for the
// cached figures to mean anything: FAILED_PRECONDITION otherwise.
absl::StatusOr<EvaluationLatency> MeasureEvaluation(EvaluationSource* source,
                                                    const sla::SlaConfig* sla,
                                                    const std::string& config_tag,
                                                    const EvaluationQuery& query, int runs,
                                                    bool cached);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_BENCH_H_
