#include "common/redis/redis_assignment_queue.h"

#include <future>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/redis/scripts.h"

namespace zhiwang::redis {
namespace {

using Type = RedisReply::Type;

absl::Status ErrorOf(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r.str));
  return absl::InternalError(absl::StrCat("redis: ", r.str));
}

// One stream entry [id, [field, value, ...]]; false for an entry deleted meanwhile (nil
// fields) or a malformed one.
bool ParseEntry(const RedisReply& r, QueueEntry* out) {
  if (r.type != Type::kArray || r.elements.size() != 2) return false;
  if (r.elements[1].type != Type::kArray) return false;
  out->id = r.elements[0].str;
  const auto& f = r.elements[1].elements;
  for (size_t i = 0; i + 1 < f.size(); i += 2) {
    if (f[i].str == "e") out->event_id = f[i + 1].str;
    if (f[i].str == "v" && !absl::SimpleAtoi(f[i + 1].str, &out->token)) out->token = 0;
    if (f[i].str == "d") out->payload = f[i + 1].str;
  }
  return true;
}

std::vector<QueueEntry> ParseEntries(const RedisReply& list) {
  std::vector<QueueEntry> out;
  for (const RedisReply& r : list.elements) {
    QueueEntry e;
    if (ParseEntry(r, &e)) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::string RedisAssignmentQueue::StreamKey(const QueueRef& q) {
  return q.channel == QueueChannel::kAssignments
             ? keys::DepartmentQueue(q.district_id, q.department_id)
             : keys::Notifications(q.district_id);
}

std::string RedisAssignmentQueue::GroupName(const QueueRef& q) {
  return q.channel == QueueChannel::kAssignments ? "dq" : absl::StrCat("dq:", q.department_id);
}

absl::StatusOr<RedisReply> RedisAssignmentQueue::Run(std::vector<std::string> argv) {
  absl::StatusOr<RedisReply> r = client_->Call(std::move(argv));
  if (!r.ok()) return r.status();
  if (r->is_error()) return ErrorOf(*r);
  return r;
}

absl::StatusOr<RedisReply> RedisAssignmentQueue::RunScript(const std::string& source,
                                                           const std::string& sha1,
                                                           std::vector<std::string> keys,
                                                           std::vector<std::string> args) {
  std::promise<absl::StatusOr<RedisReply>> p;
  client_->RunScript(source, sha1, std::move(keys), std::move(args),
                     [&p](absl::StatusOr<RedisReply> r) { p.set_value(std::move(r)); });
  absl::StatusOr<RedisReply> r = p.get_future().get();
  if (!r.ok()) return r.status();
  if (r->is_error()) return ErrorOf(*r);
  return r;
}

absl::StatusOr<std::vector<QueueEntry>> RedisAssignmentQueue::Next(const QueueRef& q,
                                                                   const std::string& consumer,
                                                                   int max, int max_unacked) {
  const LuaScript& s = QueueNextScript();
  absl::StatusOr<RedisReply> r =
      RunScript(s.source, s.sha1, {StreamKey(q)},
                {GroupName(q), consumer, absl::StrCat(max), absl::StrCat(max_unacked),
                 q.channel == QueueChannel::kNotifications ? q.department_id : ""});
  if (!r.ok()) return r.status();
  return ParseEntries(*r);
}

absl::StatusOr<std::vector<QueueEntry>> RedisAssignmentQueue::PendingFor(
    const QueueRef& q, const std::string& consumer, const std::string& after, int max) {
  int64_t ms, seq;
  std::string from = ParseEntryId(after, &ms, &seq) ? after : "0";
  absl::StatusOr<RedisReply> r =
      client_->Call({"XREADGROUP", "GROUP", GroupName(q), consumer, "COUNT", absl::StrCat(max),
                     "STREAMS", StreamKey(q), from});
  if (!r.ok()) return r.status();
  if (r->is_error()) {
    if (absl::StartsWith(r->str, "NOGROUP")) return std::vector<QueueEntry>{};
    return ErrorOf(*r);
  }
  if (r->type != Type::kArray || r->elements.empty()) return std::vector<QueueEntry>{};
  const RedisReply& stream = r->elements[0];
  if (stream.elements.size() != 2) return absl::InternalError("unexpected XREADGROUP reply");
  return ParseEntries(stream.elements[1]);
}

absl::StatusOr<std::vector<QueueEntry>> RedisAssignmentQueue::Reclaim(const QueueRef& q,
                                                                      const std::string& consumer,
                                                                      absl::Duration min_idle,
                                                                      int max) {
  absl::StatusOr<RedisReply> r = client_->Call({"XAUTOCLAIM", StreamKey(q), GroupName(q), consumer,
                                                absl::StrCat(absl::ToInt64Milliseconds(min_idle)),
                                                "0-0", "COUNT", absl::StrCat(max)});
  if (!r.ok()) return r.status();
  if (r->is_error()) {
    if (absl::StartsWith(r->str, "NOGROUP")) return std::vector<QueueEntry>{};
    return ErrorOf(*r);
  }
  if (r->type != Type::kArray || r->elements.size() < 2) {
    return absl::InternalError("unexpected XAUTOCLAIM reply");
  }
  return ParseEntries(r->elements[1]);
}

absl::Status RedisAssignmentQueue::Touch(const QueueRef& q, const std::string& consumer,
                                         const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  // XCLAIM with min-idle 0 and JUSTID: new holder, idle time 0, delivery count unchanged;
  // ids no longer pending are skipped by Redis.
  std::vector<std::string> argv = {"XCLAIM", StreamKey(q), GroupName(q), consumer, "0"};
  for (const std::string& id : ids) {
    int64_t ms, seq;
    if (ParseEntryId(id, &ms, &seq)) argv.push_back(id);
  }
  argv.push_back("JUSTID");
  absl::StatusOr<RedisReply> r = client_->Call(std::move(argv));
  if (!r.ok()) return r.status();
  if (r->is_error() && !absl::StartsWith(r->str, "NOGROUP")) return ErrorOf(*r);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> RedisAssignmentQueue::Ack(const QueueRef& q,
                                                  const std::vector<std::string>& ids) {
  if (ids.empty()) return 0;
  std::vector<std::string> argv = {"XACK", StreamKey(q), GroupName(q)};
  for (const std::string& id : ids) {
    int64_t ms, seq;
    if (!ParseEntryId(id, &ms, &seq)) {
      return absl::InvalidArgumentError(absl::StrCat("delivery id '", id, "' is malformed"));
    }
    argv.push_back(id);
  }
  absl::StatusOr<RedisReply> r = Run(std::move(argv));
  if (!r.ok()) return r.status();
  return r->integer;
}

absl::StatusOr<int64_t> RedisAssignmentQueue::Trim(const QueueRef& q, int64_t keep_without_group) {
  const LuaScript& s = QueueTrimScript();
  absl::StatusOr<RedisReply> r =
      RunScript(s.source, s.sha1, {StreamKey(q)}, {absl::StrCat(keep_without_group)});
  if (!r.ok()) return r.status();
  return r->integer;
}

absl::StatusOr<QueueStats> RedisAssignmentQueue::Stats(const QueueRef& q) {
  QueueStats st;
  absl::StatusOr<RedisReply> len = Run({"XLEN", StreamKey(q)});
  if (!len.ok()) return len.status();
  st.length = len->integer;
  absl::StatusOr<RedisReply> p = client_->Call({"XPENDING", StreamKey(q), GroupName(q)});
  if (!p.ok()) return p.status();
  if (!p->is_error() && p->type == Type::kArray && !p->elements.empty()) {
    st.pending = p->elements[0].integer;
  }
  return st;
}

absl::StatusOr<std::string> RedisAssignmentQueue::Append(const QueueRef& q,
                                                         const QueueEntry& entry) {
  if (entry.event_id.empty()) return absl::InvalidArgumentError("event_id: is required");
  std::vector<std::string> argv = {"XADD", StreamKey(q), "*", "e", entry.event_id};
  if (q.channel == QueueChannel::kAssignments) {
    argv.insert(argv.end(), {"v", absl::StrCat(entry.token)});
  } else {
    if (entry.payload.empty()) {
      return absl::InvalidArgumentError("payload: is required for a notification");
    }
    argv.insert(argv.end(), {"dep", q.department_id, "d", entry.payload});
  }
  absl::StatusOr<RedisReply> r = Run(std::move(argv));
  if (!r.ok()) return r.status();
  return r->str;
}

}  // namespace zhiwang::redis
