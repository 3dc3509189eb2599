// feed (issue 6, item 3): a generated month written to a real redis-server in the stored
// format; the EvaluationService's CSV export (real service, gRPC in-process) equals byte
// for byte what the zweval binary recomputes from the raw timelines (SCAN of zw:{D}:ev:*
// and the zw:{D}:tl:* lists), for every grouping; and zweval --compare notices a change.

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/console/evaluation_fixture.h"
#include "services/console/evaluation_generator.h"
#include "services/console/evaluation_service.h"
#include "services/console/redis_evaluation_source.h"
#include "services/sla/sla_config_loader.h"

namespace zhiwang::console {
namespace {

using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kEnv =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

// Runs zweval with `args`; its exit code (-1 when it did not exit normally).
int RunZweval(const std::vector<std::string>& args) {
  std::vector<std::string> all = {ZW_ZWEVAL};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/zweval_", getpid(), "_", name);
}

TEST(ZwevalRedisTest, ServiceCsvEqualsRecomputationFromRawTimelines) {
  ASSERT_NE(RedisEnvironment::server(), nullptr);
  ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
  const int port = RedisEnvironment::server()->port();
  auto client = redis::RedisClient::Connect({.port = port});
  ASSERT_TRUE(client.ok()) << client.status();

  absl::StatusOr<sla::LoadedDistrict> loaded = sla::LoadDistrict(ZW_SLA_POLICIES, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  sla::SlaConfig sla;
  sla.Set("*", loaded->config);

  GeneratorOptions o;
  o.seed = 7;
  o.events = 300;
  o.time_zone = loaded->config->calendar.time_zone();
  absl::StatusOr<std::vector<EventRecord>> month = GenerateMonth(o);
  ASSERT_TRUE(month.ok()) << month.status();
  ASSERT_TRUE(WriteStoredRecords(client->get(), *month).ok());

  MemoryOrgStore org_store;
  OrgRegistry orgs(&org_store);
  RealClock clock;  // March 2026 is over: the service caches it, zweval reads no cache
  RedisEvaluationSource source(client->get());
  EvaluationRunner runner(&source, &sla, "cfg", &clock, {});
  EvaluationService service(&runner, &orgs);
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = v1::EvaluationService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));

  for (auto [pg, name] : {std::pair{v1::EVALUATION_GROUPING_DEPARTMENT, "department"},
                          std::pair{v1::EVALUATION_GROUPING_DISTRICT, "district"},
                          std::pair{v1::EVALUATION_GROUPING_STREET, "street"},
                          std::pair{v1::EVALUATION_GROUPING_COMMUNITY, "community"},
                          std::pair{v1::EVALUATION_GROUPING_WORKER, "worker"}}) {
    v1::EvaluateRequest req;
    req.set_district_id("d1");
    req.set_month("2026-03");
    req.set_grouping(pg);
    grpc::ClientContext ctx;
    ctx.AddMetadata(kDevIdentityHeader, FormatDevIdentity({"aud", Role::kAuditor, "", ""}));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::EvaluationCsvFile file;
    grpc::Status s = stub->ExportEvaluationCsv(&ctx, req, &file);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_GT(file.content().size(), 100u) << name;
    const std::string path = TempPath(absl::StrCat(name, ".csv"));
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << file.content();
    }
    std::vector<std::string> args = {absl::StrCat("--redis=127.0.0.1:", port),
                                     "--district=d1",
                                     "--period=2026-03",
                                     absl::StrCat("--group=", name),
                                     absl::StrCat("--sla_policies=", ZW_SLA_POLICIES),
                                     absl::StrCat("--compare=", path)};
    EXPECT_EQ(RunZweval(args), 0) << name;
    // One byte changed: zweval must see it.
    std::string changed = file.content();
    changed[changed.size() - 3] = changed[changed.size() - 3] == '1' ? '2' : '1';
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << changed;
    }
    EXPECT_EQ(RunZweval(args), 1) << name;
    std::remove(path.c_str());
  }
  server->Shutdown();
}

}  // namespace
}  // namespace zhiwang::console
