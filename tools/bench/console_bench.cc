// zw-console-bench: figures for the console's search (issue 6, docs/console.md) on a
// private redis-server holding --events events (default 1,000,000).
//
//   build/tools/bench/zw-console-bench [--events=1000000] [--queries=2000]
//                                      [--load_seconds=900] [--in_flight=2000]
//
// Loading: every event is created by the real create_event.lua and moved on by the real
// transition.lua (RedisEventStore, pipelined, at most --in_flight writes outstanding),
// spread over the 12 months before `now`: ~82 % closed (accept … close in one CommitSteps),
// ~4 % not accepted or cancelled, ~14 % open (created in the last 30 days; dispatched,
// claimed or in progress). For open events the light indexes are written where zw-sla's
// sla_arm.lua writes them (same keys; deadlines 2 h … 10 days after creation, so some
// are overdue). Bounded by --events and --load_seconds.
//
// Then measures p50/p99 (in-process EventLister over RedisQueryStore, the code behind
// QueryService.ListEvents, without the gRPC hop) of
//   (a) overdue events of one department (red, by deadline, first page of 50);
//   (b) open events of one street by light (green, yellow, red: three lists of 50) and
//       the board of the district (GetBoard's one Lua script);
// and, in the same run, a single raw ZRANGEBYSCORE (LIMIT 50) p99, printing ratios.
// No assertions: a tool that prints figures.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/domain/lifecycle.h"
#include "common/domain/organisation.h"
#include "common/domain/report.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/testing/redis_server.h"
#include "services/console/evaluation_bench.h"
#include "services/console/evaluation_period.h"
#include "services/console/event_lister.h"
#include "services/console/redis_evaluation_source.h"
#include "services/console/redis_query_store.h"
#include "services/sla/sla_config_loader.h"

ABSL_FLAG(int, events, 1000000, "events to load");
ABSL_FLAG(int, queries, 2000, "runs of each measured query");
ABSL_FLAG(int, load_seconds, 900, "stop loading after this long, whatever is loaded");
ABSL_FLAG(int, in_flight, 2000, "outstanding writes while loading");
ABSL_FLAG(int, evaluation_runs, 5, "uncached runs of (c), the month's evaluation (cached: 40x)");
ABSL_FLAG(std::string, sla_policies, ZW_DEFAULT_SLA_POLICIES,
          "SLA policy file the evaluation (c) replays timelines with (any district)");

namespace zhiwang::console {
namespace {

constexpr char kDistrict[] = "440399";
constexpr int kStreets = 6, kCommunities = 4, kGrids = 5, kDepsPerStreet = 5;

DistrictOrg Org() {
  DistrictOrg org;
  org.id = kDistrict;
  org.name = "Bench";
  for (int s = 0; s < kStreets; ++s) {
    std::string street = absl::StrCat(kDistrict, "00", s);
    org.streets.push_back({street, street});
    for (int c = 0; c < kCommunities; ++c) {
      std::string comm = absl::StrCat(street, "00", c);
      org.communities.push_back({comm, comm, street});
      for (int g = 0; g < kGrids; ++g) {
        std::string grid = absl::StrCat(comm, "00", g);
        org.grids.push_back({grid, grid, comm});
      }
    }
    for (int d = 0; d < kDepsPerStreet; ++d) {
      org.departments.push_back(
          {absl::StrCat(street, "_d", d), "dep", DepartmentLevel::kStreet, street});
    }
  }
  for (int k = 0; k < 12; ++k) {
    std::string code = absl::StrCat("c", k);
    org.categories.push_back({code, code, absl::StrCat("major", k % 3), Urgency::kNormal});
  }
  return org;
}

struct Stats {
  double p50_ms = 0, p99_ms = 0;
};
Stats Of(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

template <typename T>
absl::StatusOr<T> Await(const std::function<void(Done<T>)>& start) {
  auto p = std::make_shared<std::promise<absl::StatusOr<T>>>();
  auto f = p->get_future();
  start([p](absl::StatusOr<T> r) { p->set_value(std::move(r)); });
  return f.get();
}

class Loader {
 public:
  Loader(redis::RedisClient* c, const District& d, absl::Time now)
      : client_(c), store_(c), district_(d), now_(now) {}

  // Loads up to `n` events within `budget`; returns how many were loaded.
  int64_t Load(int64_t n, absl::Duration budget, int in_flight) {
    absl::Time stop = absl::Now() + budget;
    std::mt19937_64 rng(20261127);
    for (int64_t i = 0; i < n; ++i) {
      if (absl::Now() > stop) break;
      {
        absl::MutexLock lock(&mu_);
        limit_ = in_flight;
        mu_.Await(absl::Condition(this, &Loader::HasRoom));
        ++outstanding_;
      }
      One(i, rng());
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Loader::Idle));
    return loaded_;
  }
  int64_t errors() {
    absl::MutexLock lock(&mu_);
    return errors_;
  }

 private:
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return outstanding_ < limit_; }
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return outstanding_ == 0; }
  void Done(bool ok) {
    absl::MutexLock lock(&mu_);
    --outstanding_;
    if (ok) {
      ++loaded_;
    } else {
      ++errors_;
    }
  }

