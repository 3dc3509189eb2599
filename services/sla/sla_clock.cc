#include "services/sla/sla_clock.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace zhiwang::sla {
namespace {

absl::string_view RecipientText(Recipient r) {
  switch (r) {
    case Recipient::kDepartment:
      return "department";
    case Recipient::kDepartmentLeader:
      return "department leader";
    case Recipient::kStreetDispatchCentre:
      return "street dispatch centre";
    case Recipient::kDistrictDispatchCentre:
      return "district dispatch centre";
    case Recipient::kUnspecified:
      break;
  }
  return "";
}

// Recomputes the deadline and the timers of an unsuspended clock.
absl::Status Arm(const StagePolicy& policy, const BusinessCalendar& cal, ArmPlan* plan) {
  SlaRecord& r = plan->record;
  absl::StatusOr<absl::Time> deadline =
      AddTime(cal, r.working_time, r.run_started, r.limit - r.consumed);
  if (!deadline.ok()) return deadline.status();
  r.deadline = *deadline;
  // query (issue 6): the yellow instant, for the console's light indexes.
  absl::StatusOr<absl::Time> yellow =
      AddTime(cal, r.working_time, r.run_started,
              std::max(r.limit * r.yellow_share - r.consumed, absl::ZeroDuration()));
  if (!yellow.ok()) return yellow.status();
  r.yellow_at = std::min(*yellow, r.deadline);
  for (int i = 0; i < static_cast<int>(policy.ladder.size()); ++i) {
    if (std::find(r.fired_rungs.begin(), r.fired_rungs.end(), i) != r.fired_rungs.end()) continue;
    const Rung& rung = policy.ladder[i];
    absl::StatusOr<absl::Time> due;
    if (rung.after_deadline) {
      due = AddTime(cal, rung.after_deadline->working(), r.deadline,
                    rung.after_deadline->ToDuration(cal));
    } else {
      // A share already used up (e.g. after an earlier run) fires at once.
      absl::Duration at = r.limit * rung.share_of_limit - r.consumed;
      due = AddTime(cal, r.working_time, r.run_started, std::max(at, absl::ZeroDuration()));
    }
    if (!due.ok()) return due.status();
    Timer t;
    t.stage_seq = r.stage_seq;
    t.generation = r.generation;
    t.rung = i;
    t.due = *due;
    t.member = absl::StrCat(r.event_id, "|", r.stage_seq, "|", r.generation, "|", i);
    Notice& n = t.notice;
    n.id = absl::StrCat(r.event_id, ":", StageName(r.stage), ":", r.stage_seq, ":", i);
    n.kind = rung.kind;
    n.district_id = r.facts.district_id;
    n.event_id = r.event_id;
    n.department_id = r.facts.department_id;
    n.street_id = r.facts.street_id;
    n.recipient = rung.recipient;
    n.stage = std::string(StageName(r.stage));
    n.rung = i;
    n.deadline = r.deadline;
    n.message = absl::StrCat(
        "event ", r.event_id, ", stage ", StageName(r.stage), ": ",
        rung.after_deadline ? "overdue, escalated to the " : "time limit nearly used, notify the ",
        RecipientText(rung.recipient), "; deadline ",
        absl::FormatTime("%Y-%m-%d %H:%M", r.deadline, cal.time_zone()));
    if (rung.opens_supervision_order) {
      n.supervision_order_id = absl::StrCat(r.event_id, "-so-", r.stage_seq, "-", i);
      absl::StatusOr<absl::Time> so_deadline = AddTime(cal, rung.supervision_limit.working(), t.due,
                                                       rung.supervision_limit.ToDuration(cal));
      if (!so_deadline.ok()) return so_deadline.status();
      n.supervision_order_deadline = *so_deadline;
    }
    plan->timers.push_back(std::move(t));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<ArmPlan>> ApplyChange(const std::optional<SlaRecord>& current,
                                                   const Change& change, const EventFacts& facts,
                                                   const PolicySet& policies,
                                                   const BusinessCalendar& calendar) {
  if (current && change.version <= current->version) return std::nullopt;
  ArmPlan plan;
  SlaRecord& r = plan.record;
  if (current) r = *current;
  r.event_id = change.event_id;
  r.version = change.version;
  r.facts = facts;
  Stage stage = StageOfState(change.state);
  if (stage == Stage::kNone) {
    // The clock ends: no timers (the store drops those armed), rungs not fired never fire.
    if (r.stage != Stage::kNone) ++r.generation;
    r.stage = Stage::kNone;
    r.suspended = false;
    return plan;
  }
  // A new stage, or a dispatch to another department, starts a fresh clock.
  bool restart = stage != r.stage || change.action == EventAction::kDispatch;
  absl::StatusOr<StagePolicy> policy = policies.Find(facts.category_code, facts.urgency, stage);
  if (!policy.ok()) return policy.status();
  if (restart) {
    r.stage = stage;
    ++r.stage_seq;
    ++r.generation;
    r.working_time = policy->limit.working();
    r.limit = policy->limit.ToDuration(calendar);
    r.consumed = absl::ZeroDuration();
    r.run_started = change.at;
    r.suspended = change.state == EventState::kSuspended;
    r.stage_started = change.at;
    r.suspended_total = absl::ZeroDuration();
    r.yellow_share = policy->yellow_share;
    r.fired_rungs.clear();
  } else if (change.state == EventState::kSuspended && !r.suspended) {
    r.consumed += TimeBetween(calendar, r.working_time, r.run_started, change.at);
    r.run_started = change.at;
    r.suspended = true;
    ++r.generation;
  } else if (change.state != EventState::kSuspended && r.suspended) {
    r.suspended_total += std::max(change.at - r.run_started, absl::ZeroDuration());
    r.run_started = change.at;
    r.suspended = false;
    ++r.generation;
  }
  if (change.action == EventAction::kApproveExtension) {
    r.limit += policy->extension_length.ToDuration(calendar);
    ++r.extensions;
    ++r.generation;
  }
  if (r.suspended) return plan;  // a stopped clock has no timers
  if (absl::Status s = Arm(*policy, calendar, &plan); !s.ok()) return s;
  return plan;
}

ClockView Evaluate(const SlaRecord& r, const BusinessCalendar& calendar, absl::Time now) {
  ClockView v;
  if (r.stage == Stage::kNone) return v;
  v.used = r.consumed;
  if (!r.suspended) v.used += TimeBetween(calendar, r.working_time, r.run_started, now);
  v.remaining = r.limit - v.used;
  v.used_share = r.limit > absl::ZeroDuration() ? absl::FDivDuration(v.used, r.limit) : 1.0;
  if (v.remaining <= absl::ZeroDuration() && (r.suspended || now >= r.deadline)) {
    v.light = Light::kRed;
  } else if (v.used_share >= r.yellow_share) {
    v.light = Light::kYellow;
  } else {
    v.light = Light::kGreen;
  }
  return v;
}

absl::Status CheckExtensionAllowed(const PolicySet& policies, const Event& event) {
  Stage stage = StageOfState(event.state);
  if (stage == Stage::kNone) return absl::OkStatus();
  absl::StatusOr<StagePolicy> policy = policies.Find(event.category_code, event.urgency, stage);
  if (!policy.ok()) return absl::OkStatus();  // no limit, nothing to extend against
  if (event.extension_count >= policy->max_extensions) {
    return absl::FailedPreconditionError(
        absl::StrCat("event ", event.id, " already has ", event.extension_count,
                     " extension(s), the most its policy allows (", policy->max_extensions, ")"));
  }
  return absl::OkStatus();
}

}  // namespace zhiwang::sla
