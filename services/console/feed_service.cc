#include "services/console/feed_service.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"
#include "common/rpc/identity.h"
#include "common/rpc/status.h"

namespace zhiwang::console {
namespace {

class Refused final : public grpc::ServerWriteReactor<v1::EventChange> {
 public:
  explicit Refused(const absl::Status& s) { Finish(ToGrpc(s)); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<v1::EventChange>* FeedService::WatchEvents(
    grpc::CallbackServerContext* ctx, const v1::WatchEventsRequest* req) {
  absl::StatusOr<Identity> who = IdentityFromMetadata(ctx->client_metadata());
  if (!who.ok()) return new Refused(who.status());
  if (req->district_id().empty()) {
    return new Refused(absl::InvalidArgumentError("district_id is required"));
  }
  uint64_t ms = 0, seq = 0;
  if (!req->cursor().empty() && !ParseFeedCursor(req->cursor(), &ms, &seq)) {
    return new Refused(absl::InvalidArgumentError(
        absl::StrCat("cursor: '", req->cursor(), "' is not a change-feed position")));
  }
  FeedFilter filter;
  filter.area_id = req->area_id();
  filter.department_id = req->department_id();
  for (int s : req->states()) filter.states.push_back(static_cast<EventState>(s));
  if (absl::Status s = ValidateFeedFilter(filter); !s.ok()) return new Refused(s);
  // An unknown district and one outside the caller's scope read alike (docs/auth.md).
  std::shared_ptr<const District> district = orgs_->Find(req->district_id());
  if (district == nullptr || !CanSeeDistrict(who.value(), *district)) {
    return new Refused(
        absl::NotFoundError(absl::StrCat("district '", req->district_id(), "' not found")));
  }
  return new FeedReactor(feed_, store_, &timer_, *std::move(who), req->district_id(), req->cursor(),
                         std::move(filter), settings_);
}

}  // namespace zhiwang::console
