// TLS and mutual TLS (issue 7) with a CA this test generates (openssl CLI, files in a
// temporary directory, common/testing/test_pki.h), over real gRPC on 127.0.0.1 port 0, with the
// credentials Serve() builds from --tls_cert/--tls_key/--tls_client_ca and zwctl/the e2e stack from
// --tls_ca /
// --tls_client_cert / --tls_client_key.
#include <stdlib.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/rpc/call_gate.h"
#include "common/rpc/identity.h"
#include "common/rpc/tls_credentials.h"
#include "common/testing/test_pki.h"
#include "gtest/gtest.h"
#include "services/authn/auth_service.h"

namespace zhiwang::authn {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/zw-tls-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    absl::Status made = testing::WriteTestPki(dir_);
    ASSERT_TRUE(made.ok()) << made;
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) {
      int rc = std::system(absl::StrCat("rm -rf ", dir_).c_str());
      (void)rc;
    }
  }
  static std::string F(const std::string& name) { return absl::StrCat(dir_, "/", name); }

  void Start(const ServerTlsFiles& files) {
    auto creds = ServerCredentialsFromFiles(files);
    ASSERT_TRUE(creds.ok()) << creds.status();
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", *creds, &port_);
    InstallCallGate(b, &gate_);
    b.RegisterService(&service_);
    server_ = b.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  grpc::Status Call(const ClientTlsFiles& files, v1::WhoAmIResponse* out) {
    auto creds = ChannelCredentialsFromFiles(files);
    EXPECT_TRUE(creds.ok()) << creds.status();
    auto channel = grpc::CreateChannel(absl::StrCat("localhost:", port_), *creds);
    auto stub = v1::AuthService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ctx.AddMetadata(kDevIdentityHeader, "subject=sys-1;role=admin");
    return stub->WhoAmI(&ctx, {}, out);
  }

  static inline std::string dir_;
  RealClock clock_;
  CallGate gate_{{.allow_dev_header = true, .clock = &clock_}};
  AuthService service_{nullptr, &clock_};
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(TlsTest, TlsServerAnswersAClientTrustingItsCa) {
  Start({.cert = F("server.pem"), .key = F("server.key")});
  v1::WhoAmIResponse who;
  grpc::Status s = Call({.ca = F("ca.pem")}, &who);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(who.subject(), "sys-1");
}

TEST_F(TlsTest, PlaintextClientCannotTalkToTlsServer) {
  Start({.cert = F("server.pem"), .key = F("server.key")});
  v1::WhoAmIResponse who;
  EXPECT_EQ(Call({}, &who).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, ClientRefusesServerSignedByAnotherCa) {
  Start({.cert = F("server.pem"), .key = F("server.key")});
  v1::WhoAmIResponse who;
  EXPECT_EQ(Call({.ca = F("evil.pem")}, &who).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutCertificate) {
  Start({.cert = F("server.pem"), .key = F("server.key"), .client_ca = F("ca.pem")});
  v1::WhoAmIResponse who;
  grpc::Status s = Call({.ca = F("ca.pem")}, &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(TlsTest, MutualTlsRefusesACertificateFromAnotherCa) {
  Start({.cert = F("server.pem"), .key = F("server.key"), .client_ca = F("ca.pem")});
  v1::WhoAmIResponse who;
  grpc::Status s =
      Call({.ca = F("ca.pem"), .cert = F("eclient.pem"), .key = F("eclient.key")}, &who);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(TlsTest, MutualTlsAcceptsAClientCertificateFromTheCa) {
  Start({.cert = F("server.pem"), .key = F("server.key"), .client_ca = F("ca.pem")});
  v1::WhoAmIResponse who;
  grpc::Status s = Call({.ca = F("ca.pem"), .cert = F("client.pem"), .key = F("client.key")}, &who);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(who.subject(), "sys-1");
}

TEST(TlsCredentialsTest, HalfConfiguredFlagsAreInvalidArguments) {
  auto s = ServerCredentialsFromFiles({.cert = "x.pem"});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("tls_key"), absl::string_view::npos) << s.status();
  s = ServerCredentialsFromFiles({.client_ca = "ca.pem"});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  s = ServerCredentialsFromFiles({.cert = "/nonexistent.pem", .key = "/nonexistent.key"});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  auto c = ChannelCredentialsFromFiles({.cert = "c.pem"});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace zhiwang::authn
