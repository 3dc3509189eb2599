#include "common/redis/redis_event_store.h"

#include <algorithm>
#include <atomic>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis/keys.h"
#include "common/redis/query_index_ops.h"
#include "common/redis/scripts.h"
#include "common/rpc/convert.h"

namespace zhiwang::redis {
namespace {

using Type = RedisReply::Type;

std::string EncodeEvent(const Event& e) {
  v1::Event p;
  ToProto(e, &p);
  return p.SerializeAsString();
}

absl::StatusOr<Event> DecodeEvent(const std::string& blob) {
  v1::Event p;
  if (!p.ParseFromString(blob)) return absl::DataLossError("stored event does not parse");
  return FromProto(p);
}

std::string EncodeEntry(const TimelineEntry& t) {
  v1::TimelineEntry p;
  ToProto(t, &p);
  return p.SerializeAsString();
}

int64_t Millis(absl::Time t) { return absl::ToUnixMillis(t); }

// An error reply: UNAVAILABLE while Redis cannot serve yet (e.g. LOADING after a restart:
// the client retries with the same request id), INTERNAL otherwise (a bug).
absl::Status ReplyError(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r.str));
  return absl::InternalError(absl::StrCat("redis: ", r.str));
}

absl::Status ReusedKey(const IdempotencyKey& key) {
  return absl::AlreadyExistsError(absl::StrCat("client_request_id '", key.request_id,
                                               "' was already used for a different request"));
}

// Interprets the common replies of create_event.lua and transition.lua.
absl::StatusOr<WriteResult> WriteOutcome(absl::StatusOr<RedisReply> reply, const Event& written,
                                         const IdempotencyKey& key) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ReplyError(*reply);
  if (reply->type != Type::kArray || reply->elements.empty()) {
    return absl::InternalError("unexpected reply from write script");
  }
  const std::string& tag = reply->elements[0].str;
  if (tag == "ok") return WriteResult{written, false};
  if (tag == "replay" && reply->elements.size() == 2) {
    absl::StatusOr<Event> e = DecodeEvent(reply->elements[1].str);
    if (!e.ok()) return e.status();
    return WriteResult{*std::move(e), true};
  }
  if (tag == "reused") return ReusedKey(key);
  if (tag == "exists") {
    return absl::AlreadyExistsError(absl::StrCat("event ", written.id, " already exists"));
  }
  if (tag == "missing")
    return absl::NotFoundError(absl::StrCat("event ", written.id, " not found"));
  if (tag == "conflict") {
    return absl::AbortedError(absl::StrCat("event ", written.id, " changed concurrently"));
  }
  return absl::InternalError(absl::StrCat("unexpected write script answer '", tag, "'"));
}

// Cursor "<score>:<id>" of the last item returned.
struct Cursor {
  int64_t score = 0;
  std::string id;
};
bool ParseCursor(const std::string& s, Cursor* c) {
  std::pair<std::string, std::string> parts = absl::StrSplit(s, absl::MaxSplits(':', 1));
  return absl::SimpleAtoi(parts.first, &c->score) && !parts.second.empty() &&
         (c->id = parts.second, true);
}

}  // namespace

void RedisEventStore::Create(const NewEvent& created, const IdempotencyKey& key,
                             Done<WriteResult> done) {
  const Event& e = created.event;
  const std::string& d = e.district_id;
  TimelineEntry entry = created.entry;
  entry.seq = e.version;
  const LuaScript& s = CreateEventScript();
  std::vector<std::string> script_keys = {keys::Event(d, e.id),
                                          keys::Timeline(d, e.id),
                                          keys::Request(d, key.subject, key.request_id),
                                          keys::ReporterIndex(d, e.reporter.subject),
                                          keys::RouterQueue(d),
                                          keys::ChangeFeed(d)};  // sla: change feed
  std::vector<std::string> args = {
      e.id,
      EncodeEvent(e),
      absl::StrCat(static_cast<int>(e.state)),
      absl::StrCat(key.fingerprint),
      EncodeEntry(entry),
      absl::StrCat(Millis(e.created_at)),
      absl::StrCat(kIdempotencyTtlSeconds),
      absl::StrCat(static_cast<int>(entry.action))};  // sla: change feed
  // query (issue 6): the console's indexes, KEYS 7.. / ARGV 9..
  AppendQueryIndexOps(QueryIndexOpsForCreate(e), &script_keys, &args);
  client_->RunScript(s.source, s.sha1, std::move(script_keys), std::move(args),
                     [e, key, done = std::move(done)](absl::StatusOr<RedisReply> reply) {
                       done(WriteOutcome(std::move(reply), e, key));
                     });
}

