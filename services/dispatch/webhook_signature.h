#ifndef ZHIWANG_SERVICES_DISPATCH_WEBHOOK_SIGNATURE_H_
#define ZHIWANG_SERVICES_DISPATCH_WEBHOOK_SIGNATURE_H_

// dq (issue 5): webhook signatures. The header
//   X-Zhiwang-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// lets a receiver check origin and integrity, and reject replays older than the window
// (kReplayWindow, docs/webhooks.md). OpenSSL's HMAC; thread-safe.

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace zhiwang::dispatch {

inline constexpr char kSignatureHeader[] = "X-Zhiwang-Signature";
inline constexpr absl::Duration kReplayWindow = absl::Minutes(5);

// Lower-case hex of HMAC-SHA256(key, message).
std::string HmacSha256Hex(const std::string& key, const std::string& message);

// The header's value for `body` signed at `unix_seconds`.
std::string SignatureHeaderValue(const std::string& secret, int64_t unix_seconds,
                                 const std::string& body);

// True when `header` is a valid signature of `body` made within kReplayWindow of `now`.
// (What a receiver does; used by tests and as the reference for docs/webhooks.md.)
bool VerifySignature(const std::string& secret, const std::string& header, const std::string& body,
                     absl::Time now);

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_WEBHOOK_SIGNATURE_H_
