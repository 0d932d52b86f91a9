// Where the server's notion of "now" comes from. Only the sequencer (to
// stamp events) and the ticker (to append clock events) read a Clock; the
// follow-up worker never does — its time comes from the log.
#ifndef BAOXUE_STORAGE_CLOCK_H_
#define BAOXUE_STORAGE_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace baoxue {

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

// The wall clock.
class SystemClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

// A clock that moves only when told to; for tests and simulations.
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_;
};

}  // namespace baoxue

#endif  // BAOXUE_STORAGE_CLOCK_H_
