#include "services/console/event_lister.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"

namespace zhiwang::console {
namespace {

// The state of one List call across its asynchronous batches.
struct Walk {
  QueryStore* store;
  EventQuery query;
  Identity who;
  WalkPlan plan;
  int page_size = 0;
  uint64_t fingerprint = 0;
  absl::Time now;
  std::optional<SortKey> after;
  int examined = 0;
  ListPage page;
  Done<ListPage> done;
};

void NextBatch(std::shared_ptr<Walk> w) {
  int batch = std::clamp(w->page_size * 2, 64, 512);
  batch = std::min(batch, kMaxExaminedPerCall - w->examined);
  w->store->Walk(w->query.district_id, w->plan, w->after, batch,
                 [w, batch](absl::StatusOr<std::vector<IndexEntry>> entries) {
                   if (!entries.ok()) return w->done(entries.status());
                   for (IndexEntry& entry : *entries) {
                     w->after = entry.key;
                     ++w->examined;
                     if (entry.event && Matches(w->query, *entry.event, entry.facts, w->now) &&
                         CanSeeEvent(w->who, *entry.event)) {
                       w->page.items.push_back({*std::move(entry.event), entry.facts});
                       if (static_cast<int>(w->page.items.size()) == w->page_size) break;
                     }
                   }
                   bool exhausted = static_cast<int>(entries->size()) < batch;
                   bool full = static_cast<int>(w->page.items.size()) == w->page_size;
                   if (full && exhausted && w->after && entries->back().key == *w->after) {
                     // The page filled on the index's last entry: nothing follows.
                     return w->done(std::move(w->page));
                   }
                   if (exhausted && !full) return w->done(std::move(w->page));
                   if (full || w->examined >= kMaxExaminedPerCall) {
                     w->page.next_page_token = EncodeCursor(*w->after, w->fingerprint);
                     return w->done(std::move(w->page));
                   }
                   NextBatch(w);
                 });
}

}  // namespace

void EventLister::List(const EventQuery& query, const Identity& who, const AreaIndexes& areas,
                       int page_size, const std::string& page_token, absl::Time now,
                       Done<ListPage> done) {
  if (page_size < 0 || page_size > kMaxListPageSize) {
    return done(absl::InvalidArgumentError(absl::StrCat("page_size: must be 1..", kMaxListPageSize,
                                                        " (0 = ", kDefaultListPageSize, "), got ",
                                                        page_size)));
  }
  auto w = std::make_shared<Walk>();
  w->store = store_;
  w->query = query;
  w->who = who;
  w->page_size = page_size == 0 ? kDefaultListPageSize : page_size;
  w->fingerprint = QueryFingerprint(query);
  w->now = now;
  w->done = std::move(done);
  if (!page_token.empty()) {
    absl::StatusOr<SortKey> key = DecodeCursor(page_token, w->fingerprint);
    if (!key.ok()) return w->done(key.status());
    w->after = *key;
  }
  std::vector<WalkPlan> plans = CandidatePlans(query, who, areas, now);
  if (plans.size() == 1) {
    w->plan = plans[0];
    return NextBatch(w);
  }
  store_->Count(query.district_id, plans, [w, plans](absl::StatusOr<std::vector<int64_t>> counts) {
    if (!counts.ok()) return w->done(counts.status());
    if (counts->size() != plans.size()) {
      return w->done(absl::InternalError("index counts do not match the plans"));
    }
    w->plan = plans[ChoosePlan(*counts)];
    NextBatch(w);
  });
}

}  // namespace zhiwang::console
