#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_RUNNER_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_RUNNER_H_

// feed (issue 6): the Evaluate use case — inputs from the EvaluationSource, the scope
// filter, the pure Evaluate (evaluation.h), and the cache of finished periods. No gRPC.
//
// A period is final once `settle` has passed after its end (a write stamped just before
// the end may still be committing): its figures are frozen (docs/evaluation.md), so they
// are computed once and cached under (district, scope, grouping, period, config). The
// current period is always computed live.
//
// Evaluations run on the runner's own threads (`threads`), never on gRPC or Redis I/O
// threads; at most `max_queued` wait, more are RESOURCE_EXHAUSTED.
//
//   EvaluationRunner runner(&source, &sla_config, "cfg1", &clock, {});
//   absl::StatusOr<EvaluationResult> r = runner.RunNow({.district_id = "440304",
//       .period = march, .grouping = Grouping::kDepartment});

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/base/clock.h"
#include "services/console/evaluation_source.h"
#include "services/sla/sla_engine.h"
#include "zhiwang/v1/sla.pb.h"

namespace zhiwang::console {

struct EvaluationQuery {
  std::string district_id;
  Period period;
  Grouping grouping = Grouping::kDistrict;
  // Only events inside this area (AreaContainsEvent) count; "" = the whole district.
  std::string scope;
};

struct EvaluationResult {
  GroupFigures figures;
  bool final = false;       // the period is over (and settled): the figures never change
  bool from_cache = false;  // read from the cache of finished periods
};

class EvaluationRunner {
 public:
  struct Options {
    int threads = 2;
    int max_queued = 16;
    absl::Duration settle = absl::Minutes(5);
    bool use_cache = true;  // false: always compute (benchmarks of the uncached path)
  };

  // `config_tag` names the SLA configuration (a fingerprint of its files): part of every
  // cache key. Pointers outlive the runner.
  EvaluationRunner(EvaluationSource* source, const sla::SlaConfig* sla, std::string config_tag,
                   const Clock* clock, Options options);
  // Finishes queued evaluations, then joins the threads.
  ~EvaluationRunner();

  // The district's calendar time zone (periods are local days); NOT_FOUND without an SLA
  // configuration for the district.
  absl::StatusOr<absl::TimeZone> TimeZoneOf(const std::string& district_id) const;

  // Runs `query` on a runner thread; `done` runs there. RESOURCE_EXHAUSTED (at once) when
  // too many wait.
  void Run(EvaluationQuery query, std::function<void(absl::StatusOr<EvaluationResult>)> done);

  // Runs `query` on the calling thread (blocking; not from a Redis callback). Errors:
  // NOT_FOUND without an SLA configuration for the district; those of the source and of
  // Evaluate.
  absl::StatusOr<EvaluationResult> RunNow(const EvaluationQuery& query);

 private:
  void Work();

  EvaluationSource* source_;
  const sla::SlaConfig* sla_;
  const std::string config_tag_;
  const Clock* clock_;
  const Options options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// A fingerprint (hex FNV-1a 64) of the SLA configuration: the policy files' bytes, in
// order, and every district's calendar years. Unreadable files count as empty.
std::string SlaConfigFingerprint(
    const std::vector<std::string>& policy_files,
    const std::map<std::string, std::vector<v1::BusinessCalendarYear>>& years);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_RUNNER_H_
