// TLS and mutual TLS (issue 7) with a CA this test generates (openssl CLI, files in a
// temporary directory), over real gRPC on 127.0.0.1 port 0, with the credentials Serve()
// builds from --tls_cert/--tls_key/--tls_client_ca and zwctl/the e2e stack from --tls_ca /
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
    const std::string d = dir_;
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script = absl::StrCat(
        "set -e; cd ", d, "; exec >openssl.log 2>&1;", "openssl req -x509 ", ec,
        " -keyout ca.key -out ca.pem -days 2 -subj /CN=zw-test-ca;",
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext;", "openssl req ", ec,
        " -keyout server.key -out server.csr -subj /CN=localhost;",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial",
        " -out server.pem -days 2 -extfile san.ext;", "openssl req ", ec,
        " -keyout client.key -out client.csr -subj /CN=dept-system;",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial",
        " -out client.pem -days 2;",
        // A second CA, whose client certificate the server must refuse.
        "openssl req -x509 ", ec, " -keyout evil.key -out evil.pem -days 2 -subj /CN=evil;",
        "openssl req ", ec, " -keyout eclient.key -out eclient.csr -subj /CN=intruder;",
        "openssl x509 -req -in eclient.csr -CA evil.pem -CAkey evil.key -CAcreateserial",
        " -out eclient.pem -days 2;");
    ASSERT_EQ(std::system(script.c_str()), 0) << "openssl failed, see " << d << "/openssl.log";
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
