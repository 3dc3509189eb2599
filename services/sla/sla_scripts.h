#ifndef ZHIWANG_SERVICES_SLA_SLA_SCRIPTS_H_
#define ZHIWANG_SERVICES_SLA_SLA_SCRIPTS_H_

// The SLA service's Lua scripts (services/sla/scripts/*.lua), embedded at build time.

#include "common/redis/scripts.h"

namespace zhiwang::sla {

const redis::LuaScript& SlaArmScript();
const redis::LuaScript& SlaFireScript();

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_SCRIPTS_H_
