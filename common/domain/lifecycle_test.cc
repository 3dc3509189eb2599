// Unit tests of the event lifecycle: every state × action pair, the table itself against an
// independent expectation, and the behaviour of the side roads (reject, rework, extension,
// suspension, cancel, merge).

#include "common/domain/lifecycle.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

using S = EventState;
using A = EventAction;
using R = Role;

constexpr char kDept[] = "dep_a";
constexpr char kOtherDept[] = "dep_b";
constexpr char kReporterSubject[] = "w1";
constexpr char kEventId[] = "440304-20261127-0000000001";

const absl::Time kCreated = absl::FromUnixSeconds(1'790'000'000);
const absl::Time kNow = absl::FromUnixSeconds(1'790'003'600);

bool IsDepartmentRole(Role r) { return r == R::kDepartmentOperator || r == R::kDepartmentSystem; }
bool IsReporterRole(Role r) { return r == R::kGridWorker || r == R::kCommunityStaff; }

std::vector<Role> AllRoles() {
  std::vector<Role> roles;
  for (int i = 0; i <= kMaxRole; ++i) roles.push_back(static_cast<Role>(i));
  return roles;
}

std::string Describe(EventState s, EventAction a) {
  return absl::StrCat(StateName(s), " × ", ActionName(a));
}

// An event assigned to kDept, reported by grid worker "w1", in state `s`.
Event MakeEvent(EventState s) {
  Event e;
  e.id = kEventId;
  e.district_id = "440304";
  e.street_id = "st1";
  e.community_id = "c1";
  e.category_code = "garbage";
  e.urgency = Urgency::kNormal;
  e.source = Source::kGridWorker;
  e.location = Location{22.5, 114.0, "g1", "Road 1"};
  e.description = "garbage on the street";
  e.reporter = Reporter{kReporterSubject, R::kGridWorker, "Wang", "13800000000"};
  e.state = s;
  e.version = 7;
  e.department_id = kDept;
  e.created_at = kCreated;
  e.updated_at = kCreated;
  return e;
}

// The event made suitable for `a`: a decision on a request needs that request pending.
Event MakeEventFor(EventState s, EventAction a) {
  Event e = MakeEvent(s);
  if (a == A::kApproveExtension || a == A::kDenyExtension) e.extension_pending = true;
  if (a == A::kApproveSuspension || a == A::kDenySuspension) e.suspension_pending = true;
  return e;
}

// A caller of role `r` who is the party the rules require: the reporter for reporter
// roles, a member of the event's department for department roles.
Identity Caller(Role r) {
  Identity who;
  who.role = r;
  who.area = "440304";
  if (IsReporterRole(r)) {
    who.subject = kReporterSubject;
  } else {
    who.subject = absl::StrCat("user-", RoleName(r));
  }
  if (IsDepartmentRole(r)) who.department_id = kDept;
  return who;
}

Attachment Photo() { return Attachment{"s3://bucket/photo1.jpg", "image/jpeg", 1234, ""}; }

// A command carrying every parameter any action needs.
Command FullCommand(EventAction a) {
  Command c;
  c.action = a;
  c.note = "a note";
  c.reason_code = "NOT_OUR_JURISDICTION";
  if (a == EventAction::kResolve) c.reason_code = "NOT_FIXED";  // feed: a resolution reason
  c.evidence = {Photo()};
  c.department_id = kOtherDept;
  c.merge_into = "440304-20261127-0000000002";
  // org (issue 3)
  c.triage_centre_id = "centre_1";
  c.category_code = "0999";
  c.assisting_department_ids = {"assist_dep"};
  return c;
}

// ---------------------------------------------------------------------------------------
// The table, written out independently from DOMAIN.md ("An event's life") and the
// intended rules. Any edit to lifecycle.cc's table must be mirrored here on purpose.

struct ExpectedRule {
  EventState from;
  EventAction action;
  EventState to;
  std::vector<Role> roles;
  Party party;
};

const std::vector<Role> kDispatchers = {R::kStreetDispatcher, R::kDistrictDispatcher};
const std::vector<Role> kDispatchersAndSystem = {R::kStreetDispatcher, R::kDistrictDispatcher,
                                                 R::kSystem};
const std::vector<Role> kDepartment = {R::kDepartmentOperator, R::kDepartmentSystem};
const std::vector<Role> kReporters = {R::kGridWorker, R::kCommunityStaff};
const std::vector<Role> kReportersAndDispatchers = {R::kGridWorker, R::kCommunityStaff,
                                                    R::kStreetDispatcher, R::kDistrictDispatcher};
const std::vector<Role> kDepartmentAndDispatchers = {R::kDepartmentOperator, R::kDepartmentSystem,
                                                     R::kStreetDispatcher, R::kDistrictDispatcher};
const std::vector<Role> kEvaluators = {R::kStreetDispatcher, R::kDistrictDispatcher, R::kLeader};

const std::vector<ExpectedRule>& Expected() {
  static const auto* rules = new std::vector<ExpectedRule>{
      // reported 上报: accept / not accept (立案 / 不予立案), or a side road.
      {S::kReported, A::kAccept, S::kAccepted, kDispatchersAndSystem, Party::kAnyone},
      {S::kReported, A::kNotAccept, S::kNotAccepted, kDispatchersAndSystem, Party::kAnyone},
      {S::kReported, A::kSelfResolve, S::kSelfResolved, kReporters, Party::kReporter},
      {S::kReported, A::kCancel, S::kCancelled, kReportersAndDispatchers, Party::kReporter},
      {S::kReported, A::kMerge, S::kMerged, kDispatchersAndSystem, Party::kAnyone},
      // accepted 立案 → dispatched 派遣.
      {S::kAccepted, A::kDispatch, S::kDispatched, kDispatchersAndSystem, Party::kAnyone},
      {S::kAccepted, A::kSelfResolve, S::kSelfResolved, kReporters, Party::kReporter},
      {S::kAccepted, A::kCancel, S::kCancelled, kReportersAndDispatchers, Party::kReporter},
      {S::kAccepted, A::kMerge, S::kMerged, kDispatchersAndSystem, Party::kAnyone},
      // dispatched 派遣 → claimed 签收, or rejected 退单; a dispatcher may reassign.
      {S::kDispatched, A::kClaim, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kDispatched, A::kReject, S::kRejected, kDepartment, Party::kAssignedDepartment},
      {S::kDispatched, A::kDispatch, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kDispatched, A::kSelfResolve, S::kSelfResolved, kReporters, Party::kReporter},
      {S::kDispatched, A::kCancel, S::kCancelled, kReportersAndDispatchers, Party::kReporter},
      {S::kDispatched, A::kMerge, S::kMerged, kDispatchers, Party::kAnyone},
      // claimed 签收: handle, resolve, reject, extension 延期 / suspension 挂账 requests.
      {S::kClaimed, A::kAddProgress, S::kInProgress, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kResolve, S::kResolved, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kReject, S::kRejected, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kRequestExtension, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kApproveExtension, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kDenyExtension, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kRequestSuspension, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kClaimed, A::kApproveSuspension, S::kSuspended, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kDenySuspension, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // in progress 处置.
      {S::kInProgress, A::kAddProgress, S::kInProgress, kDepartment, Party::kAssignedDepartment},
      {S::kInProgress, A::kResolve, S::kResolved, kDepartment, Party::kAssignedDepartment},
      {S::kInProgress, A::kRequestExtension, S::kInProgress, kDepartment,
       Party::kAssignedDepartment},
      {S::kInProgress, A::kApproveExtension, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kDenyExtension, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kRequestSuspension, S::kInProgress, kDepartment,
       Party::kAssignedDepartment},
      {S::kInProgress, A::kApproveSuspension, S::kSuspended, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kDenySuspension, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // resolved 处置反馈 → verified 核查, or rework 返工.
      {S::kResolved, A::kVerifyPass, S::kVerified, kReportersAndDispatchers, Party::kReporter},
      {S::kResolved, A::kVerifyFail, S::kRework, kReportersAndDispatchers, Party::kReporter},
      // verified 核查 → closed 结案 → evaluated 综合评价.
      {S::kVerified, A::kClose, S::kClosed, kDispatchersAndSystem, Party::kAnyone},
      {S::kClosed, A::kEvaluate, S::kEvaluated, kEvaluators, Party::kAnyone},
      {S::kSelfResolved, A::kEvaluate, S::kEvaluated, kEvaluators, Party::kAnyone},
      // rejected 退单: re-routed.
      {S::kRejected, A::kDispatch, S::kDispatched, kDispatchersAndSystem, Party::kAnyone},
      {S::kRejected, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      {S::kRejected, A::kMerge, S::kMerged, kDispatchers, Party::kAnyone},
      // rework 返工: the same department again.
      {S::kRework, A::kClaim, S::kClaimed, kDepartment, Party::kAssignedDepartment},
      {S::kRework, A::kAddProgress, S::kInProgress, kDepartment, Party::kAssignedDepartment},
      {S::kRework, A::kResolve, S::kResolved, kDepartment, Party::kAssignedDepartment},
      {S::kRework, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // suspended 挂账.
      {S::kSuspended, A::kResume, S::kInProgress, kDepartmentAndDispatchers,
       Party::kAssignedDepartment},
      {S::kSuspended, A::kCancel, S::kCancelled, kDispatchers, Party::kAnyone},
      // ---- org (issue 3): the router queues for triage; dispatchers unmerge,
      // recategorise and set co-handling departments.
      {S::kAccepted, A::kTriage, S::kAccepted, {R::kSystem}, Party::kAnyone},
      {S::kRejected, A::kTriage, S::kRejected, {R::kSystem}, Party::kAnyone},
      {S::kMerged, A::kUnmerge, S::kAccepted, kDispatchers, Party::kAnyone},
      {S::kAccepted, A::kRecategorise, S::kAccepted, kDispatchers, Party::kAnyone},
      {S::kRejected, A::kRecategorise, S::kRejected, kDispatchers, Party::kAnyone},
      {S::kDispatched, A::kRecategorise, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kRecategorise, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kRecategorise, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kDispatched, A::kCoHandle, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kCoHandle, S::kClaimed, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kCoHandle, S::kInProgress, kDispatchers, Party::kAnyone},
      {S::kRework, A::kCoHandle, S::kRework, kDispatchers, Party::kAnyone},
      {S::kSuspended, A::kCoHandle, S::kSuspended, kDispatchers, Party::kAnyone},
      // dq (issue 5): reassignment of held work by a dispatcher.
      {S::kDispatched, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kClaimed, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kInProgress, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kRework, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
      {S::kSuspended, A::kReassign, S::kDispatched, kDispatchers, Party::kAnyone},
  };
  return *rules;
}

RoleSet ToRoleSet(const std::vector<Role>& roles) {
  RoleSet set;
  for (Role r : roles) set.set(static_cast<int>(r));
  return set;
}

TEST(TransitionTableTest, EqualsTheIndependentlyWrittenTable) {
  std::span<const TransitionRule> table = TransitionTable();
  EXPECT_EQ(table.size(), Expected().size());
  for (const ExpectedRule& want : Expected()) {
    SCOPED_TRACE(Describe(want.from, want.action));
    const TransitionRule* got = FindRule(want.from, want.action);
    ASSERT_NE(got, nullptr) << "the table lacks an expected rule";
    EXPECT_EQ(got->to, want.to) << "got " << StateName(got->to) << ", want " << StateName(want.to);
    EXPECT_EQ(got->roles, ToRoleSet(want.roles));
    EXPECT_EQ(got->party, want.party);
  }
  for (const TransitionRule& rule : table) {
    bool expected = std::any_of(Expected().begin(), Expected().end(), [&](const ExpectedRule& w) {
      return w.from == rule.from && w.action == rule.action;
    });
    EXPECT_TRUE(expected) << "unexpected rule " << Describe(rule.from, rule.action);
  }
}

TEST(TransitionTableTest, HasAtMostOneRulePerStateAndAction) {
  std::set<std::pair<int, int>> seen;
  for (const TransitionRule& rule : TransitionTable()) {
    EXPECT_TRUE(seen.emplace(static_cast<int>(rule.from), static_cast<int>(rule.action)).second)
        << "duplicate rule " << Describe(rule.from, rule.action);
  }
}

TEST(TransitionTableTest, EveryRuleAllowsAtLeastOneRoleAndNeverUnspecified) {
  for (const TransitionRule& rule : TransitionTable()) {
    SCOPED_TRACE(Describe(rule.from, rule.action));
    EXPECT_TRUE(rule.roles.any());
    EXPECT_FALSE(rule.roles.test(static_cast<int>(R::kUnspecified)));
  }
}

TEST(TransitionTableTest, NoRuleReportsOrLeadsBackToUnspecifiedOrReported) {
  for (const TransitionRule& rule : TransitionTable()) {
    SCOPED_TRACE(Describe(rule.from, rule.action));
    EXPECT_NE(rule.action, A::kReport);  // reporting creates events, it is no transition
    EXPECT_NE(rule.action, A::kUnspecified);
    EXPECT_NE(rule.from, S::kUnspecified);
    EXPECT_NE(rule.to, S::kUnspecified);
    EXPECT_NE(rule.to, S::kReported);
  }
}

// Except a dispatcher's correction of a wrong merge (unmerge, issue 3): merged stays
// terminal for the clock and evaluation.
TEST(TransitionTableTest, TerminalStatesHaveNoOutgoingRuleButUnmerge) {
  for (const TransitionRule& rule : TransitionTable()) {
    if (rule.from == S::kMerged && rule.action == A::kUnmerge) continue;
    EXPECT_FALSE(IsTerminal(rule.from))
        << "terminal state " << StateName(rule.from) << " has rule for " << ActionName(rule.action);
  }
}

TEST(TransitionTableTest, TerminalStatesAreExactlyTheDeadEnds) {
  const std::set<EventState> terminal = {S::kEvaluated, S::kNotAccepted, S::kCancelled, S::kMerged};
  for (int s = 1; s <= kMaxEventState; ++s) {
    EventState state = static_cast<EventState>(s);
    SCOPED_TRACE(StateName(state));
    EXPECT_EQ(IsTerminal(state), terminal.contains(state));
    bool has_rule = std::any_of(TransitionTable().begin(), TransitionTable().end(),
                                [&](const TransitionRule& r) { return r.from == state; });
    // A non-terminal state with no way out would strand events in it.
    if (state != S::kMerged) {
      EXPECT_EQ(has_rule, !IsTerminal(state));
    }
  }
  // Closed and self-resolved events may still be evaluated, so they are not terminal.
  EXPECT_FALSE(IsTerminal(S::kClosed));
  EXPECT_FALSE(IsTerminal(S::kSelfResolved));
}

TEST(TransitionTableTest, EveryStateIsReachableFromReported) {
  std::set<EventState> reached = {S::kReported};
  bool grew = true;
  while (grew) {
    grew = false;
    for (const TransitionRule& rule : TransitionTable()) {
      if (reached.contains(rule.from) && reached.insert(rule.to).second) grew = true;
    }
  }
  for (int s = 1; s <= kMaxEventState; ++s) {
    EXPECT_TRUE(reached.contains(static_cast<EventState>(s)))
        << StateName(static_cast<EventState>(s)) << " is unreachable";
  }
}

// ---------------------------------------------------------------------------------------
// Every state × action pair.

// The effect `command` should have on `before`, written independently of ApplyEffects.
Event ExpectedAfter(const Event& before, const Command& c, EventState to) {
  Event e = before;
  switch (c.action) {
    case A::kDispatch:
      e.department_id = c.department_id;
      e.triage_centre_id.clear();
      e.awaiting_adjudication = false;
      e.assisting_department_ids.clear();
      break;
    case A::kReject:
      e.rejected_by.push_back(before.department_id);
      e.department_id.clear();
      e.assisting_department_ids.clear();
      break;
    case A::kTriage:
      e.triage_centre_id = c.triage_centre_id;
      e.awaiting_adjudication = c.reason_code == "adjudication";
      break;
    case A::kUnmerge:
      e.merged_into.clear();
      e.triage_centre_id.clear();
      break;
    case A::kRecategorise:
      e.previous_category_codes.push_back(before.category_code);
      e.category_code = c.category_code;
      if (before.state == S::kAccepted || before.state == S::kRejected) {
        e.triage_centre_id.clear();
        e.awaiting_adjudication = false;
      }
      break;
    case A::kCoHandle:
      e.assisting_department_ids = c.assisting_department_ids;
      break;
    case A::kVerifyFail:
      e.rework_count = before.rework_count + 1;
      break;
    case A::kRequestExtension:
      e.extension_pending = true;
      break;
    case A::kApproveExtension:
      e.extension_pending = false;
      e.extension_count = before.extension_count + 1;
      break;
    case A::kDenyExtension:
      e.extension_pending = false;
      break;
    case A::kRequestSuspension:
      e.suspension_pending = true;
      break;
    case A::kApproveSuspension:
    case A::kDenySuspension:
      e.suspension_pending = false;
      break;
    case A::kMerge:
      e.merged_into = c.merge_into;
      e.department_id.clear();
      e.triage_centre_id.clear();
      e.awaiting_adjudication = false;
      e.assisting_department_ids.clear();
      break;
    case A::kReassign:  // dq (issue 5)
      e.department_id = c.department_id;
      e.extension_pending = false;
      e.suspension_pending = false;
      break;
    case A::kSelfResolve:
    case A::kCancel:
      e.department_id.clear();
      e.extension_pending = false;
      e.suspension_pending = false;
      break;
    default:
      break;
  }
  e.state = to;
  e.version = before.version + 1;
  e.updated_at = kNow;
  return e;
}

void ExpectSameEvent(const Event& got, const Event& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.district_id, want.district_id);
  EXPECT_EQ(got.street_id, want.street_id);
  EXPECT_EQ(got.community_id, want.community_id);
  EXPECT_EQ(got.category_code, want.category_code);
  EXPECT_EQ(got.urgency, want.urgency);
  EXPECT_EQ(got.source, want.source);
  EXPECT_EQ(got.description, want.description);
  EXPECT_EQ(got.reporter.subject, want.reporter.subject);
  EXPECT_EQ(got.state, want.state)
      << "got " << StateName(got.state) << ", want " << StateName(want.state);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.department_id, want.department_id);
  EXPECT_EQ(got.rejected_by, want.rejected_by);
  EXPECT_EQ(got.rework_count, want.rework_count);
  EXPECT_EQ(got.merged_into, want.merged_into);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
  EXPECT_EQ(got.extension_pending, want.extension_pending);
  EXPECT_EQ(got.suspension_pending, want.suspension_pending);
  EXPECT_EQ(got.extension_count, want.extension_count);
  // org (issue 3)
  EXPECT_EQ(got.triage_centre_id, want.triage_centre_id);
  EXPECT_EQ(got.awaiting_adjudication, want.awaiting_adjudication);
  EXPECT_EQ(got.binding_assignment, want.binding_assignment);
  EXPECT_EQ(got.assisting_department_ids, want.assisting_department_ids);
  EXPECT_EQ(got.previous_category_codes, want.previous_category_codes);
}

TEST(ApplyCommandTest, EveryStateAndActionIsAllowedWithItsEffectOrRefusedNamingTheState) {
  int allowed = 0;
  int refused = 0;
  int actions = 0;  // dq: the dense range plus the reserved ranges in use
  for (int a = 1; a <= kDqLastAction; ++a) actions += IsKnownAction(a) ? 1 : 0;
  for (int s = 1; s <= kMaxEventState; ++s) {
    for (int a = 1; a <= kDqLastAction; ++a) {
      if (!IsKnownAction(a)) continue;
      const EventState state = static_cast<EventState>(s);
      const EventAction action = static_cast<EventAction>(a);
      SCOPED_TRACE(Describe(state, action));
      const Event before = MakeEventFor(state, action);
      const Command command = FullCommand(action);
      const TransitionRule* rule = FindRule(state, action);

      if (rule == nullptr) {
        ++refused;
        // Refused whoever asks: try every role.
        for (Role r : AllRoles()) {
          SCOPED_TRACE(RoleName(r));
          absl::StatusOr<TransitionOutcome> out = ApplyCommand(before, Caller(r), command, kNow);
          ASSERT_FALSE(out.ok());
          EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition) << out.status();
          EXPECT_NE(out.status().message().find(absl::StrCat("'", StateName(state), "'")),
                    absl::string_view::npos)
              << out.status();
        }
        continue;
      }

      ++allowed;
      // Allowed for every role of the rule, when the caller is the right party.
      for (int r = 0; r <= kMaxRole; ++r) {
        if (!rule->roles.test(r)) continue;
        const Identity who = Caller(static_cast<Role>(r));
        SCOPED_TRACE(RoleName(who.role));
        absl::StatusOr<TransitionOutcome> out = ApplyCommand(before, who, command, kNow);
        ASSERT_TRUE(out.ok()) << out.status();
        EXPECT_EQ(out->event.state, rule->to);
        ExpectSameEvent(out->event, ExpectedAfter(before, command, rule->to));

        const TimelineEntry& t = out->entry;
        EXPECT_EQ(t.at, kNow);
        EXPECT_EQ(t.from_state, state);
        EXPECT_EQ(t.to_state, rule->to);
        EXPECT_EQ(t.action, action);
        EXPECT_EQ(t.actor_subject, who.subject);
        EXPECT_EQ(t.actor_role, who.role);
        EXPECT_EQ(t.actor_department_id, who.department_id);
        EXPECT_EQ(t.note, command.note);
        EXPECT_EQ(t.reason_code, command.reason_code);
        ASSERT_EQ(t.evidence.size(), 1u);
        EXPECT_EQ(t.evidence[0].uri, Photo().uri);
        EXPECT_EQ(t.department_id, out->event.department_id);
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(Expected().size()));
  EXPECT_EQ(allowed + refused, kMaxEventState * actions);
}

TEST(ApplyCommandTest, UnspecifiedStateAndActionAreRefused) {
  for (int a = 0; a <= kMaxEventAction; ++a) {
    Event e = MakeEvent(S::kUnspecified);
    absl::StatusOr<TransitionOutcome> out = ApplyCommand(
        e, Caller(R::kDistrictDispatcher), FullCommand(static_cast<EventAction>(a)), kNow);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(out.status().message().find("'unspecified'"), absl::string_view::npos);
  }
  for (int s = 1; s <= kMaxEventState; ++s) {
    absl::StatusOr<TransitionOutcome> out =
        ApplyCommand(MakeEvent(static_cast<EventState>(s)), Caller(R::kDistrictDispatcher),
                     FullCommand(A::kUnspecified), kNow);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(ApplyCommandTest, RoleNotInRuleIsDenied) {
  for (const TransitionRule& rule : TransitionTable()) {
    for (Role r : AllRoles()) {
      if (rule.roles.test(static_cast<int>(r))) continue;
      SCOPED_TRACE(absl::StrCat(Describe(rule.from, rule.action), " by ", RoleName(r)));
      Event before = MakeEventFor(rule.from, rule.action);
      absl::StatusOr<TransitionOutcome> out =
          ApplyCommand(before, Caller(r), FullCommand(rule.action), kNow);
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied) << out.status();
      EXPECT_NE(out.status().message().find(RoleName(r)), absl::string_view::npos) << out.status();
    }
  }
}

TEST(ApplyCommandTest, GridWorkerMayNotClaim) {
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kDispatched), Caller(R::kGridWorker), FullCommand(A::kClaim), kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(ApplyCommandTest, OtherDepartmentMayNotClaim) {
  Identity other = Caller(R::kDepartmentOperator);
  other.department_id = kOtherDept;
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kDispatched), other, FullCommand(A::kClaim), kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(out.status().message().find(kOtherDept), absl::string_view::npos) << out.status();
}

TEST(ApplyCommandTest, OnlyTheAssignedDepartmentActsWhereTheRuleSaysSo) {
  for (const TransitionRule& rule : TransitionTable()) {
    if (rule.party != Party::kAssignedDepartment) continue;
    for (Role r : {R::kDepartmentOperator, R::kDepartmentSystem}) {
      if (!rule.roles.test(static_cast<int>(r))) continue;
      SCOPED_TRACE(absl::StrCat(Describe(rule.from, rule.action), " by ", RoleName(r)));
      for (const char* dept : {kOtherDept, ""}) {
        Identity who = Caller(r);
        who.department_id = dept;
        absl::StatusOr<TransitionOutcome> out =
            ApplyCommand(MakeEventFor(rule.from, rule.action), who, FullCommand(rule.action), kNow);
        ASSERT_FALSE(out.ok());
        EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
      }
    }
  }
}

TEST(ApplyCommandTest, DispatcherResumesSuspendedEventOfAnyDepartment) {
  Event e = MakeEvent(S::kSuspended);
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, Caller(R::kStreetDispatcher), FullCommand(A::kResume), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kInProgress);
  EXPECT_EQ(out->event.department_id, kDept);
}

TEST(ApplyCommandTest, GridWorkerWhoIsNotReporterMayNotVerify) {
  Identity other = Caller(R::kGridWorker);
  other.subject = "w2";
  for (EventAction a : {A::kVerifyPass, A::kVerifyFail}) {
    absl::StatusOr<TransitionOutcome> out =
        ApplyCommand(MakeEvent(S::kResolved), other, FullCommand(a), kNow);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
  }
  // A dispatcher verifies whoever reported.
  absl::StatusOr<TransitionOutcome> out = ApplyCommand(
      MakeEvent(S::kResolved), Caller(R::kStreetDispatcher), FullCommand(A::kVerifyPass), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kVerified);
}

TEST(ApplyCommandTest, OnlyTheReporterAmongReportersActsWhereTheRuleSaysSo) {
  for (const TransitionRule& rule : TransitionTable()) {
    if (rule.party != Party::kReporter) continue;
    for (Role r : {R::kGridWorker, R::kCommunityStaff}) {
      if (!rule.roles.test(static_cast<int>(r))) continue;
      SCOPED_TRACE(absl::StrCat(Describe(rule.from, rule.action), " by ", RoleName(r)));
      Identity who = Caller(r);
      who.subject = "someone-else";
      absl::StatusOr<TransitionOutcome> out =
          ApplyCommand(MakeEventFor(rule.from, rule.action), who, FullCommand(rule.action), kNow);
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Parameters.

struct MissingParameter {
  EventAction action;
  void (*clear)(Command&);
  const char* field;
};

TEST(ApplyCommandTest, EveryMissingParameterIsRefusedNamingTheField) {
  const std::vector<MissingParameter> cases = {
      {A::kDispatch, [](Command& c) { c.department_id.clear(); }, "department_id"},
      {A::kReject, [](Command& c) { c.reason_code.clear(); }, "reason_code"},
      {A::kResolve, [](Command& c) { c.evidence.clear(); }, "evidence"},
      {A::kSelfResolve, [](Command& c) { c.evidence.clear(); }, "evidence"},
      {A::kVerifyFail, [](Command& c) { c.note.clear(); }, "note"},
      {A::kAddProgress, [](Command& c) { c.note.clear(); }, "note"},
      {A::kCancel, [](Command& c) { c.note.clear(); }, "note"},
      {A::kNotAccept, [](Command& c) { c.note.clear(); }, "note"},
      {A::kMerge, [](Command& c) { c.merge_into.clear(); }, "merge_into"},
  };
  for (const MissingParameter& p : cases) {
    int rules = 0;
    for (const TransitionRule& rule : TransitionTable()) {
      if (rule.action != p.action) continue;
      ++rules;
      SCOPED_TRACE(Describe(rule.from, rule.action));
      Command c = FullCommand(p.action);
      p.clear(c);
      Role r = static_cast<Role>(0);
      for (int i = 0; i <= kMaxRole; ++i) {
        if (rule.roles.test(i)) {
          r = static_cast<Role>(i);
          break;
        }
      }
      absl::StatusOr<TransitionOutcome> out =
          ApplyCommand(MakeEventFor(rule.from, rule.action), Caller(r), c, kNow);
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << out.status();
      EXPECT_NE(out.status().message().find(p.field), absl::string_view::npos) << out.status();
    }
    EXPECT_GT(rules, 0) << ActionName(p.action);
  }
}

TEST(ApplyCommandTest, ResolveWithoutEvidenceNamesField) {
  Command c = FullCommand(A::kResolve);
  c.evidence.clear();
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kInProgress), Caller(R::kDepartmentOperator), c, kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("evidence"), absl::string_view::npos) << out.status();
}

TEST(ApplyCommandTest, RejectWithoutReasonNamesField) {
  Command c = FullCommand(A::kReject);
  c.reason_code.clear();
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kDispatched), Caller(R::kDepartmentOperator), c, kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("reason_code"), absl::string_view::npos) << out.status();
}

// feed (issue 6): resolve accepts FIXED / NOT_FIXED (any case) or none, refuses others.
TEST(ApplyCommandTest, ResolveReasonCodesAreTheDocumentedSet) {
  for (const char* ok : {"", "FIXED", "NOT_FIXED", "not_fixed"}) {
    Command c = FullCommand(A::kResolve);
    c.reason_code = ok;
    EXPECT_TRUE(
        ApplyCommand(MakeEvent(S::kInProgress), Caller(R::kDepartmentOperator), c, kNow).ok())
        << ok;
  }
  Command c = FullCommand(A::kResolve);
  c.reason_code = "NOT_OUR_JURISDICTION";
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kInProgress), Caller(R::kDepartmentOperator), c, kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("reason_code"), absl::string_view::npos) << out.status();
}

TEST(ApplyCommandTest, MergeIntoItselfIsRefused) {
  Command c = FullCommand(A::kMerge);
  c.merge_into = kEventId;
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kReported), Caller(R::kDistrictDispatcher), c, kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("merge_into"), absl::string_view::npos) << out.status();
}

