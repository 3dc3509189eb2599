#include "services/console/evaluation.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/sla/sla_clock.h"

namespace zhiwang::console {

std::optional<double> Ratio::value() const {
  if (!defined()) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::optional<absl::Duration> Figures::MeanHandling() const {
  if (handled == 0) return std::nullopt;
  return handling_total / handled;
}

namespace {

// What one event contributes for one department ("" when the figure has none).
struct Contribution {
  std::string department;
  Figures figures;
  std::vector<absl::Duration> handling;
};

absl::Status ForEvent(const Event& e, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat("event ", e.id, ": ", s.message()));
}

// The timeline sorted by seq, checked, cut at `to`.
absl::StatusOr<std::vector<const TimelineEntry*>> Entries(const EventRecord& r, absl::Time to) {
  std::vector<const TimelineEntry*> all;
  all.reserve(r.timeline.size());
  for (const TimelineEntry& t : r.timeline) {
    if (!IsKnownAction(static_cast<int>(t.action))) {
      return absl::InvalidArgumentError(absl::StrCat("event ", r.event.id, ": timeline seq ", t.seq,
                                                     " has unknown action ",
                                                     static_cast<int>(t.action)));
    }
    all.push_back(&t);
  }
  std::sort(all.begin(), all.end(),
            [](const TimelineEntry* a, const TimelineEntry* b) { return a->seq < b->seq; });
  for (size_t i = 1; i < all.size(); ++i) {
    if (all[i]->seq == all[i - 1]->seq) {
      return absl::InvalidArgumentError(
          absl::StrCat("event ", r.event.id, ": timeline seq ", all[i]->seq, " appears twice"));
    }
  }
  std::vector<const TimelineEntry*> cut;
  for (const TimelineEntry* t : all) {
    if (t->at < to) cut.push_back(t);
  }
  return cut;
}

int Recategorisations(const EventRecord& r) {
  int n = 0;
  for (const TimelineEntry& t : r.timeline) {
    if (t.action == EventAction::kRecategorise) ++n;
  }
  return n;
}

// The category the SLA service saw at each entry: a recategorise entry already carries
// the new category (the worker reads the event after the commit). The old codes are in
// previous_category_codes, oldest first; when their number does not match the timeline's
// recategorise entries, the current category is used throughout.
std::vector<std::string> CategoriesAt(const Event& e, const std::vector<const TimelineEntry*>& all,
                                      int recategorisations) {
  const std::vector<std::string>& prev = e.previous_category_codes;
  bool exact = recategorisations > 0 && static_cast<int>(prev.size()) == recategorisations;
  std::vector<std::string> out;
  out.reserve(all.size());
  int seen = 0;
  for (const TimelineEntry* t : all) {
    if (t->action == EventAction::kRecategorise) ++seen;
    if (exact && seen < recategorisations) {
      out.push_back(prev[seen]);
    } else {
      out.push_back(e.category_code);
    }
  }
  return out;
}

// Replays the resolve stage of the timeline through the SLA service's own clock
// (sla::ApplyChange) and returns the resolve tasks. Only that stage's clock is needed:
// the record is dropped whenever the event leaves it, which restarts the clock on
// re-entry exactly as a change of stage does in the SLA service, and spares the other
// stages' arithmetic (and their policies). No resolve policy is NOT_FOUND.
absl::StatusOr<std::vector<ResolveTask>> ResolveTasks(
    const Event& ev, const std::vector<const TimelineEntry*>& entries,
    const std::vector<std::string>& categories, const sla::PolicySet& policies,
    const sla::BusinessCalendar& cal) {
  std::vector<ResolveTask> tasks;
  std::optional<sla::SlaRecord> rec;
  bool open = false;
  auto end_open_task = [&](const TimelineEntry& t) {
    if (!open) return;
    ResolveTask& task = tasks.back();
    if (!task.suspended) task.handling += cal.WorkingBetween(task.run_start, t.at);
    task.ended = true;
    task.end_at = t.at;
    task.resolved = t.action == EventAction::kResolve;
    open = false;
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    const TimelineEntry& t = *entries[i];
    if (sla::StageOfState(t.to_state) != sla::Stage::kResolve) {
      end_open_task(t);
      rec.reset();
      continue;
    }
    sla::Change change{ev.id, t.seq, t.to_state, t.action, t.at};
    sla::EventFacts facts{ev.district_id, categories[i], ev.urgency, t.department_id, ev.street_id};
    absl::StatusOr<std::optional<sla::ArmPlan>> plan =
        sla::ApplyChange(rec, change, facts, policies, cal);
    if (!plan.ok()) return ForEvent(ev, plan.status());
    if (!plan->has_value()) continue;
    const sla::SlaRecord& r = (*plan)->record;
    // A restart within the stage (a dispatch, which the lifecycle does not allow from a
    // resolve state today) would be a new task too.
    if (open && r.stage_seq != tasks.back().stage_seq) end_open_task(t);
    if (!open) {
      ResolveTask task;
      task.stage_seq = r.stage_seq;
      task.department = t.department_id;
      task.start = t.at;
      task.run_start = t.at;
      tasks.push_back(std::move(task));
      open = true;
    }
    ResolveTask& task = tasks.back();
    if (r.suspended && !task.suspended) {
      task.handling += cal.WorkingBetween(task.run_start, t.at);
      task.suspended = true;
      task.suspended_since = t.at;
    } else if (!r.suspended && task.suspended) {
      task.suspended = false;
      task.run_start = t.at;
    }
    task.deadline = r.deadline;
    rec = r;
  }
  return tasks;
}

// Adds a task's figures to `c` (see docs/evaluation.md, "On-time resolution").
void CountTask(const ResolveTask& task, const Period& p, Contribution* c) {
  Figures& f = c->figures;
  if (task.resolved && p.Contains(task.end_at)) {
    ++f.handled;
    f.handling_total += task.handling;
    c->handling.push_back(task.handling);
  }
  // The instant the clock last stopped: resolution, withdrawal, the start of a suspension
  // still in force, or the period's end for a running clock.
  absl::Time stop = task.suspended ? task.suspended_since : (task.ended ? task.end_at : p.to);
  if (task.resolved && task.end_at < task.deadline) {
    if (p.Contains(task.end_at)) {
      ++f.due;
      ++f.on_time;
    }
  } else if (task.deadline <= stop) {
    if (p.Contains(task.deadline)) {
      ++f.due;
      ++f.overdue;
    }
  } else if (!task.ended && task.suspended) {
    if (p.Contains(task.deadline)) {
      ++f.due;
      ++f.suspended;
    }
  }
}

Contribution& For(std::vector<Contribution>* out, const std::string& department) {
  for (Contribution& c : *out) {
    if (c.department == department) return c;
  }
  out->push_back(Contribution{department, {}, {}});
  return out->back();
}

bool IsReassignment(const TimelineEntry& t) {
  return t.to_state == EventState::kDispatched &&
         (t.action == EventAction::kDispatch || t.action == EventAction::kReassign);
}

// Assignments received in the period, rejected by their department before its end, and
// buck-passing (the event handed back to a department that had rejected it).
void CountAssignments(const std::vector<const TimelineEntry*>& entries, const Period& p,
                      std::vector<Contribution>* out) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const TimelineEntry& a = *entries[i];
    if (!IsReassignment(a) || a.department_id.empty() || !p.Contains(a.at)) continue;
    Figures& f = For(out, a.department_id).figures;
    ++f.assignments;
    for (size_t j = i + 1; j < entries.size(); ++j) {
      const TimelineEntry& t = *entries[j];
      if (IsReassignment(t)) break;
      if (t.action == EventAction::kReject) {
        if (t.actor_department_id == a.department_id) ++f.rejected_assignments;
        break;
      }
    }
    for (size_t k = 0; k < i; ++k) {
      const TimelineEntry& t = *entries[k];
      if (t.action == EventAction::kReject && t.actor_department_id == a.department_id) {
        ++f.buck_passing;
        break;
      }
    }
  }
}

