#include "storage/sequencer.h"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/clock.h"
#include "storage/database.h"
#include "storage/event_log.h"
#include "storage/keys.h"
#include "tests/storage/fault_fs.h"
#include "tests/storage/test_util.h"

namespace baoxue::storage {
namespace {

using testing_util::TempDir;

// The test's tiny domain: a command claims a name. The applier records the
// claim in the model; prepare refuses a name already claimed, so a command
// can only see an earlier command's claim through the model.
std::string NameKey(const std::string& name) {
  return Key(KeySpace::kAccount).Str(name).data();
}

class ClaimApplier : public EventApplier {
 public:
  absl::Status Apply(const v1::Event& event, ModelTxn* model) override {
    if (!event.has_account_created()) return absl::InternalError("no body");
    model->Put(NameKey(event.account_created().account().account_id()),
               std::to_string(event.sequence()));
    return absl::OkStatus();
  }
};

struct Outcome {
  absl::Status status = absl::UnknownError("not completed");
  uint64_t sequence = 0;
  bool replayed = false;
  int calls = 0;
};

class SequencerTest : public ::testing::Test {
 protected:
  // The RocksDB Env of the database; null for the default.
  virtual rocksdb::Env* TestEnv() { return nullptr; }

  void SetUp() override {
    Database::Options options;
    options.path = dir_.path();
    options.env = TestEnv();
    auto db = Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto log = RocksEventLog::Open(db_.get());
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    MakeSequencer(Sequencer::Options());
  }

  void TearDown() override {
    sequencer_.reset();
    log_.reset();
    db_.reset();
  }

  void MakeSequencer(Sequencer::Options options) {
    options_ = options;
    sequencer_ = std::make_unique<Sequencer>(db_.get(), log_.get(), &applier_,
                                             &clock_, options);
  }

  // A command claiming `name`. `outcome` is filled by its callback, which
  // then counts `pending` down.
  Command Claim(const std::string& name, Outcome* outcome,
                absl::BlockingCounter* pending,
                const std::string& account = "acct",
                const std::string& request_id = "",
                const std::string& fingerprint = "") {
    Command command;
    command.account_id = account;
    command.request_id = request_id;
    command.fingerprint = fingerprint.empty() ? "fp-" + name : fingerprint;
    command.prepare = [name](const ModelTxn& model, v1::Event* event) {
      if (name.empty()) return absl::InvalidArgumentError("name: is required");
      auto existing = model.Get(NameKey(name));
      if (!existing.ok()) return existing.status();
      if (existing->has_value()) {
        return absl::AlreadyExistsError("name " + name + " is taken");
      }
      event->mutable_account_created()->mutable_account()->set_account_id(name);
      return absl::OkStatus();
    };
    command.done = [outcome, pending](const CommandResult& result) {
      outcome->status = result.status;
      outcome->replayed = result.replayed;
      if (result.event != nullptr) outcome->sequence = result.event->sequence();
      ++outcome->calls;
      if (pending != nullptr) pending->DecrementCount();
    };
    return command;
  }

  // The sequencer's final counters. Sequencer updates its stats after it
  // has called a group's callbacks, so they are read once its thread has
  // stopped; a fresh, started sequencer takes its place.
  Sequencer::Stats SettledStats() {
    sequencer_->Stop();
    Sequencer::Stats stats = sequencer_->stats();
    MakeSequencer(options_);
    sequencer_->Start();
    return stats;
  }

  // Submits one command and waits for it.
  Outcome RunOne(const std::string& name, const std::string& account = "acct",
                 const std::string& request_id = "",
                 const std::string& fingerprint = "") {
    Outcome outcome;
    absl::BlockingCounter pending(1);
    sequencer_->Submit(
        Claim(name, &outcome, &pending, account, request_id, fingerprint));
    pending.Wait();
    return outcome;
  }

  std::vector<v1::Event> ReadLog() {
    std::vector<v1::Event> events;
    EXPECT_TRUE(log_->Read(1, 100000, &events).ok());
    return events;
  }