TEST(ApplyCommandTest, MergeRecordsTheMasterEventAndClearsOwner) {
  Command c = FullCommand(A::kMerge);
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kDispatched), Caller(R::kStreetDispatcher), c, kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kMerged);
  EXPECT_EQ(out->event.merged_into, c.merge_into);
  EXPECT_EQ(out->event.department_id, "");
  EXPECT_EQ(HoldingDepartment(out->event), "");
}

// ---------------------------------------------------------------------------------------
// Side roads.

TEST(ApplyCommandTest, RejectRecordsRejectingDepartmentAndClearsOwner) {
  Event e = MakeEvent(S::kClaimed);
  e.rejected_by = {"dep_z"};
  Identity dept = Caller(R::kDepartmentOperator);
  absl::StatusOr<TransitionOutcome> out = ApplyCommand(e, dept, FullCommand(A::kReject), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kRejected);
  EXPECT_EQ(out->event.rejected_by, (std::vector<std::string>{"dep_z", kDept}));
  EXPECT_EQ(out->event.department_id, "");
  EXPECT_EQ(HoldingDepartment(out->event), "");
  EXPECT_EQ(NextWorkQueue(out->event), WorkQueue::kRouter);
  // The timeline says who rejected and why.
  EXPECT_EQ(out->entry.actor_department_id, kDept);
  EXPECT_EQ(out->entry.reason_code, "NOT_OUR_JURISDICTION");
  EXPECT_EQ(out->entry.action, A::kReject);
}

