// zwctl demo and zwctl get: drive events through the lifecycle over the public API and
// print their journeys from the timelines.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/domain/geo_index.h"
#include "tools/zwctl/zwctl.h"
#include "zhiwang/v1/dispatch.grpc.pb.h"
#include "zhiwang/v1/intake.grpc.pb.h"

namespace zhiwang::zwctl {
namespace {

// Local early return for absl::Status-returning steps.
#define ZWCTL_RETURN_IF_ERROR(expr)      \
  do {                                   \
    absl::Status zwctl_s_ = (expr);      \
    if (!zwctl_s_.ok()) return zwctl_s_; \
  } while (0)

#define ZWCTL_ASSIGN_OR_RETURN(lhs, expr)         \
  auto lhs##_or_ = (expr);                        \
  if (!lhs##_or_.ok()) return lhs##_or_.status(); \
  auto lhs = std::move(*lhs##_or_)

absl::Status UnexpectedState(absl::string_view rpc, const v1::Event& e, v1::EventState want) {
  return absl::FailedPreconditionError(absl::StrCat(rpc, ": event ", e.id(), " is '",
                                                    StateName(e.state()), "', expected '",
                                                    StateName(want), "'"));
}

const v1::Category* FindCategory(const v1::District& d, absl::string_view code) {
  for (const v1::Category& c : d.categories()) {
    if (c.code() == code) return &c;
  }
  return nullptr;
}

const v1::Department* FindDepartment(const v1::District& d, absl::string_view id) {
  for (const v1::Department& dep : d.departments()) {
    if (dep.id() == id) return &dep;
  }
  return nullptr;
}

// The API client for one demo run: stubs, the district, the identities in play, and a
// run nonce that keeps client_request_ids unique across runs (a retry of the same step in
// the same run would reuse its id).
class Demo {
 public:
  Demo(v1::District district, const std::string& intake, const std::string& dispatch)
      : district_(std::move(district)),
        intake_(v1::IntakeService::NewStub(Dial(intake))),
        dispatch_(v1::DispatchService::NewStub(Dial(dispatch))),
        deadline_(absl::GetFlag(FLAGS_rpc_deadline)),
        nonce_(absl::StrFormat("%x", absl::ToUnixMicros(absl::Now()))) {}

  const v1::District& district() const { return district_; }

  // Picks the grid the grid worker walks (the first grid) and its street.
  absl::Status Setup() {
    if (district_.grids().empty()) {
      return absl::InvalidArgumentError("the district has no grids");
    }
    // org (issue 3): a random grid each run, so that a run's events are never folded into
    // open events of an earlier run as duplicates (same category within 250 m).
    const v1::Grid& grid = district_.grids(std::min<int>(
        district_.grids_size() - 1, static_cast<int>(Uniform() * district_.grids_size())));
    polygon_.clear();
    for (const v1::LatLng& v : grid.polygon()) polygon_.push_back({v.lat(), v.lng()});
    std::string street;
    for (const v1::Community& c : district_.communities()) {
      if (c.id() == grid.community_id()) street = c.street_id();
    }
    worker_ = Identity{absl::StrCat("demo-gw-", grid.id()), "grid_worker", grid.id(), ""};
    dispatcher_ = Identity{"demo-dispatcher", "street_dispatcher",
                           street.empty() ? district_.id() : street, ""};
    grid_id_ = grid.id();
    return absl::OkStatus();
  }

  // The department operator's identity for `department_id`.
  Identity Operator(const std::string& department_id) const {
    const v1::Department* dep = FindDepartment(district_, department_id);
    std::string area = district_.id();
    if (dep != nullptr && !dep->street_id().empty()) area = dep->street_id();
    return Identity{"demo-operator", "department_operator", area, department_id};
  }

  absl::StatusOr<v1::Event> Report(absl::string_view step, const std::string& category,
                                   const std::string& description) {
    v1::ReportEventRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_category_code(category);
    req.set_source(v1::SOURCE_GRID_WORKER);
    // A random point in Futian (about 22.52–22.56 N, 114.02–114.08 E); with grid polygons
    // (issue 3), a point inside the reported grid, so that it is not flagged as a mismatch.
    req.mutable_location()->set_latitude(22.52 + Uniform() * 0.04);
    req.mutable_location()->set_longitude(114.02 + Uniform() * 0.06);
    if (std::optional<LatLng> inside = InteriorPoint(polygon_)) {
      req.mutable_location()->set_latitude(inside->lat);
      req.mutable_location()->set_longitude(inside->lng);
    }
    req.mutable_location()->set_grid_id(grid_id_);
    req.set_description(description);
    req.set_reporter_name("演示网格员");
    *req.add_attachments() = Photo(step);
    v1::ReportEventResponse resp;
    auto report = [&](grpc::ClientContext* ctx) { return intake_->ReportEvent(ctx, req, &resp); };
    absl::Status s = Call("ReportEvent", worker_, report);
    // The services pick up a newly loaded district on their next organisation refresh
    // (about a second), and until then refuse its grid. So the run's first report is
    // retried, with the same client_request_id, for at most --router_wait.
    const absl::Time give_up = absl::Now() + absl::GetFlag(FLAGS_router_wait);
    while (!district_seen_ && absl::Now() < give_up &&
           (s.code() == absl::StatusCode::kInvalidArgument ||
            s.code() == absl::StatusCode::kFailedPrecondition ||
            s.code() == absl::StatusCode::kNotFound)) {
      absl::SleepFor(absl::Milliseconds(100));
      s = Call("ReportEvent", worker_, report);
    }
    ZWCTL_RETURN_IF_ERROR(s);
    district_seen_ = true;
    return resp.event();
  }

  // Polls GetEvent until the router has dispatched the event to a department other than
  // `not_to` (empty: any), at most --router_wait.
  absl::StatusOr<v1::Event> WaitDispatched(const std::string& event_id, const std::string& not_to) {
    const absl::Time give_up = absl::Now() + absl::GetFlag(FLAGS_router_wait);
    v1::Event last;
    for (;;) {
      ZWCTL_ASSIGN_OR_RETURN(got, Get(event_id, false));
      last = got.event();
      if (last.state() == v1::EVENT_STATE_DISPATCHED && last.department_id() != not_to) {
        return last;
      }
      if (last.state() == v1::EVENT_STATE_MERGED || last.state() == v1::EVENT_STATE_CANCELLED ||
          last.state() == v1::EVENT_STATE_NOT_ACCEPTED) {
        return absl::FailedPreconditionError(absl::StrCat(
            "event ", event_id, " ended '", StateName(last.state()),
            "' instead of being dispatched",
            last.merged_into().empty() ? ""
                                       : absl::StrCat(" (merged into ", last.merged_into(), ")")));
      }
      if (absl::Now() >= give_up) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return absl::DeadlineExceededError(
        absl::StrCat("the router did not dispatch event ", event_id, " within ",
                     absl::FormatDuration(absl::GetFlag(FLAGS_router_wait)), " (still '",
                     StateName(last.state()), "'", last.department_id().empty() ? "" : " at ",
                     last.department_id(), "); is zw-router running and the district loaded?"));
  }

  absl::StatusOr<v1::GetEventResponse> Get(const std::string& event_id, bool timeline) {
    v1::GetEventRequest req;
    req.set_event_id(event_id);
    req.set_include_timeline(timeline);
    v1::GetEventResponse resp;
    ZWCTL_RETURN_IF_ERROR(Call("GetEvent", worker_, [&](grpc::ClientContext* ctx) {
      return intake_->GetEvent(ctx, req, &resp);
    }));
    return resp;
  }

  // Each department step checks the state the response reports.
  absl::Status Claim(absl::string_view step, const v1::Event& e) {
    v1::ClaimEventRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_event_id(e.id());
    return Expect("ClaimEvent", Operator(e.department_id()), v1::EVENT_STATE_CLAIMED,
                  [&](grpc::ClientContext* ctx, v1::EventResponse* r) {
                    return dispatch_->ClaimEvent(ctx, req, r);
                  });
  }

  absl::Status Progress(absl::string_view step, const v1::Event& e, const std::string& note) {
    v1::AddProgressRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_event_id(e.id());
    req.set_note(note);
    return Expect("AddProgress", Operator(e.department_id()), v1::EVENT_STATE_IN_PROGRESS,
                  [&](grpc::ClientContext* ctx, v1::EventResponse* r) {
                    return dispatch_->AddProgress(ctx, req, r);
                  });
  }

  absl::Status Resolve(absl::string_view step, const v1::Event& e, const std::string& note) {
    v1::ResolveEventRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_event_id(e.id());
    req.set_note(note);
    *req.add_evidence() = Photo(step);
    return Expect("ResolveEvent", Operator(e.department_id()), v1::EVENT_STATE_RESOLVED,
                  [&](grpc::ClientContext* ctx, v1::EventResponse* r) {
                    return dispatch_->ResolveEvent(ctx, req, r);
                  });
  }

  absl::Status Reject(absl::string_view step, const v1::Event& e, const std::string& reason,
                      const std::string& note) {
    v1::RejectEventRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_event_id(e.id());
    req.set_reason_code(reason);
    req.set_note(note);
    // The response may already show the event re-dispatched if the service re-routes
    // in the same step; the caller waits for the new department either way.
    return Expect(
        "RejectEvent", Operator(e.department_id()), v1::EVENT_STATE_REJECTED,
        [&](grpc::ClientContext* ctx, v1::EventResponse* r) {
          return dispatch_->RejectEvent(ctx, req, r);
        },
        v1::EVENT_STATE_DISPATCHED);
  }

  absl::Status Verify(absl::string_view step, const v1::Event& e, bool passed,
                      const std::string& note) {
    v1::VerifyEventRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_event_id(e.id());
    req.set_passed(passed);
    req.set_note(note);
    *req.add_evidence() = Photo(step);
    return Expect("VerifyEvent", worker_,
                  passed ? v1::EVENT_STATE_VERIFIED : v1::EVENT_STATE_REWORK,
                  [&](grpc::ClientContext* ctx, v1::EventResponse* r) {
                    return intake_->VerifyEvent(ctx, req, r);
                  });
  }

  absl::Status Close(absl::string_view step, const v1::Event& e) {
    v1::CloseEventRequest req;
    req.set_client_request_id(RequestId(step));
    req.set_event_id(e.id());
    req.set_note("核查通过,结案");
    return Expect("CloseEvent", dispatcher_, v1::EVENT_STATE_CLOSED,
                  [&](grpc::ClientContext* ctx, v1::EventResponse* r) {
                    return dispatch_->CloseEvent(ctx, req, r);
                  });
  }

  absl::Status PrintTimeline(const std::string& event_id) {
    ZWCTL_ASSIGN_OR_RETURN(got, Get(event_id, true));
    PrintJourney(got, &district_);
    std::printf("\n");
    return absl::OkStatus();
  }

 private:
  template <typename Fn>
  absl::Status Call(absl::string_view rpc, const Identity& who, Fn fn) {
    grpc::ClientContext ctx;
    Prepare(ctx, who, deadline_);
    return RpcStatus(rpc, fn(&ctx));
  }

  // Calls `fn` and checks that the event it returns is in state `want` (or `also`).
  template <typename Fn>
  absl::Status Expect(absl::string_view rpc, const Identity& who, v1::EventState want, Fn fn,
                      v1::EventState also = v1::EVENT_STATE_UNSPECIFIED) {
    v1::EventResponse resp;
    ZWCTL_RETURN_IF_ERROR(Call(rpc, who, [&](grpc::ClientContext* ctx) { return fn(ctx, &resp); }));
    const v1::EventState got = resp.event().state();
    if (got != want && (also == v1::EVENT_STATE_UNSPECIFIED || got != also)) {
      return UnexpectedState(rpc, resp.event(), want);
    }
    return absl::OkStatus();
  }

  std::string RequestId(absl::string_view step) const {
    return absl::StrCat("zwctl-demo-", nonce_, "-", step);
  }

  v1::Attachment Photo(absl::string_view step) const {
    v1::Attachment a;
    a.set_uri(absl::StrCat("media://demo/", nonce_, "/", step, ".jpg"));
    a.set_content_type("image/jpeg");
    a.set_size_bytes(48213);
    return a;
  }

  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  v1::District district_;
  Polygon polygon_;  // of the grid reported in, empty when the file has none
  std::unique_ptr<v1::IntakeService::Stub> intake_;
  std::unique_ptr<v1::DispatchService::Stub> dispatch_;
  absl::Duration deadline_;
  std::string nonce_;
  std::mt19937_64 rng_{std::random_device{}()};
  Identity worker_;
  Identity dispatcher_;
  std::string grid_id_;
  bool district_seen_ = false;  // a report was accepted: the services know the district
};

// The categories the three scenarios use. (b) needs a rule with two departments, so that
// a rejection re-routes; (a) and (c) use other categories so that no scenario can be taken
// for a duplicate of another.
struct Plan {
  std::string happy, rejected, rework;
};

absl::StatusOr<Plan> Choose(const v1::District& d) {
  Plan plan;
  auto has_rule = [&](absl::string_view code, int min_departments) {
    for (const v1::RoutingRule& r : d.routing_rules()) {
      if (r.category_code() == code && r.department_ids_size() >= min_departments) {
        return true;
      }
    }
    return false;
  };
  if (has_rule("0101", 2)) plan.rejected = "0101";
  for (const v1::RoutingRule& r : d.routing_rules()) {
    if (plan.rejected.empty() && r.department_ids_size() >= 2) plan.rejected = r.category_code();
  }
  if (plan.rejected.empty()) {
    return absl::InvalidArgumentError(
        "no routing rule names two departments; the rejection scenario needs one");
  }
  auto pick = [&](std::initializer_list<const char*> preferred,
                  const std::string& avoid) -> std::string {
    for (const char* code : preferred) {
      if (code != plan.rejected && code != avoid && has_rule(code, 1)) return code;
    }
    for (const v1::RoutingRule& r : d.routing_rules()) {
      if (r.category_code() != plan.rejected && r.category_code() != avoid &&
          r.department_ids_size() > 0) {
        return r.category_code();
      }
    }
    return plan.rejected;
  };
  plan.happy = pick({"0104", "0103", "0401"}, "");
  plan.rework = pick({"0202", "0401", "0102"}, plan.happy);
  return plan;
}

std::string Describe(const v1::District& d, const std::string& code) {
  const v1::Category* c = FindCategory(d, code);
  return c == nullptr ? code : absl::StrCat(code, " ", c->name());
}

absl::Status HappyPath(Demo& demo, const std::string& category) {
  std::printf("(a) happy path: %s\n", Describe(demo.district(), category).c_str());
  ZWCTL_ASSIGN_OR_RETURN(reported,
                         demo.Report("a-report", category, "演示:人行道旁出现问题,请处理"));
  ZWCTL_ASSIGN_OR_RETURN(e, demo.WaitDispatched(reported.id(), ""));
  ZWCTL_RETURN_IF_ERROR(demo.Claim("a-claim", e));
  ZWCTL_RETURN_IF_ERROR(demo.Progress("a-progress", e, "已派人到场处置"));
  ZWCTL_RETURN_IF_ERROR(demo.Resolve("a-resolve", e, "已处置完毕,附现场照片"));
  ZWCTL_RETURN_IF_ERROR(demo.Verify("a-verify", e, true, "现场核查,已整改"));
  ZWCTL_RETURN_IF_ERROR(demo.Close("a-close", e));
  return demo.PrintTimeline(e.id());
}

absl::Status RejectedAndRerouted(Demo& demo, const std::string& category) {
  std::printf("(b) rejected by the first department, re-routed to the next: %s\n",
              Describe(demo.district(), category).c_str());
  ZWCTL_ASSIGN_OR_RETURN(reported,
                         demo.Report("b-report", category, "演示:路口垃圾桶旁堆放垃圾未清运"));
  ZWCTL_ASSIGN_OR_RETURN(first, demo.WaitDispatched(reported.id(), ""));
  ZWCTL_RETURN_IF_ERROR(
      demo.Reject("b-reject", first, "NOT_OUR_JURISDICTION", "该点位不属本部门管辖"));
  ZWCTL_ASSIGN_OR_RETURN(second, demo.WaitDispatched(first.id(), first.department_id()));
  ZWCTL_RETURN_IF_ERROR(demo.Claim("b-claim", second));
  ZWCTL_RETURN_IF_ERROR(demo.Progress("b-progress", second, "已安排清运"));
  ZWCTL_RETURN_IF_ERROR(demo.Resolve("b-resolve", second, "垃圾已清运"));
  ZWCTL_RETURN_IF_ERROR(demo.Verify("b-verify", second, true, "现场核查,已清理干净"));
  ZWCTL_RETURN_IF_ERROR(demo.Close("b-close", second));
  return demo.PrintTimeline(second.id());
}

absl::Status ReworkedAfterFailedCheck(Demo& demo, const std::string& category) {
  std::printf("(c) verification fails, reworked by the same department: %s\n",
              Describe(demo.district(), category).c_str());
  ZWCTL_ASSIGN_OR_RETURN(reported,
                         demo.Report("c-report", category, "演示:小区围墙张贴大量小广告"));
  ZWCTL_ASSIGN_OR_RETURN(e, demo.WaitDispatched(reported.id(), ""));
  ZWCTL_RETURN_IF_ERROR(demo.Claim("c-claim", e));
  ZWCTL_RETURN_IF_ERROR(demo.Progress("c-progress", e, "已安排清理"));
  ZWCTL_RETURN_IF_ERROR(demo.Resolve("c-resolve-1", e, "已清理"));
  ZWCTL_RETURN_IF_ERROR(demo.Verify("c-verify-1", e, false, "仍有残留,未清理干净"));
  ZWCTL_RETURN_IF_ERROR(demo.Progress("c-rework", e, "返工:再次清理残留"));
  ZWCTL_RETURN_IF_ERROR(demo.Resolve("c-resolve-2", e, "已彻底清理"));
  ZWCTL_RETURN_IF_ERROR(demo.Verify("c-verify-2", e, true, "复核通过"));
  ZWCTL_RETURN_IF_ERROR(demo.Close("c-close", e));
  return demo.PrintTimeline(e.id());
}

}  // namespace

int RunDemo() {
  absl::StatusOr<v1::District> district = ReadDistrict(absl::GetFlag(FLAGS_district_file));
  if (!district.ok()) {
    std::fprintf(stderr, "zwctl demo: %s\n", std::string(district.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<Plan> plan = Choose(*district);
  if (!plan.ok()) {
    std::fprintf(stderr, "zwctl demo: %s\n", std::string(plan.status().message()).c_str());
    return 1;
  }
  Demo demo(*std::move(district), absl::GetFlag(FLAGS_intake), absl::GetFlag(FLAGS_dispatch));
  absl::Status s = demo.Setup();
  if (s.ok()) s = HappyPath(demo, plan->happy);
  if (s.ok()) s = RejectedAndRerouted(demo, plan->rejected);
  if (s.ok()) s = ReworkedAfterFailedCheck(demo, plan->rework);
  if (!s.ok()) {
    std::fflush(stdout);
    std::fprintf(stderr, "zwctl demo: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("demo: 3 events closed\n");
  return 0;
}

int RunGet() {
  const std::string id = absl::GetFlag(FLAGS_event);
  if (id.empty()) {
    std::fprintf(stderr, "zwctl get: --event=ID is required\n");
    return 2;
  }
  // The district only supplies names; without it the journey prints codes.
  std::optional<v1::District> district;
  if (absl::StatusOr<v1::District> d = ReadDistrict(absl::GetFlag(FLAGS_district_file)); d.ok()) {
    district = *std::move(d);
  }
  auto stub = v1::IntakeService::NewStub(Dial(absl::GetFlag(FLAGS_intake)));
  v1::GetEventRequest req;
  req.set_event_id(id);
  req.set_include_timeline(true);
  v1::GetEventResponse resp;
  grpc::ClientContext ctx;
  // Reading needs some identity; a district dispatcher may read any event of the district.
  Prepare(ctx, Identity{"zwctl", "district_dispatcher", district ? district->id() : "", ""},
          absl::GetFlag(FLAGS_rpc_deadline));
  const grpc::Status s = stub->GetEvent(&ctx, req, &resp);
  if (!s.ok()) {
    std::fprintf(stderr, "zwctl get: %s\n",
                 std::string(RpcStatus("GetEvent", s).message()).c_str());
    return 1;
  }
  PrintJourney(resp, district ? &*district : nullptr);
  return 0;
}

}  // namespace zhiwang::zwctl
