#ifndef ZHIWANG_SERVICES_CONSOLE_EVENT_QUERY_H_
#define ZHIWANG_SERVICES_CONSOLE_EVENT_QUERY_H_

// The console's event search (issue 6), pure: the query, the per-event facts that are not
// in the event itself (clock, supervision), the filter predicate and the light rule.
// No gRPC, no Redis; the adapter converts zhiwang.v1.ListEventsRequest into EventQuery.
// See docs/console.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/domain/event.h"

namespace zhiwang::console {

// Numbers equal zhiwang.v1.SlaLight.
enum class Light : int { kNone = 0, kGreen = 1, kYellow = 2, kRed = 3 };
enum class Tristate : int { kAny = 0, kYes = 1, kNo = 2 };
enum class SortOrder : int { kCreatedAsc = 1, kCreatedDesc = 2, kDeadlineAsc = 3 };

// All set conditions hold (AND); a list matches any of its values (OR).
struct EventQuery {
  std::string district_id;
  std::vector<EventState> states;
  std::vector<Light> lights;
  std::vector<std::string> category_codes;  // minor classes
  bool by_major = false;                    // category_major given: code must be in major_codes
  std::vector<std::string> major_codes;     // the codes of that major class (from the org)
  std::string area_id;                      // district / street / community / grid
  std::string department_id;
  bool department_ever = false;  // department_id: any department that ever held it
  std::string reporter_subject;
  std::optional<absl::Time> created_from, created_to;  // [from, to)
  std::optional<absl::Time> updated_from, updated_to;  // [from, to)
  Tristate supervised = Tristate::kAny;
  Tristate merged = Tristate::kAny;
  SortOrder sort = SortOrder::kCreatedDesc;
};

// What the indexes know about an event besides the event: its running clock (none when
// no clock runs) and whether a supervision order was opened.
struct EventFacts {
  std::optional<absl::Time> deadline;
  std::optional<absl::Time> yellow_at;
  bool supervised = false;
};

// red: deadline <= now; yellow: yellow_at <= now < deadline; green: a clock runs and
// neither; none: no clock runs.
Light LightAt(const EventFacts& facts, absl::Time now);

// True when `event` (with `facts`, at `now`) meets every condition of `query`. The
// department-history condition (department_ever) is not decidable from the event: the
// planner drives such queries from that department's history index, so membership in
// the walked index is assumed here.
bool Matches(const EventQuery& query, const Event& event, const EventFacts& facts, absl::Time now);

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_EVENT_QUERY_H_
