#include "services/sla/sla_engine.h"

#include "absl/strings/str_cat.h"

namespace zhiwang::sla {

void SlaConfig::Set(const std::string& district_id, std::shared_ptr<const DistrictSla> config) {
  absl::MutexLock lock(&mu_);
  by_district_[district_id] = std::move(config);
}

std::shared_ptr<const DistrictSla> SlaConfig::Get(const std::string& district_id) const {
  absl::MutexLock lock(&mu_);
  auto it = by_district_.find(district_id);
  if (it == by_district_.end()) it = by_district_.find("*");
  return it == by_district_.end() ? nullptr : it->second;
}

std::map<std::string, std::shared_ptr<const DistrictSla>> SlaConfig::All() const {
  absl::MutexLock lock(&mu_);
  return by_district_;
}

SlaEngine::SlaEngine(SlaStore* store, const SlaConfig* config) : store_(store), config_(config) {}

absl::Status SlaEngine::OnChange(const Change& change, const EventFacts& facts) {
  std::shared_ptr<const DistrictSla> cfg = config_->Get(facts.district_id);
  if (cfg == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("district ", facts.district_id, " has no SLA calendar and policies"));
  }
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    absl::StatusOr<std::optional<SlaRecord>> current =
        store_->Load(facts.district_id, change.event_id);
    if (!current.ok()) return current.status();
    absl::StatusOr<std::optional<ArmPlan>> plan =
        ApplyChange(*current, change, facts, cfg->policies, cfg->calendar);
    if (!plan.ok()) return plan.status();
    if (!plan->has_value()) return absl::OkStatus();
    absl::Status s = store_->Arm(facts.district_id, *current ? (*current)->version : 0, **plan);
    if (!absl::IsAborted(s)) return s;
  }
  return absl::AbortedError(
      absl::StrCat("sla record of ", change.event_id, " kept changing; change not applied"));
}

absl::StatusOr<std::vector<Notice>> SlaEngine::FireDue(const std::string& district_id,
                                                       absl::Time now, int max) {
  return store_->FireDue(district_id, now, max);
}

absl::StatusOr<EventClockView> SlaEngine::Clock(const std::string& district_id,
                                                const std::string& event_id, absl::Time now) {
  absl::StatusOr<std::optional<SlaRecord>> r = store_->Load(district_id, event_id);
  if (!r.ok()) return r.status();
  if (!r->has_value()) {
    return absl::NotFoundError(absl::StrCat("no SLA record of event ", event_id));
  }
  std::shared_ptr<const DistrictSla> cfg = config_->Get(district_id);
  EventClockView out;
  out.record = **r;
  if (cfg != nullptr) out.view = Evaluate(out.record, cfg->calendar, now);
  return out;
}

}  // namespace zhiwang::sla