TEST(ApplyCommandTest, RedispatchAfterRejectAssignsTheNewDepartment) {
  Event e = MakeEvent(S::kRejected);
  e.department_id.clear();
  e.rejected_by = {kDept};
  Command c = FullCommand(A::kDispatch);
  c.department_id = kOtherDept;
  absl::StatusOr<TransitionOutcome> out = ApplyCommand(e, Caller(R::kSystem), c, kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kDispatched);
  EXPECT_EQ(out->event.department_id, kOtherDept);
  EXPECT_EQ(out->event.rejected_by, std::vector<std::string>{kDept});
  EXPECT_EQ(out->entry.department_id, kOtherDept);
  EXPECT_EQ(HoldingDepartment(out->event), kOtherDept);
}

// A request belongs to the department that made it: once the department gives the event
// back, its pending extension or suspension request must not be decided for (or block)
// the next department.
TEST(ApplyCommandTest, RejectWithdrawsPendingRequestsOfTheRejectingDepartment) {
  Event e = MakeEvent(S::kClaimed);
  absl::StatusOr<TransitionOutcome> requested =
      ApplyCommand(e, Caller(R::kDepartmentOperator), FullCommand(A::kRequestExtension), kNow);
  ASSERT_TRUE(requested.ok()) << requested.status();
  requested = ApplyCommand(requested->event, Caller(R::kDepartmentOperator),
                           FullCommand(A::kRequestSuspension), kNow);
  ASSERT_TRUE(requested.ok()) << requested.status();
  absl::StatusOr<TransitionOutcome> rejected =
      ApplyCommand(requested->event, Caller(R::kDepartmentOperator), FullCommand(A::kReject), kNow);
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_FALSE(rejected->event.extension_pending);
  EXPECT_FALSE(rejected->event.suspension_pending);
}

