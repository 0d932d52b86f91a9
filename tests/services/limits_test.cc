// The limits of services/limits.h, each tested over real gRPC (issue 7):
// message size → RESOURCE_EXHAUSTED; an over-long string anywhere in any
// request → INVALID_ARGUMENT naming the field's path; page size and rows
// per import chunk; a write whose deadline passed while it was queued is
// not executed; calls in flight per account → RESOURCE_EXHAUSTED. Every
// refused call writes nothing.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/accounts.h"
#include "services/limits.h"
#include "services/rpc.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Bureau = v1::BureauService::Stub;

class LimitsTest : public ServerFixture {
 protected:
  void CustomizeOptions(ServerOptions* options) override {
    options->limits.max_receive_message_bytes = 64 << 10;
    options->limits.max_string_bytes = 4096;
    options->limits.max_calls_per_account = 2;
  }

  // Holds the sequencer on a command of its own until Release(): writes
  // queue up behind it.
  void BlockSequencer() {
    storage::Command blocker;
    blocker.prepare = [this](const storage::ModelTxn&, v1::Event*) {
      blocking_.Notify();
      release_.WaitForNotification();
      return absl::OkStatus();  // nothing to record
    };
    blocker.done = [](const storage::CommandResult&) {};
    server_->sequencer()->Submit(std::move(blocker));
    blocking_.WaitForNotification();
  }
  void Release() { release_.Notify(); }

  void TearDown() override {
    if (!release_.HasBeenNotified()) release_.Notify();
    ServerFixture::TearDown();
  }

  v1::CreateTownshipRequest Township(const std::string& code,
                                     const std::string& name,
                                     const std::string& request_id = "") {
    v1::CreateTownshipRequest request;
    request.mutable_township()->set_township_code(code);
    request.mutable_township()->set_name(name);
    request.set_request_id(request_id);
    return request;
  }

  absl::Notification blocking_;
  absl::Notification release_;
};

TEST_F(LimitsTest, AMessageOverTheSizeLimitIsResourceExhausted) {
  EnsureCounty();
  const uint64_t before = LastSequence();
  v1::CreateTownshipResponse response;
  grpc::Status status =
      Call(bureau_.get(), &Bureau::CreateTownship, admin_token_,
           Township(kYangmei, std::string(100 << 10, 'x')), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << Describe(status);
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(LimitsTest, AnOverlongStringIsRefusedNamingItsField) {
  EnsureCounty();
  const std::string school =
      MakeAccount("clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
  const uint64_t before = LastSequence();
  const std::string long_text(4097, 'a');
  {  // A write: the nested field's path.
    v1::CreateTownshipResponse response;
    grpc::Status status = Call(bureau_.get(), &Bureau::CreateTownship,
                               admin_token_, Township(kYangmei, long_text),
                               &response, "en");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("township.name"));
    EXPECT_THAT(status.error_message(), HasSubstr("4096"));
  }
  {  // Exactly the limit passes this check (and the field's own rule refuses).
    v1::CreateTownshipResponse response;
    grpc::Status status = Call(bureau_.get(), &Bureau::CreateTownship,
                               admin_token_,
                               Township(kYangmei, std::string(4096, 'a')),
                               &response, "en");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), Not(HasSubstr("4096 bytes")));
  }
  {  // A read, and a field no validator looks at.
    v1::ListAccountsRequest request;
    request.set_page_token(long_text);
    v1::ListAccountsResponse response;
    grpc::Status status = Call(bureau_.get(), &Bureau::ListAccounts,
                               admin_token_, request, &response, "en");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
  }
  {  // Repeated and nested: a guardian's name, in Chinese by default.
    v1::Student child = Child("林小明", absl::CivilDay(2017, 3, 4), 11);
    child.add_guardians()->set_name(long_text);
    v1::RegisterStudentResponse response;
    grpc::Status status =
        Register(school, child, 3, "2班", D(2026, 9, 1), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(),
                HasSubstr("student.guardians[1].name：长度不能超过 4096 字节"));
  }
  {  // A chunk of a client stream.
    grpc::ClientContext context;
    Prepare(&context, &school, "en");
    v1::ImportStudentsResponse response;
    auto writer = school_->ImportStudents(&context, &response);
    v1::ImportStudentsRequest chunk;
    chunk.add_rows()->set_class_name(long_text);
    writer->Write(chunk);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("rows[0].class_name"));
  }
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(LimitsTest, PageSizesAndRowsPerChunkAreBounded) {
  SeedCounty();
  v1::ListAccountsRequest request;
  v1::ListAccountsResponse response;
  request.set_page_size(1001);
  grpc::Status status = Call(bureau_.get(), &Bureau::ListAccounts, admin_token_,
                             request, &response, "en");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  request.set_page_size(1000);
  BX_EXPECT_OK(Call(bureau_.get(), &Bureau::ListAccounts, admin_token_, request,
                    &response));

  std::string school = MakeAccount("clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
  const uint64_t before = LastSequence();
  grpc::ClientContext context;
  Prepare(&context, &school, "en");
  v1::ImportStudentsResponse imported;
  auto writer = school_->ImportStudents(&context, &imported);
  v1::ImportStudentsRequest chunk;
  for (int i = 0; i < 1001; ++i) chunk.add_rows()->set_line(i + 1);
  writer->Write(chunk);
  writer->WritesDone();
  status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("1000"));
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(LimitsTest, AWriteWhoseDeadlinePassedInTheQueueIsNotExecuted) {
  EnsureCounty();
  const uint64_t before = LastSequence();
  BlockSequencer();
  grpc::Status late_status;
  std::thread late([&] {
    grpc::ClientContext context;
    Prepare(&context, &admin_token_);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(300));
    v1::CreateTownshipResponse response;
    late_status = bureau_->CreateTownship(
        &context, Township(kYangmei, "杨梅乡", "late-1"), &response);
  });
  // Release the sequencer only once the request has reached the server
  // (its call holds a slot; the command is queued behind the blocker) and
  // its server-side deadline — at most 300 ms after it arrived — has
  // passed. Releasing earlier on a loaded machine let a request that
  // arrived late run before its deadline.
  absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (server_->gate()->InFlight(kFirstBureauAccountId) == 0 &&
         absl::Now() < give_up) {
    std::this_thread::yield();
  }
  absl::SleepFor(absl::Milliseconds(350));
  late.join();
  EXPECT_EQ(late_status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  Release();
  // The sequencer now meets the late command; the next write, queued after
  // it, tells us it has been dealt with.
  v1::CreateTownshipResponse other;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::CreateTownship, admin_token_,
                    Township(kSanban, "三班镇"), &other));
  EXPECT_EQ(other.sequence(), before + 1) << "the late write was executed";
  EXPECT_EQ(LastSequence(), before + 1);
  // Its request_id was never used: the retry acts, once.
  v1::CreateTownshipResponse retried;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::CreateTownship, admin_token_,
                    Township(kYangmei, "杨梅乡", "late-1"), &retried));
  EXPECT_EQ(retried.sequence(), before + 2);
}

