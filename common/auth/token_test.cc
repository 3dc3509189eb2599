#include "common/auth/token.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace zhiwang::auth {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

SigningKey Key(std::string kid, char fill) { return SigningKey{kid, std::string(32, fill)}; }

TokenClaims Claims() {
  return TokenClaims{.issuer = "zhiwang",
                     .subject = "worker-001",
                     .role = Role::kGridWorker,
                     .area = "440304001001001",
                     .department_id = "",
                     .issued_at = kNow,
                     .expires_at = kNow + absl::Hours(8)};
}

KeyRing Ring(const SigningKey& key) {
  KeyRing ring("zhiwang");
  EXPECT_TRUE(ring.Add(key).ok());
  return ring;
}

std::string MustIssue(const TokenClaims& c, const SigningKey& k) {
  absl::StatusOr<std::string> t = IssueToken(c, k);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : "";
}

// Splits a token into its three parts.
std::vector<std::string> Parts(const std::string& token) { return absl::StrSplit(token, '.'); }

// Re-signs an arbitrary payload with `key`, so tests can reach checks behind the signature.
std::string SignRaw(absl::string_view payload, const SigningKey& key) {
  const std::string p = absl::WebSafeBase64Escape(payload);
  return absl::StrCat("zw1.", p, ".",
                      absl::WebSafeBase64Escape(HmacSha256(key.secret, absl::StrCat("zw1.", p))));
}

void ExpectUnauthenticated(const absl::StatusOr<TokenClaims>& got, absl::string_view why) {
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnauthenticated) << got.status();
  EXPECT_THAT(got.status().message(), HasSubstr(why));
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  const std::string mac = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(absl::BytesToHexString(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Token, RoundTripsEveryClaim) {
  const SigningKey key = Key("dev-1", 'a');
  TokenClaims in = Claims();
  in.role = Role::kDepartmentOperator;
  in.department_id = "dept-water";
  const std::string token = MustIssue(in, key);
  EXPECT_TRUE(token.starts_with("zw1."));
  absl::StatusOr<TokenClaims> out = VerifyToken(token, Ring(key), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->issuer, "zhiwang");
  EXPECT_EQ(out->subject, "worker-001");
  EXPECT_EQ(out->role, Role::kDepartmentOperator);
  EXPECT_EQ(out->area, "440304001001001");
  EXPECT_EQ(out->department_id, "dept-water");
  EXPECT_EQ(out->issued_at, kNow);
  EXPECT_EQ(out->expires_at, kNow + absl::Hours(8));
  EXPECT_EQ(out->key_id, "dev-1");
  const Identity who = out->ToIdentity();
  EXPECT_EQ(who.subject, "worker-001");
  EXPECT_EQ(who.role, Role::kDepartmentOperator);
  EXPECT_EQ(who.department_id, "dept-water");
}

TEST(Token, PayloadIsTheDocumentedCanonicalText) {
  const SigningKey key = Key("dev-1", 'a');
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(Parts(MustIssue(Claims(), key))[1], &payload));
  EXPECT_EQ(payload,
            "kid=dev-1;iss=zhiwang;sub=worker-001;role=grid_worker;area=440304001001001;dep=;"
            "iat=1790000000;exp=1790028800");
}

TEST(Token, IssuingIsDeterministic) {
  const SigningKey key = Key("dev-1", 'a');
  EXPECT_EQ(MustIssue(Claims(), key), MustIssue(Claims(), key));
}

TEST(Token, ValidUntilJustBeforeExpiryAndExpiredExactlyAtIt) {
  const SigningKey key = Key("dev-1", 'a');
  const std::string token = MustIssue(Claims(), key);
  const TokenClaims c = Claims();
  EXPECT_TRUE(VerifyToken(token, Ring(key), c.expires_at - absl::Seconds(1)).ok());
  ExpectUnauthenticated(VerifyToken(token, Ring(key), c.expires_at), "expired");
  ExpectUnauthenticated(VerifyToken(token, Ring(key), c.expires_at + absl::Hours(1)), "expired");
}

TEST(Token, IssuedInTheFutureIsAcceptedOnlyWithinTheSkew) {
  const SigningKey key = Key("dev-1", 'a');
  const std::string token = MustIssue(Claims(), key);
  EXPECT_TRUE(VerifyToken(token, Ring(key), kNow - kMaxClockSkew).ok());
  ExpectUnauthenticated(VerifyToken(token, Ring(key), kNow - kMaxClockSkew - absl::Seconds(1)),
                        "not yet valid");
}

TEST(Token, TamperedPayloadFailsSignature) {
  const SigningKey key = Key("dev-1", 'a');
  const std::vector<std::string> p = Parts(MustIssue(Claims(), key));
  TokenClaims admin = Claims();
  admin.role = Role::kAdmin;
  const std::vector<std::string> forged = Parts(MustIssue(admin, Key("dev-1", 'z')));
  // The admin payload under the genuine token's signature.
  ExpectUnauthenticated(VerifyToken(absl::StrCat("zw1.", forged[1], ".", p[2]), Ring(key), kNow),
                        "bad signature");
}

