#include "services/console/redis_evaluation_source.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/keys.h"
#include "common/rpc/convert.h"
#include "services/console/evaluation_convert.h"
#include "services/console/evaluation_csv.h"
#include "zhiwang/v1/evaluation.pb.h"

namespace zhiwang::console {
namespace {

using redis::RedisReply;
using Type = RedisReply::Type;

// KEYS: created index, closed index, scratch 1, scratch 2. ARGV: to ms, from ms.
// The ids created before `to` that were not terminal before `from`.
constexpr char kSelectScript[] = R"lua(
redis.call('ZRANGESTORE', KEYS[3], KEYS[1], '-inf', '(' .. ARGV[1], 'BYSCORE')
redis.call('ZRANGESTORE', KEYS[4], KEYS[2], '-inf', '(' .. ARGV[2], 'BYSCORE')
local ids = redis.call('ZDIFF', 2, KEYS[3], KEYS[4])
redis.call('DEL', KEYS[3], KEYS[4])
return ids
)lua";

const std::string& SelectSource() {
  static const auto* s = new std::string(kSelectScript);
  return *s;
}
const std::string& SelectSha() {
  static const auto* s = new std::string(redis::RedisClient::ScriptSha1(kSelectScript));
  return *s;
}

absl::Status ErrorOf(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(r.str);
  return absl::InternalError(absl::StrCat("evaluation: ", r.str));
}

std::string CacheKey(const EvaluationCacheKey& k) {
  return redis::keys::EvaluationCache(k.district_id, k.scope, GroupingName(k.grouping),
                                      absl::ToUnixMillis(k.period.from),
                                      absl::ToUnixMillis(k.period.to), k.config);
}

constexpr int64_t kCacheTtlSeconds = 400LL * 24 * 3600;

// One chunked, pipelined load.
struct LoadState {
  redis::RedisClient* client;
  std::string district_id;
  std::vector<std::string> ids;
  size_t chunk;
  size_t next = 0;  // first id of the next chunk
  Done<std::vector<EventRecord>> done;

  absl::Mutex mu;
  std::vector<EventRecord> out;
  size_t remaining = 0;  // replies outstanding in the current chunk
  absl::Status failure;
  std::vector<std::optional<std::string>> blobs;    // per id of the chunk
  std::vector<std::vector<std::string>> timelines;  // per id of the chunk
};

void SendChunk(std::shared_ptr<LoadState> st);

void ChunkDone(std::shared_ptr<LoadState> st) {
  // Parse the chunk (no lock needed: every reply of the chunk has arrived).
  const size_t begin = st->next - st->blobs.size();
  for (size_t i = 0; i < st->blobs.size() && st->failure.ok(); ++i) {
    if (!st->blobs[i].has_value()) continue;  // gone since it was indexed
    v1::Event e;
    if (!e.ParseFromString(*st->blobs[i])) {
      st->failure =
          absl::DataLossError(absl::StrCat("event ", st->ids[begin + i], " does not parse"));
      break;
    }
    EventRecord r;
    r.event = FromProto(e);
    r.timeline.reserve(st->timelines[i].size());
    for (const std::string& blob : st->timelines[i]) {
      v1::TimelineEntry t;
      if (!t.ParseFromString(blob)) {
        st->failure = absl::DataLossError(
            absl::StrCat("a timeline entry of ", st->ids[begin + i], " does not parse"));
        break;
      }
      r.timeline.push_back(FromProto(t));
    }
    st->out.push_back(std::move(r));
  }
  if (!st->failure.ok()) return st->done(st->failure);
  if (st->next >= st->ids.size()) return st->done(std::move(st->out));
  SendChunk(std::move(st));
}

void SendChunk(std::shared_ptr<LoadState> st) {
  const size_t begin = st->next;
  const size_t end = std::min(st->ids.size(), begin + st->chunk);
  st->next = end;
  const size_t n = end - begin;
  {
    absl::MutexLock lock(&st->mu);
    st->remaining = 2 * n;
    st->blobs.assign(n, std::nullopt);
    st->timelines.assign(n, {});
  }
  auto reply = [st](absl::StatusOr<RedisReply> r, auto&& apply) {
    bool last;
    {
      absl::MutexLock lock(&st->mu);
      if (!r.ok()) {
        if (st->failure.ok()) st->failure = r.status();
      } else if (r->is_error()) {
        if (st->failure.ok()) st->failure = ErrorOf(*r);
      } else {
        apply(*r);
      }
      last = --st->remaining == 0;
    }
    if (last) ChunkDone(st);
  };
  for (size_t i = 0; i < n; ++i) {
    const std::string& id = st->ids[begin + i];
    st->client->Send({"HGET", redis::keys::Event(st->district_id, id), "d"},
                     [st, i, reply](absl::StatusOr<RedisReply> r) {
                       reply(std::move(r), [&](const RedisReply& v) {
                         if (v.type == Type::kString) st->blobs[i] = v.str;
                       });
                     });
    st->client->Send({"LRANGE", redis::keys::Timeline(st->district_id, id), "0", "-1"},
                     [st, i, reply](absl::StatusOr<RedisReply> r) {
                       reply(std::move(r), [&](const RedisReply& v) {
                         for (const RedisReply& e : v.elements) st->timelines[i].push_back(e.str);
                       });
                     });
  }
}

}  // namespace

