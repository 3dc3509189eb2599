#ifndef ZHIWANG_COMMON_STORE_EVENT_STORE_CONTRACT_H_
#define ZHIWANG_COMMON_STORE_EVENT_STORE_CONTRACT_H_

// The contract suite of the EventStore port (common/domain/event_store.h): the same
// value-parameterized tests run against every implementation, so the in-memory fake
// cannot drift from the Redis store.
//
// Include this header from exactly one .cc of a test binary and instantiate it there:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Memory, EventStoreContractTest,
//       ::testing::Values(EventStoreContractParam{"Memory", [] {
//         return std::make_unique<MyHarness>();   // a fresh, empty store
//       }}),
//       EventStoreContractParamName);
//
// Events and transitions are made with the real domain code (BuildReportedEvent,
// ApplyCommand) on a small District. Times are whole seconds apart, so implementations
// that index by millisecond (Redis) order them exactly as those that keep absl::Time.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/event_store.h"
#include "common/domain/lifecycle.h"
#include "common/domain/organisation.h"
#include "common/domain/report.h"
#include "gtest/gtest.h"

namespace zhiwang::contract {

// Owns one fresh, empty store (and whatever it needs: a client, a server connection).
class EventStoreHarness {
 public:
  virtual ~EventStoreHarness() = default;
  virtual EventStore* store() = 0;
};

struct EventStoreContractParam {
  std::string name;  // the instantiation's name in test names: [A-Za-z0-9_]
  std::function<std::unique_ptr<EventStoreHarness>()> make;
};

// So gtest prints "Memory" rather than the bytes of the struct.
inline void PrintTo(const EventStoreContractParam& param, std::ostream* os) { *os << param.name; }

inline std::string EventStoreContractParamName(
    const ::testing::TestParamInfo<EventStoreContractParam>& info) {
  return info.param.name;
}

// Runs `start` with a callback and waits for it: the synchronous view of an async port
// method. Fails the test if the callback runs twice or not within `timeout`.
template <typename T>
absl::StatusOr<T> Await(const std::function<void(Done<T>)>& start,
                        absl::Duration timeout = absl::Seconds(10)) {
  struct Shared {
    std::promise<absl::StatusOr<T>> promise;
    std::atomic<int> calls{0};
  };
  auto shared = std::make_shared<Shared>();
  std::future<absl::StatusOr<T>> future = shared->promise.get_future();
  start([shared](absl::StatusOr<T> result) {
    if (shared->calls.fetch_add(1) != 0) {
      ADD_FAILURE() << "a store callback ran more than once";
      return;
    }
    shared->promise.set_value(std::move(result));
  });
  if (future.wait_for(std::chrono::nanoseconds(absl::ToInt64Nanoseconds(timeout))) !=
      std::future_status::ready) {
    return absl::DeadlineExceededError("the store never called back");
  }
  return future.get();
}

// Synchronous wrappers over one store.
class SyncStore {
 public:
  explicit SyncStore(EventStore* store) : store_(store) {}

  absl::StatusOr<WriteResult> Create(const NewEvent& created, const IdempotencyKey& key) {
    return Await<WriteResult>(
        [&](Done<WriteResult> done) { store_->Create(created, key, std::move(done)); });
  }
  absl::StatusOr<LoadResult> Load(const std::string& id, const IdempotencyKey& key) {
    return Await<LoadResult>(
        [&](Done<LoadResult> done) { store_->Load(id, key, std::move(done)); });
  }
  absl::StatusOr<WriteResult> Commit(const Event& before, const TransitionOutcome& outcome,
                                     const IdempotencyKey& key) {
    return Await<WriteResult>(
        [&](Done<WriteResult> done) { store_->Commit(before, outcome, key, std::move(done)); });
  }
  absl::StatusOr<WriteResult> CommitSteps(const Event& before,
                                          const std::vector<TransitionOutcome>& steps,
                                          const IdempotencyKey& key) {
    return Await<WriteResult>(
        [&](Done<WriteResult> done) { store_->CommitSteps(before, steps, key, std::move(done)); });
  }
  absl::StatusOr<Event> Get(const std::string& id) {
    return Await<Event>([&](Done<Event> done) { store_->Get(id, std::move(done)); });
  }
  absl::StatusOr<std::vector<TimelineEntry>> Timeline(const std::string& id) {
    return Await<std::vector<TimelineEntry>>(
        [&](Done<std::vector<TimelineEntry>> done) { store_->GetTimeline(id, std::move(done)); });
  }
  absl::StatusOr<Page> ByReporter(const std::string& district, const std::string& subject,
                                  const PageRequest& page) {
    return Await<Page>(
        [&](Done<Page> done) { store_->ListByReporter(district, subject, page, std::move(done)); });
  }
  // org (issue 3)
  absl::StatusOr<Page> ByTriage(const std::string& district, const std::string& centre,
                                const PageRequest& page) {
    return Await<Page>(
        [&](Done<Page> done) { store_->ListTriage(district, centre, page, std::move(done)); });
  }
  absl::StatusOr<Page> ByMaster(const std::string& district, const std::string& master,
                                const PageRequest& page) {
    return Await<Page>(
        [&](Done<Page> done) { store_->ListFollowers(district, master, page, std::move(done)); });
  }
  absl::StatusOr<Page> ByDepartment(const std::string& district, const std::string& department,
                                    const PageRequest& page) {
    return Await<Page>([&](Done<Page> done) {
      store_->ListByDepartment(district, department, page, std::move(done));
    });
  }
  // Every event of a list, page by page; fails the test on an error or a page that is
  // larger than asked or a cursor that never ends.
  std::vector<Event> AllPages(const std::function<absl::StatusOr<Page>(const PageRequest&)>& list,
                              int limit, std::vector<size_t>* sizes = nullptr) {
    std::vector<Event> out;
    PageRequest req{limit, ""};
    for (int guard = 0; guard < 1000; ++guard) {
      absl::StatusOr<Page> page = list(req);
      if (!page.ok()) {
        ADD_FAILURE() << page.status();
        return out;
      }
      EXPECT_LE(page->events.size(), static_cast<size_t>(limit));
      if (sizes != nullptr) sizes->push_back(page->events.size());
      for (Event& e : page->events) out.push_back(std::move(e));
      if (page->next_cursor.empty()) return out;
      req.cursor = page->next_cursor;
    }
    ADD_FAILURE() << "paging never ended";
    return out;
  }

