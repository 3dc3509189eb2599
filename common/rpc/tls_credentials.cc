#include "common/rpc/tls_credentials.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace zhiwang {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().empty()) return absl::InvalidArgumentError(absl::StrCat(flag, ": empty ", path));
  return s.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const ServerTlsFiles& f) {
  if (f.cert.empty() && f.key.empty()) {
    if (!f.client_ca.empty()) {
      return absl::InvalidArgumentError("tls_client_ca: needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  if (f.cert.empty() || f.key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(f.cert.empty() ? "tls_cert" : "tls_key",
                                                   ": --tls_cert and --tls_key go together"));
  }
  absl::StatusOr<std::string> cert = ReadPem(f.cert, "tls_cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(f.key, "tls_key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions o;
  o.pem_key_cert_pairs.push_back({*key, *cert});
  if (!f.client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(f.client_ca, "tls_client_ca");
    if (!ca.ok()) return ca.status();
    o.pem_root_certs = *ca;
    o.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(o);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFiles(
    const ClientTlsFiles& f) {
  if (!f.use_tls && f.ca.empty() && f.cert.empty() && f.key.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  if (f.cert.empty() != f.key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        f.cert.empty() ? "tls_client_cert" : "tls_client_key", ": cert and key go together"));
  }
  grpc::SslCredentialsOptions o;
  if (!f.ca.empty()) {
    absl::StatusOr<std::string> ca = ReadPem(f.ca, "tls_ca");
    if (!ca.ok()) return ca.status();
    o.pem_root_certs = *ca;
  }
  if (!f.cert.empty()) {
    absl::StatusOr<std::string> cert = ReadPem(f.cert, "tls_client_cert");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem(f.key, "tls_client_key");
    if (!key.ok()) return key.status();
    o.pem_cert_chain = *cert;
    o.pem_private_key = *key;
  }
  return grpc::SslCredentials(o);
}

}  // namespace zhiwang
