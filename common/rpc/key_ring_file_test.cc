// --auth_keys files (issue 7): LoadKeyRing reads "<kid> <secret file>" lines.
#include <stdlib.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "common/auth/token.h"
#include "common/rpc/server_runner.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

class KeyRingFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/zw-keyring-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    int rc = std::system(("rm -rf " + dir_).c_str());
    (void)rc;
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(KeyRingFileTest, ReadsKeysRelativeToTheFileAndVerifiesTheirTokens) {
  Write("a.key", std::string(40, 'a') + "\n");
  Write("b.key", std::string(32, 'b'));
  Write("ring", "# comment\n\nkey-a a.key\n  key-b   " + dir_ + "/b.key  \n");
  absl::StatusOr<auth::KeyRing> ring = LoadKeyRing(dir_ + "/ring", "zhiwang");
  ASSERT_TRUE(ring.ok()) << ring.status();
  EXPECT_EQ(ring->size(), 2u);
  ASSERT_NE(ring->Find("key-a"), nullptr);
  EXPECT_EQ(ring->Find("key-a")->secret, std::string(40, 'a')) << "trailing newline stripped";
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  absl::StatusOr<std::string> token = auth::IssueToken({.issuer = "zhiwang",
                                                        .subject = "w1",
                                                        .role = Role::kGridWorker,
                                                        .issued_at = now,
                                                        .expires_at = now + absl::Hours(1)},
                                                       {"key-b", std::string(32, 'b')});
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(auth::VerifyToken(*token, *ring, now).ok());
}

TEST_F(KeyRingFileTest, BadLinesNameTheFileAndLine) {
  Write("short.key", "too-short");
  Write("ring", "ok-line-missing-file\n");
  absl::StatusOr<auth::KeyRing> ring = LoadKeyRing(dir_ + "/ring", "zhiwang");
  EXPECT_EQ(ring.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(ring.status().message(), "ring:1")) << ring.status();

  Write("ring", "# c\nk1 short.key\n");
  ring = LoadKeyRing(dir_ + "/ring", "zhiwang");
  EXPECT_EQ(ring.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(ring.status().message(), "ring:2")) << ring.status();

  Write("ring", "k1 missing.key\n");
  ring = LoadKeyRing(dir_ + "/ring", "zhiwang");
  EXPECT_EQ(ring.status().code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(LoadKeyRing(dir_ + "/nope", "zhiwang").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhiwang
