#include "services/console/query_service.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/domain/access_policy.h"
#include "common/rpc/adapter_util.h"
#include "common/rpc/convert.h"
#include "common/rpc/identity.h"
#include "common/rpc/status.h"
#include "services/console/csv_writer.h"
#include "services/console/query_request.h"

namespace zhiwang::console {
namespace {

// The event as `who` may see it (reporter contact masked by role: EventToProtoFor).
void ToProto(const Identity& who, const ListedItem& item, absl::Time now, v1::ListedEvent* out) {
  EventToProtoFor(who, item.event, out->mutable_event());
  out->set_light(static_cast<v1::SlaLight>(LightAt(item.facts, now)));
  if (item.facts.deadline) *out->mutable_deadline() = zhiwang::ToProto(*item.facts.deadline);
  if (item.facts.yellow_at) *out->mutable_yellow_at() = zhiwang::ToProto(*item.facts.yellow_at);
  out->set_supervised(item.facts.supervised);
}

void ToProto(const BoardRow& row, v1::BoardRow* out) {
  out->set_id(row.id);
  for (const BoardCell& c : row.cells) {
    v1::BoardCell* p = out->add_cells();
    p->set_state(static_cast<v1::EventState>(c.state));
    p->set_total(c.total);
    p->set_green(c.green);
    p->set_yellow(c.yellow);
    p->set_red(c.red);
  }
}

std::string Local(absl::Time t) {
  static const absl::TimeZone* const kChina = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, *kChina);
}

absl::string_view LightName(Light l) {
  switch (l) {
    case Light::kGreen:
      return "green";
    case Light::kYellow:
      return "yellow";
    case Light::kRed:
      return "red";
    case Light::kNone:
      break;
  }
  return "";
}

bool SeesWholeDistrict(const Identity& who, const std::string& district) {
  return who.role == Role::kAdmin || who.role == Role::kAuditor || who.role == Role::kSystem ||
         ((who.role == Role::kLeader || who.role == Role::kDistrictDispatcher) &&
          who.area == district);
}

// Streams the CSV of a query: one lister page per chunk, the next page fetched when the
// previous chunk is written, so at most one page is held at a time.
class ExportReactor final : public grpc::ServerWriteReactor<v1::CsvChunk> {
 public:
  ExportReactor(EventLister* lister, ResolvedQuery query, Identity who, int max_rows,
                absl::Time now)
      : lister_(lister),
        query_(std::move(query)),
        who_(std::move(who)),
        max_rows_(max_rows),
        now_(now) {
    NextPage();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
    if (finished_) return Finish(grpc::Status::OK);
    NextPage();
  }
  void OnDone() override { delete this; }

 private:
  void NextPage() {
    lister_->List(query_.query, who_, AreasFor(query_, who_), kMaxListPageSize, token_, now_,
                  [this](absl::StatusOr<ListPage> page) { OnPage(std::move(page)); });
  }

  void OnPage(absl::StatusOr<ListPage> page) {
    if (!page.ok()) return Finish(ToGrpc(page.status()));
    chunk_.Clear();
    std::string data;
    if (first_) {
      data = CsvWriter(EventCsvHeader()).str();
      first_ = false;
    }
    int64_t rows = 0;
    bool truncated = false;
    for (const ListedItem& item : page->items) {
      if (written_ == max_rows_) {
        truncated = true;
        break;
      }
      std::vector<std::string> fields = EventCsvRow(item, now_);
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) data.push_back(',');
        data += CsvField(fields[i]);
      }
      data += "\r\n";
      ++rows;
      ++written_;
    }
    token_ = page->next_page_token;
    if (!truncated && written_ == max_rows_ && !token_.empty()) truncated = true;
    finished_ = truncated || token_.empty();
    if (data.empty() && !finished_) return NextPage();  // an empty page of bounded work
    chunk_.set_data(std::move(data));
    chunk_.set_rows(rows);
    chunk_.set_truncated(truncated);
    StartWrite(&chunk_);
  }

  EventLister* lister_;
  ResolvedQuery query_;
  Identity who_;
  int max_rows_;
  absl::Time now_;
  std::string token_;
  bool first_ = true;
  bool finished_ = false;
  int64_t written_ = 0;
  v1::CsvChunk chunk_;
};

class RejectedWrite final : public grpc::ServerWriteReactor<v1::CsvChunk> {
 public:
  explicit RejectedWrite(const absl::Status& s) { Finish(ToGrpc(s)); }
  void OnDone() override { delete this; }
};

}  // namespace

std::vector<std::string> EventCsvHeader() {
  return {"event_id", "state",      "category", "street",   "community",
          "grid",     "department", "light",    "deadline", "supervised",
          "created",  "updated",    "reporter", "address",  "description"};
}

std::vector<std::string> EventCsvRow(const ListedItem& item, absl::Time now) {
  const Event& e = item.event;
  return {e.id,
          std::string(StateName(e.state)),
          e.category_code,
          e.street_id,
          e.community_id,
          e.located_grid_id.empty() ? e.location.grid_id : e.located_grid_id,
          e.department_id,
          std::string(LightName(LightAt(item.facts, now))),
          item.facts.deadline ? Local(*item.facts.deadline) : "",
          item.facts.supervised ? "yes" : "no",
          Local(e.created_at),
          Local(e.updated_at),
          e.reporter.subject,
          e.location.address,
          e.description};
}

