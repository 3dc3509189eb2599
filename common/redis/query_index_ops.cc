#include "common/redis/query_index_ops.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"
#include "common/domain/query_index.h"
#include "common/redis/keys.h"

namespace zhiwang::redis {
namespace {

std::string Ms(absl::Time t) { return absl::StrCat(absl::ToUnixMillis(t)); }

std::string StateField(const Event& e) { return absl::StrCat(static_cast<int>(e.state)); }

// The counter fields an event contributes to: (hash key, field).
std::vector<std::pair<std::string, std::string>> CounterFields(const Event& e) {
  const std::string& d = e.district_id;
  std::vector<std::pair<std::string, std::string>> out = {
      {keys::QueryCounters(d, "all"), StateField(e)}};
  if (!e.street_id.empty()) {
    out.emplace_back(keys::QueryCounters(d, "street"),
                     absl::StrCat(e.street_id, "|", StateField(e)));
  }
  std::string holder = HoldingDepartment(e);
  if (!holder.empty()) {
    out.emplace_back(keys::QueryCounters(d, "dep"), absl::StrCat(holder, "|", StateField(e)));
  }
  return out;
}

std::string IndexKey(const std::string& d, const QueryIndexRef& ref) {
  return keys::QueryIndex(d, QueryIndexKindName(ref.kind), ref.value);
}

}  // namespace

std::vector<QueryIndexOp> QueryIndexOpsForCreate(const Event& e) {
  const std::string& d = e.district_id;
  std::string created = Ms(e.created_at);
  std::vector<QueryIndexOp> ops = {{keys::EventsByCreation(d), 'c', created}};
  for (const QueryIndexRef& ref : MembershipIndexes(e))
    ops.push_back({IndexKey(d, ref), 'a', created});
  std::string holder = HoldingDepartment(e);
  if (!holder.empty()) {
    ops.push_back({keys::QueryIndex(d, QueryIndexKindName(QueryIndexKind::kDepartmentEver), holder),
                   'a', created});
  }
  for (auto& [key, field] : CounterFields(e)) ops.push_back({key, 'i', field});
  if (IsSettled(e.state)) ops.push_back({keys::EventsByClosure(d), 'a', created});
  return ops;
}

std::vector<QueryIndexOp> QueryIndexOpsForTransition(const Event& before, const Event& after) {
  const std::string& d = after.district_id;
  std::string created = Ms(after.created_at);
  std::vector<QueryIndexOp> ops = {{keys::EventsByCreation(d), 'c', created}};
  std::vector<QueryIndexRef> was = MembershipIndexes(before);
  std::vector<QueryIndexRef> is = MembershipIndexes(after);
  for (const QueryIndexRef& ref : was) {
    if (!std::binary_search(is.begin(), is.end(), ref)) ops.push_back({IndexKey(d, ref), 'r', ""});
  }
  for (const QueryIndexRef& ref : is) ops.push_back({IndexKey(d, ref), 'a', created});
  std::string holder = HoldingDepartment(after);
  if (!holder.empty()) {
    ops.push_back({keys::QueryIndex(d, QueryIndexKindName(QueryIndexKind::kDepartmentEver), holder),
                   'a', created});
  }
  auto old_fields = CounterFields(before);
  auto new_fields = CounterFields(after);
  for (auto& f : old_fields) {
    if (std::find(new_fields.begin(), new_fields.end(), f) == new_fields.end()) {
      ops.push_back({f.first, 'd', f.second});
    }
  }
  for (auto& f : new_fields) {
    bool kept = std::find(old_fields.begin(), old_fields.end(), f) != old_fields.end();
    ops.push_back({f.first, kept ? 'n' : 'i', f.second});
  }
  bool was_closed = IsSettled(before.state);
  bool is_closed = IsSettled(after.state);
  if (is_closed && !was_closed)
    ops.push_back({keys::EventsByClosure(d), 'a', Ms(after.updated_at)});
  if (was_closed && !is_closed) ops.push_back({keys::EventsByClosure(d), 'r', ""});
  return ops;
}

void AppendQueryIndexOps(const std::vector<QueryIndexOp>& ops, std::vector<std::string>* keys,
                         std::vector<std::string>* args) {
  args->push_back(absl::StrCat(ops.size()));
  for (const QueryIndexOp& op : ops) {
    keys->push_back(op.key);
    args->push_back(std::string(1, op.op));
    args->push_back(op.arg);
  }
}

}  // namespace zhiwang::redis
