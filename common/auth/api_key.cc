#include "common/auth/api_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/token.h"

namespace zhiwang::auth {
namespace {

constexpr size_t kSecretBytes = 32;
constexpr size_t kSecretChars = 43;  // unpadded base64url of 32 bytes
constexpr size_t kSaltBytes = 16;
constexpr size_t kIdHexDigits = 16;

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("no random bytes available");
  }
  return out;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

bool IsApiKeyId(absl::string_view key_id) {
  if (!absl::StartsWith(key_id, kApiKeyIdPrefix)) return false;
  absl::string_view hex = key_id.substr(sizeof(kApiKeyIdPrefix) - 1);
  return hex.size() == kIdHexDigits && std::all_of(hex.begin(), hex.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

absl::StatusOr<NewApiKey> GenerateApiKey() {
  absl::StatusOr<std::string> id = RandomBytes(kIdHexDigits / 2);
  absl::StatusOr<std::string> secret = RandomBytes(kSecretBytes);
  absl::StatusOr<std::string> salt = RandomBytes(kSaltBytes);
  if (!id.ok()) return id.status();
  if (!secret.ok()) return secret.status();
  if (!salt.ok()) return salt.status();
  NewApiKey k;
  k.key_id = absl::StrCat(kApiKeyIdPrefix, absl::BytesToHexString(*id));
  std::string secret_text = absl::WebSafeBase64Escape(*secret);
  k.presented = absl::StrCat(k.key_id, ".", secret_text);
  k.salt_hex = absl::BytesToHexString(*salt);
  k.hash_hex = ApiKeyHash(k.salt_hex, secret_text);
  return k;
}

absl::StatusOr<PresentedApiKey> ParseApiKey(absl::string_view presented) {
  size_t dot = presented.find('.');
  if (dot == absl::string_view::npos) {
    return absl::UnauthenticatedError("api key: expected <key_id>.<secret>");
  }
  PresentedApiKey p{std::string(presented.substr(0, dot)), std::string(presented.substr(dot + 1))};
  if (!IsApiKeyId(p.key_id)) return absl::UnauthenticatedError("api key: malformed key id");
  if (p.secret.size() != kSecretChars ||
      !std::all_of(p.secret.begin(), p.secret.end(), IsBase64UrlChar)) {
    return absl::UnauthenticatedError("api key: malformed secret");
  }
  return p;
}

std::string ApiKeyHash(absl::string_view salt_hex, absl::string_view secret) {
  return absl::BytesToHexString(HmacSha256(absl::HexStringToBytes(salt_hex), secret));
}

bool ApiKeyMatches(absl::string_view secret, absl::string_view salt_hex,
                   absl::string_view hash_hex) {
  std::string computed = ApiKeyHash(salt_hex, secret);
  if (computed.size() != hash_hex.size()) return false;
  return CRYPTO_memcmp(computed.data(), hash_hex.data(), computed.size()) == 0;
}

}  // namespace zhiwang::auth
