// zw-queue-bench (dq, issue 5): figures of the unified dispatch queue, on a private
// redis-server this tool starts, with the real DispatchService (gRPC on loopback), the
// real RouterWorker and the Redis stores in one process:
//   1. assignments delivered on WatchAssignments and acknowledged (AckDeliveries) per
//      second, for 1 and for 10 departments (a backlog of dispatched events drained by one
//      department system per department);
//   2. p99 latency from "report accepted" (EventCommands::Report returned) to the
//      delivery arriving on a WatchAssignments stream (through the router), next to the
//      raw Redis baseline XADD → XREADGROUP BLOCK measured in the same run.
// Usage: zw-queue-bench [--events=5000] [--samples=1000] [--rounds=3] [--poll=2ms]

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <future>
#include <map>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/domain/event_commands.h"
#include "common/domain/org_registry.h"
#include "common/redis/redis_assignment_queue.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_event_store.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_server.h"
#include "grpcpp/grpcpp.h"
#include "services/dispatch/dispatch_service.h"
#include "services/router/router_worker.h"

ABSL_FLAG(int, events, 5000, "backlog size for the throughput runs");
ABSL_FLAG(int, samples, 1000, "latency samples (one report every 2 ms)");
ABSL_FLAG(int, rounds, 3, "latency rounds (stream and raw alternate)");
ABSL_FLAG(absl::Duration, poll, absl::Milliseconds(2), "WatchAssignments idle poll");

