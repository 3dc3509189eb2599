// zwctl: a small command-line client for a running Zhiwang stack.
//
// Every subcommand is a function returning the process exit code; the flags are global
// (absl) and defined in main.cc. Nothing here is used by the services.
#ifndef ZHIWANG_TOOLS_ZWCTL_ZWCTL_H_
#define ZHIWANG_TOOLS_ZWCTL_ZWCTL_H_

#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "zhiwang/v1/event.pb.h"
#include "zhiwang/v1/intake.pb.h"
#include "zhiwang/v1/organisation.pb.h"

ABSL_DECLARE_FLAG(std::string, addr);
ABSL_DECLARE_FLAG(std::string, service);
ABSL_DECLARE_FLAG(std::string, admin);
ABSL_DECLARE_FLAG(std::string, file);
ABSL_DECLARE_FLAG(bool, dry_run);
ABSL_DECLARE_FLAG(std::string, intake);
ABSL_DECLARE_FLAG(std::string, dispatch);
ABSL_DECLARE_FLAG(std::string, district_file);
ABSL_DECLARE_FLAG(std::string, event);
ABSL_DECLARE_FLAG(absl::Duration, rpc_deadline);
ABSL_DECLARE_FLAG(absl::Duration, router_wait);
// authn (issue 7): credentials and TLS (client.cc, token.cc).
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(std::string, token_file);
ABSL_DECLARE_FLAG(std::string, api_key);
ABSL_DECLARE_FLAG(std::string, key_file);
ABSL_DECLARE_FLAG(std::string, kid);
ABSL_DECLARE_FLAG(bool, tls);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_client_cert);
ABSL_DECLARE_FLAG(std::string, tls_client_key);

namespace zhiwang::zwctl {

// Subcommands. Each returns the process exit code (0 on success).
int RunHealth();
int RunLoadDistrict();
int RunDemo();
int RunGet();
// org (issue 3): "validate" / "load" --file=PATH, "status" --admin=HOST:PORT.
int RunOrg(const std::string& sub);
// auth (issue 7): "issue" --key_file --kid --subject --role [--area --department --ttl
// --issuer]; prints a zw1 bearer token (docs/auth.md).
int RunToken(const std::string& sub);
// query (issue 6): the board and the newest events through QueryService (--console).
int RunConsole();
// authn (issue 7): "create" --department [--area --label], "revoke" --key_id, "list";
// AuthService on --admin, as an admin.
int RunApiKey(const std::string& sub);

// A caller identity. How it reaches the server (Prepare), first that applies:
//   --token / --token_file / $ZW_TOKEN   `authorization: Bearer <token>` (the token's
//                                        identity, not this one)
//   --api_key / $ZW_API_KEY              `authorization: ApiKey <key>`
//   --key_file + --kid                   a 10-minute token for this identity, signed here
//   otherwise                            the development header (servers started with
//                                        --dev_identity_header only)
//     x-zw-dev-identity: subject=<id>;role=<role>;area=<area>;department=<department>
// Empty area/department are left out of the header.
struct Identity {
  std::string subject;
  std::string role;  // e.g. "grid_worker", "department_operator", "admin"
  std::string area;
  std::string department;

  std::string Header() const;
};

// A channel to `addr` (HOST:PORT): plaintext, or TLS with --tls / --tls_ca, presenting
// --tls_client_cert/--tls_client_key to mTLS servers. Exits 2 on a bad TLS flag.
std::shared_ptr<grpc::Channel> Dial(const std::string& addr);

// Prepares `ctx` for one RPC: the credential (see Identity) and a deadline `timeout` from
// now.
void Prepare(grpc::ClientContext& ctx, const Identity& who, absl::Duration timeout);

// "UNAVAILABLE", "NOT_FOUND", ... for a gRPC status code.
std::string CodeName(grpc::StatusCode code);

// Converts a failed RPC into an absl::Status whose message names the RPC, e.g.
// "ClaimEvent: FAILED_PRECONDITION: cannot claim ...". OK stays OK.
absl::Status RpcStatus(absl::string_view rpc, const grpc::Status& s);

// Reads and parses a text-format District. Parse errors name the line and column.
absl::StatusOr<zhiwang::v1::District> ReadDistrict(const std::string& path);

// "reported", "in progress", ... / "accept", "add_progress", ... / "grid_worker", ...
std::string StateName(zhiwang::v1::EventState s);
std::string ActionName(zhiwang::v1::EventAction a);
std::string RoleName(zhiwang::v1::Role r);

// Prints an event's header line and its timeline, one line per entry. `district` (may be
// null) supplies category and department names.
// A bearer token for `who` signed with --key_file/--kid, valid for `ttl`.
absl::StatusOr<std::string> IssueFor(const Identity& who, absl::Duration ttl);

void PrintJourney(const zhiwang::v1::GetEventResponse& got, const zhiwang::v1::District* district);

}  // namespace zhiwang::zwctl

#endif  // ZHIWANG_TOOLS_ZWCTL_ZWCTL_H_
