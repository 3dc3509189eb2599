// zw-sla-bench: figures for the SLA timers (docs/sla.md), on a private redis-server.
//
//   build/tools/bench/zw-sla-bench [--open_timers=1000000] [--burst_timers=100000]
//                                  [--lateness_seconds=60] [--per_minute=10000]
//
// Prints, each beside a raw-Redis baseline measured in the same run:
//  1. deadlines taken due per second (SlaStore::FireDue, batches of 500) with an empty
//     timer set; baseline: a bare Lua pop (ZRANGEBYSCORE LIMIT + ZREM + XADD per member);
//  2. Redis memory per open timer with `open_timers` open (INFO used_memory before/after,
//     SLA records included: 4 rungs per event); baseline: a bare sorted set of as many
//     members;
//  3. the same firing and arming throughput with `open_timers` open, as ratios to (1);
//  4. firing lateness p50/p99 (fired_at − due) while `per_minute` deadlines fall due per
//     minute for `lateness_seconds`, with a firer polling every 50 ms like zw-sla;
//     baseline: the bare pop with the same loop.
// No assertions: a tool that prints figures.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_server.h"
#include "services/sla/redis_sla_store.h"

ABSL_FLAG(int, open_timers, 1000000, "open timers for the memory and 'still fast' figures");
ABSL_FLAG(int, burst_timers, 100000, "timers due at once for the throughput figures");
ABSL_FLAG(int, lateness_seconds, 60, "length of each lateness run");
ABSL_FLAG(int, per_minute, 10000, "deadlines falling due per minute in the lateness runs");
ABSL_FLAG(int, threads, 8, "threads arming timers");

