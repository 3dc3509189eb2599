// The EventStore contract suite (common/store/event_store_contract.h) against
// RedisEventStore on a private redis-server, plus what only Redis shows: atomic
// optimistic concurrency under real concurrency, durability across a restart (AOF), and
// the work-queue streams the write scripts feed.
//
// One server for the whole binary (started by a global test environment on the main
// thread, which outlives it); every test starts from FLUSHALL with a fresh client.

#include "common/redis/redis_event_store.h"

#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/store/event_store_contract.h"
#include "common/testing/redis_environment.h"
#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace zhiwang::contract {
namespace {

using redis::RedisClient;
using redis::RedisEventStore;
using redis::RedisReply;
using zhiwang::testing::RedisEnvironment;
using zhiwang::testing::RedisServer;

const ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

class RedisHarness final : public EventStoreHarness {
 public:
  static std::unique_ptr<EventStoreHarness> Make() {
    RedisServer* server = RedisEnvironment::server();
    if (server == nullptr) {
      ADD_FAILURE() << "no redis-server";
      return nullptr;
    }
    if (absl::Status s = server->Flush(); !s.ok()) {
      ADD_FAILURE() << s;
      return nullptr;
    }
    redis::RedisOptions options;
    options.port = server->port();
    absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Connect(options);
    if (!client.ok()) {
      ADD_FAILURE() << client.status();
      return nullptr;
    }
    return std::unique_ptr<EventStoreHarness>(new RedisHarness(*std::move(client)));
  }
  EventStore* store() override { return &store_; }
  RedisClient* client() { return client_.get(); }

 private:
  explicit RedisHarness(std::unique_ptr<RedisClient> client)
      : client_(std::move(client)), store_(client_.get()) {}
  std::unique_ptr<RedisClient> client_;
  RedisEventStore store_;
};

EventStoreContractParam RedisParam() { return {"Redis", &RedisHarness::Make}; }

INSTANTIATE_TEST_SUITE_P(Redis, EventStoreContractTest, ::testing::Values(RedisParam()),
                         EventStoreContractParamName);

// ---- Redis only ----

class RedisEventStoreTest : public EventStoreContractTest {
 protected:
  RedisClient* client() { return static_cast<RedisHarness*>(harness_.get())->client(); }

  // The entries of a stream, as (event id, version) pairs.
  std::vector<std::pair<std::string, std::string>> Stream(const std::string& key) {
    absl::StatusOr<RedisReply> r = client()->Call({"XRANGE", key, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::pair<std::string, std::string>> out;
    if (!r.ok()) return out;
    EXPECT_EQ(r->type, RedisReply::Type::kArray) << r->str;
    for (const RedisReply& entry : r->elements) {
      // [id, [field, value, field, value...]]
      if (entry.elements.size() != 2) {
        ADD_FAILURE() << "unexpected stream entry shape";
        continue;
      }
      std::string e, v;
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "e") e = fields[i + 1].str;
        if (fields[i].str == "v") v = fields[i + 1].str;
      }
      out.emplace_back(e, v);
    }
    return out;
  }
};

INSTANTIATE_TEST_SUITE_P(Redis, RedisEventStoreTest, ::testing::Values(RedisParam()),
                         EventStoreContractParamName);

TEST_P(RedisEventStoreTest, ConcurrentCommitsFromSameVersionExactlyOneWins) {
  constexpr int kWriters = 8;
  Event reported = Created(1, 0);

  // Every writer read version 1 and decided on it; they commit at the same moment.
  std::vector<TransitionOutcome> outcomes;
  std::vector<IdempotencyKey> keys;
  for (int i = 0; i < kWriters; ++i) {
    Identity who = W::Dispatcher(absl::StrCat("dispatcher-", i));
    Command c = i % 2 == 0 ? Accept()
                           : Cmd(EventAction::kNotAccept, [](Command& c) { c.note = "duplicate"; });
    outcomes.push_back(Decide(reported, who, c, 10 + i));
    keys.push_back(ActKey(who, absl::StrCat("race-", i)));
  }
  std::vector<absl::StatusOr<WriteResult>> results(kWriters, absl::UnknownError("not run"));
  std::latch start(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = Await<WriteResult>([&](Done<WriteResult> done) {
        harness_->store()->Commit(reported, outcomes[i], keys[i], std::move(done));
      });
    });
  }
  for (std::thread& t : threads) t.join();

  int winners = 0, aborted = 0, winner = -1;
  for (int i = 0; i < kWriters; ++i) {
    if (results[i].ok()) {
      ++winners;
      winner = i;
      EXPECT_FALSE(results[i]->replayed);
    } else if (absl::IsAborted(results[i].status())) {
      ++aborted;
    } else {
      ADD_FAILURE() << "writer " << i << ": " << results[i].status();
    }
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(aborted, kWriters - 1);
  ASSERT_GE(winner, 0);
  EXPECT_EQ(TimelineLength(reported.id), 2u);
  absl::StatusOr<Event> got = s().Get(reported.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, outcomes[winner].event);
  absl::StatusOr<std::vector<TimelineEntry>> timeline = s().Timeline(reported.id);
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  EXPECT_EQ(timeline->back().actor_subject, keys[winner].subject);

  // Losers' request ids were not remembered: each may decide again.
  for (int i = 0; i < kWriters; ++i) {
    if (i == winner) continue;
    absl::StatusOr<LoadResult> l = s().Load(reported.id, keys[i]);
    ASSERT_TRUE(l.ok()) << l.status();
    EXPECT_FALSE(l->replay.has_value()) << "writer " << i;
  }
}

