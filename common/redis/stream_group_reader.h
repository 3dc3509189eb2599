#ifndef ZHIWANG_COMMON_REDIS_STREAM_GROUP_READER_H_
#define ZHIWANG_COMMON_REDIS_STREAM_GROUP_READER_H_

// The consumer-group mechanics shared by the workers that consume one Redis stream per
// district (zw-router's routing queues, zw-sla's change feeds):
//  - the group is created once per district, from "0" (so entries written before the
//    first consumer started are read too) with MKSTREAM; BUSYGROUP (it exists already)
//    counts as created. After NOGROUP (the stream was deleted, e.g. flushed) it is
//    created again on the next pass.
//  - every reclaim_after / 2 per district, entries other consumers left pending for
//    reclaim_after are claimed (XAUTOCLAIM); they cannot become reclaimable sooner, so
//    looking twice per period is enough.
//  - then this consumer's own pending entries (XREADGROUP from "0": left by a failed
//    attempt or a previous run under the same name), then new ones (">", blocking).
//  - one pass visits every district, dividing `block` between them; the districts are
//    asked for again on every pass. An empty list sleeps `block`.
//  - `*stop` is checked between Redis calls, so Run() returns promptly after it is set
//    even while Redis is away (each call may wait up to the client's timeout). After a
//    failed call or an error reply the district is left for 200 ms.
// Entries are handed over as read; acknowledging them (XACK) is the handler's job, so
// delivery is at least once. Not thread-safe: Run() on one thread. Pointers outlive it.
//
//   StreamGroupReader reader(client, clock, &stop_, {.group = "sla", .consumer = name},
//                            {.districts = ..., .stream = ..., .handle = ...});
//   reader.Run();  // until stop_

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/redis/redis_client.h"

namespace zhiwang::redis {

class StreamGroupReader {
 public:
  struct Options {
    std::string group;                               // consumer group name
    std::string consumer;                            // unique per process, e.g. "<host>-<pid>"
    absl::Duration block = absl::Milliseconds(500);  // one pass blocks about this long
    absl::Duration reclaim_after = absl::Seconds(30);
    int batch = 100;  // entries per read or claim
  };

  struct Hooks {
    // The districts to poll; called once per pass.
    std::function<std::vector<std::string>()> districts;
    // The stream key of a district.
    std::function<std::string(const std::string& district_id)> stream;
    // `entries` is the entry list of an XREADGROUP or XAUTOCLAIM reply:
    // [[id, [field, value, ...]], ...] (a deleted entry has a nil body). `reclaimed` is
    // true for entries claimed from other consumers. Called on the Run() thread.
    std::function<void(const std::string& stream, const RedisReply& entries, bool reclaimed)>
        handle;
    // Optional: called for each district after the reclaim check and before reading,
    // with the time read for that check (e.g. to trim the stream now and then).
    std::function<void(const std::string& district_id, absl::Time now)> housekeeping;
  };

  StreamGroupReader(RedisClient* reader, const Clock* clock, const std::atomic<bool>* stop,
                    Options options, Hooks hooks);

  // Polls the districts until `*stop`.
  void Run();

 private:
  void PollDistrict(const std::string& district_id, absl::Duration block);
  void Reclaim(const std::string& stream);

  RedisClient* reader_;
  const Clock* clock_;
  const std::atomic<bool>* stop_;
  Options options_;
  Hooks hooks_;
  absl::flat_hash_set<std::string> groups_ready_;  // districts whose group exists
  absl::flat_hash_map<std::string, absl::Time> next_reclaim_;
};

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_STREAM_GROUP_READER_H_
