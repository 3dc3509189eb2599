#include "services/sla/sla_worker.h"

#include <algorithm>
#include <future>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/redis/keys.h"
#include "common/redis/redis_change_feed.h"  // feed
#include "common/rpc/log.h"

namespace zhiwang::sla {
namespace {

constexpr char kGroup[] = "sla";
using Entries = std::vector<std::pair<std::string, std::map<std::string, std::string>>>;

// Stream entries of an XREADGROUP / XAUTOCLAIM reply: [[id, [field, value, ...]], ...].
// A deleted entry has a nil field list and comes back with no fields.
Entries EntriesOf(const redis::RedisReply& list) {
  Entries out;
  for (const redis::RedisReply& e : list.elements) {
    if (e.elements.size() != 2) continue;
    std::map<std::string, std::string> fields;
    const auto& f = e.elements[1].elements;
    for (size_t i = 0; i + 1 < f.size(); i += 2) fields[f[i].str] = f[i + 1].str;
    out.emplace_back(e.elements[0].str, std::move(fields));
  }
  return out;
}

// Stream ids compare as (ms, seq).
bool IdLess(const std::string& a, const std::string& b) {
  std::pair<std::string, std::string> pa = absl::StrSplit(a, absl::MaxSplits('-', 1));
  std::pair<std::string, std::string> pb = absl::StrSplit(b, absl::MaxSplits('-', 1));
  uint64_t am = 0, as = 0, bm = 0, bs = 0;
  (void)absl::SimpleAtoi(pa.first, &am);
  (void)absl::SimpleAtoi(pa.second, &as);
  (void)absl::SimpleAtoi(pb.first, &bm);
  (void)absl::SimpleAtoi(pb.second, &bs);
  return am != bm ? am < bm : as < bs;
}

}  // namespace

SlaWorker::SlaWorker(redis::RedisClient* reader, EventStore* events, SlaEngine* engine,
                     const OrgRegistry* orgs, const Clock* clock, Options options)
    : reader_(reader),
      events_(events),
      engine_(engine),
      orgs_(orgs),
      clock_(clock),
      options_(std::move(options)),
      feeds_(reader_, clock_, &stop_,
             {.group = kGroup,
              .consumer = options_.consumer,
              .block = options_.block,
              .reclaim_after = options_.reclaim_after,
              .batch = options_.batch},
             {.districts = [this] { return Districts(); },
              .stream = [](const std::string& d) { return redis::keys::ChangeFeed(d); },
              .handle =
                  [this](const std::string& stream, const redis::RedisReply& list, bool reclaimed) {
                    Entries entries = EntriesOf(list);
                    if (reclaimed) {
                      if (entries.empty()) return;
                      Log(LogLevel::kInfo, "reclaimed change-feed entries",
                          {{"count", absl::StrCat(entries.size())}});
                    }
                    HandleBatch(stream, entries);
                  },
              .housekeeping =
                  [this](const std::string& d, absl::Time now) {
                    if (now >= next_trim_[d]) {
                      next_trim_[d] = now + options_.trim_every;
                      Trim(d);
                    }
                  }}) {}

SlaWorker::~SlaWorker() { Stop(); }

void SlaWorker::Start() {
  consumer_ = std::thread([this] { feeds_.Run(); });
  firer_ = std::thread([this] { FireLoop(); });
}

void SlaWorker::Stop() {
  stop_ = true;
  if (consumer_.joinable()) consumer_.join();
  if (firer_.joinable()) firer_.join();
}

std::vector<std::string> SlaWorker::Districts() const {
  if (!options_.districts.empty()) return options_.districts;
  return orgs_->DistrictIds();
}

void SlaWorker::FireLoop() {
  while (!stop_) {
    absl::Time started = clock_->Now();
    for (const std::string& d : Districts()) {
      // Bounded batches until fewer than a full batch is due: a burst drains at once, a
      // quiet district costs one script call per tick.
      for (int round = 0; round < 1000 && !stop_; ++round) {
        absl::StatusOr<std::vector<Notice>> fired =
            engine_->FireDue(d, clock_->Now(), options_.fire_batch);
        if (!fired.ok()) {
          Log(LogLevel::kWarning, "firing failed",
              {{"district", d}, {"error", fired.status().ToString()}});
          break;
        }
        fired_ += static_cast<int64_t>(fired->size());
        if (static_cast<int>(fired->size()) < options_.fire_batch) break;
      }
    }
    absl::Duration spent = clock_->Now() - started;
    if (spent < options_.tick) absl::SleepFor(options_.tick - spent);
  }
}

// Trims the change feed below the oldest entry some consumer group may still need: for
// each group, its oldest pending entry, or (none pending) its last delivered entry.
void SlaWorker::Trim(const std::string& district_id) {
  std::string stream = redis::keys::ChangeFeed(district_id);
  absl::StatusOr<redis::RedisReply> groups = reader_->Call({"XINFO", "GROUPS", stream});
  if (!groups.ok() || groups->type != redis::RedisReply::Type::kArray || groups->elements.empty()) {
    return;
  }
  std::string min_id;
  for (const redis::RedisReply& g : groups->elements) {
    std::string name, last;
    long long pending = 0;
    for (size_t i = 0; i + 1 < g.elements.size(); i += 2) {
      const std::string& k = g.elements[i].str;
      if (k == "name") name = g.elements[i + 1].str;
      if (k == "last-delivered-id") last = g.elements[i + 1].str;
      if (k == "pending") pending = g.elements[i + 1].integer;
    }
    std::string keep = last;
    if (pending > 0) {
      absl::StatusOr<redis::RedisReply> p = reader_->Call({"XPENDING", stream, name});
      if (!p.ok() || p->elements.size() < 2 ||
          p->elements[1].type != redis::RedisReply::Type::kString) {
        return;  // cannot tell: trim nothing
      }
      keep = p->elements[1].str;
    }
    if (keep.empty()) return;
    if (min_id.empty() || IdLess(keep, min_id)) min_id = keep;
  }
  if (min_id.empty()) return;
  // feed (issue 6): consoles resume WatchEvents from a cursor, so keep at least
  // `feed_retention` of history whatever the groups acknowledged (docs/console.md).
  std::string retained = absl::StrCat(
      std::max<int64_t>(0, absl::ToUnixMillis(clock_->Now() - options_.feed_retention)), "-0");
  if (IdLess(retained, min_id)) min_id = retained;
  if (absl::StatusOr<int64_t> trimmed = redis::TrimChangeFeed(reader_, district_id, min_id);
      !trimmed.ok()) {
    Log(LogLevel::kWarning, "sla: change feed trim failed",
        {{"district", district_id}, {"error", trimmed.status().ToString()}});
  }
}

void SlaWorker::HandleBatch(const std::string& stream, const Entries& entries) {
  std::vector<std::string> ack = {"XACK", stream, kGroup};
  for (const auto& [id, fields] : entries) {
    if (stop_) break;
    if (fields.empty() || Handle(fields)) ack.push_back(id);
  }
  if (ack.size() > 3) (void)reader_->Call(std::move(ack));
}

bool SlaWorker::Handle(const std::map<std::string, std::string>& fields) {
  Change c;
  int state = 0, action = 0;
  int64_t ms = 0;
  auto get = [&](const char* k) -> std::string {
    auto it = fields.find(k);
    return it == fields.end() ? "" : it->second;
  };
  c.event_id = get("e");
  if (c.event_id.empty() || !absl::SimpleAtoi(get("v"), &c.version) ||
      !absl::SimpleAtoi(get("s"), &state) || !absl::SimpleAtoi(get("a"), &action) ||
      !absl::SimpleAtoi(get("t"), &ms) || state < 0 || state > kMaxEventState ||
      !IsKnownAction(action)) {
    Log(LogLevel::kWarning, "malformed change-feed entry dropped", {{"event", c.event_id}});
    return true;
  }
  c.state = static_cast<EventState>(state);
  c.action = static_cast<EventAction>(action);
  c.at = absl::FromUnixMillis(ms);
  std::promise<absl::StatusOr<Event>> got;
  events_->Get(c.event_id, [&got](absl::StatusOr<Event> e) { got.set_value(std::move(e)); });
  absl::StatusOr<Event> e = got.get_future().get();
  if (!e.ok()) {
    if (absl::IsNotFound(e.status())) return true;
    return false;  // e.g. UNAVAILABLE: leave pending, retried later
  }
  EventFacts facts{e->district_id, e->category_code, e->urgency, e->department_id, e->street_id};
  absl::Status s = engine_->OnChange(c, facts);
  if (s.ok()) {
    ++applied_;
    return true;
  }
  if (absl::IsUnavailable(s) || absl::IsAborted(s)) return false;
  // No configuration or no policy for this stage: nothing will change by retrying.
  Log(LogLevel::kWarning, "change not applied", {{"event", c.event_id}, {"error", s.ToString()}});
  return true;
}

}  // namespace zhiwang::sla
