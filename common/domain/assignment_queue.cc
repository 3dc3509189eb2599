#include "common/domain/assignment_queue.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace zhiwang {

bool ParseEntryId(const std::string& id, int64_t* ms, int64_t* seq) {
  std::vector<absl::string_view> parts = absl::StrSplit(id, '-');
  return parts.size() == 2 && absl::SimpleAtoi(parts[0], ms) && absl::SimpleAtoi(parts[1], seq);
}

int CompareEntryIds(const std::string& a, const std::string& b) {
  int64_t am = -1, as = -1, bm = -1, bs = -1;
  if (!ParseEntryId(a, &am, &as)) am = as = -1;
  if (!ParseEntryId(b, &bm, &bs)) bm = bs = -1;
  if (am != bm) return am < bm ? -1 : 1;
  if (as != bs) return as < bs ? -1 : 1;
  return 0;
}

}  // namespace zhiwang
