#include "common/rpc/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace zhiwang {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mu;
std::string* g_service = new std::string("zhiwang");

void AppendJsonString(std::string* out, absl::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppend(out, "\\u00", absl::Hex(c, absl::kZeroPad2));
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

constexpr absl::string_view kLevelNames[] = {"debug", "info", "warning", "error"};

}  // namespace

void SetLogService(absl::string_view service) {
  std::lock_guard<std::mutex> lock(g_mu);
  *g_service = std::string(service);
}

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

void Log(LogLevel level, absl::string_view msg, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  std::string line = "{\"ts\":";
  AppendJsonString(&line,
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()));
  line.append(",\"level\":");
  AppendJsonString(&line, kLevelNames[static_cast<int>(level)]);
  std::lock_guard<std::mutex> lock(g_mu);
  line.append(",\"service\":");
  AppendJsonString(&line, *g_service);
  line.append(",\"msg\":");
  AppendJsonString(&line, msg);
  for (const LogField& f : fields) {
    line.push_back(',');
    AppendJsonString(&line, f.first);
    line.push_back(':');
    AppendJsonString(&line, f.second);
  }
  line.append("}\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace zhiwang
