#ifndef ZHIWANG_SERVICES_CONSOLE_QUERY_STORE_CONTRACT_H_
#define ZHIWANG_SERVICES_CONSOLE_QUERY_STORE_CONTRACT_H_

// The contract suite of the QueryStore port (query_store.h), run through the EventLister
// use case against every implementation: a generated, seeded data set written with the
// real domain code (BuildReportedEvent, ApplyCommand) through an EventStore, listed page
// by page with transitions committed between pages, and compared with a brute-force
// filter of the same events. Include from one .cc per test binary and instantiate
// QueryStoreContractTest there.

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/domain/event_store.h"
#include "common/domain/lifecycle.h"
#include "common/domain/organisation.h"
#include "common/domain/report.h"
#include "gtest/gtest.h"
#include "services/console/event_lister.h"
#include "services/console/query_store.h"

namespace zhiwang::console::contract {

// Owns a fresh, empty district: writes go through events(); the query side is store().
class QueryHarness {
 public:
  virtual ~QueryHarness() = default;
  virtual EventStore* events() = 0;
  virtual QueryStore* store() = 0;
  // Called after every successful write with the event it left (memory keeps a copy).
  virtual void Observe(const Event& event) {}
  // What zw-sla writes: the running clock of an event (none = nullopt).
  virtual void SetClock(const Event& event, std::optional<absl::Time> deadline,
                        std::optional<absl::Time> yellow_at) = 0;
  virtual void Supervise(const Event& event) = 0;
};

struct QueryContractParam {
  std::string name;
  std::function<std::unique_ptr<QueryHarness>()> make;
};
inline std::string QueryContractParamName(const ::testing::TestParamInfo<QueryContractParam>& i) {
  return i.param.name;
}
inline void PrintTo(const QueryContractParam& p, std::ostream* os) { *os << p.name; }

template <typename T>
absl::StatusOr<T> AwaitQ(const std::function<void(Done<T>)>& start) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<T>>>();
  auto future = promise->get_future();
  start([promise](absl::StatusOr<T> r) { promise->set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    return absl::DeadlineExceededError("the store never called back");
  }
  return future.get();
}

class QueryStoreContractTest : public ::testing::TestWithParam<QueryContractParam> {
 protected:
  static constexpr char kDistrict[] = "440304";