  void One(int64_t i, uint64_t r) {
    const DistrictOrg& org = district_.org();
    const GridInfo& grid = org.grids[r % org.grids.size()];
    int fate = static_cast<int>((r >> 20) % 100);
    bool open = fate < 14;
    absl::Duration age =
        open ? absl::Seconds((r >> 28) % (30 * 86400)) : absl::Seconds((r >> 28) % (365 * 86400));
    absl::Time created = now_ - age;
    ReportInput in;
    in.client_request_id = absl::StrCat("b", i);
    in.category_code = org.categories[(r >> 8) % org.categories.size()].code;
    in.location = Location{22.5, 114.0, grid.id, "Road"};
    in.description = "bench event";
    Identity worker{absl::StrCat("worker-", (r >> 40) % 500), Role::kGridWorker, grid.id, ""};
    absl::StatusOr<NewEvent> ev =
        BuildReportedEvent(in, worker, district_, MakeEventId(kDistrict, created, i), created);
    if (!ev.ok()) return Done(false);
    // The steps after the report, decided now with the domain's own rules.
    std::vector<TransitionOutcome> steps;
    Event cur = ev->event;
    Identity disp{"disp", Role::kDistrictDispatcher, kDistrict, ""};
    std::string street = cur.street_id;
    std::string dep = absl::StrCat(street, "_d", (r >> 50) % kDepsPerStreet);
    Identity op{"op", Role::kDepartmentOperator, kDistrict, dep};
    absl::Time t = created;
    auto step = [&](const Identity& who, Command c) {
      t += absl::Minutes(10 + static_cast<int>((r >> 12) % 300));
      absl::StatusOr<TransitionOutcome> out = ApplyCommand(cur, who, c, std::min(t, now_));
      if (!out.ok()) return false;
      cur = out->event;
      steps.push_back(*std::move(out));
      return true;
    };
    auto cmd = [](EventAction a) {
      Command c;
      c.action = a;
      return c;
    };
    if (fate >= 14 && fate < 18) {  // not accepted or cancelled
      Command c = cmd(fate % 2 ? EventAction::kNotAccept : EventAction::kCancel);
      c.note = "not a case";
      step(disp, c);
    } else {
      step(disp, cmd(EventAction::kAccept));
      Command d = cmd(EventAction::kDispatch);
      d.department_id = dep;
      step(disp, d);
      int depth = open ? static_cast<int>((r >> 33) % 3) : 4;
      if (depth >= 1) step(op, cmd(EventAction::kClaim));
      if (depth >= 2) {
        Command p = cmd(EventAction::kAddProgress);
        p.note = "on it";
        step(op, p);
      }
      if (depth >= 4) {
        Command res = cmd(EventAction::kResolve);
        res.evidence = {Attachment{"media://x.jpg", "image/jpeg", 1, ""}};
        step(op, res);
        step(disp, cmd(EventAction::kVerifyPass));
        step(disp, cmd(EventAction::kClose));
      }
    }
    Event before = ev->event;
    Event after = cur;
    absl::Duration limit = absl::Hours(2) + absl::Seconds((r >> 7) % (10 * 86400));
    store_.Create(*ev, {worker.subject, in.client_request_id, FingerprintOf(in)},
                  [this, before, after, steps, open, limit](absl::StatusOr<WriteResult> w) {
                    if (!w.ok()) return Done(false);
                    if (steps.empty()) return Done(true);
                    store_.CommitSteps(before, steps, {},
                                       [this, after, open, limit](absl::StatusOr<WriteResult> c) {
                                         if (c.ok() && open) Arm(after, limit);
                                         Done(c.ok());
                                       });
                  });
  }

