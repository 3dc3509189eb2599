#include "common/rpc/identity.h"

#include <algorithm>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace zhiwang {
namespace {

bool SafeToken(absl::string_view s, bool required) {
  if (s.empty()) return !required;
  if (s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
}

}  // namespace

absl::StatusOr<Identity> ParseDevIdentity(absl::string_view value) {
  Identity who;
  for (absl::string_view part : absl::StrSplit(value, ';', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    absl::string_view val = absl::StripAsciiWhitespace(kv.second);
    if (key == "subject") {
      who.subject = std::string(val);
    } else if (key == "role") {
      who.role = RoleFromName(val);
      if (who.role == Role::kUnspecified) {
        return absl::UnauthenticatedError(absl::StrCat("identity: unknown role '", val, "'"));
      }
    } else if (key == "area") {
      who.area = std::string(val);
    } else if (key == "department") {
      who.department_id = std::string(val);
    } else {
      return absl::UnauthenticatedError(absl::StrCat("identity: unknown key '", key, "'"));
    }
  }
  if (!SafeToken(who.subject, true)) {
    return absl::UnauthenticatedError("identity: subject must be 1..64 of [A-Za-z0-9._@-]");
  }
  if (who.role == Role::kUnspecified) {
    return absl::UnauthenticatedError("identity: role is required");
  }
  if (!SafeToken(who.area, false) || !SafeToken(who.department_id, false)) {
    return absl::UnauthenticatedError("identity: area/department hold invalid characters");
  }
  if ((who.role == Role::kDepartmentOperator || who.role == Role::kDepartmentSystem) &&
      who.department_id.empty()) {
    return absl::UnauthenticatedError("identity: department roles need a department");
  }
  return who;
}

absl::string_view AuthMethodName(AuthMethod m) {
  switch (m) {
    case AuthMethod::kBearer:
      return "bearer";
    case AuthMethod::kApiKey:
      return "api_key";
    case AuthMethod::kDevHeader:
      break;
  }
  return "dev_header";
}

std::string FormatGateVerdict(const absl::StatusOr<Authenticated>& verdict) {
  if (!verdict.ok()) {
    return absl::StrCat("deny|", static_cast<int>(verdict.status().code()), "|",
                        verdict.status().message());
  }
  return absl::StrCat("ok|", AuthMethodName(verdict->method), "|", FormatDevIdentity(verdict->who));
}

namespace {

absl::StatusOr<Authenticated> ParseGateVerdict(absl::string_view value) {
  std::vector<absl::string_view> parts = absl::StrSplit(value, absl::MaxSplits('|', 2));
  if (parts.size() == 3 && parts[0] == "ok") {
    Authenticated a;
    a.method = parts[1] == "bearer"    ? AuthMethod::kBearer
               : parts[1] == "api_key" ? AuthMethod::kApiKey
                                       : AuthMethod::kDevHeader;
    absl::StatusOr<Identity> who = ParseDevIdentity(parts[2]);
    if (!who.ok()) return who.status();
    a.who = *std::move(who);
    return a;
  }
  int code = 0;
  if (parts.size() == 3 && parts[0] == "deny" && absl::SimpleAtoi(parts[1], &code) && code > 0 &&
      code <= 16) {
    return absl::Status(static_cast<absl::StatusCode>(code), parts[2]);
  }
  return absl::UnauthenticatedError("malformed gate verdict");
}

}  // namespace

absl::StatusOr<Identity> IdentityFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  absl::StatusOr<Authenticated> a = AuthenticatedFromMetadata(metadata);
  if (!a.ok()) return a.status();
  return a->who;
}

absl::StatusOr<Authenticated> AuthenticatedFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto gate = metadata.find(kGateHeader);
  if (gate != metadata.end()) {
    return ParseGateVerdict(absl::string_view(gate->second.data(), gate->second.size()));
  }
  auto it = metadata.find(kDevIdentityHeader);
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        absl::StrCat("missing caller identity (metadata '", kDevIdentityHeader, "')"));
  }
  absl::StatusOr<Identity> who =
      ParseDevIdentity(absl::string_view(it->second.data(), it->second.size()));
  if (!who.ok()) return who.status();
  return Authenticated{*std::move(who), AuthMethod::kDevHeader};
}

std::string FormatDevIdentity(const Identity& who) {
  return absl::StrCat("subject=", who.subject, ";role=", RoleName(who.role), ";area=", who.area,
                      ";department=", who.department_id);
}

}  // namespace zhiwang
