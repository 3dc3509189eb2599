#ifndef ZHIWANG_COMMON_RPC_API_KEY_STORE_H_
#define ZHIWANG_COMMON_RPC_API_KEY_STORE_H_

// Where API keys for department systems live (issue 7): one Redis hash per key
// (keys::ApiKey) holding the salted hash, never the secret, plus the set of all key ids
// (keys::ApiKeys). See common/auth/api_key.h for the key format and hashing.
//
// Every authentication with an API key reads the record (one HGETALL, no cache), so a
// revocation takes effect for the very next call. Keys are never deleted: a revoked key
// keeps its record (and its id stays unusable).
//
// Thread-safe; every method blocks on one or two Redis round trips (not for use from a
// Redis callback).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace zhiwang {

struct ApiKeyRecord {
  std::string key_id;
  std::string salt_hex;
  std::string hash_hex;
  std::string department_id;
  std::string area;
  std::string label;
  std::string created_by;
  absl::Time created_at;
  std::optional<absl::Time> revoked_at;
};

class ApiKeyStore {
 public:
  explicit ApiKeyStore(redis::RedisClient* redis) : redis_(redis) {}

  // ALREADY_EXISTS when the id is taken; UNAVAILABLE when Redis is.
  absl::Status Create(const ApiKeyRecord& record);
  // NOT_FOUND for an unknown id.
  absl::StatusOr<ApiKeyRecord> Get(const std::string& key_id);
  // Marks the key revoked at `now` (the first revocation time is kept). NOT_FOUND for an
  // unknown id.
  absl::StatusOr<ApiKeyRecord> Revoke(const std::string& key_id, absl::Time now);
  // Every key, ordered by id.
  absl::StatusOr<std::vector<ApiKeyRecord>> List();

 private:
  redis::RedisClient* redis_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_API_KEY_STORE_H_