 private:
  EventStore* store_;
};

inline std::vector<std::string> IdsOf(const std::vector<Event>& events) {
  std::vector<std::string> ids;
  for (const Event& e : events) ids.push_back(e.id);
  return ids;
}

// Field-by-field equality, so a lossy encoding in an implementation shows as a diff.
inline void ExpectSameEvent(const Event& got, const Event& want) {
  SCOPED_TRACE(absl::StrCat("event ", want.id));
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.district_id, want.district_id);
  EXPECT_EQ(got.street_id, want.street_id);
  EXPECT_EQ(got.community_id, want.community_id);
  EXPECT_EQ(got.category_code, want.category_code);
  EXPECT_EQ(got.urgency, want.urgency);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.location.latitude, want.location.latitude);
  EXPECT_EQ(got.location.longitude, want.location.longitude);
  EXPECT_EQ(got.location.grid_id, want.location.grid_id);
  EXPECT_EQ(got.location.address, want.location.address);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.reporter.subject, want.reporter.subject);
  EXPECT_EQ(got.reporter.role, want.reporter.role);
  EXPECT_EQ(got.reporter.name, want.reporter.name);
  EXPECT_EQ(got.reporter.phone, want.reporter.phone);
  ASSERT_EQ(got.attachments.size(), want.attachments.size());
  for (size_t i = 0; i < want.attachments.size(); ++i) {
    EXPECT_EQ(got.attachments[i].uri, want.attachments[i].uri);
    EXPECT_EQ(got.attachments[i].content_type, want.attachments[i].content_type);
    EXPECT_EQ(got.attachments[i].size_bytes, want.attachments[i].size_bytes);
    EXPECT_EQ(got.attachments[i].sha256, want.attachments[i].sha256);
  }
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.department_id, want.department_id);
  EXPECT_EQ(got.rejected_by, want.rejected_by);
  EXPECT_EQ(got.rework_count, want.rework_count);
  EXPECT_EQ(got.merged_into, want.merged_into);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
  EXPECT_EQ(got.extension_pending, want.extension_pending);
  EXPECT_EQ(got.suspension_pending, want.suspension_pending);
  EXPECT_EQ(got.extension_count, want.extension_count);
}

inline void ExpectSameEntry(const TimelineEntry& got, const TimelineEntry& want) {
  EXPECT_EQ(got.at, want.at);
  EXPECT_EQ(got.actor_subject, want.actor_subject);
  EXPECT_EQ(got.actor_role, want.actor_role);
  EXPECT_EQ(got.actor_department_id, want.actor_department_id);
  EXPECT_EQ(got.from_state, want.from_state);
  EXPECT_EQ(got.to_state, want.to_state);
  EXPECT_EQ(got.action, want.action);
  EXPECT_EQ(got.note, want.note);
  EXPECT_EQ(got.department_id, want.department_id);
  EXPECT_EQ(got.reason_code, want.reason_code);
  EXPECT_EQ(got.evidence.size(), want.evidence.size());
}

// The world the contract cases live in: one district, a few people, a clock in seconds.
struct ContractWorld {
  static constexpr char kDistrict[] = "440304";
  static constexpr char kUrban[] = "st1_urban";
  static constexpr char kWater[] = "water";

