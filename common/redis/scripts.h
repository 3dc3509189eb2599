#ifndef ZHIWANG_COMMON_REDIS_SCRIPTS_H_
#define ZHIWANG_COMMON_REDIS_SCRIPTS_H_

// The Lua scripts of common/redis/scripts/*.lua, embedded at build time
// (generated scripts.cc). Each comes with its SHA-1 for EVALSHA.

#include <string>

namespace zhiwang::redis {

struct LuaScript {
  std::string source;
  std::string sha1;
};

const LuaScript& CreateEventScript();
const LuaScript& TransitionScript();
const LuaScript& LoadEventScript();
// dq (issue 5)
const LuaScript& QueueNextScript();
const LuaScript& QueueTrimScript();
const LuaScript& ReplayDeadLettersScript();

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_SCRIPTS_H_
