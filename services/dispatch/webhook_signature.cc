#include "services/dispatch/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace zhiwang::dispatch {

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 0xf]);
  }
  return out;
}

std::string SignatureHeaderValue(const std::string& secret, int64_t unix_seconds,
                                 const std::string& body) {
  return absl::StrCat("t=", unix_seconds,
                      ",v1=", HmacSha256Hex(secret, absl::StrCat(unix_seconds, ".", body)));
}

bool VerifySignature(const std::string& secret, const std::string& header, const std::string& body,
                     absl::Time now) {
  int64_t t = -1;
  std::string v1;
  for (absl::string_view part : absl::StrSplit(header, ',')) {
    if (absl::ConsumePrefix(&part, "t=")) {
      if (!absl::SimpleAtoi(part, &t)) return false;
    } else if (absl::ConsumePrefix(&part, "v1=")) {
      v1 = std::string(part);
    }
  }
  if (t < 0 || v1.empty()) return false;
  if (absl::AbsDuration(now - absl::FromUnixSeconds(t)) > kReplayWindow) return false;
  std::string want = HmacSha256Hex(secret, absl::StrCat(t, ".", body));
  return want.size() == v1.size() && CRYPTO_memcmp(want.data(), v1.data(), want.size()) == 0;
}

}  // namespace zhiwang::dispatch
