#include "services/sla/redis_sla_store.h"

#include <future>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis/keys.h"
#include "services/sla/sla_convert.h"
#include "services/sla/sla_scripts.h"

namespace zhiwang::sla {
namespace {

using redis::RedisReply;
using Type = RedisReply::Type;

absl::Status ReplyError(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r.str));
  return absl::InternalError(absl::StrCat("redis: ", r.str));
}

absl::StatusOr<RedisReply> RunScript(redis::RedisClient* client, const redis::LuaScript& s,
                                     std::vector<std::string> keys, std::vector<std::string> args) {
  std::promise<absl::StatusOr<RedisReply>> p;
  std::future<absl::StatusOr<RedisReply>> f = p.get_future();
  client->RunScript(s.source, s.sha1, std::move(keys), std::move(args),
                    [&p](absl::StatusOr<RedisReply> r) { p.set_value(std::move(r)); });
  absl::StatusOr<RedisReply> r = f.get();
  if (r.ok() && r->is_error()) return ReplyError(*r);
  return r;
}

absl::StatusOr<RedisReply> Call(redis::RedisClient* client, std::vector<std::string> argv) {
  absl::StatusOr<RedisReply> r = client->Call(std::move(argv));
  if (r.ok() && r->is_error()) return ReplyError(*r);
  return r;
}

std::vector<int> ParseFired(const std::string& f) {
  std::vector<int> out;
  for (absl::string_view part : absl::StrSplit(f, ',', absl::SkipEmpty())) {
    int rung = 0;
    if (absl::SimpleAtoi(part, &rung)) out.push_back(rung);
  }
  return out;
}

absl::StatusOr<Notice> DecodeNotice(const std::string& blob) {
  v1::Notification p;
  if (!p.ParseFromString(blob)) return absl::DataLossError("stored notification does not parse");
  return FromProto(p);
}

}  // namespace

std::string StateStageMap() {
  std::string out = ",";
  for (int s = 0; s <= kMaxEventState; ++s) {
    Stage st = StageOfState(static_cast<EventState>(s));
    if (st != Stage::kNone) absl::StrAppend(&out, s, ":", static_cast<int>(st), ",");
  }
  return out;
}

absl::StatusOr<std::optional<SlaRecord>> RedisSlaStore::Load(const std::string& district_id,
                                                             const std::string& event_id) {
  absl::StatusOr<RedisReply> r =
      Call(client_, {"HMGET", redis::keys::SlaRecord(district_id, event_id), "d", "f", "so"});
  if (!r.ok()) return r.status();
  if (r->elements.size() != 3) return absl::InternalError("unexpected HMGET reply");
  if (r->elements[0].type != Type::kString) return std::nullopt;
  v1::SlaRecord p;
  if (!p.ParseFromString(r->elements[0].str)) {
    return absl::DataLossError("stored SLA record does not parse");
  }
  SlaRecord rec = FromProto(p);
  rec.fired_rungs = ParseFired(r->elements[1].str);
  std::vector<std::string> mget = {"MGET"};
  for (absl::string_view id : absl::StrSplit(r->elements[2].str, ',', absl::SkipEmpty())) {
    mget.push_back(redis::keys::SupervisionOrder(district_id, id));
  }
  if (mget.size() > 1) {
    absl::StatusOr<RedisReply> orders = Call(client_, std::move(mget));
    if (!orders.ok()) return orders.status();
    for (const RedisReply& o : orders->elements) {
      v1::SupervisionOrder op;
      if (o.type != Type::kString || !op.ParseFromString(o.str)) continue;
      rec.orders.push_back(FromProto(op));
    }
  }
  return rec;
}

