#include "services/authn/audit_feed_worker.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/rpc/convert.h"
#include "common/rpc/log.h"
#include "zhiwang/v1/event.pb.h"

namespace zhiwang::authn {
namespace {

// "zw:{990100}:q:changes" → "990100".
std::string DistrictOfStream(const std::string& stream) {
  size_t open = stream.find('{');
  size_t close = stream.find('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return stream.substr(open + 1, close - open - 1);
}

// The timeline entry with seq == version: first where one entry per version puts it,
// then (a transition may append more than one entry) by scanning.
absl::StatusOr<v1::TimelineEntry> TimelineAt(redis::RedisClient* redis, const std::string& key,
                                             int64_t version) {
  v1::TimelineEntry t;
  absl::StatusOr<redis::RedisReply> one = redis->Call({"LINDEX", key, absl::StrCat(version - 1)});
  if (!one.ok()) return one.status();
  if (one->type == redis::RedisReply::Type::kString && t.ParseFromString(one->str) &&
      t.seq() == version) {
    return t;
  }
  absl::StatusOr<redis::RedisReply> all = redis->Call({"LRANGE", key, "0", "-1"});
  if (!all.ok()) return all.status();
  for (const redis::RedisReply& e : all->elements) {
    if (t.ParseFromString(e.str) && t.seq() == version) return t;
  }
  return absl::NotFoundError(absl::StrCat("timeline entry ", version, " of ", key));
}

}  // namespace

AuditFeedWorker::AuditFeedWorker(redis::RedisClient* reader, redis::RedisClient* redis,
                                 AuditLog* audit, const OrgRegistry* orgs, const Clock* clock,
                                 Options options)
    : redis_(redis),
      audit_(audit),
      orgs_(orgs),
      options_(std::move(options)),
      feeds_(reader, clock, &stop_,
             {.group = kGroup,
              .consumer = options_.consumer,
              .block = options_.block,
              .reclaim_after = options_.reclaim_after},
             {.districts =
                  [this] {
                    return options_.districts.empty() ? orgs_->DistrictIds() : options_.districts;
                  },
              .stream = [](const std::string& d) { return redis::keys::ChangeFeed(d); },
              .handle = [this](const std::string& stream, const redis::RedisReply& entries,
                               bool /*reclaimed*/) { Handle(stream, entries); },
              .housekeeping = nullptr}) {}

AuditFeedWorker::~AuditFeedWorker() { Stop(); }

void AuditFeedWorker::Start() {
  thread_ = std::thread([this] { feeds_.Run(); });
}

void AuditFeedWorker::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void AuditFeedWorker::Handle(const std::string& stream, const redis::RedisReply& entries) {
  const std::string district = DistrictOfStream(stream);
  for (const redis::RedisReply& e : entries.elements) {
    if (e.elements.size() < 2) continue;
    const std::string& id = e.elements[0].str;
    // A deleted entry (nil body) has nothing to audit: acknowledge it.
    if (!e.elements[1].is_nil() && !HandleOne(district, e.elements[1])) continue;
    absl::StatusOr<redis::RedisReply> ack = redis_->Call({"XACK", stream, kGroup, id});
    if (!ack.ok())
      Log(LogLevel::kWarning, "audit ack failed", {{"error", ack.status().ToString()}});
  }
}

bool AuditFeedWorker::HandleOne(const std::string& district, const redis::RedisReply& body) {
  std::string event_id;
  int64_t version = 0, at_ms = 0;
  for (size_t i = 0; i + 1 < body.elements.size(); i += 2) {
    const std::string& f = body.elements[i].str;
    const std::string& v = body.elements[i + 1].str;
    if (f == "e") event_id = v;
    if (f == "v") (void)absl::SimpleAtoi(v, &version);
    if (f == "t") (void)absl::SimpleAtoi(v, &at_ms);
  }
  if (event_id.empty() || version <= 0) return true;  // malformed: nothing to retry
  absl::StatusOr<v1::TimelineEntry> t =
      TimelineAt(redis_, redis::keys::Timeline(district, event_id), version);
  if (absl::IsNotFound(t.status())) {
    Log(LogLevel::kWarning, "audit: no timeline entry", {{"error", t.status().ToString()}});
    return true;
  }
  if (!t.ok()) return false;
  AuditRecord r;
  r.at = t->has_at() ? FromProto(t->at()) : absl::FromUnixMillis(at_ms);
  r.subject = t->actor_subject();
  r.role = static_cast<Role>(t->actor_role());
  r.department_id = t->actor_department_id();
  r.action = absl::StrCat("event:", ActionName(static_cast<EventAction>(t->action())));
  r.object = event_id;
  r.allowed = true;
  r.district_id = district;
  r.version = version;
  absl::Status s = audit_->AppendOnce(r, event_id);
  if (!s.ok()) {
    Log(LogLevel::kWarning, "audit append failed", {{"error", s.ToString()}});
    return false;
  }
  ++handled_;
  return true;
}

}  // namespace zhiwang::authn
