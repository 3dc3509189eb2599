#include "services/console/evaluation_generator.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/lifecycle.h"

namespace zhiwang::console {
namespace {

using A = EventAction;

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  // Uniform in [0, n) (n ≥ 1); the tiny modulo bias does not matter for test data.
  int64_t Below(int64_t n) { return static_cast<int64_t>(gen_() % static_cast<uint64_t>(n)); }
  bool Percent(int p) { return Below(100) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<int64_t>(v.size()))];
  }

 private:
  std::mt19937_64 gen_;
};

// One event driven through the lifecycle, recording its timeline.
class Story {
 public:
  Story(EventRecord* r, Rng* rng, absl::Time start) : r_(r), rng_(rng), now_(start) {}

  // Advances the clock by 1 minute to ~8 hours and applies `command` by `who`.
  absl::Status Do(const Identity& who, Command command) {
    now_ += absl::Minutes(1 + rng_->Below(480));
    if (command.note.empty()) command.note = "generated";
    if (command.evidence.empty()) command.evidence.push_back({"mem://photo", "image/jpeg", 1, ""});
    absl::StatusOr<TransitionOutcome> out = ApplyCommand(r_->event, who, command, now_);
    if (!out.ok()) {
      return absl::InternalError(absl::StrCat("generator: event ", r_->event.id, ": ",
                                              ActionName(command.action), ": ",
                                              out.status().message()));
    }
    out->entry.seq = out->event.version;
    r_->event = std::move(out->event);
    r_->timeline.push_back(std::move(out->entry));
    return absl::OkStatus();
  }
  absl::Status Do(const Identity& who, A action) {
    Command c;
    c.action = action;
    return Do(who, std::move(c));
  }

 private:
  EventRecord* r_;
  Rng* rng_;
  absl::Time now_;
};

Identity Router() { return {"router", Role::kSystem, "", ""}; }
Identity Dispatcher() { return {"dispatcher", Role::kStreetDispatcher, "", ""}; }
Identity Operator(const std::string& dept) {
  return {absl::StrCat("op-", dept), Role::kDepartmentOperator, "", dept};
}

Command Dispatch(const std::string& dept, A action = A::kDispatch) {
  Command c;
  c.action = action;
  c.department_id = dept;
  return c;
}

std::string OtherThan(Rng& rng, const std::vector<std::string>& all, const std::string& not_this) {
  if (all.size() < 2) return all.front();
  for (;;) {
    const std::string& d = rng.Pick(all);
    if (d != not_this) return d;
  }
}

// The department's part: claim, maybe suspend / extend, resolve, verification and rework.
absl::Status Handle(Story& s, Rng& rng, const std::string& dept, const Identity& reporter) {
  if (absl::Status st = s.Do(Operator(dept), A::kClaim); !st.ok()) return st;
  if (rng.Percent(15)) {
    if (absl::Status st = s.Do(Operator(dept), A::kRequestSuspension); !st.ok()) return st;
    if (absl::Status st = s.Do(Dispatcher(), A::kApproveSuspension); !st.ok()) return st;
    if (rng.Percent(30)) return absl::OkStatus();  // still suspended
    if (absl::Status st = s.Do(Operator(dept), A::kResume); !st.ok()) return st;
  }
  if (rng.Percent(15)) {
    if (absl::Status st = s.Do(Operator(dept), A::kRequestExtension); !st.ok()) return st;
    if (absl::Status st = s.Do(Dispatcher(), A::kApproveExtension); !st.ok()) return st;
  }
  if (rng.Percent(10)) return absl::OkStatus();  // still open
  for (int round = 0;; ++round) {
    Command resolve;
    resolve.action = A::kResolve;
    if (rng.Percent(10)) resolve.reason_code = kNotFixedReason;
    if (absl::Status st = s.Do(Operator(dept), std::move(resolve)); !st.ok()) return st;
    if (rng.Percent(10)) return absl::OkStatus();  // awaiting verification
    if (round == 0 && rng.Percent(15)) {
      if (absl::Status st = s.Do(reporter, A::kVerifyFail); !st.ok()) return st;
      continue;  // rework: resolved again by the same department
    }
    if (absl::Status st = s.Do(reporter, A::kVerifyPass); !st.ok()) return st;
    break;
  }
  if (rng.Percent(10)) return absl::OkStatus();
  if (absl::Status st = s.Do(Dispatcher(), A::kClose); !st.ok()) return st;
  if (rng.Percent(50)) return s.Do(Dispatcher(), A::kEvaluate);
  return absl::OkStatus();
}

