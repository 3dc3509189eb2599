// feed (issue 6): which changes a WatchEvents stream sends (FeedSends).

#include "services/console/feed_filter.h"

#include "gtest/gtest.h"

namespace zhiwang::console {
namespace {

Event MakeEvent() {
  Event e;
  e.id = "440304-20261127-0000000001";
  e.district_id = "440304";
  e.street_id = "st1";
  e.community_id = "c1";
  e.location.grid_id = "g1";
  e.state = EventState::kDispatched;
  e.department_id = "dep_a";
  e.reporter.subject = "w1";
  e.reporter.role = Role::kGridWorker;
  return e;
}

ChangeRecord Change(EventState s) {
  return ChangeRecord{.cursor = "1-0", .event_id = "x", .version = 3, .state = s};
}

const Identity kAdmin{"admin", Role::kAdmin, "", ""};

TEST(FeedFilterTest, EmptyFilterSendsWhatTheCallerMaySee) {
  EXPECT_TRUE(FeedSends({}, kAdmin, Change(EventState::kDispatched), MakeEvent()));
  Identity other_street{"d2", Role::kStreetDispatcher, "st2", ""};
  EXPECT_FALSE(FeedSends({}, other_street, Change(EventState::kDispatched), MakeEvent()));
  Identity own_street{"d1", Role::kStreetDispatcher, "st1", ""};
  EXPECT_TRUE(FeedSends({}, own_street, Change(EventState::kDispatched), MakeEvent()));
  Identity nobody{"n", Role::kUnspecified, "440304", ""};
  EXPECT_FALSE(FeedSends({}, nobody, Change(EventState::kDispatched), MakeEvent()));
}

TEST(FeedFilterTest, AreaAtAnyLevel) {
  for (const char* area : {"440304", "st1", "c1", "g1"}) {
    EXPECT_TRUE(FeedSends({.area_id = area}, kAdmin, Change(EventState::kDispatched), MakeEvent()))
        << area;
  }
  for (const char* area : {"440305", "st2", "c2", "g2"}) {
    EXPECT_FALSE(FeedSends({.area_id = area}, kAdmin, Change(EventState::kDispatched), MakeEvent()))
        << area;
  }
}

TEST(FeedFilterTest, DepartmentIsTheHoldingOne) {
  EXPECT_TRUE(
      FeedSends({.department_id = "dep_a"}, kAdmin, Change(EventState::kDispatched), MakeEvent()));
  EXPECT_FALSE(
      FeedSends({.department_id = "dep_b"}, kAdmin, Change(EventState::kDispatched), MakeEvent()));
}

TEST(FeedFilterTest, StatesAreTheChangesTargetStates) {
  FeedFilter f{.states = {EventState::kClaimed, EventState::kDispatched}};
  EXPECT_TRUE(FeedSends(f, kAdmin, Change(EventState::kDispatched), MakeEvent()));
  EXPECT_FALSE(FeedSends(f, kAdmin, Change(EventState::kReported), MakeEvent()));
}

TEST(FeedFilterTest, UnknownStateIsInvalidNamingStates) {
  absl::Status s = ValidateFeedFilter({.states = {static_cast<EventState>(99)}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("states"), absl::string_view::npos);
  EXPECT_TRUE(ValidateFeedFilter({.states = {EventState::kMerged}}).ok());
}

TEST(FeedCursorTest, ParsesOnlyEntryIds) {
  uint64_t ms = 0, seq = 0;
  EXPECT_TRUE(ParseFeedCursor("1732700000000-7", &ms, &seq));
  EXPECT_EQ(ms, 1732700000000u);
  EXPECT_EQ(seq, 7u);
  for (const char* bad : {"", "1", "-1", "1-", "a-1", "1-2-3", "$", "+"}) {
    EXPECT_FALSE(ParseFeedCursor(bad, &ms, &seq)) << bad;
  }
}

}  // namespace
}  // namespace zhiwang::console