absl::Status RedisSlaStore::Arm(const std::string& district_id, int64_t expected_version,
                                const ArmPlan& plan) {
  const SlaRecord& r = plan.record;
  SlaRecord stored = r;
  stored.armed_timers.clear();
  for (const Timer& t : plan.timers) stored.armed_timers.push_back(t.member);
  v1::SlaRecord blob;
  ToProto(stored, &blob);
  std::vector<std::string> args = {absl::StrCat(expected_version),
                                   absl::StrCat(r.version),
                                   absl::StrCat(static_cast<int>(r.stage)),
                                   absl::StrCat(r.stage_seq),
                                   absl::StrCat(r.generation),
                                   r.facts.department_id,
                                   blob.SerializeAsString()};
  // query (issue 6): the console's light indexes follow the running clock.
  std::vector<std::string> script_keys = {redis::keys::SlaRecord(district_id, r.event_id),
                                          redis::keys::SlaTimers(district_id)};
  bool running = r.stage != Stage::kNone && !r.suspended;
  args.push_back(r.event_id);
  args.push_back(running ? absl::StrCat(absl::ToUnixMillis(r.deadline)) : "");
  args.push_back(running ? absl::StrCat(absl::ToUnixMillis(r.yellow_at)) : "");
  if (running) {
    for (auto [scope, value] : {std::pair<std::string, std::string>{"", ""},
                                {"street", r.facts.street_id},
                                {"dep", r.facts.department_id}}) {
      if (!scope.empty() && value.empty()) continue;
      script_keys.push_back(redis::keys::LightIndex(district_id, "dl", scope, value));
      script_keys.push_back(redis::keys::LightIndex(district_id, "yl", scope, value));
    }
  }
  for (const Timer& t : plan.timers) {
    v1::Notification n;
    ToProto(t.notice, &n);
    args.push_back(t.member);
    args.push_back(absl::StrCat(absl::ToUnixMillis(t.due)));
    args.push_back(absl::StrCat(t.rung));
    args.push_back(n.SerializeAsString());
    args.push_back(t.notice.supervision_order_id);
    std::string order_blob;
    if (!t.notice.supervision_order_id.empty()) {
      v1::SupervisionOrder o;
      ToProto(SupervisionOrder{t.notice.supervision_order_id, r.event_id, absl::Time(),
                               t.notice.supervision_order_deadline, t.notice.recipient},
              &o);
      order_blob = o.SerializeAsString();
    }
    args.push_back(std::move(order_blob));
  }
  absl::StatusOr<RedisReply> reply =
      RunScript(client_, SlaArmScript(), std::move(script_keys), std::move(args));
  if (!reply.ok()) return reply.status();
  if (reply->type != Type::kArray || reply->elements.empty()) {
    return absl::InternalError("unexpected reply from sla_arm");
  }
  if (reply->elements[0].str == "conflict") {
    return absl::AbortedError(absl::StrCat("sla record of ", r.event_id, " changed concurrently"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Notice>> RedisSlaStore::FireDue(const std::string& district_id,
                                                           absl::Time now, int max) {
  static const std::string* const kMap = new std::string(StateStageMap());
  absl::StatusOr<RedisReply> reply =
      RunScript(client_, SlaFireScript(),
                {redis::keys::SlaTimers(district_id), redis::keys::Notifications(district_id),
                 redis::keys::SupervisedEvents(district_id),  // query (issue 6)
                 redis::keys::EventsByCreation(district_id)},
                {absl::StrCat(absl::ToUnixMillis(now)), absl::StrCat(max),
                 redis::keys::SlaRecordPrefix(district_id), redis::keys::EventPrefix(district_id),
                 *kMap, redis::keys::SupervisionOrderPrefix(district_id)});
  if (!reply.ok()) return reply.status();
  std::vector<Notice> out;
  for (const RedisReply& b : reply->elements) {
    absl::StatusOr<Notice> n = DecodeNotice(b.str);
    if (!n.ok()) return n.status();
    out.push_back(*std::move(n));
  }
  return out;
}

absl::StatusOr<std::vector<Notice>> RedisSlaStore::RecentNotices(const std::string& district_id,
                                                                 int limit) {
  absl::StatusOr<RedisReply> r =
      Call(client_, {"XREVRANGE", redis::keys::Notifications(district_id), "+", "-", "COUNT",
                     absl::StrCat(limit)});
  if (!r.ok()) return r.status();
  std::vector<Notice> out;
  for (auto it = r->elements.rbegin(); it != r->elements.rend(); ++it) {
    if (it->elements.size() != 2) continue;
    const auto& fields = it->elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str != "d") continue;
      absl::StatusOr<Notice> n = DecodeNotice(fields[i + 1].str);
      if (!n.ok()) return n.status();
      out.push_back(*std::move(n));
    }
  }
  return out;
}

absl::StatusOr<int64_t> RedisSlaStore::TimerCount(const std::string& district_id) {
  absl::StatusOr<RedisReply> r = Call(client_, {"ZCARD", redis::keys::SlaTimers(district_id)});
  if (!r.ok()) return r.status();
  return static_cast<int64_t>(r->integer);
}

}  // namespace zhiwang::sla
