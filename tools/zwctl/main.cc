// zwctl entry point: parses the flags and runs the subcommand named by the first
// positional argument.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/zwctl/zwctl.h"

ABSL_FLAG(std::string, addr, "", "health: the server to check, HOST:PORT");
ABSL_FLAG(std::string, service, "",
          "health: the service name to check (empty = the server overall)");
ABSL_FLAG(std::string, admin, "127.0.0.1:7102",
          "load-district: the AdminService (zw-router), HOST:PORT");
ABSL_FLAG(std::string, file, "", "load-district: the text-format District to load");
ABSL_FLAG(bool, dry_run, false, "load-district: only parse the file and print what it holds");
ABSL_FLAG(std::string, intake, "127.0.0.1:7101", "demo, get: the IntakeService, HOST:PORT");
ABSL_FLAG(std::string, dispatch, "127.0.0.1:7103", "demo: the DispatchService, HOST:PORT");
ABSL_FLAG(std::string, district_file, "deploy/sample/district.textpb",
          "demo, get: the district the stack was loaded with (grid, categories, names)");
ABSL_FLAG(std::string, event, "", "get: the event id");
ABSL_FLAG(absl::Duration, rpc_deadline, absl::Seconds(5), "deadline of every RPC");
ABSL_FLAG(absl::Duration, router_wait, absl::Seconds(10),
          "demo: how long to wait for the router to dispatch an event");

namespace {

constexpr char kUsage[] = R"(zwctl COMMAND [--flags]

Commands:
  health         --addr=HOST:PORT [--service=NAME]
                 grpc.health.v1 Check (2 s deadline); prints SERVING, NOT_SERVING,
                 SERVICE_UNKNOWN or UNREACHABLE; exits 0 only when SERVING.
  load-district  --admin=HOST:PORT --file=PATH [--dry_run]
                 loads a text-format zhiwang.v1.District through AdminService.LoadDistrict
                 and prints its version; --dry_run only parses and prints counts.
  demo           --intake=HOST:PORT --dispatch=HOST:PORT [--district_file=PATH]
                 three events through the lifecycle: happy path, a rejection that is
                 re-routed, and a failed verification that is reworked.
  get            --intake=HOST:PORT --event=ID [--district_file=PATH]
                 prints one event's journey.
  console        --console=HOST:PORT [--district_file=PATH]
                 the console's board of the district and its newest events (issue 6).
  org validate   --file=PATH
                 parses and validates an organisation file; errors name file:line and id.
  org load       --file=PATH --admin=HOST:PORT
                 validates, then loads it through AdminService.LoadDistrict.
  org status     --admin=HOST:PORT
                 the organisation files zw-router watches, their versions and refusals.
  token issue    --key_file=PATH --kid=ID --subject=ID --role=ROLE [--area=ID]
                 [--department=ID] [--ttl=8h] [--issuer=zhiwang]
                 prints a signed bearer token (docs/auth.md).
  apikey create  --admin=HOST:PORT --key_department=ID [--key_area=ID] [--key_label=TEXT]
                 creates an API key for a department system; prints it (only time shown).
  apikey revoke  --admin=HOST:PORT --key_id=ak_...    revokes it (effective at once).
  apikey list    --admin=HOST:PORT                    every key, without secrets.

Credentials (every command that calls a service): --token=T | --token_file=F | $ZW_TOKEN,
  or --api_key=K | $ZW_API_KEY, or --key_file=F --kid=ID (signs a short token per call),
  else the dev header (only servers run with --dev_identity_header accept it).
TLS: --tls, --tls_ca=PEM, --tls_client_cert=PEM --tls_client_key=PEM (mTLS).

Try 'zwctl --helpfull' for every flag.)";

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() == 3 && absl::string_view(args[1]) == "org") {
    return zhiwang::zwctl::RunOrg(args[2]);
  }
  if (args.size() == 3 && absl::string_view(args[1]) == "apikey") {
    return zhiwang::zwctl::RunApiKey(args[2]);
  }
  if (args.size() == 3 && absl::string_view(args[1]) == "token") {
    return zhiwang::zwctl::RunToken(args[2]);
  }
  if (args.size() != 2) {
    std::fprintf(stderr, "%s\n", kUsage);
    return 2;
  }
  const absl::string_view command = args[1];
  if (command == "health") return zhiwang::zwctl::RunHealth();
  if (command == "load-district") return zhiwang::zwctl::RunLoadDistrict();
  if (command == "demo") return zhiwang::zwctl::RunDemo();
  if (command == "get") return zhiwang::zwctl::RunGet();
  if (command == "console") return zhiwang::zwctl::RunConsole();
  std::fprintf(stderr, "zwctl: unknown command '%s'\n\n%s\n", args[1], kUsage);
  return 2;
}
