#include "services/console/query_cursor.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/domain/report.h"

namespace zhiwang::console {
namespace {

constexpr char kVersion[] = "q1";

void AddTime(Fingerprint& f, const std::optional<absl::Time>& t) {
  f.Add(static_cast<int64_t>(t ? 1 : 0)).Add(t ? absl::ToUnixMillis(*t) : int64_t{0});
}

}  // namespace

uint64_t QueryFingerprint(const EventQuery& q) {
  Fingerprint f;
  f.Add(q.district_id).Add(static_cast<int64_t>(q.states.size()));
  for (EventState s : q.states) f.Add(static_cast<int64_t>(s));
  f.Add(static_cast<int64_t>(q.lights.size()));
  for (Light l : q.lights) f.Add(static_cast<int64_t>(l));
  f.Add(static_cast<int64_t>(q.category_codes.size()));
  for (const std::string& c : q.category_codes) f.Add(c);
  f.Add(static_cast<int64_t>(q.by_major)).Add(static_cast<int64_t>(q.major_codes.size()));
  for (const std::string& c : q.major_codes) f.Add(c);
  f.Add(q.area_id).Add(q.department_id).Add(static_cast<int64_t>(q.department_ever));
  f.Add(q.reporter_subject);
  AddTime(f, q.created_from);
  AddTime(f, q.created_to);
  AddTime(f, q.updated_from);
  AddTime(f, q.updated_to);
  f.Add(static_cast<int64_t>(q.supervised)).Add(static_cast<int64_t>(q.merged));
  f.Add(static_cast<int64_t>(q.sort));
  return f.value();
}

std::string EncodeCursor(const SortKey& last, uint64_t fp) {
  return absl::WebSafeBase64Escape(absl::StrCat(kVersion, "|", fp, "|", last.score, "|", last.id));
}

absl::StatusOr<SortKey> DecodeCursor(const std::string& token, uint64_t fp) {
  auto bad = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("page_token: ", why));
  };
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return bad("is not a token this service issued");
  std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('|', 3));
  SortKey key;
  uint64_t got_fp = 0;
  if (parts.size() != 4 || parts[0] != kVersion || !absl::SimpleAtoi(parts[1], &got_fp) ||
      !absl::SimpleAtoi(parts[2], &key.score) || parts[3].empty()) {
    return bad("is not a token this service issued");
  }
  if (got_fp != fp) return bad("was issued for a different query");
  key.id = parts[3];
  return key;
}

}  // namespace zhiwang::console
