// feed (issue 6): EvaluationService through the real adapter in-process, on a real
// redis-server holding a generated month in the stored format: the RPC's figures equal
// the pure Evaluate over the same events; finished periods are cached, the current one is
// not; scope by role; bad requests name the field.

#include "services/console/evaluation_service.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/domain/org_registry.h"
#include "common/redis/keys.h"
#include "common/redis/redis_client.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "common/testing/redis_environment.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/console/evaluation_convert.h"
#include "services/console/evaluation_csv.h"
#include "services/console/evaluation_fixture.h"
#include "services/console/evaluation_generator.h"
#include "services/console/redis_evaluation_source.h"
#include "services/sla/sla_config_loader.h"

namespace zhiwang::console {
namespace {

using zhiwang::testing::RedisEnvironment;

// The RedisEnvironment is registered once for this binary, in
// evaluation_source_contract_test.cc.

DistrictOrg GeneratorDistrict() {
  DistrictOrg org;
  org.id = "d1";
  org.name = "Generated";
  for (const char* st : {"st1", "st2", "st3"}) {
    org.streets.push_back({st, st});
    for (int c = 0; c < 2; ++c) {
      std::string id = absl::StrCat(st, "-c", c);
      org.communities.push_back({id, id, st});
    }
  }
  for (const char* dep : {"water", "urban", "housing", "market"}) {
    org.departments.push_back({dep, dep, DepartmentLevel::kDistrict, ""});
  }
  org.categories = {{"0101", "Exposed garbage", "environment", Urgency::kNormal},
                    {"0202", "Standing water", "environment", Urgency::kNormal}};
  return org;
}

const Identity kAdmin{"admin", Role::kAdmin, "", ""};
const Identity kAuditor{"aud", Role::kAuditor, "", ""};
const Identity kLeaderSt1{"lead", Role::kLeader, "st1", ""};
const Identity kDistrictDispatcher{"dd", Role::kDistrictDispatcher, "d1", ""};
const Identity kWorker{"gw", Role::kGridWorker, "st1-c0", ""};
const Identity kOperator{"op", Role::kDepartmentOperator, "d1", "water"};
const Identity kOutsider{"lead2", Role::kLeader, "elsewhere", ""};

class EvaluationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto client = redis::RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    absl::StatusOr<sla::LoadedDistrict> loaded = sla::LoadDistrict(ZW_SLA_POLICIES, {});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    district_sla_ = loaded->config;
    sla_.Set("*", district_sla_);
    tz_ = district_sla_->calendar.time_zone();
    orgs_ = std::make_unique<OrgRegistry>(&org_store_);
    ASSERT_TRUE(orgs_->Publish(GeneratorDistrict()).ok());

    GeneratorOptions o;
    o.seed = 5;
    o.events = 200;
    o.time_zone = tz_;
    absl::StatusOr<std::vector<EventRecord>> month = GenerateMonth(o);
    ASSERT_TRUE(month.ok()) << month.status();
    month_ = *std::move(month);
    ASSERT_TRUE(WriteStoredRecords(client_.get(), month_).ok());

