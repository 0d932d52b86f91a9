// ModelTxn: reads see a transaction's own writes over its parent's over a
// pending root's over the database, and a scan merges them as it goes, so
// one that stops early reads only as far as it got.
#include "storage/model_txn.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/test_util.h"

namespace baoxue::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using testing_util::TempDir;

class ModelTxnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Database::Options options;
    options.path = dir_.path();
    auto db = Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  // Stores `key` -> `value` in the model family, as a committed group would.
  void Store(const std::string& key, const std::string& value) {
    rocksdb::WriteBatch batch;
    ASSERT_TRUE(batch.Put(db_->model(), key, value).ok());
    ASSERT_TRUE(db_->Write(&batch, /*sync=*/false).ok());
  }

  // Every record `txn` shows under `prefix` from `start`, in order.
  static std::vector<std::pair<std::string, std::string>> ScanAll(
      const ModelTxn& txn, const std::string& prefix, const std::string& start = "") {
    std::vector<std::pair<std::string, std::string>> seen;
    absl::Status s = txn.Scan(
        prefix,
        [&](absl::string_view k, absl::string_view v) {
          seen.emplace_back(std::string(k), std::string(v));
          return true;
        },
        start);
    EXPECT_TRUE(s.ok()) << s;
    return seen;
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(ModelTxnTest, ScanMergesStagedWritesOverStoredRecordsInKeyOrder) {
  Store("k1", "stored-1");
  Store("k3", "stored-3");
  Store("k5", "stored-5");
  Store("x1", "other prefix");
  ModelTxn root(db_.get(), Family::kModel);
  root.Put("k2", "root-2");
  root.Put("k3", "root-3");
  ModelTxn child(&root);
  child.Delete("k5");
  child.Put("k4", "child-4");
  child.Put("k3", "child-3");

  EXPECT_THAT(ScanAll(child, "k"),
              ElementsAre(Pair("k1", "stored-1"), Pair("k2", "root-2"),
                          Pair("k3", "child-3"), Pair("k4", "child-4")));
  // The parent does not see the child's writes until they are committed.
  EXPECT_THAT(ScanAll(root, "k"),
              ElementsAre(Pair("k1", "stored-1"), Pair("k2", "root-2"),
                          Pair("k3", "root-3"), Pair("k5", "stored-5")));
  EXPECT_THAT(ScanAll(child, "k", "k3"),
              ElementsAre(Pair("k3", "child-3"), Pair("k4", "child-4")));
  child.CommitToParent();
  EXPECT_THAT(ScanAll(root, "k", "k4"), ElementsAre(Pair("k4", "child-4")));
}

TEST_F(ModelTxnTest, ARootReadsThroughItsPendingPredecessorAsIfItWereWritten) {
  // The worker applies a batch while the one before it is being written:
  // the earlier batch's writes and deletes must show as if they were stored.
  Store("k1", "stored-1");
  Store("k3", "stored-3");
  Store("k5", "stored-5");
  ModelTxn pending(db_.get(), Family::kModel);
  pending.Put("k1", "pending-1");
  pending.Put("k2", "pending-2");
  pending.Delete("k3");
  pending.Put("k4", "pending-4");
  ModelTxn next(db_.get(), Family::kModel, "", &pending);
  next.Put("k4", "next-4");
  next.Put("k6", "next-6");

  EXPECT_EQ(next.Get("k1").value(), "pending-1");
  EXPECT_EQ(next.Get("k2").value(), "pending-2");
  EXPECT_EQ(next.Get("k3").value(), std::nullopt);
  EXPECT_EQ(next.Get("k4").value(), "next-4");
  EXPECT_EQ(next.Get("k5").value(), "stored-5");
  EXPECT_THAT(ScanAll(next, "k"),
              ElementsAre(Pair("k1", "pending-1"), Pair("k2", "pending-2"),
                          Pair("k4", "next-4"), Pair("k5", "stored-5"),
                          Pair("k6", "next-6")));
  // A child of the new root sees all three layers too.
  ModelTxn child(&next);
  child.Delete("k2");
  EXPECT_EQ(child.Get("k2").value(), std::nullopt);
  EXPECT_THAT(ScanAll(child, "k", "k2"),
              ElementsAre(Pair("k4", "next-4"), Pair("k5", "stored-5"),
                          Pair("k6", "next-6")));

  // Only the new root's own writes go into its batch: the pending ones are
  // written by whoever holds them.
  rocksdb::WriteBatch batch;
  next.WriteTo(&batch);
  EXPECT_EQ(batch.Count(), 2u);
  // Once they are written, the same reads come from the database.
  rocksdb::WriteBatch earlier;
  pending.WriteTo(&earlier);
  ASSERT_TRUE(db_->Write(&earlier, /*sync=*/false).ok());
  ModelTxn after(db_.get(), Family::kModel);
  after.Put("k4", "next-4");
  after.Put("k6", "next-6");
  EXPECT_EQ(ScanAll(after, "k"), ScanAll(next, "k"));
}

TEST_F(ModelTxnTest, AScanThatStopsEarlyReadsOnlyWhatItVisited) {
  // A long stored range (like every timer in the county) and a write staged
  // in it: stopping after three records must not read the other thousands.
  for (int i = 0; i < 5000; ++i) {
    Store(absl::StrCat("t", absl::Dec(i, absl::kZeroPad5)), "");
  }
  ModelTxn txn(db_.get(), Family::kModel);
  txn.Put("t00001x", "staged");
  txn.Put("t04000", "staged late");
  std::vector<std::string> seen;
  uint64_t before = db_->KeysRead();
  ASSERT_TRUE(txn.Scan("t", [&](absl::string_view k, absl::string_view) {
                   seen.emplace_back(k);
                   return seen.size() < 3;
                 }).ok());
  uint64_t read = db_->KeysRead() - before;
  EXPECT_THAT(seen, ElementsAre("t00000", "t00001", "t00001x"));
  EXPECT_LT(read, 10u) << "the scan read on past where it stopped";
}

}  // namespace
}  // namespace baoxue::storage
