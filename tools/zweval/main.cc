// zweval: evaluation figures as CSV, recomputed from raw event timelines (issue 6, item 4).
// The timelines come from a district in Redis (--redis; every zw:{D}:ev:* found by SCAN
// and its zw:{D}:tl:* list, keys from common/redis/keys.h: no index, no cache, nothing of
// the service's selection) or from the deterministic month generator.
//
//   zweval --redis=127.0.0.1:6379 --district=440304 --period=2026-03 --group=department
//          --compare=service.csv     # exit 1 on any byte difference
//   zweval --generate_seed=7 --month=2026-03 --group=department --csv=march.csv
//   zweval --generate_seed=7 --month=2026-03 --check   # prints "identical", exit 0
//
// --period: "YYYY-MM" (a month), "YYYY-MM-DD" (a day), "week:YYYY-MM-DD" (the ISO week of
// that day) or "<RFC 3339>/<RFC 3339>" (a custom range [from, to)); local days of the
// calendar's time zone.
// Calendar and policies: the SLA policy file given by --sla_policies and the calendars it
// names (default: the checkout's deploy/sla/policies.textpb, 2026 and provisional 2027).
// Exit codes: 0 success; 1 the --check runs or the --compare file differ; 2 bad flags,
// Redis or evaluation errors.

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "services/console/evaluation.h"
#include "services/console/evaluation_csv.h"
#include "services/console/evaluation_generator.h"
#include "services/console/evaluation_period.h"
#include "services/console/redis_evaluation_source.h"
#include "services/sla/sla_config_loader.h"

ABSL_FLAG(uint64_t, generate_seed, 1, "seed of the generated month of events");
ABSL_FLAG(std::string, sla_policies, ZW_DEFAULT_SLA_POLICIES,
          "SLA policy file (deploy/sla); its calendar files are loaded beside it");
ABSL_FLAG(std::string, month, "2026-03", "the month to generate and evaluate, YYYY-MM");
ABSL_FLAG(int, events, 300, "number of events to generate");
ABSL_FLAG(std::string, group, "department",
          "grouping: district, department, street, community or worker");
ABSL_FLAG(std::string, csv, "", "write the CSV to this file instead of stdout");
ABSL_FLAG(std::string, redis, "",
          "host:port of the Redis holding the district (instead of generating events)");
ABSL_FLAG(std::string, district, "", "with --redis: the district to evaluate");
ABSL_FLAG(std::string, period, "",
          "with --redis: YYYY-MM, YYYY-MM-DD, week:YYYY-MM-DD or <RFC3339>/<RFC3339>");
ABSL_FLAG(std::string, compare, "",
          "compare the CSV with this file byte for byte: exit 1 and say where on a difference");
ABSL_FLAG(bool, check, false,
          "evaluate twice (as generated, and with events and timeline entries shuffled); "
          "exit 1 if the CSV differs, print \"identical\" otherwise");

