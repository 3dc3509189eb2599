#ifndef ZHIWANG_COMMON_DOMAIN_EVENT_COMMANDS_H_
#define ZHIWANG_COMMON_DOMAIN_EVENT_COMMANDS_H_

// The use cases that change events: report one, or apply an action to one. Validates,
// decides with the lifecycle table and commits through the EventStore with optimistic
// concurrency (re-read and re-decide on a version conflict), so several replicas can run
// the same command safely. Asynchronous like the store; thread-safe.

#include <functional>
#include <string>

#include "common/base/clock.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"

namespace zhiwang {

// --- sla: a check consulted after the lifecycle allowed an action and before it commits,
// e.g. the SLA policy's limit on extensions per event (services/sla/extension_guard.h).
// Implementations are thread-safe and do not block.
class ActionGuard {
 public:
  virtual ~ActionGuard() = default;
  // OK to let `command` on `current` commit; otherwise the error Act returns (nothing is
  // written), FAILED_PRECONDITION for a rule the event breaks.
  virtual absl::Status Check(const Event& current, const Command& command) const = 0;
};
// --- end sla ---

class EventCommands {
 public:
  // `random` supplies the random part of new event ids. All pointers outlive this.
  EventCommands(EventStore* store, const OrgRegistry* orgs, const Clock* clock,
                std::function<uint64_t()> random);

  // Reports an event. Errors: INVALID_ARGUMENT (names the field; nothing written),
  // PERMISSION_DENIED (role may not report), ALREADY_EXISTS (client_request_id reused
  // with a different payload), UNAVAILABLE (storage down; retry with the same id).
  void Report(const Identity& who, const ReportInput& in, Done<WriteResult> done);

  // Applies `command` to the event. Errors as ApplyCommand, plus INVALID_ARGUMENT for a
  // malformed request id / note / evidence or an unknown department, NOT_FOUND for an
  // unknown event, ALREADY_EXISTS for a reused request id with another payload, ABORTED
  // when the event kept changing under us (after kMaxAttempts tries).
  void Act(const Identity& who, const std::string& event_id, const std::string& client_request_id,
           const Command& command, Done<WriteResult> done);

  static constexpr int kMaxAttempts = 8;

  // sla: consults `guard` (may be nullptr: none, the default) before every Act commits.
  // Set before the first call; the guard outlives this.
  void set_guard(const ActionGuard* guard) { guard_ = guard; }

 private:
  class ActOperation;
  EventStore* store_;
  const OrgRegistry* orgs_;
  const Clock* clock_;
  std::function<uint64_t()> random_;
  const ActionGuard* guard_ = nullptr;  // sla
};

// auth (issue 7): the one NOT_FOUND for an event that is missing or outside the caller's
// scope ("event <id> not found"); handlers use it for both so the two cannot be told apart.
absl::Status EventNotFound(absl::string_view event_id);

// The fingerprint of an action request (event, action and every parameter).
uint64_t FingerprintOf(const std::string& event_id, const Command& command);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_EVENT_COMMANDS_H_
