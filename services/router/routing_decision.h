#ifndef ZHIWANG_SERVICES_ROUTER_ROUTING_DECISION_H_
#define ZHIWANG_SERVICES_ROUTER_ROUTING_DECISION_H_

// What the router does with an event in front of it. Pure.
//
//   reported            → accept (立案) when its district is known
//   accepted / rejected → dispatch to the first department of the category's routing
//                         rule that has not rejected it; none left → nothing (the event
//                         waits for triage by a dispatcher, AssignEvent)
//   any other state     → nothing (someone else already moved it on)

#include <optional>

#include "common/domain/lifecycle.h"
#include "common/domain/organisation.h"

namespace zhiwang::router {

// The identity the router acts under; recorded on the timeline.
Identity RouterIdentity();

// `district` may be null (not loaded yet): then nothing is decided.
std::optional<Command> DecideRouting(const Event& event, const District* district);

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_ROUTING_DECISION_H_
