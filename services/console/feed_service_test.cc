// feed (issue 6): FeedService.WatchEvents through the real adapter in-process, on a real
// redis-server: events written by EventCommands through RedisEventStore (whose scripts
// append the change feed), read back by RedisChangeFeed. Resume after a disconnect, read
// scope, filters, retention (OUT_OF_RANGE), bad requests.

#include "services/console/feed_service.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/redis/keys.h"
#include "common/redis/redis_change_feed.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "zhiwang/v1/feed.grpc.pb.h"

namespace zhiwang::console {
namespace {

using redis::RedisClient;
using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

DistrictOrg TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}, {"st2", "Street 2"}};
  org.communities = {{"c1", "Community 1", "st1"}, {"c2", "Community 2", "st2"}};
  org.grids = {{"g1", "Grid 1", "c1"}, {"g2", "Grid 2", "c2"}};
  org.departments = {{"dep_a", "Urban management", DepartmentLevel::kStreet, "st1"}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_a"}}};
  return org;
}

const Identity kWorker1{"w1", Role::kGridWorker, "g1", ""};
const Identity kWorker2{"w2", Role::kGridWorker, "g2", ""};
const Identity kAdmin{"admin", Role::kAdmin, "", ""};
const Identity kStreet1{"disp-st1", Role::kStreetDispatcher, "st1", ""};

// (cursor, event id, version) of a message, or of a progress-only one (id "").
using Seen = std::tuple<std::string, std::string, int64_t>;

class FeedServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto client = RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    store_ = std::make_unique<redis::RedisEventStore>(client_.get());
    feed_ = std::make_unique<redis::RedisChangeFeed>(client_.get());
    orgs_ = std::make_unique<OrgRegistry>(&org_store_);
    ASSERT_TRUE(orgs_->Publish(TestDistrict()).ok());
    commands_ = std::make_unique<EventCommands>(store_.get(), orgs_.get(), &clock_,
                                                [this] { return ++random_; });
    service_ = std::make_unique<FeedService>(
        feed_.get(), store_.get(), orgs_.get(),
        FeedSettings{.batch = 7, .poll = absl::Milliseconds(5), .retry = absl::Milliseconds(50)});
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = v1::FeedService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }

  // Reports an event in the worker's grid: one change-feed entry.
  std::string Report(const Identity& worker) {
    ReportInput in;
    in.client_request_id = absl::StrCat("r", ++requests_);
    in.category_code = "garbage";
    in.location = Location{22.54, 114.05, worker.area, ""};
    in.description = "exposed garbage";
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Report(worker, in, [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    absl::StatusOr<WriteResult> created = p.get_future().get();
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->event.id : "";
  }

  // The reporter cancels: a second entry for the event, state cancelled.
  void Cancel(const Identity& worker, const std::string& id) {
    Command c{.action = EventAction::kCancel, .note = "reported by mistake"};
    std::promise<absl::StatusOr<WriteResult>> p;
    commands_->Act(worker, id, absl::StrCat("c", ++requests_), c,
                   [&](absl::StatusOr<WriteResult> r) { p.set_value(r); });
    absl::StatusOr<WriteResult> r = p.get_future().get();
    EXPECT_TRUE(r.ok()) << r.status();
  }

  struct Watch {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::EventChange>> reader;
    // The next message, or nullopt when the stream ended.
    std::optional<v1::EventChange> Next() {
      v1::EventChange m;
      if (!reader->Read(&m)) return std::nullopt;
      return m;
    }
    // Reads until `n` messages with a change were seen (progress-only ones are recorded
    // too); false when the stream ended first.
    bool Collect(int n, std::vector<Seen>* out, std::string* last_cursor) {
      int changes = 0;
      while (changes < n) {
        std::optional<v1::EventChange> m = Next();
        if (!m) return false;
        out->emplace_back(m->cursor(), m->event_id(), m->version());
        *last_cursor = m->cursor();
        if (!m->progress_only()) ++changes;
      }
      return true;
    }
  };

  Watch Open(const Identity& who, v1::WatchEventsRequest req) {
    Watch w;
    w.ctx = std::make_unique<grpc::ClientContext>();
    w.ctx->AddMetadata(kDevIdentityHeader, FormatDevIdentity(who));
    w.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (req.district_id().empty()) req.set_district_id("440304");
    w.reader = stub_->WatchEvents(w.ctx.get(), req);
    return w;
  }
  Watch OpenFrom(const Identity& who, const std::string& cursor) {
    v1::WatchEventsRequest req;
    req.set_cursor(cursor);
    return Open(who, req);
  }

  static std::vector<Seen> ChangesOnly(const std::vector<Seen>& all) {
    std::vector<Seen> out;
    for (const Seen& s : all) {
      if (!std::get<1>(s).empty()) out.push_back(s);
    }
    return out;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::atomic<uint64_t> random_{0};
  int requests_ = 0;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<redis::RedisEventStore> store_;
  std::unique_ptr<redis::RedisChangeFeed> feed_;
  MemoryOrgStore org_store_;
  std::unique_ptr<OrgRegistry> orgs_;
  std::unique_ptr<EventCommands> commands_;
  std::unique_ptr<FeedService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::FeedService::Stub> stub_;
};

TEST_F(FeedServiceTest, ResumeAfterDisconnectLosesNothingAndRepeatsNothing) {
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(Report(i % 2 ? kWorker1 : kWorker2));
  for (int i = 0; i < 4; ++i) Cancel(i % 2 ? kWorker1 : kWorker2, ids[i]);  // 16 changes

  // First connection: 9 changes (more than one read batch of 7), then disconnect.
  std::vector<Seen> resumed;
  std::string cursor;
  {
    Watch w = OpenFrom(kAdmin, "0-0");
    ASSERT_TRUE(w.Collect(9, &resumed, &cursor));
    w.ctx->TryCancel();
    v1::EventChange rest;
    while (w.reader->Read(&rest)) {
    }
    EXPECT_EQ(w.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  // Written while nobody listens.
  for (int i = 4; i < 8; ++i) Cancel(i % 2 ? kWorker1 : kWorker2, ids[i]);  // 20 changes
  {
    Watch w = OpenFrom(kAdmin, cursor);
    ASSERT_TRUE(w.Collect(11, &resumed, &cursor));
    w.ctx->TryCancel();
  }
  // The whole sequence, read in one go.
  std::vector<Seen> full;
  {
    Watch w = OpenFrom(kAdmin, "0-0");
    std::string unused;
    ASSERT_TRUE(w.Collect(20, &full, &unused));
    w.ctx->TryCancel();
  }
  EXPECT_EQ(ChangesOnly(resumed), ChangesOnly(full));
  ASSERT_EQ(ChangesOnly(full).size(), 20u);
  // Each event's changes come in version order: report (1) before cancel (2).
  EXPECT_EQ(std::get<1>(full[0]), ids[0]);
  EXPECT_EQ(std::get<2>(full[0]), 1);
}

TEST_F(FeedServiceTest, CallerSeesOnlyItsAreaAndProgressCarriesTheCursorPastTheRest) {
  std::string in1 = Report(kWorker1);   // street st1
  std::string out1 = Report(kWorker2);  // street st2
  std::string in2 = Report(kWorker1);
  std::string out2 = Report(kWorker2);  // the last entry is not visible: progress message
  Watch w = OpenFrom(kStreet1, "0-0");
  std::vector<Seen> seen;
  std::string cursor;
  ASSERT_TRUE(w.Collect(2, &seen, &cursor));
  std::optional<v1::EventChange> progress = w.Next();
  ASSERT_TRUE(progress.has_value());
  w.ctx->TryCancel();
  std::vector<Seen> changes = ChangesOnly(seen);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(std::get<1>(changes[0]), in1);
  EXPECT_EQ(std::get<1>(changes[1]), in2);
  for (const Seen& s : seen) {
    EXPECT_NE(std::get<1>(s), out1);
    EXPECT_NE(std::get<1>(s), out2);
  }
  // The progress message names the last entry (out2's), so a resume skips it.
  EXPECT_TRUE(progress->progress_only());
  EXPECT_TRUE(progress->event_id().empty());
  EXPECT_FALSE(progress->has_event());
  std::promise<absl::StatusOr<std::string>> tail;
  feed_->Tail("440304", [&](absl::StatusOr<std::string> t) { tail.set_value(t); });
  absl::StatusOr<std::string> last = tail.get_future().get();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(progress->cursor(), *last);
}

TEST_F(FeedServiceTest, FiltersByAreaStateAndDepartment) {
  std::string a = Report(kWorker1);
  std::string b = Report(kWorker2);
  Cancel(kWorker2, b);
  std::string c = Report(kWorker2);
  {
    v1::WatchEventsRequest req;
    req.set_cursor("0-0");
    req.set_area_id("c2");
    req.add_states(v1::EVENT_STATE_CANCELLED);
    Watch w = Open(kAdmin, req);
    std::optional<v1::EventChange> m = w.Next();
    while (m && m->progress_only()) m = w.Next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->event_id(), b);
    EXPECT_EQ(m->state(), v1::EVENT_STATE_CANCELLED);
    EXPECT_EQ(m->action(), v1::EVENT_ACTION_CANCEL);
    EXPECT_EQ(m->version(), 2);
    EXPECT_EQ(m->event().id(), b);
    EXPECT_EQ(m->event().state(), v1::EVENT_STATE_CANCELLED);
    w.ctx->TryCancel();
  }
  {
    // Nothing is held by dep_a: only progress, never a change.
    v1::WatchEventsRequest req;
    req.set_cursor("0-0");
    req.set_department_id("dep_a");
    Watch w = Open(kAdmin, req);
    std::optional<v1::EventChange> m = w.Next();
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(m->progress_only());
    w.ctx->TryCancel();
  }
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(c.empty());
}

TEST_F(FeedServiceTest, CursorOlderThanTheRetainedFeedIsOutOfRange) {
  for (int i = 0; i < 5; ++i) Report(kWorker1);
  std::vector<Seen> seen;
  std::string cursor;
  {
    Watch w = OpenFrom(kAdmin, "0-0");
    ASSERT_TRUE(w.Collect(5, &seen, &cursor));
    w.ctx->TryCancel();
  }
  // Trim below the 4th entry: the floor becomes the 4th's id. A client at the 2nd has
  // lost the 3rd: OUT_OF_RANGE. A client at the 4th has lost nothing.
  const std::string fourth = std::get<0>(seen[3]);
  absl::StatusOr<int64_t> trimmed = redis::TrimChangeFeed(client_.get(), "440304", fourth);
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();
  EXPECT_EQ(*trimmed, 3);
  {
    Watch w = OpenFrom(kAdmin, std::get<0>(seen[1]));
    EXPECT_FALSE(w.Next().has_value());
    grpc::Status s = w.reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::OUT_OF_RANGE);
    EXPECT_NE(s.error_message().find("snapshot"), std::string::npos) << s.error_message();
  }
  {
    Watch w = OpenFrom(kAdmin, fourth);
    std::optional<v1::EventChange> m = w.Next();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->cursor(), std::get<0>(seen[4]));
    w.ctx->TryCancel();
  }
}

TEST_F(FeedServiceTest, TrimKeepsTheNewestEntrySoASnapshotCursorResumes) {
  for (int i = 0; i < 3; ++i) Report(kWorker1);
  std::promise<absl::StatusOr<std::string>> tail;
  feed_->Tail("440304", [&](absl::StatusOr<std::string> t) { tail.set_value(t); });
  absl::StatusOr<std::string> newest = tail.get_future().get();  // a board's cursor
  ASSERT_TRUE(newest.ok());
  // Everything is older than this bound, yet the newest entry stays.
  absl::StatusOr<int64_t> trimmed =
      redis::TrimChangeFeed(client_.get(), "440304", "99999999999999-0");
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();
  EXPECT_EQ(*trimmed, 2);
  absl::StatusOr<redis::RedisReply> floor =
      client_->Call({"GET", redis::keys::ChangeFeedFloor("440304")});
  ASSERT_TRUE(floor.ok());
  EXPECT_EQ(floor->str, *newest);
  std::string later = Report(kWorker2);
  Watch w = OpenFrom(kAdmin, *newest);
  std::optional<v1::EventChange> m = w.Next();
  ASSERT_TRUE(m.has_value()) << w.reader->Finish().error_message();
  EXPECT_EQ(m->event_id(), later);
  w.ctx->TryCancel();
}

TEST_F(FeedServiceTest, FromNowSendsOnlyLaterChanges) {
  std::string before = Report(kWorker1);
  Watch w = Open(kAdmin, {});
  // Write until the stream sees something: whatever it sends first was written after it
  // started (bounded: at most 200 writes).
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; i < 200 && !stop; ++i) {
      Report(kWorker1);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::optional<v1::EventChange> m = w.Next();
  stop = true;
  writer.join();
  ASSERT_TRUE(m.has_value());
  EXPECT_NE(m->event_id(), before);
  w.ctx->TryCancel();
}

TEST_F(FeedServiceTest, BadRequestsAreRefusedNamingTheField) {
  {
    Watch w = OpenFrom(kAdmin, "yesterday");
    EXPECT_FALSE(w.Next().has_value());
    grpc::Status s = w.reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("cursor"), std::string::npos);
  }
  {
    v1::WatchEventsRequest req;
    req.add_states(static_cast<v1::EventState>(42));
    Watch w = Open(kAdmin, req);
    EXPECT_FALSE(w.Next().has_value());
    grpc::Status s = w.reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(s.error_message().find("states"), std::string::npos);
  }
  // auth (issue 7): an unknown district and one outside the caller's scope read alike.
  for (const auto& [who, district] : std::vector<std::pair<Identity, std::string>>{
           {kAdmin, "999999"}, {Identity{"ld9", Role::kLeader, "440305", ""}, "440304"}}) {
    v1::WatchEventsRequest req;
    req.set_district_id(district);
    Watch w = Open(who, req);
    EXPECT_FALSE(w.Next().has_value());
    grpc::Status s = w.reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << who.subject;
    EXPECT_EQ(s.error_message(), absl::StrCat("district '", district, "' not found"));
  }
  {
    grpc::ClientContext ctx;
    v1::WatchEventsRequest req;
    req.set_district_id("440304");
    auto reader = stub_->WatchEvents(&ctx, req);
    v1::EventChange m;
    EXPECT_FALSE(reader->Read(&m));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
}

}  // namespace
}  // namespace zhiwang::console
