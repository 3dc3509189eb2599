#ifndef ZHIWANG_COMMON_TESTING_TEST_PKI_H_
#define ZHIWANG_COMMON_TESTING_TEST_PKI_H_

// A throwaway PKI for TLS tests (issue 7), made with the openssl CLI (EC P-256, 2-day
// validity) in `dir`:
//   ca.pem / ca.key             the test CA
//   server.pem / server.key     signed by it, SAN DNS:localhost, IP:127.0.0.1
//   client.pem / client.key     a client certificate signed by it (CN dept-system)
//   evil.pem                    another CA
//   eclient.pem / eclient.key   a client certificate signed by the other CA
// openssl's output goes to dir/openssl.log. INTERNAL when openssl fails. Not thread-safe
// (runs a shell).

#include <string>

#include "absl/status/status.h"

namespace zhiwang::testing {

absl::Status WriteTestPki(const std::string& dir);

}  // namespace zhiwang::testing

#endif  // ZHIWANG_COMMON_TESTING_TEST_PKI_H_
