#include "common/redis/redis_org_store.h"

#include <future>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/rpc/convert.h"

namespace zhiwang::redis {
namespace {

// Bumps the version and replaces the blob in one script, so concurrent loads of the
// same district get distinct versions and readers never see a torn pair.
constexpr char kSaveLua[] = R"lua(
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'd', ARGV[1])
return v
)lua";

absl::Status Check(const absl::StatusOr<RedisReply>& r) {
  if (!r.ok()) return r.status();
  if (r->is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r->str));
  if (r->is_error()) return absl::InternalError(absl::StrCat("redis: ", r->str));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int64_t> RedisOrgStore::Save(const DistrictOrg& org) {
  v1::District p;
  ToProto(org, &p);
  static const std::string* source = new std::string(kSaveLua);
  static const std::string sha = RedisClient::ScriptSha1(*source);
  std::promise<absl::StatusOr<RedisReply>> promise;
  auto future = promise.get_future();
  client_->RunScript(*source, sha, {keys::Organisation(org.id)}, {p.SerializeAsString()},
                     [&promise](absl::StatusOr<RedisReply> r) { promise.set_value(std::move(r)); });
  absl::StatusOr<RedisReply> r = future.get();
  if (absl::Status s = Check(r); !s.ok()) return s;
  absl::StatusOr<RedisReply> added = client_->Call({"SADD", keys::OrganisationDistricts(), org.id});
  if (absl::Status s = Check(added); !s.ok()) return s;
  return static_cast<int64_t>(r->integer);
}

absl::StatusOr<VersionedDistrict> RedisOrgStore::Load(const std::string& district_id) {
  absl::StatusOr<RedisReply> r =
      client_->Call({"HMGET", keys::Organisation(district_id), "v", "d"});
  if (absl::Status s = Check(r); !s.ok()) return s;
  if (r->elements.size() != 2 || r->elements[1].is_nil()) {
    return absl::NotFoundError(absl::StrCat("district ", district_id, " not found"));
  }
  VersionedDistrict out;
  if (!absl::SimpleAtoi(r->elements[0].str, &out.version)) {
    return absl::DataLossError("stored district version is not a number");
  }
  v1::District p;
  if (!p.ParseFromString(r->elements[1].str)) {
    return absl::DataLossError("stored district does not parse");
  }
  out.org = FromProto(p);
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisOrgStore::ListDistricts() {
  absl::StatusOr<RedisReply> r = client_->Call({"SMEMBERS", keys::OrganisationDistricts()});
  if (absl::Status s = Check(r); !s.ok()) return s;
  std::vector<std::string> ids;
  for (const RedisReply& e : r->elements) ids.push_back(e.str);
  return ids;
}

absl::StatusOr<int64_t> RedisOrgStore::Version(const std::string& district_id) {
  absl::StatusOr<RedisReply> r = client_->Call({"HGET", keys::Organisation(district_id), "v"});
  if (absl::Status s = Check(r); !s.ok()) return s;
  if (r->is_nil()) return 0;
  int64_t v = 0;
  if (!absl::SimpleAtoi(r->str, &v)) return absl::DataLossError("bad district version");
  return v;
}

}  // namespace zhiwang::redis