namespace zhiwang {
namespace {

constexpr int kDepartments = 10;

DistrictOrg BenchDistrict() {
  DistrictOrg org;
  org.id = "990200";
  org.name = "Bench";
  org.streets = {{"s1", "Street"}};
  org.communities = {{"c1", "Community", "s1"}};
  org.grids = {{"g1", "Grid", "c1"}};
  for (int i = 0; i < kDepartments; ++i) {
    std::string dep = absl::StrCat("dep", i);
    org.departments.push_back({dep, dep, DepartmentLevel::kDistrict, ""});
    std::string cat = absl::StrCat("c", i);
    org.categories.push_back({cat, cat, "bench", Urgency::kNormal});
    org.routing_rules.push_back({cat, {dep}});
  }
  return org;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

struct Bench {
  std::unique_ptr<testing::RedisServer> server;
  std::unique_ptr<redis::RedisClient> client, reader;
  std::unique_ptr<redis::RedisEventStore> store;
  std::unique_ptr<redis::RedisAssignmentQueue> queue;
  MemoryOrgStore org_store;
  std::unique_ptr<OrgRegistry> orgs;
  RealClock clock;
  std::atomic<uint64_t> random{0};
  std::unique_ptr<EventCommands> commands;
  std::unique_ptr<dispatch::DispatchService> service;
  std::unique_ptr<grpc::Server> grpc_server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<router::RouterWorker> router;
};

absl::StatusOr<std::string> Report(Bench& b, int category, int n) {
  ReportInput in;
  in.client_request_id = absl::StrCat("b-", category, "-", n, "-", b.random.load());
  in.category_code = absl::StrCat("c", category);
  in.location = Location{22.5, 114.0, "g1", ""};
  in.description = "bench";
  std::promise<absl::StatusOr<WriteResult>> p;
  b.commands->Report(Identity{"bench-worker", Role::kGridWorker, "g1", ""}, in,
                     [&](absl::StatusOr<WriteResult> r) { p.set_value(std::move(r)); });
  absl::StatusOr<WriteResult> r = p.get_future().get();
  if (!r.ok()) return r.status();
  return r->event.id;
}

// One department system: reads deliveries, acknowledges them in batches of up to 50.
// Stops after `want` deliveries or when the stream ends. Returns the count and calls
// `on_delivery` (from this thread) for each.
int DrainDepartment(Bench& b, int dep, int want, absl::Duration limit,
                    const std::function<void(const v1::Delivery&)>& on_delivery = nullptr) {
  auto stub = v1::DispatchService::NewStub(b.channel);
  Identity sys{absl::StrCat("sys", dep), Role::kDepartmentSystem, "990200",
               absl::StrCat("dep", dep)};
  grpc::ClientContext ctx;
  ctx.AddMetadata(kDevIdentityHeader, FormatDevIdentity(sys));
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + limit));
  v1::WatchAssignmentsRequest req;
  auto reader = stub->WatchAssignments(&ctx, req);
  int got = 0;
  v1::AckDeliveriesRequest ack;
  auto flush = [&] {
    if (ack.delivery_ids_size() == 0) return;
    grpc::ClientContext actx;
    actx.AddMetadata(kDevIdentityHeader, FormatDevIdentity(sys));
    v1::AckDeliveriesResponse resp;
    (void)stub->AckDeliveries(&actx, ack, &resp);
    ack.clear_delivery_ids();
  };
  v1::Delivery d;
  while (got < want && reader->Read(&d)) {
    if (d.kind() != v1::Delivery::KIND_ASSIGNMENT) continue;
    ++got;
    if (on_delivery) on_delivery(d);
    ack.add_delivery_ids(d.delivery_id());
    if (ack.delivery_ids_size() >= 50 || got == want) flush();
  }
  flush();
  ctx.TryCancel();
  (void)reader->Finish();
  return got;
}

// Throughput: `events` dispatched events spread over `departments`, drained in parallel.
double Throughput(Bench& b, int departments, int events) {
  std::vector<int> per(departments, 0);
  for (int i = 0; i < events; ++i) {
    if (!Report(b, i % departments, i).ok()) return -1;
    ++per[i % departments];
  }
  // Wait until the router has dispatched the whole backlog.
  for (int tries = 0; tries < 600; ++tries) {
    int64_t queued = 0;
    for (int d = 0; d < departments; ++d) {
      auto st =
          b.queue->Stats(QueueRef{"990200", absl::StrCat("dep", d), QueueChannel::kAssignments});
      if (st.ok()) queued += st->length - st->pending;
    }
    if (queued >= events) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  std::atomic<int> total{0};
  for (int d = 0; d < departments; ++d) {
    threads.emplace_back([&, d] { total += DrainDepartment(b, d, per[d], absl::Seconds(120)); });
  }
  for (auto& t : threads) t.join();
  double secs = absl::ToDoubleSeconds(absl::Now() - start);
  if (total != events) std::printf("  (only %d of %d delivered)\n", total.load(), events);
  return total / secs;
}

// Latency report accepted → delivery on a stream, one report every 2 ms, department 0.
std::vector<double> StreamLatency(Bench& b, int samples, int round) {
  // Both moments are recorded per event and paired at the end, so a delivery that
  // overtakes the reporter's bookkeeping still counts.
  absl::Mutex mu;
  std::map<std::string, absl::Time> accepted, delivered;
  std::thread watcher([&] {
    DrainDepartment(b, 0, samples, absl::Seconds(120), [&](const v1::Delivery& d) {
      absl::Time now = absl::Now();
      absl::MutexLock lock(&mu);
      delivered.emplace(d.event_id(), now);
    });
  });
  absl::SleepFor(absl::Milliseconds(200));
  for (int i = 0; i < samples; ++i) {
    absl::Time before = absl::Now();
    absl::StatusOr<std::string> id = Report(b, 0, 1'000'000 * (round + 1) + i);
    absl::Time now = absl::Now();  // the moment the reporter heard "accepted"
    if (id.ok()) {
      absl::MutexLock lock(&mu);
      accepted[*id] = now;
    }
    absl::SleepFor(absl::Milliseconds(2) - (absl::Now() - before));
  }
  watcher.join();
  std::vector<double> lat_ms;
  for (const auto& [id, at] : accepted) {
    auto it = delivered.find(id);
    if (it != delivered.end()) {
      lat_ms.push_back(std::max(0.0, absl::ToDoubleMilliseconds(it->second - at)));
    }
  }
  return lat_ms;
}

// Baseline: XADD on one connection, XREADGROUP BLOCK on another, same pacing.
std::vector<double> RawRedisLatency(Bench& b, int samples, int round) {
  std::string key = absl::StrCat("zw:bench:raw:", round);
  (void)b.client->Call({"XGROUP", "CREATE", key, "g", "$", "MKSTREAM"});
  std::vector<double> lat_ms;
  std::thread reader([&] {
    int got = 0;
    absl::Time until = absl::Now() + absl::Seconds(60);
    while (got < samples && absl::Now() < until) {
      auto r = b.reader->Call(
          {"XREADGROUP", "GROUP", "g", "c", "COUNT", "100", "BLOCK", "1000", "STREAMS", key, ">"});
      absl::Time now = absl::Now();
      if (!r.ok() || r->type != redis::RedisReply::Type::kArray) continue;
      for (const auto& e : r->elements[0].elements[1].elements) {
        int64_t sent = 0;
        if (absl::SimpleAtoi(e.elements[1].elements[1].str, &sent)) {
          lat_ms.push_back(absl::ToDoubleMilliseconds(now - absl::FromUnixNanos(sent)));
          ++got;
        }
      }
    }
  });
  absl::SleepFor(absl::Milliseconds(100));
  for (int i = 0; i < samples; ++i) {
    absl::Time before = absl::Now();
    (void)b.client->Call({"XADD", key, "*", "t", absl::StrCat(absl::ToUnixNanos(absl::Now()))});
    absl::SleepFor(absl::Milliseconds(2) - (absl::Now() - before));
  }
  reader.join();
  return lat_ms;
}

int Main() {
  Bench b;
  auto server = testing::RedisServer::Start();
  if (!server.ok()) return std::fprintf(stderr, "%s\n", server.status().ToString().c_str()), 1;
  b.server = *std::move(server);
  auto client = redis::RedisClient::Connect({.port = b.server->port(), .connections = 2});
  auto reader = redis::RedisClient::Connect({.port = b.server->port()});
  auto router_reader = redis::RedisClient::Connect({.port = b.server->port()});
  if (!client.ok() || !reader.ok() || !router_reader.ok()) return 1;
  b.client = *std::move(client);
  b.reader = *std::move(reader);
  b.store = std::make_unique<redis::RedisEventStore>(b.client.get());
  b.queue = std::make_unique<redis::RedisAssignmentQueue>(b.client.get());
  b.orgs = std::make_unique<OrgRegistry>(&b.org_store);
  if (!b.orgs->Publish(BenchDistrict()).ok()) return 1;
  b.commands = std::make_unique<EventCommands>(b.store.get(), b.orgs.get(), &b.clock,
                                               [&b] { return ++b.random; });
  b.service =
      std::make_unique<dispatch::DispatchService>(b.commands.get(), b.store.get(), b.orgs.get());
  b.service->EnableQueue(b.queue.get(), {.max_unacked = 1000,
                                         .redeliver_after = absl::Seconds(30),
                                         .poll = absl::GetFlag(FLAGS_poll),
                                         .batch = 100});
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(b.service.get());
  b.grpc_server = builder.BuildAndStart();
  b.channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  router::RouterWorker::Options ro;
  ro.consumer = "bench-router";
  ro.block = absl::Milliseconds(100);
  auto router_client = *std::move(router_reader);
  b.router = std::make_unique<router::RouterWorker>(router_client.get(), b.store.get(),
                                                    b.orgs.get(), &b.clock, ro);
  b.router->Start();

  const int events = absl::GetFlag(FLAGS_events);
  const int samples = absl::GetFlag(FLAGS_samples);
  std::printf(
      "zw-queue-bench: private redis-server, DispatchService on gRPC loopback, "
      "RouterWorker in process; poll %s\n",
      absl::FormatDuration(absl::GetFlag(FLAGS_poll)).c_str());
  double one = Throughput(b, 1, events);
  std::printf("delivered+acked/s, 1 department  (%d events): %.0f\n", events, one);
  double ten = Throughput(b, kDepartments, events);
  std::printf("delivered+acked/s, 10 departments (%d events): %.0f  (x%.2f of 1)\n", events, ten,
              ten / one);
  // Alternate the two measurements in rounds, so that load from elsewhere on the machine
  // hits both alike; report every round and the medians.
  std::vector<double> stream_p99, raw_p99, stream_p50, raw_p50;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int r = 0; r < rounds; ++r) {
    std::vector<double> stream = StreamLatency(b, samples, r);
    std::vector<double> raw = RawRedisLatency(b, samples, r);
    stream_p50.push_back(Percentile(stream, 0.5));
    stream_p99.push_back(Percentile(stream, 0.99));
    raw_p50.push_back(Percentile(raw, 0.5));
    raw_p99.push_back(Percentile(raw, 0.99));
    std::printf(
        "round %d: report accepted -> WatchAssignments delivery n=%zu p50 %.2f ms "
        "p99 %.2f ms | raw XADD -> XREADGROUP BLOCK n=%zu p50 %.2f ms p99 %.2f ms\n",
        r + 1, stream.size(), stream_p50.back(), stream_p99.back(), raw.size(), raw_p50.back(),
        raw_p99.back());
  }
  double sp99 = Percentile(stream_p99, 0.5), rp99 = Percentile(raw_p99, 0.5);
  std::printf(
      "median over %d rounds: stream p50 %.2f ms p99 %.2f ms; raw p50 %.2f ms p99 %.2f ms;"
      " p99 ratio stream/raw %.1f\n",
      rounds, Percentile(stream_p50, 0.5), sp99, Percentile(raw_p50, 0.5), rp99,
      rp99 > 0 ? sp99 / rp99 : 0.0);
  b.router->Stop();
  b.grpc_server->Shutdown();
  return 0;
}

}  // namespace
}  // namespace zhiwang

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return zhiwang::Main();
}
