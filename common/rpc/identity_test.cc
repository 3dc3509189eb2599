// Unit tests of the development identity header: parsing, refusals (all UNAUTHENTICATED)
// and formatting.

#include "common/rpc/identity.h"

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/domain/event.h"
#include "grpcpp/support/string_ref.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

bool Mentions(const absl::Status& s, absl::string_view what) {
  return s.message().find(what) != absl::string_view::npos;
}

void ExpectSameIdentity(const Identity& a, const Identity& b) {
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.area, b.area);
  EXPECT_EQ(a.department_id, b.department_id);
}

TEST(ParseDevIdentityTest, ParsesEveryField) {
  absl::StatusOr<Identity> who =
      ParseDevIdentity("subject=worker-001;role=grid_worker;area=440304001001001;department=");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->subject, "worker-001");
  EXPECT_EQ(who->role, Role::kGridWorker);
  EXPECT_EQ(who->area, "440304001001001");
  EXPECT_EQ(who->department_id, "");
}

TEST(ParseDevIdentityTest, ParsesDepartmentOperator) {
  absl::StatusOr<Identity> who =
      ParseDevIdentity("subject=op.1@dep_a;role=department_operator;department=dep_a");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->subject, "op.1@dep_a");
  EXPECT_EQ(who->role, Role::kDepartmentOperator);
  EXPECT_EQ(who->department_id, "dep_a");
  EXPECT_EQ(who->area, "");
}

TEST(ParseDevIdentityTest, ToleratesWhitespaceAndKeyOrder) {
  absl::StatusOr<Identity> who = ParseDevIdentity(" role = admin ; subject = root ;");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->subject, "root");
  EXPECT_EQ(who->role, Role::kAdmin);
}

TEST(ParseDevIdentityTest, MissingSubjectIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("role=grid_worker;area=g1");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Mentions(who.status(), "subject")) << who.status();
}

TEST(ParseDevIdentityTest, EmptySubjectIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("subject=;role=grid_worker");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Mentions(who.status(), "subject")) << who.status();
}

TEST(ParseDevIdentityTest, MissingRoleIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("subject=w1;area=g1");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Mentions(who.status(), "role")) << who.status();
}

TEST(ParseDevIdentityTest, EmptyHeaderIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(ParseDevIdentityTest, UnknownRoleIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("subject=w1;role=superuser");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Mentions(who.status(), "superuser")) << who.status();
}

TEST(ParseDevIdentityTest, UnspecifiedRoleNameIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("subject=w1;role=");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(ParseDevIdentityTest, UnknownKeyIsUnauthenticated) {
  absl::StatusOr<Identity> who = ParseDevIdentity("subject=w1;role=grid_worker;level=9");
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Mentions(who.status(), "level")) << who.status();
}

TEST(ParseDevIdentityTest, BadCharactersInSubjectAreUnauthenticated) {
  for (const char* header :
       {"subject=w 1;role=grid_worker", "subject=w/1;role=grid_worker",
        "subject=w,1;role=grid_worker", "subject=w\xe4\xb8\x80;role=grid_worker",
        "subject=w=1;role=grid_worker"}) {
    absl::StatusOr<Identity> who = ParseDevIdentity(header);
    ASSERT_FALSE(who.ok()) << header;
    EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated) << header;
  }
}

