#include "services/ticker.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/util/time_util.h"
#include "services/county_time.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {

using google::protobuf::util::TimeUtil;

Ticker::Ticker(storage::Sequencer* sequencer, Clock* clock, Options options)
    : sequencer_(sequencer), clock_(clock), options_(options) {}

Ticker::~Ticker() { Stop(); }

void Ticker::Start() { thread_ = std::thread([this] { Run(); }); }

void Ticker::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

std::pair<absl::Time, v1::ClockTickKind> Ticker::NextBoundary(
    absl::Time t) const {
  absl::CivilDay today = CountyDay(t);
  absl::Time midnight = CountyMidnight(today);
  absl::Time next_hour =
      midnight + absl::Floor(t - midnight, absl::Hours(1)) + absl::Hours(1);
  absl::Time cutoff = midnight + options_.reporting_cutoff;
  if (cutoff <= t) cutoff = CountyMidnight(today + 1) + options_.reporting_cutoff;
  if (cutoff <= next_hour) {
    return {cutoff, v1::CLOCK_TICK_KIND_REPORTING_CUTOFF};
  }
  bool is_midnight = next_hour == CountyMidnight(CountyDay(next_hour));
  return {next_hour,
          is_midnight ? v1::CLOCK_TICK_KIND_MIDNIGHT : v1::CLOCK_TICK_KIND_HOURLY};
}

absl::StatusOr<uint64_t> Ticker::TickAt(absl::Time time,
                                        v1::ClockTickKind kind) {
  auto timestamp = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
  auto done = std::make_shared<absl::Notification>();
  auto result = std::make_shared<absl::StatusOr<uint64_t>>();
  storage::Command command;
  command.prepare = [timestamp, kind](const storage::ModelTxn& model,
                                      v1::Event* event) -> absl::Status {
    ASSIGN_OR_RETURN(auto last, LastClockTick(model));
    if (last.has_value() && timestamp < last->tick_time()) {
      return FailedPreconditionError(
          absl::StrCat("时钟事件不能倒退：上一次为 ",
                       TimeUtil::ToString(last->tick_time())),
          absl::StrCat("clock ticks never go backwards: the last was at ",
                       TimeUtil::ToString(last->tick_time())));
    }
    v1::ClockTick* tick = event->mutable_clock_tick();
    *tick->mutable_tick_time() = timestamp;
    tick->set_kind(kind);
    return absl::OkStatus();
  };
  command.done = [done, result](const storage::CommandResult& r) {
    if (r.status.ok()) {
      *result = r.event->sequence();
    } else {
      *result = r.status;
    }
    done->Notify();
  };
  sequencer_->Submit(std::move(command));
  done->WaitForNotification();
  return *result;
}

absl::StatusOr<Ticker::Advance> Ticker::AdvanceTo(ManualClock* clock,
                                                 absl::Time target) {
  absl::MutexLock lock(&advance_mu_);
  absl::Time now = clock->Now();
  if (target < now) {
    auto county = [](absl::Time t) {
      return absl::FormatTime("%Y-%m-%d %H:%M", t, CountyTimeZone());
    };
    return FailedPreconditionError(
        absl::StrCat("模拟时钟只能向前：现在是 ", county(now), "，不能回到 ",
                     county(target)),
        absl::StrCat("the simulated clock only moves forward: it is ",
                     county(now), ", cannot go back to ", county(target)));
  }
  Advance result;
  while (true) {
    auto [at, kind] = NextBoundary(now);
    if (at > target) break;
    clock->Set(at);
    ASSIGN_OR_RETURN(result.last_sequence, TickAt(at, kind));
    ++result.ticks;
    now = at;
  }
  clock->Set(target);
  result.now = target;
  return result;
}

void Ticker::Run() {
  // A tick at start-up lets the worker catch up on whatever fell due while
  // the server was down.
  (void)TickAt(clock_->Now(), v1::CLOCK_TICK_KIND_HOURLY);
  while (true) {
    auto [at, kind] = NextBoundary(clock_->Now());
    {
      absl::MutexLock lock(&mu_);
      auto stop = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_; };
      // Wake a little early and re-check: the wall clock may be adjusted.
      if (mu_.AwaitWithDeadline(absl::Condition(&stop), at)) return;
    }
    if (clock_->Now() < at) continue;
    // A failure (storage trouble) is not fatal: the next boundary's tick
    // carries the later time and the worker catches up from it.
    (void)TickAt(at, kind);
  }
}

}  // namespace baoxue::services