void RedisEventStore::Load(const std::string& event_id, const IdempotencyKey& key,
                           Done<LoadResult> done) {
  std::string d = DistrictOfEventId(event_id);
  const LuaScript& s = LoadEventScript();
  client_->RunScript(s.source, s.sha1,
                     {keys::Event(d, event_id), keys::Request(d, key.subject, key.request_id)}, {},
                     [key, done = std::move(done)](absl::StatusOr<RedisReply> reply) {
                       if (!reply.ok()) return done(reply.status());
                       if (reply->is_error()) return done(ReplyError(*reply));
                       if (reply->type != Type::kArray || reply->elements.size() != 2) {
                         return done(absl::InternalError("unexpected reply from load script"));
                       }
                       const auto& el = reply->elements;
                       LoadResult out;
                       if (el[0].type == Type::kString) {
                         absl::StatusOr<Event> e = DecodeEvent(el[0].str);
                         if (!e.ok()) return done(e.status());
                         out.event = *std::move(e);
                       }
                       if (el[1].type == Type::kString) {
                         size_t sep = el[1].str.find(':');
                         uint64_t f = 0;
                         if (sep == std::string::npos ||
                             !absl::SimpleAtoi(absl::string_view(el[1].str).substr(0, sep), &f) ||
                             f != key.fingerprint) {
                           return done(ReusedKey(key));
                         }
                         absl::StatusOr<Event> r = DecodeEvent(el[1].str.substr(sep + 1));
                         if (!r.ok()) return done(r.status());
                         out.replay = WriteResult{*std::move(r), true};
                       }
                       done(std::move(out));
                     });
}

void RedisEventStore::CommitSteps(const Event& before, const std::vector<TransitionOutcome>& steps,
                                  const IdempotencyKey& key, Done<WriteResult> done) {
  if (steps.empty()) return done(absl::InvalidArgumentError("no steps to commit"));
  const Event& after = steps.back().event;
  const std::string& d = before.district_id;
  std::string old_holder = HoldingDepartment(before);
  std::string new_holder = HoldingDepartment(after);
  // org (issue 3): leaving a triage queue or a merge sends the event back to the router.
  const bool routed_again = RoutedAgain(before, after);
  WorkQueue queue = routed_again ? WorkQueue::kRouter : NextWorkQueue(after);
  // Only an entry into a queue's state queues work: staying in a state (e.g. adding
  // progress) does not, but a dispatch to another department does.
  std::string old_triage = TriageCentre(before);
  std::string new_triage = TriageCentre(after);
  std::string old_master = MasterOf(before);
  std::string new_master = MasterOf(after);
  bool enqueue = routed_again || (queue != WorkQueue::kNone &&
                                  (before.state != after.state || old_holder != new_holder));
  // dq (issue 5): department queues are never capped by length at XADD (that could drop
  // unacknowledged work); the dispatch queue trims what every consumer group acknowledged
  // (queue_trim.lua).
  int maxlen = 0;
  std::string event_key = keys::Event(d, before.id);
  bool record = !key.request_id.empty();
  std::vector<std::string> script_keys = {
      event_key,
      keys::Timeline(d, before.id),
      record ? keys::Request(d, key.subject, key.request_id) : event_key,
      old_holder.empty() ? event_key : keys::DepartmentIndex(d, old_holder),
      new_holder.empty() ? event_key : keys::DepartmentIndex(d, new_holder),
      !enqueue                          ? event_key
      : queue == WorkQueue::kDepartment ? keys::DepartmentQueue(d, after.department_id)
                                        : keys::RouterQueue(d),
      keys::ChangeFeed(d)};  // sla: change feed
  // ---- org (issue 3): KEYS 8–11
  bool triage_moved = old_triage != new_triage;
  bool master_moved = old_master != new_master;
  script_keys.push_back(triage_moved && !old_triage.empty() ? keys::TriageIndex(d, old_triage)
                                                            : event_key);
  script_keys.push_back(triage_moved && !new_triage.empty() ? keys::TriageIndex(d, new_triage)
                                                            : event_key);
  script_keys.push_back(master_moved && !old_master.empty() ? keys::FollowersIndex(d, old_master)
                                                            : event_key);
  script_keys.push_back(master_moved && !new_master.empty() ? keys::FollowersIndex(d, new_master)
                                                            : event_key);
  // ---- end org
  std::vector<std::string> args = {
      before.id, absl::StrCat(before.version), absl::StrCat(static_cast<int>(before.state)),
      absl::StrCat(after.version), absl::StrCat(static_cast<int>(after.state)), EncodeEvent(after),
      record ? absl::StrCat(key.fingerprint) : "", absl::StrCat(Millis(after.updated_at)),
      absl::StrCat(kIdempotencyTtlSeconds), old_holder != new_holder ? "1" : "0",
      old_holder.empty() ? "0" : "1", new_holder.empty() ? "0" : "1", enqueue ? "1" : "0",
      absl::StrCat(maxlen),
      // sla: the change feed's action
      absl::StrCat(static_cast<int>(steps.back().entry.action))};
  // query (issue 6): the console's indexes, KEYS 12.. / ARGV 16.. (before the entries)
  AppendQueryIndexOps(QueryIndexOpsForTransition(before, after), &script_keys, &args);
  for (const TransitionOutcome& step : steps) {
    TimelineEntry entry = step.entry;
    entry.seq = step.event.version;
    args.push_back(EncodeEntry(entry));
  }
  const LuaScript& s = TransitionScript();
  client_->RunScript(s.source, s.sha1, std::move(script_keys), std::move(args),
                     [after, key, done = std::move(done)](absl::StatusOr<RedisReply> reply) {
                       done(WriteOutcome(std::move(reply), after, key));
                     });
}

