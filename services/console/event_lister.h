#ifndef ZHIWANG_SERVICES_CONSOLE_EVENT_LISTER_H_
#define ZHIWANG_SERVICES_CONSOLE_EVENT_LISTER_H_

// ListEvents as a use case (issue 6): validate the page request, pick the driving index
// (query_plan.h), walk it from the cursor in bounded batches, keep the events that match
// the query and that the caller may see (CanSeeEvent), and stop when the page is full or
// the work bound is reached — returning what it has and a cursor either way. No gRPC, no
// Redis: it runs on the QueryStore port.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/console/query_store.h"

namespace zhiwang::console {

inline constexpr int kDefaultListPageSize = 50;
inline constexpr int kMaxListPageSize = 200;
// Index entries one call examines at most (bounded work; the cursor resumes after them).
inline constexpr int kMaxExaminedPerCall = 4000;

struct ListedItem {
  Event event;
  EventFacts facts;
};

struct ListPage {
  std::vector<ListedItem> items;
  std::string next_page_token;  // empty when the list is complete
};

class EventLister {
 public:
  explicit EventLister(QueryStore* store) : store_(store) {}

  // INVALID_ARGUMENT naming page_size (outside 0..200; 0 = 50) or page_token (not issued
  // for this query).
  void List(const EventQuery& query, const Identity& who, const AreaIndexes& areas, int page_size,
            const std::string& page_token, absl::Time now, Done<ListPage> done);

 private:
  QueryStore* store_;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVENT_LISTER_H_
