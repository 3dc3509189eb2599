#ifndef ZHIWANG_COMMON_DOMAIN_EVENT_H_
#define ZHIWANG_COMMON_DOMAIN_EVENT_H_

// The event (案件) and its timeline as the domain sees them: plain structs, no protobuf.
// Enum values equal the numbers of the zhiwang.v1 proto enums of the same name, so the
// adapters convert with a range-checked cast.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace zhiwang {

enum class EventState : int {
  kUnspecified = 0,
  kReported = 1,
  kAccepted = 2,
  kDispatched = 3,
  kClaimed = 4,
  kInProgress = 5,
  kResolved = 6,
  kVerified = 7,
  kClosed = 8,
  kEvaluated = 9,
  kNotAccepted = 10,
  kSelfResolved = 11,
  kRejected = 12,
  kRework = 13,
  kSuspended = 14,
  kCancelled = 15,
  kMerged = 16,
};
inline constexpr int kMaxEventState = 16;

enum class EventAction : int {
  kUnspecified = 0,
  kReport = 1,
  kAccept = 2,
  kNotAccept = 3,
  kDispatch = 4,
  kClaim = 5,
  kAddProgress = 6,
  kResolve = 7,
  kReject = 8,
  kVerifyPass = 9,
  kVerifyFail = 10,
  kClose = 11,
  kEvaluate = 12,
  kSelfResolve = 13,
  kCancel = 14,
  kMerge = 15,
  kRequestExtension = 16,
  kApproveExtension = 17,
  kDenyExtension = 18,
  kRequestSuspension = 19,
  kApproveSuspension = 20,
  kDenySuspension = 21,
  kResume = 22,
  // ---- org (issue 3): 30–39
  kTriage = 30,        // the router queues the event for a dispatch centre
  kUnmerge = 31,       // a dispatcher undoes a merge; routed again
  kRecategorise = 32,  // a dispatcher fixes the category
  kCoHandle = 33,      // a dispatcher sets the assisting departments
  // dq (issue 5): actions 50–59.
  kReassign = 50,  // a dispatcher moves held work to another department
};
inline constexpr int kMaxEventAction = 33;
// kMaxEventAction ends the dense range 0..33 (23–29 unused); beyond it the sparse
// reserved ranges start (sla 40–49, dq 50–59). kDqLastAction is the highest number in use.
inline constexpr int kDqFirstAction = 50;
inline constexpr int kDqLastAction = 50;
// True for every action number this build knows (ActionName names it).
bool IsKnownAction(int action);

enum class Role : int {
  kUnspecified = 0,
  kGridWorker = 1,
  kCommunityStaff = 2,
  kStreetDispatcher = 3,
  kDistrictDispatcher = 4,
  kDepartmentOperator = 5,
  kDepartmentSystem = 6,
  kLeader = 7,
  kAuditor = 8,
  kAdmin = 9,
  kSystem = 10,
};
inline constexpr int kMaxRole = 10;

enum class Urgency : int { kUnspecified = 0, kNormal = 1, kUrgent = 2, kEmergency = 3 };
enum class Source : int {
  kUnspecified = 0,
  kGridWorker = 1,
  kHotline = 2,
  kResidentApp = 3,
  kDepartment = 4,
  kSensor = 5,
};

// Stable lower-case names used in logs, metadata and docs ("reported", "claim", ...).
absl::string_view StateName(EventState s);
absl::string_view ActionName(EventAction a);
absl::string_view RoleName(Role r);
// Parses RoleName's output; kUnspecified when unknown.
Role RoleFromName(absl::string_view name);

// Who is calling. Built by the RPC layer from call metadata; recorded on every timeline
// entry.
struct Identity {
  std::string subject;  // e.g. "worker-0001"
  Role role = Role::kUnspecified;
  std::string area;           // area scope: a district, street, community or grid id
  std::string department_id;  // for department roles
};

struct Attachment {
  std::string uri;
  std::string content_type;
  int64_t size_bytes = 0;
  std::string sha256;
};

struct Location {
  double latitude = 0;
  double longitude = 0;
  std::string grid_id;
  std::string address;
};

struct Reporter {
  std::string subject;
  Role role = Role::kUnspecified;
  std::string name;
  std::string phone;
};

// org (issue 3): why a routing decision was made (zhiwang.v1.RoutingExplanation).
struct RoutingExplanation {
  std::string rule_id;  // "" when no rule matched
  std::string scope;    // "grid", "community", "street", "district" or ""
  std::string area_id;
  std::string department_id;  // "" when sent to triage
  std::string reason;
  std::string triage_centre_id;
};

struct Event {
  std::string id;
  std::string district_id;
  std::string street_id;
  std::string community_id;
  std::string category_code;
  Urgency urgency = Urgency::kUnspecified;
  Source source = Source::kUnspecified;
  Location location;
  std::string description;
  Reporter reporter;
  std::vector<Attachment> attachments;
  EventState state = EventState::kUnspecified;
  int64_t version = 0;
  std::string department_id;
  std::vector<std::string> rejected_by;
  int32_t rework_count = 0;
  std::string merged_into;
  absl::Time created_at = absl::UnixEpoch();
  absl::Time updated_at = absl::UnixEpoch();
  bool extension_pending = false;
  bool suspension_pending = false;
  int32_t extension_count = 0;
  // ---- org (issue 3): proto fields 60–79
  std::string located_grid_id;  // point-in-polygon result, "" when not located
  bool grid_mismatch = false;   // located_grid_id differs from location.grid_id
  bool cross_street = false;    // reported and located grids lie in different streets
  RoutingExplanation routing;   // the last routing decision
  std::vector<std::string> assisting_department_ids;  // co-handling; department_id leads
  bool binding_assignment = false;                   // assigned by adjudication: cannot be rejected
  bool awaiting_adjudication = false;                // in a centre's queue after max rejections
  std::string triage_centre_id;                      // whose triage queue holds it, "" when none
  std::vector<std::string> previous_category_codes;  // oldest first
  // dq (issue 5): fencing. `assignment_token` is the event version at which the event
  // was last queued to its department (dispatch, reassign, rework): every delivery of
  // that assignment carries it, and department operations quoting an older token are
  // refused (FAILED_PRECONDITION). `claimed_by` is the subject that claimed the work;
  // another operator of the same department may not act on it.
  int64_t assignment_token = 0;
  std::string claimed_by;
  // ---- auth (issue 7): proto fields 90–99
  // Every department that ever led or assisted on the event, in order of first
  // involvement; maintained by ApplyCommand, never shrinks. A department keeps read access
  // to the events it handled (access_policy.h).
  std::vector<std::string> department_history;
};

struct TimelineEntry {
  int64_t seq = 0;
  absl::Time at = absl::UnixEpoch();
  std::string actor_subject;
  Role actor_role = Role::kUnspecified;
  std::string actor_department_id;
  EventState from_state = EventState::kUnspecified;
  EventState to_state = EventState::kUnspecified;
  EventAction action = EventAction::kUnspecified;
  std::string note;
  std::string department_id;
  std::vector<Attachment> evidence;
  std::string reason_code;
};

// The district an event id belongs to: ids are "<district>-<date>-<random>".
std::string DistrictOfEventId(absl::string_view event_id);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_EVENT_H_
