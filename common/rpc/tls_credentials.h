#ifndef ZHIWANG_COMMON_RPC_TLS_CREDENTIALS_H_
#define ZHIWANG_COMMON_RPC_TLS_CREDENTIALS_H_

// TLS and mutual TLS for servers and clients (issue 7), from PEM files.
//
// Server: no cert → plaintext (insecure credentials); cert + key → TLS; plus client_ca →
// mutual TLS: a client must present a certificate signed by that CA or the handshake fails.
// Client: no CA and no cert → plaintext; ca → TLS verifying the server against it (empty:
// the system roots); cert + key → also present a client certificate (for mTLS servers).
//
//   auto creds = ServerCredentialsFromFiles({.cert = "s.pem", .key = "s.key",
//                                            .client_ca = "ca.pem"});
//   builder.AddListeningPort("127.0.0.1:0", *creds, &port);

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"

namespace zhiwang {

struct ServerTlsFiles {
  std::string cert;       // PEM certificate chain
  std::string key;        // PEM private key
  std::string client_ca;  // PEM CA bundle: require and verify client certificates
};

struct ClientTlsFiles {
  bool use_tls = false;  // also implied by any file below
  std::string ca;        // PEM roots to verify the server (empty: system roots)
  std::string cert;      // client certificate (mTLS)
  std::string key;       // client private key (mTLS)
};

// INVALID_ARGUMENT naming the flag when only one of cert/key is set, client_ca is set
// without a cert, or a file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const ServerTlsFiles& files);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFiles(
    const ClientTlsFiles& files);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_TLS_CREDENTIALS_H_
