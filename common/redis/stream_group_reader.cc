#include "common/redis/stream_group_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace zhiwang::redis {

StreamGroupReader::StreamGroupReader(RedisClient* reader, const Clock* clock,
                                     const std::atomic<bool>* stop, Options options, Hooks hooks)
    : reader_(reader),
      clock_(clock),
      stop_(stop),
      options_(std::move(options)),
      hooks_(std::move(hooks)) {}

void StreamGroupReader::Run() {
  while (!*stop_) {
    std::vector<std::string> districts = hooks_.districts();
    if (districts.empty()) {
      absl::SleepFor(options_.block);
      continue;
    }
    absl::Duration block = options_.block / static_cast<int>(districts.size());
    for (const std::string& d : districts) {
      if (*stop_) break;
      PollDistrict(d, block);
    }
  }
}

void StreamGroupReader::PollDistrict(const std::string& district_id, absl::Duration block) {
  std::string stream = hooks_.stream(district_id);
  if (!groups_ready_.contains(district_id)) {
    absl::StatusOr<RedisReply> created =
        reader_->Call({"XGROUP", "CREATE", stream, options_.group, "0", "MKSTREAM"});
    if (created.ok() && (!created->is_error() || absl::StartsWith(created->str, "BUSYGROUP"))) {
      groups_ready_.insert(district_id);
    }
  }
  if (*stop_) return;
  absl::Time now = clock_->Now();
  if (now >= next_reclaim_[district_id]) {
    next_reclaim_[district_id] = now + options_.reclaim_after / 2;
    Reclaim(stream);
  }
  if (hooks_.housekeeping) hooks_.housekeeping(district_id, now);
  for (const char* from : {"0", ">"}) {
    if (*stop_) return;
    bool fresh = std::string(from) == ">";
    std::vector<std::string> cmd = {"XREADGROUP",      "GROUP", options_.group,
                                    options_.consumer, "COUNT", absl::StrCat(options_.batch)};
    if (fresh) {
      cmd.push_back("BLOCK");
      cmd.push_back(absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(block))));
    }
    for (std::string a : {std::string("STREAMS"), stream, std::string(from)}) {
      cmd.push_back(std::move(a));
    }
    absl::StatusOr<RedisReply> reply = reader_->Call(std::move(cmd));
    if (!reply.ok()) {
      absl::SleepFor(absl::Milliseconds(200));
      return;
    }
    if (reply->is_error()) {
      // NOGROUP: the stream was deleted; create the group again next time.
      groups_ready_.erase(district_id);
      absl::SleepFor(absl::Milliseconds(200));
      return;
    }
    if (reply->is_nil() || reply->elements.empty()) continue;
    for (const RedisReply& s : reply->elements) {
      if (s.elements.size() != 2) continue;
      hooks_.handle(stream, s.elements[1], /*reclaimed=*/false);
    }
  }
}

void StreamGroupReader::Reclaim(const std::string& stream) {
  absl::StatusOr<RedisReply> reply =
      reader_->Call({"XAUTOCLAIM", stream, options_.group, options_.consumer,
                     absl::StrCat(absl::ToInt64Milliseconds(options_.reclaim_after)), "0", "COUNT",
                     absl::StrCat(options_.batch)});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray || reply->elements.size() < 2) {
    return;
  }
  hooks_.handle(stream, reply->elements[1], /*reclaimed=*/true);
}

}  // namespace zhiwang::redis
