#include "services/sla/sla_convert.h"

namespace zhiwang::sla {

void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  int64_t ns = absl::ToUnixNanos(t);
  int64_t s = ns / 1'000'000'000;
  int64_t rem = ns % 1'000'000'000;
  if (rem < 0) {
    rem += 1'000'000'000;
    --s;
  }
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(rem));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

void ToProto(const SlaRecord& r, v1::SlaRecord* out) {
  out->set_event_id(r.event_id);
  out->set_version(r.version);
  out->set_stage(static_cast<v1::SlaStage>(r.stage));
  out->set_stage_seq(r.stage_seq);
  out->set_generation(r.generation);
  out->set_working_time(r.working_time);
  out->set_limit_ms(absl::ToInt64Milliseconds(r.limit));
  out->set_consumed_ms(absl::ToInt64Milliseconds(r.consumed));
  ToProto(r.run_started, out->mutable_run_started());
  out->set_suspended(r.suspended);
  ToProto(r.stage_started, out->mutable_stage_started());
  ToProto(r.deadline, out->mutable_deadline());
  out->set_suspended_total_ms(absl::ToInt64Milliseconds(r.suspended_total));
  out->set_extensions(r.extensions);
  out->set_yellow_share(r.yellow_share);
  for (const std::string& m : r.armed_timers) out->add_armed_timers(m);
  out->set_department_id(r.facts.department_id);
  out->set_street_id(r.facts.street_id);
  out->set_category_code(r.facts.category_code);
  out->set_urgency(static_cast<v1::Urgency>(r.facts.urgency));
  out->set_calendar_district(r.facts.district_id);
}

SlaRecord FromProto(const v1::SlaRecord& p) {
  SlaRecord r;
  r.event_id = p.event_id();
  r.version = p.version();
  int stage = p.stage();
  r.stage = stage >= 0 && stage <= kMaxStage ? static_cast<Stage>(stage) : Stage::kNone;
  r.stage_seq = p.stage_seq();
  r.generation = p.generation();
  r.working_time = p.working_time();
  r.limit = absl::Milliseconds(p.limit_ms());
  r.consumed = absl::Milliseconds(p.consumed_ms());
  r.run_started = FromProto(p.run_started());
  r.suspended = p.suspended();
  r.stage_started = FromProto(p.stage_started());
  r.deadline = FromProto(p.deadline());
  r.suspended_total = absl::Milliseconds(p.suspended_total_ms());
  r.extensions = p.extensions();
  r.yellow_share = p.yellow_share();
  r.armed_timers.assign(p.armed_timers().begin(), p.armed_timers().end());
  r.facts.department_id = p.department_id();
  r.facts.street_id = p.street_id();
  r.facts.category_code = p.category_code();
  r.facts.urgency = static_cast<Urgency>(p.urgency());
  r.facts.district_id = p.calendar_district();
  return r;
}

void ToProto(const Notice& n, v1::Notification* out) {
  out->set_id(n.id);
  out->set_kind(static_cast<v1::NotificationKind>(n.kind));
  out->set_district_id(n.district_id);
  out->set_event_id(n.event_id);
  out->set_department_id(n.department_id);
  out->set_street_id(n.street_id);
  out->set_recipient(static_cast<v1::RecipientLevel>(n.recipient));
  out->set_stage(n.stage);
  out->set_rung(n.rung);
  ToProto(n.deadline, out->mutable_deadline());
  if (n.fired_at != absl::Time()) ToProto(n.fired_at, out->mutable_fired_at());
  out->set_message(n.message);
  out->set_supervision_order_id(n.supervision_order_id);
}

Notice FromProto(const v1::Notification& p) {
  Notice n;
  n.id = p.id();
  int kind = p.kind();
  n.kind = kind >= 0 && kind <= kMaxNoticeKind ? static_cast<NoticeKind>(kind)
                                               : NoticeKind::kUnspecified;
  n.district_id = p.district_id();
  n.event_id = p.event_id();
  n.department_id = p.department_id();
  n.street_id = p.street_id();
  int rec = p.recipient();
  n.recipient =
      rec >= 0 && rec <= kMaxRecipient ? static_cast<Recipient>(rec) : Recipient::kUnspecified;
  n.stage = p.stage();
  n.rung = p.rung();
  n.deadline = FromProto(p.deadline());
  if (p.has_fired_at()) n.fired_at = FromProto(p.fired_at());
  n.message = p.message();
  n.supervision_order_id = p.supervision_order_id();
  return n;
}

void ToProto(const SupervisionOrder& o, v1::SupervisionOrder* out) {
  out->set_id(o.id);
  out->set_event_id(o.event_id);
  if (o.opened_at != absl::Time()) ToProto(o.opened_at, out->mutable_opened_at());
  ToProto(o.deadline, out->mutable_deadline());
  out->set_recipient(static_cast<v1::RecipientLevel>(o.recipient));
}

SupervisionOrder FromProto(const v1::SupervisionOrder& p) {
  SupervisionOrder o;
  o.id = p.id();
  o.event_id = p.event_id();
  if (p.has_opened_at()) o.opened_at = FromProto(p.opened_at());
  o.deadline = FromProto(p.deadline());
  int rec = p.recipient();
  o.recipient =
      rec >= 0 && rec <= kMaxRecipient ? static_cast<Recipient>(rec) : Recipient::kUnspecified;
  return o;
}

}  // namespace zhiwang::sla
