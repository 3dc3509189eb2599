#include "common/domain/webhook.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace zhiwang {
namespace {

absl::Status CheckDuration(absl::string_view field, absl::Duration d, absl::Duration lo,
                           absl::Duration hi) {
  if (d < lo || d > hi) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be between ", absl::FormatDuration(lo), " and ", absl::FormatDuration(hi)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateEndpoint(WebhookEndpoint& e) {
  if (e.district_id.empty()) return absl::InvalidArgumentError("district_id: is required");
  if (e.department_id.empty()) return absl::InvalidArgumentError("department_id: is required");
  if (!absl::StartsWith(e.url, "http://") || e.url.size() <= 7 || e.url.size() > 2048 ||
      e.url.find_first_of(" \r\n\t") != std::string::npos) {
    return absl::InvalidArgumentError("url: must be http://host[:port]/path");
  }
  if (e.secret.size() < 16 || e.secret.size() > 256) {
    return absl::InvalidArgumentError("secret: must be 16..256 bytes");
  }
  if (e.max_attempts == 0) e.max_attempts = 8;
  if (e.timeout == absl::ZeroDuration()) e.timeout = absl::Seconds(5);
  if (e.initial_backoff == absl::ZeroDuration()) e.initial_backoff = absl::Seconds(1);
  if (e.max_backoff == absl::ZeroDuration()) e.max_backoff = absl::Seconds(60);
  if (e.max_attempts < 1 || e.max_attempts > 100) {
    return absl::InvalidArgumentError("max_attempts: must be 1..100");
  }
  if (absl::Status s =
          CheckDuration("timeout_ms", e.timeout, absl::Milliseconds(100), absl::Seconds(60));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDuration("initial_backoff_ms", e.initial_backoff,
                                     absl::Milliseconds(10), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckDuration("max_backoff_ms", e.max_backoff, absl::Milliseconds(10), absl::Hours(1));
      !s.ok()) {
    return s;
  }
  if (e.initial_backoff > e.max_backoff) {
    return absl::InvalidArgumentError("initial_backoff_ms: must not exceed max_backoff_ms");
  }
  return absl::OkStatus();
}

absl::Duration BackoffDelay(const WebhookEndpoint& e, int failures, uint64_t random) {
  absl::Duration cap = e.initial_backoff;
  for (int i = 1; i < failures && cap < e.max_backoff; ++i) cap *= 2;
  cap = std::min(cap, e.max_backoff);
  int64_t cap_us = absl::ToInt64Microseconds(cap);
  return absl::Microseconds(static_cast<int64_t>(random % static_cast<uint64_t>(cap_us + 1)));
}

}  // namespace zhiwang
