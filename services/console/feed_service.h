#ifndef ZHIWANG_SERVICES_CONSOLE_FEED_SERVICE_H_
#define ZHIWANG_SERVICES_CONSOLE_FEED_SERVICE_H_

// feed (issue 6): zhiwang.v1.FeedService, the gRPC adapter of the console's live feed:
// checks the request and the caller, then hands the stream to a FeedReactor (callback
// API, no thread per stream). Rules: feed_filter.h; reading: the ChangeFeedReader port.
// See docs/console.md, "Feed".

#include "common/domain/change_feed.h"
#include "common/domain/event_store.h"
#include "common/domain/org_registry.h"
#include "services/console/feed_reactor.h"
#include "zhiwang/v1/feed.grpc.pb.h"

namespace zhiwang::console {

class FeedService final : public v1::FeedService::CallbackService {
 public:
  // Pointers outlive the service. The service outlives every stream it started (shut the
  // server down first): its timer holds idle streams until they end.
  FeedService(ChangeFeedReader* feed, EventStore* store, const OrgRegistry* orgs,
              FeedSettings settings = {})
      : feed_(feed), store_(store), orgs_(orgs), settings_(settings) {}

  // UNAUTHENTICATED without an identity; INVALID_ARGUMENT naming district_id (missing),
  // cursor (not "<ms>-<seq>") or states; NOT_FOUND "district '<id>' not found" for an
  // unknown district and alike for one outside the caller's scope (CanSeeDistrict);
  // OUT_OF_RANGE for a cursor older than the feed keeps. The stream itself: FeedReactor.
  grpc::ServerWriteReactor<v1::EventChange>* WatchEvents(
      grpc::CallbackServerContext* ctx, const v1::WatchEventsRequest* req) override;

 private:
  ChangeFeedReader* feed_;
  EventStore* store_;
  const OrgRegistry* orgs_;
  FeedSettings settings_;
  FeedTimer timer_;  // last member: destroyed first, ending every stream still waiting
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_FEED_SERVICE_H_