void CountVerifications(const std::vector<const TimelineEntry*>& entries, const Period& p,
                        std::vector<Contribution>* out) {
  for (const TimelineEntry* t : entries) {
    if (!p.Contains(t->at)) continue;
    if (t->action == EventAction::kVerifyPass || t->action == EventAction::kVerifyFail) {
      Figures& f = For(out, t->department_id).figures;
      ++f.verifications;
      if (t->action == EventAction::kVerifyFail) ++f.reworks;
    }
  }
}

// The closure cohort: the event counts when its (only) accept entry is in the period, for
// the department holding it at the period's end.
void CountClosure(const std::vector<const TimelineEntry*>& entries, const Period& p,
                  std::vector<Contribution>* out) {
  auto accept = std::find_if(entries.begin(), entries.end(), [](const TimelineEntry* t) {
    return t->action == EventAction::kAccept;
  });
  if (accept == entries.end() || !p.Contains((*accept)->at)) return;
  Figures& f = For(out, entries.back()->department_id).figures;
  ++f.accepted;
  const TimelineEntry* resolution = nullptr;
  for (auto it = accept + 1; it != entries.end(); ++it) {
    if ((*it)->action == EventAction::kResolve) resolution = *it;
    if ((*it)->action != EventAction::kClose) continue;
    if (resolution != nullptr && absl::EqualsIgnoreCase(resolution->reason_code, kNotFixedReason)) {
      ++f.closed_not_fixed;
    } else {
      ++f.closed_fixed;
    }
    return;
  }
}