TEST_P(RedisEventStoreTest, AcknowledgedCreateSurvivesRestart) {
  NewEvent created = MakeNew(1, 0);
  ASSERT_TRUE(s().Create(created, CreateKey(1)).ok());
  Event accepted = Move(created.event, W::Dispatcher(), Accept(), 1, "a-1");

  ASSERT_TRUE(RedisEnvironment::server()->Restart().ok());

  absl::StatusOr<Event> got = s().Get(created.event.id);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectSameEvent(*got, accepted);
  EXPECT_EQ(TimelineLength(created.event.id), 2u);
  // The request records survived too: retries still replay.
  absl::StatusOr<WriteResult> retry = s().Create(created, CreateKey(1));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(Reporter("worker-1", 10).size(), 1u);
  // And the scripts are loaded again (EVALSHA falls back to EVAL) for new writes.
  Event dispatched = Move(accepted, W::Dispatcher(), Dispatch(W::kUrban), 2, "d-1");
  EXPECT_EQ(IdsOf(Department(W::kUrban)), std::vector<std::string>{dispatched.id});
}

TEST_P(RedisEventStoreTest, WritesFeedTheRouterAndDepartmentQueues) {
  using Items = std::vector<std::pair<std::string, std::string>>;
  const std::string router = redis::keys::RouterQueue(W::kDistrict);
  const std::string urban = redis::keys::DepartmentQueue(W::kDistrict, W::kUrban);
  const std::string water = redis::keys::DepartmentQueue(W::kDistrict, W::kWater);

  Event a = Created(1, 0);
  Event b = Created(2, 1);
  EXPECT_EQ(Stream(router), (Items{{a.id, "1"}, {b.id, "1"}}));
  // A replayed or refused create queues nothing.
  ASSERT_TRUE(s().Create(MakeNew(1, 0), CreateKey(1)).ok());
  EXPECT_EQ(Stream(router).size(), 2u);

  a = Move(a, W::Dispatcher(), Accept(), 10, "accept-a");  // accepted: no queue
  EXPECT_EQ(Stream(router).size(), 2u);
  EXPECT_TRUE(Stream(urban).empty());
  a = Move(a, W::Dispatcher(), Dispatch(W::kUrban), 11, "dispatch-a");
  EXPECT_EQ(Stream(urban), (Items{{a.id, "3"}}));

  a = Move(a, W::Operator(W::kUrban), Reject(), 12, "reject-a");
  EXPECT_EQ(Stream(router), (Items{{a.id, "1"}, {b.id, "1"}, {a.id, "4"}}));
  EXPECT_EQ(Stream(urban).size(), 1u);

  a = Move(a, W::Dispatcher(), Dispatch(W::kWater), 13, "dispatch-a-water");
  EXPECT_EQ(Stream(water), (Items{{a.id, "5"}}));
  a = Move(a, W::Operator(W::kWater), Claim(), 14, "claim-a");  // claimed: no queue
  EXPECT_EQ(Stream(water).size(), 1u);
  EXPECT_EQ(Stream(router).size(), 3u);

  // Several steps in one write queue once, for the final state.
  TransitionOutcome accept = Decide(b, W::Dispatcher(), Accept(), 20);
  TransitionOutcome dispatch = Decide(accept.event, W::Dispatcher(), Dispatch(W::kUrban), 20);
  ASSERT_TRUE(s().CommitSteps(b, {accept, dispatch}, ActKey(W::Dispatcher(), "route-b")).ok());
  EXPECT_EQ(Stream(urban), (Items{{a.id, "3"}, {b.id, "3"}}));
  EXPECT_EQ(Stream(router).size(), 3u);
}

