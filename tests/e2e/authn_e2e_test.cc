// authn (issue 7) end to end, through the real binaries the Stack starts with
// --auth_keys (and without --dev_identity_header): every call needs a real credential;
// every action of a full event lifecycle, every denial and every API key change is in the
// audit trail, read back through AuditService.ListAudit on zw-router.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/identity.h"
#include "common/rpc/tls_credentials.h"
#include "common/testing/status_testing.h"
#include "gtest/gtest.h"
#include "tests/e2e/stack.h"
#include "tests/e2e/stack_suite.h"

namespace zhiwang::e2e {
namespace {

Identity Auditor() { return {.subject = "auditor-1", .role = Role::kAuditor, .area = kDistrictId}; }

class AuthnE2E : public StackSuite {
 protected:
  // Every audit entry matching `q` (following pages), as the auditor.
  std::vector<v1::AuditEntry> ReadAudit(v1::ListAuditRequest q) {
    std::vector<v1::AuditEntry> out;
    q.set_page_size(100);
    for (int page = 0; page < 100; ++page) {
      v1::ListAuditResponse resp;
      grpc::Status s = stack().audit().ListAudit(Stack::Context(Auditor()).get(), q, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      out.insert(out.end(), resp.entries().begin(), resp.entries().end());
      if (resp.next_page_token().empty()) break;
      q.set_page_token(resp.next_page_token());
    }
    return out;
  }

  // Polls ReadAudit (every 50 ms, at most 10 s: the feed is consumed asynchronously) until
  // `done` holds; returns the last read.
  std::vector<v1::AuditEntry> AwaitAudit(
      const v1::ListAuditRequest& q,
      const std::function<bool(const std::vector<v1::AuditEntry>&)>& done) {
    std::vector<v1::AuditEntry> got;
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    do {
      got = ReadAudit(q);
      if (done(got)) break;
      absl::SleepFor(absl::Milliseconds(50));
    } while (absl::Now() < give_up);
    return got;
  }
};

TEST_F(AuthnE2E, CallsWithoutValidCredentialsAreRefused) {
  v1::ListMyReportsResponse mine;
  // No credential at all.
  grpc::Status s = stack().intake().ListMyReports(Stack::Context(std::nullopt).get(), {}, &mine);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  // The dev header is not trusted by a stack started without --dev_identity_header.
  auto dev = Stack::Context(std::nullopt);
  dev->AddMetadata(kDevIdentityHeader, FormatDevIdentity(Admin()));
  s = stack().intake().ListMyReports(dev.get(), {}, &mine);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  // A tampered token (last signature character changed).
  std::string token = Stack::TokenFor(GridWorker("gw-tamper"));
  token.back() = token.back() == 'A' ? 'B' : 'A';
  auto bad = Stack::Context(std::nullopt);
  bad->AddMetadata("authorization", "Bearer " + token);
  v1::ListAssignmentsResponse work;
  s = stack().dispatch().ListAssignments(bad.get(), {}, &work);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  // Streams pass the same gate.
  {
    v1::WatchAssignmentsRequest watch;
    watch.set_department_id(kCityDept);
    auto ctx = Stack::Context(std::nullopt);
    auto reader = stack().dispatch().WatchAssignments(ctx.get(), watch);
    v1::Delivery d;
    EXPECT_FALSE(reader->Read(&d));
    s = reader->Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  }
  // A valid one works.
  s = stack().intake().ListMyReports(Stack::Context(GridWorker("gw-tamper")).get(), {}, &mine);
  EXPECT_TRUE(s.ok()) << s.error_message();

  v1::ListAuditRequest q;
  q.set_decision(v1::AUDIT_DECISION_DENIED);
  auto denied = AwaitAudit(q, [](const std::vector<v1::AuditEntry>& got) {
    int n = 0;
    for (const auto& e : got) n += e.status_code() == grpc::StatusCode::UNAUTHENTICATED;
    return n >= 4;
  });
  int intake_denials = 0, dispatch_denials = 0, stream_denials = 0;
  for (const v1::AuditEntry& e : denied) {
    if (e.status_code() != grpc::StatusCode::UNAUTHENTICATED) continue;
    EXPECT_TRUE(absl::StrContains(e.peer(), "127.0.0.1")) << e.DebugString();
    intake_denials += e.action() == "/zhiwang.v1.IntakeService/ListMyReports";
    dispatch_denials += e.action() == "/zhiwang.v1.DispatchService/ListAssignments";
    stream_denials +=
        e.action() == "/zhiwang.v1.DispatchService/WatchAssignments" && e.object() == kCityDept;
  }
  EXPECT_EQ(intake_denials, 2);
  EXPECT_EQ(dispatch_denials, 1);
  EXPECT_EQ(stream_denials, 1);
}

TEST_F(AuthnE2E, EveryActionOfALifecycleIsAudited) {
  const Identity worker = GridWorker("gw-audit");
  ASSERT_OK_AND_ASSIGN(v1::Event reported,
                       Report(stack(), worker, MakeReport("audit-report", kTwoDeptCategory)));
  ASSERT_OK_AND_ASSIGN(v1::Event e, WaitDispatched(stack(), worker, reported.id()));
  const Identity op = Operator(e.department_id());
  // A denial on the same object: another department's operator may not claim it, and is
  // told NOT_FOUND, as for a missing event (docs/auth.md, "NOT_FOUND policy").
  absl::StatusOr<v1::Event> refused = Claim(stack(), Operator(kWaterDept), "audit-steal", e.id());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kNotFound) << refused.status();
  ASSERT_TRUE(Claim(stack(), op, "audit-claim", e.id()).ok());
  ASSERT_TRUE(AddProgress(stack(), op, "audit-progress", e.id(), "到场").ok());
  ASSERT_TRUE(Resolve(stack(), op, "audit-resolve", e.id(), "已处置").ok());
  ASSERT_TRUE(Verify(stack(), worker, "audit-verify", e.id(), true, "通过").ok());
  ASSERT_OK_AND_ASSIGN(v1::Event closed,
                       Close(stack(), StreetDispatcher(), "audit-close", e.id(), "结案"));

