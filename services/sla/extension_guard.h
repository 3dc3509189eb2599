#ifndef ZHIWANG_SERVICES_SLA_EXTENSION_GUARD_H_
#define ZHIWANG_SERVICES_SLA_EXTENSION_GUARD_H_

// The SLA policy's limit on extensions (延期) per event, enforced before an approval
// commits: EventCommands consults it (EventCommands::set_guard) and refuses
// APPROVE_EXTENSION with FAILED_PRECONDITION once the event has had the most extensions
// its stage policy allows. Districts without SLA configuration are not limited.
// Thread-safe.

#include "common/domain/event_commands.h"
#include "services/sla/sla_engine.h"

namespace zhiwang::sla {

class ExtensionGuard final : public ActionGuard {
 public:
  explicit ExtensionGuard(const SlaConfig* config) : config_(config) {}
  absl::Status Check(const Event& current, const Command& command) const override;

 private:
  const SlaConfig* config_;
};

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_EXTENSION_GUARD_H_
