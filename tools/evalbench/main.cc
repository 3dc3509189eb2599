// zw-eval-bench (issue 6, item 5): p50/p99 of "one month's evaluation of all departments"
// through the Evaluate path on Redis, cached and uncached. Writes a generated month of
// `--events` events for district `--district` to the Redis given (its own keys only), then
// measures with MeasureEvaluation (services/console/evaluation_bench.h).
//
//   zw-eval-bench --redis_socket=/tmp/r.sock --events=20000 --uncached_runs=10 --cached_runs=200

#include <future>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/redis/redis_client.h"
#include "services/console/evaluation_bench.h"
#include "services/console/evaluation_fixture.h"
#include "services/console/evaluation_generator.h"
#include "services/console/redis_evaluation_source.h"
#include "services/sla/sla_config_loader.h"

ABSL_FLAG(std::string, redis_host, "127.0.0.1", "Redis host");
ABSL_FLAG(int, redis_port, 6379, "Redis port");
ABSL_FLAG(std::string, redis_socket, "", "Redis unix socket (instead of host:port)");
ABSL_FLAG(std::string, district, "evalbench", "district id the generated events get");
ABSL_FLAG(int, events, 20000, "events to generate in March 2026 (1..2000000)");
ABSL_FLAG(int, uncached_runs, 10, "timed uncached evaluations");
ABSL_FLAG(int, cached_runs, 200, "timed cached evaluations");
ABSL_FLAG(int, chunk, 2000, "events read per pipelined round (RedisEvaluationSource)");
ABSL_FLAG(std::string, sla_policies, ZW_DEFAULT_SLA_POLICIES, "SLA policy file");

namespace zhiwang::console {
namespace {

int Fail(const absl::Status& s) {
  std::cerr << "zw-eval-bench: " << s << "\n";
  return 2;
}

std::string Ms(absl::Duration d) { return absl::StrCat(absl::ToDoubleMilliseconds(d), " ms"); }

int Run() {
  const int events = absl::GetFlag(FLAGS_events);
  if (events < 1 || events > 2'000'000) return Fail(absl::InvalidArgumentError("events"));
  absl::StatusOr<sla::LoadedDistrict> loaded =
      sla::LoadDistrict(absl::GetFlag(FLAGS_sla_policies), {});
  if (!loaded.ok()) return Fail(loaded.status());
  sla::SlaConfig sla;
  sla.Set("*", loaded->config);
  auto client = redis::RedisClient::Connect({.host = absl::GetFlag(FLAGS_redis_host),
                                             .port = absl::GetFlag(FLAGS_redis_port),
                                             .unix_socket = absl::GetFlag(FLAGS_redis_socket),
                                             .command_timeout = absl::Seconds(60),
                                             .connections = 2});
  if (!client.ok()) return Fail(client.status());

  GeneratorOptions o;
  o.seed = 42;
  o.events = events;
  o.district_id = absl::GetFlag(FLAGS_district);
  o.time_zone = loaded->config->calendar.time_zone();
  o.departments = {"water",  "urban",     "housing", "market",
                   "police", "transport", "health",  "education"};
  absl::StatusOr<std::vector<EventRecord>> month = GenerateMonth(o);
  if (!month.ok()) return Fail(month.status());
  absl::Time t0 = absl::Now();
  if (absl::Status s = WriteStoredRecords(client->get(), *month); !s.ok()) return Fail(s);
  std::cout << "wrote " << month->size() << " events in " << Ms(absl::Now() - t0) << "\n";

  RedisEvaluationSource source(client->get(), absl::GetFlag(FLAGS_chunk));
  const Period march = MonthPeriod(absl::CivilMonth(2026, 3), o.time_zone);
  EvaluationQuery q = MonthQuery(o.district_id, march);
  {
    // Where the uncached time goes: reading the inputs vs the pure evaluation.
    absl::Time l0 = absl::Now();
    std::promise<absl::StatusOr<std::vector<EventRecord>>> p;
    source.Load(o.district_id, march,
                [&p](absl::StatusOr<std::vector<EventRecord>> r) { p.set_value(std::move(r)); });
    absl::StatusOr<std::vector<EventRecord>> inputs = p.get_future().get();
    if (!inputs.ok()) return Fail(inputs.status());
    absl::Time l1 = absl::Now();
    absl::StatusOr<GroupFigures> f = Evaluate(
        *inputs, loaded->config->policies, loaded->config->calendar, march, Grouping::kDepartment);
    if (!f.ok()) return Fail(f.status());
    std::cout << "one uncached run: load " << inputs->size() << " events " << Ms(l1 - l0)
              << ", evaluate " << Ms(absl::Now() - l1) << "\n";
  }
  absl::StatusOr<EvaluationLatency> uncached = MeasureEvaluation(
      &source, &sla, "bench", q, absl::GetFlag(FLAGS_uncached_runs), /*cached=*/false);
  if (!uncached.ok()) return Fail(uncached.status());
  absl::StatusOr<EvaluationLatency> cached =
      MeasureEvaluation(&source, &sla, absl::StrCat("bench-", absl::ToUnixNanos(absl::Now())), q,
                        absl::GetFlag(FLAGS_cached_runs), /*cached=*/true);
  if (!cached.ok()) return Fail(cached.status());
  std::cout << "month evaluation, all departments (" << uncached->groups << " groups, " << events
            << " events)\n"
            << "  uncached: runs " << uncached->runs << "  p50 " << Ms(uncached->p50) << "  p99 "
            << Ms(uncached->p99) << "  max " << Ms(uncached->max) << "\n"
            << "  cached:   runs " << cached->runs << "  p50 " << Ms(cached->p50) << "  p99 "
            << Ms(cached->p99) << "  max " << Ms(cached->max) << "\n";
  return 0;
}

}  // namespace
}  // namespace zhiwang::console

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return zhiwang::console::Run();
}