// --- sla: the change feed (docs/sla.md) ---
TEST_P(RedisEventStoreTest, EveryCommittedWriteAppendsOneChangeFeedEntry) {
  const std::string feed = redis::keys::ChangeFeed(W::kDistrict);
  // Each entry as "e v s a", and its t field.
  auto entries = [&] {
    std::vector<std::string> out;
    absl::StatusOr<RedisReply> r = client()->Call({"XRANGE", feed, "-", "+"});
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return out;
    for (const RedisReply& entry : r->elements) {
      std::map<std::string, std::string> f;
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) f[fields[i].str] = fields[i + 1].str;
      EXPECT_FALSE(f["t"].empty());
      out.push_back(absl::StrCat(f["e"], " ", f["v"], " ", f["s"], " ", f["a"]));
    }
    return out;
  };
  auto state = [](EventState s) { return static_cast<int>(s); };
  auto action = [](EventAction a) { return static_cast<int>(a); };
  Event a = Created(1, 0);
  ASSERT_TRUE(s().Create(MakeNew(1, 0), CreateKey(1)).ok());  // a replay appends nothing
  Event stale = a;
  TransitionOutcome accept = Decide(a, W::Dispatcher(), Accept(), 10);
  TransitionOutcome dispatch = Decide(accept.event, W::Dispatcher(), Dispatch(W::kUrban), 10);
  ASSERT_TRUE(s().CommitSteps(a, {accept, dispatch}, ActKey(W::Dispatcher(), "route-a")).ok());
  // A refused write (stale version) appends nothing either.
  EXPECT_FALSE(s().CommitSteps(stale, {accept}, ActKey(W::Dispatcher(), "again")).ok());
  EXPECT_EQ(entries(),
            (std::vector<std::string>{absl::StrCat(a.id, " 1 ", state(EventState::kReported), " ",
                                                   action(EventAction::kReport)),
                                      absl::StrCat(a.id, " 3 ", state(EventState::kDispatched), " ",
                                                   action(EventAction::kDispatch))}));
}
// --- end sla ---

// ---- query (issue 6): the console's indexes move inside the write scripts.

TEST_P(RedisEventStoreTest, CreateIndexesByCreationTimeStateAreaCategoryAndCounts) {
  Event a = Created(1, 5);
  const std::string d = W::kDistrict;
  auto score = [&](const std::string& key) -> std::string {
    absl::StatusOr<RedisReply> r = client()->Call({"ZSCORE", key, a.id});
    EXPECT_TRUE(r.ok());
    return r.ok() && !r->is_nil() ? r->str : "nil";
  };
  std::string created = absl::StrCat(absl::ToUnixMillis(W::T(5)));
  EXPECT_EQ(score(redis::keys::EventsByCreation(d)), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "st", "1")), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "street", "st1")), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "comm", "c1")), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "grid", a.location.grid_id)), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "cat", "garbage")), created);
  EXPECT_EQ(score(redis::keys::EventsByClosure(d)), "nil");
  absl::StatusOr<RedisReply> n =
      client()->Call({"HGET", redis::keys::QueryCounters(d, "street"), "st1|1"});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->str, "1");
}

