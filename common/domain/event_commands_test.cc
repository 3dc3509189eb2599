// Unit tests of the event use cases (Report, Act) over the in-memory stores and a fake
// clock: validation before anything is written, idempotent retries, permission checks by
// party, and optimistic concurrency (re-load and re-decide on a version conflict).

#include "common/domain/event_commands.h"

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/domain/event.h"
#include "common/domain/event_store.h"
#include "common/domain/lifecycle.h"
#include "common/domain/org_registry.h"
#include "common/domain/report.h"
#include "common/store/memory_event_store.h"
#include "common/store/memory_org_store.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

constexpr char kDistrict[] = "440304";
constexpr char kUrban[] = "st1_urban";
constexpr char kWater[] = "water";

DistrictOrg SmallOrg() {
  DistrictOrg org;
  org.id = kDistrict;
  org.name = "Futian";
  org.streets = {{"st1", "Shatou"}};
  org.communities = {{"c1", "Community 1", "st1"}};
  org.grids = {{"g1", "Grid 1", "c1"}, {"g2", "Grid 2", "c1"}};
  org.departments = {{kUrban, "Shatou urban management", DepartmentLevel::kStreet, "st1"},
                     {kWater, "District water bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {kUrban, kWater}}};
  return org;
}

const Identity kWorker{"worker-1", Role::kGridWorker, "g1", ""};
const Identity kDispatcher{"dispatcher-1", Role::kDistrictDispatcher, kDistrict, ""};
const Identity kUrbanOperator{"op-urban-1", Role::kDepartmentOperator, kDistrict, kUrban};
const Identity kWaterOperator{"op-water-1", Role::kDepartmentOperator, kDistrict, kWater};

// Runs `start` with a callback and waits for its result (the memory store calls back
// before returning, but the wait does not rely on that).
template <typename T>
absl::StatusOr<T> Await(const std::function<void(Done<T>)>& start) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<T>>>();
  std::future<absl::StatusOr<T>> future = promise->get_future();
  start([promise](absl::StatusOr<T> r) { promise->set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    return absl::DeadlineExceededError("never called back");
  }
  return future.get();
}

Command Cmd(EventAction action, const std::function<void(Command&)>& fill = {}) {
  Command c;
  c.action = action;
  if (fill) fill(c);
  return c;
}
Command Dispatch(const std::string& department) {
  return Cmd(EventAction::kDispatch, [&](Command& c) { c.department_id = department; });
}
Command Progress(const std::string& note) {
  return Cmd(EventAction::kAddProgress, [&](Command& c) { c.note = note; });
}

// A store decorator that lets "another writer" move the event right before this
// writer's Commit reaches the store, so the commit meets a newer version (ABORTED).
class InterferingStore final : public EventStore {
 public:
  explicit InterferingStore(MemoryEventStore* inner) : inner_(inner) {}

  // Runs `writer` (against the inner store) before each of the next `times` commits;
  // times < 0 means before every commit.
  // Counts of loads and commits restart from here.
  void InterfereWith(std::function<void()> writer, int times) {
    writer_ = std::move(writer);
    times_ = times;
    ResetCounts();
  }
  int commits() const { return commits_; }
  int loads() const { return loads_; }
  void ResetCounts() { commits_ = loads_ = 0; }

  void Create(const NewEvent& created, const IdempotencyKey& key, Done<WriteResult> done) override {
    inner_->Create(created, key, std::move(done));
  }
  void Load(const std::string& event_id, const IdempotencyKey& key,
            Done<LoadResult> done) override {
    ++loads_;
    inner_->Load(event_id, key, std::move(done));
  }
  void CommitSteps(const Event& before, const std::vector<TransitionOutcome>& steps,
                   const IdempotencyKey& key, Done<WriteResult> done) override {
    ++commits_;
    if (writer_ && times_ != 0) {
      if (times_ > 0) --times_;
      writer_();
    }
    inner_->CommitSteps(before, steps, key, std::move(done));
  }
  void Get(const std::string& event_id, Done<Event> done) override {
    inner_->Get(event_id, std::move(done));
  }
  void GetTimeline(const std::string& event_id, Done<std::vector<TimelineEntry>> done) override {
    inner_->GetTimeline(event_id, std::move(done));
  }
  void ListByReporter(const std::string& district_id, const std::string& subject,
                      const PageRequest& page, Done<Page> done) override {
    inner_->ListByReporter(district_id, subject, page, std::move(done));
  }
  void ListByDepartment(const std::string& district_id, const std::string& department_id,
                        const PageRequest& page, Done<Page> done) override {
    inner_->ListByDepartment(district_id, department_id, page, std::move(done));
  }
  void ListTriage(const std::string& district_id, const std::string& centre_id,
                  const PageRequest& page, Done<Page> done) override {
    inner_->ListTriage(district_id, centre_id, page, std::move(done));
  }
  void ListFollowers(const std::string& district_id, const std::string& master_id,
                     const PageRequest& page, Done<Page> done) override {
    inner_->ListFollowers(district_id, master_id, page, std::move(done));
  }

 private:
  MemoryEventStore* inner_;
  std::function<void()> writer_;
  int times_ = 0;
  int commits_ = 0;
  int loads_ = 0;
};

class EventCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<int64_t> v = orgs_.Publish(SmallOrg());
    ASSERT_TRUE(v.ok()) << v.status();
  }

  static ReportInput Input(const std::string& request_id, const std::string& grid = "g1") {
    ReportInput in;
    in.client_request_id = request_id;
    in.category_code = "garbage";
    in.location = Location{22.54, 114.05, grid, "Shatou Road 1"};
    in.description = "garbage piled at the corner";
    in.reporter_name = "Li";
    in.attachments = {Attachment{"media://photo-1", "image/jpeg", 2048, ""}};
    return in;
  }

  absl::StatusOr<WriteResult> Report(const Identity& who, const ReportInput& in) {
    return Await<WriteResult>(
        [&](Done<WriteResult> done) { commands_.Report(who, in, std::move(done)); });
  }
  absl::StatusOr<WriteResult> Act(const Identity& who, const std::string& event_id,
                                  const std::string& request_id, const Command& command) {
    return Await<WriteResult>([&](Done<WriteResult> done) {
      commands_.Act(who, event_id, request_id, command, std::move(done));
    });
  }
  absl::StatusOr<Event> Get(const std::string& id) {
    return Await<Event>([&](Done<Event> done) { memory_.Get(id, std::move(done)); });
  }
  std::vector<TimelineEntry> Timeline(const std::string& id) {
    absl::StatusOr<std::vector<TimelineEntry>> t = Await<std::vector<TimelineEntry>>(
        [&](Done<std::vector<TimelineEntry>> done) { memory_.GetTimeline(id, std::move(done)); });
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : std::vector<TimelineEntry>{};
  }
  std::vector<Event> Reports(const std::string& subject) {
    absl::StatusOr<Page> p = Await<Page>([&](Done<Page> done) {
      memory_.ListByReporter(kDistrict, subject, {100, ""}, std::move(done));
    });
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? p->events : std::vector<Event>{};
  }

  // A reported event, accepted and dispatched to `department`.
  Event DispatchedTo(const std::string& department, const std::string& tag = "1") {
    absl::StatusOr<WriteResult> r = Report(kWorker, Input(absl::StrCat("report-", tag)));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return Event{};
    const std::string id = r->event.id;
    clock_.Advance(absl::Minutes(1));
    r = Act(kDispatcher, id, absl::StrCat("accept-", tag), Cmd(EventAction::kAccept));
    EXPECT_TRUE(r.ok()) << r.status();
    clock_.Advance(absl::Minutes(1));
    r = Act(kDispatcher, id, absl::StrCat("dispatch-", tag), Dispatch(department));
    EXPECT_TRUE(r.ok()) << r.status();
    clock_.Advance(absl::Minutes(1));
    return r.ok() ? r->event : Event{};
  }

  // Moves the event in the inner store directly, as another replica would.
  void OtherWriterActs(const std::string& id, const Identity& who, const Command& command,
                       const std::string& request_id) {
    absl::StatusOr<Event> current = Get(id);
    ASSERT_TRUE(current.ok()) << current.status();
    absl::StatusOr<TransitionOutcome> out = ApplyCommand(*current, who, command, clock_.Now());
    ASSERT_TRUE(out.ok()) << out.status();
    absl::StatusOr<WriteResult> r = Await<WriteResult>([&](Done<WriteResult> done) {
      memory_.Commit(*current, *out,
                     IdempotencyKey{who.subject, request_id, FingerprintOf(id, command)},
                     std::move(done));
    });
    ASSERT_TRUE(r.ok()) << r.status();
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  MemoryOrgStore org_store_;
  OrgRegistry orgs_{&org_store_};
  MemoryEventStore memory_;
  InterferingStore store_{&memory_};
  uint64_t next_random_ = 0;
  EventCommands commands_{&store_, &orgs_, &clock_, [this] { return ++next_random_; }};
};

// ---- Report ----

TEST_F(EventCommandsTest, ReportCreatesReportedEventQueuedToRouter) {
  absl::StatusOr<WriteResult> r = Report(kWorker, Input("report-1"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  const Event& e = r->event;
  EXPECT_TRUE(absl::StartsWith(e.id, "440304-")) << e.id;
  EXPECT_EQ(e.district_id, kDistrict);
  EXPECT_EQ(e.street_id, "st1");
  EXPECT_EQ(e.community_id, "c1");
  EXPECT_EQ(e.state, EventState::kReported);
  EXPECT_EQ(e.version, 1);
  EXPECT_EQ(e.urgency, Urgency::kNormal);  // the category's default
  EXPECT_EQ(e.reporter.subject, "worker-1");
  EXPECT_EQ(e.created_at, clock_.Now());

  absl::StatusOr<Event> stored = Get(e.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kReported);
  EXPECT_EQ(memory_.queued(), (std::vector<MemoryEventStore::QueuedItem>{{"router", e.id}}));
  std::vector<TimelineEntry> timeline = Timeline(e.id);
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].action, EventAction::kReport);
  EXPECT_EQ(timeline[0].actor_subject, "worker-1");
  EXPECT_EQ(timeline[0].actor_role, Role::kGridWorker);
  EXPECT_EQ(timeline[0].at, clock_.Now());
}

TEST_F(EventCommandsTest, ReportWithUnknownGridIsInvalidArgumentNamingGridAndStoresNothing) {
  absl::StatusOr<WriteResult> r = Report(kWorker, Input("report-1", "g9"));
  ASSERT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "location.grid_id")) << r.status();
  EXPECT_TRUE(memory_.queued().empty());
  EXPECT_TRUE(Reports("worker-1").empty());
}

