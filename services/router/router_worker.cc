#include "services/router/router_worker.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/rpc/log.h"
#include "services/router/routing_decision.h"

namespace zhiwang::router {
namespace {

constexpr char kGroup[] = "router";
// Decisions per event: accept, then dispatch. More would mean a loop.
constexpr int kMaxStepsPerEvent = 4;

template <typename T>
absl::StatusOr<T> Wait(const std::function<void(Done<T>)>& start) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<T>>>();
  auto future = promise->get_future();
  start([promise](absl::StatusOr<T> r) { promise->set_value(std::move(r)); });
  return future.get();
}

// Stream entries of an XREADGROUP / XAUTOCLAIM reply: [[id, [field, value, ...]], ...].
// Deleted entries come back with a nil body; they have nothing to route.
std::vector<std::pair<std::string, std::string>> EntriesOf(const redis::RedisReply& list) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const redis::RedisReply& entry : list.elements) {
    if (entry.elements.size() != 2) continue;
    std::string event_id;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "e") event_id = fields[i + 1].str;
    }
    out.emplace_back(entry.elements[0].str, event_id);
  }
  return out;
}

}  // namespace

RouterWorker::RouterWorker(redis::RedisClient* reader, EventCommands* commands,
                           EventStore* store, const OrgRegistry* orgs, Options options)
    : reader_(reader),
      commands_(commands),
      store_(store),
      orgs_(orgs),
      options_(std::move(options)) {}

RouterWorker::~RouterWorker() { Stop(); }

void RouterWorker::Start() { thread_ = std::thread([this] { Run(); }); }

void RouterWorker::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

bool RouterWorker::RouteEvent(const std::string& event_id) {
  for (int step = 0; step < kMaxStepsPerEvent; ++step) {
    absl::StatusOr<Event> event =
        Wait<Event>([&](Done<Event> done) { store_->Get(event_id, std::move(done)); });
    if (absl::IsNotFound(event.status())) return true;  // nothing to route
    if (!event.ok()) {
      Log(LogLevel::kWarning, "router read failed",
          {{"event", event_id}, {"error", event.status().ToString()}});
      return false;
    }
    std::shared_ptr<const District> district = orgs_->Find(event->district_id);
    if (district == nullptr) {
      Log(LogLevel::kWarning, "district not loaded; will retry",
          {{"event", event_id}, {"district", event->district_id}});
      return false;
    }
    std::optional<Command> command = DecideRouting(*event, district.get());
    if (!command) {
      if (event->state == EventState::kAccepted || event->state == EventState::kRejected) {
        Log(LogLevel::kInfo, "no department left: waiting for triage", {{"event", event_id}});
      }
      return true;
    }
    std::string request_id = absl::StrCat("route:", event_id, ":v", event->version);
    absl::StatusOr<WriteResult> r = Wait<WriteResult>([&](Done<WriteResult> done) {
      commands_->Act(RouterIdentity(), event_id, request_id, *command, std::move(done));
    });
    if (!r.ok() && !absl::IsAborted(r.status()) &&
        !absl::IsFailedPrecondition(r.status())) {
      Log(LogLevel::kWarning, "routing failed",
          {{"event", event_id}, {"error", r.status().ToString()}});
      return false;
    }
    // ABORTED / FAILED_PRECONDITION: the event moved under us; decide again on a fresh read.
  }
  return true;
}

void RouterWorker::Run() {
  while (!stop_) {
    std::vector<std::string> districts = orgs_->DistrictIds();
    if (districts.empty()) {
      absl::SleepFor(options_.block);
      continue;
    }
    absl::Duration block = options_.block / static_cast<int>(districts.size());
    for (const std::string& d : districts) {
      if (stop_) break;
      PollDistrict(d, block);
    }
  }
}

void RouterWorker::PollDistrict(const std::string& district_id, absl::Duration block) {
  std::string stream = redis::keys::RouterQueue(district_id);
  // Idempotent: BUSYGROUP when the group exists. From "0" so entries written before the
  // first router started are routed too.
  (void)reader_->Call({"XGROUP", "CREATE", stream, kGroup, "0", "MKSTREAM"});
  Reclaim(district_id);
  // First our own pending entries (left by a previous run of this consumer name), then
  // new ones.
  for (const char* from : {"0", ">"}) {
    absl::StatusOr<redis::RedisReply> reply = reader_->Call(
        {"XREADGROUP", "GROUP", kGroup, options_.consumer, "COUNT",
         absl::StrCat(options_.batch), "BLOCK",
         absl::StrCat(std::string(from) == ">" ? absl::ToInt64Milliseconds(block) : 1),
         "STREAMS", stream, from});
    if (!reply.ok()) {
      absl::SleepFor(absl::Milliseconds(200));
      return;
    }
    if (reply->is_nil() || reply->elements.empty()) continue;
    for (const redis::RedisReply& s : reply->elements) {
      if (s.elements.size() != 2) continue;
      for (const auto& [entry_id, event_id] : EntriesOf(s.elements[1])) {
        if (event_id.empty() || RouteEvent(event_id)) Acknowledge(stream, entry_id);
      }
    }
  }
}

void RouterWorker::Reclaim(const std::string& district_id) {
  std::string stream = redis::keys::RouterQueue(district_id);
  absl::StatusOr<redis::RedisReply> reply = reader_->Call(
      {"XAUTOCLAIM", stream, kGroup, options_.consumer,
       absl::StrCat(absl::ToInt64Milliseconds(options_.reclaim_after)), "0", "COUNT",
       absl::StrCat(options_.batch)});
  if (!reply.ok() || reply->type != redis::RedisReply::Type::kArray ||
      reply->elements.size() < 2) {
    return;
  }
  for (const auto& [entry_id, event_id] : EntriesOf(reply->elements[1])) {
    Log(LogLevel::kInfo, "reclaimed routing entry", {{"entry", entry_id}, {"event", event_id}});
    if (event_id.empty() || RouteEvent(event_id)) Acknowledge(stream, entry_id);
  }
}

void RouterWorker::Acknowledge(const std::string& stream, const std::string& entry_id) {
  // Acknowledged entries are deleted: the stream holds only work not yet done.
  (void)reader_->Call({"XACK", stream, kGroup, entry_id});
  (void)reader_->Call({"XDEL", stream, entry_id});
}

}  // namespace zhiwang::router
