#ifndef ZHIWANG_SERVICES_CONSOLE_QUERY_SERVICE_H_
#define ZHIWANG_SERVICES_CONSOLE_QUERY_SERVICE_H_

// gRPC adapter of zhiwang.v1.QueryService (issue 6): converts messages, calls the
// EventLister / QueryStore / EventStore, maps status. Rules live in event_query.h,
// query_plan.h and common/domain/access_policy.h. See docs/console.md.

#include "common/base/clock.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "services/console/event_lister.h"
#include "services/console/query_store.h"
#include "zhiwang/v1/console.grpc.pb.h"

namespace zhiwang::console {

// Rows one export writes at most, and its default.
inline constexpr int kMaxExportRows = 100000;

class QueryService final : public v1::QueryService::CallbackService {
 public:
  // All pointers outlive the service.
  QueryService(EventStore* events, QueryStore* queries, const OrgRegistry* orgs, const Clock* clock)
      : events_(events), queries_(queries), orgs_(orgs), clock_(clock), lister_(queries) {}

  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* ctx,
                                       const v1::ListEventsRequest* req,
                                       v1::ListEventsResponse* resp) override;
  // NOT_FOUND for a missing event and for one outside the caller's scope alike.
  grpc::ServerUnaryReactor* GetEventDetail(grpc::CallbackServerContext* ctx,
                                           const v1::GetEventDetailRequest* req,
                                           v1::EventDetail* resp) override;
  // Admin, auditor, system and callers scoped to the district see every row; a street- or
  // community-scoped caller only their street's row; a department role only its
  // department's row; anyone else PERMISSION_DENIED.
  grpc::ServerUnaryReactor* GetBoard(grpc::CallbackServerContext* ctx,
                                     const v1::GetBoardRequest* req, v1::Board* resp) override;
  // Every page of the query as CSV (csv_writer.h), at most max_rows rows.
  grpc::ServerWriteReactor<v1::CsvChunk>* ExportEventsCsv(
      grpc::CallbackServerContext* ctx, const v1::ExportEventsCsvRequest* req) override;

 private:
  EventStore* events_;
  QueryStore* queries_;
  const OrgRegistry* orgs_;
  const Clock* clock_;
  EventLister lister_;
};

// One event as a CSV row, and the header of those rows (UTC+8 times).
std::vector<std::string> EventCsvHeader();
std::vector<std::string> EventCsvRow(const ListedItem& item, absl::Time now);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_QUERY_SERVICE_H_
