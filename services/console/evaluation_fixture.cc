#include "services/console/evaluation_fixture.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/keys.h"
#include "common/rpc/convert.h"
#include "services/console/evaluation_source.h"

namespace zhiwang::console {

namespace {

// Sends every command pipelined and waits for all the replies; the first error wins.
absl::Status SendAll(redis::RedisClient* client, std::vector<std::vector<std::string>>* commands) {
  absl::Mutex mu;
  size_t remaining = commands->size();
  absl::Status first;
  for (std::vector<std::string>& c : *commands) {
    client->Send(std::move(c), [&](absl::StatusOr<redis::RedisReply> r) {
      absl::MutexLock lock(&mu);
      if (first.ok() && !r.ok()) first = r.status();
      if (first.ok() && r.ok() && r->is_error()) first = absl::InternalError(r->str);
      --remaining;
    });
  }
  commands->clear();
  absl::MutexLock lock(&mu);
  mu.Await(absl::Condition(
      +[](size_t* n) { return *n == 0; }, &remaining));
  return first;
}

}  // namespace

absl::Status WriteStoredRecords(redis::RedisClient* client,
                                const std::vector<EventRecord>& records) {
  std::vector<std::vector<std::string>> pending;
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
    commands.push_back({"DEL", redis::keys::Timeline(d, r.event.id)});  // rewrite, never append
    if (push.size() > 2) commands.push_back(std::move(push));
    commands.push_back({"ZADD", redis::keys::EventsByCreation(d),
                        absl::StrCat(absl::ToUnixMillis(r.event.created_at)), r.event.id});
    if (std::optional<absl::Time> closed = SettledSince(r)) {
      commands.push_back({"ZADD", redis::keys::EventsByClosure(d),
                          absl::StrCat(absl::ToUnixMillis(*closed)), r.event.id});
    }
    for (std::vector<std::string>& c : commands) pending.push_back(std::move(c));
    if (pending.size() >= 4000) {
      if (absl::Status st = SendAll(client, &pending); !st.ok()) return st;
    }
  }
  return SendAll(client, &pending);
}

}  // namespace zhiwang::console