TEST_P(RedisEventStoreTest, TransitionsMoveStateDepartmentIndexesAndClosureFollowsTerminal) {
  const std::string d = W::kDistrict;
  auto score = [&](const std::string& key, const std::string& id) -> std::string {
    absl::StatusOr<RedisReply> r = client()->Call({"ZSCORE", key, id});
    EXPECT_TRUE(r.ok());
    return r.ok() && !r->is_nil() ? r->str : "nil";
  };
  auto counter = [&](const std::string& scope, const std::string& field) -> std::string {
    absl::StatusOr<RedisReply> r =
        client()->Call({"HGET", redis::keys::QueryCounters(d, scope), field});
    EXPECT_TRUE(r.ok());
    return r.ok() && !r->is_nil() ? r->str : "nil";
  };
  Event a = Created(1, 0);
  std::string created = absl::StrCat(absl::ToUnixMillis(W::T(0)));
  Event held = Dispatched(a, W::kUrban, 10);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "st", "1"), a.id), "nil");
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "st", "3"), a.id), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "dep", W::kUrban), a.id), created);
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "depever", W::kUrban), a.id), created);
  EXPECT_EQ(counter("dep", absl::StrCat(W::kUrban, "|3")), "1");
  EXPECT_EQ(counter("all", "1"), "0");
  EXPECT_EQ(counter("all", "3"), "1");
  Event rejected = Move(held, W::Operator(W::kUrban), Reject(), 20, "reject-1");
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "dep", W::kUrban), a.id), "nil");
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "depever", W::kUrban), a.id), created);
  EXPECT_EQ(counter("dep", absl::StrCat(W::kUrban, "|3")), "0");

  // A merge is terminal: the event enters the closure index at that moment, and leaves it
  // when the merge is undone.
  Event master = Created(2, 1);
  Event merged =
      Move(rejected, W::Dispatcher(),
           Cmd(EventAction::kMerge, [&](Command& c) { c.merge_into = master.id; }), 30, "merge-1");
  ASSERT_EQ(merged.state, EventState::kMerged);
  EXPECT_EQ(score(redis::keys::EventsByClosure(d), a.id),
            absl::StrCat(absl::ToUnixMillis(W::T(30))));
  EXPECT_EQ(score(redis::keys::QueryIndex(d, "st", "16"), a.id), created);
  Event back = Move(merged, W::Dispatcher(),
                    Cmd(EventAction::kUnmerge, [](Command& c) { c.note = "not a duplicate"; }), 40,
                    "unmerge-1");
  ASSERT_EQ(back.state, EventState::kAccepted);
  EXPECT_EQ(score(redis::keys::EventsByClosure(d), a.id), "nil");
  EXPECT_EQ(score(redis::keys::EventsByCreation(d), a.id), created);
  EXPECT_EQ(counter("all", "16"), "0");
  EXPECT_EQ(counter("all", "2"), "1");
}

TEST_P(RedisEventStoreTest, EventWrittenBeforeTheIndexesIsIndexedAndCountedByItsNextWrite) {
  const std::string d = W::kDistrict;
  Event a = Created(1, 0);
  // Simulate an event stored before issue 6: no index entries, no counters.
  ASSERT_TRUE(
      client()
          ->Call({"DEL", redis::keys::EventsByCreation(d), redis::keys::QueryIndex(d, "st", "1"),
                  redis::keys::QueryCounters(d, "all"), redis::keys::QueryCounters(d, "street")})
          .ok());
  Move(a, W::Dispatcher(), Accept(), 10, "accept-old");
  absl::StatusOr<RedisReply> all =
      client()->Call({"HGETALL", redis::keys::QueryCounters(d, "all")});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->elements.size(), 2u);  // only "2" → 1: nothing went negative
  EXPECT_EQ(all->elements[0].str, "2");
  EXPECT_EQ(all->elements[1].str, "1");
  absl::StatusOr<RedisReply> street =
      client()->Call({"HGET", redis::keys::QueryCounters(d, "street"), "st1|2"});
  ASSERT_TRUE(street.ok());
  EXPECT_EQ(street->str, "1");
  absl::StatusOr<RedisReply> created =
      client()->Call({"ZSCORE", redis::keys::EventsByCreation(d), a.id});
  ASSERT_TRUE(created.ok());
  EXPECT_FALSE(created->is_nil());
}
// ---- end query

}  // namespace
}  // namespace zhiwang::contract
