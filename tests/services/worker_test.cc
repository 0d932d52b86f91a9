#include "services/worker.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/write_model.h"
#include "storage/database.h"
#include "storage/event_log.h"
#include "storage/keys.h"
#include "storage/model_txn.h"
#include "tests/storage/test_util.h"

namespace baoxue::services {
namespace {

using testing_util::TempDir;
using testing_util::TickEvent;

// A log of `kEvents` events of every kind the worker knows: accounts
// created by the first bureau account, a revocation, and clock ticks.
constexpr uint64_t kEvents = 23;

std::vector<v1::Event> SampleEvents() {
  std::vector<v1::Event> events;
  for (uint64_t seq = 1; seq <= kEvents; ++seq) {
    v1::Event event;
    if (seq % 4 == 1) {
      event.set_sequence(seq);
      event.mutable_record_time()->set_seconds(1788000000 + seq);
      event.set_account_id(seq == 1 ? "" : "bureau-admin");
      v1::Account* account =
          event.mutable_account_created()->mutable_account();
      account->set_account_id(seq == 1 ? "bureau-admin"
                                       : absl::StrCat("school-", seq));
      account->set_display_name(absl::StrCat("账号 ", seq));
      account->set_role(seq == 1 ? v1::ROLE_BUREAU : v1::ROLE_SCHOOL);
      if (seq != 1) account->set_school_id(absl::StrCat("school-", seq));
      event.mutable_account_created()->set_token_sha256(
          absl::StrCat("hash-", seq));
    } else if (seq == 12) {
      event.set_sequence(seq);
      event.mutable_record_time()->set_seconds(1788000000 + seq);
      event.set_account_id("bureau-admin");
      event.mutable_account_revoked()->set_account_id("school-5");
      event.mutable_account_revoked()->set_reason("调离");
    } else {
      event = TickEvent(seq, 1788000000 + static_cast<int64_t>(seq));
    }
    events.push_back(event);
  }
  return events;
}

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override { Fresh(); }

  // A new data directory holding the sample log and nothing else.
  void Fresh() {
    Close();
    dir_ = std::make_unique<TempDir>();
    Open();
    std::vector<v1::Event> events = SampleEvents();
    std::vector<const v1::Event*> pointers;
    for (const auto& e : events) pointers.push_back(&e);
    rocksdb::WriteBatch side;
    ASSERT_TRUE(log_->Append(pointers, &side).ok());
  }

  void Open(size_t batch_size = 3) {
    Worker::Options worker_options;
    worker_options.batch_size = batch_size;
    OpenWith(worker_options);
  }

  void OpenWith(const Worker::Options& worker_options) {
    storage::Database::Options options;
    options.path = dir_->path();
    auto db = storage::Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto log = storage::RocksEventLog::Open(db_.get());
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    worker_ = std::make_unique<Worker>(db_.get(), log_.get(), worker_options);
  }

  void Close() {
    worker_.reset();
    log_.reset();
    db_.reset();
  }

  // Every key and value of the projection family.
  std::map<std::string, std::string> DumpProjection() {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->db()->NewIterator(rocksdb::ReadOptions(), db_->projection()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out[it->key().ToString()] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok());
    return out;
  }

