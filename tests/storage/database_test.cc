#include "storage/database.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/localized_status.h"
#include "tests/storage/fault_fs.h"
#include "tests/storage/test_util.h"

namespace baoxue::storage {
namespace {

using ::testing::HasSubstr;
using testing_util::TempDir;

absl::StatusOr<std::unique_ptr<Database>> OpenAt(const std::string& path) {
  Database::Options options;
  options.path = path;
  return Database::Open(options);
}

// Writes `value` under the schema version key with a plain RocksDB write,
// bypassing Database.
void WriteRawSchemaVersion(const std::string& path, const std::string& value) {
  auto db = OpenAt(path);
  ASSERT_TRUE(db.ok()) << db.status();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  ASSERT_TRUE((*db)->db()->Put(sync, (*db)->meta(), SchemaVersionKey(), value).ok());
}

TEST(DatabaseTest, NewDirectoryRecordsTheSchemaVersion) {
  TempDir dir;
  auto db = OpenAt(dir.path());
  ASSERT_TRUE(db.ok()) << db.status();
  auto stored = (*db)->Get(Family::kMeta, SchemaVersionKey());
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  uint64_t version = 0;
  ASSERT_TRUE(DecodeFixed64(**stored, &version));
  EXPECT_EQ(version, kSchemaVersion);
}

TEST(DatabaseTest, RefusesADirectoryFromANewerVersion) {
  TempDir dir;
  WriteRawSchemaVersion(dir.path(), EncodeFixed64(kSchemaVersion + 1));
  auto db = OpenAt(dir.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(db.status(), Lang::kEn), HasSubstr("newer version"));
  EXPECT_THAT(MessageIn(db.status(), Lang::kEn), HasSubstr(dir.path()));
  EXPECT_THAT(std::string(db.status().message()), HasSubstr("升级"));
}

TEST(DatabaseTest, OpensADirectoryOfTheSameVersionAgain) {
  TempDir dir;
  WriteRawSchemaVersion(dir.path(), EncodeFixed64(kSchemaVersion));
  EXPECT_TRUE(OpenAt(dir.path()).ok());
}

TEST(DatabaseTest, ACorruptVersionRecordIsDataLoss) {
  TempDir dir;
  WriteRawSchemaVersion(dir.path(), "v1");
  auto db = OpenAt(dir.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss);
}

TEST(DatabaseTest, ConsumerOffsetsRoundTripAndSurviveReopen) {
  TempDir dir;
  {
    auto db = OpenAt(dir.path());
    ASSERT_TRUE(db.ok()) << db.status();
    auto none = (*db)->ConsumerOffset("worker");
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(*none, 0u);

    rocksdb::WriteBatch batch;
    Database::PutConsumerOffset(&batch, (*db)->meta(), "worker", 300);
    Database::PutConsumerOffset(&batch, (*db)->meta(), "exporter", 7);
    ASSERT_TRUE((*db)->Write(&batch, /*sync=*/true).ok());
    EXPECT_EQ((*db)->ConsumerOffset("worker").value_or(0), 300u);
    EXPECT_EQ((*db)->ConsumerOffset("exporter").value_or(0), 7u);
    EXPECT_EQ((*db)->ConsumerOffset("work").value_or(99), 0u);
  }
  auto db = OpenAt(dir.path());
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ((*db)->ConsumerOffset("worker").value_or(0), 300u);
  EXPECT_EQ((*db)->ConsumerOffset("exporter").value_or(0), 7u);
}

TEST(DatabaseTest, WriteFaultFailsTheWriteAndWritesNothing) {
  TempDir dir;
  auto db = OpenAt(dir.path());
  ASSERT_TRUE(db.ok()) << db.status();
  (*db)->SetWriteFaultForTesting(
      [] { return absl::UnavailableError("injected"); });
  rocksdb::WriteBatch batch;
  batch.Put((*db)->model(), "k", "v");
  EXPECT_EQ((*db)->Write(&batch, true).code(), absl::StatusCode::kUnavailable);
  (*db)->SetWriteFaultForTesting(nullptr);
  EXPECT_FALSE((*db)->Get(Family::kModel, "k")->has_value());
}

TEST(DatabaseTest, ClearFamilyEmptiesOnlyThatFamily) {
  TempDir dir;
  auto db = OpenAt(dir.path());
  ASSERT_TRUE(db.ok()) << db.status();
  rocksdb::WriteBatch batch;
  batch.Put((*db)->projection(), Key(KeySpace::kCase).Str("c1").data(), "x");
  batch.Put((*db)->projection(), Key(KeySpace::kCounter).Str("n").data(), "y");
  batch.Put((*db)->projection(), std::string("\xfe\xff\xff", 3), "z");
  batch.Put((*db)->model(), "kept", "m");
  ASSERT_TRUE((*db)->Write(&batch, true).ok());
  ASSERT_TRUE((*db)->ClearFamily((*db)->projection()).ok());
  std::unique_ptr<rocksdb::Iterator> it(
      (*db)->db()->NewIterator(rocksdb::ReadOptions(), (*db)->projection()));
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_EQ((*db)->Get(Family::kModel, "kept")->value_or(""), "m");
}

TEST(DatabaseTest, ASecondOpenOfTheSameDirectoryIsRefused) {
  TempDir dir;
  auto first = OpenAt(dir.path());
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = OpenAt(dir.path());
  EXPECT_FALSE(second.ok());
}

TEST(DatabaseTest, AMissingCurrentFileIsRefusedNotReplacedByAnEmptyDatabase) {
  TempDir dir;
  {
    auto db = OpenAt(dir.path());
    ASSERT_TRUE(db.ok()) << db.status();
  }
  std::filesystem::remove(dir.sub("CURRENT"));
  auto db = OpenAt(dir.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(MessageIn(db.status(), Lang::kEn), HasSubstr("no CURRENT file"));
  EXPECT_FALSE(std::filesystem::exists(dir.sub("CURRENT")));
}

// With RocksDB 7.8 a failed log write leaves the instance refusing every
// later write, and Resume() cannot clear it; Reopen() can.
TEST(DatabaseTest, ReopenAfterAFailedLogWriteKeepsEveryAcknowledgedWrite) {
  TempDir dir;
  testing_util::FaultEnv fault;
  Database::Options options;
  options.path = dir.path();
  options.env = fault.env();
  auto db = Database::Open(options);
  ASSERT_TRUE(db.ok()) << db.status();
  auto put = [&](const std::string& key) {
    rocksdb::WriteBatch batch;
    batch.Put((*db)->model(), key, "v");
    return (*db)->Write(&batch, /*sync=*/true);
  };
  ASSERT_TRUE(put("acknowledged").ok());
  EXPECT_FALSE((*db)->needs_reopen());

  fault.fs().Arm(testing_util::WalFault::kAppend);
  absl::Status failed = put("refused");
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable) << failed;
  EXPECT_TRUE((*db)->needs_reopen());
  fault.fs().Disarm();
  // The disk works again, but the instance still refuses writes.
  EXPECT_FALSE(put("still refused").ok());

  ASSERT_TRUE((*db)->Reopen().ok());
  EXPECT_FALSE((*db)->needs_reopen());
  ASSERT_TRUE(put("after").ok());
  EXPECT_TRUE((*db)->Get(Family::kModel, "acknowledged")->has_value());
  EXPECT_FALSE((*db)->Get(Family::kModel, "refused")->has_value());
  EXPECT_TRUE((*db)->Get(Family::kModel, "after")->has_value());

  db->reset();
  db = Database::Open(options);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE((*db)->Get(Family::kModel, "acknowledged")->has_value());
  EXPECT_TRUE((*db)->Get(Family::kModel, "after")->has_value());
  EXPECT_FALSE((*db)->Get(Family::kModel, "refused")->has_value());
}

TEST(DatabaseTest, ReopenWaitsForOpenAccesses) {
  TempDir dir;
  auto db = OpenAt(dir.path());
  ASSERT_TRUE(db.ok()) << db.status();
  std::atomic<bool> reopened{false};
  std::thread reopen;
  {
    Database::Access access(db->get());
    reopen = std::thread([&] {
      EXPECT_TRUE((*db)->Reopen().ok());
      reopened = true;
    });
    absl::SleepFor(absl::Milliseconds(100));
    // Held back by the Access; a nested one on this thread still passes.
    EXPECT_FALSE(reopened.load());
    Database::Access nested(db->get());
    EXPECT_TRUE((*db)->Get(Family::kMeta, SchemaVersionKey())->has_value());
  }
  reopen.join();
  EXPECT_TRUE(reopened.load());
  EXPECT_TRUE((*db)->Get(Family::kMeta, SchemaVersionKey())->has_value());
}

}  // namespace
}  // namespace baoxue::storage