    source_ = std::make_unique<RedisEvaluationSource>(client_.get());
    runner_ = std::make_unique<EvaluationRunner>(source_.get(), &sla_, "cfg-test", &clock_,
                                                 EvaluationRunner::Options{});
    service_ = std::make_unique<EvaluationService>(runner_.get(), orgs_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = v1::EvaluationService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  static std::unique_ptr<grpc::ClientContext> Context(const Identity& who) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(kDevIdentityHeader, FormatDevIdentity(who));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  static v1::EvaluateRequest March(v1::EvaluationGrouping g) {
    v1::EvaluateRequest req;
    req.set_district_id("d1");
    req.set_month("2026-03");
    req.set_grouping(g);
    return req;
  }

  GroupFigures Direct(const std::vector<EventRecord>& events, Grouping g) {
    absl::StatusOr<GroupFigures> f =
        Evaluate(events, district_sla_->policies, district_sla_->calendar,
                 MonthPeriod(absl::CivilMonth(2026, 3), tz_), g);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? *f : GroupFigures{};
  }

  static GroupFigures FromResponse(const v1::EvaluateResponse& resp) {
    GroupFigures out;
    for (const v1::GroupFigures& g : resp.groups()) out[g.group_id()] = FiguresFromProto(g);
    return out;
  }

  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};  // 2026-09: March is long over
  sla::SlaConfig sla_;
  std::shared_ptr<const sla::DistrictSla> district_sla_;
  absl::TimeZone tz_;
  MemoryOrgStore org_store_;
  std::unique_ptr<OrgRegistry> orgs_;
  std::vector<EventRecord> month_;
  std::unique_ptr<redis::RedisClient> client_;
  std::unique_ptr<RedisEvaluationSource> source_;
  std::unique_ptr<EvaluationRunner> runner_;
  std::unique_ptr<EvaluationService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::EvaluationService::Stub> stub_;
};

TEST_F(EvaluationServiceTest, FiguresEqualThePureEvaluationAndAreCachedOnceFinal) {
  for (auto [pg, g] : {std::pair{v1::EVALUATION_GROUPING_DEPARTMENT, Grouping::kDepartment},
                       std::pair{v1::EVALUATION_GROUPING_STREET, Grouping::kStreet},
                       std::pair{v1::EVALUATION_GROUPING_WORKER, Grouping::kGridWorker}}) {
    v1::EvaluateResponse first, second;
    grpc::Status s = stub_->Evaluate(Context(kAuditor).get(), March(pg), &first);
    ASSERT_TRUE(s.ok()) << s.error_message();
    GroupFigures want = Direct(month_, g);
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(FromResponse(first), want);
    EXPECT_TRUE(first.final());
    EXPECT_FALSE(first.from_cache());
    EXPECT_EQ(first.scope(), "");
    ASSERT_TRUE(stub_->Evaluate(Context(kAdmin).get(), March(pg), &second).ok());
    EXPECT_TRUE(second.from_cache());
    EXPECT_EQ(FromResponse(second), want);
  }
  // The rates are the exact ratios of the counts.
  v1::EvaluateResponse resp;
  ASSERT_TRUE(
      stub_->Evaluate(Context(kAdmin).get(), March(v1::EVALUATION_GROUPING_DISTRICT), &resp).ok());
  ASSERT_EQ(resp.groups_size(), 1);
  const v1::GroupFigures& d = resp.groups(0);
  EXPECT_EQ(d.group_id(), "d1");
  EXPECT_EQ(d.on_time_rate().numerator(), d.on_time());
  EXPECT_EQ(d.on_time_rate().denominator(), d.due() - d.suspended());
  EXPECT_EQ(d.closure_rate().numerator(), d.closed_fixed() + d.closed_not_fixed());
  EXPECT_GT(d.closed_not_fixed(), 0);  // the generator resolves some as NOT_FIXED
  // The cache key exists in Redis under its documented name.
  Period march = MonthPeriod(absl::CivilMonth(2026, 3), tz_);
  absl::StatusOr<redis::RedisReply> exists =
      client_->Call({"EXISTS", redis::keys::EvaluationCache(
                                   "d1", "", "department", absl::ToUnixMillis(march.from),
                                   absl::ToUnixMillis(march.to), "cfg-test")});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->integer, 1);
}

TEST_F(EvaluationServiceTest, CurrentPeriodIsComputedLiveNotCached) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 3, 20, 12, 0, 0), tz_));
  v1::EvaluateResponse a, b;
  ASSERT_TRUE(
      stub_->Evaluate(Context(kAdmin).get(), March(v1::EVALUATION_GROUPING_DEPARTMENT), &a).ok());
  EXPECT_FALSE(a.final());
  EXPECT_FALSE(a.from_cache());
  ASSERT_TRUE(
      stub_->Evaluate(Context(kAdmin).get(), March(v1::EVALUATION_GROUPING_DEPARTMENT), &b).ok());
  EXPECT_FALSE(b.from_cache());
}