  bool Claimed(const std::string& name) {
    auto value = db_->Get(Family::kModel, NameKey(name));
    return value.ok() && value->has_value();
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RocksEventLog> log_;
  ClaimApplier applier_;
  ManualClock clock_{absl::FromUnixSeconds(1788000000)};
  Sequencer::Options options_;
  std::unique_ptr<Sequencer> sequencer_;
};

TEST_F(SequencerTest, ConcurrentCommandsShareSyncedWritesWithoutGaps) {
  sequencer_->Start();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::vector<std::vector<Outcome>> outcomes(kThreads,
                                             std::vector<Outcome>(kPerThread));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread is a client waiting for its write before the next, as
      // RPCs do; the batching comes from the other threads.
      for (int i = 0; i < kPerThread; ++i) {
        absl::BlockingCounter pending(1);
        sequencer_->Submit(Claim(absl::StrCat("t", t, "-", i),
                                 &outcomes[t][i], &pending));
        pending.Wait();
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<uint64_t> sequences;
  for (const auto& per_thread : outcomes) {
    for (const Outcome& o : per_thread) {
      ASSERT_TRUE(o.status.ok()) << o.status;
      EXPECT_EQ(o.calls, 1);
      sequences.insert(o.sequence);
    }
  }
  constexpr uint64_t kTotal = kThreads * kPerThread;
  ASSERT_EQ(sequences.size(), kTotal);  // distinct
  EXPECT_EQ(*sequences.begin(), 1u);
  EXPECT_EQ(*sequences.rbegin(), kTotal);  // and so gap-free
  EXPECT_EQ(log_->LastSequence(), kTotal);
  std::vector<v1::Event> events = ReadLog();
  ASSERT_EQ(events.size(), kTotal);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), i + 1);
  }
  Sequencer::Stats stats = SettledStats();
  EXPECT_EQ(stats.commands, kTotal);
  EXPECT_EQ(stats.rejected, 0u);
  EXPECT_EQ(stats.failed_groups, 0u);
  EXPECT_LT(stats.groups, stats.commands) << "no group commit happened";
}

TEST_F(SequencerTest, GroupIsBoundedByMaxGroupSize) {
  Sequencer::Options options;
  options.max_group_size = 4;
  MakeSequencer(options);
  std::vector<Outcome> outcomes(10);
  absl::BlockingCounter pending(10);
  for (int i = 0; i < 10; ++i) {
    sequencer_->Submit(Claim(absl::StrCat("n", i), &outcomes[i], &pending));
  }
  sequencer_->Start();
  pending.Wait();
  EXPECT_EQ(SettledStats().groups, 3u);  // 4 + 4 + 2
  EXPECT_EQ(log_->LastSequence(), 10u);
}

TEST_F(SequencerTest, AnInvalidCommandIsRejectedAloneInItsGroup) {
  std::vector<Outcome> outcomes(5);
  absl::BlockingCounter pending(5);
  // Queued before Start(), so the five are one group.
  sequencer_->Submit(Claim("alpha", &outcomes[0], &pending));
  sequencer_->Submit(Claim("beta", &outcomes[1], &pending));
  sequencer_->Submit(Claim("", &outcomes[2], &pending));  // invalid
  sequencer_->Submit(Claim("gamma", &outcomes[3], &pending));
  sequencer_->Submit(Claim("delta", &outcomes[4], &pending));
  sequencer_->Start();
  pending.Wait();

  Sequencer::Stats stats = SettledStats();
  EXPECT_EQ(stats.groups, 1u);
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(outcomes[2].status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(outcomes[2].sequence, 0u);
  EXPECT_EQ(outcomes[2].calls, 1);
  std::vector<uint64_t> sequences;
  for (int i : {0, 1, 3, 4}) {
    ASSERT_TRUE(outcomes[i].status.ok()) << i << ": " << outcomes[i].status;
    sequences.push_back(outcomes[i].sequence);
  }
  // The rejected command takes no sequence number.
  EXPECT_THAT(sequences, ::testing::ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(log_->LastSequence(), 4u);
  EXPECT_TRUE(Claimed("alpha") && Claimed("beta") && Claimed("gamma") &&
              Claimed("delta"));
}

TEST_F(SequencerTest, ALaterCommandSeesAnEarlierOnesModelWrite) {
  std::vector<Outcome> outcomes(3);
  absl::BlockingCounter pending(3);
  sequencer_->Submit(Claim("same", &outcomes[0], &pending));
  sequencer_->Submit(Claim("same", &outcomes[1], &pending));
  sequencer_->Submit(Claim("other", &outcomes[2], &pending));
  sequencer_->Start();
  pending.Wait();
  EXPECT_EQ(SettledStats().groups, 1u);
  ASSERT_TRUE(outcomes[0].status.ok()) << outcomes[0].status;
  // Only visible through the first command's staged model write: nothing
  // of the group was in the database when the second was prepared.
  EXPECT_EQ(outcomes[1].status.code(), absl::StatusCode::kAlreadyExists)
      << outcomes[1].status;
  ASSERT_TRUE(outcomes[2].status.ok());
  EXPECT_EQ(outcomes[2].sequence, 2u);
  // And the model write reached the database with the group.
  EXPECT_EQ(db_->Get(Family::kModel, NameKey("same"))->value_or(""), "1");
  // A later group sees it in the database.
  EXPECT_EQ(RunOne("same").status.code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(SequencerTest, RetriedRequestIdReturnsTheFirstSequenceAndAppendsNothing) {
  sequencer_->Start();
  Outcome first = RunOne("x", "school-1", "req-1");
  ASSERT_TRUE(first.status.ok()) << first.status;
  EXPECT_FALSE(first.replayed);
  uint64_t last = log_->LastSequence();

  Outcome retry = RunOne("x", "school-1", "req-1");
  ASSERT_TRUE(retry.status.ok()) << retry.status;
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.sequence, first.sequence);
  EXPECT_EQ(log_->LastSequence(), last);

  // Same request_id from another account is another request.
  Outcome other = RunOne("y", "school-2", "req-1");
  ASSERT_TRUE(other.status.ok()) << other.status;
  EXPECT_FALSE(other.replayed);
  EXPECT_EQ(other.sequence, last + 1);

  // Same account and request_id for a different request: refused.
  Outcome reused = RunOne("z", "school-1", "req-1");
  EXPECT_EQ(reused.status.code(), absl::StatusCode::kInvalidArgument)
      << reused.status;
  EXPECT_THAT(std::string(reused.status.message()),
              ::testing::HasSubstr("request_id"));
  EXPECT_EQ(log_->LastSequence(), last + 1);
  EXPECT_FALSE(Claimed("z"));
}

TEST_F(SequencerTest, RetryInTheSameGroupIsReplayedToo) {
  std::vector<Outcome> outcomes(4);
  absl::BlockingCounter pending(4);
  sequencer_->Submit(Claim("x", &outcomes[0], &pending, "a", "r"));
  sequencer_->Submit(Claim("x", &outcomes[1], &pending, "a", "r"));
  sequencer_->Submit(Claim("w", &outcomes[2], &pending, "a", "r", "fp-other"));
  sequencer_->Submit(Claim("v", &outcomes[3], &pending));
  sequencer_->Start();
  pending.Wait();
  EXPECT_EQ(SettledStats().groups, 1u);
  ASSERT_TRUE(outcomes[0].status.ok()) << outcomes[0].status;
  ASSERT_TRUE(outcomes[1].status.ok()) << outcomes[1].status;
  EXPECT_FALSE(outcomes[0].replayed);
  EXPECT_TRUE(outcomes[1].replayed);
  EXPECT_EQ(outcomes[1].sequence, outcomes[0].sequence);
  EXPECT_EQ(outcomes[2].status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(outcomes[3].status.ok());
  EXPECT_EQ(outcomes[3].sequence, 2u);
  EXPECT_EQ(ReadLog().size(), 2u);
  // The replay is recorded durably: a retry in a later group still gets 1.
  Outcome later = RunOne("x", "a", "r");
  EXPECT_TRUE(later.replayed);
  EXPECT_EQ(later.sequence, 1u);
}

TEST_F(SequencerTest, StorageErrorFailsTheWholeGroupAndAcknowledgesNothing) {
  sequencer_->Start();
  ASSERT_TRUE(RunOne("before", "a", "r0").status.ok());
  ASSERT_EQ(log_->LastSequence(), 1u);

  // A fresh sequencer, so the commands below are queued before Start()
  // and form one group.
  sequencer_->Stop();
  MakeSequencer(Sequencer::Options());
  std::atomic<int> writes{0};
  db_->SetWriteFaultForTesting([&writes] {
    ++writes;
    return absl::UnavailableError("injected disk failure");
  });
  std::vector<Outcome> outcomes(4);
  absl::BlockingCounter pending(4);
  sequencer_->Submit(Claim("one", &outcomes[0], &pending, "a", "r1"));
  sequencer_->Submit(Claim("two", &outcomes[1], &pending));
  sequencer_->Submit(Claim("", &outcomes[2], &pending));             // invalid
  sequencer_->Submit(Claim("before", &outcomes[3], &pending, "a", "r0"));  // replay
  sequencer_->Start();
  pending.Wait();
  EXPECT_EQ(writes.load(), 1);  // one group, one write attempt
  for (const Outcome& o : outcomes) {
    EXPECT_EQ(o.status.code(), absl::StatusCode::kUnavailable) << o.status;
    EXPECT_EQ(o.calls, 1);
  }
  EXPECT_EQ(SettledStats().failed_groups, 1u);
  EXPECT_EQ(log_->LastSequence(), 1u);
  db_->SetWriteFaultForTesting(nullptr);
  EXPECT_EQ(ReadLog().size(), 1u);
  EXPECT_FALSE(Claimed("one"));
  EXPECT_FALSE(Claimed("two"));
  EXPECT_FALSE(db_->Get(Family::kIdempotency, IdempotencyKey("a", "r1"))
                   ->has_value());

  // After the fault clears, the next group takes the next sequence, and
  // the failed request_id is a new request (nothing was acknowledged).
  Outcome retry = RunOne("one", "a", "r1");
  ASSERT_TRUE(retry.status.ok()) << retry.status;
  EXPECT_FALSE(retry.replayed);
  EXPECT_EQ(retry.sequence, 2u);
  EXPECT_EQ(log_->LastSequence(), 2u);
  EXPECT_TRUE(Claimed("one"));
}

TEST_F(SequencerTest, CommitListenerRunsBeforeTheCallbacks) {
  std::atomic<uint64_t> listened{0};
  sequencer_->AddCommitListener(
      [&listened](const std::vector<const v1::Event*>& events) {
        listened = events.back()->sequence();
      });
  sequencer_->Start();
  uint64_t seen_in_callback = 0;
  absl::BlockingCounter pending(1);
  Outcome unused;
  Command command = Claim("n", &unused, nullptr);
  command.done = [&](const CommandResult& result) {
    seen_in_callback = listened.load();
    pending.DecrementCount();
  };
  sequencer_->Submit(std::move(command));
  pending.Wait();
  EXPECT_EQ(seen_in_callback, 1u);
}

TEST_F(SequencerTest, RecordTimesNeverGoBackwards) {
  sequencer_->Start();
  ASSERT_TRUE(RunOne("a").status.ok());
  clock_.Advance(-absl::Hours(1));
  ASSERT_TRUE(RunOne("b").status.ok());
  std::vector<v1::Event> events = ReadLog();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].record_time().seconds(), 1788000000);
  EXPECT_GE(events[1].record_time().seconds(), events[0].record_time().seconds());
  EXPECT_EQ(events[0].account_id(), "acct");
}

TEST_F(SequencerTest, StopDrainsQueuedCommands) {
  constexpr int kQueued = 50;
  std::vector<Outcome> outcomes(kQueued);
  absl::BlockingCounter pending(kQueued);
  for (int i = 0; i < kQueued; ++i) {
    sequencer_->Submit(Claim(absl::StrCat("q", i), &outcomes[i], &pending));
  }
  sequencer_->Start();
  sequencer_->Stop();  // returns only when the queue is drained
  for (const Outcome& o : outcomes) {
    EXPECT_EQ(o.calls, 1);
    EXPECT_TRUE(o.status.ok()) << o.status;
  }
  pending.Wait();
  EXPECT_EQ(log_->LastSequence(), static_cast<uint64_t>(kQueued));
}

TEST_F(SequencerTest, StopWhileSubmittingCompletesEveryCommandOnce) {
  sequencer_->Start();
  constexpr int kCommands = 400;
  std::vector<Outcome> outcomes(kCommands);
  absl::BlockingCounter pending(kCommands);
  absl::Notification half;
  std::thread submitter([&] {
    for (int i = 0; i < kCommands; ++i) {
      if (i == kCommands / 2) half.Notify();
      sequencer_->Submit(Claim(absl::StrCat("s", i), &outcomes[i], &pending));
    }
  });
  half.WaitForNotification();
  sequencer_->Stop();
  submitter.join();
  pending.Wait();
  int ok = 0;
  for (const Outcome& o : outcomes) {
    EXPECT_EQ(o.calls, 1);
    if (o.status.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(o.status.code(), absl::StatusCode::kUnavailable) << o.status;
    }
  }
  // Everything acknowledged is in the log, and nothing else.
  EXPECT_EQ(log_->LastSequence(), static_cast<uint64_t>(ok));
}

TEST_F(SequencerTest, SubmitAfterStopIsUnavailable) {
  sequencer_->Start();
  sequencer_->Stop();
  Outcome outcome;
  sequencer_->Submit(Claim("late", &outcome, nullptr));
  // Completed synchronously.
  EXPECT_EQ(outcome.calls, 1);
  EXPECT_EQ(outcome.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(log_->LastSequence(), 0u);
}

// Issue 7: a command whose caller's deadline has passed is not executed —
// nothing is written, its request_id stays free — while the rest of its
// group goes on.
TEST_F(SequencerTest, ACommandPastItsDeadlineIsNotExecuted) {
  sequencer_->Start();
  Outcome outcomes[2];
  absl::BlockingCounter pending(2);
  Command late = Claim("late", &outcomes[0], &pending, "acct", "r-late");
  late.deadline = absl::Now() - absl::Seconds(1);
  sequencer_->Submit(std::move(late));
  sequencer_->Submit(Claim("on-time", &outcomes[1], &pending));
  pending.Wait();
  EXPECT_EQ(outcomes[0].status.code(), absl::StatusCode::kDeadlineExceeded)
      << outcomes[0].status;
  EXPECT_TRUE(outcomes[1].status.ok()) << outcomes[1].status;
  EXPECT_FALSE(Claimed("late"));
  ASSERT_EQ(ReadLog().size(), 1u);
  // The request_id was not consumed: the retry within its deadline acts.
  Outcome retry = RunOne("late", "acct", "r-late");
  EXPECT_TRUE(retry.status.ok()) << retry.status;
  EXPECT_FALSE(retry.replayed);
  EXPECT_TRUE(Claimed("late"));
}

// The same promises with a real RocksDB failure: the file system fails the
// write-ahead log's append or sync (tests/storage/fault_fs.h). RocksDB then
// refuses every later write, so the sequencer reopens the database.
class SequencerDiskFaultTest : public SequencerTest {
 protected:
  rocksdb::Env* TestEnv() override { return fault_.env(); }
  testing_util::FaultFileSystem& fs() { return fault_.fs(); }

  // Destroyed after the database: TearDown() closes it first.
  testing_util::FaultEnv fault_;
};

TEST_F(SequencerDiskFaultTest, AFailedLogAppendIsUnavailableUntilTheDiskWorks) {
  sequencer_->Start();
  ASSERT_TRUE(RunOne("before", "a", "r0").status.ok());

  fs().Arm(testing_util::WalFault::kAppend);
  Outcome one = RunOne("one", "a", "r1");
  Outcome two = RunOne("two", "a", "r2");
  EXPECT_GT(fs().injected(), 0);
  EXPECT_EQ(one.status.code(), absl::StatusCode::kUnavailable) << one.status;
  EXPECT_EQ(two.status.code(), absl::StatusCode::kUnavailable) << two.status;
  EXPECT_EQ(log_->LastSequence(), 1u);
  EXPECT_FALSE(Claimed("one"));

  // Once the disk works again the same requests are new writes with the
  // next sequence numbers; nothing of the failed groups is anywhere.
  fs().Disarm();
  Outcome retry = RunOne("one", "a", "r1");
  ASSERT_TRUE(retry.status.ok()) << retry.status;
  EXPECT_FALSE(retry.replayed);
  EXPECT_EQ(retry.sequence, 2u);
  Outcome next = RunOne("two", "a", "r2");
  ASSERT_TRUE(next.status.ok()) << next.status;
  EXPECT_EQ(next.sequence, 3u);
  Sequencer::Stats stats = SettledStats();
  EXPECT_GE(stats.failed_groups, 2u);
  EXPECT_GE(stats.reopens, 1u);
  std::vector<v1::Event> events = ReadLog();
  ASSERT_EQ(events.size(), 3u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), i + 1);
  }

  // And everything acknowledged is there after a restart.
  sequencer_.reset();
  log_.reset();
  db_.reset();
  Database::Options options;
  options.path = dir_.path();
  options.env = fault_.env();
  auto db = Database::Open(options);
  ASSERT_TRUE(db.ok()) << db.status();
  auto log = RocksEventLog::Open(db->get());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->LastSequence(), 3u);
}

TEST_F(SequencerDiskFaultTest, AFailedSyncMayReachTheLogAndItsRetryIsAnsweredFromIt) {
  std::vector<uint64_t> announced;
  absl::Mutex mu;
  sequencer_->AddCommitListener(
      [&](const std::vector<const v1::Event*>& events) {
        absl::MutexLock lock(&mu);
        for (const auto* e : events) announced.push_back(e->sequence());
      });
  sequencer_->Start();
  ASSERT_TRUE(RunOne("before", "a", "r0").status.ok());

  // The bytes reach the log file but the sync fails: the client is told
  // UNAVAILABLE, since nothing is known to be durable.
  fs().Arm(testing_util::WalFault::kSync);
  Outcome one = RunOne("one", "a", "r1");
  EXPECT_EQ(one.status.code(), absl::StatusCode::kUnavailable) << one.status;
  fs().Disarm();

  // The reopen recovered the write: the retry is answered from it, with
  // its sequence, and nothing is written twice.
  Outcome retry = RunOne("one", "a", "r1");
  ASSERT_TRUE(retry.status.ok()) << retry.status;
  EXPECT_TRUE(retry.replayed);
  EXPECT_EQ(retry.sequence, 2u);
  Outcome next = RunOne("two", "a", "r2");
  ASSERT_TRUE(next.status.ok()) << next.status;
  EXPECT_EQ(next.sequence, 3u);
  EXPECT_EQ(ReadLog().size(), 3u);
  EXPECT_TRUE(Claimed("one"));
  SettledStats();
  // The listeners (the account cache) heard of the recovered event once.
  absl::MutexLock lock(&mu);
  EXPECT_EQ(announced, (std::vector<uint64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace baoxue::storage
