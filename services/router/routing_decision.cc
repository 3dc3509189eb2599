#include "services/router/routing_decision.h"

#include "absl/strings/str_cat.h"

namespace zhiwang::router {

Identity RouterIdentity() {
  Identity who;
  who.subject = "router";
  who.role = Role::kSystem;
  return who;
}

std::optional<Command> DecideRouting(const Event& event, const District* district) {
  if (district == nullptr) return std::nullopt;
  Command c;
  switch (event.state) {
    case EventState::kReported:
      c.action = EventAction::kAccept;
      c.note = "accepted automatically: category and grid are known";
      return c;
    case EventState::kAccepted:
    case EventState::kRejected: {
      std::optional<std::string> dep = district->Route(event.category_code, event.rejected_by);
      if (!dep) return std::nullopt;
      c.action = EventAction::kDispatch;
      c.department_id = *dep;
      c.note =
          absl::StrCat("routing rule: category ", event.category_code, " → ", *dep,
                       event.rejected_by.empty()
                           ? ""
                           : absl::StrCat(" (after ", event.rejected_by.size(), " rejection(s))"));
      return c;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace zhiwang::router
