#include "services/console/evaluation_bench.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"

namespace zhiwang::console {

EvaluationQuery MonthQuery(const std::string& district_id, const Period& month) {
  return EvaluationQuery{
      .district_id = district_id, .period = month, .grouping = Grouping::kDepartment};
}

absl::StatusOr<EvaluationLatency> MeasureEvaluation(EvaluationSource* source,
                                                    const sla::SlaConfig* sla,
                                                    const std::string& config_tag,
                                                    const EvaluationQuery& query, int runs,
                                                    bool cached) {
  if (runs < 1 || runs > 10000) return absl::InvalidArgumentError("runs: 1..10000");
  RealClock clock;
  EvaluationRunner::Options options;
  options.threads = 1;
  options.use_cache = cached;
  EvaluationRunner runner(source, sla, config_tag, &clock, options);
  EvaluationLatency out;
  if (cached) {
    absl::StatusOr<EvaluationResult> warm = runner.RunNow(query);
    if (!warm.ok()) return warm.status();
    if (!warm->final) {
      return absl::FailedPreconditionError("the period is not over: nothing is cached");
    }
  }
  std::vector<absl::Duration> times;
  times.reserve(runs);
  for (int i = 0; i < runs; ++i) {
    absl::Time t0 = absl::Now();
    absl::StatusOr<EvaluationResult> r = runner.RunNow(query);
    times.push_back(absl::Now() - t0);
    if (!r.ok()) return r.status();
    if (cached && !r->from_cache) return absl::InternalError("expected a cache hit");
    out.groups = r->figures.size();
  }
  std::sort(times.begin(), times.end());
  auto rank = [&](double q) {
    size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(times.size())));
    return times[std::max<size_t>(k, 1) - 1];
  };
  out.runs = runs;
  out.p50 = rank(0.50);
  out.p99 = rank(0.99);
  out.max = times.back();
  return out;
}

}  // namespace zhiwang::console
