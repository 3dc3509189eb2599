#ifndef ZHIWANG_COMMON_BASE_CLOCK_H_
#define ZHIWANG_COMMON_BASE_CLOCK_H_

// The only way code asks for the time. Domain code takes `absl::Time now` or a Clock&,
// never the wall clock, so tests can run on a FakeClock.

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace zhiwang {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The system clock. Thread-safe.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : nanos_(absl::ToUnixNanos(start)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(nanos_.load()); }
  void Advance(absl::Duration d) { nanos_ += absl::ToInt64Nanoseconds(d); }
  void Set(absl::Time t) { nanos_ = absl::ToUnixNanos(t); }

 private:
  std::atomic<int64_t> nanos_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_BASE_CLOCK_H_
