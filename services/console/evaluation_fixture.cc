#include "services/console/evaluation_fixture.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/rpc/convert.h"
#include "services/console/evaluation_source.h"

namespace zhiwang::console {

absl::Status WriteStoredRecords(redis::RedisClient* client,
                                const std::vector<EventRecord>& records) {
  for (const EventRecord& r : records) {
    const std::string& d = r.event.district_id;
    v1::Event e;
    ToProto(r.event, &e);
    std::vector<std::vector<std::string>> commands;
    commands.push_back({"HSET", redis::keys::Event(d, r.event.id), "s",
                        absl::StrCat(static_cast<int>(r.event.state)), "v",
                        absl::StrCat(r.event.version), "d", e.SerializeAsString()});
    std::vector<TimelineEntry> timeline = r.timeline;
    std::sort(timeline.begin(), timeline.end(),
              [](const TimelineEntry& a, const TimelineEntry& b) { return a.seq < b.seq; });
    std::vector<std::string> push = {"RPUSH", redis::keys::Timeline(d, r.event.id)};
    for (const TimelineEntry& t : timeline) {
      v1::TimelineEntry p;
      ToProto(t, &p);
      push.push_back(p.SerializeAsString());
    }
    if (push.size() > 2) commands.push_back(std::move(push));
    commands.push_back({"ZADD", redis::keys::EventsByCreation(d),
                        absl::StrCat(absl::ToUnixMillis(r.event.created_at)), r.event.id});
    if (std::optional<absl::Time> closed = TerminalSince(r)) {
      commands.push_back({"ZADD", redis::keys::EventsByClosure(d),
                          absl::StrCat(absl::ToUnixMillis(*closed)), r.event.id});
    }
    for (std::vector<std::string>& c : commands) {
      absl::StatusOr<redis::RedisReply> reply = client->Call(std::move(c));
      if (!reply.ok()) return reply.status();
      if (reply->is_error()) return absl::InternalError(reply->str);
    }
  }
  return absl::OkStatus();
}

}  // namespace zhiwang::console