TEST(ParseDevIdentityTest, SubjectLongerThan64IsUnauthenticated) {
  std::string ok = "subject=" + std::string(64, 'a') + ";role=grid_worker";
  EXPECT_TRUE(ParseDevIdentity(ok).ok());
  std::string too_long = "subject=" + std::string(65, 'a') + ";role=grid_worker";
  absl::StatusOr<Identity> who = ParseDevIdentity(too_long);
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(ParseDevIdentityTest, BadCharactersInAreaOrDepartmentAreUnauthenticated) {
  absl::StatusOr<Identity> area = ParseDevIdentity("subject=w1;role=grid_worker;area=g 1");
  ASSERT_FALSE(area.ok());
  EXPECT_EQ(area.status().code(), absl::StatusCode::kUnauthenticated);
  absl::StatusOr<Identity> dep =
      ParseDevIdentity("subject=op;role=department_operator;department=dep/a");
  ASSERT_FALSE(dep.ok());
  EXPECT_EQ(dep.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(ParseDevIdentityTest, DepartmentRoleWithoutDepartmentIsUnauthenticated) {
  for (const char* header :
       {"subject=op;role=department_operator",
        "subject=op;role=department_operator;department=", "subject=sys;role=department_system"}) {
    absl::StatusOr<Identity> who = ParseDevIdentity(header);
    ASSERT_FALSE(who.ok()) << header;
    EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated) << header;
    EXPECT_TRUE(Mentions(who.status(), "department")) << who.status();
  }
}

TEST(FormatDevIdentityTest, RoundTripsEveryRole) {
  for (int r = 1; r <= kMaxRole; ++r) {
    Identity who;
    who.role = static_cast<Role>(r);
    who.subject = "user-" + std::to_string(r) + "@x.y_z";
    who.area = "440304001";
    if (who.role == Role::kDepartmentOperator || who.role == Role::kDepartmentSystem) {
      who.department_id = "dep_a";
    }
    std::string header = FormatDevIdentity(who);
    absl::StatusOr<Identity> back = ParseDevIdentity(header);
    ASSERT_TRUE(back.ok()) << header << ": " << back.status();
    ExpectSameIdentity(*back, who);
  }
}

TEST(FormatDevIdentityTest, RoundTripsEmptyOptionalFields) {
  Identity who{"w1", Role::kGridWorker, "", ""};
  absl::StatusOr<Identity> back = ParseDevIdentity(FormatDevIdentity(who));
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSameIdentity(*back, who);
}

TEST(IdentityFromMetadataTest, ReadsTheDevHeader) {
  std::string value = "subject=w1;role=grid_worker;area=g1";
  std::multimap<grpc::string_ref, grpc::string_ref> md;
  md.emplace(grpc::string_ref("other"), grpc::string_ref("x"));
  md.emplace(grpc::string_ref(kDevIdentityHeader), grpc::string_ref(value));
  absl::StatusOr<Identity> who = IdentityFromMetadata(md);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->subject, "w1");
  EXPECT_EQ(who->area, "g1");
}

TEST(IdentityFromMetadataTest, MissingHeaderIsUnauthenticated) {
  std::multimap<grpc::string_ref, grpc::string_ref> md;
  md.emplace(grpc::string_ref("other"), grpc::string_ref("x"));
  absl::StatusOr<Identity> who = IdentityFromMetadata(md);
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Mentions(who.status(), kDevIdentityHeader)) << who.status();
}

TEST(IdentityFromMetadataTest, MalformedHeaderIsUnauthenticated) {
  std::string value = "subject=w1;role=nobody";
  std::multimap<grpc::string_ref, grpc::string_ref> md;
  md.emplace(grpc::string_ref(kDevIdentityHeader), grpc::string_ref(value));
  absl::StatusOr<Identity> who = IdentityFromMetadata(md);
  ASSERT_FALSE(who.ok());
  EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated);
}

// authn (issue 7): the CallGate's verdict, when present, is the only thing that counts.
TEST(IdentityFromMetadataTest, GateVerdictWinsOverTheDevHeader) {
  std::string verdict = FormatGateVerdict(Authenticated{
      Identity{"op-1", Role::kDepartmentOperator, "990100", "990100_cgj"}, AuthMethod::kBearer});
  std::string dev = "subject=root;role=admin";
  std::multimap<grpc::string_ref, grpc::string_ref> md;
  md.emplace(grpc::string_ref(kDevIdentityHeader), grpc::string_ref(dev));
  md.emplace(grpc::string_ref(kGateHeader), grpc::string_ref(verdict));
  absl::StatusOr<Authenticated> a = AuthenticatedFromMetadata(md);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->who.subject, "op-1");
  EXPECT_EQ(a->who.role, Role::kDepartmentOperator);
  EXPECT_EQ(a->who.department_id, "990100_cgj");
  EXPECT_EQ(a->method, AuthMethod::kBearer);
}

TEST(IdentityFromMetadataTest, GateRefusalKeepsItsCodeAndMessage) {
  std::string verdict = FormatGateVerdict(absl::ResourceExhaustedError("rate limit: slow down"));
  std::string dev = "subject=root;role=admin";
  std::multimap<grpc::string_ref, grpc::string_ref> md;
  md.emplace(grpc::string_ref(kDevIdentityHeader), grpc::string_ref(dev));
  md.emplace(grpc::string_ref(kGateHeader), grpc::string_ref(verdict));
  absl::StatusOr<Identity> who = IdentityFromMetadata(md);
  EXPECT_EQ(who.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(who.status().message(), "rate limit: slow down");
}

TEST(IdentityFromMetadataTest, MalformedGateVerdictIsUnauthenticated) {
  for (std::string bad : {"", "ok|bearer|subject=x", "deny|0|fine", "deny|99|x", "maybe"}) {
    std::multimap<grpc::string_ref, grpc::string_ref> md;
    md.emplace(grpc::string_ref(kGateHeader), grpc::string_ref(bad));
    EXPECT_EQ(IdentityFromMetadata(md).status().code(), absl::StatusCode::kUnauthenticated) << bad;
  }
}

}  // namespace
}  // namespace zhiwang
