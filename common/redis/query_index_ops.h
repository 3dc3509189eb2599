#ifndef ZHIWANG_COMMON_REDIS_QUERY_INDEX_OPS_H_
#define ZHIWANG_COMMON_REDIS_QUERY_INDEX_OPS_H_

// The console's index writes (issue 6) that create_event.lua and transition.lua apply in
// the same atomic script as the event write. Built here from the pure membership rule
// (common/domain/query_index.h) so both scripts share one encoding:
//
//   KEYS[k..k+n-1]  the keys of the n operations
//   ARGV[a] = n, then n pairs (op, arg):
//     'c' arg=created ms  the creation index; marks the event "indexed" (ZADD when absent).
//                         An event written before issue 6 is indexed by its first write.
//     'a' arg=score       ZADD key score id
//     'r' arg=''          ZREM key id
//     'i' arg=field       HINCRBY key field 1
//     'd' arg=field       HINCRBY key field -1, skipped for an event indexed by this very
//                         write (it was never counted)
//     'n' arg=field       HINCRBY key field 1 only for an event indexed by this very write
//                         (a field it keeps: counted now, since it was never counted)
// The 'c' operation always comes first.

#include <string>
#include <vector>

#include "common/domain/event.h"

namespace zhiwang::redis {

struct QueryIndexOp {
  std::string key;
  char op = 'a';
  std::string arg;
};

// The operations that index a new event.
std::vector<QueryIndexOp> QueryIndexOpsForCreate(const Event& created);
// The operations that move an event's index entries from `before` to `after`: every
// membership of `after` is (re)added (idempotent: the score is the creation time), those
// only `before` had are removed, the department-history index gains the holder, counters
// move when their field changes, and the closure index follows IsTerminal.
std::vector<QueryIndexOp> QueryIndexOpsForTransition(const Event& before, const Event& after);

// Appends the ops to a script call: keys to `keys`, then n and the pairs to `args`.
void AppendQueryIndexOps(const std::vector<QueryIndexOp>& ops, std::vector<std::string>* keys,
                         std::vector<std::string>* args);

}  // namespace zhiwang::redis

#endif  // ZHIWANG_COMMON_REDIS_QUERY_INDEX_OPS_H_