  static DistrictOrg Org() {
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

  // auth (issue 7): reports come from both grids, so the worker's area is their community.
  static Identity Worker(const std::string& subject = "worker-1") {
    return Identity{subject, Role::kGridWorker, "c1", ""};
  }
  static Identity Dispatcher(const std::string& subject = "dispatcher-1") {
    return Identity{subject, Role::kDistrictDispatcher, kDistrict, ""};
  }
  static Identity Operator(const std::string& department) {
    return Identity{absl::StrCat("op-", department), Role::kDepartmentOperator, kDistrict,
                    department};
  }

  static absl::Time T(int seconds) {
    return absl::FromUnixSeconds(1'790'000'000) + absl::Seconds(seconds);
  }

  static ReportInput Input(int n) {
    ReportInput in;
    in.client_request_id = absl::StrCat("report-", n);
    in.category_code = "garbage";
    in.location =
        Location{22.5 + n * 0.001, 114.0, n % 2 == 0 ? "g1" : "g2", absl::StrCat("Road ", n)};
    in.description = absl::StrCat("garbage pile ", n);
    in.reporter_name = "Li";
    in.reporter_phone = "+86 138-0000-0000";
    in.attachments = {
        Attachment{absl::StrCat("https://files.example/", n, ".jpg"), "image/jpeg", 1024 + n, ""}};
    return in;
  }
};

class EventStoreContractTest : public ::testing::TestWithParam<EventStoreContractParam> {
 protected:
  using W = ContractWorld;

  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const District>> d = District::Create(W::Org());
    ASSERT_TRUE(d.ok()) << d.status();
    district_ = *d;
    harness_ = GetParam().make();
    ASSERT_NE(harness_, nullptr);
    ASSERT_NE(harness_->store(), nullptr);
    sync_ = std::make_unique<SyncStore>(harness_->store());
  }

  SyncStore& s() { return *sync_; }

  // Report number `n` by `who` at T(at): a new event with a distinct id.
  NewEvent MakeNew(int n, int at, const Identity& who = W::Worker()) {
    absl::StatusOr<NewEvent> created = BuildReportedEvent(
        W::Input(n), who, *district_, MakeEventId(W::kDistrict, W::T(at), RandomPart(n)), W::T(at));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *std::move(created) : NewEvent{};
  }
  // Distinct for distinct n < 10007 and not monotonic in n, so id order is not time order.
  static uint64_t RandomPart(int n) { return (static_cast<uint64_t>(n) * 7919) % 10007 + 1000; }
  static IdempotencyKey CreateKey(int n, const Identity& who = W::Worker()) {
    return IdempotencyKey{who.subject, absl::StrCat("report-", n), FingerprintOf(W::Input(n))};
  }
  // A key for an action request; the fingerprint is derived from the request id.
  static IdempotencyKey ActKey(const Identity& who, const std::string& request_id,
                               uint64_t salt = 0) {
    Fingerprint f;
    f.Add(request_id).Add(static_cast<int64_t>(salt));
    return IdempotencyKey{who.subject, request_id, f.value()};
  }

  // Creates report `n` at T(at) and returns the stored event.
  Event Created(int n, int at, const Identity& who = W::Worker()) {
    NewEvent created = MakeNew(n, at, who);
    absl::StatusOr<WriteResult> r = s().Create(created, CreateKey(n, who));
    EXPECT_TRUE(r.ok()) << r.status();
    return created.event;
  }

  static TransitionOutcome Decide(const Event& current, const Identity& who, const Command& command,
                                  int at) {
    absl::StatusOr<TransitionOutcome> out = ApplyCommand(current, who, command, W::T(at));
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *std::move(out) : TransitionOutcome{current, {}};
  }

  // Applies `command` with the domain and commits it; returns the event afterwards.
  Event Move(const Event& current, const Identity& who, const Command& command, int at,
             const std::string& request_id) {
    TransitionOutcome out = Decide(current, who, command, at);
    absl::StatusOr<WriteResult> r = s().Commit(current, out, ActKey(who, request_id));
    EXPECT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r.ok() && !r->replayed);
    return out.event;
  }

  // A command with `action` and the parameters `fill` sets.
  static Command Cmd(EventAction action, const std::function<void(Command&)>& fill = {}) {
    Command c;
    c.action = action;
    if (fill) fill(c);
    return c;
  }
  static Command Accept() { return Cmd(EventAction::kAccept); }
  static Command Dispatch(const std::string& department) {
    return Cmd(EventAction::kDispatch, [&](Command& c) { c.department_id = department; });
  }
  static Command Claim() { return Cmd(EventAction::kClaim); }
  static Command Reject() {
    return Cmd(EventAction::kReject, [](Command& c) {
      c.note = "not ours";
      c.reason_code = "wrong_department";
    });
  }
  static Command Progress(const std::string& note) {
    return Cmd(EventAction::kAddProgress, [&](Command& c) { c.note = note; });
  }
  static Command Resolve() {
    return Cmd(EventAction::kResolve, [](Command& c) {
      c.evidence = {Attachment{"https://files.example/done.jpg", "image/jpeg", 10, ""}};
    });
  }

  // accept, then dispatch to `department`, at T(at) and T(at + 1).
  Event Dispatched(const Event& reported, const std::string& department, int at) {
    Event accepted =
        Move(reported, W::Dispatcher(), Accept(), at, absl::StrCat("accept-", reported.id));
    return Move(accepted, W::Dispatcher(), Dispatch(department), at + 1,
                absl::StrCat("dispatch-", reported.id, "-", department));
  }

  size_t TimelineLength(const std::string& id) {
    absl::StatusOr<std::vector<TimelineEntry>> t = s().Timeline(id);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? t->size() : 0;
  }

  std::vector<Event> Reporter(const std::string& subject, int limit,
                              std::vector<size_t>* sizes = nullptr) {
    return s().AllPages(
        [&](const PageRequest& p) { return s().ByReporter(W::kDistrict, subject, p); }, limit,
        sizes);
  }
  std::vector<Event> Department(const std::string& department, int limit = 100,
                                std::vector<size_t>* sizes = nullptr) {
    return s().AllPages(
        [&](const PageRequest& p) { return s().ByDepartment(W::kDistrict, department, p); }, limit,
        sizes);
  }

  std::shared_ptr<const District> district_;
  std::unique_ptr<EventStoreHarness> harness_;
  std::unique_ptr<SyncStore> sync_;
};

// ---- Create ----