TEST_F(EventCommandsTest, ReportByRoleThatMayNotReportIsPermissionDenied) {
  absl::StatusOr<WriteResult> r = Report(kUrbanOperator, Input("report-1"));
  EXPECT_TRUE(absl::IsPermissionDenied(r.status())) << r.status();
  EXPECT_TRUE(memory_.queued().empty());
}

TEST_F(EventCommandsTest, ReportRetryWithSameRequestIdReturnsTheSameEvent) {
  absl::StatusOr<WriteResult> first = Report(kWorker, Input("report-1"));
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Seconds(30));  // the retry would get another id and time
  absl::StatusOr<WriteResult> retry = Report(kWorker, Input("report-1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->event.id, first->event.id);
  EXPECT_EQ(retry->event.created_at, first->event.created_at);
  EXPECT_EQ(Reports("worker-1").size(), 1u);
  EXPECT_EQ(memory_.queued().size(), 1u);
}

TEST_F(EventCommandsTest, ReportReusingRequestIdForOtherPayloadIsAlreadyExists) {
  ASSERT_TRUE(Report(kWorker, Input("report-1")).ok());
  ReportInput other = Input("report-1");
  other.description = "a different report";
  absl::StatusOr<WriteResult> r = Report(kWorker, other);
  EXPECT_TRUE(absl::IsAlreadyExists(r.status())) << r.status();
  EXPECT_EQ(Reports("worker-1").size(), 1u);
}

// ---- Act ----

TEST_F(EventCommandsTest, ClaimByAssignedDepartmentSucceeds) {
  Event e = DispatchedTo(kUrban);
  ASSERT_EQ(e.state, EventState::kDispatched);
  absl::StatusOr<WriteResult> r = Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  EXPECT_EQ(r->event.state, EventState::kClaimed);
  EXPECT_EQ(r->event.version, e.version + 1);
  absl::StatusOr<Event> stored = Get(e.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kClaimed);
}

// auth (issue 7): an event another department holds is out of scope: NOT_FOUND, worded
// exactly like a missing event.
TEST_F(EventCommandsTest, ClaimByAnotherDepartmentIsNotFoundLikeAMissingEvent) {
  Event e = DispatchedTo(kUrban);
  absl::StatusOr<WriteResult> r = Act(kWaterOperator, e.id, "claim-1", Cmd(EventAction::kClaim));
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_EQ(r.status().message(), absl::StrCat("event ", e.id, " not found"));
  absl::StatusOr<Event> stored = Get(e.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->version, e.version);
  EXPECT_EQ(Timeline(e.id).size(), 3u);
}

TEST_F(EventCommandsTest, TimelineRecordsTheCallersSubjectRoleAndDepartment) {
  Event e = DispatchedTo(kUrban);
  ASSERT_TRUE(Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim)).ok());
  std::vector<TimelineEntry> timeline = Timeline(e.id);
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[0].actor_subject, "worker-1");
  EXPECT_EQ(timeline[0].actor_role, Role::kGridWorker);
  EXPECT_EQ(timeline[1].actor_subject, "dispatcher-1");
  EXPECT_EQ(timeline[1].actor_role, Role::kDistrictDispatcher);
  EXPECT_EQ(timeline[1].action, EventAction::kAccept);
  EXPECT_EQ(timeline[2].action, EventAction::kDispatch);
  EXPECT_EQ(timeline[2].department_id, kUrban);
  const TimelineEntry& claim = timeline[3];
  EXPECT_EQ(claim.actor_subject, "op-urban-1");
  EXPECT_EQ(claim.actor_role, Role::kDepartmentOperator);
  EXPECT_EQ(claim.actor_department_id, kUrban);
  EXPECT_EQ(claim.action, EventAction::kClaim);
  EXPECT_EQ(claim.from_state, EventState::kDispatched);
  EXPECT_EQ(claim.to_state, EventState::kClaimed);
  EXPECT_EQ(claim.at, clock_.Now());
  EXPECT_EQ(claim.seq, 4);
}

