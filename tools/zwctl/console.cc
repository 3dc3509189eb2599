// zwctl console: the console's board and one list (issue 6), for the local demo.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tools/zwctl/zwctl.h"
#include "zhiwang/v1/console.grpc.pb.h"

ABSL_FLAG(std::string, console, "127.0.0.1:7105", "console: the QueryService, HOST:PORT");

namespace zhiwang::zwctl {
namespace {

std::string Cells(const v1::BoardRow& row) {
  std::string out;
  for (const v1::BoardCell& c : row.cells()) {
    absl::StrAppend(&out, "  ", StateName(c.state()), " ", c.total(), " (green ", c.green(),
                    ", yellow ", c.yellow(), ", red ", c.red(), ")");
  }
  return out;
}

}  // namespace

int RunConsole() {
  absl::StatusOr<v1::District> district = ReadDistrict(absl::GetFlag(FLAGS_district_file));
  if (!district.ok()) {
    std::fprintf(stderr, "console: %s\n", district.status().ToString().c_str());
    return 1;
  }
  Identity admin{"console-demo", "admin", district->id(), ""};
  auto stub = v1::QueryService::NewStub(Dial(absl::GetFlag(FLAGS_console)));

  v1::GetBoardRequest breq;
  breq.set_district_id(district->id());
  v1::Board board;
  grpc::ClientContext bctx;
  Prepare(bctx, admin, absl::GetFlag(FLAGS_rpc_deadline));
  if (absl::Status s = RpcStatus("GetBoard", stub->GetBoard(&bctx, breq, &board)); !s.ok()) {
    std::fprintf(stderr, "console: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("board of district %s (exact at change feed entry %s):\n",
              board.district_id().c_str(), board.feed_cursor().c_str());
  std::printf("  district:%s\n", Cells(board.district()).c_str());
  for (const v1::BoardRow& r : board.streets()) {
    std::printf("  street %s:%s\n", r.id().c_str(), Cells(r).c_str());
  }
  for (const v1::BoardRow& r : board.departments()) {
    std::printf("  department %s:%s\n", r.id().c_str(), Cells(r).c_str());
  }

  v1::ListEventsRequest lreq;
  lreq.set_district_id(district->id());
  lreq.set_page_size(10);
  v1::ListEventsResponse list;
  grpc::ClientContext lctx;
  Prepare(lctx, admin, absl::GetFlag(FLAGS_rpc_deadline));
  if (absl::Status s = RpcStatus("ListEvents", stub->ListEvents(&lctx, lreq, &list)); !s.ok()) {
    std::fprintf(stderr, "console: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("the newest %d events:\n", list.events_size());
  for (const v1::ListedEvent& e : list.events()) {
    std::printf("  %s  %-12s %-6s %s\n", e.event().id().c_str(),
                StateName(e.event().state()).c_str(), e.event().category_code().c_str(),
                e.event().department_id().c_str());
  }
  return 0;
}

}  // namespace zhiwang::zwctl