TEST_P(EventStoreContractTest, CreateThenGetReturnsTheEventAndOneTimelineEntry) {
  NewEvent created = MakeNew(1, 0);
  absl::StatusOr<WriteResult> r = s().Create(created, CreateKey(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  ExpectSameEvent(r->event, created.event);

  absl::StatusOr<Event> got = s().Get(created.event.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, created.event);
  EXPECT_EQ(got->state, EventState::kReported);
  EXPECT_EQ(got->version, 1);

  absl::StatusOr<std::vector<TimelineEntry>> timeline = s().Timeline(created.event.id);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->size(), 1u);
  EXPECT_EQ((*timeline)[0].seq, 1);
  ExpectSameEntry((*timeline)[0], created.entry);
  EXPECT_EQ((*timeline)[0].action, EventAction::kReport);
  EXPECT_EQ((*timeline)[0].to_state, EventState::kReported);
}

TEST_P(EventStoreContractTest, CreateRetryWithSameKeyReplaysWithoutWritingAgain) {
  NewEvent created = MakeNew(1, 0);
  ASSERT_TRUE(s().Create(created, CreateKey(1)).ok());

  // A retry of the same request: the caller may even have built a fresh id for it.
  NewEvent retry = MakeNew(1, 5);
  retry.event.id = MakeEventId(W::kDistrict, W::T(5), 500000);
  absl::StatusOr<WriteResult> r = s().Create(retry, CreateKey(1));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->replayed);
  ExpectSameEvent(r->event, created.event);

  EXPECT_EQ(TimelineLength(created.event.id), 1u);
  EXPECT_TRUE(absl::IsNotFound(s().Get(retry.event.id).status()));
  std::vector<Event> listed = Reporter("worker-1", 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, created.event.id);
}

TEST_P(EventStoreContractTest, CreateReusingKeyForOtherPayloadIsAlreadyExistsAndWritesNothing) {
  Event first = Created(1, 0);
  NewEvent other = MakeNew(2, 1);
  IdempotencyKey reused = CreateKey(1);
  reused.fingerprint = CreateKey(2).fingerprint;
  absl::StatusOr<WriteResult> r = s().Create(other, reused);
  EXPECT_TRUE(absl::IsAlreadyExists(r.status())) << r.status();

  EXPECT_TRUE(absl::IsNotFound(s().Get(other.event.id).status()));
  EXPECT_TRUE(absl::IsNotFound(s().Timeline(other.event.id).status()));
  EXPECT_EQ(IdsOf(Reporter("worker-1", 10)), std::vector<std::string>{first.id});
  // The first request is still remembered as it was.
  absl::StatusOr<WriteResult> again = s().Create(MakeNew(1, 0), CreateKey(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->event.id, first.id);
}

TEST_P(EventStoreContractTest, CreateWithExistingEventIdIsAlreadyExists) {
  Event first = Created(1, 0);
  NewEvent clash = MakeNew(2, 3);
  clash.event.id = first.id;
  absl::StatusOr<WriteResult> r = s().Create(clash, CreateKey(2));
  EXPECT_TRUE(absl::IsAlreadyExists(r.status())) << r.status();

  absl::StatusOr<Event> got = s().Get(first.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, first);
  EXPECT_EQ(TimelineLength(first.id), 1u);
  // The refused request was not remembered: the same key with a fresh id works.
  NewEvent fresh = MakeNew(2, 3);
  absl::StatusOr<WriteResult> retry = s().Create(fresh, CreateKey(2));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_FALSE(retry->replayed);
  EXPECT_EQ(retry->event.id, fresh.event.id);
}

// ---- Load ----

TEST_P(EventStoreContractTest, LoadReturnsTheEventAndWhetherTheKeyWasUsed) {
  Event reported = Created(1, 0);

  absl::StatusOr<LoadResult> fresh = s().Load(reported.id, ActKey(W::Dispatcher(), "a-1"));
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  ASSERT_TRUE(fresh->event.has_value());
  ExpectSameEvent(*fresh->event, reported);
  EXPECT_FALSE(fresh->replay.has_value());

  Event accepted = Move(reported, W::Dispatcher(), Accept(), 1, "a-1");
  absl::StatusOr<LoadResult> used = s().Load(reported.id, ActKey(W::Dispatcher(), "a-1"));
  ASSERT_TRUE(used.ok()) << used.status();
  ASSERT_TRUE(used->event.has_value());
  ExpectSameEvent(*used->event, accepted);
  ASSERT_TRUE(used->replay.has_value());
  EXPECT_TRUE(used->replay->replayed);
  ExpectSameEvent(used->replay->event, accepted);

  // The creating request is a request too.
  absl::StatusOr<LoadResult> by_creator = s().Load(reported.id, CreateKey(1));
  ASSERT_TRUE(by_creator.ok()) << by_creator.status();
  ASSERT_TRUE(by_creator->replay.has_value());
  ExpectSameEvent(by_creator->replay->event, reported);

  absl::StatusOr<LoadResult> misused =
      s().Load(reported.id, ActKey(W::Dispatcher(), "a-1", /*salt=*/7));
  EXPECT_TRUE(absl::IsAlreadyExists(misused.status())) << misused.status();

  absl::StatusOr<LoadResult> unknown =
      s().Load(MakeEventId(W::kDistrict, W::T(0), 999999), ActKey(W::Dispatcher(), "a-2"));
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->event.has_value());
  EXPECT_FALSE(unknown->replay.has_value());
}

// ---- Commit ----