TEST(ApplyCommandTest, VerifyFailSendsBackToSameDepartmentAndCountsRework) {
  Event e = MakeEvent(S::kResolved);
  e.rework_count = 1;
  Identity reporter = Caller(R::kGridWorker);
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, reporter, FullCommand(A::kVerifyFail), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kRework);
  EXPECT_EQ(out->event.rework_count, 2);
  EXPECT_EQ(out->event.department_id, kDept);
  EXPECT_EQ(out->entry.department_id, kDept);
  EXPECT_EQ(HoldingDepartment(out->event), kDept);
  EXPECT_EQ(NextWorkQueue(out->event), WorkQueue::kDepartment);

  // The same department takes it up again; another may not.
  absl::StatusOr<TransitionOutcome> claimed =
      ApplyCommand(out->event, Caller(R::kDepartmentOperator), FullCommand(A::kClaim), kNow);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->event.state, S::kClaimed);
  Identity other = Caller(R::kDepartmentOperator);
  other.department_id = kOtherDept;
  EXPECT_EQ(ApplyCommand(out->event, other, FullCommand(A::kClaim), kNow).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(ApplyCommandTest, VerifyPassDoesNotCountRework) {
  absl::StatusOr<TransitionOutcome> out = ApplyCommand(
      MakeEvent(S::kResolved), Caller(R::kGridWorker), FullCommand(A::kVerifyPass), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kVerified);
  EXPECT_EQ(out->event.rework_count, 0);
}

TEST(ApplyCommandTest, SecondExtensionRequestWhilePendingIsRefused) {
  Identity dept = Caller(R::kDepartmentOperator);
  absl::StatusOr<TransitionOutcome> first =
      ApplyCommand(MakeEvent(S::kInProgress), dept, FullCommand(A::kRequestExtension), kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->event.extension_pending);
  absl::StatusOr<TransitionOutcome> second =
      ApplyCommand(first->event, dept, FullCommand(A::kRequestExtension), kNow);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("'in_progress'"), absl::string_view::npos)
      << second.status();
}

