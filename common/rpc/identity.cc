#include "common/rpc/identity.h"

#include <algorithm>

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

absl::StatusOr<Identity> IdentityFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto it = metadata.find(kDevIdentityHeader);
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        absl::StrCat("missing caller identity (metadata '", kDevIdentityHeader, "')"));
  }
  return ParseDevIdentity(absl::string_view(it->second.data(), it->second.size()));
}

std::string FormatDevIdentity(const Identity& who) {
  return absl::StrCat("subject=", who.subject, ";role=", RoleName(who.role), ";area=", who.area,
                      ";department=", who.department_id);
}

}  // namespace zhiwang