absl::Status Play(Story& s, Rng& rng, const GeneratorOptions& o, const Identity& reporter) {
  int fate = static_cast<int>(rng.Below(100));
  if (fate < 8) return s.Do(Router(), A::kNotAccept);
  if (fate < 13) {
    Command merge;
    merge.action = A::kMerge;
    merge.merge_into = "master";
    return s.Do(Router(), std::move(merge));
  }
  if (fate < 17) return s.Do(reporter, A::kCancel);
  if (fate < 22) return s.Do(reporter, A::kSelfResolve);
  if (absl::Status st = s.Do(Router(), A::kAccept); !st.ok()) return st;
  if (fate < 24) return absl::OkStatus();  // accepted, waiting for routing
  std::string dept = rng.Pick(o.departments);
  if (absl::Status st = s.Do(Router(), Dispatch(dept)); !st.ok()) return st;
  for (int rejections = 0; rejections < 3 && rng.Percent(20); ++rejections) {
    Command reject;
    reject.action = A::kReject;
    reject.reason_code = "WRONG_DEPARTMENT";
    if (absl::Status st = s.Do(Operator(dept), std::move(reject)); !st.ok()) return st;
    if (rng.Percent(10)) return absl::OkStatus();  // rejected, waiting
    // Half the time the work goes back to a department that already rejected it.
    dept = rng.Percent(50) ? dept : OtherThan(rng, o.departments, dept);
    if (absl::Status st = s.Do(Router(), Dispatch(dept)); !st.ok()) return st;
  }
  if (rng.Percent(5)) {
    dept = OtherThan(rng, o.departments, dept);
    Command reassign = Dispatch(dept, A::kReassign);
    reassign.note = "moved by the dispatcher";
    if (absl::Status st = s.Do(Dispatcher(), std::move(reassign)); !st.ok()) return st;
  }
  return Handle(s, rng, dept, reporter);
}

}  // namespace

absl::StatusOr<std::vector<EventRecord>> GenerateMonth(const GeneratorOptions& o) {
  if (o.departments.empty() || o.streets.empty() || o.categories.empty() || o.events < 1 ||
      o.communities_per_street < 1 || o.grid_workers_per_community < 1) {
    return absl::InvalidArgumentError("options: lists must be non-empty and counts >= 1");
  }
  Rng rng(o.seed);
  absl::Time from = absl::FromCivil(o.month, o.time_zone);
  absl::Time to = absl::FromCivil(o.month + 1, o.time_zone);
  int64_t span_s = absl::ToInt64Seconds(to - from);
  std::vector<EventRecord> out;
  out.reserve(o.events);
  for (int i = 0; i < o.events; ++i) {
    EventRecord r;
    Event& e = r.event;
    e.id = absl::StrCat(o.district_id, "-gen-", i);
    e.district_id = o.district_id;
    e.street_id = rng.Pick(o.streets);
    e.community_id = absl::StrCat(e.street_id, "-c", rng.Below(o.communities_per_street));
    e.category_code = rng.Pick(o.categories);
    e.urgency = Urgency::kNormal;
    e.source = Source::kGridWorker;
    e.reporter.subject =
        absl::StrCat(e.community_id, "-gw", rng.Below(o.grid_workers_per_community));
    e.reporter.role = Role::kGridWorker;
    e.state = EventState::kReported;
    e.version = 1;
    e.created_at = from + absl::Seconds(rng.Below(span_s));
    e.updated_at = e.created_at;
    TimelineEntry report;
    report.seq = 1;
    report.at = e.created_at;
    report.actor_subject = e.reporter.subject;
    report.actor_role = Role::kGridWorker;
    report.to_state = EventState::kReported;
    report.action = A::kReport;
    r.timeline.push_back(std::move(report));
    Identity reporter{e.reporter.subject, Role::kGridWorker, e.community_id, ""};
    Story story(&r, &rng, e.created_at);
    if (absl::Status s = Play(story, rng, o, reporter); !s.ok()) return s;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace zhiwang::console