TEST(ApplyCommandTest, SecondSuspensionRequestWhilePendingIsRefused) {
  Event e = MakeEvent(S::kClaimed);
  e.suspension_pending = true;
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, Caller(R::kDepartmentOperator), FullCommand(A::kRequestSuspension), kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ApplyCommandTest, ApproveExtensionWithoutRequestIsRefused) {
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(MakeEvent(S::kClaimed), Caller(R::kStreetDispatcher),
                   FullCommand(A::kApproveExtension), kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("'claimed'"), absl::string_view::npos) << out.status();
}

TEST(ApplyCommandTest, EveryDecisionWithoutAPendingRequestIsRefused) {
  for (EventAction a :
       {A::kApproveExtension, A::kDenyExtension, A::kApproveSuspension, A::kDenySuspension}) {
    for (EventState s : {S::kClaimed, S::kInProgress}) {
      SCOPED_TRACE(Describe(s, a));
      Event e = MakeEvent(s);
      // The other kind of request being pending does not count.
      e.extension_pending = a == A::kApproveSuspension || a == A::kDenySuspension;
      e.suspension_pending = a == A::kApproveExtension || a == A::kDenyExtension;
      absl::StatusOr<TransitionOutcome> out =
          ApplyCommand(e, Caller(R::kDistrictDispatcher), FullCommand(a), kNow);
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_NE(out.status().message().find(absl::StrCat("'", StateName(s), "'")),
                absl::string_view::npos)
          << out.status();
    }
  }
}