TEST_F(EvaluationServiceTest, AreaScopedCallersSeeOnlyTheirAreasEvents) {
  std::vector<EventRecord> st1;
  for (const EventRecord& r : month_) {
    if (r.event.street_id == "st1") st1.push_back(r);
  }
  ASSERT_FALSE(st1.empty());
  ASSERT_LT(st1.size(), month_.size());
  v1::EvaluateResponse resp;
  ASSERT_TRUE(
      stub_->Evaluate(Context(kLeaderSt1).get(), March(v1::EVALUATION_GROUPING_DEPARTMENT), &resp)
          .ok());
  EXPECT_EQ(resp.scope(), "st1");
  EXPECT_EQ(FromResponse(resp), Direct(st1, Grouping::kDepartment));
  ASSERT_TRUE(
      stub_->Evaluate(Context(kLeaderSt1).get(), March(v1::EVALUATION_GROUPING_STREET), &resp)
          .ok());
  ASSERT_EQ(resp.groups_size(), 1);  // only their street's row
  EXPECT_EQ(resp.groups(0).group_id(), "st1");
  // A district dispatcher sees the whole district.
  ASSERT_TRUE(stub_
                  ->Evaluate(Context(kDistrictDispatcher).get(),
                             March(v1::EVALUATION_GROUPING_STREET), &resp)
                  .ok());
  EXPECT_EQ(resp.groups_size(), 3);
  EXPECT_EQ(resp.scope(), "");
}

TEST_F(EvaluationServiceTest, OtherRolesAndOutsidersAreDenied) {
  for (const Identity& who : {kWorker, kOperator, kOutsider}) {
    v1::EvaluateResponse resp;
    grpc::Status s =
        stub_->Evaluate(Context(who).get(), March(v1::EVALUATION_GROUPING_DEPARTMENT), &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << who.subject;
    EXPECT_EQ(resp.groups_size(), 0);
  }
}

TEST_F(EvaluationServiceTest, BadRequestsNameTheField) {
  struct Case {
    std::function<void(v1::EvaluateRequest&)> edit;
    std::string field;
  };
  std::vector<Case> cases = {
      {[](v1::EvaluateRequest& r) { r.clear_month(); }, "period"},
      {[](v1::EvaluateRequest& r) { r.set_month("2026-13"); }, "month"},
      {[](v1::EvaluateRequest& r) { r.set_day("March 3"); }, "day"},
      {[](v1::EvaluateRequest& r) { r.set_week("2026/03/03"); }, "week"},
      {[](v1::EvaluateRequest& r) { r.set_grouping(v1::EVALUATION_GROUPING_UNSPECIFIED); },
       "grouping"},
      {[](v1::EvaluateRequest& r) { r.clear_district_id(); }, "district_id"},
      {[](v1::EvaluateRequest& r) {
         *r.mutable_range()->mutable_from() = ::zhiwang::ToProto(absl::FromUnixSeconds(2000));
         *r.mutable_range()->mutable_to() = ::zhiwang::ToProto(absl::FromUnixSeconds(1000));
       },
       "range.to"},
  };
  for (const Case& c : cases) {
    v1::EvaluateRequest req = March(v1::EVALUATION_GROUPING_DEPARTMENT);
    c.edit(req);
    v1::EvaluateResponse resp;
    grpc::Status s = stub_->Evaluate(Context(kAdmin).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_NE(s.error_message().find(c.field), std::string::npos) << s.error_message();
  }
}

TEST_F(EvaluationServiceTest, CsvExportIsTheEvaluationCsv) {
  v1::EvaluationCsvFile file;
  grpc::Status s = stub_->ExportEvaluationCsv(Context(kAdmin).get(),
                                              March(v1::EVALUATION_GROUPING_COMMUNITY), &file);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(file.content(),
            EvaluationCsv(Direct(month_, Grouping::kCommunity), Grouping::kCommunity));
  EXPECT_EQ(file.content().substr(0, 3), "\xEF\xBB\xBF");  // UTF-8 BOM
  EXPECT_NE(file.filename().find("community"), std::string::npos);
}

}  // namespace
}  // namespace zhiwang::console