namespace zhiwang::console {
namespace {

// The same events with the events and each timeline's entries in a seeded random order.
std::vector<EventRecord> Shuffled(std::vector<EventRecord> events, uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x5DEECE66DULL);
  std::shuffle(events.begin(), events.end(), rng);
  for (EventRecord& e : events) std::shuffle(e.timeline.begin(), e.timeline.end(), rng);
  return events;
}

absl::StatusOr<std::string> EvaluateToCsv(const std::vector<EventRecord>& events,
                                          const sla::PolicySet& policies,
                                          const sla::BusinessCalendar& calendar,
                                          const Period& period, Grouping grouping) {
  absl::StatusOr<GroupFigures> figures = Evaluate(events, policies, calendar, period, grouping);
  if (!figures.ok()) return figures.status();
  return EvaluationCsv(*figures, grouping);
}

int Fail(const absl::Status& s) {
  std::cerr << "zweval: " << s << "\n";
  return 2;
}

absl::StatusOr<Period> ParsePeriod(absl::string_view text, const absl::TimeZone& tz) {
  absl::CivilMonth month;
  absl::CivilDay day;
  if (absl::ConsumePrefix(&text, "week:")) {
    if (absl::ParseCivilTime(text, &day)) return WeekPeriod(day, tz);
  } else if (text.size() == 7 && absl::ParseCivilTime(text, &month)) {
    return MonthPeriod(month, tz);
  } else if (text.size() == 10 && absl::ParseCivilTime(text, &day)) {
    return DayPeriod(day, tz);
  } else if (std::vector<std::string> r = absl::StrSplit(text, '/'); r.size() == 2) {
    absl::Time from, to;
    std::string err;
    if (absl::ParseTime(absl::RFC3339_full, r[0], &from, &err) &&
        absl::ParseTime(absl::RFC3339_full, r[1], &to, &err)) {
      return MakePeriod(from, to);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "period: \"", text, "\" is not YYYY-MM, YYYY-MM-DD, week:YYYY-MM-DD or <from>/<to>"));
}

// Every event of the district with its timeline: the event keys by SCAN (never KEYS), then
// each event hash and timeline list (pipelined).
absl::StatusOr<std::vector<EventRecord>> ReadDistrict(const std::string& address,
                                                      const std::string& district) {
  std::pair<std::string, std::string> hp = absl::StrSplit(address, absl::MaxSplits(':', 1));
  int port = 0;
  if (hp.first.empty() || !absl::SimpleAtoi(hp.second, &port)) {
    return absl::InvalidArgumentError(absl::StrCat("redis: \"", address, "\" is not host:port"));
  }
  auto client = redis::RedisClient::Connect(
      {.host = hp.first, .port = port, .command_timeout = absl::Seconds(30)});
  if (!client.ok()) return client.status();
  const std::string prefix = redis::keys::EventPrefix(district);
  std::vector<std::string> ids;
  std::string cursor = "0";
  // Bounded: SCAN visits every key once per full iteration; 10^7 rounds is far beyond it.
  for (int round = 0; round < 10'000'000; ++round) {
    absl::StatusOr<redis::RedisReply> r =
        (*client)->Call({"SCAN", cursor, "MATCH", absl::StrCat(prefix, "*"), "COUNT", "1000"});
    if (!r.ok()) return r.status();
    if (r->is_error() || r->elements.size() != 2) {
      return absl::InternalError(absl::StrCat("SCAN: ", r->str));
    }
    for (const redis::RedisReply& k : r->elements[1].elements) {
      absl::string_view id = k.str;
      if (absl::ConsumePrefix(&id, prefix)) ids.emplace_back(id);
    }
    cursor = r->elements[0].str;
    if (cursor == "0") break;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());  // SCAN may repeat a key
  std::promise<absl::StatusOr<std::vector<EventRecord>>> p;
  LoadEventRecords(client->get(), district, std::move(ids), 2000,
                   [&p](absl::StatusOr<std::vector<EventRecord>> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

// Exit code 0 when `csv` equals the file's bytes, 1 (saying where) otherwise.
int Compare(const std::string& csv, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(absl::NotFoundError(absl::StrCat("compare: cannot read ", path)));
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file == csv) {
    std::cout << "identical\n";
    return 0;
  }
  size_t at = 0;
  while (at < file.size() && at < csv.size() && file[at] == csv[at]) ++at;
  std::cout << "different: first difference at byte " << at << " (file " << file.size()
            << " bytes, recomputed " << csv.size() << " bytes)\n";
  return 1;
}

int RunRedis() {
  absl::StatusOr<Grouping> grouping = ParseGrouping(absl::GetFlag(FLAGS_group));
  if (!grouping.ok()) return Fail(grouping.status());
  const std::string district = absl::GetFlag(FLAGS_district);
  if (district.empty()) return Fail(absl::InvalidArgumentError("district is required"));
  absl::StatusOr<sla::LoadedDistrict> sla_config =
      sla::LoadDistrict(absl::GetFlag(FLAGS_sla_policies), {});
  if (!sla_config.ok()) return Fail(sla_config.status());
  const sla::BusinessCalendar& calendar = sla_config->config->calendar;
  absl::StatusOr<Period> period = ParsePeriod(absl::GetFlag(FLAGS_period), calendar.time_zone());
  if (!period.ok()) return Fail(period.status());
  absl::StatusOr<std::vector<EventRecord>> events =
      ReadDistrict(absl::GetFlag(FLAGS_redis), district);
  if (!events.ok()) return Fail(events.status());
  absl::StatusOr<std::string> csv =
      EvaluateToCsv(*events, sla_config->config->policies, calendar, *period, *grouping);
  if (!csv.ok()) return Fail(csv.status());
  const std::string path = absl::GetFlag(FLAGS_csv);
  if (!path.empty()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *csv;
    out.close();
    if (!out) return Fail(absl::UnavailableError(absl::StrCat("csv: cannot write ", path)));
  }
  if (!absl::GetFlag(FLAGS_compare).empty()) return Compare(*csv, absl::GetFlag(FLAGS_compare));
  if (path.empty()) std::cout << *csv << std::flush;
  return 0;
}

int Run() {
  if (!absl::GetFlag(FLAGS_redis).empty()) return RunRedis();
  absl::CivilMonth month;
  if (!absl::ParseCivilTime(absl::GetFlag(FLAGS_month), &month)) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("month: \"", absl::GetFlag(FLAGS_month), "\" is not YYYY-MM")));
  }
  absl::StatusOr<Grouping> grouping = ParseGrouping(absl::GetFlag(FLAGS_group));
  if (!grouping.ok()) return Fail(grouping.status());