TEST(ApplyCommandTest, ExtensionRequestThenApprovalCountsOneExtension) {
  Identity dept = Caller(R::kDepartmentOperator);
  absl::StatusOr<TransitionOutcome> req =
      ApplyCommand(MakeEvent(S::kClaimed), dept, FullCommand(A::kRequestExtension), kNow);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->event.state, S::kClaimed);
  absl::StatusOr<TransitionOutcome> approved = ApplyCommand(
      req->event, Caller(R::kStreetDispatcher), FullCommand(A::kApproveExtension), kNow);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->event.state, S::kClaimed);
  EXPECT_FALSE(approved->event.extension_pending);
  EXPECT_EQ(approved->event.extension_count, 1);
  // A new request may follow the decision; a denial does not count as an extension.
  absl::StatusOr<TransitionOutcome> again =
      ApplyCommand(approved->event, dept, FullCommand(A::kRequestExtension), kNow);
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<TransitionOutcome> denied = ApplyCommand(
      again->event, Caller(R::kStreetDispatcher), FullCommand(A::kDenyExtension), kNow);
  ASSERT_TRUE(denied.ok()) << denied.status();
  EXPECT_FALSE(denied->event.extension_pending);
  EXPECT_EQ(denied->event.extension_count, 1);
}

TEST(ApplyCommandTest, ApproveSuspensionStopsInSuspendedThenResumeGoesToInProgress) {
  Identity dept = Caller(R::kDepartmentOperator);
  absl::StatusOr<TransitionOutcome> req =
      ApplyCommand(MakeEvent(S::kInProgress), dept, FullCommand(A::kRequestSuspension), kNow);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->event.state, S::kInProgress);
  EXPECT_TRUE(req->event.suspension_pending);

  absl::StatusOr<TransitionOutcome> approved = ApplyCommand(
      req->event, Caller(R::kStreetDispatcher), FullCommand(A::kApproveSuspension), kNow);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->event.state, S::kSuspended);
  EXPECT_FALSE(approved->event.suspension_pending);
  EXPECT_EQ(HoldingDepartment(approved->event), kDept);
  EXPECT_EQ(NextWorkQueue(approved->event), WorkQueue::kNone);

  // While suspended, the department can neither handle nor resolve.
  for (EventAction a : {A::kAddProgress, A::kResolve, A::kRequestExtension}) {
    EXPECT_EQ(ApplyCommand(approved->event, dept, FullCommand(a), kNow).status().code(),
              absl::StatusCode::kFailedPrecondition)
        << ActionName(a);
  }

  absl::StatusOr<TransitionOutcome> resumed =
      ApplyCommand(approved->event, dept, FullCommand(A::kResume), kNow);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->event.state, S::kInProgress);
  EXPECT_EQ(resumed->event.department_id, kDept);
  EXPECT_EQ(resumed->entry.from_state, S::kSuspended);
  EXPECT_EQ(resumed->event.version, MakeEvent(S::kInProgress).version + 3);
}

