#include "common/auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace zhiwang::auth {
namespace {

constexpr size_t kMaxKidBytes = 64;
constexpr size_t kMacBytes = 32;
// The payload's field names, in their one canonical order.
constexpr std::array<absl::string_view, 8> kFields = {"kid",  "iss", "sub", "role",
                                                      "area", "dep", "iat", "exp"};

bool IsKidChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool NeedsEscape(unsigned char c) {
  return c == '%' || c == ';' || c == '=' || c < 0x21 || c > 0x7E;
}

std::string Escape(absl::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (NeedsEscape(c)) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Lenient about case and needless escapes; canonicality is enforced afterwards by
// re-encoding the decoded claims and comparing with the payload.
bool Unescape(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

std::string EncodePayload(const TokenClaims& c, absl::string_view kid) {
  return absl::StrCat("kid=", Escape(kid), ";iss=", Escape(c.issuer), ";sub=", Escape(c.subject),
                      ";role=", Escape(RoleName(c.role)), ";area=", Escape(c.area),
                      ";dep=", Escape(c.department_id), ";iat=", absl::ToUnixSeconds(c.issued_at),
                      ";exp=", absl::ToUnixSeconds(c.expires_at));
}

std::string Base64Url(absl::string_view bytes) { return absl::WebSafeBase64Escape(bytes); }

// Decodes unpadded base64url, refusing any spelling other than the canonical one (padding,
// stray bits in the last character, other alphabets), so a token cannot be re-spelled.
bool DecodeBase64Url(absl::string_view in, std::string* out) {
  if (in.empty() || !absl::WebSafeBase64Unescape(in, out)) return false;
  return absl::WebSafeBase64Escape(*out) == in;
}

std::string SigningInput(absl::string_view payload_b64) {
  return absl::StrCat(kTokenVersion, ".", payload_b64);
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("token: ", why));
}

absl::Status Malformed(absl::string_view why) {
  return Unauthenticated(absl::StrCat("malformed: ", why));
}

// Splits the (untrusted) payload into its eight values. Only the kid is used before the
// signature has been checked.
absl::Status ParsePayload(absl::string_view payload, std::array<std::string, 8>* values) {
  std::vector<absl::string_view> parts = absl::StrSplit(payload, ';');
  if (parts.size() != kFields.size()) return Malformed("payload must have 8 fields");
  for (size_t i = 0; i < kFields.size(); ++i) {
    const size_t eq = parts[i].find('=');
    if (eq == absl::string_view::npos || parts[i].substr(0, eq) != kFields[i]) {
      return Malformed(absl::StrCat("payload field ", i + 1, " must be '", kFields[i], "'"));
    }
    if (!Unescape(parts[i].substr(eq + 1), &(*values)[i])) {
      return Malformed(absl::StrCat("bad escape in '", kFields[i], "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Identity TokenClaims::ToIdentity() const {
  return Identity{.subject = subject, .role = role, .area = area, .department_id = department_id};
}

absl::Status ValidateSigningKey(const SigningKey& key) {
  if (key.kid.empty() || key.kid.size() > kMaxKidBytes) {
    return absl::InvalidArgumentError("kid: must be 1..64 characters");
  }
  for (char c : key.kid) {
    if (!IsKidChar(c)) return absl::InvalidArgumentError("kid: only [A-Za-z0-9._-] allowed");
  }
  if (key.secret.size() < kMinSecretBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("secret: must be at least ", kMinSecretBytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status KeyRing::Add(SigningKey key) {
  if (absl::Status s = ValidateSigningKey(key); !s.ok()) return s;
  std::string kid = key.kid;
  if (!keys_.try_emplace(kid, std::move(key)).second) {
    return absl::AlreadyExistsError(absl::StrCat("kid ", kid, " is already in the key ring"));
  }
  return absl::OkStatus();
}

absl::Status KeyRing::Remove(absl::string_view kid) {
  auto it = keys_.find(kid);
  if (it == keys_.end()) {
    return absl::NotFoundError(absl::StrCat("kid ", kid, " is not in the key ring"));
  }
  keys_.erase(it);
  return absl::OkStatus();
}

const SigningKey* KeyRing::Find(absl::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() with a non-null output buffer has no failure mode for SHA-256 short of
  // allocation failure, in which case len stays 0 and the (empty) MAC never verifies.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &len) == nullptr) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(mac), len);
}

absl::StatusOr<std::string> IssueToken(const TokenClaims& claims, const SigningKey& key) {
  if (absl::Status s = ValidateSigningKey(key); !s.ok()) return s;
  if (claims.issuer.empty()) return absl::InvalidArgumentError("issuer: required");
  if (claims.subject.empty()) return absl::InvalidArgumentError("subject: required");
  if (claims.role == Role::kUnspecified || RoleFromName(RoleName(claims.role)) != claims.role) {
    return absl::InvalidArgumentError("role: required, one of the known roles");
  }
  const int64_t iat = absl::ToUnixSeconds(claims.issued_at);
  const int64_t exp = absl::ToUnixSeconds(claims.expires_at);
  if (iat < 0) return absl::InvalidArgumentError("issued_at: before the Unix epoch");
  if (exp <= iat) return absl::InvalidArgumentError("expires_at: must be after issued_at");
  const std::string payload_b64 = Base64Url(EncodePayload(claims, key.kid));
  std::string token = absl::StrCat(kTokenVersion, ".", payload_b64, ".",
                                   Base64Url(HmacSha256(key.secret, SigningInput(payload_b64))));
  if (token.size() > kMaxTokenBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("claims: token would exceed ", kMaxTokenBytes, " bytes"));
  }
  return token;
}

absl::StatusOr<TokenClaims> VerifyToken(absl::string_view token, const KeyRing& keys,
                                        absl::Time now) {
  if (token.empty()) return Malformed("empty");
  if (token.size() > kMaxTokenBytes) {
    return Malformed(absl::StrCat("longer than ", kMaxTokenBytes, " bytes"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Malformed("expected 3 dot-separated parts");
  if (parts[0] != kTokenVersion) return Malformed("unknown version");
  std::string payload;
  std::string mac;
  if (!DecodeBase64Url(parts[1], &payload)) return Malformed("payload is not base64url");
  if (!DecodeBase64Url(parts[2], &mac)) return Malformed("signature is not base64url");
  if (mac.size() != kMacBytes) return Malformed("signature has the wrong length");

  std::array<std::string, 8> v;
  if (absl::Status s = ParsePayload(payload, &v); !s.ok()) return s;
  const SigningKey* key = keys.Find(v[0]);
  if (key == nullptr) return Unauthenticated("unknown key id");
  const std::string expected = HmacSha256(key->secret, SigningInput(parts[1]));
  if (expected.size() != kMacBytes || CRYPTO_memcmp(expected.data(), mac.data(), kMacBytes) != 0) {
    return Unauthenticated("bad signature");
  }

  // Authentic from here on; still refuse what IssueToken could not have produced.
  TokenClaims c;
  c.key_id = v[0];
  c.issuer = v[1];
  c.subject = v[2];
  c.role = RoleFromName(v[3]);
  c.area = v[4];
  c.department_id = v[5];
  int64_t iat = 0;
  int64_t exp = 0;
  if (!absl::SimpleAtoi(v[6], &iat) || !absl::SimpleAtoi(v[7], &exp)) {
    return Malformed("iat and exp must be integers");
  }
  c.issued_at = absl::FromUnixSeconds(iat);
  c.expires_at = absl::FromUnixSeconds(exp);
  if (c.role == Role::kUnspecified) return Unauthenticated("unknown role");
  if (EncodePayload(c, c.key_id) != payload) return Malformed("payload is not canonical");
  if (c.issuer != keys.issuer()) return Unauthenticated("wrong issuer");
  if (c.subject.empty() || iat < 0 || exp <= iat) return Malformed("invalid claims");
  if (c.expires_at <= now) return Unauthenticated("expired");
  if (c.issued_at > now + kMaxClockSkew) return Unauthenticated("not yet valid");
  return c;
}

}  // namespace zhiwang::auth