// The report cohort: a grid worker's report in the period, judged by the state at its end.
void CountReport(const Event& ev, const std::vector<const TimelineEntry*>& entries, const Period& p,
                 std::vector<Contribution>* out) {
  const TimelineEntry& first = *entries.front();
  if (ev.reporter.role != Role::kGridWorker || first.action != EventAction::kReport ||
      !p.Contains(first.at)) {
    return;
  }
  Figures& f = For(out, "").figures;
  ++f.reports;
  switch (entries.back()->to_state) {
    case EventState::kReported:
      ++f.pending_reports;
      break;
    case EventState::kNotAccepted:
    case EventState::kCancelled:
    case EventState::kMerged:
      ++f.invalid_reports;
      break;
    default:
      ++f.valid_reports;
  }
}

absl::StatusOr<std::vector<Contribution>> Contributions(const EventRecord& r,
                                                        const sla::PolicySet& policies,
                                                        const sla::BusinessCalendar& cal,
                                                        const Period& p) {
  const Event& ev = r.event;
  absl::StatusOr<std::vector<const TimelineEntry*>> entries = Entries(r, p.to);
  if (!entries.ok()) return entries.status();
  std::vector<Contribution> out;
  if (entries->empty()) return out;
  absl::StatusOr<std::vector<ResolveTask>> tasks =
      ResolveTasks(ev, *entries, CategoriesAt(ev, *entries, Recategorisations(r)), policies, cal);
  if (!tasks.ok()) return tasks.status();
  for (const ResolveTask& task : *tasks) CountTask(task, p, &For(&out, task.department));
  CountVerifications(*entries, p, &out);
  CountAssignments(*entries, p, &out);
  CountClosure(*entries, p, &out);
  CountReport(ev, *entries, p, &out);
  return out;
}

std::string KeyOf(const Event& e, const Contribution& c, Grouping g) {
  switch (g) {
    case Grouping::kDistrict:
      return e.district_id;
    case Grouping::kDepartment:
      return c.department;
    case Grouping::kStreet:
      return e.street_id;
    case Grouping::kCommunity:
      return e.community_id;
    case Grouping::kGridWorker:
      return e.reporter.role == Role::kGridWorker ? e.reporter.subject : "";
  }
  return "";
}

void Add(const Figures& a, Figures* to) {
  to->due += a.due;
  to->suspended += a.suspended;
  to->on_time += a.on_time;
  to->overdue += a.overdue;
  to->handled += a.handled;
  to->handling_total += a.handling_total;
  to->verifications += a.verifications;
  to->reworks += a.reworks;
  to->assignments += a.assignments;
  to->rejected_assignments += a.rejected_assignments;
  to->buck_passing += a.buck_passing;
  to->accepted += a.accepted;
  to->closed_fixed += a.closed_fixed;
  to->closed_not_fixed += a.closed_not_fixed;
  to->reports += a.reports;
  to->valid_reports += a.valid_reports;
  to->invalid_reports += a.invalid_reports;
  to->pending_reports += a.pending_reports;
}

// Nearest rank: the ceil(0.9 n)-th smallest sample.
absl::Duration P90(std::vector<absl::Duration> samples) {
  if (samples.empty()) return absl::ZeroDuration();
  std::sort(samples.begin(), samples.end());
  size_t rank = (9 * samples.size() + 9) / 10;
  return samples[rank - 1];
}

}  // namespace

absl::StatusOr<std::vector<ResolveTask>> ResolveTasksOf(const EventRecord& record,
                                                        const sla::PolicySet& policies,
                                                        const sla::BusinessCalendar& calendar,
                                                        absl::Time cut) {
  absl::StatusOr<std::vector<const TimelineEntry*>> entries = Entries(record, cut);
  if (!entries.ok()) return entries.status();
  return ResolveTasks(record.event, *entries,
                      CategoriesAt(record.event, *entries, Recategorisations(record)), policies,
                      calendar);
}

absl::StatusOr<GroupFigures> Evaluate(absl::Span<const EventRecord> events,
                                      const sla::PolicySet& policies,
                                      const sla::BusinessCalendar& calendar, const Period& period,
                                      Grouping grouping) {
  if (period.to <= period.from) return absl::InvalidArgumentError("period.to: must be after from");
  GroupFigures out;
  std::map<std::string, std::vector<absl::Duration>> handling;
  for (const EventRecord& r : events) {
    absl::StatusOr<std::vector<Contribution>> cs = Contributions(r, policies, calendar, period);
    if (!cs.ok()) return cs.status();
    for (const Contribution& c : *cs) {
      if (c.figures == Figures{}) continue;
      std::string key = KeyOf(r.event, c, grouping);
      if (key.empty()) continue;
      Add(c.figures, &out[key]);
      std::vector<absl::Duration>& h = handling[key];
      h.insert(h.end(), c.handling.begin(), c.handling.end());
    }
  }
  for (auto& [key, samples] : handling) out[key].handling_p90 = P90(std::move(samples));
  return out;
}

}  // namespace zhiwang::console
