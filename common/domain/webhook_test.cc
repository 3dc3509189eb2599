// dq (issue 5): endpoint validation and the retry schedule.

#include "common/domain/webhook.h"

#include "gtest/gtest.h"

namespace zhiwang {
namespace {

WebhookEndpoint Valid() {
  WebhookEndpoint e;
  e.district_id = "d1";
  e.department_id = "dep_a";
  e.url = "http://127.0.0.1:8080/hook";
  e.secret = "0123456789abcdef";
  return e;
}

TEST(WebhookEndpointTest, DefaultsAreFilledIn) {
  WebhookEndpoint e = Valid();
  e.max_attempts = 0;
  e.timeout = absl::ZeroDuration();
  ASSERT_TRUE(ValidateEndpoint(e).ok());
  EXPECT_EQ(e.max_attempts, 8);
  EXPECT_EQ(e.timeout, absl::Seconds(5));
}

TEST(WebhookEndpointTest, BadFieldsAreNamed) {
  WebhookEndpoint e = Valid();
  e.url = "https://x/hook";
  EXPECT_NE(ValidateEndpoint(e).message().find("url"), std::string::npos);
  e = Valid();
  e.secret = "short";
  EXPECT_NE(ValidateEndpoint(e).message().find("secret"), std::string::npos);
  e = Valid();
  e.max_attempts = 1000;
  EXPECT_NE(ValidateEndpoint(e).message().find("max_attempts"), std::string::npos);
  e = Valid();
  e.initial_backoff = absl::Seconds(10);
  e.max_backoff = absl::Seconds(1);
  EXPECT_EQ(ValidateEndpoint(e).code(), absl::StatusCode::kInvalidArgument);
}

TEST(BackoffTest, CapDoublesPerFailureUpToTheMaximum) {
  WebhookEndpoint e = Valid();
  e.initial_backoff = absl::Seconds(1);
  e.max_backoff = absl::Seconds(10);
  // A draw of exactly the cap (in µs) gives the cap; one more wraps to zero: so the cap
  // is exactly 1, 2, 4, 8, then 10 s.
  auto cap = [&](int failures) {
    for (int64_t s : {1, 2, 4, 8, 10}) {
      uint64_t us = static_cast<uint64_t>(s) * 1'000'000;
      if (BackoffDelay(e, failures, us) == absl::Seconds(s) &&
          BackoffDelay(e, failures, us + 1) == absl::ZeroDuration()) {
        return absl::Seconds(s);
      }
    }
    return absl::InfiniteDuration();
  };
  EXPECT_EQ(cap(1), absl::Seconds(1));
  EXPECT_EQ(cap(2), absl::Seconds(2));
  EXPECT_EQ(cap(3), absl::Seconds(4));
  EXPECT_EQ(cap(4), absl::Seconds(8));
  EXPECT_EQ(cap(5), absl::Seconds(10));
  EXPECT_EQ(cap(50), absl::Seconds(10));
}

TEST(BackoffTest, FullJitterCanBeZeroAndNeverExceedsTheCap) {
  WebhookEndpoint e = Valid();
  EXPECT_EQ(BackoffDelay(e, 3, 0), absl::ZeroDuration());
  for (uint64_t r = 0; r < 100'000'000; r += 7'777'777) {
    absl::Duration d = BackoffDelay(e, 3, r);
    EXPECT_GE(d, absl::ZeroDuration());
    EXPECT_LE(d, absl::Seconds(4));
  }
}

}  // namespace
}  // namespace zhiwang
