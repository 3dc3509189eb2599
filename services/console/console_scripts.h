#ifndef ZHIWANG_SERVICES_CONSOLE_CONSOLE_SCRIPTS_H_
#define ZHIWANG_SERVICES_CONSOLE_CONSOLE_SCRIPTS_H_

// The console's read scripts (services/console/scripts/*.lua), embedded at build time.

#include "common/redis/scripts.h"

namespace zhiwang::console {

const redis::LuaScript& QueryWalkScript();
const redis::LuaScript& QueryBoardScript();

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_CONSOLE_SCRIPTS_H_
