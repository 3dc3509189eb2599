#ifndef ZHIWANG_SERVICES_CONSOLE_FEED_TIMER_H_
#define ZHIWANG_SERVICES_CONSOLE_FEED_TIMER_H_

// feed (issue 6): one timer thread shared by every WatchEvents stream of a process (idle
// streams wait for their next poll here: one thread in all, not one per stream).
// Callbacks run on the timer thread and must not block. The destructor runs every callback
// still waiting with fired = false, then joins. Thread-safe.
//
//   FeedTimer timer;
//   timer.RunAfter(absl::Milliseconds(100), [](bool fired) { if (fired) Poll(); });

#include <functional>
#include <map>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace zhiwang::console {

class FeedTimer {
 public:
  FeedTimer();
  ~FeedTimer();
  FeedTimer(const FeedTimer&) = delete;
  FeedTimer& operator=(const FeedTimer&) = delete;

  // Runs `fn(true)` once `delay` has passed (or `fn(false)` at destruction).
  void RunAfter(absl::Duration delay, std::function<void(bool fired)> fn);

 private:
  void Loop();

  absl::Mutex mu_;
  std::multimap<absl::Time, std::function<void(bool)>> due_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_FEED_TIMER_H_
