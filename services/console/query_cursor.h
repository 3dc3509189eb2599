#ifndef ZHIWANG_SERVICES_CONSOLE_QUERY_CURSOR_H_
#define ZHIWANG_SERVICES_CONSOLE_QUERY_CURSOR_H_

// The console list's page token (issue 6), pure: the sort key of the last index entry
// examined (score in ms, event id) and a fingerprint of the query it belongs to. A token
// names a position, not an offset, so events arriving or leaving never shift a page.
// Opaque to clients (web-safe base64).

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/console/event_query.h"

namespace zhiwang::console {

struct SortKey {
  int64_t score = 0;
  std::string id;
  friend bool operator==(const SortKey&, const SortKey&) = default;
};

// A fingerprint of every condition and the sort order of `query`.
uint64_t QueryFingerprint(const EventQuery& query);

std::string EncodeCursor(const SortKey& last, uint64_t query_fingerprint);

// INVALID_ARGUMENT naming page_token when `token` is not one EncodeCursor made, or was
// made for another query (fingerprint differs).
absl::StatusOr<SortKey> DecodeCursor(const std::string& token, uint64_t query_fingerprint);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_QUERY_CURSOR_H_
