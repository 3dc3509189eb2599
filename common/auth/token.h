#ifndef ZHIWANG_COMMON_AUTH_TOKEN_H_
#define ZHIWANG_COMMON_AUTH_TOKEN_H_

// Zhiwang bearer tokens (issue 7): a compact, HMAC-SHA256-signed statement of who the caller
// is. Verified on every call by the CallGate (common/rpc/call_gate.h); see docs/auth.md.
//
// Wire format (ASCII, at most kMaxTokenBytes):
//
//   zw1.<payload_b64>.<sig_b64>
//
//   payload_b64 = base64url(payload), no padding
//   sig_b64     = base64url(HMAC-SHA256(secret of key `kid`, "zw1." + payload_b64)), no padding
//   payload     = "kid=" K ";iss=" I ";sub=" S ";role=" R ";area=" A ";dep=" D
//                 ";iat=" <unix seconds> ";exp=" <unix seconds>
//
// The payload is canonical: the eight fields always appear, in exactly that order; values are
// percent-escaped (every byte that is '%', ';', '=' or outside 0x21..0x7E becomes "%XX" with
// upper-case hex, and no other byte is escaped); iat and exp are decimal without sign or
// leading zeros. A payload that is not byte-for-byte what IssueToken would produce for the
// claims it decodes to is malformed, and so is base64 that is not the canonical unpadded
// encoding of its bytes. Hence one set of claims has exactly one token per key.
//
// Example:
//   SigningKey key{.kid = "dev-2026-11", .secret = std::string(32, 'k')};
//   TokenClaims c{.issuer = "zhiwang", .subject = "worker-001", .role = Role::kGridWorker,
//                 .area = "440304001001001", .issued_at = now,
//                 .expires_at = now + absl::Hours(8)};
//   absl::StatusOr<std::string> token = IssueToken(c, key);
//   KeyRing ring("zhiwang");
//   ring.Add(key).IgnoreError();
//   absl::StatusOr<TokenClaims> who = VerifyToken(*token, ring, now);
//
// Thread safety: the functions are pure; a KeyRing is safe for concurrent const use.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/domain/event.h"

namespace zhiwang::auth {

inline constexpr char kTokenVersion[] = "zw1";
// The issuer the platform's own tokens carry (zwctl's default).
inline constexpr char kDefaultIssuer[] = "zhiwang";
// Tokens longer than this are refused before any decoding.
inline constexpr size_t kMaxTokenBytes = 4096;
// A token issued up to this far in the verifier's future is still accepted (clock skew).
inline constexpr absl::Duration kMaxClockSkew = absl::Seconds(60);
// Secrets shorter than this are refused (HMAC-SHA256 wants a key of at least its output size).
inline constexpr size_t kMinSecretBytes = 32;

// What a token asserts. Times have one-second resolution on the wire (floored).
struct TokenClaims {
  std::string issuer;              // iss: must equal the verifying KeyRing's issuer
  std::string subject;             // sub: required, e.g. "worker-001"
  Role role = Role::kUnspecified;  // role: required, a RoleName() on the wire
  std::string area;                // area: area scope, may be empty
  std::string department_id;       // dep: may be empty
  absl::Time issued_at;            // iat
  absl::Time expires_at;           // exp: valid while now < exp
  // kid: output only. VerifyToken sets it to the key that signed the token; IssueToken
  // ignores it and uses the SigningKey's kid.
  std::string key_id;

  // The caller identity the claims describe (what common/rpc/identity builds today).
  Identity ToIdentity() const;
};

// A shared HMAC secret and its public name. kid: 1..64 of [A-Za-z0-9._-];
// secret: at least kMinSecretBytes arbitrary bytes.
struct SigningKey {
  std::string kid;
  std::string secret;
};

// INVALID_ARGUMENT (naming the field) unless `key` is well-formed as described above.
absl::Status ValidateSigningKey(const SigningKey& key);

// The keys a verifier trusts, by kid, and the issuer it accepts. Rotation: add the new key,
// start issuing with it, remove the old one once every token it signed has expired.
// Not thread-safe for mutation; build it, then share it const.
class KeyRing {
 public:
  explicit KeyRing(std::string issuer) : issuer_(std::move(issuer)) {}

  // INVALID_ARGUMENT for a malformed key; ALREADY_EXISTS if the kid is already present.
  absl::Status Add(SigningKey key);
  // NOT_FOUND if the kid is absent.
  absl::Status Remove(absl::string_view kid);
  // The key named `kid`, or null.
  const SigningKey* Find(absl::string_view kid) const;

  const std::string& issuer() const { return issuer_; }
  size_t size() const { return keys_.size(); }

 private:
  std::string issuer_;
  absl::flat_hash_map<std::string, SigningKey> keys_;
};

// Signs `claims` with `key`. INVALID_ARGUMENT (naming the field) when the key is malformed,
// issuer or subject is empty, role is unspecified or unknown, issued_at is before the Unix
// epoch, or exp <= iat (in whole seconds). Does not read the clock.
absl::StatusOr<std::string> IssueToken(const TokenClaims& claims, const SigningKey& key);

// Checks `token` against `keys` at time `now` and returns its claims (key_id set).
// UNAUTHENTICATED, with a message saying which, when the token is:
//   malformed (empty, over kMaxTokenBytes, wrong version, wrong number of parts,
//   non-canonical base64 or payload), signed with an unknown kid, has a bad signature
//   (compared in constant time), is expired (exp <= now), is not yet valid
//   (iat > now + kMaxClockSkew), names another issuer, or names an unknown role.
// The signature is checked before any claim is trusted. Does not read the clock.
absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token, const KeyRing& keys,
                                        absl::Time now);

// HMAC-SHA256(key, data) as 32 raw bytes (exposed for the known-answer test).
std::string HmacSha256(absl::string_view key, absl::string_view data);

}  // namespace zhiwang::auth

#endif  // ZHIWANG_COMMON_AUTH_TOKEN_H_