TEST_F(LimitsTest, CallsInFlightPerAccountAreBounded) {
  EnsureCounty();
  std::string other_bureau = MakeAccount("deputy", v1::ROLE_BUREAU);
  const uint64_t before = LastSequence();
  BlockSequencer();
  // Two writes of the administrator wait behind the blocker.
  std::vector<grpc::Status> results(2);
  std::vector<std::thread> waiting;
  const char* codes[] = {kYangmei, kSanban};
  for (int i = 0; i < 2; ++i) {
    waiting.emplace_back([&, i] {
      auto stub = v1::BureauService::NewStub(channel_);
      v1::CreateTownshipResponse response;
      results[i] = Call(stub.get(), &Bureau::CreateTownship, admin_token_,
                        Township(codes[i], TownshipName(codes[i])), &response);
    });
  }
  while (server_->gate()->InFlight(kFirstBureauAccountId) < 2) {
    std::this_thread::yield();
  }
  // A third call of the same account is refused at once, even a read.
  v1::GetSystemStatusResponse status_response;
  grpc::Status third =
      Call(bureau_.get(), &Bureau::GetSystemStatus, admin_token_,
           v1::GetSystemStatusRequest(), &status_response, "en");
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << Describe(third);
  EXPECT_THAT(third.error_message(), HasSubstr(kFirstBureauAccountId));
  // Another account is not affected.
  BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetSystemStatus, other_bureau,
                    v1::GetSystemStatusRequest(), &status_response));

  Release();
  for (auto& t : waiting) t.join();
  BX_EXPECT_OK(results[0]);
  BX_EXPECT_OK(results[1]);
  EXPECT_EQ(LastSequence(), before + 2);
  // Their slots are free again.
  EXPECT_EQ(server_->gate()->InFlight(kFirstBureauAccountId), 0);
  BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetSystemStatus, admin_token_,
                    v1::GetSystemStatusRequest(), &status_response));
}

TEST(CheckStringLengthsTest, NamesTheFirstOverlongFieldByPath) {
  v1::ImportStudentsRequest request;
  request.add_rows()->set_class_name("2班");
  request.add_rows()->mutable_student()->add_former_student_numbers("G1");
  EXPECT_TRUE(CheckStringLengths(request, 8).ok());
  request.mutable_rows(1)->mutable_student()->add_former_student_numbers(
      std::string(9, '1'));
  absl::Status status = CheckStringLengths(request, 8);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("rows[1].student.former_student_numbers[1]"));
}

TEST(MaskForLogTest, MasksIdNumbersAndTokens) {
  EXPECT_EQ(MaskForLog("id_number 35052620180307001X is taken"),
            "id_number 350526********001X is taken");
  EXPECT_EQ(MaskForLog("学籍号 G350526201803070011 已存在"),
            "学籍号 G350526********0011 已存在");
  EXPECT_EQ(MaskForLog("token bx_abcDEF123-_xyz refused"), "token bx_*** refused");
  EXPECT_EQ(MaskForLog("sequence 12345 of 2026-09-01, code 350526100"),
            "sequence 12345 of 2026-09-01, code 350526100");
}

}  // namespace
}  // namespace baoxue::services::testing_server