  static DistrictOrg Org() {
    DistrictOrg org;
    org.id = kDistrict;
    org.name = "Futian";
    org.streets = {{"st1", "Shatou"}, {"st2", "Xiangmihu"}};
    org.communities = {{"c1", "C1", "st1"}, {"c2", "C2", "st1"}, {"c3", "C3", "st2"}};
    org.grids = {{"g1", "G1", "c1"}, {"g2", "G2", "c2"}, {"g3", "G3", "c3"}, {"g4", "G4", "c3"}};
    org.departments = {{"urban1", "Urban st1", DepartmentLevel::kStreet, "st1"},
                       {"urban2", "Urban st2", DepartmentLevel::kStreet, "st2"},
                       {"water", "Water bureau", DepartmentLevel::kDistrict, ""}};
    org.categories = {{"garbage", "Garbage", "environment", Urgency::kNormal},
                      {"litter", "Litter", "environment", Urgency::kNormal},
                      {"pipe", "Broken pipe", "facilities", Urgency::kNormal}};
    org.routing_rules = {
        {"garbage", {"urban1", "urban2"}}, {"litter", {"urban1", "urban2"}}, {"pipe", {"water"}}};
    return org;
  }
  static absl::Time T(int s) { return absl::FromUnixSeconds(1'790'000'000) + absl::Seconds(s); }
  static Identity Admin() { return {"admin-1", Role::kAdmin, kDistrict, ""}; }
  static Identity Dispatcher() { return {"disp-1", Role::kDistrictDispatcher, kDistrict, ""}; }

  void SetUp() override {
    auto d = District::Create(Org());
    ASSERT_TRUE(d.ok()) << d.status();
    district_ = *d;
    h_ = GetParam().make();
    ASSERT_NE(h_, nullptr);
    lister_ = std::make_unique<EventLister>(h_->store());
  }

  Event Create(int n, int at) {
    static const char* kGrids[] = {"g1", "g2", "g3", "g4"};
    static const char* kCats[] = {"garbage", "litter", "pipe"};
    ReportInput in;
    in.client_request_id = absl::StrCat("r-", n);
    in.category_code = kCats[n % 3];
    in.location = Location{22.5, 114.0, kGrids[(n / 3) % 4], "Road"};
    in.description = absl::StrCat("event ", n);
    Identity who{absl::StrCat("worker-", n % 5), Role::kGridWorker, kGrids[(n / 3) % 4], ""};
    auto created = BuildReportedEvent(
        in, who, *district_, MakeEventId(kDistrict, T(at), 1000 + n * 7919 % 10007), T(at));
    EXPECT_TRUE(created.ok()) << created.status();
    auto r = AwaitQ<WriteResult>([&](Done<WriteResult> done) {
      h_->events()->Create(*created, {who.subject, in.client_request_id, FingerprintOf(in)},
                           std::move(done));
    });
    EXPECT_TRUE(r.ok()) << r.status();
    h_->Observe(created->event);
    return created->event;
  }

  Event Act(const Event& e, const Identity& who, Command c, int at) {
    auto out = ApplyCommand(e, who, c, T(at));
    EXPECT_TRUE(out.ok()) << out.status();
    if (!out.ok()) return e;
    auto r = AwaitQ<WriteResult>(
        [&](Done<WriteResult> done) { h_->events()->Commit(e, *out, {}, std::move(done)); });
    EXPECT_TRUE(r.ok()) << r.status();
    h_->Observe(out->event);
    if (!HoldingDepartment(out->event).empty()) ever_[e.id].insert(HoldingDepartment(out->event));
    return out->event;
  }

  // One step further along the happy path (or a reject/cancel for variety).
  Event Advance(const Event& e, int at, int salt) {
    Command c;
    switch (e.state) {
      case EventState::kReported:
        c.action = salt % 7 == 0 ? EventAction::kCancel : EventAction::kAccept;
        if (c.action == EventAction::kCancel) c.note = "dup";
        return Act(e, Dispatcher(), c, at);
      case EventState::kAccepted:
      case EventState::kRejected: {
        c.action = EventAction::kDispatch;
        c.department_id =
            e.category_code == "pipe" ? "water" : (e.street_id == "st1" ? "urban1" : "urban2");
        return Act(e, Dispatcher(), c, at);
      }
      case EventState::kDispatched: {
        Identity op{"op", Role::kDepartmentOperator, kDistrict, e.department_id};
        c.action = salt % 4 == 0 ? EventAction::kReject : EventAction::kClaim;
        if (c.action == EventAction::kReject) {
          c.note = "not ours";
          c.reason_code = "WRONG_DEPARTMENT";
        }
        return Act(e, op, c, at);
      }
      case EventState::kClaimed: {
        Identity op{"op", Role::kDepartmentOperator, kDistrict, e.department_id};
        c.action = EventAction::kResolve;
        c.evidence = {Attachment{"https://f/x.jpg", "image/jpeg", 1, ""}};
        return Act(e, op, c, at);
      }
      default:
        return e;
    }
  }

  // Every event, as last written.
  std::map<std::string, Event> world_;

  void Generate(int n, uint32_t seed) {
    std::mt19937 rng(seed);
    for (int i = 0; i < n; ++i) {
      Event e = Create(i, i * 60);
      int steps = static_cast<int>(rng() % 5);
      for (int s = 0; s < steps; ++s) e = Advance(e, i * 60 + 1 + s, static_cast<int>(rng()));
      world_[e.id] = e;
    }
  }

  std::set<std::string> BruteForce(const EventQuery& q, const Identity& who, absl::Time now) {
    std::set<std::string> out;
    for (const auto& [id, e] : world_) {
      // Department history is not in the event: the test keeps it (ever_).
      if (q.department_ever && !ever_[id].count(q.department_id)) continue;
      if (Matches(q, e, facts_[id], now) && CanSeeEvent(who, e)) out.insert(id);
    }
    return out;
  }

  absl::StatusOr<ListPage> List(const EventQuery& q, const Identity& who, const AreaIndexes& a,
                                int size, const std::string& token, absl::Time now) {
    return AwaitQ<ListPage>(
        [&](Done<ListPage> done) { lister_->List(q, who, a, size, token, now, std::move(done)); });
  }

  std::shared_ptr<const District> district_;
  std::unique_ptr<QueryHarness> h_;
  std::unique_ptr<EventLister> lister_;
  std::map<std::string, EventFacts> facts_;
  std::map<std::string, std::set<std::string>> ever_;
};

TEST_P(QueryStoreContractTest, PagesEqualBruteForceWhileEventsChangeBetweenPages) {
  Generate(90, 42);
  absl::Time now = T(100000);
  struct Case {
    std::string name;
    EventQuery q;
    AreaIndexes areas;
  };
  std::vector<Case> cases;
  auto base = [] {
    EventQuery q;
    q.district_id = kDistrict;
    return q;
  };
  {
    Case c{"all newest first", base(), {}};
    cases.push_back(c);
  }
  {
    Case c{"street st1 oldest first", base(), {QueryIndexKind::kStreet, std::nullopt}};
    c.q.area_id = "st1";
    c.q.sort = SortOrder::kCreatedAsc;
    cases.push_back(c);
  }
  {
    Case c{"dispatched or claimed, environment", base(), {}};
    c.q.states = {EventState::kDispatched, EventState::kClaimed};
    c.q.by_major = true;
    c.q.major_codes = {"garbage", "litter"};
    cases.push_back(c);
  }
  {
    Case c{"water ever", base(), {}};
    c.q.department_id = "water";
    c.q.department_ever = true;
    cases.push_back(c);
  }
  {
    Case c{"held by urban1, created in range", base(), {}};
    c.q.department_id = "urban1";
    c.q.created_from = T(600);
    c.q.created_to = T(4000);
    cases.push_back(c);
  }
  {
    Case c{"grid g3, category pipe, reporter", base(), {QueryIndexKind::kGrid, std::nullopt}};
    c.q.area_id = "g3";
    c.q.category_codes = {"pipe"};
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::set<std::string> before = BruteForce(c.q, Admin(), now);
    // The events that match at every moment of the walk: each must be listed once.
    std::set<std::string> kept = before;
    std::vector<std::string> got;
    std::string token;
    int page = 0;
    std::mt19937 rng(7);
    for (; page < 100; ++page) {
      auto p = List(c.q, Admin(), c.areas, 7, token, now);
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_LE(p->items.size(), 7u);
      for (const ListedItem& item : p->items) {
        got.push_back(item.event.id);
        EXPECT_TRUE(Matches(c.q, item.event, item.facts, now)) << item.event.id;
      }
      // Between pages: move a few events one step on.
      for (int k = 0; k < 3; ++k) {
        auto it = std::next(world_.begin(), rng() % world_.size());
        Event moved = Advance(it->second, 200000 + page * 10 + k, static_cast<int>(rng()));
        it->second = moved;
      }
      std::set<std::string> matching = BruteForce(c.q, Admin(), now);
      for (auto k = kept.begin(); k != kept.end();)
        k = matching.count(*k) ? std::next(k) : kept.erase(k);
      if (p->next_page_token.empty()) break;
      token = p->next_page_token;
    }
    ASSERT_LT(page, 100) << "paging never ended";
    std::set<std::string> unique(got.begin(), got.end());
    EXPECT_EQ(unique.size(), got.size()) << "an event was listed twice";
    for (const std::string& id : kept) EXPECT_TRUE(unique.count(id)) << "skipped " << id;
    EXPECT_FALSE(kept.empty());
  }
}

TEST_P(QueryStoreContractTest, ResultsAreOrderedByTheSortAndLimitedToTheCallersScope) {
  Generate(40, 9);
  absl::Time now = T(100000);
  EventQuery q;
  q.district_id = kDistrict;
  q.sort = SortOrder::kCreatedAsc;
  Identity worker{"worker-2", Role::kGridWorker, "g1", ""};
  std::vector<std::string> got;
  std::string token;
  for (int i = 0; i < 50; ++i) {
    auto p = List(q, worker, {}, 3, token, now);
    ASSERT_TRUE(p.ok()) << p.status();
    for (const ListedItem& item : p->items) {
      EXPECT_EQ(item.event.reporter.subject, "worker-2");
      if (!got.empty()) {
        EXPECT_LE(world_.at(got.back()).created_at, item.event.created_at);
      }
      got.push_back(item.event.id);
    }
    if (p->next_page_token.empty()) break;
    token = p->next_page_token;
  }
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), BruteForce(q, worker, now));
  EXPECT_EQ(got.size(), 8u);  // events 2, 7, 12, … 37 were reported by worker-2
}

TEST_P(QueryStoreContractTest, LightsFollowTheClockAndDeadlineSortListsEarliestFirst) {
  Generate(12, 3);
  absl::Time now = T(50000);
  int i = 0;
  for (auto& [id, e] : world_) {
    if (IsTerminal(e.state)) continue;
    // deadlines around `now`: some red, some yellow, some green
    absl::Time deadline = now + absl::Seconds((i % 3 - 1) * 1000 + i);
    absl::Time yellow = deadline - absl::Seconds(500);
    h_->SetClock(e, deadline, yellow);
    facts_[id].deadline = deadline;
    facts_[id].yellow_at = yellow;
    ++i;
  }
  EventQuery q;
  q.district_id = kDistrict;
  q.sort = SortOrder::kDeadlineAsc;
  for (Light l : {Light::kRed, Light::kYellow, Light::kGreen}) {
    q.lights = {l};
    auto p = List(q, Admin(), {}, 200, "", now);
    ASSERT_TRUE(p.ok()) << p.status();
    std::set<std::string> ids;
    absl::Time last = absl::InfinitePast();
    for (const ListedItem& item : p->items) {
      EXPECT_EQ(LightAt(item.facts, now), l);
      EXPECT_LE(last, *item.facts.deadline);
      last = *item.facts.deadline;
      ids.insert(item.event.id);
    }
    EXPECT_EQ(ids, BruteForce(q, Admin(), now)) << static_cast<int>(l);
    EXPECT_FALSE(ids.empty()) << static_cast<int>(l);
  }
}

TEST_P(QueryStoreContractTest, SupervisedFilterUsesTheSupervisionIndex) {
  Generate(10, 5);
  int n = 0;
  for (auto& [id, e] : world_) {
    if (n++ % 3 != 0) continue;
    h_->Supervise(e);
    facts_[id].supervised = true;
  }
  EventQuery q;
  q.district_id = kDistrict;
  q.supervised = Tristate::kYes;
  auto p = List(q, Admin(), {}, 50, "", T(0));
  ASSERT_TRUE(p.ok()) << p.status();
  std::set<std::string> ids;
  for (const ListedItem& item : p->items) ids.insert(item.event.id);
  EXPECT_EQ(ids, BruteForce(q, Admin(), T(0)));
  EXPECT_EQ(ids.size(), 4u);
}

TEST_P(QueryStoreContractTest, BoardCountsStatesPerStreetAndDepartment) {
  Generate(30, 11);
  absl::Time now = T(100000);
  auto b = AwaitQ<BoardSnapshot>(
      [&](Done<BoardSnapshot> done) { h_->store()->Board(kDistrict, now, std::move(done)); });
  ASSERT_TRUE(b.ok()) << b.status();
  std::map<std::string, int64_t> want, got;
  for (const auto& [id, e] : world_) {
    ++want[absl::StrCat("all|", static_cast<int>(e.state))];
    ++want[absl::StrCat("street|", e.street_id, "|", static_cast<int>(e.state))];
    if (!HoldingDepartment(e).empty()) {
      ++want[absl::StrCat("dep|", HoldingDepartment(e), "|", static_cast<int>(e.state))];
    }
  }
  for (const BoardCell& c : b->district.cells) {
    got[absl::StrCat("all|", static_cast<int>(c.state))] += c.total;
    EXPECT_EQ(c.green + c.yellow + c.red, c.total);
  }
  for (const BoardRow& r : b->streets) {
    for (const BoardCell& c : r.cells)
      got[absl::StrCat("street|", r.id, "|", static_cast<int>(c.state))] += c.total;
  }
  for (const BoardRow& r : b->departments) {
    for (const BoardCell& c : r.cells)
      got[absl::StrCat("dep|", r.id, "|", static_cast<int>(c.state))] += c.total;
  }
  EXPECT_EQ(got, want);
  EXPECT_NE(b->feed_cursor, "0-0");
}

TEST_P(QueryStoreContractTest, BadPageSizeOrTokenIsInvalidArgumentNamingTheField) {
  EventQuery q;
  q.district_id = kDistrict;
  auto big = List(q, Admin(), {}, 201, "", T(0));
  EXPECT_EQ(big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(big.status().message().find("page_size"), std::string::npos);
  auto junk = List(q, Admin(), {}, 10, "not-a-token!", T(0));
  EXPECT_EQ(junk.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(junk.status().message().find("page_token"), std::string::npos);
  // A token of another query is refused too.
  std::string other = EncodeCursor({1, "x"}, QueryFingerprint(q) + 1);
  auto foreign = List(q, Admin(), {}, 10, other, T(0));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace zhiwang::console::contract

#endif  // ZHIWANG_SERVICES_CONSOLE_QUERY_STORE_CONTRACT_H_