  // The light indexes as sla_arm.lua leaves them for a running clock.
  void Arm(const Event& e, absl::Duration limit) {
    absl::Time deadline = e.updated_at + limit;
    absl::Time yellow = e.updated_at + limit * 0.8;
    std::string dl = absl::StrCat(absl::ToUnixMillis(deadline));
    std::string yl = absl::StrCat(absl::ToUnixMillis(yellow));
    for (auto [scope, value] : {std::pair<std::string, std::string>{"", ""},
                                {"street", e.street_id},
                                {"dep", e.department_id}}) {
      int state = static_cast<int>(e.state);
      for (auto [which, score] : {std::pair<const char*, std::string>{"dl", dl}, {"yl", yl}}) {
        client_->Send(
            {"ZADD", redis::keys::LightIndex(kDistrict, which, scope, value), score, e.id},
            [](absl::StatusOr<redis::RedisReply>) {});
        client_->Send(
            {"ZADD", redis::keys::LightIndexByState(kDistrict, which, scope, value, state), score,
             e.id},
            [](absl::StatusOr<redis::RedisReply>) {});
      }
    }
  }

  redis::RedisClient* client_;
  redis::RedisEventStore store_;
  const District& district_;
  absl::Time now_;
  absl::Mutex mu_;
  int outstanding_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t loaded_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
  int limit_ ABSL_GUARDED_BY(mu_) = 1;
};

int64_t UsedMemory(redis::RedisClient* c) {
  absl::StatusOr<redis::RedisReply> info = c->Call({"INFO", "memory"});
  if (!info.ok()) return 0;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    if (absl::ConsumePrefix(&line, "used_memory:")) {
      int64_t v = 0;
      if (absl::SimpleAtoi(line, &v)) return v;
    }
  }
  return 0;
}

double Ms(absl::Time start) { return absl::ToDoubleMilliseconds(absl::Now() - start); }