TEST(Token, TamperedSignatureFails) {
  const SigningKey key = Key("dev-1", 'a');
  const std::vector<std::string> p = Parts(MustIssue(Claims(), key));
  std::string mac;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(p[2], &mac));
  mac[0] ^= 0x01;
  ExpectUnauthenticated(
      VerifyToken(absl::StrCat("zw1.", p[1], ".", absl::WebSafeBase64Escape(mac)), Ring(key), kNow),
      "bad signature");
}

TEST(Token, SignatureFromAnotherKeyWithTheSameKidFails) {
  const std::string token = MustIssue(Claims(), Key("dev-1", 'x'));
  ExpectUnauthenticated(VerifyToken(token, Ring(Key("dev-1", 'a')), kNow), "bad signature");
}

TEST(Token, UnknownKidFails) {
  const std::string token = MustIssue(Claims(), Key("dev-9", 'a'));
  ExpectUnauthenticated(VerifyToken(token, Ring(Key("dev-1", 'a')), kNow), "unknown key id");
}

TEST(Token, RotationKeepsOldTokensValidWhileTheirKeyIsInTheRing) {
  const SigningKey old_key = Key("2026-10", 'o');
  const SigningKey new_key = Key("2026-11", 'n');
  const std::string old_token = MustIssue(Claims(), old_key);
  const std::string new_token = MustIssue(Claims(), new_key);
  KeyRing ring("zhiwang");
  ASSERT_TRUE(ring.Add(old_key).ok());
  ASSERT_TRUE(ring.Add(new_key).ok());
  EXPECT_EQ(ring.size(), 2u);
  absl::StatusOr<TokenClaims> a = VerifyToken(old_token, ring, kNow);
  absl::StatusOr<TokenClaims> b = VerifyToken(new_token, ring, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->key_id, "2026-10");
  EXPECT_EQ(b->key_id, "2026-11");
  ASSERT_TRUE(ring.Remove("2026-10").ok());
  ExpectUnauthenticated(VerifyToken(old_token, ring, kNow), "unknown key id");
  EXPECT_TRUE(VerifyToken(new_token, ring, kNow).ok());
}