TEST(ApplyCommandTest, DenySuspensionKeepsTheState) {
  Event e = MakeEvent(S::kClaimed);
  e.suspension_pending = true;
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(e, Caller(R::kDistrictDispatcher), FullCommand(A::kDenySuspension), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kClaimed);
  EXPECT_FALSE(out->event.suspension_pending);
}

TEST(ApplyCommandTest, CancelClearsOwner) {
  for (EventState s : {S::kReported, S::kAccepted, S::kDispatched, S::kClaimed, S::kInProgress,
                       S::kRejected, S::kRework, S::kSuspended}) {
    SCOPED_TRACE(StateName(s));
    Event e = MakeEvent(s);
    e.extension_pending = true;
    e.suspension_pending = true;
    absl::StatusOr<TransitionOutcome> out =
        ApplyCommand(e, Caller(R::kDistrictDispatcher), FullCommand(A::kCancel), kNow);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->event.state, S::kCancelled);
    EXPECT_EQ(out->event.department_id, "");
    EXPECT_FALSE(out->event.extension_pending);
    EXPECT_FALSE(out->event.suspension_pending);
    EXPECT_EQ(out->entry.department_id, "");
    EXPECT_EQ(HoldingDepartment(out->event), "");
    EXPECT_EQ(NextWorkQueue(out->event), WorkQueue::kNone);
  }
}

TEST(ApplyCommandTest, ReporterMayCancelOnlyBeforeTheDepartmentClaims) {
  Identity reporter = Caller(R::kGridWorker);
  for (EventState s : {S::kReported, S::kAccepted, S::kDispatched}) {
    EXPECT_TRUE(ApplyCommand(MakeEvent(s), reporter, FullCommand(A::kCancel), kNow).ok())
        << StateName(s);
  }
  for (EventState s : {S::kClaimed, S::kInProgress, S::kRejected, S::kRework, S::kSuspended}) {
    EXPECT_EQ(ApplyCommand(MakeEvent(s), reporter, FullCommand(A::kCancel), kNow).status().code(),
              absl::StatusCode::kPermissionDenied)
        << StateName(s);
  }
}

TEST(ApplyCommandTest, SelfResolveClearsOwnerAndKeepsEvidence) {
  absl::StatusOr<TransitionOutcome> out = ApplyCommand(
      MakeEvent(S::kDispatched), Caller(R::kGridWorker), FullCommand(A::kSelfResolve), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.state, S::kSelfResolved);
  EXPECT_EQ(out->event.department_id, "");
  ASSERT_EQ(out->entry.evidence.size(), 1u);
  EXPECT_EQ(out->entry.evidence[0].uri, Photo().uri);
}

TEST(ApplyCommandTest, DoesNotModifyTheCurrentEventAndLeavesSeqToTheStore) {
  const Event before = MakeEvent(S::kDispatched);
  absl::StatusOr<TransitionOutcome> out =
      ApplyCommand(before, Caller(R::kDepartmentOperator), FullCommand(A::kClaim), kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(before.state, S::kDispatched);
  EXPECT_EQ(before.version, 7);
  EXPECT_EQ(before.updated_at, kCreated);
  EXPECT_EQ(out->entry.seq, 0);
}

TEST(ApplyCommandTest, HappyPathFromReportedToEvaluated) {
  Event e = MakeEvent(S::kReported);
  e.department_id.clear();
  e.version = 1;
  struct Step {
    Role role;
    EventAction action;
    EventState to;
  };
  const std::vector<Step> steps = {
      {R::kSystem, A::kAccept, S::kAccepted},
      {R::kSystem, A::kDispatch, S::kDispatched},
      {R::kDepartmentOperator, A::kClaim, S::kClaimed},
      {R::kDepartmentOperator, A::kAddProgress, S::kInProgress},
      {R::kDepartmentOperator, A::kResolve, S::kResolved},
      {R::kGridWorker, A::kVerifyPass, S::kVerified},
      {R::kSystem, A::kClose, S::kClosed},
      {R::kLeader, A::kEvaluate, S::kEvaluated},
  };
  int64_t version = 1;
  for (const Step& step : steps) {
    Command c = FullCommand(step.action);
    c.department_id = kDept;
    absl::StatusOr<TransitionOutcome> out = ApplyCommand(e, Caller(step.role), c, kNow);
    ASSERT_TRUE(out.ok()) << ActionName(step.action) << ": " << out.status();
    EXPECT_EQ(out->event.state, step.to);
    EXPECT_EQ(out->event.version, ++version);
    e = out->event;
  }
  EXPECT_TRUE(IsTerminal(e.state));
}

// ---------------------------------------------------------------------------------------
// Queues and holders.

TEST(WorkQueueTest, NextWorkQueueForEveryState) {
  const std::vector<std::pair<EventState, WorkQueue>> want = {
      {S::kUnspecified, WorkQueue::kNone}, {S::kReported, WorkQueue::kRouter},
      {S::kAccepted, WorkQueue::kNone},    {S::kDispatched, WorkQueue::kDepartment},
      {S::kClaimed, WorkQueue::kNone},     {S::kInProgress, WorkQueue::kNone},
      {S::kResolved, WorkQueue::kNone},    {S::kVerified, WorkQueue::kNone},
      {S::kClosed, WorkQueue::kNone},      {S::kEvaluated, WorkQueue::kNone},
      {S::kNotAccepted, WorkQueue::kNone}, {S::kSelfResolved, WorkQueue::kNone},
      {S::kRejected, WorkQueue::kRouter},  {S::kRework, WorkQueue::kDepartment},
      {S::kSuspended, WorkQueue::kNone},   {S::kCancelled, WorkQueue::kNone},
      {S::kMerged, WorkQueue::kNone},
  };
  ASSERT_EQ(want.size(), static_cast<size_t>(kMaxEventState + 1));
  for (const auto& [state, queue] : want) {
    EXPECT_EQ(NextWorkQueue(MakeEvent(state)), queue) << StateName(state);
  }
}

TEST(WorkQueueTest, HoldingDepartmentForEveryState) {
  const std::set<EventState> held = {S::kDispatched, S::kClaimed, S::kInProgress, S::kRework,
                                     S::kSuspended};
  for (int s = 0; s <= kMaxEventState; ++s) {
    EventState state = static_cast<EventState>(s);
    EXPECT_EQ(HoldingDepartment(MakeEvent(state)), held.contains(state) ? kDept : "")
        << StateName(state);
  }
}

TEST(WorkQueueTest, EventsQueuedForADepartmentAreHeldByIt) {
  for (int s = 0; s <= kMaxEventState; ++s) {
    Event e = MakeEvent(static_cast<EventState>(s));
    if (NextWorkQueue(e) == WorkQueue::kDepartment) {
      EXPECT_EQ(HoldingDepartment(e), kDept) << StateName(e.state);
    }
  }
}

}  // namespace
}  // namespace zhiwang

