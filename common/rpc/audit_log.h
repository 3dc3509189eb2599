#ifndef ZHIWANG_COMMON_RPC_AUDIT_LOG_H_
#define ZHIWANG_COMMON_RPC_AUDIT_LOG_H_

// The audit trail (issue 7): one global, append-only Redis stream (keys::AuditStream).
// Writers: the CallGate (every denial and every audited allowed call, see call_gate.h) and
// the audit feed worker (every committed event transition, from the change feeds). Reader:
// AuditService.ListAudit. Nothing edits or deletes entries; the stream is trimmed only
// by XADD MAXLEN ~ max_entries (retention, docs/auth.md).
//
// Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/redis/redis_client.h"

namespace zhiwang {

struct AuditRecord {
  std::string id;  // the stream entry id (output of List)
  absl::Time at;
  std::string subject;
  Role role = Role::kUnspecified;
  std::string department_id;
  std::string action;  // "/zhiwang.v1.X/Y" or "event:<action name>"
  std::string object;
  bool allowed = false;
  int code = 0;  // grpc/absl status code
  std::string peer;
  std::string district_id;
  int64_t version = 0;
};

struct AuditQuery {
  std::string subject;              // exact, optional
  std::string object;               // exact, optional
  std::optional<absl::Time> since;  // inclusive
  std::optional<absl::Time> until;  // exclusive
  std::optional<bool> allowed;
  int page_size = 20;
  std::string page_token;  // a stream id from a previous page ("" = newest)
};

struct AuditPage {
  std::vector<AuditRecord> entries;
  std::string next_page_token;
};

class AuditLog {
 public:
  static constexpr int64_t kDefaultMaxEntries = 1'000'000;
  // How many entries one List call scans at most (it may return a short page).
  static constexpr int kMaxScan = 2000;

  AuditLog(redis::RedisClient* redis, int64_t max_entries = kDefaultMaxEntries)
      : redis_(redis), max_entries_(max_entries) {}

  // Appends without waiting; a failure is logged (the call it records is not failed).
  void Append(const AuditRecord& r);
  // Appends the record of one change-feed entry unless that (district, event, version)
  // was appended already (idempotent under redelivery). Blocks; UNAVAILABLE when Redis is.
  absl::Status AppendOnce(const AuditRecord& r, const std::string& event_id);
  // Newest first. INVALID_ARGUMENT naming page_token when it is not a stream id.
  absl::StatusOr<AuditPage> List(const AuditQuery& q);

 private:
  std::vector<std::string> XAddArgs(const AuditRecord& r) const;

  redis::RedisClient* redis_;
  int64_t max_entries_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_AUDIT_LOG_H_