void RedisEventStore::Get(const std::string& event_id, Done<Event> done) {
  std::string d = DistrictOfEventId(event_id);
  client_->Send({"HGET", keys::Event(d, event_id), "d"}, [event_id, done = std::move(done)](
                                                             absl::StatusOr<RedisReply> reply) {
    if (!reply.ok()) return done(reply.status());
    if (reply->is_error()) return done(ReplyError(*reply));
    if (reply->is_nil()) {
      return done(absl::NotFoundError(absl::StrCat("event ", event_id, " not found")));
    }
    done(DecodeEvent(reply->str));
  });
}

void RedisEventStore::GetTimeline(const std::string& event_id,
                                  Done<std::vector<TimelineEntry>> done) {
  std::string d = DistrictOfEventId(event_id);
  client_->Send(
      {"LRANGE", keys::Timeline(d, event_id), "0", "-1"},
      [event_id, done = std::move(done)](absl::StatusOr<RedisReply> reply) {
        if (!reply.ok()) return done(reply.status());
        if (reply->is_error()) return done(ReplyError(*reply));
        if (reply->elements.empty()) {
          return done(absl::NotFoundError(absl::StrCat("event ", event_id, " not found")));
        }
        std::vector<TimelineEntry> out;
        for (const RedisReply& r : reply->elements) {
          v1::TimelineEntry p;
          if (!p.ParseFromString(r.str)) {
            return done(absl::DataLossError("stored timeline entry does not parse"));
          }
          out.push_back(FromProto(p));
        }
        done(std::move(out));
      });
}

void RedisEventStore::ListByReporter(const std::string& district_id, const std::string& subject,
                                     const PageRequest& page, Done<Page> done) {
  ListIndex(district_id, keys::ReporterIndex(district_id, subject), true, page, std::move(done));
}

void RedisEventStore::ListByDepartment(const std::string& district_id,
                                       const std::string& department_id, const PageRequest& page,
                                       Done<Page> done) {
  ListIndex(district_id, keys::DepartmentIndex(district_id, department_id), false, page,
            std::move(done));
}

