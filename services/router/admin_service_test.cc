// Unit tests of the AdminService adapter, in-process over the in-memory org store:
// admins only, validation before anything is written, the previous version stays in
// force when a load is refused.

#include "services/router/admin_service.h"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_replace.h"
#include "common/domain/org_registry.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/store/memory_org_store.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "zhiwang/v1/admin.grpc.pb.h"

namespace zhiwang::router {
namespace {

DistrictOrg TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}};
  org.communities = {{"c1", "Community 1", "st1"}};
  org.grids = {{"g1", "Grid 1", "c1"}};
  org.departments = {{"dep_a", "Urban management", DepartmentLevel::kStreet, "st1"}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal}};
  org.routing_rules = {{"garbage", {"dep_a"}}};
  return org;
}

const Identity kAdmin{"root", Role::kAdmin, "", ""};
const Identity kDispatcher{"disp-1", Role::kDistrictDispatcher, "440304", ""};

bool Mentions(const grpc::Status& s, std::string_view what) {
  return s.error_message().find(what) != std::string::npos;
}

class AdminServiceTest : public ::testing::Test {
 protected:
  AdminServiceTest() : orgs_(&org_store_), service_(&orgs_) {
    absl::StatusOr<int64_t> v = orgs_.Publish(TestDistrict());
    EXPECT_TRUE(v.ok()) << v.status();
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    stub_ = v1::AdminService::NewStub(server_->InProcessChannel(grpc::ChannelArguments()));
  }
  ~AdminServiceTest() override { server_->Shutdown(); }

  // A client context carrying `who`, with a generous deadline so a handler that never
  // finishes fails the test instead of hanging it.
  static std::unique_ptr<grpc::ClientContext> Context(const Identity& who) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(kDevIdentityHeader, FormatDevIdentity(who));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  grpc::Status Load(const Identity& who, const DistrictOrg& org, v1::LoadDistrictResponse* resp) {
    v1::LoadDistrictRequest req;
    ToProto(org, req.mutable_district());
    return stub_->LoadDistrict(Context(who).get(), req, resp);
  }

  grpc::Status Get(const Identity& who, const std::string& id, v1::GetDistrictResponse* resp) {
    v1::GetDistrictRequest req;
    req.set_district_id(id);
    return stub_->GetDistrict(Context(who).get(), req, resp);
  }

  MemoryOrgStore org_store_;
  OrgRegistry orgs_;
  AdminService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AdminService::Stub> stub_;
};

TEST_F(AdminServiceTest, AdminLoadsANewVersion) {
  DistrictOrg next = TestDistrict();
  next.grids.push_back({"g2", "Grid 2", "c1"});
  v1::LoadDistrictResponse resp;
  grpc::Status s = Load(kAdmin, next, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.version(), 2);  // the fixture published version 1
  ASSERT_NE(orgs_.FindByGrid("g2"), nullptr);

  v1::GetDistrictResponse got;
  s = Get(kAdmin, "440304", &got);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(got.district().id(), "440304");
  EXPECT_EQ(got.district().grids_size(), 2);
}

TEST_F(AdminServiceTest, NonAdminMayNotLoad) {
  DistrictOrg next = TestDistrict();
  next.name = "Hijacked";
  v1::LoadDistrictResponse resp;
  grpc::Status s = Load(kDispatcher, next, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(orgs_.Find("440304")->org().name, "Futian");
  absl::StatusOr<int64_t> version = org_store_.Version("440304");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 1);
}

TEST_F(AdminServiceTest, NonAdminMayNotRead) {
  v1::GetDistrictResponse resp;
  Identity street{"disp-2", Role::kStreetDispatcher, "440304", ""};
  grpc::Status s = Get(street, "440304", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// auth (issue 7): a district dispatcher reads its own district (read-only); another one is
// answered like a missing district.
TEST_F(AdminServiceTest, DistrictDispatcherReadsOnlyItsOwnDistrict) {
  v1::GetDistrictResponse resp;
  grpc::Status s = Get(kDispatcher, "440304", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.district().id(), "440304");
  Identity elsewhere{"disp-9", Role::kDistrictDispatcher, "440399", ""};
  grpc::Status other = Get(elsewhere, "440304", &resp);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status missing = Get(kAdmin, "440399", &resp);
  EXPECT_EQ(other.error_message(),
            absl::StrReplaceAll(missing.error_message(), {{"440399", "440304"}}));
}

TEST_F(AdminServiceTest, LoadWithoutIdentityIsUnauthenticated) {
  grpc::ClientContext ctx;
  v1::LoadDistrictRequest req;
  ToProto(TestDistrict(), req.mutable_district());
  v1::LoadDistrictResponse resp;
  grpc::Status s = stub_->LoadDistrict(&ctx, req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AdminServiceTest, BrokenDistrictIsRefusedAndThePreviousStaysInForce) {
  DistrictOrg broken = TestDistrict();
  broken.name = "Broken";
  broken.grids.push_back({"g9", "Grid 9", "no_such_community"});
  v1::LoadDistrictResponse resp;
  grpc::Status s = Load(kAdmin, broken, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "grids.community_id")) << s.error_message();
  EXPECT_TRUE(Mentions(s, "g9")) << s.error_message();

  v1::GetDistrictResponse got;
  s = Get(kAdmin, "440304", &got);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(got.district().name(), "Futian");
  ASSERT_EQ(got.district().grids_size(), 1);
  EXPECT_EQ(got.district().grids(0).id(), "g1");
  absl::StatusOr<int64_t> version = org_store_.Version("440304");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 1);  // nothing written
}

TEST_F(AdminServiceTest, RuleNamingUnknownDepartmentIsInvalidArgument) {
  DistrictOrg broken = TestDistrict();
  broken.routing_rules = {{"garbage", {"dep_zz"}}};
  v1::LoadDistrictResponse resp;
  grpc::Status s = Load(kAdmin, broken, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "dep_zz")) << s.error_message();
}

TEST_F(AdminServiceTest, LoadWithoutDistrictIsInvalidArgument) {
  v1::LoadDistrictRequest req;
  v1::LoadDistrictResponse resp;
  grpc::Status s = stub_->LoadDistrict(Context(kAdmin).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Mentions(s, "district")) << s.error_message();
}

TEST_F(AdminServiceTest, GetUnknownDistrictIsNotFound) {
  v1::GetDistrictResponse resp;
  grpc::Status s = Get(kAdmin, "999999", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminServiceTest, GetReturnsWhatWasLoaded) {
  v1::GetDistrictResponse resp;
  grpc::Status s = Get(kAdmin, "440304", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  DistrictOrg back = FromProto(resp.district());
  DistrictOrg want = TestDistrict();
  EXPECT_EQ(back.name, want.name);
  ASSERT_EQ(back.departments.size(), 1u);
  EXPECT_EQ(back.departments[0].level, DepartmentLevel::kStreet);
  ASSERT_EQ(back.routing_rules.size(), 1u);
  EXPECT_EQ(back.routing_rules[0].department_ids, want.routing_rules[0].department_ids);
}

// GetDistrict reports the version in force (OrgRegistry::VersionOf).
TEST_F(AdminServiceTest, GetReportsTheVersionInForce) {
  v1::GetDistrictResponse resp;
  grpc::Status s = Get(kAdmin, "440304", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.version(), 1);
}

}  // namespace
}  // namespace zhiwang::router