TEST_P(EventStoreContractTest, CommitAtCurrentVersionAppliesTheTransition) {
  Event reported = Created(1, 0);
  TransitionOutcome out = Decide(reported, W::Dispatcher(), Accept(), 10);
  absl::StatusOr<WriteResult> r = s().Commit(reported, out, ActKey(W::Dispatcher(), "a-1"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  ExpectSameEvent(r->event, out.event);

  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, out.event);
  EXPECT_EQ(got->state, EventState::kAccepted);
  EXPECT_EQ(got->version, 2);

  absl::StatusOr<std::vector<TimelineEntry>> timeline = s().Timeline(reported.id);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->size(), 2u);
  EXPECT_EQ((*timeline)[0].seq, 1);
  EXPECT_EQ((*timeline)[1].seq, got->version);
  ExpectSameEntry((*timeline)[1], out.entry);

  // Further commits keep seq == version.
  Event dispatched = Move(out.event, W::Dispatcher(), Dispatch(W::kUrban), 11, "d-1");
  Event claimed = Move(dispatched, W::Operator(W::kUrban), Claim(), 12, "c-1");
  timeline = s().Timeline(reported.id);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->size(), 4u);
  for (size_t i = 0; i < timeline->size(); ++i) {
    EXPECT_EQ((*timeline)[i].seq, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(timeline->back().seq, claimed.version);
  EXPECT_EQ(timeline->back().actor_subject, "op-st1_urban");
  EXPECT_EQ(timeline->back().actor_role, Role::kDepartmentOperator);
  EXPECT_EQ(timeline->back().actor_department_id, W::kUrban);
}

TEST_P(EventStoreContractTest, CommitFromStaleVersionIsAbortedAndChangesNothing) {
  Event reported = Created(1, 0);
  Event accepted = Move(reported, W::Dispatcher(), Accept(), 1, "a-1");

  // A second writer decided on the version it read before the accept.
  TransitionOutcome late =
      Decide(reported, W::Dispatcher("dispatcher-2"),
             Cmd(EventAction::kNotAccept, [](Command& c) { c.note = "dup"; }), 2);
  absl::StatusOr<WriteResult> r =
      s().Commit(reported, late, ActKey(W::Dispatcher("dispatcher-2"), "n-1"));
  EXPECT_TRUE(absl::IsAborted(r.status())) << r.status();

  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, accepted);
  EXPECT_EQ(TimelineLength(reported.id), 2u);
  EXPECT_TRUE(Department(W::kUrban).empty());

  // The refused request was not remembered: deciding again on what is stored works.
  Event dispatched = Move(accepted, W::Dispatcher("dispatcher-2"), Dispatch(W::kUrban), 3, "n-1");
  EXPECT_EQ(dispatched.version, 3);
  EXPECT_EQ(TimelineLength(reported.id), 3u);
}

TEST_P(EventStoreContractTest, CommitRetryWithSameKeyReplaysTheFirstResult) {
  Event reported = Created(1, 0);
  TransitionOutcome out = Decide(reported, W::Dispatcher(), Accept(), 1);
  IdempotencyKey key = ActKey(W::Dispatcher(), "a-1");
  ASSERT_TRUE(s().Commit(reported, out, key).ok());

  // Straight retry.
  absl::StatusOr<WriteResult> retry = s().Commit(reported, out, key);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  ExpectSameEvent(retry->event, out.event);
  EXPECT_EQ(TimelineLength(reported.id), 2u);

  // Retry after the event moved on: still the first result, nothing written.
  Event dispatched = Move(out.event, W::Dispatcher(), Dispatch(W::kUrban), 2, "d-1");
  retry = s().Commit(reported, out, key);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  ExpectSameEvent(retry->event, out.event);
  EXPECT_EQ(TimelineLength(reported.id), 3u);
  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, dispatched);
}

TEST_P(EventStoreContractTest, CommitReusingKeyForOtherPayloadIsAlreadyExists) {
  Event reported = Created(1, 0);
  Event accepted = Move(reported, W::Dispatcher(), Accept(), 1, "a-1");
  TransitionOutcome dispatch = Decide(accepted, W::Dispatcher(), Dispatch(W::kUrban), 2);
  absl::StatusOr<WriteResult> r =
      s().Commit(accepted, dispatch, ActKey(W::Dispatcher(), "a-1", /*salt=*/9));
  EXPECT_TRUE(absl::IsAlreadyExists(r.status())) << r.status();
  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, accepted);
  EXPECT_EQ(TimelineLength(reported.id), 2u);
}

TEST_P(EventStoreContractTest, CommitAtRightVersionButOtherStateIsAborted) {
  Event reported = Created(1, 0);
  Event stale = reported;
  stale.state = EventState::kAccepted;  // same version, not the stored state
  TransitionOutcome out = Decide(stale, W::Dispatcher(), Dispatch(W::kUrban), 1);
  absl::StatusOr<WriteResult> r = s().Commit(stale, out, ActKey(W::Dispatcher(), "d-1"));
  EXPECT_TRUE(absl::IsAborted(r.status())) << r.status();
  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, reported);
  EXPECT_EQ(TimelineLength(reported.id), 1u);
  EXPECT_TRUE(Department(W::kUrban).empty());
}

