#ifndef ZHIWANG_COMMON_AUTH_API_KEY_H_
#define ZHIWANG_COMMON_AUTH_API_KEY_H_

// API keys for department systems (issue 7): "<key_id>.<secret>", sent as
//   authorization: ApiKey <key_id>.<secret>
// key_id: "ak_" + 16 lower-case hex digits (public, names the stored record);
// secret: 43 base64url characters (32 random bytes).
// Only a salted hash is ever stored: hash = hex(HMAC-SHA256(salt, secret)) with a random
// 16-byte salt per key, so a leaked store yields no usable secret and equal secrets do not
// share hashes. Verification compares in constant time.
//
//   absl::StatusOr<NewApiKey> k = GenerateApiKey();
//   // store k->key_id, k->salt_hex, k->hash_hex; hand k->presented to the department once
//   absl::StatusOr<PresentedApiKey> p = ParseApiKey(k->presented);
//   bool ok = ApiKeyMatches(p->secret, k->salt_hex, k->hash_hex);
//
// Thread safety: all functions are thread-safe.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace zhiwang::auth {

inline constexpr char kApiKeyIdPrefix[] = "ak_";

struct NewApiKey {
  std::string key_id;
  std::string presented;  // "<key_id>.<secret>": the only time the secret exists
  std::string salt_hex;
  std::string hash_hex;
};

struct PresentedApiKey {
  std::string key_id;
  std::string secret;
};

// A fresh key from the OS random generator. INTERNAL if it cannot supply bytes.
absl::StatusOr<NewApiKey> GenerateApiKey();

// Splits "<key_id>.<secret>". UNAUTHENTICATED when the shape is wrong (no secret is echoed
// in the message).
absl::StatusOr<PresentedApiKey> ParseApiKey(absl::string_view presented);

// True when key_id has the shape GenerateApiKey produces.
bool IsApiKeyId(absl::string_view key_id);

// hex(HMAC-SHA256(unhex(salt_hex), secret)).
std::string ApiKeyHash(absl::string_view salt_hex, absl::string_view secret);

// Constant-time comparison of ApiKeyHash(salt_hex, secret) with hash_hex.
bool ApiKeyMatches(absl::string_view secret, absl::string_view salt_hex,
                   absl::string_view hash_hex);

}  // namespace zhiwang::auth

#endif  // ZHIWANG_COMMON_AUTH_API_KEY_H_
