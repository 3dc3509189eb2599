#ifndef ZHIWANG_COMMON_RPC_CONVERT_H_
#define ZHIWANG_COMMON_RPC_CONVERT_H_

// Domain structs ⇄ zhiwang.v1 protobuf messages. Used by the gRPC adapters and by the
// Redis store, which keeps events and timeline entries as serialized protobuf.
// Enum values outside the known range: states, roles and actions convert to kUnspecified;
// urgency and source convert to an invalid value (-1) so that report validation refuses
// them by field name instead of silently applying a default.

#include "common/domain/event.h"
#include "common/domain/organisation.h"
#include "common/domain/report.h"
#include "google/protobuf/timestamp.pb.h"
#include "zhiwang/v1/event.pb.h"
#include "zhiwang/v1/intake.pb.h"
#include "zhiwang/v1/organisation.pb.h"

namespace zhiwang {

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& t);

v1::Attachment ToProto(const Attachment& a);
Attachment FromProto(const v1::Attachment& a);
std::vector<Attachment> FromProto(const google::protobuf::RepeatedPtrField<v1::Attachment>& list);

void ToProto(const Event& e, v1::Event* out);
Event FromProto(const v1::Event& e);

void ToProto(const TimelineEntry& t, v1::TimelineEntry* out);
TimelineEntry FromProto(const v1::TimelineEntry& t);

ReportInput FromProto(const v1::ReportEventRequest& r);

void ToProto(const DistrictOrg& d, v1::District* out);
DistrictOrg FromProto(const v1::District& d);
// org (issue 3)
void ToProto(const RoutingExplanation& r, v1::RoutingExplanation* out);
RoutingExplanation FromProto(const v1::RoutingExplanation& p);

// Range-checked enum conversion (see above for what unknown numbers become).
EventState StateFromProto(int v);
Role RoleFromProto(int v);
Urgency UrgencyFromProto(int v);
Source SourceFromProto(int v);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_RPC_CONVERT_H_