TEST_P(EventStoreContractTest, CommitStepsWritesConsecutiveTransitionsAsOne) {
  Event reported = Created(1, 0);
  TransitionOutcome accept = Decide(reported, W::Dispatcher(), Accept(), 10);
  TransitionOutcome dispatch = Decide(accept.event, W::Dispatcher(), Dispatch(W::kUrban), 10);
  IdempotencyKey key = ActKey(W::Dispatcher(), "route-1");
  absl::StatusOr<WriteResult> r = s().CommitSteps(reported, {accept, dispatch}, key);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  ExpectSameEvent(r->event, dispatch.event);

  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, dispatch.event);
  EXPECT_EQ(got->version, 3);
  absl::StatusOr<std::vector<TimelineEntry>> timeline = s().Timeline(reported.id);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  ASSERT_EQ(timeline->size(), 3u);
  EXPECT_EQ((*timeline)[1].seq, 2);
  EXPECT_EQ((*timeline)[2].seq, 3);
  ExpectSameEntry((*timeline)[1], accept.entry);
  ExpectSameEntry((*timeline)[2], dispatch.entry);
  EXPECT_EQ(IdsOf(Department(W::kUrban)), std::vector<std::string>{reported.id});

  // A retry replays the final result and writes no step again.
  r = s().CommitSteps(reported, {accept, dispatch}, key);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->replayed);
  ExpectSameEvent(r->event, dispatch.event);
  EXPECT_EQ(TimelineLength(reported.id), 3u);

  // From a stale version no step is written.
  TransitionOutcome claim = Decide(dispatch.event, W::Operator(W::kUrban), Claim(), 11);
  TransitionOutcome progress = Decide(claim.event, W::Operator(W::kUrban), Progress("on site"), 11);
  absl::StatusOr<WriteResult> stale =
      s().CommitSteps(reported, {claim, progress}, ActKey(W::Operator(W::kUrban), "c-1"));
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  EXPECT_EQ(TimelineLength(reported.id), 3u);

  // No steps at all is a caller error.
  absl::StatusOr<WriteResult> none =
      s().CommitSteps(dispatch.event, {}, ActKey(W::Dispatcher(), "none-1"));
  EXPECT_TRUE(absl::IsInvalidArgument(none.status())) << none.status();
  EXPECT_EQ(TimelineLength(reported.id), 3u);
}

TEST_P(EventStoreContractTest, CommitWithoutRequestIdRemembersNothing) {
  Event reported = Created(1, 0);
  IdempotencyKey internal{"router", "", 0};
  TransitionOutcome accept = Decide(reported, W::Dispatcher("router"), Accept(), 1);
  absl::StatusOr<WriteResult> r = s().Commit(reported, accept, internal);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);

  // Repeating it is no replay: the version check refuses it.
  r = s().Commit(reported, accept, internal);
  EXPECT_TRUE(absl::IsAborted(r.status())) << r.status();
  absl::StatusOr<LoadResult> l = s().Load(reported.id, internal);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_FALSE(l->replay.has_value());

  // Nor does the empty id clash with the next internal write of another payload.
  TransitionOutcome dispatch =
      Decide(accept.event, W::Dispatcher("router"), Dispatch(W::kUrban), 2);
  IdempotencyKey other = internal;
  other.fingerprint = 12345;
  r = s().Commit(accept.event, dispatch, other);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->replayed);
  EXPECT_EQ(TimelineLength(reported.id), 3u);
}

// ---- Reads of unknown events ----

TEST_P(EventStoreContractTest, UnknownEventIsNotFound) {
  Created(1, 0);
  std::string unknown = MakeEventId(W::kDistrict, W::T(0), 777777);
  absl::StatusOr<Event> got = s().Get(unknown);
  EXPECT_TRUE(absl::IsNotFound(got.status())) << got.status();
  absl::StatusOr<std::vector<TimelineEntry>> timeline = s().Timeline(unknown);
  EXPECT_TRUE(absl::IsNotFound(timeline.status())) << timeline.status();
  // Likewise in a district the store has never seen.
  got = s().Get("110101-20260101-0000000001");
  EXPECT_TRUE(absl::IsNotFound(got.status())) << got.status();

  // Committing to an event that does not exist writes nothing.
  Event ghost = MakeNew(9, 0).event;
  ghost.id = unknown;
  TransitionOutcome out = Decide(ghost, W::Dispatcher(), Accept(), 1);
  absl::StatusOr<WriteResult> r = s().Commit(ghost, out, ActKey(W::Dispatcher(), "g-1"));
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_TRUE(absl::IsNotFound(s().Get(unknown).status()));
}

// ---- Lists ----

TEST_P(EventStoreContractTest, ListByReporterPagesNewestFirstWithoutGapsOrDuplicates) {
  // Written in a shuffled order, so the store must order by creation time, not by
  // insertion (nor by id: ids carry the random part first).
  std::vector<Event> events(25);
  for (int i = 0; i < 25; ++i) {
    int n = (i * 7) % 25;  // a permutation of 0..24
    events[n] = Created(n, 100 + n);
  }
  std::vector<std::string> created;  // oldest first
  for (const Event& e : events) created.push_back(e.id);
  // Someone else's reports are not listed.
  Created(100, 50, W::Worker("worker-2"));

  std::vector<size_t> sizes;
  std::vector<Event> listed = Reporter("worker-1", 10, &sizes);
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 10, 5}));
  std::vector<std::string> want(created.rbegin(), created.rend());
  EXPECT_EQ(IdsOf(listed), want);
  for (const Event& e : listed) EXPECT_EQ(e.reporter.subject, "worker-1");

  EXPECT_EQ(Reporter("worker-2", 10).size(), 1u);
  EXPECT_TRUE(Reporter("nobody", 10).empty());
  absl::StatusOr<Page> other_district = s().ByReporter("110101", "worker-1", {10, ""});
  ASSERT_TRUE(other_district.ok()) << other_district.status();
  EXPECT_TRUE(other_district->events.empty());
  EXPECT_TRUE(other_district->next_cursor.empty());
}

TEST_P(EventStoreContractTest, ListByReporterPagesThroughEqualCreationTimes) {
  std::set<std::string> created;
  for (int n = 0; n < 7; ++n) created.insert(Created(n, 42).id);
  std::vector<Event> listed = Reporter("worker-1", 3);
  std::vector<std::string> ids = IdsOf(listed);
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), created);
}