TEST_F(EventCommandsTest, RetryAfterTheEventMovedOnReplaysTheOriginalResult) {
  Event e = DispatchedTo(kUrban);
  absl::StatusOr<WriteResult> claimed =
      Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim));
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(Act(kUrbanOperator, e.id, "progress-1", Progress("crew on site")).ok());
  ASSERT_EQ(Timeline(e.id).size(), 5u);

  // The claim's response was lost; the client retries it. Claiming an in-progress event
  // would be refused, but this is the same request: its original result comes back.
  absl::StatusOr<WriteResult> retry =
      Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->event.state, EventState::kClaimed);
  EXPECT_EQ(retry->event.version, claimed->event.version);
  EXPECT_EQ(Timeline(e.id).size(), 5u);
  absl::StatusOr<Event> stored = Get(e.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kInProgress);
}

TEST_F(EventCommandsTest, ActReusingRequestIdForOtherPayloadIsAlreadyExists) {
  Event e = DispatchedTo(kUrban);
  ASSERT_TRUE(Act(kUrbanOperator, e.id, "act-1", Cmd(EventAction::kClaim)).ok());
  absl::StatusOr<WriteResult> r = Act(kUrbanOperator, e.id, "act-1", Progress("other"));
  EXPECT_TRUE(absl::IsAlreadyExists(r.status())) << r.status();
  EXPECT_EQ(Timeline(e.id).size(), 4u);
}

