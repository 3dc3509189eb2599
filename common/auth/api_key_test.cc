#include "common/auth/api_key.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace zhiwang::auth {
namespace {

TEST(ApiKeyTest, GeneratedKeyParsesAndMatchesItsHash) {
  absl::StatusOr<NewApiKey> k = GenerateApiKey();
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_TRUE(IsApiKeyId(k->key_id)) << k->key_id;
  absl::StatusOr<PresentedApiKey> p = ParseApiKey(k->presented);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->key_id, k->key_id);
  EXPECT_TRUE(ApiKeyMatches(p->secret, k->salt_hex, k->hash_hex));
  // The stored values never contain the secret.
  EXPECT_FALSE(absl::StrContains(k->hash_hex, p->secret));
  EXPECT_FALSE(absl::StrContains(k->salt_hex, p->secret));
}

TEST(ApiKeyTest, WrongSecretDoesNotMatch) {
  absl::StatusOr<NewApiKey> a = GenerateApiKey();
  absl::StatusOr<NewApiKey> b = GenerateApiKey();
  ASSERT_TRUE(a.ok() && b.ok());
  absl::StatusOr<PresentedApiKey> pb = ParseApiKey(b->presented);
  ASSERT_TRUE(pb.ok());
  EXPECT_FALSE(ApiKeyMatches(pb->secret, a->salt_hex, a->hash_hex));
  EXPECT_NE(a->key_id, b->key_id);
}

TEST(ApiKeyTest, SameSecretWithDifferentSaltsHashesDifferently) {
  std::string secret(43, 'A');
  EXPECT_NE(ApiKeyHash("00112233445566778899aabbccddeeff", secret),
            ApiKeyHash("ffeeddccbbaa99887766554433221100", secret));
}

TEST(ApiKeyTest, MalformedPresentedKeysAreUnauthenticated) {
  for (const char* bad : {"", "nodot", "ak_0123456789abcdef.", "ak_0123.abc",
                          "ak_0123456789ABCDEF.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                          "ak_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                          "xx_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    absl::StatusOr<PresentedApiKey> p = ParseApiKey(bad);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
  EXPECT_TRUE(ParseApiKey("ak_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").ok());
}

}  // namespace
}  // namespace zhiwang::auth