TEST_P(EventStoreContractTest,
       ListByReporterPagingSkipsNothingAndRepeatsNothingWhileReportsArrive) {
  std::vector<std::string> created;
  for (int n = 0; n < 15; ++n) created.push_back(Created(n, 100 + n).id);
  absl::StatusOr<Page> first = s().ByReporter(W::kDistrict, "worker-1", {10, ""});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->events.size(), 10u);
  ASSERT_FALSE(first->next_cursor.empty());
  Created(99, 500);  // a new report, newest of all, arrives between the pages
  absl::StatusOr<Page> second = s().ByReporter(W::kDistrict, "worker-1", {10, first->next_cursor});
  ASSERT_TRUE(second.ok()) << second.status();
  std::vector<std::string> ids = IdsOf(first->events);
  for (const Event& e : second->events) ids.push_back(e.id);
  std::vector<std::string> want(created.rbegin(), created.rend());
  EXPECT_EQ(ids, want);
}

TEST_P(EventStoreContractTest, ListByDepartmentPagingSkipsNothingWhileEventsLeave) {
  std::vector<Event> held;
  for (int n = 0; n < 5; ++n) held.push_back(Dispatched(Created(n, n), W::kUrban, 10 + 10 * n));
  absl::StatusOr<Page> first = s().ByDepartment(W::kDistrict, W::kUrban, {2, ""});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(IdsOf(first->events), (std::vector<std::string>{held[0].id, held[1].id}));
  // The first event is rejected between the pages.
  Move(held[0], W::Operator(W::kUrban), Reject(), 100, "reject-0");
  absl::StatusOr<Page> second = s().ByDepartment(W::kDistrict, W::kUrban, {2, first->next_cursor});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(IdsOf(second->events), (std::vector<std::string>{held[2].id, held[3].id}));
}

TEST_P(EventStoreContractTest, ListWithCursorNotIssuedByTheStoreIsInvalidArgument) {
  Created(1, 0);
  absl::StatusOr<Page> page = s().ByReporter(W::kDistrict, "worker-1", {10, "garbage"});
  EXPECT_TRUE(absl::IsInvalidArgument(page.status())) << page.status();
  page = s().ByDepartment(W::kDistrict, W::kUrban, {10, "garbage"});
  EXPECT_TRUE(absl::IsInvalidArgument(page.status())) << page.status();
}

TEST_P(EventStoreContractTest, ListByReporterShowsCurrentState) {
  Event reported = Created(1, 0);
  Event accepted = Move(reported, W::Dispatcher(), Accept(), 1, "a-1");
  std::vector<Event> listed = Reporter("worker-1", 10);
  ASSERT_EQ(listed.size(), 1u);
  ExpectSameEvent(listed[0], accepted);
}

TEST_P(EventStoreContractTest, ListByDepartmentHoldsHeldEventsOldestAssignmentFirst) {
  Event a = Created(1, 0);
  Event b = Created(2, 1);
  Event c = Created(3, 2);
  Event d = Created(4, 3);
  // Assigned in the order c, a, b (not the order of creation or of ids).
  c = Dispatched(c, W::kUrban, 10);
  a = Dispatched(a, W::kUrban, 20);
  b = Dispatched(b, W::kUrban, 30);
  d = Dispatched(d, W::kWater, 40);
  EXPECT_EQ(Department(W::kUrban).size(), 3u);

  std::vector<size_t> sizes;
  std::vector<Event> listed = Department(W::kUrban, 2, &sizes);
  EXPECT_EQ(IdsOf(listed), (std::vector<std::string>{c.id, a.id, b.id}));
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 1}));
  EXPECT_EQ(IdsOf(Department(W::kWater)), std::vector<std::string>{d.id});

  // Working on an event keeps its place; the list shows the current state.
  a = Move(a, W::Operator(W::kUrban), Claim(), 50, "claim-a");
  a = Move(a, W::Operator(W::kUrban), Progress("on site"), 51, "progress-a");
  listed = Department(W::kUrban);
  ASSERT_EQ(IdsOf(listed), (std::vector<std::string>{c.id, a.id, b.id}));
  ExpectSameEvent(listed[1], a);

  // A reject gives the event back to routing: no department holds it.
  c = Move(c, W::Operator(W::kUrban), Reject(), 60, "reject-c");
  EXPECT_EQ(c.state, EventState::kRejected);
  EXPECT_EQ(IdsOf(Department(W::kUrban)), (std::vector<std::string>{a.id, b.id}));
  EXPECT_EQ(IdsOf(Department(W::kWater)), std::vector<std::string>{d.id});

  // Dispatched again, to water: it joins the end of water's list.
  c = Move(c, W::Dispatcher(), Dispatch(W::kWater), 70, "redispatch-c");
  EXPECT_EQ(IdsOf(Department(W::kWater)), (std::vector<std::string>{d.id, c.id}));
  EXPECT_EQ(IdsOf(Department(W::kUrban)), (std::vector<std::string>{a.id, b.id}));

  // A dispatcher moves a dispatched event to another department directly.
  b = Move(b, W::Dispatcher(), Dispatch(W::kWater), 80, "move-b");
  EXPECT_EQ(IdsOf(Department(W::kUrban)), std::vector<std::string>{a.id});
  EXPECT_EQ(IdsOf(Department(W::kWater)), (std::vector<std::string>{d.id, c.id, b.id}));

  // Finished work leaves the list.
  a = Move(a, W::Operator(W::kUrban), Resolve(), 90, "resolve-a");
  EXPECT_TRUE(Department(W::kUrban).empty());
  EXPECT_TRUE(Department("nobody").empty());
}

// ---- Idempotency scope ----