TEST_F(EventCommandsTest, ActOnUnknownEventIsNotFound) {
  absl::StatusOr<WriteResult> r =
      Act(kDispatcher, "440304-20260921-0000000000", "accept-1", Cmd(EventAction::kAccept));
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
}

TEST_F(EventCommandsTest, ActWithMalformedEventIdIsInvalidArgumentNamingEventId) {
  for (const std::string& bad : {std::string(""), std::string("no_district_part"),
                                 absl::StrCat("440304-", std::string(70, 'X'))}) {
    SCOPED_TRACE(bad);
    absl::StatusOr<WriteResult> r = Act(kDispatcher, bad, "accept-1", Cmd(EventAction::kAccept));
    ASSERT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
    EXPECT_TRUE(absl::StrContains(r.status().message(), "event_id")) << r.status();
  }
  EXPECT_EQ(store_.loads(), 0);
}

TEST_F(EventCommandsTest, ActWithMalformedRequestIdIsInvalidArgument) {
  Event e = DispatchedTo(kUrban);
  absl::StatusOr<WriteResult> r = Act(kUrbanOperator, e.id, "has space", Cmd(EventAction::kClaim));
  ASSERT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "client_request_id")) << r.status();
}

TEST_F(EventCommandsTest, DispatchToDepartmentNotInDistrictIsInvalidArgumentNamingDepartment) {
  absl::StatusOr<WriteResult> reported = Report(kWorker, Input("report-1"));
  ASSERT_TRUE(reported.ok()) << reported.status();
  const std::string id = reported->event.id;
  ASSERT_TRUE(Act(kDispatcher, id, "accept-1", Cmd(EventAction::kAccept)).ok());
  absl::StatusOr<WriteResult> r = Act(kDispatcher, id, "dispatch-1", Dispatch("police"));
  ASSERT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "department_id")) << r.status();
  absl::StatusOr<Event> stored = Get(id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kAccepted);
  EXPECT_EQ(Timeline(id).size(), 2u);
}