int Main() {
  auto server = testing::RedisServer::Start();
  if (!server.ok()) {
    std::fprintf(stderr, "redis-server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  auto client = redis::RedisClient::Connect({.host = "127.0.0.1",
                                             .port = (*server)->port(),
                                             .command_timeout = absl::Seconds(60),
                                             .connections = 2});
  if (!client.ok()) return 1;
  redis::RedisClient* c = client->get();
  (void)c->Call({"CONFIG", "SET", "appendonly", "no"});  // measure Redis, not the disk
  auto district = District::Create(Org());
  if (!district.ok()) {
    std::fprintf(stderr, "%s\n", district.status().ToString().c_str());
    return 1;
  }
  const absl::Time now = absl::Now();
  int64_t mem0 = UsedMemory(c);
  Loader loader(c, **district, now);
  absl::Time t0 = absl::Now();
  int64_t loaded =
      loader.Load(absl::GetFlag(FLAGS_events), absl::Seconds(absl::GetFlag(FLAGS_load_seconds)),
                  absl::GetFlag(FLAGS_in_flight));
  double load_s = absl::ToDoubleSeconds(absl::Now() - t0);
  int64_t mem1 = UsedMemory(c);
  std::printf(
      "loaded %lld events (%lld failed) in %.1f s (%.0f events/s, create + one "
      "CommitSteps each)\n",
      static_cast<long long>(loaded), static_cast<long long>(loader.errors()), load_s,
      loaded / load_s);
  std::printf("redis used_memory: %.1f MiB (%.0f bytes per event)\n", (mem1 - mem0) / 1048576.0,
              loaded ? double(mem1 - mem0) / loaded : 0.0);
  auto count = [&](const std::string& key) {
    absl::StatusOr<redis::RedisReply> r = c->Call({"ZCARD", key});
    return r.ok() ? r->integer : -1;
  };
  const std::string street = absl::StrCat(kDistrict, "002");
  const std::string dep = absl::StrCat(street, "_d1");
  std::printf(
      "open events with a clock: %lld in the district, %lld of street %s, %lld of "
      "department %s; settled (IsSettled, the closure index): %lld\n",
      static_cast<long long>(count(redis::keys::LightIndex(kDistrict, "dl", "", ""))),
      static_cast<long long>(count(redis::keys::LightIndex(kDistrict, "dl", "street", street))),
      street.c_str(),
      static_cast<long long>(count(redis::keys::LightIndex(kDistrict, "dl", "dep", dep))),
      dep.c_str(), static_cast<long long>(count(redis::keys::EventsByClosure(kDistrict))));

  RedisQueryStore queries(c);
  EventLister lister(&queries);
  Identity admin{"bench", Role::kAdmin, kDistrict, ""};
  const int runs = absl::GetFlag(FLAGS_queries);
  size_t last_size = 0;
  auto measure = [&](const EventQuery& q) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      absl::Time s = absl::Now();
      absl::StatusOr<ListPage> page = Await<ListPage>([&](zhiwang::Done<ListPage> done) {
        lister.List(q, admin, {}, 50, "", now, std::move(done));
      });
      ms.push_back(Ms(s));
      if (!page.ok()) {
        std::fprintf(stderr, "list: %s\n", page.status().ToString().c_str());
        return Stats{};
      }
      last_size = page->items.size();
    }
    return Of(ms);
  };
  EventQuery overdue;
  overdue.district_id = kDistrict;
  overdue.department_id = dep;
  overdue.lights = {Light::kRed};
  overdue.sort = SortOrder::kDeadlineAsc;
  Stats a = measure(overdue);
  size_t a_size = last_size;
  Stats b[3];
  size_t b_size[3];
  Light lights[3] = {Light::kGreen, Light::kYellow, Light::kRed};
  for (int l = 0; l < 3; ++l) {
    EventQuery q;
    q.district_id = kDistrict;
    q.area_id = street;
    q.lights = {lights[l]};
    q.sort = SortOrder::kDeadlineAsc;
    AreaIndexes areas{QueryIndexKind::kStreet, std::nullopt};
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      absl::Time s = absl::Now();
      absl::StatusOr<ListPage> page = Await<ListPage>([&](zhiwang::Done<ListPage> done) {
        lister.List(q, admin, areas, 50, "", now, std::move(done));
      });
      ms.push_back(Ms(s));
      if (page.ok()) b_size[l] = page->items.size();
    }
    b[l] = Of(ms);
  }
  std::vector<double> board_ms;
  for (int i = 0; i < runs / 10 + 1; ++i) {
    absl::Time s = absl::Now();
    absl::StatusOr<BoardSnapshot> board = Await<BoardSnapshot>(
        [&](zhiwang::Done<BoardSnapshot> done) { queries.Board(kDistrict, now, std::move(done)); });
    board_ms.push_back(Ms(s));
    if (!board.ok()) std::fprintf(stderr, "board: %s\n", board.status().ToString().c_str());
  }
  Stats board = Of(board_ms);
  std::vector<double> raw_ms;
  const std::string raw_key = redis::keys::LightIndex(kDistrict, "dl", "dep", dep);
  for (int i = 0; i < runs; ++i) {
    absl::Time s = absl::Now();
    absl::StatusOr<redis::RedisReply> r =
        c->Call({"ZRANGEBYSCORE", raw_key, "-inf", absl::StrCat(absl::ToUnixMillis(now)), "LIMIT",
                 "0", "50"});
    raw_ms.push_back(Ms(s));
    if (!r.ok()) return 1;
  }
  Stats raw = Of(raw_ms);
  // ---- (c) one month's evaluation of all departments: the last full calendar month
  // before `now` (Asia/Shanghai, from the policy file's calendar), through the Evaluate path
  // zw-console serves (index selection, pipelined reads, the pure evaluation, the cache).
  absl::StatusOr<sla::LoadedDistrict> policies =
      sla::LoadDistrict(absl::GetFlag(FLAGS_sla_policies), {});
  if (!policies.ok()) {
    std::fprintf(stderr, "sla policies: %s\n", policies.status().ToString().c_str());
    return 1;
  }
  sla::SlaConfig sla_config;
  sla_config.Set("*", policies->config);
  const absl::TimeZone tz = policies->config->calendar.time_zone();
  const Period month = MonthPeriod(absl::CivilMonth(absl::ToCivilSecond(now, tz)) - 1, tz);
  RedisEvaluationSource evaluation_source(c);
  const EvaluationQuery month_query = MonthQuery(kDistrict, month);
  const int eval_runs = absl::GetFlag(FLAGS_evaluation_runs);
  absl::StatusOr<EvaluationLatency> eval_uncached =
      MeasureEvaluation(&evaluation_source, &sla_config, "bench", month_query, eval_runs, false);
  absl::StatusOr<EvaluationLatency> eval_cached = MeasureEvaluation(
      &evaluation_source, &sla_config, absl::StrCat("bench-", absl::ToUnixNanos(absl::Now())),
      month_query, eval_runs * 40, true);
  if (!eval_uncached.ok() || !eval_cached.ok()) {
    std::fprintf(stderr, "evaluation: %s %s\n", eval_uncached.status().ToString().c_str(),
                 eval_cached.status().ToString().c_str());
    return 1;
  }
  auto to_stats = [](const EvaluationLatency& l) {
    Stats s;
    s.p50_ms = absl::ToDoubleMilliseconds(l.p50);
    s.p99_ms = absl::ToDoubleMilliseconds(l.p99);
    return s;
  };
  // ---- end (c)
  std::printf("\n%-58s %8s %8s %8s\n", "query (first page of 50, in-process)", "p50 ms", "p99 ms",
              "p99/raw");
  auto line = [&](const std::string& name, Stats s) {
    std::printf("%-58s %8.3f %8.3f %8.1f\n", name.c_str(), s.p50_ms, s.p99_ms,
                raw.p99_ms > 0 ? s.p99_ms / raw.p99_ms : 0);
  };
  line(absl::StrCat("(a) overdue of department ", dep, " [", a_size, " rows]"), a);
  const char* names[3] = {"green", "yellow", "red"};
  for (int l = 0; l < 3; ++l) {
    line(absl::StrCat("(b) open of street ", street, ", ", names[l], " [", b_size[l], " rows]"),
         b[l]);
  }
  line("(b') board of the district (state x light, streets, departments)", board);
  line(absl::StrCat("(c) evaluation of ", absl::FormatTime("%Y-%m", month.from, tz),
                    ", all departments, uncached [", eval_uncached->groups, " groups]"),
       to_stats(*eval_uncached));
  line("(c) the same month, cached (a finished period)", to_stats(*eval_cached));
  line("raw ZRANGEBYSCORE dl:dep LIMIT 0 50", raw);
  return 0;
}

}  // namespace
}  // namespace zhiwang::console

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return zhiwang::console::Main();
}