  void ExpectStateAndOffsetAgree() {
    uint64_t last = log_->LastSequence();
    EXPECT_EQ(last, kEvents);
    EXPECT_EQ(worker_->applied_sequence(), last);
    EXPECT_EQ(db_->ConsumerOffset(Worker::kConsumerName).value_or(0), last);
    auto applied = worker_->EventsApplied();
    ASSERT_TRUE(applied.ok()) << applied.status();
    // Each event applied exactly once: a repeated batch would count twice.
    EXPECT_EQ(*applied, last);
  }

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::RocksEventLog> log_;
  std::unique_ptr<Worker> worker_;
};

TEST_F(WorkerTest, CatchUpAppliesEveryEventOnce) {
  ASSERT_TRUE(worker_->CatchUp().ok());
  ExpectStateAndOffsetAgree();
  // The worker's copy of the model holds the accounts.
  storage::ModelTxn mirror(db_.get(), storage::Family::kProjection,
                           MirrorPrefix());
  auto admin = FindAccount(mirror, "bureau-admin");
  ASSERT_TRUE(admin.ok() && admin->has_value());
  EXPECT_EQ((*admin)->role(), v1::ROLE_BUREAU);
  auto revoked = FindAccount(mirror, "school-5");
  ASSERT_TRUE(revoked.ok() && revoked->has_value());
  EXPECT_TRUE((*revoked)->revoked());
  // Catching up again changes nothing.
  std::map<std::string, std::string> before = DumpProjection();
  ASSERT_TRUE(worker_->CatchUp().ok());
  EXPECT_EQ(DumpProjection(), before);
}

TEST_F(WorkerTest, AFailedBatchIsNeitherLostNorRepeatedAfterReopen) {
  // Fail the worker's n-th write (batches of 3 events, so 8 writes), for
  // every n; each time the process "crashes" (everything is closed) and
  // starts again on the same directory.
  for (int fail_at = 1; fail_at <= 8; ++fail_at) {
    SCOPED_TRACE(absl::StrCat("write ", fail_at, " fails"));
    if (fail_at > 1) Fresh();
    int writes = 0;
    db_->SetWriteFaultForTesting([&writes, fail_at]() -> absl::Status {
      if (++writes == fail_at) return absl::UnavailableError("injected");
      return absl::OkStatus();
    });
    absl::Status first = worker_->CatchUp();
    EXPECT_EQ(first.code(), absl::StatusCode::kUnavailable) << first;
    // The failed batch did not move the offset.
    uint64_t committed = db_->ConsumerOffset(Worker::kConsumerName).value_or(0);
    EXPECT_EQ(committed, 3u * (fail_at - 1));
    EXPECT_EQ(worker_->applied_sequence(), committed);
    EXPECT_EQ(worker_->EventsApplied().value_or(0), committed);
    db_->SetWriteFaultForTesting(nullptr);

    Close();
    Open();
    ASSERT_TRUE(worker_->CatchUp().ok());
    ExpectStateAndOffsetAgree();
  }
}

TEST_F(WorkerTest, RebuildReproducesTheProjectionByteForByte) {
  ASSERT_TRUE(worker_->CatchUp().ok());
  std::map<std::string, std::string> live = DumpProjection();
  ASSERT_FALSE(live.empty());
  // The projection holds the model mirror, audit entries and the counter.
  int mirror_keys = 0;
  for (const auto& [key, value] : live) {
    if (key.rfind(MirrorPrefix(), 0) == 0) ++mirror_keys;
  }
  EXPECT_GT(mirror_keys, 5);

  // A stray key that no event produced must not survive a rebuild.
  rocksdb::WriteBatch stray;
  stray.Put(db_->projection(),
            storage::Key(storage::KeySpace::kCase).Str("stray").data(), "x");
  ASSERT_TRUE(db_->Write(&stray, false).ok());

  ASSERT_TRUE(worker_->Rebuild().ok());
  ExpectStateAndOffsetAgree();
  EXPECT_EQ(DumpProjection(), live);

  // With a different batch size too: batching is not part of the state.
  Close();
  Open(/*batch_size=*/1000);
  ASSERT_TRUE(worker_->Rebuild().ok());
  EXPECT_EQ(DumpProjection(), live);
}

TEST_F(WorkerTest, BatchesCutByKeysOrBytesApplyEveryEventOnce) {
  ASSERT_TRUE(worker_->CatchUp().ok());
  std::map<std::string, std::string> live = DumpProjection();
  // A batch that ends after its first event (any event writes a key), one
  // whose first event passes the byte limit, and a key limit of zero (a
  // batch still applies one event): each batch is one event, the events
  // read but not applied wait for the next batch, and none is applied
  // twice.
  for (Worker::Options options : {Worker::Options{.batch_keys = 1},
                                  Worker::Options{.batch_bytes = 1},
                                  Worker::Options{.batch_keys = 0}}) {
    Close();
    OpenWith(options);
    int writes = 0;
    db_->SetWriteFaultForTesting([&writes]() -> absl::Status {
      ++writes;
      return absl::OkStatus();
    });
    ASSERT_TRUE(worker_->Rebuild().ok());
    db_->SetWriteFaultForTesting(nullptr);
    // One write resets the projections; then one per batch.
    EXPECT_EQ(writes, 1 + static_cast<int>(kEvents));
    ExpectStateAndOffsetAgree();
    EXPECT_EQ(DumpProjection(), live);
  }
}

TEST_F(WorkerTest, ThreadFollowsTheLogAndStopsAtACommittedOffset) {
  ASSERT_TRUE(worker_->Start().ok());
  ASSERT_TRUE(worker_->WaitForApplied(kEvents, absl::Now() + absl::Seconds(30)));
  // New events wake the worker; no polling interval to wait out.
  v1::Event more = TickEvent(kEvents + 1, 1788100000);
  rocksdb::WriteBatch side;
  ASSERT_TRUE(log_->Append({&more}, &side).ok());
  ASSERT_TRUE(
      worker_->WaitForApplied(kEvents + 1, absl::Now() + absl::Seconds(30)));
  worker_->Stop();
  EXPECT_TRUE(worker_->last_error().ok()) << worker_->last_error();
  EXPECT_EQ(db_->ConsumerOffset(Worker::kConsumerName).value_or(0),
            kEvents + 1);
  EXPECT_EQ(worker_->EventsApplied().value_or(0), kEvents + 1);
  // Not reached: times out rather than blocking forever.
  EXPECT_FALSE(
      worker_->WaitForApplied(kEvents + 2, absl::Now() + absl::Milliseconds(50)));
}

TEST_F(WorkerTest, CatchUpOnANewWorkerResumesFromTheCommittedOffset) {
  // Half the log applied, then a restart: the new worker must continue
  // from the stored offset, not from 0 (that would apply 1..3 twice).
  db_->SetWriteFaultForTesting([n = 0]() mutable -> absl::Status {
    return ++n > 1 ? absl::UnavailableError("injected") : absl::OkStatus();
  });
  EXPECT_FALSE(worker_->CatchUp().ok());
  db_->SetWriteFaultForTesting(nullptr);
  ASSERT_EQ(db_->ConsumerOffset(Worker::kConsumerName).value_or(0), 3u);
  Close();
  Open();
  ASSERT_TRUE(worker_->CatchUp().ok());
  ExpectStateAndOffsetAgree();
}

TEST_F(WorkerTest, TheThreadRetriesAFailedWriteAndAppliesEveryEventOnce) {
  ASSERT_TRUE(worker_->CatchUp().ok());
  std::map<std::string, std::string> expected = DumpProjection();
  // The third write fails (batches of 3) while the fourth batch is being
  // applied on top of it: both are dropped, and the thread, after its
  // back-off, resumes from the committed offset (6).
  Fresh();
  int writes = 0;
  db_->SetWriteFaultForTesting([&writes]() -> absl::Status {
    if (++writes == 3) return absl::UnavailableError("injected");
    return absl::OkStatus();
  });
  ASSERT_TRUE(worker_->Start().ok());
  ASSERT_TRUE(worker_->WaitForApplied(kEvents, absl::Now() + absl::Seconds(30)));
  worker_->Stop();
  db_->SetWriteFaultForTesting(nullptr);
  EXPECT_GT(writes, 3);
  EXPECT_TRUE(worker_->last_error().ok()) << worker_->last_error();
  ExpectStateAndOffsetAgree();
  EXPECT_EQ(DumpProjection(), expected);
}

TEST_F(WorkerTest, ResumesFromItsCommittedOffsetAfterRestart) {
  ASSERT_TRUE(worker_->CatchUp().ok());
  Close();
  Open();
  ASSERT_TRUE(worker_->Start().ok());
  EXPECT_EQ(worker_->applied_sequence(), kEvents);
  worker_->Stop();
  ExpectStateAndOffsetAgree();
}

}  // namespace
}  // namespace baoxue::services
