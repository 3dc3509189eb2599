// Authentication, API keys, rate limits, request size and the audit of denials, over real
// gRPC (127.0.0.1, port 0) with the CallGate installed as Serve() installs it, and a real
// Redis. The clock is a FakeClock: token expiry and refills move it, nothing sleeps.
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/api_key.h"
#include "common/auth/rate_limiter.h"
#include "common/auth/token.h"
#include "common/redis/keys.h"
#include "common/rpc/api_key_store.h"
#include "common/rpc/audit_log.h"
#include "common/rpc/call_gate.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/testing/redis_environment.h"
#include "gtest/gtest.h"
#include "services/authn/audit_service.h"
#include "services/authn/auth_service.h"

namespace zhiwang::authn {
namespace {

using ::zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);
constexpr int kMaxRequestBytes = 64 * 1024;

struct ServerOptions {
  bool dev_header = false;
  auth::RateLimiter::Options limits{.per_second = 0, .burst = 1};
};

class AuthnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    auto redis = redis::RedisClient::Connect({.port = RedisEnvironment::server()->port()});
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    ASSERT_TRUE(ring_.Add(key_).ok());
    store_ = std::make_unique<ApiKeyStore>(redis_.get());
    audit_ = std::make_unique<AuditLog>(redis_.get());
  }

  void StartServer(ServerOptions o = {}) {
    limiter_ = std::make_unique<auth::RateLimiter>(o.limits, &clock_);
    gate_ = std::make_unique<CallGate>(CallGate::Options{.keys = &ring_,
                                                         .api_keys = store_.get(),
                                                         .allow_dev_header = o.dev_header,
                                                         .limiter = limiter_.get(),
                                                         .audit = audit_.get(),
                                                         .clock = &clock_});
    auth_service_ = std::make_unique<AuthService>(store_.get(), &clock_);
    audit_service_ = std::make_unique<AuditService>(audit_.get());
    grpc::ServerBuilder b;
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.SetMaxReceiveMessageSize(kMaxRequestBytes);
    InstallCallGate(b, gate_.get());
    b.RegisterService(auth_service_.get());
    b.RegisterService(audit_service_.get());
    server_ = b.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    auth_ = v1::AuthService::NewStub(channel);
    audit_stub_ = v1::AuditService::NewStub(channel);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  std::string Token(const std::string& subject, Role role, const std::string& dep = "",
                    absl::Duration ttl = absl::Hours(1)) {
    auth::TokenClaims c{.issuer = "zhiwang",
                        .subject = subject,
                        .role = role,
                        .area = "990100",
                        .department_id = dep,
                        .issued_at = clock_.Now(),
                        .expires_at = clock_.Now() + ttl};
    absl::StatusOr<std::string> t = auth::IssueToken(c, key_);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : "";
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& authorization) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!authorization.empty()) ctx->AddMetadata("authorization", authorization);
    return ctx;
  }
  static std::string Bearer(const std::string& t) { return "Bearer " + t; }

  grpc::Status WhoAmI(const std::string& authorization, v1::WhoAmIResponse* out) {
    return auth_->WhoAmI(Ctx(authorization).get(), v1::WhoAmIRequest(), out);
  }

  // The audit stream is written asynchronously after the call's status is sent: reads it
  // (as an admin) until `n` entries match `q` or 200 reads were made.
  std::vector<v1::AuditEntry> AuditUntil(const v1::ListAuditRequest& q, size_t n) {
    std::vector<v1::AuditEntry> got;
    for (int i = 0; i < 200; ++i) {
      v1::ListAuditResponse resp;
      // A new reader each time, so tests with a tight rate limit can read too.
      grpc::Status s = audit_stub_->ListAudit(
          Ctx(Bearer(Token(absl::StrCat("reader-", readers_++), Role::kAdmin))).get(), q, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      got.assign(resp.entries().begin(), resp.entries().end());
      if (got.size() >= n) break;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return got;
  }

  int readers_ = 0;
  FakeClock clock_{kStart};
  auth::SigningKey key_{"test-1", std::string(32, 'k')};
  auth::KeyRing ring_{"zhiwang"};
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<ApiKeyStore> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<auth::RateLimiter> limiter_;
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<AuthService> auth_service_;
  std::unique_ptr<AuditService> audit_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AuthService::Stub> auth_;
  std::unique_ptr<v1::AuditService::Stub> audit_stub_;
};

TEST_F(AuthnTest, ValidBearerTokenIdentifiesTheCaller) {
  StartServer();
  v1::WhoAmIResponse who;
  grpc::Status s = WhoAmI(Bearer(Token("op-7", Role::kDepartmentOperator, "990100_cgj")), &who);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(who.subject(), "op-7");
  EXPECT_EQ(who.role(), v1::ROLE_DEPARTMENT_OPERATOR);
  EXPECT_EQ(who.department_id(), "990100_cgj");
  EXPECT_EQ(who.area(), "990100");
  EXPECT_EQ(who.method(), "bearer");
}

TEST_F(AuthnTest, ExpiredTokenIsUnauthenticated) {
  StartServer();
  std::string t = Token("w1", Role::kGridWorker, "", absl::Minutes(10));
  v1::WhoAmIResponse who;
  ASSERT_TRUE(WhoAmI(Bearer(t), &who).ok());
  clock_.Advance(absl::Minutes(10));
  grpc::Status s = WhoAmI(Bearer(t), &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "expired")) << s.error_message();
}

