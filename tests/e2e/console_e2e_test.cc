// End-to-end test of the console's QueryService (issue 6) through the real zw-console
// binary: events reported through zw-intake and routed by zw-router are listed page by
// page, read in detail (timeline and routing explanation), counted on the board with a
// change-feed cursor, and exported as CSV; bad paging is INVALID_ARGUMENT naming the
// field; an event outside the caller's scope is NOT_FOUND.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/e2e/stack.h"
#include "zhiwang/v1/console.grpc.pb.h"

namespace zhiwang::e2e {
namespace {

class ConsoleE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Stack>> s = Stack::Start(TestDistrict(), {});
    if (!s.ok()) {
      error_ = new std::string(s.status().ToString());
      return;
    }
    stack_ = s->release();
    absl::Status c = stack_->StartService(Service::kConsole);
    if (!c.ok()) error_ = new std::string(c.ToString());
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    delete error_;
    error_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(error_, nullptr) << *error_;
    query_ = v1::QueryService::NewStub(grpc::CreateChannel(stack_->address(Service::kConsole),
                                                           grpc::InsecureChannelCredentials()));
  }

  // Reports `n` events by `worker` and waits until each is dispatched.
  std::vector<std::string> ReportDispatched(const Identity& worker, int n,
                                            const std::string& prefix) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      v1::ReportEventResponse resp;
      grpc::Status s = CallWithRetry(worker, [&](grpc::ClientContext* ctx) {
        return stack_->intake().ReportEvent(
            ctx, MakeReport(absl::StrCat(prefix, i), kTwoDeptCategory), &resp);
      });
      EXPECT_TRUE(s.ok()) << s.error_message();
      ids.push_back(resp.event().id());
    }
    for (const std::string& id : ids) EXPECT_TRUE(WaitDispatched(*stack_, worker, id).ok()) << id;
    return ids;
  }

  static inline Stack* stack_ = nullptr;
  static inline std::string* error_ = nullptr;
  std::unique_ptr<v1::QueryService::Stub> query_;
};

TEST_F(ConsoleE2E, ListsPageByPageShowsDetailCountsTheBoardAndExportsCsv) {
  Identity worker = GridWorker("console-worker-1");
  std::vector<std::string> ids = ReportDispatched(worker, 5, "console-");

  // Every page of the district's dispatched events, 2 at a time.
  v1::ListEventsRequest req;
  req.set_district_id(kDistrictId);
  req.mutable_filter()->add_states(v1::EVENT_STATE_DISPATCHED);
  req.mutable_filter()->set_reporter_subject(worker.subject);
  req.set_sort(v1::EVENT_SORT_CREATED_ASC);
  req.set_page_size(2);
  std::vector<std::string> listed;
  for (int page = 0; page < 10; ++page) {
    v1::ListEventsResponse resp;
    grpc::Status s = query_->ListEvents(Stack::Context(Admin()).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_LE(resp.events_size(), 2);
    for (const v1::ListedEvent& e : resp.events()) listed.push_back(e.event().id());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(listed, ids);  // reported one after another: creation order

  // The detail: the event, its timeline (report, accept, dispatch) and the routing.
  v1::GetEventDetailRequest dreq;
  dreq.set_event_id(ids[0]);
  v1::EventDetail detail;
  grpc::Status s = query_->GetEventDetail(Stack::Context(Admin()).get(), dreq, &detail);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(detail.event().event().id(), ids[0]);
  EXPECT_GE(detail.timeline_size(), 3);
  EXPECT_FALSE(detail.routing().department_id().empty());
  // Another grid worker may not see it: NOT_FOUND, as if it did not exist.
  v1::EventDetail hidden;
  s = query_->GetEventDetail(Stack::Context(GridWorker("someone-else")).get(), dreq, &hidden);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);

  // The board counts them, with a change-feed cursor.
  v1::GetBoardRequest breq;
  breq.set_district_id(kDistrictId);
  v1::Board board;
  s = query_->GetBoard(Stack::Context(Admin()).get(), breq, &board);
  ASSERT_TRUE(s.ok()) << s.error_message();
  int64_t dispatched = 0;
  for (const v1::BoardCell& c : board.district().cells()) {
    if (c.state() == v1::EVENT_STATE_DISPATCHED) dispatched = c.total();
  }
  EXPECT_GE(dispatched, 5);
  EXPECT_NE(board.feed_cursor(), "0-0");
  EXPECT_FALSE(board.streets().empty());

  // The CSV of the same list: BOM, header, one CRLF row per event.
  v1::ExportEventsCsvRequest ereq;
  *ereq.mutable_query() = req;
  ereq.mutable_query()->clear_page_token();
  auto ctx = Stack::Context(Admin());
  auto reader = query_->ExportEventsCsv(ctx.get(), ereq);
  std::string csv;
  v1::CsvChunk chunk;
  while (reader->Read(&chunk)) csv += chunk.data();
  s = reader->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  EXPECT_EQ(lines.size(), ids.size() + 1);
  for (const std::string& id : ids) EXPECT_NE(csv.find(id), std::string::npos);
}

TEST_F(ConsoleE2E, BadPageSizeOrTokenIsInvalidArgumentNamingTheField) {
  v1::ListEventsRequest req;
  req.set_district_id(kDistrictId);
  req.set_page_size(500);
  v1::ListEventsResponse resp;
  grpc::Status s = query_->ListEvents(Stack::Context(Admin()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("page_size"), std::string::npos);
  req.set_page_size(10);
  req.set_page_token("bogus");
  s = query_->ListEvents(Stack::Context(Admin()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("page_token"), std::string::npos);
  req.clear_page_token();
  req.set_district_id("");
  s = query_->ListEvents(Stack::Context(Admin()).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("district_id"), std::string::npos);
}

}  // namespace
}  // namespace zhiwang::e2e