  ASSERT_OK_AND_ASSIGN(v1::GetEventResponse got, GetEvent(stack(), worker, e.id(), true));
  const auto& timeline = got.timeline();
  ASSERT_EQ(timeline.size(), closed.version());

  v1::ListAuditRequest q;
  q.set_object(e.id());
  q.set_decision(v1::AUDIT_DECISION_ALLOWED);
  auto entries = AwaitAudit(q, [&](const std::vector<v1::AuditEntry>& got) {
    return static_cast<int64_t>(got.size()) >= closed.version();
  });
  std::string seen;
  for (const v1::AuditEntry& a : entries) absl::StrAppend(&seen, a.version(), ":", a.action(), " ");
  ASSERT_EQ(static_cast<int64_t>(entries.size()), closed.version())
      << "one audit entry per event version (at-least-once feed, de-duplicated): " << seen;
  // Newest first: entry i is version (size - i).
  for (const v1::TimelineEntry& t : timeline) {
    const v1::AuditEntry& a = entries[entries.size() - static_cast<size_t>(t.seq())];
    EXPECT_EQ(a.version(), t.seq());
    EXPECT_EQ(a.subject(), t.actor_subject()) << a.DebugString();
    EXPECT_EQ(a.role(), t.actor_role()) << a.DebugString();
    EXPECT_TRUE(absl::StartsWith(a.action(), "event:")) << a.DebugString();
    EXPECT_EQ(a.district_id(), kDistrictId);
  }

