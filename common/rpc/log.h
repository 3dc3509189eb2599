#ifndef ZHIWANG_COMMON_RPC_LOG_H_
#define ZHIWANG_COMMON_RPC_LOG_H_

// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-27T12:00:00.123Z","level":"info","service":"intake","msg":"serving",
//    "addr":"127.0.0.1:7101"}
// Thread-safe. The service name is set once at start-up (SetLogService).

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace zhiwang {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetLogService(absl::string_view service);
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

using LogField = std::pair<absl::string_view, std::string>;
void Log(LogLevel level, absl::string_view msg, std::initializer_list<LogField> fields = {});

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_LOG_H_
