#include "common/auth/rate_limiter.h"

#include <algorithm>

namespace zhiwang::auth {

RateLimiter::RateLimiter(Options options, const Clock* clock) : options_(options), clock_(clock) {}

void RateLimiter::Refill(Bucket& b, absl::Time now) const {
  if (now > b.at) {
    b.tokens = std::min(options_.burst,
                        b.tokens + absl::ToDoubleSeconds(now - b.at) * options_.per_second);
    b.at = now;
  }
}

bool RateLimiter::Allow(absl::string_view subject) {
  if (!enabled()) return true;
  const absl::Time now = clock_->Now();
  const double burst = std::max(1.0, options_.burst);
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(subject);
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_subjects) {
      for (auto i = buckets_.begin(); i != buckets_.end();) {
        Refill(i->second, now);
        if (i->second.tokens >= burst) {
          buckets_.erase(i++);
        } else {
          ++i;
        }
      }
      if (buckets_.size() >= options_.max_subjects) buckets_.clear();
    }
    it = buckets_.emplace(std::string(subject), Bucket{burst, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace zhiwang::auth