  q.set_decision(v1::AUDIT_DECISION_DENIED);
  auto denials = AwaitAudit(q, [](const std::vector<v1::AuditEntry>& got) { return !got.empty(); });
  ASSERT_FALSE(denials.empty()) << "the refused claim is audited";
  EXPECT_EQ(denials[0].subject(), Operator(kWaterDept).subject);
  EXPECT_EQ(denials[0].action(), "/zhiwang.v1.DispatchService/ClaimEvent");
  EXPECT_EQ(denials[0].status_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AuthnE2E, ApiKeyLifecycleThroughTheRouter) {
  v1::CreateApiKeyRequest req;
  req.set_department_id(kCityDept);
  req.set_area(kDistrictId);
  req.set_label("e2e");
  v1::CreateApiKeyResponse created;
  grpc::Status s = stack().auth().CreateApiKey(Stack::Context(Admin()).get(), req, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();

  auto with_key = [&] {
    auto ctx = Stack::Context(std::nullopt);
    ctx->AddMetadata("authorization", "ApiKey " + created.api_key());
    return ctx;
  };
  v1::ListAssignmentsResponse work;
  s = stack().dispatch().ListAssignments(with_key().get(), {}, &work);
  EXPECT_NE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  v1::WhoAmIResponse who;
  ASSERT_TRUE(stack().auth().WhoAmI(with_key().get(), {}, &who).ok());
  EXPECT_EQ(who.role(), v1::ROLE_DEPARTMENT_SYSTEM);
  EXPECT_EQ(who.department_id(), kCityDept);

  v1::RevokeApiKeyRequest rv;
  rv.set_key_id(created.key().key_id());
  v1::ApiKeyInfo info;
  ASSERT_TRUE(stack().auth().RevokeApiKey(Stack::Context(Admin()).get(), rv, &info).ok());
  s = stack().dispatch().ListAssignments(with_key().get(), {}, &work);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();

  v1::ListAuditRequest q;
  q.set_object(created.key().key_id());
  auto entries = AwaitAudit(q, [](const std::vector<v1::AuditEntry>& got) { return !got.empty(); });
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries[0].action(), "/zhiwang.v1.AuthService/RevokeApiKey");
  EXPECT_EQ(entries[0].subject(), Admin().subject);
}

// The whole stack over mutual TLS: the services run with --tls_cert/--tls_key/
// --tls_client_ca, the harness's channels present a client certificate from the test CA.
TEST(AuthnTlsE2E, StackServesMutualTlsAndRefusesClientsWithoutCertificate) {
  Stack::Options options;
  options.mtls = true;
  absl::StatusOr<std::unique_ptr<Stack>> stack = Stack::Start(TestDistrict(), options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  const Identity worker = GridWorker("gw-tls");
  ASSERT_OK_AND_ASSIGN(v1::Event reported,
                       Report(**stack, worker, MakeReport("tls-report", kTwoDeptCategory)));
  ASSERT_OK_AND_ASSIGN(v1::Event e, WaitDispatched(**stack, worker, reported.id()));
  EXPECT_EQ(e.department_id(), kStreetDept);

  const std::string pki = (*stack)->dir() + "/pki";
  auto call = [&](std::shared_ptr<grpc::ChannelCredentials> creds) {
    auto stub =
        v1::IntakeService::NewStub(grpc::CreateChannel((*stack)->address(Service::kIntake), creds));
    v1::ListMyReportsResponse mine;
    return stub->ListMyReports(Stack::Context(worker).get(), {}, &mine);
  };
  EXPECT_EQ(call(grpc::InsecureChannelCredentials()).error_code(), grpc::StatusCode::UNAVAILABLE);
  auto no_cert = ChannelCredentialsFromFiles({.ca = pki + "/ca.pem"});
  ASSERT_TRUE(no_cert.ok());
  EXPECT_EQ(call(*no_cert).error_code(), grpc::StatusCode::UNAVAILABLE);
  grpc::Status s = call((*stack)->channel_credentials());
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace zhiwang::e2e
