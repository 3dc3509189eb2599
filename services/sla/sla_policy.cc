#include "services/sla/sla_policy.h"

#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace zhiwang::sla {

absl::string_view StageName(Stage s) {
  switch (s) {
    case Stage::kAccept:
      return "accept";
    case Stage::kDispatch:
      return "dispatch";
    case Stage::kClaim:
      return "claim";
    case Stage::kResolve:
      return "resolve";
    case Stage::kVerify:
      return "verify";
    case Stage::kNone:
      break;
  }
  return "";
}

Stage StageOfState(EventState state) {
  switch (state) {
    case EventState::kReported:
      return Stage::kAccept;
    case EventState::kAccepted:
    case EventState::kRejected:
      return Stage::kDispatch;
    case EventState::kDispatched:
      return Stage::kClaim;
    case EventState::kClaimed:
    case EventState::kInProgress:
    case EventState::kRework:
    case EventState::kSuspended:
      return Stage::kResolve;
    case EventState::kResolved:
      return Stage::kVerify;
    default:
      return Stage::kNone;
  }
}

absl::Duration TimeAmount::ToDuration(const BusinessCalendar& cal) const {
  switch (unit) {
    case TimeUnit::kWorkingHours:
    case TimeUnit::kNaturalHours:
      return absl::Hours(amount);
    case TimeUnit::kWorkingMinutes:
    case TimeUnit::kNaturalMinutes:
      return absl::Minutes(amount);
    case TimeUnit::kNaturalSeconds:
      return absl::Seconds(amount);
    case TimeUnit::kWorkingDays:
      return cal.WorkingDayLength() * amount;
    case TimeUnit::kUnspecified:
      break;
  }
  return absl::ZeroDuration();
}

absl::StatusOr<absl::Time> AddTime(const BusinessCalendar& cal, bool working, absl::Time from,
                                   absl::Duration d) {
  if (working) return cal.AddWorking(from, d);
  return from + d;
}

absl::Duration TimeBetween(const BusinessCalendar& cal, bool working, absl::Time a, absl::Time b) {
  if (working) return cal.WorkingBetween(a, b);
  return b > a ? b - a : absl::ZeroDuration();
}

namespace {

absl::Status CheckAmount(const TimeAmount& t, absl::string_view field) {
  if (t.unit == TimeUnit::kUnspecified || static_cast<int>(t.unit) > kMaxTimeUnit ||
      !(t.amount > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": needs a unit and an amount > 0"));
  }
  return absl::OkStatus();
}

absl::Status CheckLadder(const std::vector<Rung>& ladder, absl::string_view field) {
  for (const Rung& r : ladder) {
    if (r.after_deadline) {
      if (absl::Status s = CheckAmount(*r.after_deadline, absl::StrCat(field, ".after_deadline"));
          !s.ok()) {
        return s;
      }
    } else if (!(r.share_of_limit > 0 && r.share_of_limit <= 10)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".share_of_limit: must be in (0, 10] when no after_deadline"));
    }
    if (r.opens_supervision_order) {
      if (absl::Status s =
              CheckAmount(r.supervision_limit, absl::StrCat(field, ".supervision_limit"));
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PolicySet> PolicySet::Create(std::vector<PolicyEntry> entries,
                                            PolicyDefaults defaults) {
  if (!(defaults.yellow_share > 0 && defaults.yellow_share < 1)) {
    return absl::InvalidArgumentError("default_yellow_share: must be in (0, 1)");
  }
  if (absl::Status s = CheckLadder(defaults.ladder, "default_ladder"); !s.ok()) return s;
  std::set<std::tuple<std::string, int, int>> seen;
  for (size_t i = 0; i < entries.size(); ++i) {
    const PolicyEntry& e = entries[i];
    std::string field = absl::StrCat("policies[", i, "]");
    if (e.stage == Stage::kNone || static_cast<int>(e.stage) > kMaxStage) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".stage: must name a stage"));
    }
    if (absl::Status s = CheckAmount(e.limit, absl::StrCat(field, ".limit")); !s.ok()) return s;
    if (absl::Status s = CheckLadder(e.ladder, absl::StrCat(field, ".ladder")); !s.ok()) return s;
    if (e.yellow_share && !(*e.yellow_share > 0 && *e.yellow_share < 1)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".yellow_share: must be in (0, 1)"));
    }
    if (!seen.insert({e.category, static_cast<int>(e.urgency), static_cast<int>(e.stage)}).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": a second entry for category '", e.category, "', urgency ",
                       static_cast<int>(e.urgency), ", stage ", StageName(e.stage)));
    }
  }
  PolicySet p;
  p.entries_ = std::move(entries);
  p.defaults_ = std::move(defaults);
  return p;
}

absl::StatusOr<StagePolicy> PolicySet::Find(absl::string_view category, Urgency urgency,
                                            Stage stage) const {
  std::string major(category.substr(0, 2));
  const std::string candidates[] = {std::string(category), major, ""};
  for (const std::string& cat : candidates) {
    if (&cat != &candidates[2] && cat.empty()) continue;
    for (Urgency u : {urgency, Urgency::kUnspecified}) {
      for (const PolicyEntry& e : entries_) {
        if (e.category != cat || e.urgency != u || e.stage != stage) continue;
        StagePolicy out;
        out.limit = e.limit;
        out.ladder = e.ladder.empty() ? defaults_.ladder : e.ladder;
        out.max_extensions = e.max_extensions.value_or(defaults_.max_extensions);
        out.extension_length = e.extension_length.value_or(defaults_.extension_length);
        out.yellow_share = e.yellow_share.value_or(defaults_.yellow_share);
        return out;
      }
    }
  }
  return absl::NotFoundError(
      absl::StrCat("no time limit for category '", category, "', stage ", StageName(stage)));
}

}  // namespace zhiwang::sla
