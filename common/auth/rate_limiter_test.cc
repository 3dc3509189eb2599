#include "common/auth/rate_limiter.h"

#include "gtest/gtest.h"

namespace zhiwang::auth {
namespace {

TEST(RateLimiterTest, BurstThenRefusesThenRecoversAfterRefill) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter({.per_second = 2, .burst = 3}, &clock);
  EXPECT_TRUE(limiter.Allow("w1"));
  EXPECT_TRUE(limiter.Allow("w1"));
  EXPECT_TRUE(limiter.Allow("w1"));
  EXPECT_FALSE(limiter.Allow("w1"));
  clock.Advance(absl::Milliseconds(499));
  EXPECT_FALSE(limiter.Allow("w1"));
  clock.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(limiter.Allow("w1"));
  EXPECT_FALSE(limiter.Allow("w1"));
  clock.Advance(absl::Hours(1));  // refills to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("w1")) << i;
  EXPECT_FALSE(limiter.Allow("w1"));
}

TEST(RateLimiterTest, SubjectsHaveSeparateBuckets) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter({.per_second = 1, .burst = 1}, &clock);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_FALSE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
}

TEST(RateLimiterTest, ZeroRateDisablesTheLimiter) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter({.per_second = 0, .burst = 1}, &clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Allow("a"));
}

TEST(RateLimiterTest, TableStaysBoundedAndKeepsEmptyBuckets) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  RateLimiter limiter({.per_second = 1, .burst = 1, .max_subjects = 2}, &clock);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
  clock.Advance(absl::Seconds(5));  // both refilled: evictable
  EXPECT_TRUE(limiter.Allow("c"));
  EXPECT_TRUE(limiter.Allow("d"));
  EXPECT_FALSE(limiter.Allow("c"));  // c's empty bucket was kept
}

}  // namespace
}  // namespace zhiwang::auth
