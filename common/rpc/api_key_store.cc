#include "common/rpc/api_key_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"

namespace zhiwang {
namespace {

// Creates the hash only if absent and records the id, atomically.
const std::string kCreateScript = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return 1
)lua";

absl::StatusOr<redis::RedisReply> Checked(absl::StatusOr<redis::RedisReply> r) {
  if (!r.ok()) return r.status();
  if (r->is_error()) return absl::UnavailableError(absl::StrCat("redis: ", r->str));
  return r;
}

absl::StatusOr<ApiKeyRecord> FromHash(const std::string& key_id, const redis::RedisReply& r) {
  if (r.elements.empty()) return absl::NotFoundError(absl::StrCat("api key ", key_id));
  ApiKeyRecord k;
  k.key_id = key_id;
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
    const std::string& f = r.elements[i].str;
    const std::string& v = r.elements[i + 1].str;
    int64_t ms = 0;
    if (f == "salt") {
      k.salt_hex = v;
    } else if (f == "hash") {
      k.hash_hex = v;
    } else if (f == "dep") {
      k.department_id = v;
    } else if (f == "area") {
      k.area = v;
    } else if (f == "label") {
      k.label = v;
    } else if (f == "by") {
      k.created_by = v;
    } else if (f == "ct" && absl::SimpleAtoi(v, &ms)) {
      k.created_at = absl::FromUnixMillis(ms);
    } else if (f == "rv" && absl::SimpleAtoi(v, &ms)) {
      k.revoked_at = absl::FromUnixMillis(ms);
    }
  }
  return k;
}

}  // namespace

absl::Status ApiKeyStore::Create(const ApiKeyRecord& k) {
  absl::StatusOr<redis::RedisReply> r =
      Checked(redis_->Call({"EVAL",
                            kCreateScript,
                            "2",
                            redis::keys::ApiKey(k.key_id),
                            redis::keys::ApiKeys(),
                            k.key_id,
                            "salt",
                            k.salt_hex,
                            "hash",
                            k.hash_hex,
                            "dep",
                            k.department_id,
                            "area",
                            k.area,
                            "label",
                            k.label,
                            "by",
                            k.created_by,
                            "ct",
                            absl::StrCat(absl::ToUnixMillis(k.created_at))}));
  if (!r.ok()) return r.status();
  if (r->integer != 1) return absl::AlreadyExistsError(absl::StrCat("api key ", k.key_id));
  return absl::OkStatus();
}

absl::StatusOr<ApiKeyRecord> ApiKeyStore::Get(const std::string& key_id) {
  absl::StatusOr<redis::RedisReply> r =
      Checked(redis_->Call({"HGETALL", redis::keys::ApiKey(key_id)}));
  if (!r.ok()) return r.status();
  return FromHash(key_id, *r);
}

absl::StatusOr<ApiKeyRecord> ApiKeyStore::Revoke(const std::string& key_id, absl::Time now) {
  absl::StatusOr<ApiKeyRecord> k = Get(key_id);
  if (!k.ok()) return k.status();
  if (k->revoked_at.has_value()) return k;
  absl::StatusOr<redis::RedisReply> r = Checked(redis_->Call(
      {"HSETNX", redis::keys::ApiKey(key_id), "rv", absl::StrCat(absl::ToUnixMillis(now))}));
  if (!r.ok()) return r.status();
  return Get(key_id);
}

absl::StatusOr<std::vector<ApiKeyRecord>> ApiKeyStore::List() {
  absl::StatusOr<redis::RedisReply> ids =
      Checked(redis_->Call({"SMEMBERS", redis::keys::ApiKeys()}));
  if (!ids.ok()) return ids.status();
  std::vector<std::string> sorted;
  for (const redis::RedisReply& e : ids->elements) sorted.push_back(e.str);
  std::sort(sorted.begin(), sorted.end());
  std::vector<ApiKeyRecord> out;
  for (const std::string& id : sorted) {
    absl::StatusOr<ApiKeyRecord> k = Get(id);
    if (absl::IsNotFound(k.status())) continue;
    if (!k.ok()) return k.status();
    out.push_back(*std::move(k));
  }
  return out;
}

}  // namespace zhiwang
