#include "storage/event_log.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "tests/storage/test_util.h"

namespace baoxue::storage {
namespace {

using testing_util::TempDir;
using testing_util::TickEvent;

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    Database::Options options;
    options.path = dir_.path();
    auto db = Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto log = RocksEventLog::Open(db_.get());
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  void Close() {
    log_.reset();
    db_.reset();
  }

  // Appends events first..last (inclusive) in one call.
  absl::Status AppendRange(uint64_t first, uint64_t last,
                           rocksdb::WriteBatch* side = nullptr) {
    std::vector<v1::Event> events;
    for (uint64_t s = first; s <= last; ++s) {
      events.push_back(TickEvent(s, 1000 + static_cast<int64_t>(s)));
    }
    std::vector<const v1::Event*> pointers;
    for (const auto& e : events) pointers.push_back(&e);
    rocksdb::WriteBatch empty;
    return log_->Append(pointers, side != nullptr ? side : &empty);
  }

  std::vector<v1::Event> ReadAll(uint64_t from = 1) {
    std::vector<v1::Event> out;
    absl::Status s = log_->Read(from, 1000, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RocksEventLog> log_;
};

TEST_F(EventLogTest, EmptyLogHasSequenceZero) {
  EXPECT_EQ(log_->LastSequence(), 0u);
  EXPECT_TRUE(ReadAll().empty());
}

TEST_F(EventLogTest, AppendsAndReadsFromASequence) {
  ASSERT_TRUE(AppendRange(1, 3).ok());
  ASSERT_TRUE(AppendRange(4, 4).ok());
  EXPECT_EQ(log_->LastSequence(), 4u);

  std::vector<v1::Event> all = ReadAll();
  ASSERT_EQ(all.size(), 4u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].sequence(), i + 1);
    EXPECT_EQ(all[i].clock_tick().tick_time().seconds(),
              1000 + static_cast<int64_t>(i + 1));
  }

  std::vector<v1::Event> some;
  ASSERT_TRUE(log_->Read(2, 2, &some).ok());
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0].sequence(), 2u);
  EXPECT_EQ(some[1].sequence(), 3u);

  EXPECT_TRUE(ReadAll(5).empty());
}

TEST_F(EventLogTest, WaitTimesOutWithoutNewEvents) {
  ASSERT_TRUE(AppendRange(1, 2).ok());
  // Events after 1 exist: no wait at all.
  EXPECT_TRUE(log_->WaitForEventsAfter(1, absl::Now() + absl::Seconds(30)));
  absl::Time start = absl::Now();
  EXPECT_FALSE(log_->WaitForEventsAfter(2, start + absl::Milliseconds(100)));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(90));
}

TEST_F(EventLogTest, WaitWakesOnAppendFromAnotherThread) {
  ASSERT_TRUE(AppendRange(1, 1).ok());
  absl::Time start = absl::Now();
  bool woke = false;
  absl::Duration waited;
  std::thread waiter([&] {
    woke = log_->WaitForEventsAfter(1, absl::Now() + absl::Seconds(60));
    waited = absl::Now() - start;
  });
  ASSERT_TRUE(AppendRange(2, 2).ok());
  waiter.join();
  EXPECT_TRUE(woke);
  // Woken by the append, not by the deadline.
  EXPECT_LT(waited, absl::Seconds(30));
}

TEST_F(EventLogTest, CloseWakesWaiters) {
  bool woke = true;
  std::thread waiter([&] {
    woke = log_->WaitForEventsAfter(0, absl::InfiniteFuture());
  });
  log_->Close();
  waiter.join();
  EXPECT_FALSE(woke);
  // Later waits return at once.
  EXPECT_FALSE(log_->WaitForEventsAfter(0, absl::InfiniteFuture()));
}

TEST_F(EventLogTest, ReopenReadsLastSequenceBack) {
  ASSERT_TRUE(AppendRange(1, 300).ok());  // crosses the 255/256 boundary
  Close();
  Open();
  EXPECT_EQ(log_->LastSequence(), 300u);
  std::vector<v1::Event> all = ReadAll();
  ASSERT_EQ(all.size(), 300u);
  EXPECT_EQ(all.back().sequence(), 300u);
  // Appending continues where the log left off.
  EXPECT_TRUE(AppendRange(301, 301).ok());
  EXPECT_EQ(log_->LastSequence(), 301u);
}

TEST_F(EventLogTest, RefusesAGapOrARepeatedSequence) {
#ifndef NDEBUG
  // RocksEventLog::Append asserts before it returns the error.
  GTEST_SKIP() << "Append asserts on a gap in debug builds";
#endif
  ASSERT_TRUE(AppendRange(1, 3).ok());
  EXPECT_FALSE(AppendRange(5, 5).ok());  // gap: 4 is missing
  EXPECT_FALSE(AppendRange(3, 3).ok());  // repeats 3
  EXPECT_FALSE(AppendRange(0, 0).ok());
  EXPECT_EQ(log_->LastSequence(), 3u);
  EXPECT_EQ(ReadAll().size(), 3u);
  // A gap inside one call is refused too, and nothing of it is written.
  std::vector<v1::Event> events = {TickEvent(4, 4), TickEvent(6, 6)};
  std::vector<const v1::Event*> pointers = {&events[0], &events[1]};
  rocksdb::WriteBatch side;
  side.Put(db_->model(), "side", "x");
  EXPECT_FALSE(log_->Append(pointers, &side).ok());
  EXPECT_EQ(log_->LastSequence(), 3u);
  EXPECT_EQ(ReadAll().size(), 3u);
  auto stored = db_->Get(Family::kModel, "side");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
}

TEST_F(EventLogTest, SideWritesLandWithTheEvents) {
  rocksdb::WriteBatch side;
  side.Put(db_->model(), "model-key", "model-value");
  side.Put(db_->idempotency(), "request", "seq");
  ASSERT_TRUE(AppendRange(1, 2, &side).ok());
  auto model = db_->Get(Family::kModel, "model-key");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->value_or(""), "model-value");
  auto idem = db_->Get(Family::kIdempotency, "request");
  ASSERT_TRUE(idem.ok());
  EXPECT_EQ(idem->value_or(""), "seq");
}

TEST_F(EventLogTest, AFailedWriteLeavesNeitherEventsNorSideWrites) {
  ASSERT_TRUE(AppendRange(1, 1).ok());
  db_->SetWriteFaultForTesting(
      [] { return absl::UnavailableError("injected disk failure"); });
  rocksdb::WriteBatch side;
  side.Put(db_->model(), "model-key", "model-value");
  absl::Status status = AppendRange(2, 3, &side);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(log_->LastSequence(), 1u);
  db_->SetWriteFaultForTesting(nullptr);
  EXPECT_EQ(ReadAll().size(), 1u);
  auto model = db_->Get(Family::kModel, "model-key");
  ASSERT_TRUE(model.ok());
  EXPECT_FALSE(model->has_value());
  // And the log goes on from where it was.
  EXPECT_TRUE(AppendRange(2, 2).ok());
  EXPECT_EQ(log_->LastSequence(), 2u);
}

}  // namespace
}  // namespace baoxue::storage
