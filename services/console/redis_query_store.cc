#include "services/console/redis_query_store.h"

#include <atomic>
#include <map>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/keys.h"
#include "common/rpc/convert.h"
#include "services/console/console_scripts.h"
#include "zhiwang/v1/event.pb.h"

namespace zhiwang::console {
namespace {

using redis::RedisReply;
using Type = RedisReply::Type;
using Kind = DrivingIndex::Kind;

absl::Status ReplyError(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r.str));
  return absl::InternalError(absl::StrCat("redis: ", r.str));
}

std::string IndexKey(const std::string& d, const DrivingIndex& ix) {
  switch (ix.kind) {
    case Kind::kAll:
      return redis::keys::EventsByCreation(d);
    case Kind::kSupervised:
      return redis::keys::SupervisedEvents(d);
    case Kind::kMembership:
      return redis::keys::QueryIndex(d, QueryIndexKindName(ix.ref.kind), ix.ref.value);
    case Kind::kDeadline:
      return redis::keys::LightIndex(d, "dl", ix.scope, ix.value);
  }
  return redis::keys::EventsByCreation(d);
}

std::string Bound(const std::optional<int64_t>& v, const char* unbounded) {
  return v ? absl::StrCat(*v) : std::string(unbounded);
}

int64_t ScoreOf(const std::string& s) {
  double d = 0;
  return absl::SimpleAtod(s, &d) ? static_cast<int64_t>(d) : 0;
}

std::optional<absl::Time> TimeOf(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return absl::FromUnixMillis(ScoreOf(s));
}

// One board row from "<row>|<state>" (or "<state>" when `with_row` is false) counters.
void AddCounters(const RedisReply& hash, bool with_row,
                 std::map<std::string, std::map<int, BoardCell>>* rows) {
  for (size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    const std::string& field = hash.elements[i].str;
    std::string row;
    std::string state = field;
    if (with_row) {
      size_t bar = field.rfind('|');
      if (bar == std::string::npos) continue;
      row = field.substr(0, bar);
      state = field.substr(bar + 1);
    }
    int s = 0;
    int64_t n = 0;
    if (!absl::SimpleAtoi(state, &s) || !absl::SimpleAtoi(hash.elements[i + 1].str, &n) || n <= 0) {
      continue;
    }
    BoardCell& c = (*rows)[row][s];
    c.state = static_cast<EventState>(s);
    c.total = n;
  }
}

