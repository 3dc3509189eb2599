#include "common/redis/redis_change_feed.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/redis/keys.h"

namespace zhiwang::redis {
namespace {

using Type = RedisReply::Type;

// KEYS: feed, floor. ARGV: cursor, limit. {'trimmed', floor} when an entry after the
// cursor may have been trimmed (the cursor's successor is below the floor), else
// {'ok', XRANGE reply}.
constexpr char kReadScript[] = R"lua(
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local floor = redis.call('GET', KEYS[2])
if floor then
  local fm, fs = parse(floor)
  local cm, cs = parse(ARGV[1])
  cs = cs + 1
  if cm < fm or (cm == fm and cs < fs) then return {'trimmed', floor} end
end
return {'ok', redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}
)lua";

// KEYS: feed, floor. ARGV: min id. Trims below min id, but never the newest entry (so a
// snapshot's cursor, the newest id, is never below the floor), raises the floor to what
// was trimmed below; returns the entries removed. An empty feed is left alone.
constexpr char kTrimScript[] = R"lua(
local function less(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if not last[1] then return 0 end
local min_id = ARGV[1]
if less(last[1][1], min_id) then min_id = last[1][1] end
local cur = redis.call('GET', KEYS[2])
if not cur or less(cur, min_id) then redis.call('SET', KEYS[2], min_id) end
return redis.call('XTRIM', KEYS[1], 'MINID', min_id)
)lua";

// KEYS: feed, floor. The newest entry id, else the floor, else "0-0".
constexpr char kTailScript[] = R"lua(
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if last[1] then return last[1][1] end
local floor = redis.call('GET', KEYS[2])
if floor then return floor end
return '0-0'
)lua";

// A script with its SHA-1; static, so it outlives every RunScript callback.
struct Script {
  std::string source;
  std::string sha1;
};
const Script& ReadScript() {
  static const Script* s = new Script{kReadScript, RedisClient::ScriptSha1(kReadScript)};
  return *s;
}
const Script& TrimScript() {
  static const Script* s = new Script{kTrimScript, RedisClient::ScriptSha1(kTrimScript)};
  return *s;
}
const Script& TailScript() {
  static const Script* s = new Script{kTailScript, RedisClient::ScriptSha1(kTailScript)};
  return *s;
}

absl::Status ErrorOf(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(r.str);
  return absl::InternalError(absl::StrCat("change feed: ", r.str));
}

absl::StatusOr<ChangeRecord> ParseEntry(const RedisReply& entry) {
  if (entry.type != Type::kArray || entry.elements.size() != 2 ||
      entry.elements[1].type != Type::kArray) {
    return absl::DataLossError("change feed entry has no body");
  }
  ChangeRecord c;
  c.cursor = entry.elements[0].str;
  const std::vector<RedisReply>& f = entry.elements[1].elements;
  for (size_t i = 0; i + 1 < f.size(); i += 2) {
    const std::string& k = f[i].str;
    const std::string& v = f[i + 1].str;
    int64_t n = 0;
    if (k == "e") {
      c.event_id = v;
    } else if (k == "v" && absl::SimpleAtoi(v, &n)) {
      c.version = n;
    } else if (k == "s" && absl::SimpleAtoi(v, &n)) {
      c.state = static_cast<EventState>(n);
    } else if (k == "a" && absl::SimpleAtoi(v, &n)) {
      c.action = static_cast<EventAction>(n);
    } else if (k == "t" && absl::SimpleAtoi(v, &n)) {
      c.at = absl::FromUnixMillis(n);
    }
  }
  if (c.event_id.empty()) return absl::DataLossError("change feed entry has no event id");
  return c;
}

}  // namespace

void RedisChangeFeed::ReadAfter(
    const std::string& district_id, const std::string& cursor, int limit,
    std::function<void(absl::StatusOr<std::vector<ChangeRecord>>)> done) {
  uint64_t ms = 0, seq = 0;
  if (!ParseFeedCursor(cursor, &ms, &seq)) {
    done(absl::InvalidArgumentError(
        absl::StrCat("cursor: '", cursor, "' is not a change-feed position (<ms>-<seq>)")));
    return;
  }
  limit = std::clamp(limit, 1, 1000);
  client_->RunScript(
      ReadScript().source, ReadScript().sha1,
      {keys::ChangeFeed(district_id), keys::ChangeFeedFloor(district_id)},
      {cursor, absl::StrCat(limit)},
      [cursor, done = std::move(done)](absl::StatusOr<RedisReply> r) {
        if (!r.ok()) return done(r.status());
        if (r->is_error()) return done(ErrorOf(*r));
        if (r->type != Type::kArray || r->elements.size() != 2) {
          return done(absl::InternalError("change feed: unexpected reply"));
        }
        if (r->elements[0].str == "trimmed") {
          return done(absl::OutOfRangeError(
              absl::StrCat("cursor: '", cursor, "' is older than the change feed keeps (kept from ",
                           r->elements[1].str,
                           "); take a board snapshot (GetBoard) and resume from its cursor")));
        }
        std::vector<ChangeRecord> out;
        for (const RedisReply& e : r->elements[1].elements) {
          absl::StatusOr<ChangeRecord> c = ParseEntry(e);
          if (!c.ok()) return done(c.status());
          out.push_back(*std::move(c));
        }
        done(std::move(out));
      });
}

void RedisChangeFeed::Tail(const std::string& district_id,
                           std::function<void(absl::StatusOr<std::string>)> done) {
  client_->RunScript(TailScript().source, TailScript().sha1,
                     {keys::ChangeFeed(district_id), keys::ChangeFeedFloor(district_id)}, {},
                     [done = std::move(done)](absl::StatusOr<RedisReply> r) {
                       if (!r.ok()) return done(r.status());
                       if (r->is_error()) return done(ErrorOf(*r));
                       done(r->str);
                     });
}

absl::StatusOr<int64_t> TrimChangeFeed(RedisClient* client, const std::string& district_id,
                                       const std::string& min_id) {
  uint64_t ms = 0, seq = 0;
  if (!ParseFeedCursor(min_id, &ms, &seq)) {
    return absl::InvalidArgumentError(absl::StrCat("min_id: '", min_id, "' is not an entry id"));
  }
  absl::StatusOr<RedisReply> r;
  absl::Notification n;
  client->RunScript(TrimScript().source, TrimScript().sha1,
                    {keys::ChangeFeed(district_id), keys::ChangeFeedFloor(district_id)}, {min_id},
                    [&](absl::StatusOr<RedisReply> reply) {
                      r = std::move(reply);
                      n.Notify();
                    });
  n.WaitForNotification();
  if (!r.ok()) return r.status();
  if (r->is_error()) return ErrorOf(*r);
  return static_cast<int64_t>(r->integer);
}

}  // namespace zhiwang::redis
