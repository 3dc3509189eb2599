#include "common/domain/change_feed.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace zhiwang {

bool ParseFeedCursor(absl::string_view cursor, uint64_t* ms, uint64_t* seq) {
  std::vector<absl::string_view> parts = absl::StrSplit(cursor, '-');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) return false;
  for (absl::string_view p : parts) {
    for (char c : p) {
      if (c < '0' || c > '9') return false;
    }
  }
  return absl::SimpleAtoi(parts[0], ms) && absl::SimpleAtoi(parts[1], seq);
}

}  // namespace zhiwang