std::vector<BoardRow> Rows(std::map<std::string, std::map<int, BoardCell>>& rows) {
  std::vector<BoardRow> out;
  for (auto& [id, cells] : rows) {
    BoardRow r{id, {}};
    for (auto& [s, c] : cells) {
      // Lights come from zw-sla's indexes, which follow the change feed a little later:
      // clamp so a cell never claims more lit events than it holds.
      c.red = std::min(c.red, c.total);
      c.yellow = std::min(c.yellow, c.total - c.red);
      c.green = c.total - c.red - c.yellow;
      r.cells.push_back(c);
    }
    if (!r.cells.empty()) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

void RedisQueryStore::Count(const std::string& d, const std::vector<WalkPlan>& plans,
                            Done<std::vector<int64_t>> done) {
  if (plans.empty()) return done(std::vector<int64_t>{});
  auto counts = std::make_shared<std::vector<absl::StatusOr<int64_t>>>(plans.size(), 0);
  auto remaining = std::make_shared<std::atomic<size_t>>(plans.size());
  auto shared_done = std::make_shared<Done<std::vector<int64_t>>>(std::move(done));
  for (size_t i = 0; i < plans.size(); ++i) {
    client_->Send({"ZCOUNT", IndexKey(d, plans[i].index), Bound(plans[i].min_score, "-inf"),
                   Bound(plans[i].max_score, "+inf")},
                  [=](absl::StatusOr<RedisReply> r) {
                    if (!r.ok()) {
                      (*counts)[i] = r.status();
                    } else if (r->is_error()) {
                      (*counts)[i] = ReplyError(*r);
                    } else {
                      (*counts)[i] = r->integer;
                    }
                    if (remaining->fetch_sub(1) != 1) return;
                    std::vector<int64_t> out;
                    for (auto& c : *counts) {
                      if (!c.ok()) return (*shared_done)(c.status());
                      out.push_back(*c);
                    }
                    (*shared_done)(std::move(out));
                  });
  }
}

void RedisQueryStore::Walk(const std::string& d, const WalkPlan& plan,
                           const std::optional<SortKey>& after, int limit,
                           Done<std::vector<IndexEntry>> done) {
  const redis::LuaScript& s = QueryWalkScript();
  client_->RunScript(
      s.source, s.sha1,
      {IndexKey(d, plan.index), redis::keys::LightIndex(d, "dl", "", ""),
       redis::keys::LightIndex(d, "yl", "", ""), redis::keys::SupervisedEvents(d)},
      {redis::keys::EventPrefix(d), plan.ascending ? "asc" : "desc", Bound(plan.min_score, "-inf"),
       Bound(plan.max_score, "+inf"), after ? absl::StrCat(after->score) : "",
       after ? after->id : "", absl::StrCat(limit)},
      [done = std::move(done)](absl::StatusOr<RedisReply> r) {
        if (!r.ok()) return done(r.status());
        if (r->is_error()) return done(ReplyError(*r));
        std::vector<IndexEntry> out;
        const auto& el = r->elements;
        for (size_t i = 0; i + 5 < el.size(); i += 6) {
          IndexEntry entry;
          entry.key = {ScoreOf(el[i + 1].str), el[i].str};
          if (!el[i + 2].str.empty()) {
            v1::Event p;
            if (!p.ParseFromString(el[i + 2].str)) {
              return done(absl::DataLossError("stored event does not parse"));
            }
            entry.event = FromProto(p);
          }
          entry.facts.deadline = TimeOf(el[i + 3].str);
          entry.facts.yellow_at = TimeOf(el[i + 4].str);
          entry.facts.supervised = !el[i + 5].str.empty();
          out.push_back(std::move(entry));
        }
        done(std::move(out));
      });
}

void RedisQueryStore::Facts(const std::string& d, const std::string& id, Done<EventFacts> done) {
  // Three ZSCOREs, pipelined; their callbacks may run on different connections' threads.
  struct Shared {
    absl::Mutex mu;
    EventFacts facts;
    absl::Status failed;
    int remaining = 3;
    Done<EventFacts> done;
  };
  auto shared = std::make_shared<Shared>();
  shared->done = std::move(done);
  std::vector<std::string> keys = {redis::keys::LightIndex(d, "dl", "", ""),
                                   redis::keys::LightIndex(d, "yl", "", ""),
                                   redis::keys::SupervisedEvents(d)};
  for (int i = 0; i < 3; ++i) {
    client_->Send({"ZSCORE", keys[i], id}, [shared, i](absl::StatusOr<RedisReply> r) {
      bool last = false;
      {
        absl::MutexLock lock(&shared->mu);
        if (!r.ok()) {
          shared->failed = r.status();
        } else if (r->is_error()) {
          shared->failed = ReplyError(*r);
        } else if (!r->is_nil()) {
          if (i == 0) shared->facts.deadline = TimeOf(r->str);
          if (i == 1) shared->facts.yellow_at = TimeOf(r->str);
          if (i == 2) shared->facts.supervised = true;
        }
        last = --shared->remaining == 0;
      }
      if (!last) return;
      if (!shared->failed.ok()) return shared->done(shared->failed);
      shared->done(shared->facts);
    });
  }
}

void RedisQueryStore::Board(const std::string& d, absl::Time now, Done<BoardSnapshot> done) {
  const redis::LuaScript& s = QueryBoardScript();
  client_->RunScript(
      s.source, s.sha1,
      {redis::keys::QueryCounters(d, "all"), redis::keys::QueryCounters(d, "street"),
       redis::keys::QueryCounters(d, "dep"), redis::keys::ChangeFeed(d)},
      {absl::StrCat(absl::ToUnixMillis(now)), redis::keys::QueryIndexPrefix(d),
       redis::keys::EventPrefix(d)},
      [done = std::move(done)](absl::StatusOr<RedisReply> r) {
        if (!r.ok()) return done(r.status());
        if (r->is_error()) return done(ReplyError(*r));
        if (r->type != Type::kArray || r->elements.size() != 5) {
          return done(absl::InternalError("unexpected reply from query_board"));
        }
        std::map<std::string, std::map<int, BoardCell>> all, streets, deps;
        AddCounters(r->elements[0], false, &all);
        AddCounters(r->elements[1], true, &streets);
        AddCounters(r->elements[2], true, &deps);
        const auto& lights = r->elements[3].elements;
        for (size_t i = 0; i + 1 < lights.size(); i += 2) {
          std::vector<std::string> parts = absl::StrSplit(lights[i].str, '|');
          int64_t n = 0;
          int st = 0;
          if (parts.size() != 4 || !absl::SimpleAtoi(parts[2], &st) ||
              !absl::SimpleAtoi(lights[i + 1].str, &n)) {
            continue;
          }
          auto& rows = parts[0] == "all" ? all : parts[0] == "street" ? streets : deps;
          auto row = rows.find(parts[1]);
          if (row == rows.end()) continue;
          auto cell = row->second.find(st);
          if (cell == row->second.end()) continue;
          (parts[3] == "r" ? cell->second.red : cell->second.yellow) += n;
        }
        BoardSnapshot b;
        std::vector<BoardRow> district = Rows(all);
        if (!district.empty()) b.district = std::move(district[0]);
        b.streets = Rows(streets);
        b.departments = Rows(deps);
        b.feed_cursor = r->elements[4].str;
        done(std::move(b));
      });
}

}  // namespace zhiwang::console
