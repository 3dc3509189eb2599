#include "services/console/feed_timer.h"

#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace zhiwang::console {

FeedTimer::FeedTimer() : thread_([this] { Loop(); }) {}

FeedTimer::~FeedTimer() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
  std::multimap<absl::Time, std::function<void(bool)>> left;
  {
    absl::MutexLock lock(&mu_);
    left.swap(due_);
  }
  for (auto& [at, fn] : left) fn(false);
}

void FeedTimer::RunAfter(absl::Duration delay, std::function<void(bool)> fn) {
  absl::MutexLock lock(&mu_);
  due_.emplace(absl::Now() + delay, std::move(fn));
}

void FeedTimer::Loop() {
  for (;;) {
    std::vector<std::function<void(bool)>> ready;
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
      // Sleep until the earliest deadline (or 50 ms to notice new, earlier ones and stop).
      absl::Time wake = absl::Now() + absl::Milliseconds(50);
      if (!due_.empty() && due_.begin()->first < wake) wake = due_.begin()->first;
      mu_.AwaitWithDeadline(absl::Condition(&stop_), wake);
      if (stop_) return;
      const absl::Time now = absl::Now();
      while (!due_.empty() && due_.begin()->first <= now) {
        ready.push_back(std::move(due_.begin()->second));
        due_.erase(due_.begin());
      }
    }
    for (std::function<void(bool)>& fn : ready) fn(true);
  }
}

}  // namespace zhiwang::console
