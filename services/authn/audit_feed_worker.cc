#include "services/authn/audit_feed_worker.h"

#include <vector>

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

// The timeline entries up to `version`, oldest first. One write may append several entries
// (the router's accept + dispatch is one write), and the feed has one entry per write, so a
// feed entry stands for every timeline entry up to its version; AppendOnce drops the ones
// already audited. Timelines are short (one entry per step), so reading the prefix is cheap.
absl::StatusOr<std::vector<v1::TimelineEntry>> TimelineUpTo(redis::RedisClient* redis,
                                                            const std::string& key,
                                                            int64_t version) {
  absl::StatusOr<redis::RedisReply> all =
      redis->Call({"LRANGE", key, "0", absl::StrCat(version - 1)});
  if (!all.ok()) return all.status();
  if (all->is_error()) return absl::UnavailableError(absl::StrCat("redis: ", all->str));
  std::vector<v1::TimelineEntry> out;
  for (const redis::RedisReply& e : all->elements) {
    v1::TimelineEntry t;
    if (t.ParseFromString(e.str) && t.seq() <= version) out.push_back(std::move(t));
  }
  return out;
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
  absl::StatusOr<std::vector<v1::TimelineEntry>> timeline =
      TimelineUpTo(redis_, redis::keys::Timeline(district, event_id), version);
  if (!timeline.ok()) return false;
  if (timeline->empty()) {
    Log(LogLevel::kWarning, "audit: no timeline", {{"event", event_id}});
    return true;
  }
  for (const v1::TimelineEntry& t : *timeline) {
    AuditRecord r;
    r.at = t.has_at() ? FromProto(t.at()) : absl::FromUnixMillis(at_ms);
    r.subject = t.actor_subject();
    r.role = static_cast<Role>(t.actor_role());
    r.department_id = t.actor_department_id();
    r.action = absl::StrCat("event:", ActionName(static_cast<EventAction>(t.action())));
    r.object = event_id;
    r.allowed = true;
    r.district_id = district;
    r.version = t.seq();
    absl::Status s = audit_->AppendOnce(r, event_id);
    if (!s.ok()) {
      Log(LogLevel::kWarning, "audit append failed", {{"error", s.ToString()}});
      return false;
    }
  }
  ++handled_;
  return true;
}

}  // namespace zhiwang::authn