TEST_P(EventStoreContractTest, IdempotencyKeysArePerSubject) {
  // Two reporters happen to use the same client request id for different reports.
  NewEvent first = MakeNew(1, 0, W::Worker("worker-1"));
  NewEvent second = MakeNew(2, 1, W::Worker("worker-2"));
  IdempotencyKey k1{"worker-1", "same-id", FingerprintOf(W::Input(1))};
  IdempotencyKey k2{"worker-2", "same-id", FingerprintOf(W::Input(2))};
  absl::StatusOr<WriteResult> r1 = s().Create(first, k1);
  absl::StatusOr<WriteResult> r2 = s().Create(second, k2);
  ASSERT_TRUE(r1.ok()) << r1.status();
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_FALSE(r1->replayed);
  EXPECT_FALSE(r2->replayed);
  EXPECT_EQ(r1->event.id, first.event.id);
  EXPECT_EQ(r2->event.id, second.event.id);
  EXPECT_TRUE(s().Get(second.event.id).ok());

  // Two dispatchers, the same request id, different events.
  Identity d1 = W::Dispatcher("dispatcher-1"), d2 = W::Dispatcher("dispatcher-2");
  TransitionOutcome o1 = Decide(first.event, d1, Accept(), 2);
  TransitionOutcome o2 = Decide(second.event, d2, Accept(), 3);
  absl::StatusOr<WriteResult> c1 = s().Commit(first.event, o1, ActKey(d1, "act-1"));
  absl::StatusOr<WriteResult> c2 = s().Commit(second.event, o2, ActKey(d2, "act-1"));
  ASSERT_TRUE(c1.ok()) << c1.status();
  ASSERT_TRUE(c2.ok()) << c2.status();
  EXPECT_FALSE(c2->replayed);
  EXPECT_EQ(c2->event.id, second.event.id);
  EXPECT_EQ(TimelineLength(first.event.id), 2u);
  EXPECT_EQ(TimelineLength(second.event.id), 2u);

  // The subject that did use the id gets a replay; the key is about the request, not
  // the event it names.
  absl::StatusOr<LoadResult> l = s().Load(second.event.id, ActKey(d1, "act-1"));
  ASSERT_TRUE(l.ok()) << l.status();
  ASSERT_TRUE(l->replay.has_value());
  EXPECT_EQ(l->replay->event.id, first.event.id);
}

// ---- org (issue 3): the triage queues and followers indexes move with each commit ----

TEST_P(EventStoreContractTest, TriageQueueHoldsEventsWaitingForADispatchCentreOldestFirst) {
  const Identity router{"router", Role::kSystem, "", ""};
  auto triage = [&](const std::string& centre) {
    return s().AllPages([&](const PageRequest& p) { return s().ByTriage(W::kDistrict, centre, p); },
                        1);
  };
  Event a = Created(1, 0);
  Event b = Created(2, 1);
  Command accept;
  accept.action = EventAction::kAccept;
  a = Move(a, router, accept, 10, "acc-a");
  b = Move(b, router, accept, 11, "acc-b");
  EXPECT_TRUE(triage("centre_1").empty());
  Command to_triage;
  to_triage.action = EventAction::kTriage;
  to_triage.triage_centre_id = "centre_1";
  to_triage.reason_code = kTriageNoRule;
  b = Move(b, router, to_triage, 20, "tri-b");
  a = Move(a, router, to_triage, 21, "tri-a");
  EXPECT_EQ(IdsOf(triage("centre_1")), (std::vector<std::string>{b.id, a.id}));
  EXPECT_TRUE(triage("centre_2").empty());
  // A recategorisation sends b back to routing; a dispatch takes a out.
  Command rec;
  rec.action = EventAction::kRecategorise;
  rec.category_code = "other";
  rec.note = "wrong category";
  b = Move(b, W::Dispatcher(), rec, 30, "rec-b");
  EXPECT_EQ(IdsOf(triage("centre_1")), std::vector<std::string>{a.id});
  a = Move(a, W::Dispatcher(), Dispatch(W::kWater), 40, "disp-a");
  EXPECT_TRUE(triage("centre_1").empty());
  absl::StatusOr<Event> stored = s().Get(b.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->previous_category_codes, std::vector<std::string>{"garbage"});
  EXPECT_EQ(stored->triage_centre_id, "");
}

TEST_P(EventStoreContractTest, FollowersOfAMasterAreListedUntilUnmerged) {
  auto followers = [&](const std::string& master) {
    return s().AllPages([&](const PageRequest& p) { return s().ByMaster(W::kDistrict, master, p); },
                        10);
  };
  Event m = Created(1, 0);
  Event f1 = Created(2, 1);
  Event f2 = Created(3, 2);
  Command merge;
  merge.action = EventAction::kMerge;
  merge.merge_into = m.id;
  f1 = Move(f1, W::Dispatcher(), merge, 10, "m1");
  f2 = Move(f2, W::Dispatcher(), merge, 11, "m2");
  EXPECT_EQ(IdsOf(followers(m.id)), (std::vector<std::string>{f1.id, f2.id}));
  EXPECT_TRUE(followers(f1.id).empty());
  Command unmerge;
  unmerge.action = EventAction::kUnmerge;
  unmerge.note = "not the same problem";
  f1 = Move(f1, W::Dispatcher(), unmerge, 20, "u1");
  EXPECT_EQ(f1.state, EventState::kAccepted);
  EXPECT_EQ(IdsOf(followers(m.id)), std::vector<std::string>{f2.id});
}

}  // namespace zhiwang::contract

#endif  // ZHIWANG_COMMON_STORE_EVENT_STORE_CONTRACT_H_
