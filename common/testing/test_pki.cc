#include "common/testing/test_pki.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace zhiwang::testing {

absl::Status WriteTestPki(const std::string& dir) {
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  auto sign = [](const std::string& name, const std::string& ca, const std::string& ext) {
    return absl::StrCat("openssl x509 -req -in ", name, ".csr -CA ", ca, ".pem -CAkey ", ca,
                        ".key -CAcreateserial -out ", name, ".pem -days 2", ext, ";");
  };
  const std::string script = absl::StrCat(
      "set -e; cd '", dir, "'; exec >openssl.log 2>&1;", "openssl req -x509 ", ec,
      " -keyout ca.key -out ca.pem -days 2 -subj /CN=zw-test-ca;", "openssl req -x509 ", ec,
      " -keyout evil.key -out evil.pem -days 2 -subj /CN=evil;",
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext;", "openssl req ", ec,
      " -keyout server.key -out server.csr -subj /CN=localhost;",
      sign("server", "ca", " -extfile san.ext"), "openssl req ", ec,
      " -keyout client.key -out client.csr -subj /CN=dept-system;", sign("client", "ca", ""),
      "openssl req ", ec, " -keyout eclient.key -out eclient.csr -subj /CN=intruder;",
      sign("eclient", "evil", ""));
  if (std::system(script.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("openssl failed; see ", dir, "/openssl.log"));
  }
  return absl::OkStatus();
}

}  // namespace zhiwang::testing