// ---- Optimistic concurrency ----

TEST_F(EventCommandsTest, ConflictingWriteIsReloadedAndDecidedAgainWhenStillAllowed) {
  Event e = DispatchedTo(kUrban);
  // Between our load and our commit, a dispatcher re-dispatches to the same department
  // (version moves on, the claim is still allowed).
  store_.InterfereWith(
      [&] { OtherWriterActs(e.id, kDispatcher, Dispatch(kUrban), "redispatch-1"); }, 1);
  absl::StatusOr<WriteResult> r = Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  EXPECT_EQ(r->event.state, EventState::kClaimed);
  EXPECT_EQ(r->event.version, e.version + 2);  // decided on the other writer's version
  EXPECT_EQ(store_.commits(), 2);
  std::vector<TimelineEntry> timeline = Timeline(e.id);
  ASSERT_EQ(timeline.size(), 5u);
  EXPECT_EQ(timeline[3].action, EventAction::kDispatch);
  EXPECT_EQ(timeline[4].action, EventAction::kClaim);
  EXPECT_EQ(timeline[4].from_state, EventState::kDispatched);
}

TEST_F(EventCommandsTest, ConflictingWriteThatForbidsTheActionIsFailedPreconditionNamingState) {
  Event e = DispatchedTo(kUrban);
  // Between our load and our commit, the reporter cancels the event.
  store_.InterfereWith(
      [&] {
        OtherWriterActs(e.id, kWorker,
                        Cmd(EventAction::kCancel, [](Command& c) { c.note = "fixed it"; }),
                        "cancel-1");
      },
      1);
  absl::StatusOr<WriteResult> r = Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim));
  ASSERT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "cancelled")) << r.status();
  EXPECT_EQ(store_.commits(), 1);
  absl::StatusOr<Event> stored = Get(e.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->state, EventState::kCancelled);
  // The refused claim was not remembered: nothing replays it.
  EXPECT_EQ(Timeline(e.id).size(), 4u);
}

TEST_F(EventCommandsTest, EventThatKeepsChangingGivesUpWithAbortedAfterMaxAttempts) {
  Event e = DispatchedTo(kUrban);
  ASSERT_TRUE(Act(kUrbanOperator, e.id, "claim-1", Cmd(EventAction::kClaim)).ok());
  int n = 0;
  store_.InterfereWith(
      [&] {
        OtherWriterActs(e.id, kUrbanOperator, Progress(absl::StrCat("busy ", n)),
                        absl::StrCat("other-", n));
        ++n;
      },
      -1);
  absl::StatusOr<WriteResult> r = Act(kUrbanOperator, e.id, "progress-1", Progress("mine"));
  EXPECT_TRUE(absl::IsAborted(r.status())) << r.status();
  EXPECT_EQ(store_.commits(), EventCommands::kMaxAttempts);
  EXPECT_EQ(store_.loads(), EventCommands::kMaxAttempts);
  // Only the other writer's entries were written.
  std::vector<TimelineEntry> timeline = Timeline(e.id);
  EXPECT_EQ(timeline.size(), 4u + EventCommands::kMaxAttempts);
  for (const TimelineEntry& t : timeline) EXPECT_NE(t.note, "mine");
}

}  // namespace
}  // namespace zhiwang