TEST_F(AuthnTest, TamperedTokenIsUnauthenticated) {
  StartServer();
  std::string t = Token("w1", Role::kGridWorker);
  // Re-sign nothing: swap the payload for one claiming admin, keep the old signature.
  std::string admin = Token("w1", Role::kAdmin);
  size_t d1 = t.find('.', 4), d2 = admin.find('.', 4);
  std::string forged = admin.substr(0, d2) + t.substr(d1);
  v1::WhoAmIResponse who;
  grpc::Status s = WhoAmI(Bearer(forged), &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  // And one flipped signature character.
  std::string flipped = t;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  s = WhoAmI(Bearer(flipped), &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
}

TEST_F(AuthnTest, TokenFromAnUnknownKeyIsUnauthenticated) {
  StartServer();
  auth::SigningKey other{"test-2", std::string(32, 'o')};
  auth::TokenClaims c{.issuer = "zhiwang",
                      .subject = "w1",
                      .role = Role::kAdmin,
                      .issued_at = clock_.Now(),
                      .expires_at = clock_.Now() + absl::Hours(1)};
  absl::StatusOr<std::string> t = auth::IssueToken(c, other);
  ASSERT_TRUE(t.ok());
  v1::WhoAmIResponse who;
  EXPECT_EQ(WhoAmI(Bearer(*t), &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthnTest, MissingOrMalformedCredentialsAreUnauthenticated) {
  StartServer();
  v1::WhoAmIResponse who;
  EXPECT_EQ(WhoAmI("", &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI("Basic dXNlcjpwdw==", &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI("Bearer zw1.x.y", &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthnTest, DevHeaderIsRefusedUnlessTheServerAllowsIt) {
  StartServer();
  auto ctx = Ctx("");
  ctx->AddMetadata(kDevIdentityHeader, "subject=root;role=admin");
  v1::WhoAmIResponse who;
  EXPECT_EQ(auth_->WhoAmI(ctx.get(), {}, &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthnTest, DevHeaderWorksUnderTheDevFlag) {
  StartServer({.dev_header = true});
  auto ctx = Ctx("");
  ctx->AddMetadata(kDevIdentityHeader, "subject=root;role=admin");
  v1::WhoAmIResponse who;
  grpc::Status s = auth_->WhoAmI(ctx.get(), {}, &who);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(who.subject(), "root");
  EXPECT_EQ(who.method(), "dev_header");
}

TEST_F(AuthnTest, ForgedGateVerdictFromTheClientIsIgnored) {
  StartServer();
  auto ctx = Ctx("");
  ctx->AddMetadata(kGateHeader, "ok|bearer|subject=root;role=admin");
  v1::WhoAmIResponse who;
  EXPECT_EQ(auth_->WhoAmI(ctx.get(), {}, &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthnTest, ApiKeyCreateUseRevoke) {
  StartServer();
  const std::string admin = Bearer(Token("root", Role::kAdmin));
  v1::CreateApiKeyRequest req;
  req.set_department_id("990100_cgj");
  req.set_area("990100");
  req.set_label("city management ERP");
  v1::CreateApiKeyResponse created;
  grpc::Status s = auth_->CreateApiKey(Ctx(admin).get(), req, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string key_id = created.key().key_id();
  ASSERT_TRUE(absl::StartsWith(created.api_key(), key_id + "."));
  const std::string secret = created.api_key().substr(key_id.size() + 1);

  // Use: a department_system identity bound to the key's department and area.
  v1::WhoAmIResponse who;
  s = WhoAmI("ApiKey " + created.api_key(), &who);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(who.subject(), key_id);
  EXPECT_EQ(who.role(), v1::ROLE_DEPARTMENT_SYSTEM);
  EXPECT_EQ(who.department_id(), "990100_cgj");
  EXPECT_EQ(who.area(), "990100");
  EXPECT_EQ(who.method(), "api_key");

  // Only a salted hash is stored.
  absl::StatusOr<redis::RedisReply> stored = redis_->Call({"HGETALL", redis::keys::ApiKey(key_id)});
  ASSERT_TRUE(stored.ok());
  ASSERT_FALSE(stored->elements.empty());
  for (const redis::RedisReply& e : stored->elements) {
    EXPECT_FALSE(absl::StrContains(e.str, secret)) << e.str;
  }

  // A wrong secret for a real id fails.
  std::string wrong = secret;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(WhoAmI(absl::StrCat("ApiKey ", key_id, ".", wrong), &who).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  v1::ListApiKeysResponse list;
  ASSERT_TRUE(auth_->ListApiKeys(Ctx(admin).get(), {}, &list).ok());
  ASSERT_EQ(list.keys_size(), 1);
  EXPECT_EQ(list.keys(0).key_id(), key_id);
  EXPECT_FALSE(list.keys(0).revoked());
  EXPECT_FALSE(absl::StrContains(list.DebugString(), secret));

  // Revoke: the very next call fails.
  v1::RevokeApiKeyRequest rv;
  rv.set_key_id(key_id);
  v1::ApiKeyInfo info;
  ASSERT_TRUE(auth_->RevokeApiKey(Ctx(admin).get(), rv, &info).ok());
  EXPECT_TRUE(info.revoked());
  s = WhoAmI("ApiKey " + created.api_key(), &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "revoked")) << s.error_message();
}

TEST_F(AuthnTest, ApiKeyAdministrationIsForAdminsAndValidated) {
  StartServer();
  v1::CreateApiKeyRequest req;
  req.set_department_id("990100_cgj");
  v1::CreateApiKeyResponse created;
  grpc::Status s = auth_->CreateApiKey(
      Ctx(Bearer(Token("op", Role::kDepartmentOperator, "990100_cgj"))).get(), req, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  const std::string admin = Bearer(Token("root", Role::kAdmin));
  req.set_department_id("");
  s = auth_->CreateApiKey(Ctx(admin).get(), req, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "department_id")) << s.error_message();
  req.set_department_id("990100_cgj");
  req.set_label(std::string(kMaxLabelBytes + 1, 'x'));
  s = auth_->CreateApiKey(Ctx(admin).get(), req, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "label")) << s.error_message();
  v1::ListApiKeysResponse list;
  ASSERT_TRUE(auth_->ListApiKeys(Ctx(admin).get(), {}, &list).ok());
  EXPECT_EQ(list.keys_size(), 0);  // nothing written by refused requests

  v1::RevokeApiKeyRequest rv;
  rv.set_key_id("ak_0123456789abcdef");
  v1::ApiKeyInfo info;
  EXPECT_EQ(auth_->RevokeApiKey(Ctx(admin).get(), rv, &info).error_code(),
            grpc::StatusCode::NOT_FOUND);
  rv.set_key_id("nope");
  s = auth_->RevokeApiKey(Ctx(admin).get(), rv, &info);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "key_id")) << s.error_message();
}

TEST_F(AuthnTest, RateLimitTriggersAndRecoversAfterRefill) {
  StartServer({.limits = {.per_second = 1, .burst = 2}});
  const std::string t = Bearer(Token("w1", Role::kGridWorker));
  v1::WhoAmIResponse who;
  ASSERT_TRUE(WhoAmI(t, &who).ok());
  ASSERT_TRUE(WhoAmI(t, &who).ok());
  grpc::Status s = WhoAmI(t, &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  // Another principal is not affected.
  EXPECT_TRUE(WhoAmI(Bearer(Token("w2", Role::kGridWorker)), &who).ok());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(WhoAmI(t, &who).ok());
  EXPECT_EQ(WhoAmI(t, &who).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(AuthnTest, OversizedRequestIsRefused) {
  StartServer();
  v1::CreateApiKeyRequest req;
  req.set_department_id("990100_cgj");
  req.set_label(std::string(kMaxRequestBytes + 1, 'x'));
  v1::CreateApiKeyResponse created;
  grpc::Status s =
      auth_->CreateApiKey(Ctx(Bearer(Token("root", Role::kAdmin))).get(), req, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
}

TEST_F(AuthnTest, DenialsAndKeyChangesAreAudited) {
  StartServer({.limits = {.per_second = 1, .burst = 1}});
  v1::WhoAmIResponse who;
  ASSERT_EQ(WhoAmI("Bearer zw1.bad.token", &who).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  v1::RevokeApiKeyRequest rv;
  rv.set_key_id("ak_0123456789abcdef");
  v1::ApiKeyInfo info;
  const std::string op = Bearer(Token("op-1", Role::kDepartmentOperator, "990100_cgj"));
  ASSERT_EQ(auth_->RevokeApiKey(Ctx(op).get(), rv, &info).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(auth_->RevokeApiKey(Ctx(op).get(), rv, &info).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  v1::CreateApiKeyRequest req;
  req.set_department_id("990100_cgj");
  v1::CreateApiKeyResponse created;
  ASSERT_TRUE(
      auth_->CreateApiKey(Ctx(Bearer(Token("root", Role::kAdmin))).get(), req, &created).ok());

  v1::ListAuditRequest q;
  q.set_decision(v1::AUDIT_DECISION_DENIED);
  std::vector<v1::AuditEntry> denied = AuditUntil(q, 3);
  ASSERT_EQ(denied.size(), 3u);
  // Newest first.
  EXPECT_EQ(denied[0].status_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(denied[0].subject(), "op-1");
  EXPECT_EQ(denied[1].status_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(denied[1].subject(), "op-1");
  EXPECT_EQ(denied[1].role(), v1::ROLE_DEPARTMENT_OPERATOR);
  EXPECT_EQ(denied[1].action(), "/zhiwang.v1.AuthService/RevokeApiKey");
  EXPECT_EQ(denied[1].object(), "ak_0123456789abcdef");
  EXPECT_TRUE(absl::StrContains(denied[1].peer(), "127.0.0.1")) << denied[1].peer();
  EXPECT_EQ(denied[2].status_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(denied[2].subject(), "");
  EXPECT_EQ(denied[2].action(), "/zhiwang.v1.AuthService/WhoAmI");

  q.set_decision(v1::AUDIT_DECISION_ALLOWED);
  std::vector<v1::AuditEntry> allowed = AuditUntil(q, 1);
  ASSERT_EQ(allowed.size(), 1u);
  EXPECT_EQ(allowed[0].action(), "/zhiwang.v1.AuthService/CreateApiKey");
  EXPECT_EQ(allowed[0].subject(), "root");
  EXPECT_EQ(allowed[0].object(), "990100_cgj");

  q.Clear();
  q.set_subject("op-1");
  EXPECT_EQ(AuditUntil(q, 2).size(), 2u);
}

TEST_F(AuthnTest, AuditIsForAuditorsAndAdminsAndPaginates) {
  StartServer();
  for (int i = 0; i < 5; ++i) {
    AuditRecord r{.at = kStart + absl::Seconds(i),
                  .subject = "s",
                  .action = "x",
                  .object = absl::StrCat("obj", i)};
    audit_->Append(r);
  }
  v1::ListAuditRequest q;
  q.set_page_size(2);
  v1::ListAuditResponse resp;
  grpc::Status s =
      audit_stub_->ListAudit(Ctx(Bearer(Token("w", Role::kGridWorker))).get(), q, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  const std::string auditor = Bearer(Token("aud", Role::kAuditor));
  q.set_subject("s");  // not the denial just audited
  std::vector<std::string> objects;
  for (int page = 0; page < 10; ++page) {
    resp.Clear();
    s = audit_stub_->ListAudit(Ctx(auditor).get(), q, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& e : resp.entries()) objects.push_back(e.object());
    if (resp.next_page_token().empty()) break;
    q.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(objects, (std::vector<std::string>{"obj4", "obj3", "obj2", "obj1", "obj0"}));

  q.Clear();
  q.set_subject("s");
  *q.mutable_since() = ToProto(kStart + absl::Seconds(1));
  *q.mutable_until() = ToProto(kStart + absl::Seconds(3));
  resp.Clear();
  ASSERT_TRUE(audit_stub_->ListAudit(Ctx(auditor).get(), q, &resp).ok());
  ASSERT_EQ(resp.entries_size(), 2);
  EXPECT_EQ(resp.entries(0).object(), "obj2");
  EXPECT_EQ(resp.entries(1).object(), "obj1");

  q.Clear();
  q.set_page_size(101);
  s = audit_stub_->ListAudit(Ctx(auditor).get(), q, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "page_size")) << s.error_message();
  q.set_page_size(0);
  q.set_page_token("garbage");
  s = audit_stub_->ListAudit(Ctx(auditor).get(), q, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "page_token")) << s.error_message();
}

}  // namespace
}  // namespace zhiwang::authn