grpc::ServerUnaryReactor* QueryService::ListEvents(grpc::CallbackServerContext* ctx,
                                                   const v1::ListEventsRequest* req,
                                                   v1::ListEventsResponse* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    absl::StatusOr<ResolvedQuery> q = QueryFromRequest(*req, *orgs_);
    if (!q.ok()) return finish(q.status());
    absl::Time now = clock_->Now();
    lister_.List(q->query, who, AreasFor(*q, who), req->page_size(), req->page_token(), now,
                 [=](absl::StatusOr<ListPage> page) {
                   if (!page.ok()) return finish(page.status());
                   for (const ListedItem& item : page->items) {
                     ToProto(who, item, now, resp->add_events());
                   }
                   resp->set_next_page_token(page->next_page_token);
                   finish(absl::OkStatus());
                 });
  });
}

grpc::ServerUnaryReactor* QueryService::GetEventDetail(grpc::CallbackServerContext* ctx,
                                                       const v1::GetEventDetailRequest* req,
                                                       v1::EventDetail* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (req->event_id().empty()) {
      return finish(absl::InvalidArgumentError("event_id: is required"));
    }
    std::string id = req->event_id();
    absl::Time now = clock_->Now();
    // Missing and out of scope answer alike (GetEventFor: CanSeeEvent).
    GetEventFor(events_, who, id, [=, this](absl::StatusOr<Event> e) {
      if (!e.ok()) return finish(e.status());
      Event event = *std::move(e);
      events_->GetTimeline(id, [=, this](absl::StatusOr<std::vector<TimelineEntry>> t) {
        if (!t.ok()) return finish(t.status());
        for (const TimelineEntry& entry : *t) zhiwang::ToProto(entry, resp->add_timeline());
        zhiwang::ToProto(event.routing, resp->mutable_routing());
        queries_->Facts(event.district_id, id, [=](absl::StatusOr<EventFacts> f) {
          if (!f.ok()) return finish(f.status());
          ToProto(who, ListedItem{event, *f}, now, resp->mutable_event());
          finish(absl::OkStatus());
        });
      });
    });
  });
}

grpc::ServerUnaryReactor* QueryService::GetBoard(grpc::CallbackServerContext* ctx,
                                                 const v1::GetBoardRequest* req, v1::Board* resp) {
  return HandleUnary(ctx, [=, this](const Identity& who, Finish finish) {
    if (req->district_id().empty()) {
      return finish(absl::InvalidArgumentError("district_id: is required"));
    }
    std::shared_ptr<const District> district = orgs_->Find(req->district_id());
    if (district == nullptr) {
      return finish(absl::InvalidArgumentError("district_id: names no known district"));
    }
    bool whole = SeesWholeDistrict(who, district->id());
    bool department =
        (who.role == Role::kDepartmentOperator || who.role == Role::kDepartmentSystem) &&
        district->FindDepartment(who.department_id) != nullptr;
    std::string street;
    if (!whole && !department &&
        (who.role == Role::kStreetDispatcher || who.role == Role::kCommunityStaff)) {
      std::optional<QueryIndexKind> kind = AreaIndexKind(*district, who.area);
      if (kind == QueryIndexKind::kStreet) street = who.area;
      if (kind == QueryIndexKind::kCommunity) street = district->StreetOfCommunity(who.area);
    }
    if (!whole && !department && street.empty()) {
      return finish(absl::PermissionDeniedError(
          absl::StrCat("the board of district ", district->id(), " is outside your scope")));
    }
    absl::Time now = clock_->Now();
    queries_->Board(district->id(), now, [=](absl::StatusOr<BoardSnapshot> b) {
      if (!b.ok()) return finish(b.status());
      resp->set_district_id(req->district_id());
      resp->set_feed_cursor(b->feed_cursor);
      *resp->mutable_at() = zhiwang::ToProto(now);
      if (whole) ToProto(b->district, resp->mutable_district());
      for (const BoardRow& row : b->streets) {
        if (whole || row.id == street) ToProto(row, resp->add_streets());
      }
      for (const BoardRow& row : b->departments) {
        if (whole || (department && row.id == who.department_id)) {
          ToProto(row, resp->add_departments());
        }
      }
      finish(absl::OkStatus());
    });
  });
}

grpc::ServerWriteReactor<v1::CsvChunk>* QueryService::ExportEventsCsv(
    grpc::CallbackServerContext* ctx, const v1::ExportEventsCsvRequest* req) {
  absl::StatusOr<Identity> who = IdentityFromMetadata(ctx->client_metadata());
  if (!who.ok()) return new RejectedWrite(who.status());
  if (req->max_rows() < 0 || req->max_rows() > kMaxExportRows) {
    return new RejectedWrite(absl::InvalidArgumentError(
        absl::StrCat("max_rows: must be 1..", kMaxExportRows, " (0 = ", kMaxExportRows, ")")));
  }
  absl::StatusOr<ResolvedQuery> q = QueryFromRequest(req->query(), *orgs_);
  if (!q.ok()) {
    absl::Status s = q.status();
    return new RejectedWrite(absl::Status(s.code(), absl::StrCat("query.", s.message())));
  }
  int max_rows = req->max_rows() == 0 ? kMaxExportRows : req->max_rows();
  return new ExportReactor(&lister_, *std::move(q), *std::move(who), max_rows, clock_->Now());
}

}  // namespace zhiwang::console
