// The ticker turns the passing of time into ClockTick events (DESIGN §4):
// one at start-up, then at the top of every hour, at each day's reporting
// cutoff and at midnight (Asia/Shanghai). The follow-up worker fires
// deadlines when it applies a tick, so time is replayed exactly on rebuild.
//
// Thread-safe. "*sequencer" and "*clock" must outlive the Ticker.
#ifndef BAOXUE_SERVICES_TICKER_H_
#define BAOXUE_SERVICES_TICKER_H_

#include <cstdint>
#include <functional>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "baoxue/v1/events.pb.h"
#include "storage/clock.h"
#include "storage/sequencer.h"

namespace baoxue::services {

class Ticker {
 public:
  struct Options {
    // Time after local midnight of the daily reporting cutoff.
    absl::Duration reporting_cutoff = absl::Hours(18);
  };

  Ticker(storage::Sequencer* sequencer, Clock* clock, Options options);
  Ticker(storage::Sequencer* sequencer, Clock* clock)
      : Ticker(sequencer, clock, Options()) {}
  ~Ticker();

  // Appends a tick now, then one at every boundary, on its own thread.
  void Start();
  void Stop();

  // Appends a tick standing for `time` and waits until it is durable.
  // FAILED_PRECONDITION if `time` is before the last tick. Tests and
  // simulations drive time through this.
  absl::StatusOr<uint64_t> TickAt(absl::Time time, v1::ClockTickKind kind);

  // The first boundary strictly after `t`, and the kind of tick due there.
  std::pair<absl::Time, v1::ClockTickKind> NextBoundary(absl::Time t) const;

  // What AdvanceTo() did.
  struct Advance {
    absl::Time now;
    // Sequence of the last tick appended; 0 if no boundary was crossed.
    uint64_t last_sequence = 0;
    int ticks = 0;
  };

  // Simulated time (baoxue-server --simulated_time): moves `clock` forward
  // to `target`, stopping at every boundary Run() would have ticked at on
  // the way — the clock is set to the boundary and its tick is durable
  // before the next, so each tick is also recorded at its own time, as on
  // the wall clock. Use it instead of Start(), never with it.
  // FAILED_PRECONDITION if `target` is before the clock. Concurrent calls
  // run one after the other.
  absl::StatusOr<Advance> AdvanceTo(ManualClock* clock, absl::Time target);

 private:
  void Run();

  storage::Sequencer* const sequencer_;
  Clock* const clock_;
  const Options options_;
  absl::Mutex advance_mu_;  // serializes AdvanceTo()
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_TICKER_H_
