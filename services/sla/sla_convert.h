#ifndef ZHIWANG_SERVICES_SLA_SLA_CONVERT_H_
#define ZHIWANG_SERVICES_SLA_SLA_CONVERT_H_

// SLA domain ⇄ zhiwang.v1 protobuf (sla.proto, notification.proto).

#include "google/protobuf/timestamp.pb.h"
#include "services/sla/sla_clock.h"
#include "zhiwang/v1/notification.pb.h"
#include "zhiwang/v1/sla.pb.h"

namespace zhiwang::sla {

void ToProto(absl::Time t, google::protobuf::Timestamp* out);
absl::Time FromProto(const google::protobuf::Timestamp& t);

void ToProto(const SlaRecord& r, v1::SlaRecord* out);
// Fields kept by the store (fired rungs, orders) are not in the blob and stay empty.
SlaRecord FromProto(const v1::SlaRecord& p);

void ToProto(const Notice& n, v1::Notification* out);
Notice FromProto(const v1::Notification& p);

void ToProto(const SupervisionOrder& o, v1::SupervisionOrder* out);
SupervisionOrder FromProto(const v1::SupervisionOrder& p);

}  // namespace zhiwang::sla

#endif  // ZHIWANG_SERVICES_SLA_SLA_CONVERT_H_