  absl::StatusOr<sla::LoadedDistrict> sla_config =
      sla::LoadDistrict(absl::GetFlag(FLAGS_sla_policies), {});
  if (!sla_config.ok()) return Fail(sla_config.status());
  const sla::BusinessCalendar& calendar = sla_config->config->calendar;
  const sla::PolicySet& policies = sla_config->config->policies;
  const Period period = MonthPeriod(month, calendar.time_zone());

  GeneratorOptions options;
  options.seed = absl::GetFlag(FLAGS_generate_seed);
  options.month = month;
  options.time_zone = calendar.time_zone();
  options.events = absl::GetFlag(FLAGS_events);
  absl::StatusOr<std::vector<EventRecord>> events = GenerateMonth(options);
  if (!events.ok()) return Fail(events.status());

  absl::StatusOr<std::string> csv = EvaluateToCsv(*events, policies, calendar, period, *grouping);
  if (!csv.ok()) return Fail(csv.status());

  int rc = 0;
  if (absl::GetFlag(FLAGS_check)) {
    absl::StatusOr<std::string> again =
        EvaluateToCsv(Shuffled(*events, options.seed), policies, calendar, period, *grouping);
    if (!again.ok()) return Fail(again.status());
    if (*again == *csv) {
      std::cout << "identical\n";
    } else {
      std::cout << "different: the shuffled events give another CSV\n";
      rc = 1;
    }
  }

  const std::string path = absl::GetFlag(FLAGS_csv);
  if (!path.empty()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *csv;
    out.close();
    if (!out) return Fail(absl::UnavailableError(absl::StrCat("csv: cannot write ", path)));
  } else if (!absl::GetFlag(FLAGS_check)) {
    std::cout << *csv << std::flush;
  }
  return rc;
}

}  // namespace
}  // namespace zhiwang::console

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "zweval --redis=host:port --district=D --period=YYYY-MM [--group=...] "
      "[--compare=file.csv] [--csv=out.csv]\n"
      "zweval --generate_seed=N --month=YYYY-MM [--group=department|street|community|"
      "worker|district] [--csv=out.csv] [--check]");
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);
  if (rest.size() > 1) {
    std::cerr << "zweval: unexpected argument " << rest[1] << "\n";
    return 2;
  }
  return zhiwang::console::Run();
}
