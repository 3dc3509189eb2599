#ifndef ZHIWANG_SERVICES_CONSOLE_EVALUATION_FIXTURE_H_
#define ZHIWANG_SERVICES_CONSOLE_EVALUATION_FIXTURE_H_

// feed (issue 6), tests only: writes event records (e.g. a generated month) to Redis in the
// stored format — the event hash zw:{D}:ev:<id> {s, v, d}, the timeline list zw:{D}:tl:<id>
// (entries in seq order; rewritten, so writing twice is harmless), and the query indexes the
// evaluation reads: zw:{D}:ix:q:created (creation ms) and, for events in a terminal state,
// zw:{D}:ix:q:closed (the ms of the entry that made them terminal) — what create_event.lua /
// transition.lua write.

#include <vector>

#include "absl/status/status.h"
#include "common/redis/redis_client.h"
#include "services/console/evaluation.h"

namespace zhiwang::console {

absl::Status WriteStoredRecords(redis::RedisClient* client,
                                const std::vector<EventRecord>& records);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVALUATION_FIXTURE_H_
