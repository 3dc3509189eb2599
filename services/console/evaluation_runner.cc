#include "services/console/evaluation_runner.h"

#include <fstream>
#include <future>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"

namespace zhiwang::console {
namespace {

// Waits for an asynchronous port call.
template <typename T, typename Call>
absl::StatusOr<T> Await(Call&& call) {
  std::promise<absl::StatusOr<T>> p;
  std::future<absl::StatusOr<T>> f = p.get_future();
  call([&p](absl::StatusOr<T> r) { p.set_value(std::move(r)); });
  return f.get();
}

}  // namespace

EvaluationRunner::EvaluationRunner(EvaluationSource* source, const sla::SlaConfig* sla,
                                   std::string config_tag, const Clock* clock, Options options)
    : source_(source),
      sla_(sla),
      config_tag_(std::move(config_tag)),
      clock_(clock),
      options_(options) {
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { Work(); });
  }
}

EvaluationRunner::~EvaluationRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void EvaluationRunner::Work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

absl::StatusOr<absl::TimeZone> EvaluationRunner::TimeZoneOf(const std::string& district_id) const {
  std::shared_ptr<const sla::DistrictSla> cfg = sla_->Get(district_id);
  if (cfg == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("district_id: no SLA policies are configured for ", district_id));
  }
  return cfg->calendar.time_zone();
}

void EvaluationRunner::Run(EvaluationQuery query,
                           std::function<void(absl::StatusOr<EvaluationResult>)> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (static_cast<int>(queue_.size()) >= options_.max_queued) {
      done(absl::ResourceExhaustedError("too many evaluations are waiting; try again shortly"));
      return;
    }
    queue_.push_back(
        [this, query = std::move(query), done = std::move(done)] { done(RunNow(query)); });
  }
  cv_.notify_one();
}

absl::StatusOr<EvaluationResult> EvaluationRunner::RunNow(const EvaluationQuery& query) {
  std::shared_ptr<const sla::DistrictSla> cfg = sla_->Get(query.district_id);
  if (cfg == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("district_id: no SLA policies are configured for ", query.district_id));
  }
  EvaluationResult result;
  result.final = query.period.to + options_.settle <= clock_->Now();
  const EvaluationCacheKey key{query.district_id, query.scope, query.grouping, query.period,
                               config_tag_};
  const bool cacheable = result.final && options_.use_cache;
  if (cacheable) {
    absl::StatusOr<std::optional<GroupFigures>> hit = Await<std::optional<GroupFigures>>(
        [&](auto done) { source_->GetCached(key, std::move(done)); });
    if (hit.ok() && hit->has_value()) {
      result.figures = **std::move(hit);
      result.from_cache = true;
      return result;
    }
  }
  absl::StatusOr<std::vector<EventRecord>> events = Await<std::vector<EventRecord>>(
      [&](auto done) { source_->Load(query.district_id, query.period, std::move(done)); });
  if (!events.ok()) return events.status();
  if (!query.scope.empty()) {
    std::erase_if(*events,
                  [&](const EventRecord& r) { return !AreaContainsEvent(query.scope, r.event); });
  }
  absl::StatusOr<GroupFigures> figures =
      Evaluate(*events, cfg->policies, cfg->calendar, query.period, query.grouping);
  if (!figures.ok()) return figures.status();
  result.figures = *std::move(figures);
  if (cacheable) {
    // A failed write only costs a recomputation next time.
    (void)Await<bool>([&](auto done) { source_->PutCached(key, result.figures, std::move(done)); });
  }
  return result;
}

std::string SlaConfigFingerprint(
    const std::vector<std::string>& policy_files,
    const std::map<std::string, std::vector<v1::BusinessCalendarYear>>& years) {
  uint64_t h = 1469598103934665603ULL;
  auto add = [&h](absl::string_view bytes) {
    for (unsigned char c : bytes) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;  // separator
    h *= 1099511628211ULL;
  };
  for (const std::string& path : policy_files) {
    std::ifstream in(path, std::ios::binary);
    add(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  for (const auto& [district, ys] : years) {
    add(district);
    for (const v1::BusinessCalendarYear& y : ys) add(y.SerializeAsString());
  }
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

}  // namespace zhiwang::console
