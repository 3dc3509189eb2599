#include "services/console/evaluation_convert.h"

#include "absl/strings/str_cat.h"
#include "services/console/evaluation_csv.h"

namespace zhiwang::console {
namespace {

google::protobuf::Duration DurationProto(absl::Duration d) {
  google::protobuf::Duration out;
  int64_t s = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(s);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

absl::Duration FromDurationProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

}  // namespace

v1::Rate ToProto(const Ratio& r) {
  v1::Rate out;
  out.set_numerator(r.numerator);
  out.set_denominator(r.denominator);
  out.set_defined(r.defined());
  out.set_percent(FormatPercent(r));
  return out;
}

void ToProto(const std::string& group_id, const Figures& f, v1::GroupFigures* out) {
  out->set_group_id(group_id);
  out->set_due(f.due);
  out->set_suspended(f.suspended);
  out->set_on_time(f.on_time);
  out->set_overdue(f.overdue);
  out->set_handled(f.handled);
  *out->mutable_handling_total() = DurationProto(f.handling_total);
  *out->mutable_handling_p90() = DurationProto(f.handling_p90);
  if (std::optional<absl::Duration> mean = f.MeanHandling()) {
    *out->mutable_handling_mean() = DurationProto(*mean);
  }
  out->set_verifications(f.verifications);
  out->set_reworks(f.reworks);
  out->set_assignments(f.assignments);
  out->set_rejected_assignments(f.rejected_assignments);
  out->set_buck_passing(f.buck_passing);
  out->set_accepted(f.accepted);
  out->set_closed_fixed(f.closed_fixed);
  out->set_closed_not_fixed(f.closed_not_fixed);
  out->set_reports(f.reports);
  out->set_valid_reports(f.valid_reports);
  out->set_invalid_reports(f.invalid_reports);
  out->set_pending_reports(f.pending_reports);
  *out->mutable_on_time_rate() = ToProto(f.OnTimeRate());
  *out->mutable_closure_rate() = ToProto(f.ClosureRate());
  *out->mutable_fixed_rate() = ToProto(f.FixedRate());
  *out->mutable_rework_rate() = ToProto(f.ReworkRate());
  *out->mutable_rejection_rate() = ToProto(f.RejectionRate());
  *out->mutable_valid_report_rate() = ToProto(f.ValidReportRate());
}

Figures FiguresFromProto(const v1::GroupFigures& p) {
  Figures f;
  f.due = p.due();
  f.suspended = p.suspended();
  f.on_time = p.on_time();
  f.overdue = p.overdue();
  f.handled = p.handled();
  f.handling_total = FromDurationProto(p.handling_total());
  f.handling_p90 = FromDurationProto(p.handling_p90());
  f.verifications = p.verifications();
  f.reworks = p.reworks();
  f.assignments = p.assignments();
  f.rejected_assignments = p.rejected_assignments();
  f.buck_passing = p.buck_passing();
  f.accepted = p.accepted();
  f.closed_fixed = p.closed_fixed();
  f.closed_not_fixed = p.closed_not_fixed();
  f.reports = p.reports();
  f.valid_reports = p.valid_reports();
  f.invalid_reports = p.invalid_reports();
  f.pending_reports = p.pending_reports();
  return f;
}

v1::EvaluationSnapshot ToSnapshot(const GroupFigures& figures) {
  v1::EvaluationSnapshot out;
  for (const auto& [id, f] : figures) ToProto(id, f, out.add_groups());
  return out;
}

GroupFigures FromSnapshot(const v1::EvaluationSnapshot& snapshot) {
  GroupFigures out;
  for (const v1::GroupFigures& g : snapshot.groups()) out[g.group_id()] = FiguresFromProto(g);
  return out;
}

v1::EvaluationGrouping ToProto(Grouping g) {
  switch (g) {
    case Grouping::kDistrict:
      return v1::EVALUATION_GROUPING_DISTRICT;
    case Grouping::kDepartment:
      return v1::EVALUATION_GROUPING_DEPARTMENT;
    case Grouping::kStreet:
      return v1::EVALUATION_GROUPING_STREET;
    case Grouping::kCommunity:
      return v1::EVALUATION_GROUPING_COMMUNITY;
    case Grouping::kGridWorker:
      return v1::EVALUATION_GROUPING_WORKER;
  }
  return v1::EVALUATION_GROUPING_UNSPECIFIED;
}

absl::StatusOr<Grouping> GroupingFromProto(int g) {
  switch (g) {
    case v1::EVALUATION_GROUPING_DISTRICT:
      return Grouping::kDistrict;
    case v1::EVALUATION_GROUPING_DEPARTMENT:
      return Grouping::kDepartment;
    case v1::EVALUATION_GROUPING_STREET:
      return Grouping::kStreet;
    case v1::EVALUATION_GROUPING_COMMUNITY:
      return Grouping::kCommunity;
    case v1::EVALUATION_GROUPING_WORKER:
      return Grouping::kGridWorker;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("grouping: ", g, " is not a grouping (district, department, street, ",
                       "community, worker)"));
  }
}

}  // namespace zhiwang::console
