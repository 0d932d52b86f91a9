// Storage faults through the whole server (issue 7): while the disk fails
// the write-ahead log's append or sync (tests/storage/fault_fs.h), every
// write RPC is UNAVAILABLE and nothing is acknowledged; the server stays
// up and keeps answering reads; once the disk works again the same
// requests succeed — a retry whose first attempt did reach the log is
// answered from it — and the worker catches up.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"
#include "tests/storage/fault_fs.h"

namespace baoxue::services::testing_server {
namespace {

class StorageFaultTest : public ServerFixture {
 protected:
  void SetUp() override {
    env_ = fault_.env();
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    EnsureCounty();
  }

  testing_util::FaultFileSystem& fs() { return fault_.fs(); }

  grpc::Status CreateTownshipWithId(const std::string& code,
                                    const std::string& request_id,
                                    v1::CreateTownshipResponse* response) {
    v1::CreateTownshipRequest request;
    request.mutable_township()->set_township_code(code);
    request.mutable_township()->set_name("浔中镇");
    request.set_request_id(request_id);
    return Call(bureau_.get(), &v1::BureauService::Stub::CreateTownship,
                admin_token_, request, response);
  }

  std::vector<std::string> Townships(uint64_t min_sequence) {
    v1::ListTownshipsRequest request;
    request.set_min_sequence(min_sequence);
    v1::ListTownshipsResponse response;
    grpc::Status status = Call(bureau_.get(),
                               &v1::BureauService::Stub::ListTownships,
                               admin_token_, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    std::vector<std::string> codes;
    for (const auto& t : response.townships()) codes.push_back(t.township_code());
    return codes;
  }

  // Outlives the server: TearDown() shuts it down before members go.
  testing_util::FaultEnv fault_;
};

TEST_F(StorageFaultTest, AFailingDiskIsUnavailableAndTheServerRecovers) {
  uint64_t before = LastSequence();
  fs().Arm(testing_util::WalFault::kAppend);
  v1::CreateTownshipResponse response;
  grpc::Status failed = CreateTownshipWithId("350526100", "t-1", &response);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE)
      << Describe(failed);
  EXPECT_THAT(failed.error_message(), ::testing::HasSubstr("存储暂不可用"));
  grpc::Status again = CreateTownshipWithId("350526200", "t-2", &response);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::UNAVAILABLE)
      << Describe(again);
  // Still up: reads are answered, nothing was appended.
  EXPECT_EQ(SystemStatus().last_sequence(), before);
  EXPECT_TRUE(Townships(0).empty());

  fs().Disarm();
  BX_ASSERT_OK(CreateTownshipWithId("350526100", "t-1", &response));
  EXPECT_EQ(response.sequence(), before + 1);
  BX_ASSERT_OK(CreateTownshipWithId("350526200", "t-2", &response));
  EXPECT_EQ(response.sequence(), before + 2);
  EXPECT_EQ(Townships(before + 2),
            (std::vector<std::string>{"350526100", "350526200"}));
  v1::GetSystemStatusResponse status = SystemStatus();
  EXPECT_EQ(status.last_sequence(), before + 2);
  EXPECT_EQ(status.worker_applied_sequence(), before + 2);
  EXPECT_GE(server_->sequencer()->stats().reopens, 1u);

  // Everything acknowledged survives a restart.
  RestartServer();
  EXPECT_EQ(Townships(before + 2).size(), 2u);
}

TEST_F(StorageFaultTest, AFailedSyncIsUnavailableAndItsRetryIsAnsweredOnce) {
  uint64_t before = LastSequence();
  fs().Arm(testing_util::WalFault::kSync);
  v1::CreateTownshipResponse response;
  grpc::Status failed = CreateTownshipWithId("350526100", "t-1", &response);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE)
      << Describe(failed);
  fs().Disarm();
  // The bytes had reached the log file; the reopen recovered them. The
  // retry gets that event, and the log holds it once.
  BX_ASSERT_OK(CreateTownshipWithId("350526100", "t-1", &response));
  EXPECT_EQ(response.sequence(), before + 1);
  EXPECT_EQ(LastSequence(), before + 1);
  EXPECT_EQ(Townships(before + 1), (std::vector<std::string>{"350526100"}));
  EXPECT_EQ(SystemStatus().worker_applied_sequence(), before + 1);
}

}  // namespace
}  // namespace baoxue::services::testing_server
