#ifndef ZHIWANG_SERVICES_DISPATCH_HTTP_POST_H_
#define ZHIWANG_SERVICES_DISPATCH_HTTP_POST_H_

// dq (issue 5): a minimal HTTP/1.1 POST client for webhooks: plain http:// only, one
// connection per request ("Connection: close"), one deadline for connect + send + reading
// the status line and headers. Blocking; thread-safe (no shared state).

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace zhiwang::dispatch {

struct HttpResponse {
  int status = 0;  // e.g. 200
};

// Errors: INVALID_ARGUMENT for a URL that is not http://host[:port]/path,
// DEADLINE_EXCEEDED when `timeout` passes, UNAVAILABLE for connection errors or a
// malformed response.
absl::StatusOr<HttpResponse> HttpPost(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, absl::Duration timeout);

}  // namespace zhiwang::dispatch

#endif  // ZHIWANG_SERVICES_DISPATCH_HTTP_POST_H_
