#ifndef ZHIWANG_COMMON_DOMAIN_WEBHOOK_H_
#define ZHIWANG_COMMON_DOMAIN_WEBHOOK_H_

// dq (issue 5): webhook delivery to legacy department systems — endpoint settings, the
// retry schedule (exponential backoff with full jitter), dead letters and the attempt
// log, and the storage port for them. Pure: no clock, no I/O. See docs/webhooks.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace zhiwang {

struct WebhookEndpoint {
  std::string district_id;
  std::string department_id;
  std::string url;     // http://host[:port]/path
  std::string secret;  // HMAC-SHA256 key
  bool enabled = true;
  int max_attempts = 8;
  absl::Duration timeout = absl::Seconds(5);
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Seconds(60);
};

// Fills defaults for zero values and checks ranges. INVALID_ARGUMENT names the field
// (url must be http://host[:port]/path; secret 16..256 bytes; max_attempts 1..100;
// timeout 100 ms..60 s; backoffs 10 ms..1 h with initial <= max).
absl::Status ValidateEndpoint(WebhookEndpoint& e);

// The wait before retry number `failures` + 1 after `failures` failed attempts (1, 2,
// ...): full jitter, uniformly in [0, min(max_backoff, initial_backoff * 2^(failures-1))],
// drawn from `random` (any 64-bit value).
absl::Duration BackoffDelay(const WebhookEndpoint& e, int failures, uint64_t random);

// One HTTP attempt, for the log.
struct WebhookAttemptRecord {
  std::string delivery_id;
  std::string event_id;
  int attempt = 0;
  int http_status = 0;  // 0 when no response (connect error, timeout)
  std::string error;
  int64_t latency_us = 0;
  int64_t at_unix_ms = 0;
};

// A delivery given up after max_attempts; replayable.
struct DeadLetterRecord {
  std::string delivery_id;
  std::string event_id;
  int attempts = 0;
  std::string last_error;
  std::string body;  // the exact JSON body that was sent
};

// Storage of endpoints, dead letters and the attempt log. Thread-safe, synchronous.
class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  virtual absl::Status PutEndpoint(const WebhookEndpoint& e) = 0;
  // NOT_FOUND when the department has no endpoint.
  virtual absl::StatusOr<WebhookEndpoint> GetEndpoint(const std::string& district,
                                                      const std::string& department) = 0;
  // Every (district, department) that has an endpoint.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListEndpoints() = 0;
  // Appends to the department's attempt log (bounded: the newest kMaxLog are kept).
  virtual absl::Status LogAttempt(const std::string& district, const std::string& department,
                                  const WebhookAttemptRecord& a) = 0;
  virtual absl::StatusOr<std::vector<WebhookAttemptRecord>> ListAttempts(
      const std::string& district, const std::string& department, int limit) = 0;
  virtual absl::Status AddDeadLetter(const std::string& district, const std::string& department,
                                     const DeadLetterRecord& d) = 0;
  virtual absl::StatusOr<std::vector<DeadLetterRecord>> ListDeadLetters(
      const std::string& district, const std::string& department, int limit) = 0;
  // Atomically moves every dead letter to the replay list; returns how many.
  virtual absl::StatusOr<int64_t> ReplayDeadLetters(const std::string& district,
                                                    const std::string& department) = 0;
  // Takes the oldest replayed dead letter, if any (the courier sends it again).
  virtual absl::StatusOr<std::optional<DeadLetterRecord>> TakeReplay(
      const std::string& district, const std::string& department) = 0;

  static constexpr int kMaxLog = 1000;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_WEBHOOK_H_
