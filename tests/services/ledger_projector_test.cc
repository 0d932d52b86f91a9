// LedgerProjector: a case write moves the case's index entries and counts
// from the places it leaves to the places it enters, and writes nothing for
// the places it keeps.
#include "services/ledger_projector.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/model_txn.h"
#include "tests/storage/test_util.h"

namespace baoxue::services {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class LedgerProjectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Database::Options options;
    options.path = dir_.path();
    auto db = storage::Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  // A projection transaction as the worker opens one per batch.
  std::unique_ptr<storage::ModelTxn> Projection() {
    return std::make_unique<storage::ModelTxn>(db_.get(),
                                               storage::Family::kProjection);
  }

  void Commit(const storage::ModelTxn& projection) {
    rocksdb::WriteBatch batch;
    projection.WriteTo(&batch);
    ASSERT_TRUE(db_->Write(&batch, /*sync=*/false).ok());
  }

  // The case ids listed under `prefix`.
  std::vector<std::string> Listed(const storage::ModelTxn& projection,
                                  const std::string& prefix) {
    std::vector<std::string> ids;
    absl::Status s = projection.Scan(
        prefix, [&](absl::string_view key, absl::string_view) {
          ids.push_back(CaseIdFromIndexKey(key, prefix.size()));
          return true;
        });
    EXPECT_TRUE(s.ok()) << s;
    return ids;
  }

  uint64_t Counter(const storage::ModelTxn& projection, LedgerScope scope,
                   const std::string& id, const std::string& name) {
    auto value = ReadCounter(projection, scope, id, name);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.value_or(0);
  }

  testing_util::TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  LedgerProjector projector_;
};

v1::Case SuspectedCase() {
  v1::Case c;
  c.set_case_id("case-1");
  c.set_student_id("student-1");
  c.set_household_township_code("350526100");
  c.set_school_id("school-1");
  c.set_state(v1::CASE_STATE_SUSPECTED);
  c.mutable_open_time()->set_seconds(1790000000);
  c.mutable_update_time()->set_seconds(1790000000);
  c.set_last_sequence(10);
  return c;
}

TEST_F(LedgerProjectorTest, AWriteThatKeepsTheCasesPlacesWritesOnlyItsChange) {
  const v1::Case opened = SuspectedCase();
  auto first = Projection();
  projector_.Bind(first.get());
  ASSERT_TRUE(projector_.OnCaseWritten(std::nullopt, opened).ok());
  Commit(*first);

  // A home visit: the case's state, urgency and scopes stay as they were.
  v1::Case visited = opened;
  visited.set_last_sequence(11);
  visited.mutable_update_time()->set_seconds(1790003600);
  auto second = Projection();
  projector_.Bind(second.get());
  ASSERT_TRUE(projector_.OnCaseWritten(opened, visited).ok());
  // The watch feed's entry, and nothing else.
  EXPECT_EQ(second->size(), 1u);
  Commit(*second);

  auto reader = Projection();
  const std::string suspected = StateCounterName(v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(Counter(*reader, LedgerScope::kCounty, "", suspected), 1u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kTownship, "350526100", suspected), 1u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kSchool, "school-1", suspected), 1u);
  EXPECT_THAT(Listed(*reader, CaseIndexPrefix(LedgerScope::kCounty, "",
                                              v1::LEDGER_OPEN)),
              ElementsAre("case-1"));
}

TEST_F(LedgerProjectorTest, AWriteMovesTheCaseFromThePlacesItLeavesToThoseItEnters) {
  const v1::Case opened = SuspectedCase();
  auto first = Projection();
  projector_.Bind(first.get());
  ASSERT_TRUE(projector_.OnCaseWritten(std::nullopt, opened).ok());
  Commit(*first);

  // Confirmed, urgent, and the child's household moved to another township.
  v1::Case confirmed = opened;
  confirmed.set_state(v1::CASE_STATE_CONFIRMED);
  confirmed.set_priority(v1::CASE_PRIORITY_URGENT);
  confirmed.set_household_township_code("350526101");
  confirmed.set_last_sequence(12);
  auto second = Projection();
  projector_.Bind(second.get());
  ASSERT_TRUE(projector_.OnCaseWritten(opened, confirmed).ok());
  Commit(*second);

  auto reader = Projection();
  const std::string suspected = StateCounterName(v1::CASE_STATE_SUSPECTED);
  const std::string confirmed_name = StateCounterName(v1::CASE_STATE_CONFIRMED);
  EXPECT_EQ(Counter(*reader, LedgerScope::kCounty, "", suspected), 0u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kCounty, "", confirmed_name), 1u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kCounty, "", kCounterUrgent), 1u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kTownship, "350526100", suspected), 0u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kTownship, "350526101", confirmed_name),
            1u);
  // The school's counts move between states, and stay in the same school.
  EXPECT_EQ(Counter(*reader, LedgerScope::kSchool, "school-1", suspected), 0u);
  EXPECT_EQ(Counter(*reader, LedgerScope::kSchool, "school-1", confirmed_name), 1u);

  EXPECT_THAT(Listed(*reader, CaseIndexPrefix(LedgerScope::kCounty, "",
                                              v1::CASE_STATE_SUSPECTED)),
              IsEmpty());
  EXPECT_THAT(Listed(*reader, CaseIndexPrefix(LedgerScope::kTownship, "350526100",
                                              v1::LEDGER_OPEN)),
              IsEmpty());
  EXPECT_THAT(Listed(*reader, CaseIndexPrefix(LedgerScope::kTownship, "350526101",
                                              v1::LEDGER_DROPOUT)),
              ElementsAre("case-1"));
  EXPECT_THAT(Listed(*reader, CaseIndexPrefix(LedgerScope::kSchool, "school-1",
                                              v1::LEDGER_OPEN)),
              ElementsAre("case-1"));
}

}  // namespace
}  // namespace baoxue::services
