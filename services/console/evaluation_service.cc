#include "services/console/evaluation_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/rpc/convert.h"
#include "common/rpc/status.h"
#include "services/console/evaluation_convert.h"
#include "services/console/evaluation_csv.h"

namespace zhiwang::console {
namespace {

// The longest custom range: a year and a day (a leap year's report).
constexpr absl::Duration kMaxRange = absl::Hours(24 * 367);

absl::StatusOr<Period> PeriodOf(const v1::EvaluateRequest& req, const absl::TimeZone& tz) {
  absl::CivilDay day;
  absl::CivilMonth month;
  switch (req.period_case()) {
    case v1::EvaluateRequest::kDay:
      if (!absl::ParseCivilTime(req.day(), &day)) {
        return absl::InvalidArgumentError(absl::StrCat("day: '", req.day(), "' is not YYYY-MM-DD"));
      }
      return DayPeriod(day, tz);
    case v1::EvaluateRequest::kWeek:
      if (!absl::ParseCivilTime(req.week(), &day)) {
        return absl::InvalidArgumentError(
            absl::StrCat("week: '", req.week(), "' is not a day YYYY-MM-DD"));
      }
      return WeekPeriod(day, tz);
    case v1::EvaluateRequest::kMonth:
      if (!absl::ParseCivilTime(req.month(), &month)) {
        return absl::InvalidArgumentError(
            absl::StrCat("month: '", req.month(), "' is not YYYY-MM"));
      }
      return MonthPeriod(month, tz);
    case v1::EvaluateRequest::kRange: {
      absl::StatusOr<Period> p =
          MakePeriod(FromProto(req.range().from()), FromProto(req.range().to()));
      if (!p.ok()) return absl::InvalidArgumentError(absl::StrCat("range.", p.status().message()));
      if (p->to - p->from > kMaxRange) {
        return absl::InvalidArgumentError("range: at most 367 days");
      }
      return p;
    }
    case v1::EvaluateRequest::PERIOD_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("period: one of day, week, month or range is required");
}

}  // namespace

absl::StatusOr<EvaluationQuery> EvaluationService::QueryFor(const Identity& who,
                                                            const v1::EvaluateRequest& req) {
  if (req.district_id().empty()) return absl::InvalidArgumentError("district_id is required");
  absl::StatusOr<Grouping> grouping = GroupingFromProto(req.grouping());
  if (!grouping.ok()) return grouping.status();
  // Who may ask comes before the district's configuration, so a caller refused by role or
  // area learns nothing about which districts are configured.
  std::string scope;
  switch (who.role) {
    case Role::kAdmin:
    case Role::kAuditor:
      break;
    case Role::kLeader:
    case Role::kDistrictDispatcher:
    case Role::kStreetDispatcher: {
      if (who.area == req.district_id()) break;
      std::shared_ptr<const District> d = who.area.empty() ? nullptr : orgs_->FindByArea(who.area);
      if (d == nullptr || d->id() != req.district_id()) {
        return absl::PermissionDeniedError(absl::StrCat("district_id: area '", who.area,
                                                        "' of the caller is not in district ",
                                                        req.district_id()));
      }
      scope = who.area;
      break;
    }
    default:
      return absl::PermissionDeniedError(
          absl::StrCat("role ", RoleName(who.role),
                       " may not read evaluations (leaders, dispatchers, "
                       "auditors and admins may)"));
  }
  absl::StatusOr<absl::TimeZone> tz = runner_->TimeZoneOf(req.district_id());
  if (!tz.ok()) return tz.status();
  absl::StatusOr<Period> period = PeriodOf(req, *tz);
  if (!period.ok()) return period.status();

  EvaluationQuery q{.district_id = req.district_id(), .period = *period, .grouping = *grouping};
  q.scope = scope;
  return q;
}

grpc::ServerUnaryReactor* EvaluationService::Evaluate(grpc::CallbackServerContext* ctx,
                                                      const v1::EvaluateRequest* req,
                                                      v1::EvaluateResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    absl::StatusOr<EvaluationQuery> q = QueryFor(who, *req);
    if (!q.ok()) return finish(q.status());
    runner_->Run(*q, [q = *q, resp, finish](absl::StatusOr<EvaluationResult> r) {
      if (!r.ok()) return finish(r.status());
      *resp->mutable_period_from() = ::zhiwang::ToProto(q.period.from);
      *resp->mutable_period_to() = ::zhiwang::ToProto(q.period.to);
      resp->set_grouping(ToProto(q.grouping));
      for (const auto& [id, f] : r->figures) ToProto(id, f, resp->add_groups());
      resp->set_final(r->final);
      resp->set_from_cache(r->from_cache);
      resp->set_scope(q.scope);
      finish(absl::OkStatus());
    });
  });
}

grpc::ServerUnaryReactor* EvaluationService::ExportEvaluationCsv(grpc::CallbackServerContext* ctx,
                                                                 const v1::EvaluateRequest* req,
                                                                 v1::EvaluationCsvFile* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    absl::StatusOr<EvaluationQuery> q = QueryFor(who, *req);
    if (!q.ok()) return finish(q.status());
    runner_->Run(*q, [q = *q, resp, finish](absl::StatusOr<EvaluationResult> r) {
      if (!r.ok()) return finish(r.status());
      resp->set_content(EvaluationCsv(r->figures, q.grouping));
      resp->set_filename(
          absl::StrCat("evaluation-", q.district_id, q.scope.empty() ? "" : "-", q.scope, "-",
                       GroupingName(q.grouping), "-",
                       absl::FormatTime("%Y%m%d%H%M", q.period.from, absl::UTCTimeZone()), "-",
                       absl::FormatTime("%Y%m%d%H%M", q.period.to, absl::UTCTimeZone()), ".csv"));
      finish(absl::OkStatus());
    });
  });
}

}  // namespace zhiwang::console