TEST(KeyRing, RefusesDuplicateAndMalformedKeys) {
  KeyRing ring("zhiwang");
  ASSERT_TRUE(ring.Add(Key("k1", 'a')).ok());
  EXPECT_EQ(ring.Add(Key("k1", 'b')).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ring.Add(SigningKey{"k2", std::string(31, 'a')}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ring.Add(Key("", 'a')).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ring.Add(Key("a;b", 'a')).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ring.Add(Key(std::string(65, 'k'), 'a')).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ring.Remove("nope").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ring.size(), 1u);
}

TEST(Token, WrongIssuerFails) {
  const SigningKey key = Key("dev-1", 'a');
  TokenClaims c = Claims();
  c.issuer = "someone-else";
  ExpectUnauthenticated(VerifyToken(MustIssue(c, key), Ring(key), kNow), "wrong issuer");
}

TEST(Token, UnknownRoleFailsEvenWhenSigned) {
  const SigningKey key = Key("dev-1", 'a');
  const std::string token = SignRaw(
      "kid=dev-1;iss=zhiwang;sub=w;role=superuser;area=;dep=;iat=1790000000;exp=1790028800", key);
  ExpectUnauthenticated(VerifyToken(token, Ring(key), kNow), "unknown role");
}

TEST(Token, NonCanonicalPayloadFailsEvenWhenSigned) {
  const SigningKey key = Key("dev-1", 'a');
  const KeyRing ring = Ring(key);
  const char* const kPayloads[] = {
      // leading zero, sign, lower-case and needless escapes, reordered, missing, extra field
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=01790000000;exp=1790028800",
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=+1790000000;exp=1790028800",
      "kid=dev-1;iss=zhiwang;sub=a%3bb;role=admin;area=;dep=;iat=1790000000;exp=1790028800",
      "kid=dev-1;iss=zhiwang;sub=%77;role=admin;area=;dep=;iat=1790000000;exp=1790028800",
      "kid=dev-1;sub=w;iss=zhiwang;role=admin;area=;dep=;iat=1790000000;exp=1790028800",
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;iat=1790000000;exp=1790028800",
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=1790000000;exp=1790028800;x=1",
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=1790000000;exp=1790028800;",
      "kid=dev-1;iss=zhiwang;sub=;role=admin;area=;dep=;iat=1790000000;exp=1790028800",
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=1790000000;exp=1790000000",
      "kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=1790000000;exp=soon",
      "kid=dev-1;iss=zhiwang;sub=w%2;role=admin;area=;dep=;iat=1790000000;exp=1790028800",
  };
  for (const char* payload : kPayloads) {
    SCOPED_TRACE(payload);
    ExpectUnauthenticated(VerifyToken(SignRaw(payload, key), ring, kNow), "malformed");
  }
  // The canonical spelling of the same claims is accepted (the test's signer is sound).
  EXPECT_TRUE(
      VerifyToken(
          SignRaw("kid=dev-1;iss=zhiwang;sub=w;role=admin;area=;dep=;iat=1790000000;exp=1790028800",
                  key),
          ring, kNow)
          .ok());
}

TEST(Token, MalformedInputsAreUnauthenticated) {
  const SigningKey key = Key("dev-1", 'a');
  const KeyRing ring = Ring(key);
  const std::string good = MustIssue(Claims(), key);
  const std::vector<std::string> p = Parts(good);
  const std::string kInputs[] = {
      "",
      "zw1",
      "zw1.",
      "zw1..",
      absl::StrCat("zw1.", p[1]),
      absl::StrCat("zw1.", p[1], "."),
      absl::StrCat("zw1..", p[2]),
      absl::StrCat("zw2.", p[1], ".", p[2]),
      absl::StrCat(good, ".extra"),
      absl::StrCat("zw1.", p[1], "!.", p[2]),           // not base64url
      absl::StrCat("zw1.", p[1], ".", p[2], "="),       // padding
      absl::StrCat("zw1.", p[1], ".", p[2].substr(4)),  // short signature
      absl::StrCat("Bearer ", good),
      absl::StrCat(good, " "),
  };
  for (const std::string& in : kInputs) {
    SCOPED_TRACE(in);
    ExpectUnauthenticated(VerifyToken(in, ring, kNow), "malformed");
  }
}

TEST(Token, NonCanonicalBase64IsRefused) {
  const SigningKey key = Key("dev-1", 'a');
  const std::vector<std::string> p = Parts(MustIssue(Claims(), key));
  // 32 bytes encode to 43 characters whose last carries 2 unused bits; setting one of them
  // decodes to the same bytes but is another spelling.
  std::string sig = p[2];
  ASSERT_EQ(sig.size(), 43u);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const size_t last = alphabet.find(sig.back());
  ASSERT_NE(last, std::string::npos);
  ASSERT_EQ(last & 3u, 0u);
  sig.back() = alphabet[last | 1u];
  ExpectUnauthenticated(VerifyToken(absl::StrCat("zw1.", p[1], ".", sig), Ring(key), kNow),
                        "malformed");
}

TEST(Token, HugeInputIsRefusedBeforeDecoding) {
  const SigningKey key = Key("dev-1", 'a');
  const std::string huge = absl::StrCat("zw1.", std::string(kMaxTokenBytes, 'A'), ".AAAA");
  ExpectUnauthenticated(VerifyToken(huge, Ring(key), kNow), "longer than");
  ExpectUnauthenticated(VerifyToken(std::string(1 << 20, '.'), Ring(key), kNow), "longer than");
}

TEST(Token, IssuingClaimsThatWouldExceedTheLimitFails) {
  TokenClaims c = Claims();
  c.subject = std::string(kMaxTokenBytes, 's');
  EXPECT_EQ(IssueToken(c, Key("dev-1", 'a')).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Token, SeparatorsAndNonAsciiInClaimsRoundTrip) {
  const SigningKey key = Key("dev-1", 'a');
  TokenClaims in = Claims();
  in.subject = "a;b=c%d e.f";
  in.area = "%41;;==";
  in.department_id = "水务局\n\x01\x7f";
  const std::string token = MustIssue(in, key);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(Parts(token)[1], &payload));
  EXPECT_THAT(payload, HasSubstr(";sub=a%3Bb%3Dc%25d%20e.f;"));
  EXPECT_THAT(payload, HasSubstr(";area=%2541%3B%3B%3D%3D;"));
  absl::StatusOr<TokenClaims> out = VerifyToken(token, Ring(key), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->subject, in.subject);
  EXPECT_EQ(out->area, in.area);
  EXPECT_EQ(out->department_id, in.department_id);
}

TEST(IssueToken, RefusesIncompleteClaims) {
  const SigningKey key = Key("dev-1", 'a');
  TokenClaims c = Claims();
  c.subject = "";
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c = Claims();
  c.role = Role::kUnspecified;
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c = Claims();
  c.role = static_cast<Role>(kMaxRole + 1);
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c = Claims();
  c.issuer = "";
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c = Claims();
  c.expires_at = c.issued_at;
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c.expires_at = c.issued_at + absl::Milliseconds(500);  // same whole second
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c = Claims();
  c.expires_at = c.issued_at - absl::Hours(1);
  EXPECT_EQ(IssueToken(c, key).status().code(), absl::StatusCode::kInvalidArgument);
  c = Claims();
  EXPECT_EQ(IssueToken(c, SigningKey{"dev-1", "short"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhiwang::auth
