// Shared client plumbing for zwctl: identity header, deadlines, names, printing.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/orgfile/org_file.h"
#include "common/rpc/tls_credentials.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "tools/zwctl/zwctl.h"

ABSL_FLAG(std::string, token, "", "bearer token to send (also $ZW_TOKEN)");
ABSL_FLAG(std::string, token_file, "", "file holding the bearer token to send");
ABSL_FLAG(std::string, api_key, "", "API key <id>.<secret> to send (also $ZW_API_KEY)");
ABSL_FLAG(bool, tls, false, "connect with TLS (system roots unless --tls_ca)");
ABSL_FLAG(std::string, tls_ca, "", "PEM CA to verify the server with (implies --tls)");
ABSL_FLAG(std::string, tls_client_cert, "", "PEM client certificate for mTLS servers");
ABSL_FLAG(std::string, tls_client_key, "", "PEM private key of --tls_client_cert");

namespace zhiwang::zwctl {
namespace {

// Lower-cases an enum value name and drops its prefix: EVENT_STATE_IN_PROGRESS →
// "in_progress".
std::string EnumWord(const std::string& name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(name, prefix));
}

// Printed width of a UTF-8 string, counting every code point as one column (good enough
// for the arrows; Chinese text only appears at the end of a line).
size_t Columns(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Pad(std::string s, size_t width) {
  const size_t cols = Columns(s);
  if (cols < width) s.append(width - cols, ' ');
  return s;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  const absl::Time t = absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, absl::LocalTimeZone());
}

}  // namespace

std::string Identity::Header() const {
  std::vector<std::string> parts = {absl::StrCat("subject=", subject), absl::StrCat("role=", role)};
  if (!area.empty()) parts.push_back(absl::StrCat("area=", area));
  if (!department.empty()) parts.push_back(absl::StrCat("department=", department));
  return absl::StrJoin(parts, ";");
}

std::shared_ptr<grpc::Channel> Dial(const std::string& addr) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
      ChannelCredentialsFromFiles({.use_tls = absl::GetFlag(FLAGS_tls),
                                   .ca = absl::GetFlag(FLAGS_tls_ca),
                                   .cert = absl::GetFlag(FLAGS_tls_client_cert),
                                   .key = absl::GetFlag(FLAGS_tls_client_key)});
  if (!creds.ok()) {
    std::fprintf(stderr, "zwctl: %s\n", std::string(creds.status().message()).c_str());
    std::exit(2);
  }
  return grpc::CreateChannel(addr, *creds);
}

namespace {

std::string FlagOrEnv(const std::string& flag, const char* env) {
  if (!flag.empty()) return flag;
  const char* v = std::getenv(env);
  return v == nullptr ? "" : v;
}

std::string TokenFromFlags() {
  std::string token = FlagOrEnv(absl::GetFlag(FLAGS_token), "ZW_TOKEN");
  const std::string file = absl::GetFlag(FLAGS_token_file);
  if (token.empty() && !file.empty()) {
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    if (!in) {
      std::fprintf(stderr, "zwctl: --token_file: cannot read %s\n", file.c_str());
      std::exit(2);
    }
    token = std::string(absl::StripAsciiWhitespace(s.str()));
  }
  return token;
}

}  // namespace

void Prepare(grpc::ClientContext& ctx, const Identity& who, absl::Duration timeout) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (std::string token = TokenFromFlags(); !token.empty()) {
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return;
  }
  if (std::string key = FlagOrEnv(absl::GetFlag(FLAGS_api_key), "ZW_API_KEY"); !key.empty()) {
    ctx.AddMetadata("authorization", absl::StrCat("ApiKey ", key));
    return;
  }
  if (!absl::GetFlag(FLAGS_key_file).empty()) {
    absl::StatusOr<std::string> token = IssueFor(who, absl::Minutes(10));
    if (!token.ok()) {
      std::fprintf(stderr, "zwctl: %s\n", std::string(token.status().message()).c_str());
      std::exit(2);
    }
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
    return;
  }
  ctx.AddMetadata("x-zw-dev-identity", who.Header());
}

std::string CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  if (i >= 0 && i < static_cast<int>(std::size(kNames))) return kNames[i];
  return absl::StrCat("CODE_", i);
}

absl::Status RpcStatus(absl::string_view rpc, const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(rpc, ": ", CodeName(s.error_code()), ": ", s.error_message()));
}

absl::StatusOr<v1::District> ReadDistrict(const std::string& path) {
  // org (issue 3): parse and validate; errors name the file, line and offending id.
  return orgfile::ReadOrgFile(path);
}

std::string StateName(v1::EventState s) {
  if (s == v1::EVENT_STATE_UNSPECIFIED) return "(new)";
  std::string word = EnumWord(v1::EventState_Name(s), "EVENT_STATE_");
  for (char& c : word) {
    if (c == '_') c = ' ';
  }
  return word;
}

std::string ActionName(v1::EventAction a) {
  return EnumWord(v1::EventAction_Name(a), "EVENT_ACTION_");
}

std::string RoleName(v1::Role r) { return EnumWord(v1::Role_Name(r), "ROLE_"); }

void PrintJourney(const v1::GetEventResponse& got, const v1::District* district) {
  const v1::Event& e = got.event();
  std::string category = e.category_code();
  if (district != nullptr) {
    for (const v1::Category& c : district->categories()) {
      if (c.code() == e.category_code()) absl::StrAppend(&category, " ", c.name());
    }
  }
  std::string now = StateName(e.state());
  if (!e.department_id().empty()) absl::StrAppend(&now, " at ", e.department_id());
  std::printf("event %s  [%s]  %s  — now %s\n", e.id().c_str(), category.c_str(),
              e.description().c_str(), now.c_str());
  for (const v1::TimelineEntry& t : got.timeline()) {
    std::string by = absl::StrCat("by ", t.actor_subject().empty() ? "?" : t.actor_subject(), " (",
                                  RoleName(t.actor_role()));
    if (!t.actor_department_id().empty()) absl::StrAppend(&by, ", ", t.actor_department_id());
    absl::StrAppend(&by, ")");
    std::vector<std::string> extra;
    if (t.action() == v1::EVENT_ACTION_DISPATCH && !t.department_id().empty()) {
      extra.push_back(absl::StrCat("→ ", t.department_id()));
    }
    if (!t.reason_code().empty()) extra.push_back(absl::StrCat("[", t.reason_code(), "]"));
    if (!t.evidence().empty()) {
      extra.push_back(absl::StrCat("(", t.evidence_size(), " evidence)"));
    }
    if (!t.note().empty()) extra.push_back(t.note());
    std::string line = absl::StrCat(
        "  ", FormatTimestamp(t.at()), "  ",
        Pad(absl::StrCat(StateName(t.from_state()), " → ", StateName(t.to_state())), 26), " ",
        Pad(ActionName(t.action()), 12), "  ", Pad(by, 36), "  ", absl::StrJoin(extra, "  "));
    std::printf("%s\n", std::string(absl::StripTrailingAsciiWhitespace(line)).c_str());
  }
}

}  // namespace zhiwang::zwctl