// ---- org (issue 3)
void RedisEventStore::ListTriage(const std::string& district_id, const std::string& centre_id,
                                 const PageRequest& page, Done<Page> done) {
  if (centre_id.empty()) return done(Page{});
  ListIndex(district_id, keys::TriageIndex(district_id, centre_id), false, page, std::move(done));
}

void RedisEventStore::ListFollowers(const std::string& district_id, const std::string& master_id,
                                    const PageRequest& page, Done<Page> done) {
  if (master_id.empty()) return done(Page{});
  ListIndex(district_id, keys::FollowersIndex(district_id, master_id), false, page,
            std::move(done));
}

// Pages through a time-ordered index. Ties in time are ordered by id (as Redis orders
// equal scores); the cursor is the last (score, id) returned, and the next page starts
// at that score, skipping ids already returned. To bound the work, one page reads at
// most limit + kTieSlack index entries; when more than kTieSlack ids share the cursor's
// millisecond the next page moves past that millisecond.
void RedisEventStore::ListIndex(const std::string& district_id, const std::string& index_key,
                                bool newest_first, const PageRequest& page, Done<Page> done) {
  constexpr int kTieSlack = 64;
  Cursor cursor;
  bool has_cursor = !page.cursor.empty();
  if (has_cursor && !ParseCursor(page.cursor, &cursor)) {
    return done(absl::InvalidArgumentError("page_token: is not a token this service issued"));
  }
  int limit = std::clamp(page.limit, 1, 1000);
  std::string from = has_cursor ? absl::StrCat(cursor.score) : (newest_first ? "+inf" : "-inf");
  std::string to = newest_first ? "-inf" : "+inf";
  std::vector<std::string> cmd = {"ZRANGE", index_key, from, to, "BYSCORE"};
  if (newest_first) cmd.push_back("REV");
  for (std::string a :
       {std::string("LIMIT"), std::string("0"),
        absl::StrCat(limit + 1 + (has_cursor ? kTieSlack : 0)), std::string("WITHSCORES")}) {
    cmd.push_back(std::move(a));
  }
  RedisClient* client = client_;
  client_->Send(
      std::move(cmd), [=, done = std::move(done)](absl::StatusOr<RedisReply> reply) mutable {
        if (!reply.ok()) return done(reply.status());
        if (reply->is_error()) return done(ReplyError(*reply));
        std::vector<std::pair<std::string, int64_t>> ids;
        const auto& el = reply->elements;
        for (size_t i = 0; i + 1 < el.size(); i += 2) {
          int64_t score = 0;
          double as_double = 0;
          if (!absl::SimpleAtod(el[i + 1].str, &as_double)) continue;
          score = static_cast<int64_t>(as_double);
          if (has_cursor && score == cursor.score) {
            bool seen = newest_first ? el[i].str >= cursor.id : el[i].str <= cursor.id;
            if (seen) continue;
          }
          ids.emplace_back(el[i].str, score);
        }
        bool more = static_cast<int>(ids.size()) > limit;
        if (more) ids.resize(limit);
        if (ids.empty()) return done(Page{});
        auto gather = std::make_shared<std::vector<absl::StatusOr<RedisReply>>>(ids.size());
        auto remaining = std::make_shared<std::atomic<size_t>>(ids.size());
        auto shared_done = std::make_shared<Done<Page>>(std::move(done));
        for (size_t i = 0; i < ids.size(); ++i) {
          client->Send({"HGET", keys::Event(district_id, ids[i].first), "d"},
                       [=](absl::StatusOr<RedisReply> r) {
                         (*gather)[i] = std::move(r);
                         if (remaining->fetch_sub(1) != 1) return;
                         Page out;
                         for (auto& g : *gather) {
                           if (!g.ok()) return (*shared_done)(g.status());
                           if (g->type != Type::kString) continue;  // removed meanwhile
                           absl::StatusOr<Event> e = DecodeEvent(g->str);
                           if (!e.ok()) return (*shared_done)(e.status());
                           out.events.push_back(*std::move(e));
                         }
                         if (more) {
                           out.next_cursor = absl::StrCat(ids.back().second, ":", ids.back().first);
                         }
                         (*shared_done)(std::move(out));
                       });
        }
      });
}

}  // namespace zhiwang::redis
