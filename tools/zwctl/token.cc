// zwctl token issue (issue 7): signs a development bearer token with a local key file.
// Reads the wall clock (a tool, not domain code); the library itself never does.
#include "common/auth/token.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "tools/zwctl/zwctl.h"

ABSL_FLAG(std::string, key_file, "",
          "token issue: file holding the HMAC secret (trailing whitespace is ignored; at least "
          "32 bytes)");
ABSL_FLAG(std::string, kid, "", "token issue: the key's id, 1..64 of [A-Za-z0-9._-]");
ABSL_FLAG(std::string, issuer, zhiwang::auth::kDefaultIssuer, "token issue: the iss claim");
ABSL_FLAG(std::string, subject, "", "token issue: the sub claim, e.g. worker-001");
ABSL_FLAG(std::string, role, "", "token issue: grid_worker, department_operator, admin, ...");
ABSL_FLAG(std::string, area, "", "token issue: the area scope (optional)");
ABSL_FLAG(std::string, department, "", "token issue: the department id (optional)");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(8), "token issue: lifetime from now");

namespace zhiwang::zwctl {

namespace {

absl::StatusOr<auth::SigningKey> KeyFromFlags() {
  const std::string path = absl::GetFlag(FLAGS_key_file);
  if (path.empty()) return absl::InvalidArgumentError("--key_file=PATH is required");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream secret;
  secret << in.rdbuf();
  if (!in) return absl::InvalidArgumentError(absl::StrCat("--key_file: cannot read ", path));
  return auth::SigningKey{.kid = absl::GetFlag(FLAGS_kid),
                          .secret = std::string(absl::StripTrailingAsciiWhitespace(secret.str()))};
}

}  // namespace

absl::StatusOr<std::string> IssueFor(const Identity& who, absl::Duration ttl) {
  absl::StatusOr<auth::SigningKey> key = KeyFromFlags();
  if (!key.ok()) return key.status();
  const absl::Time now = absl::Now();
  return auth::IssueToken({.issuer = absl::GetFlag(FLAGS_issuer),
                           .subject = who.subject,
                           .role = RoleFromName(who.role),
                           .area = who.area,
                           .department_id = who.department,
                           .issued_at = now,
                           .expires_at = now + ttl},
                          *key);
}

int RunToken(const std::string& sub) {
  if (sub != "issue") {
    std::fprintf(stderr, "zwctl token: unknown subcommand '%s' (issue)\n", sub.c_str());
    return 2;
  }
  const std::string path = absl::GetFlag(FLAGS_key_file);
  if (path.empty()) {
    std::fprintf(stderr, "zwctl token issue: --key_file=PATH is required\n");
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "zwctl token issue: cannot read %s\n", path.c_str());
    return 1;
  }
  std::ostringstream secret;
  secret << in.rdbuf();
  const auth::SigningKey key{
      .kid = absl::GetFlag(FLAGS_kid),
      .secret = std::string(absl::StripTrailingAsciiWhitespace(secret.str()))};
  const std::string role_name = absl::GetFlag(FLAGS_role);
  const Role role = RoleFromName(role_name);
  if (role == Role::kUnspecified) {
    std::fprintf(stderr, "zwctl token issue: --role: unknown role '%s'\n", role_name.c_str());
    return 2;
  }
  const absl::Time now = absl::Now();
  const auth::TokenClaims claims{.issuer = absl::GetFlag(FLAGS_issuer),
                                 .subject = absl::GetFlag(FLAGS_subject),
                                 .role = role,
                                 .area = absl::GetFlag(FLAGS_area),
                                 .department_id = absl::GetFlag(FLAGS_department),
                                 .issued_at = now,
                                 .expires_at = now + absl::GetFlag(FLAGS_ttl)};
  absl::StatusOr<std::string> token = auth::IssueToken(claims, key);
  if (!token.ok()) {
    std::fprintf(stderr, "zwctl token issue: %s\n", std::string(token.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}

}  // namespace zhiwang::zwctl
