#include "common/domain/event_commands.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"

namespace zhiwang {

absl::Status EventNotFound(absl::string_view event_id) {
  return absl::NotFoundError(absl::StrCat("event ", event_id, " not found"));
}

uint64_t FingerprintOf(const std::string& event_id, const Command& c) {
  Fingerprint f;
  f.Add("act")
      .Add(event_id)
      .Add(static_cast<int64_t>(c.action))
      .Add(c.note)
      .Add(c.reason_code)
      .Add(c.evidence)
      .Add(c.department_id)
      .Add(c.merge_into)
      // org (issue 3)
      .Add(c.triage_centre_id)
      .Add(c.category_code)
      .Add(static_cast<int64_t>(c.assisting_department_ids.size()));
  for (const std::string& d : c.assisting_department_ids) f.Add(d);
  if (c.fencing_token != 0) f.Add(c.fencing_token);  // dq: absent keeps old fingerprints
  return f.value();
}

EventCommands::EventCommands(EventStore* store, const OrgRegistry* orgs, const Clock* clock,
                             std::function<uint64_t()> random)
    : store_(store), orgs_(orgs), clock_(clock), random_(std::move(random)) {}

void EventCommands::Report(const Identity& who, const ReportInput& in, Done<WriteResult> done) {
  // BuildReportedEvent validates every field; only when the grid is unknown do we validate
  // here, so that a malformed request is named by its first bad field, not by the grid.
  std::shared_ptr<const District> district = orgs_->FindByGrid(in.location.grid_id);
  if (district == nullptr) {
    if (absl::Status s = ValidateReportShape(in); !s.ok()) return done(s);
    return done(absl::InvalidArgumentError(
        absl::StrCat("location.grid_id: '", in.location.grid_id, "' is not a known grid")));
  }
  absl::Time now = clock_->Now();
  absl::StatusOr<NewEvent> created =
      BuildReportedEvent(in, who, *district, MakeEventId(district->id(), now, random_()), now);
  if (!created.ok()) return done(created.status());
  store_->Create(*created, IdempotencyKey{who.subject, in.client_request_id, FingerprintOf(in)},
                 std::move(done));
}

// One Act call: load → decide → commit, again from load when the version moved.
class EventCommands::ActOperation : public std::enable_shared_from_this<ActOperation> {
 public:
  ActOperation(EventCommands* owner, Identity who, std::string event_id, IdempotencyKey key,
               Command command, Done<WriteResult> done)
      : owner_(owner),
        who_(std::move(who)),
        event_id_(std::move(event_id)),
        key_(std::move(key)),
        command_(std::move(command)),
        done_(std::move(done)) {}

  void Start() {
    auto self = shared_from_this();
    owner_->store_->Load(event_id_, key_,
                         [self](absl::StatusOr<LoadResult> r) { self->OnLoaded(std::move(r)); });
  }

 private:
  void OnLoaded(absl::StatusOr<LoadResult> loaded) {
    if (!loaded.ok()) return done_(loaded.status());
    if (loaded->replay) return done_(*std::move(loaded->replay));
    // auth (issue 7): an event outside the caller's scope is answered exactly like a
    // missing one, before any rule could reveal its state.
    if (!loaded->event || !CanSeeEvent(who_, *loaded->event)) {
      return done_(EventNotFound(event_id_));
    }
    const Event& current = *loaded->event;
    if (command_.action == EventAction::kDispatch ||
        command_.action == EventAction::kReassign) {  // dq: reassign names one too
      std::shared_ptr<const District> d = owner_->orgs_->Find(current.district_id);
      if (d == nullptr || d->FindDepartment(command_.department_id) == nullptr) {
        return done_(absl::InvalidArgumentError(
            absl::StrCat("department_id: '", command_.department_id,
                         "' is not a department of district ", current.district_id)));
      }
    }
    // ---- org (issue 3): parameters naming the organisation.
    if (command_.action == EventAction::kCoHandle ||
        command_.action == EventAction::kRecategorise) {
      std::shared_ptr<const District> d = owner_->orgs_->Find(current.district_id);
      if (d == nullptr) {
        return done_(absl::UnavailableError(
            absl::StrCat("district ", current.district_id, " is not loaded")));
      }
      for (const std::string& dep : command_.assisting_department_ids) {
        if (d->FindDepartment(dep) == nullptr) {
          return done_(absl::InvalidArgumentError(absl::StrCat("assisting_department_ids: '", dep,
                                                               "' is not a department of district ",
                                                               current.district_id)));
        }
      }
      if (command_.action == EventAction::kRecategorise &&
          d->FindCategory(command_.category_code) == nullptr) {
        return done_(absl::InvalidArgumentError(
            absl::StrCat("category_code: '", command_.category_code,
                         "' is not a category of district ", current.district_id)));
      }
    }
    absl::StatusOr<TransitionOutcome> outcome =
        ApplyCommand(current, who_, command_, owner_->clock_->Now());
    if (!outcome.ok()) return done_(outcome.status());
    if (owner_->guard_ != nullptr) {  // sla: e.g. the limit on extensions
      if (absl::Status g = owner_->guard_->Check(current, command_); !g.ok()) return done_(g);
    }
    auto self = shared_from_this();
    owner_->store_->Commit(current, *outcome, key_, [self](absl::StatusOr<WriteResult> r) {
      self->OnCommitted(std::move(r));
    });
  }

  void OnCommitted(absl::StatusOr<WriteResult> r) {
    if (r.ok() || !absl::IsAborted(r.status()) || ++attempts_ >= kMaxAttempts) {
      return done_(std::move(r));
    }
    Start();  // someone else moved the event first: decide again on what they left
  }

  EventCommands* owner_;
  Identity who_;
  std::string event_id_;
  IdempotencyKey key_;
  Command command_;
  Done<WriteResult> done_;
  int attempts_ = 0;
};

void EventCommands::Act(const Identity& who, const std::string& event_id,
                        const std::string& client_request_id, const Command& command,
                        Done<WriteResult> done) {
  if (absl::Status s = ValidateClientRequestId(client_request_id); !s.ok()) return done(s);
  if (event_id.empty()) return done(absl::InvalidArgumentError("event_id: is required"));
  if (DistrictOfEventId(event_id).empty() || event_id.size() > 64) {
    return done(
        absl::InvalidArgumentError(absl::StrCat("event_id: '", event_id, "' is not an event id")));
  }
  if (absl::Status s = ValidateNote("note", command.note); !s.ok()) return done(s);
  if (absl::Status s = ValidateNote("reason_code", command.reason_code); !s.ok()) {
    return done(s);
  }
  if (absl::Status s = ValidateAttachments("evidence", command.evidence); !s.ok()) {
    return done(s);
  }
  IdempotencyKey key{who.subject, client_request_id, FingerprintOf(event_id, command)};
  auto op =
      std::make_shared<ActOperation>(this, who, event_id, std::move(key), command, std::move(done));
  op->Start();
}

}  // namespace zhiwang
