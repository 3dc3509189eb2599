#ifndef ZHIWANG_COMMON_AUTH_RATE_LIMITER_H_
#define ZHIWANG_COMMON_AUTH_RATE_LIMITER_H_

// Per-principal token buckets (issue 7): each subject may make `burst` calls at once and
// then `per_second` calls a second on average. One limiter per process, so the limit a
// subject sees across N replicas is N times this one.
//
//   RateLimiter limiter({.per_second = 50, .burst = 100}, &clock);
//   if (!limiter.Allow("worker-001")) return absl::ResourceExhaustedError(...);
//
// Memory is bounded: at most `max_subjects` buckets are kept; when a new subject arrives at
// the bound, buckets that have refilled completely (indistinguishable from new ones) are
// dropped first, and if none has, the whole table is reset (a burst allowance is lost,
// never a refusal invented). The clock is injected (tests use FakeClock; no sleeps).
// Thread-safe.

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"

namespace zhiwang::auth {

class RateLimiter {
 public:
  struct Options {
    double per_second = 50;  // refill rate; <= 0 disables the limiter (Allow is always true)
    double burst = 100;      // bucket size (at least 1)
    size_t max_subjects = 100000;
  };

  RateLimiter(Options options, const Clock* clock);

  // Takes one token from `subject`'s bucket; false (and nothing taken) when it is empty.
  bool Allow(absl::string_view subject);
  bool enabled() const { return options_.per_second > 0; }

 private:
  struct Bucket {
    double tokens;
    absl::Time at;
  };
  void Refill(Bucket& b, absl::Time now) const;

  const Options options_;
  const Clock* clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang::auth

#endif  // ZHIWANG_COMMON_AUTH_RATE_LIMITER_H_
