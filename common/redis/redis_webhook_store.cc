#include "common/redis/redis_webhook_store.h"

#include <future>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis/keys.h"
#include "common/redis/scripts.h"
#include "zhiwang/v1/dispatch.pb.h"

namespace zhiwang::redis {
namespace {

using Type = RedisReply::Type;

absl::Status ErrorOf(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r.str));
  return absl::InternalError(absl::StrCat("redis: ", r.str));
}

std::string Encode(const DeadLetterRecord& d) {
  v1::DeadLetter p;
  p.set_delivery_id(d.delivery_id);
  p.set_event_id(d.event_id);
  p.set_attempts(d.attempts);
  p.set_last_error(d.last_error);
  p.set_body(d.body);
  return p.SerializeAsString();
}

std::optional<DeadLetterRecord> DecodeDeadLetter(const std::string& blob) {
  v1::DeadLetter p;
  if (!p.ParseFromString(blob)) return std::nullopt;
  return DeadLetterRecord{p.delivery_id(), p.event_id(), p.attempts(), p.last_error(), p.body()};
}

int64_t Ms(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

}  // namespace

absl::StatusOr<RedisReply> RedisWebhookStore::Run(std::vector<std::string> argv) {
  absl::StatusOr<RedisReply> r = client_->Call(std::move(argv));
  if (!r.ok()) return r.status();
  if (r->is_error()) return ErrorOf(*r);
  return r;
}

absl::Status RedisWebhookStore::PutEndpoint(const WebhookEndpoint& e) {
  // The hash first, then the global set (another slot, so not one script): the courier
  // ignores set members without a hash, so a crash between the two leaves nothing broken.
  absl::StatusOr<RedisReply> r =
      Run({"HSET", keys::WebhookEndpoint(e.district_id, e.department_id), "url", e.url, "secret",
           e.secret, "enabled", e.enabled ? "1" : "0", "max_attempts", absl::StrCat(e.max_attempts),
           "timeout_ms", absl::StrCat(Ms(e.timeout)), "initial_backoff_ms",
           absl::StrCat(Ms(e.initial_backoff)), "max_backoff_ms", absl::StrCat(Ms(e.max_backoff))});
  if (!r.ok()) return r.status();
  r = Run({"SADD", keys::WebhookEndpoints(), absl::StrCat(e.district_id, "/", e.department_id)});
  return r.status();
}

absl::StatusOr<WebhookEndpoint> RedisWebhookStore::GetEndpoint(const std::string& district,
                                                               const std::string& department) {
  absl::StatusOr<RedisReply> r = Run({"HGETALL", keys::WebhookEndpoint(district, department)});
  if (!r.ok()) return r.status();
  if (r->elements.empty()) {
    return absl::NotFoundError(absl::StrCat("department '", department, "' has no webhook"));
  }
  WebhookEndpoint e;
  e.district_id = district;
  e.department_id = department;
  for (size_t i = 0; i + 1 < r->elements.size(); i += 2) {
    const std::string& k = r->elements[i].str;
    const std::string& v = r->elements[i + 1].str;
    int64_t n = 0;
    bool num = absl::SimpleAtoi(v, &n);
    if (k == "url") e.url = v;
    if (k == "secret") e.secret = v;
    if (k == "enabled") e.enabled = v == "1";
    if (k == "max_attempts" && num) e.max_attempts = static_cast<int>(n);
    if (k == "timeout_ms" && num) e.timeout = absl::Milliseconds(n);
    if (k == "initial_backoff_ms" && num) e.initial_backoff = absl::Milliseconds(n);
    if (k == "max_backoff_ms" && num) e.max_backoff = absl::Milliseconds(n);
  }
  return e;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RedisWebhookStore::ListEndpoints() {
  absl::StatusOr<RedisReply> r = Run({"SMEMBERS", keys::WebhookEndpoints()});
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::string, std::string>> out;
  for (const RedisReply& m : r->elements) {
    std::pair<std::string, std::string> p = absl::StrSplit(m.str, absl::MaxSplits('/', 1));
    if (!p.first.empty() && !p.second.empty()) out.push_back(std::move(p));
  }
  return out;
}

absl::Status RedisWebhookStore::LogAttempt(const std::string& district,
                                           const std::string& department,
                                           const WebhookAttemptRecord& a) {
  v1::WebhookAttempt p;
  p.set_delivery_id(a.delivery_id);
  p.set_event_id(a.event_id);
  p.set_attempt(a.attempt);
  p.set_http_status(a.http_status);
  p.set_error(a.error);
  p.set_latency_us(a.latency_us);
  p.set_at_unix_ms(a.at_unix_ms);
  std::string key = keys::WebhookLog(district, department);
  absl::StatusOr<RedisReply> r = Run({"LPUSH", key, p.SerializeAsString()});
  if (!r.ok()) return r.status();
  return Run({"LTRIM", key, "0", absl::StrCat(kMaxLog - 1)}).status();
}

absl::StatusOr<std::vector<WebhookAttemptRecord>> RedisWebhookStore::ListAttempts(
    const std::string& district, const std::string& department, int limit) {
  absl::StatusOr<RedisReply> r =
      Run({"LRANGE", keys::WebhookLog(district, department), "0", absl::StrCat(limit - 1)});
  if (!r.ok()) return r.status();
  std::vector<WebhookAttemptRecord> out;
  for (const RedisReply& m : r->elements) {
    v1::WebhookAttempt p;
    if (!p.ParseFromString(m.str)) continue;
    out.push_back(WebhookAttemptRecord{p.delivery_id(), p.event_id(), p.attempt(), p.http_status(),
                                       p.error(), p.latency_us(), p.at_unix_ms()});
  }
  return out;
}

absl::Status RedisWebhookStore::AddDeadLetter(const std::string& district,
                                              const std::string& department,
                                              const DeadLetterRecord& d) {
  return Run({"RPUSH", keys::WebhookDeadLetters(district, department), Encode(d)}).status();
}

absl::StatusOr<std::vector<DeadLetterRecord>> RedisWebhookStore::ListDeadLetters(
    const std::string& district, const std::string& department, int limit) {
  absl::StatusOr<RedisReply> r =
      Run({"LRANGE", keys::WebhookDeadLetters(district, department), "0", absl::StrCat(limit - 1)});
  if (!r.ok()) return r.status();
  std::vector<DeadLetterRecord> out;
  for (const RedisReply& m : r->elements) {
    if (auto d = DecodeDeadLetter(m.str)) out.push_back(*std::move(d));
  }
  return out;
}

absl::StatusOr<int64_t> RedisWebhookStore::ReplayDeadLetters(const std::string& district,
                                                             const std::string& department) {
  const LuaScript& s = ReplayDeadLettersScript();
  std::promise<absl::StatusOr<RedisReply>> p;
  client_->RunScript(
      s.source, s.sha1,
      {keys::WebhookDeadLetters(district, department), keys::WebhookReplay(district, department)},
      {}, [&p](absl::StatusOr<RedisReply> r) { p.set_value(std::move(r)); });
  absl::StatusOr<RedisReply> r = p.get_future().get();
  if (!r.ok()) return r.status();
  if (r->is_error()) return ErrorOf(*r);
  return r->integer;
}

absl::StatusOr<std::optional<DeadLetterRecord>> RedisWebhookStore::TakeReplay(
    const std::string& district, const std::string& department) {
  absl::StatusOr<RedisReply> r = Run({"LPOP", keys::WebhookReplay(district, department)});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<DeadLetterRecord>();
  return DecodeDeadLetter(r->str);
}

}  // namespace zhiwang::redis