// ---- org (issue 3): adjudication is binding; triage, recategorise, co-handling.
namespace zhiwang {
namespace {

TEST(AdjudicationTest,
     DispatcherAssignmentOfEventAwaitingAdjudicationIsBindingAndCannotBeRejected) {
  Event e = MakeEvent(S::kRejected);
  e.department_id.clear();
  e.rejected_by = {"dep_a", "dep_b"};
  e.triage_centre_id = "centre_1";
  e.awaiting_adjudication = true;
  Command assign;
  assign.action = A::kDispatch;
  assign.department_id = kDept;
  absl::StatusOr<TransitionOutcome> a = ApplyCommand(e, Caller(R::kStreetDispatcher), assign, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(a->event.binding_assignment);
  EXPECT_FALSE(a->event.awaiting_adjudication);
  EXPECT_EQ(a->event.triage_centre_id, "");

  Command reject;
  reject.action = A::kReject;
  reject.reason_code = "NOT_OUR_JURISDICTION";
  absl::StatusOr<TransitionOutcome> r =
      ApplyCommand(a->event, Caller(R::kDepartmentOperator), reject, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("binding"), absl::string_view::npos) << r.status();
  EXPECT_NE(r.status().message().find("'dispatched'"), absl::string_view::npos) << r.status();
}

TEST(AdjudicationTest, RouterDispatchIsNeverBindingAndMayBeRejected) {
  Event e = MakeEvent(S::kRejected);
  e.rejected_by = {"dep_a"};
  Command c;
  c.action = A::kDispatch;
  c.department_id = kDept;
  absl::StatusOr<TransitionOutcome> a = ApplyCommand(e, Caller(R::kSystem), c, kNow);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_FALSE(a->event.binding_assignment);
  Command reject;
  reject.action = A::kReject;
  reject.reason_code = "NOT_OUR_JURISDICTION";
  EXPECT_TRUE(ApplyCommand(a->event, Caller(R::kDepartmentOperator), reject, kNow).ok());
}

TEST(AdjudicationTest, TriageForAdjudicationMarksTheEventAndTakesItOutOfTheRouterQueue) {
  Event e = MakeEvent(S::kRejected);
  EXPECT_EQ(NextWorkQueue(e), WorkQueue::kRouter);
  Command c;
  c.action = A::kTriage;
  c.triage_centre_id = "centre_1";
  c.reason_code = kTriageAdjudication;
  absl::StatusOr<TransitionOutcome> t = ApplyCommand(e, Caller(R::kSystem), c, kNow);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->event.awaiting_adjudication);
  EXPECT_EQ(TriageCentre(t->event), "centre_1");
  EXPECT_EQ(NextWorkQueue(t->event), WorkQueue::kNone);
  EXPECT_FALSE(RoutedAgain(e, t->event));
  EXPECT_EQ(t->entry.reason_code, "adjudication");
}

TEST(RecategoriseTest, KeepsTheOldCategoryAndSendsATriagedEventBackToTheRouter) {
  Event e = MakeEvent(S::kAccepted);
  e.category_code = "0101";
  e.triage_centre_id = "centre_1";
  Command c;
  c.action = A::kRecategorise;
  c.category_code = "0301";
  c.note = "it is a building site";
  c.reason_code = kClockKeep;
  absl::StatusOr<TransitionOutcome> r = ApplyCommand(e, Caller(R::kStreetDispatcher), c, kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->event.category_code, "0301");
  EXPECT_EQ(r->event.previous_category_codes, std::vector<std::string>{"0101"});
  EXPECT_TRUE(RoutedAgain(e, r->event));
  EXPECT_EQ(r->entry.reason_code, "clock_keep");

  c.category_code = "0301";
  absl::StatusOr<TransitionOutcome> same =
      ApplyCommand(r->event, Caller(R::kStreetDispatcher), c, kNow);
  EXPECT_EQ(same.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CoHandlingTest, TheLeadMayNotAlsoAssistAndRejectionEndsCoHandling) {
  Event e = MakeEvent(S::kClaimed);
  Command c;
  c.action = A::kCoHandle;
  c.assisting_department_ids = {kDept};
  EXPECT_EQ(ApplyCommand(e, Caller(R::kStreetDispatcher), c, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  c.assisting_department_ids = {"water", "police"};
  absl::StatusOr<TransitionOutcome> co = ApplyCommand(e, Caller(R::kStreetDispatcher), c, kNow);
  ASSERT_TRUE(co.ok()) << co.status();
  EXPECT_EQ(co->event.department_id, kDept);  // the lead keeps the event and its clock
  EXPECT_EQ(co->event.assisting_department_ids, (std::vector<std::string>{"water", "police"}));
  Command reject;
  reject.action = A::kReject;
  reject.reason_code = "NOT_OUR_JURISDICTION";
  absl::StatusOr<TransitionOutcome> r =
      ApplyCommand(co->event, Caller(R::kDepartmentOperator), reject, kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->event.assisting_department_ids.empty());
}

TEST(UnmergeTest, UnmergedEventIsAcceptedWithoutMasterAndRoutedAgain) {
  Event e = MakeEvent(S::kMerged);
  e.department_id.clear();
  e.merged_into = "440304-20261127-0000000002";
  EXPECT_EQ(MasterOf(e), "440304-20261127-0000000002");
  Command c;
  c.action = A::kUnmerge;
  c.note = "not the same problem";
  absl::StatusOr<TransitionOutcome> u = ApplyCommand(e, Caller(R::kDistrictDispatcher), c, kNow);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->event.state, S::kAccepted);
  EXPECT_EQ(MasterOf(u->event), "");
  EXPECT_TRUE(RoutedAgain(e, u->event));
}

}  // namespace
}  // namespace zhiwang