namespace zhiwang::sla {
namespace {

using redis::RedisClient;
using redis::RedisReply;

constexpr char kDistrict[] = "bench";
const absl::Time kFar = absl::FromUnixSeconds(4'000'000'000);

// The bare baseline pop: what any exactly-once timer needs at the least.
constexpr char kRawPop[] = R"(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('XADD', KEYS[2], '*', 'e', m, 'd', ARGV[3])
end
return due)";

// An event's plan with `rungs` timers due at `due[i]`, shaped like a real one.
ArmPlan Plan(const std::string& district, int64_t n, const std::vector<absl::Time>& due) {
  ArmPlan p;
  SlaRecord& r = p.record;
  r.event_id = absl::StrCat("bench-20260310-", n);
  r.version = 1;
  r.stage = Stage::kResolve;
  r.stage_seq = 1;
  r.generation = 1;
  r.limit = absl::Hours(4);
  r.run_started = absl::Now();
  r.stage_started = r.run_started;
  r.deadline = r.run_started + absl::Hours(4);
  r.facts = {district, "0101", Urgency::kNormal, "440304001_cgb", "440304001"};
  for (size_t i = 0; i < due.size(); ++i) {
    Timer t;
    t.stage_seq = 1;
    t.generation = 1;
    t.rung = static_cast<int>(i);
    t.due = due[i];
    t.member = absl::StrCat(r.event_id, "|1|1|", i);
    Notice& no = t.notice;
    no.id = absl::StrCat(r.event_id, ":resolve:1:", i);
    no.kind = NoticeKind::kWarning;
    no.district_id = district;
    no.event_id = r.event_id;
    no.department_id = r.facts.department_id;
    no.street_id = r.facts.street_id;
    no.recipient = Recipient::kDepartment;
    no.stage = "resolve";
    no.rung = t.rung;
    no.deadline = r.deadline;
    no.message = "event time limit nearly used, notify the department";
    p.timers.push_back(std::move(t));
  }
  return p;
}

// Arms events [from, to) with `rungs` timers each, due at due_of(event, rung); returns
// arms per second.
double ArmAll(RedisSlaStore* store, int64_t from, int64_t to, int rungs,
              const std::function<absl::Time(int64_t, int)>& due_of,
              const std::string& district = kDistrict) {
  std::atomic<int64_t> next{from};
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_threads); ++t) {
    threads.emplace_back([&] {
      for (int64_t n = next++; n < to; n = next++) {
        std::vector<absl::Time> due;
        for (int r = 0; r < rungs; ++r) due.push_back(due_of(n, r));
        absl::Status s = store->Arm(district, 0, Plan(district, n, due));
        if (!s.ok()) std::fprintf(stderr, "arm: %s\n", s.ToString().c_str());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return static_cast<double>(to - from) / absl::ToDoubleSeconds(absl::Now() - start);
}

// Fires everything due now; returns deadlines per second.
double FireAll(RedisSlaStore* store, int64_t expected, const std::string& district = kDistrict) {
  int64_t fired = 0;
  absl::Time start = absl::Now();
  for (int i = 0; i < 1'000'000 && fired < expected; ++i) {
    absl::StatusOr<std::vector<Notice>> f = store->FireDue(district, absl::Now(), 500);
    if (!f.ok() || f->empty()) break;
    fired += static_cast<int64_t>(f->size());
  }
  return static_cast<double>(fired) / absl::ToDoubleSeconds(absl::Now() - start);
}

absl::StatusOr<RedisReply> RawPop(RedisClient* c, absl::Time now, int max,
                                  const std::string& district = kDistrict) {
  std::promise<absl::StatusOr<RedisReply>> p;
  static const std::string* src = new std::string(kRawPop);
  c->RunScript(
      *src, "",
      {absl::StrCat("raw:{", district, "}:timers"), absl::StrCat("raw:{", district, "}:q")},
      {absl::StrCat(absl::ToUnixMillis(now)), absl::StrCat(max), std::string(120, 'x')},
      [&p](absl::StatusOr<RedisReply> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

// ZADDs `count` raw members due at due_of(i), pipelined.
void RawAdd(RedisClient* c, int64_t from, int64_t count,
            const std::function<absl::Time(int64_t)>& due_of,
            const std::string& district = kDistrict) {
  std::atomic<int64_t> left{count};
  std::promise<void> done;
  for (int64_t i = from; i < from + count; ++i) {
    c->Send(
        {"ZADD", absl::StrCat("raw:{", district, "}:timers"),
         absl::StrCat(absl::ToUnixMillis(due_of(i))), absl::StrCat("bench-20260310-", i, "|1|1|0")},
        [&](absl::StatusOr<RedisReply>) {
          if (--left == 0) done.set_value();
        });
  }
  if (count > 0) done.get_future().wait();
}

double RawFireAll(RedisClient* c, int64_t expected, const std::string& district = kDistrict) {
  int64_t fired = 0;
  absl::Time start = absl::Now();
  for (int i = 0; i < 1'000'000 && fired < expected; ++i) {
    absl::StatusOr<RedisReply> r = RawPop(c, absl::Now(), 500, district);
    if (!r.ok() || r->elements.empty()) break;
    fired += static_cast<int64_t>(r->elements.size());
  }
  return static_cast<double>(fired) / absl::ToDoubleSeconds(absl::Now() - start);
}

int64_t UsedMemory(RedisClient* c) {
  absl::StatusOr<RedisReply> r = c->Call({"INFO", "memory"});
  if (!r.ok()) return 0;
  for (absl::string_view line : absl::StrSplit(r->str, "\r\n")) {
    if (absl::ConsumePrefix(&line, "used_memory:")) {
      int64_t v = 0;
      if (absl::SimpleAtoi(line, &v)) return v;
    }
  }
  return 0;
}

struct Percentiles {
  double p50 = 0, p99 = 0;
  size_t n = 0;
};
Percentiles Of(std::vector<double> v) {
  Percentiles p;
  p.n = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  p.p50 = v[v.size() / 2];
  p.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  return p;
}

// Lateness of deadlines falling due at `per_minute` for `seconds`, fired every 50 ms.
Percentiles SlaLateness(RedisSlaStore* store, int64_t first_event, int seconds, int per_minute) {
  int64_t count = static_cast<int64_t>(per_minute) * seconds / 60;
  absl::Time begin = absl::Now() + absl::Seconds(2);
  absl::Duration gap = absl::Seconds(60) / per_minute;
  std::map<std::string, absl::Time> due;
  for (int64_t i = 0; i < count; ++i) {
    due[absl::StrCat("bench-20260310-", first_event + i, ":resolve:1:0")] = begin + gap * i;
  }
  ArmAll(store, first_event, first_event + count, 1,
         [&](int64_t n, int) { return begin + gap * (n - first_event); });
  std::vector<double> late_ms;
  absl::Time end = begin + gap * count + absl::Seconds(1);
  while (absl::Now() < end) {
    absl::Time now = absl::Now();
    absl::StatusOr<std::vector<Notice>> f = store->FireDue(kDistrict, now, 500);
    if (f.ok()) {
      absl::Time after = absl::Now();  // when the notification is out
      for (const Notice& n : *f) {
        auto it = due.find(n.id);
        if (it != due.end()) late_ms.push_back(absl::ToDoubleMilliseconds(after - it->second));
      }
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return Of(late_ms);
}

Percentiles RawLateness(RedisClient* c, int64_t first, int seconds, int per_minute) {
  int64_t count = static_cast<int64_t>(per_minute) * seconds / 60;
  absl::Time begin = absl::Now() + absl::Seconds(2);
  absl::Duration gap = absl::Seconds(60) / per_minute;
  RawAdd(c, first, count, [&](int64_t i) { return begin + gap * (i - first); });
  std::vector<double> late_ms;
  absl::Time end = begin + gap * count + absl::Seconds(1);
  while (absl::Now() < end) {
    absl::StatusOr<RedisReply> r = RawPop(c, absl::Now(), 500);
    if (r.ok()) {
      absl::Time after = absl::Now();
      for (const RedisReply& m : r->elements) {
        std::string id = m.str.substr(0, m.str.find('|'));
        int64_t n = 0;
        if (!absl::SimpleAtoi(id.substr(id.rfind('-') + 1), &n)) continue;
        late_ms.push_back(absl::ToDoubleMilliseconds(after - (begin + gap * (n - first))));
      }
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return Of(late_ms);
}

int Main() {
  auto server = testing::RedisServer::Start();
  if (!server.ok()) {
    std::fprintf(stderr, "redis-server: %s\n", server.status().ToString().c_str());
    return 1;
  }
  auto client = RedisClient::Connect({.host = "127.0.0.1",
                                      .port = (*server)->port(),
                                      .command_timeout = absl::Seconds(30),
                                      .connections = 2});
  if (!client.ok()) return 1;
  RedisClient* c = client->get();
  (void)c->Call({"CONFIG", "SET", "appendonly", "no"});  // measure Redis, not the disk
  RedisSlaStore store(c);
  const int burst = absl::GetFlag(FLAGS_burst_timers);
  const int open = absl::GetFlag(FLAGS_open_timers);
  const int64_t burst_events = burst / 4, open_events = open / 4;
  auto past = [](int64_t, int r) {
    return absl::FromUnixSeconds(1'000'000'000) + absl::Seconds(r);
  };

  std::printf("zw-sla-bench: private redis-server, 2 connections, %d arming threads\n",
              absl::GetFlag(FLAGS_threads));
  // Warm-up (scripts loaded, connections busy once), not measured.
  ArmAll(&store, 9'000'000, 9'000'000 + 2000, 4, past);
  (void)FireAll(&store, 8000);
  (void)c->Call({"FLUSHALL"});
  // 1. Throughput with an empty set.
  double arm_empty = ArmAll(&store, 0, burst_events, 4, past);
  double fire_empty = FireAll(&store, burst);
  RawAdd(c, 0, burst, [](int64_t) { return absl::FromUnixSeconds(1'000'000'000); });
  double raw_fire = RawFireAll(c, burst);
  std::printf("deadlines taken due per second (%d due at once, batches of 500):\n", burst);
  std::printf("  zw-sla FireDue      %10.0f /s\n", fire_empty);
  std::printf("  raw Lua pop         %10.0f /s   ratio zw/raw %.2f\n", raw_fire,
              fire_empty / raw_fire);
  std::printf("  arming (4 rungs)    %10.0f events/s\n", arm_empty);

  // 2. Memory with `open` open timers.
  (void)c->Call({"FLUSHALL"});
  int64_t before = UsedMemory(c);
  ArmAll(&store, 1'000'000, 1'000'000 + open_events, 4, [](int64_t, int) { return kFar; });
  int64_t after = UsedMemory(c);
  RawAdd(c, 0, open, [](int64_t) { return kFar; });
  int64_t after_raw = UsedMemory(c);
  std::printf("Redis memory with %d open timers (%lld events x 4 rungs):\n", open,
              static_cast<long long>(open_events));
  std::printf("  zw-sla per open timer %8.0f bytes (timer + its share of the SLA record)\n",
              static_cast<double>(after - before) / open);
  std::printf("  raw zset per member   %8.0f bytes   ratio %.2f\n",
              static_cast<double>(after_raw - after) / open,
              static_cast<double>(after - before) / static_cast<double>(after_raw - after));

  // 3. The same throughput beside `open` open timers (due far in the future), interleaved
  //    round by round with a district whose timer set is empty (same server, same
  //    moment), medians of 3 rounds each.
  std::vector<double> fire_full, fire_none, arm_full, arm_none, raw_full, raw_none;
  for (int round = 0; round < 3; ++round) {
    int64_t base = 2'000'000 + round * burst_events;
    arm_full.push_back(ArmAll(&store, base, base + burst_events, 4, past));
    fire_full.push_back(FireAll(&store, burst));
    arm_none.push_back(ArmAll(&store, base, base + burst_events, 4, past, "benchempty"));
    fire_none.push_back(FireAll(&store, burst, "benchempty"));
    // The bare pop beside the raw zset of `open` members (kept from step 2) and alone.
    auto due_past = [](int64_t) { return absl::FromUnixSeconds(1'000'000'000); };
    RawAdd(c, base, burst, due_past);
    raw_full.push_back(RawFireAll(c, burst));
    RawAdd(c, base, burst, due_past, "benchempty");
    raw_none.push_back(RawFireAll(c, burst, "benchempty"));
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf(
      "beside %d open timers vs an empty timer set (same run, interleaved, medians of 3):\n", open);
  std::printf("  FireDue  %8.0f /s vs %8.0f /s   ratio %.2f\n", median(fire_full),
              median(fire_none), median(fire_full) / median(fire_none));
  std::printf("  arming   %8.0f /s vs %8.0f /s   ratio %.2f (events with 4 rungs)\n",
              median(arm_full), median(arm_none), median(arm_full) / median(arm_none));
  std::printf("  raw pop  %8.0f /s vs %8.0f /s   ratio %.2f (baseline: a bare zset)\n",
              median(raw_full), median(raw_none), median(raw_full) / median(raw_none));

  // 4. Lateness at per_minute deadlines per minute (with `open` still open).
  const int secs = absl::GetFlag(FLAGS_lateness_seconds);
  const int per_minute = absl::GetFlag(FLAGS_per_minute);
  Percentiles zl = SlaLateness(&store, 5'000'000, secs, per_minute);
  Percentiles rl = RawLateness(c, 5'000'000, secs, per_minute);
  std::printf("firing lateness, %d deadlines/min for %d s, firer every 50 ms:\n", per_minute, secs);
  std::printf("  zw-sla  p50 %6.1f ms  p99 %6.1f ms  (%zu fired)\n", zl.p50, zl.p99, zl.n);
  std::printf("  raw pop p50 %6.1f ms  p99 %6.1f ms  (%zu fired)  ratio p99 %.2f\n", rl.p50, rl.p99,
              rl.n, rl.p99 > 0 ? zl.p99 / rl.p99 : 0.0);
  return 0;
}

}  // namespace
}  // namespace zhiwang::sla

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return zhiwang::sla::Main();
}
