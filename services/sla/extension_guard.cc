#include "services/sla/extension_guard.h"

namespace zhiwang::sla {

absl::Status ExtensionGuard::Check(const Event& current, const Command& command) const {
  if (command.action != EventAction::kApproveExtension) return absl::OkStatus();
  std::shared_ptr<const DistrictSla> cfg = config_->Get(current.district_id);
  if (cfg == nullptr) return absl::OkStatus();
  return CheckExtensionAllowed(cfg->policies, current);
}

}  // namespace zhiwang::sla