void LoadEventRecords(redis::RedisClient* client, const std::string& district_id,
                      std::vector<std::string> ids, int chunk,
                      Done<std::vector<EventRecord>> done) {
  if (ids.empty()) return done(std::vector<EventRecord>{});
  auto st = std::make_shared<LoadState>();
  st->client = client;
  st->district_id = district_id;
  st->ids = std::move(ids);
  st->chunk = static_cast<size_t>(std::max(1, chunk));
  st->done = std::move(done);
  st->out.reserve(st->ids.size());
  SendChunk(std::move(st));
}

void RedisEvaluationSource::Load(const std::string& district_id, const Period& period,
                                 Done<std::vector<EventRecord>> done) {
  client_->RunScript(
      SelectSource(), SelectSha(),
      {redis::keys::EventsByCreation(district_id), redis::keys::EventsByClosure(district_id),
       redis::keys::EvaluationScratch(district_id, 1),
       redis::keys::EvaluationScratch(district_id, 2)},
      {absl::StrCat(absl::ToUnixMillis(period.to)), absl::StrCat(absl::ToUnixMillis(period.from))},
      [this, district_id, done = std::move(done)](absl::StatusOr<RedisReply> r) mutable {
        if (!r.ok()) return done(r.status());
        if (r->is_error()) return done(ErrorOf(*r));
        std::vector<std::string> ids;
        ids.reserve(r->elements.size());
        for (RedisReply& e : r->elements) ids.push_back(std::move(e.str));
        LoadIds(district_id, std::move(ids), std::move(done));
      });
}

void RedisEvaluationSource::LoadIds(const std::string& district_id, std::vector<std::string> ids,
                                    Done<std::vector<EventRecord>> done) {
  LoadEventRecords(client_, district_id, std::move(ids), chunk_, std::move(done));
}

void RedisEvaluationSource::GetCached(const EvaluationCacheKey& key,
                                      Done<std::optional<GroupFigures>> done) {
  client_->Send({"GET", CacheKey(key)}, [done = std::move(done)](absl::StatusOr<RedisReply> r) {
    if (!r.ok()) return done(r.status());
    if (r->is_error()) return done(ErrorOf(*r));
    if (r->is_nil()) return done(std::optional<GroupFigures>());
    v1::EvaluationSnapshot snapshot;
    if (!snapshot.ParseFromString(r->str)) {
      return done(std::optional<GroupFigures>());  // unreadable: recompute (and overwrite)
    }
    return done(std::optional<GroupFigures>(FromSnapshot(snapshot)));
  });
}

void RedisEvaluationSource::PutCached(const EvaluationCacheKey& key, const GroupFigures& figures,
                                      Done<bool> done) {
  client_->Send({"SET", CacheKey(key), ToSnapshot(figures).SerializeAsString(), "EX",
                 absl::StrCat(kCacheTtlSeconds)},
                [done = std::move(done)](absl::StatusOr<RedisReply> r) {
                  if (!r.ok()) return done(r.status());
                  if (r->is_error()) return done(ErrorOf(*r));
                  done(true);
                });
}

}  // namespace zhiwang::console
