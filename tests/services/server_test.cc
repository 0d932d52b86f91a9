// In-process integration tests: a real services::Server on 127.0.0.1:0
// with a temporary data directory, called over a real gRPC channel.
#include "services/server.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "tests/services/test_server.h"
#include "tests/storage/test_util.h"

namespace baoxue::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_util::TempDir;

using testing_server::Prepare;

// The shared in-process fixture (tests/services/test_server.h): a server with
// a ManualClock; accounts of a school or township create it first.
class ServerTest : public testing_server::ServerFixture {
 protected:
  struct Created {
    grpc::Status status;
    v1::CreateAccountResponse response;
  };

  Created CreateAccount(const v1::Account& account,
                        const std::string& request_id = "",
                        const std::string* token = nullptr,
                        const std::string& lang = "") {
    grpc::ClientContext context;
    Prepare(&context, token != nullptr ? token : &admin_token_, lang);
    v1::CreateAccountRequest request;
    *request.mutable_account() = account;
    request.set_request_id(request_id);
    Created created;
    created.status = bureau_->CreateAccount(&context, request, &created.response);
    return created;
  }

  v1::GetSystemStatusResponse Status() {
    grpc::ClientContext context;
    Prepare(&context, &admin_token_);
    v1::GetSystemStatusResponse response;
    grpc::Status status =
        bureau_->GetSystemStatus(&context, v1::GetSystemStatusRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status ListAccounts(const v1::ListAccountsRequest& request,
                            v1::ListAccountsResponse* response,
                            const std::string* token = nullptr) {
    grpc::ClientContext context;
    Prepare(&context, token != nullptr ? token : &admin_token_);
    return bureau_->ListAccounts(&context, request, response);
  }

  // Every account id, walking the pages; waits for `min_sequence`.
  std::vector<std::string> AllAccountIds(uint64_t min_sequence,
                                         const std::string* token = nullptr) {
    std::vector<std::string> ids;
    v1::ListAccountsRequest request;
    request.set_page_size(1);
    request.set_min_sequence(min_sequence);
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListAccountsResponse response;
      grpc::Status status = ListAccounts(request, &response, token);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      EXPECT_LE(response.accounts_size(), 1);
      for (const auto& a : response.accounts()) ids.push_back(a.account_id());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return ids;
  }

  // One call of each service's RPCs with `token` (null: none); the
  // requests are deliberately invalid, as authentication comes first.
  std::vector<grpc::Status> CallEveryService(const std::string* token) {
    std::vector<grpc::Status> out;
    {
      grpc::ClientContext context;
      Prepare(&context, token);
      v1::CreateAccountRequest request;  // no account at all
      request.set_request_id("bad request id with spaces");
      v1::CreateAccountResponse response;
      out.push_back(bureau_->CreateAccount(&context, request, &response));
    }
    {
      grpc::ClientContext context;
      Prepare(&context, token);
      v1::ListAccountsRequest request;
      request.set_page_size(-5);
      request.set_page_token("!!not a token!!");
      v1::ListAccountsResponse response;
      out.push_back(bureau_->ListAccounts(&context, request, &response));
    }
    {
      grpc::ClientContext context;
      Prepare(&context, token);
      v1::RevokeAccountRequest request;  // no account, no reason
      v1::RevokeAccountResponse response;
      out.push_back(bureau_->RevokeAccount(&context, request, &response));
    }
    {
      grpc::ClientContext context;
      Prepare(&context, token);
      v1::GetSchoolSessionResponse response;
      out.push_back(school_->GetSchoolSession(
          &context, v1::GetSchoolSessionRequest(), &response));
    }
    {
      grpc::ClientContext context;
      Prepare(&context, token);
      v1::GetTownshipSessionResponse response;
      out.push_back(township_->GetTownshipSession(
          &context, v1::GetTownshipSessionRequest(), &response));
    }
    return out;
  }

  void ExpectAllUnauthenticated(const std::string* token,
                                const std::string& what) {
    uint64_t before = server_->log()->LastSequence();
    for (const grpc::Status& status : CallEveryService(token)) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << what << ": " << status.error_message();
    }
    EXPECT_EQ(server_->log()->LastSequence(), before) << what;
  }

};

v1::Account SchoolAccount(const std::string& id) {
  v1::Account account;
  account.set_account_id(id);
  account.set_display_name("浔中中心小学教务处");
  account.set_role(v1::ROLE_SCHOOL);
  account.set_school_id("xunzhong-primary");
  return account;
}

TEST_F(ServerTest, FirstStartWritesTheBureauTokenOwnerOnly) {
  EXPECT_TRUE(server_->created_first_account());
  EXPECT_EQ(server_->token_file(), dir_.sub("data") + "/bureau-admin.token");
  struct stat info;
  ASSERT_EQ(::stat(server_->token_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_THAT(admin_token_, ::testing::StartsWith("bx_"));
  EXPECT_GE(admin_token_.size(), 40u);
  // The token works and belongs to a BUREAU account.
  grpc::ClientContext context;
  Prepare(&context, &admin_token_);
  v1::ListAccountsRequest request;
  request.set_min_sequence(1);
  v1::ListAccountsResponse response;
  ASSERT_TRUE(bureau_->ListAccounts(&context, request, &response).ok());
  ASSERT_EQ(response.accounts_size(), 1);
  EXPECT_EQ(response.accounts(0).account_id(), "bureau-admin");
  EXPECT_EQ(response.accounts(0).role(), v1::ROLE_BUREAU);
  // Only the hash is stored: the token is nowhere in the log.
  std::vector<v1::Event> events;
  ASSERT_TRUE(server_->log()->Read(1, 10, &events).ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0].DebugString(), Not(HasSubstr(admin_token_)));
  EXPECT_EQ(events[0].account_created().token_sha256(), Sha256Hex(admin_token_));
}

TEST_F(ServerTest, MissingMalformedOrUnknownTokenIsUnauthenticated) {
  ExpectAllUnauthenticated(nullptr, "no token");
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"empty", ""},
      {"scheme only", "Bearer"},
      {"scheme and space", "Bearer "},
      {"other scheme", "Basic " + admin_token_},
      {"no scheme", admin_token_},
      {"unknown", "Bearer bx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
      {"truncated", "Bearer " + admin_token_.substr(0, admin_token_.size() - 1)},
  };
  for (const auto& [what, header] : headers) {
    uint64_t before = server_->log()->LastSequence();
    grpc::ClientContext context;
    context.AddMetadata("authorization", header);
    v1::CreateAccountRequest request;
    *request.mutable_account() = SchoolAccount("should-not-exist");
    v1::CreateAccountResponse response;
    grpc::Status status = bureau_->CreateAccount(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << what << ": " << status.error_message();
    EXPECT_EQ(server_->log()->LastSequence(), before) << what;
    grpc::ClientContext school_context;
    school_context.AddMetadata("authorization", header);
    v1::GetSchoolSessionResponse session;
    EXPECT_EQ(school_->GetSchoolSession(&school_context,
                                        v1::GetSchoolSessionRequest(), &session)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << what;
  }
  std::string unknown = "bx_" + std::string(43, 'Q');
  ExpectAllUnauthenticated(&unknown, "unknown token");
  // The messages say what to do, in Chinese by default.
  grpc::Status none = CallEveryService(nullptr)[0];
  EXPECT_THAT(none.error_message(), HasSubstr("authorization"));
  EXPECT_THAT(none.error_message(), HasSubstr("令牌"));
}

TEST_F(ServerTest, RevokedTokenIsRefusedOnTheNextCall) {
  std::string school = MakeAccount("school-xunzhong", v1::ROLE_SCHOOL,
                                   "xunzhong-primary");
  {
    grpc::ClientContext context;
    Prepare(&context, &school);
    v1::GetSchoolSessionResponse response;
    ASSERT_TRUE(school_->GetSchoolSession(&context, v1::GetSchoolSessionRequest(),
                                          &response)
                    .ok());
    EXPECT_EQ(response.account().account_id(), "school-xunzhong");
    EXPECT_EQ(response.account().school_id(), "xunzhong-primary");
  }
  grpc::ClientContext context;
  Prepare(&context, &admin_token_);
  v1::RevokeAccountRequest request;
  request.set_account_id("school-xunzhong");
  request.set_reason("教务员调离");
  v1::RevokeAccountResponse response;
  ASSERT_TRUE(bureau_->RevokeAccount(&context, request, &response).ok());
  EXPECT_EQ(response.sequence(), last_sequence_ + 1);
  // No waiting: the very next call is refused.
  ExpectAllUnauthenticated(&school, "revoked token");
  // The revocation is visible in the listing once applied.
  v1::ListAccountsRequest list;
  list.set_min_sequence(response.sequence());
  v1::ListAccountsResponse accounts;
  ASSERT_TRUE(ListAccounts(list, &accounts).ok());
  bool found = false;
  for (const auto& a : accounts.accounts()) {
    if (a.account_id() == "school-xunzhong") found = a.revoked();
  }
  EXPECT_TRUE(found);
  // Revoking it again is an illegal state change.
  grpc::ClientContext again;
  Prepare(&again, &admin_token_);
  EXPECT_EQ(bureau_->RevokeAccount(&again, request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ServerTest, WrongRoleIsPermissionDenied) {
  std::string school = MakeAccount("school-a", v1::ROLE_SCHOOL, "school-a");
  std::string township =
      MakeAccount("township-a", v1::ROLE_TOWNSHIP, "", "350526100");
  std::string viewer = MakeAccount("viewer-a", v1::ROLE_BUREAU_VIEWER);
  uint64_t before = server_->log()->LastSequence();

  auto expect_denied = [](const grpc::Status& status, const std::string& what) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << what << ": " << status.error_message();
  };
  // A school account on BureauService: writes and reads.
  expect_denied(CreateAccount(SchoolAccount("by-school"), "", &school).status,
                "school CreateAccount");
  v1::ListAccountsResponse accounts;
  expect_denied(ListAccounts(v1::ListAccountsRequest(), &accounts, &school),
                "school ListAccounts");
  // A township account on BureauService and SchoolService.
  expect_denied(ListAccounts(v1::ListAccountsRequest(), &accounts, &township),
                "township ListAccounts");
  for (const std::string* token : {&admin_token_, &township, &viewer}) {
    grpc::ClientContext context;
    Prepare(&context, token);
    v1::GetSchoolSessionResponse response;
    expect_denied(school_->GetSchoolSession(
                      &context, v1::GetSchoolSessionRequest(), &response),
                  "non-school on SchoolService");
  }
  for (const std::string* token : {&admin_token_, &school, &viewer}) {
    grpc::ClientContext context;
    Prepare(&context, token);
    v1::GetTownshipSessionResponse response;
    expect_denied(township_->GetTownshipSession(
                      &context, v1::GetTownshipSessionRequest(), &response),
                  "non-township on TownshipService");
  }
  // A bureau viewer reads but does not write.
  expect_denied(CreateAccount(SchoolAccount("by-viewer"), "", &viewer).status,
                "viewer CreateAccount");
  {
    grpc::ClientContext context;
    Prepare(&context, &viewer);
    v1::RevokeAccountRequest request;
    request.set_account_id("school-a");
    request.set_reason("x");
    v1::RevokeAccountResponse response;
    expect_denied(bureau_->RevokeAccount(&context, request, &response),
                  "viewer RevokeAccount");
  }
  EXPECT_TRUE(ListAccounts(v1::ListAccountsRequest(), &accounts, &viewer).ok());
  EXPECT_EQ(server_->log()->LastSequence(), before);  // nothing written

  // The role names itself in the message, in the caller's language.
  grpc::ClientContext context;
  Prepare(&context, &school, "en");
  v1::ListAccountsResponse response;
  grpc::Status denied =
      bureau_->ListAccounts(&context, v1::ListAccountsRequest(), &response);
  EXPECT_THAT(denied.error_message(), HasSubstr("school-a"));
  EXPECT_THAT(denied.error_message(), HasSubstr("may not"));

  // And each role works where it belongs.
  grpc::ClientContext township_context;
  Prepare(&township_context, &township);
  v1::GetTownshipSessionResponse session;
  ASSERT_TRUE(township_->GetTownshipSession(&township_context,
                                            v1::GetTownshipSessionRequest(),
                                            &session)
                  .ok());
  EXPECT_EQ(session.account().township_code(), "350526100");
}

TEST_F(ServerTest, CreateAccountValidationNamesTheField) {
  struct Case {
    std::string what;
    v1::Account account;
    std::string field;
  };
  std::vector<Case> cases;
  {
    v1::Account a = SchoolAccount("");
    cases.push_back({"no id", a, "account.account_id"});
    a.set_account_id("Upper-Case");
    cases.push_back({"bad id", a, "account.account_id"});
    a = SchoolAccount("school-b");
    a.set_display_name("");
    cases.push_back({"no name", a, "account.display_name"});
    a = SchoolAccount("school-b");
    a.clear_school_id();
    cases.push_back({"school without school", a, "account.school_id"});
    a = SchoolAccount("school-b");
    a.set_role(v1::ROLE_UNSPECIFIED);
    cases.push_back({"no role", a, "account.role"});
    a = SchoolAccount("township-b");
    a.set_role(v1::ROLE_TOWNSHIP);
    a.clear_school_id();
    a.set_township_code("3505");
    cases.push_back({"short township code", a, "account.township_code"});
  }
  EnsureSchool("xunzhong-primary");
  uint64_t before = server_->log()->LastSequence();
  for (const Case& c : cases) {
    for (const std::string lang : {"", "en"}) {
      Created created = CreateAccount(c.account, "", nullptr, lang);
      EXPECT_EQ(created.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << c.what;
      EXPECT_THAT(created.status.error_message(), HasSubstr(c.field))
          << c.what << " (" << lang << ")";
      EXPECT_TRUE(created.response.token().empty());
    }
  }
  EXPECT_EQ(server_->log()->LastSequence(), before);

  ASSERT_TRUE(CreateAccount(SchoolAccount("school-b")).status.ok());
  Created duplicate = CreateAccount(SchoolAccount("school-b"));
  EXPECT_EQ(duplicate.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(duplicate.status.error_message(), HasSubstr("school-b"));
}

TEST_F(ServerTest, AccountOfAMissingSchoolOrTownshipIsRefused) {
  uint64_t before = server_->log()->LastSequence();
  Created school = CreateAccount(SchoolAccount("school-nowhere"));
  EXPECT_EQ(school.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(school.status.error_message(), HasSubstr("account.school_id"));
  EXPECT_THAT(school.status.error_message(), HasSubstr("不存在"));
  v1::Account township = SchoolAccount("township-nowhere");
  township.set_role(v1::ROLE_TOWNSHIP);
  township.clear_school_id();
  township.set_township_code("350526109");
  Created t = CreateAccount(township, "", nullptr, "en");
  EXPECT_EQ(t.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(t.status.error_message(),
            "account.township_code: township 350526109 does not exist");
  EXPECT_EQ(server_->log()->LastSequence(), before);
  // Once they exist, the same accounts are created.
  EnsureSchool("xunzhong-primary");
  EnsureTownship("350526109");
  EXPECT_TRUE(CreateAccount(SchoolAccount("school-nowhere")).status.ok());
  EXPECT_TRUE(CreateAccount(township).status.ok());
}

TEST_F(ServerTest, MessagesAreChineseByDefaultAndEnglishOnRequest) {
  v1::Account account = SchoolAccount("");
  Created zh = CreateAccount(account);
  Created en = CreateAccount(account, "", nullptr, "en");
  Created en_us = CreateAccount(account, "", nullptr, "en-US,en;q=0.9");
  Created zh_cn = CreateAccount(account, "", nullptr, "zh-CN");
  EXPECT_EQ(zh.status.error_message(), "账号（account.account_id）：必填");
  EXPECT_EQ(en.status.error_message(), "account.account_id: is required");
  EXPECT_EQ(en_us.status.error_message(), en.status.error_message());
  EXPECT_EQ(zh_cn.status.error_message(), zh.status.error_message());
  // Also for authentication errors, which happen before anything else.
  grpc::ClientContext context;
  Prepare(&context, nullptr, "en");
  v1::GetSchoolSessionResponse response;
  grpc::Status status =
      school_->GetSchoolSession(&context, v1::GetSchoolSessionRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("no valid access token"));
}

TEST_F(ServerTest, RetriedRequestIdReturnsTheSameSequenceAndNoToken) {
  EnsureSchool("xunzhong-primary");
  Created first = CreateAccount(SchoolAccount("school-c"), "create-school-c");
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_FALSE(first.response.token().empty());
  uint64_t last = Status().last_sequence();
  EXPECT_EQ(last, first.response.sequence());

  Created retry = CreateAccount(SchoolAccount("school-c"), "create-school-c");
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_EQ(retry.response.sequence(), first.response.sequence());
  EXPECT_TRUE(retry.response.token().empty());  // shown only once
  EXPECT_EQ(retry.response.account().account_id(), "school-c");
  EXPECT_EQ(Status().last_sequence(), last);  // nothing appended

  // The same request_id for a different request is refused.
  Created reused = CreateAccount(SchoolAccount("school-d"), "create-school-c");
  EXPECT_EQ(reused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(reused.status.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(Status().last_sequence(), last);

  // The token of the first response works.
  grpc::ClientContext context;
  Prepare(&context, &first.response.token());
  v1::GetSchoolSessionResponse session;
  EXPECT_TRUE(school_->GetSchoolSession(&context, v1::GetSchoolSessionRequest(),
                                        &session)
                  .ok());
}

TEST_F(ServerTest, RevokingTheLastBureauAccountIsRefused) {
  auto revoke = [this](const std::string& id) {
    grpc::ClientContext context;
    Prepare(&context, &admin_token_);
    v1::RevokeAccountRequest request;
    request.set_account_id(id);
    request.set_reason("测试");
    v1::RevokeAccountResponse response;
    return bureau_->RevokeAccount(&context, request, &response);
  };
  grpc::Status last = revoke("bureau-admin");
  EXPECT_EQ(last.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << last.error_message();
  // A viewer does not count as a bureau administrator.
  MakeAccount("viewer-b", v1::ROLE_BUREAU_VIEWER);
  EXPECT_EQ(revoke("bureau-admin").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // With a second bureau account the first may go.
  std::string second = MakeAccount("bureau-second", v1::ROLE_BUREAU);
  ASSERT_TRUE(revoke("bureau-admin").ok());
  ExpectAllUnauthenticated(&admin_token_, "revoked admin");
  EXPECT_EQ(revoke("no-such-account").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);  // the caller is revoked
  grpc::ClientContext context;
  Prepare(&context, &second);
  v1::RevokeAccountRequest request;
  request.set_account_id("no-such-account");
  request.set_reason("x");
  v1::RevokeAccountResponse response;
  EXPECT_EQ(bureau_->RevokeAccount(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, ListAccountsPagesThroughEveryAccount) {
  std::vector<std::string> expected = {"bureau-admin"};
  for (const std::string id : {"school-z", "school-a", "township-m",
                               "school-a.b", "school-a-b"}) {
    if (id.rfind("township", 0) == 0) {
      MakeAccount(id, v1::ROLE_TOWNSHIP, "", "350526101");
    } else {
      MakeAccount(id, v1::ROLE_SCHOOL, id);
    }
    expected.push_back(id);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(AllAccountIds(last_sequence_), expected);

  // A bigger page returns them all at once, without a next page.
  v1::ListAccountsRequest request;
  request.set_page_size(100);
  v1::ListAccountsResponse response;
  ASSERT_TRUE(ListAccounts(request, &response).ok());
  EXPECT_EQ(response.accounts_size(), static_cast<int>(expected.size()));
  EXPECT_TRUE(response.next_page_token().empty());

  for (int bad_size : {-1, 1001}) {
    v1::ListAccountsRequest bad;
    bad.set_page_size(bad_size);
    grpc::Status status = ListAccounts(bad, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  }
  v1::ListAccountsRequest bad_token;
  bad_token.set_page_token("not a page token!");
  grpc::Status status = ListAccounts(bad_token, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
}

TEST_F(ServerTest, MinSequenceGivesReadYourWrites) {
  // Each write is immediately visible to a read that names its sequence;
  // no sleeping, no polling.
  EnsureSchool("xunzhong-primary");  // the county, a township, the school
  const uint64_t seeded = Status().last_sequence();
  EXPECT_EQ(seeded, 4u);  // the first account and the three above
  for (int i = 0; i < 20; ++i) {
    std::string id = absl::StrCat("school-ryw-", i);
    Created created = CreateAccount(SchoolAccount(id));
    ASSERT_TRUE(created.status.ok()) << created.status.error_message();
    v1::ListAccountsRequest request;
    request.set_min_sequence(created.response.sequence());
    request.set_page_size(1000);
    v1::ListAccountsResponse response;
    ASSERT_TRUE(ListAccounts(request, &response).ok());
    bool found = false;
    for (const auto& a : response.accounts()) found |= a.account_id() == id;
    EXPECT_TRUE(found) << id << " missing at min_sequence "
                       << created.response.sequence();
  }
  v1::GetSystemStatusResponse status = Status();
  EXPECT_EQ(status.last_sequence(), seeded + 20);
  EXPECT_EQ(status.version(), BAOXUE_VERSION);

  // A sequence that will never come: the call's deadline bounds the wait.
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + admin_token_);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(300));
  v1::ListAccountsRequest request;
  request.set_min_sequence(1000000);
  v1::ListAccountsResponse response;
  EXPECT_EQ(bureau_->ListAccounts(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(ServerTest, SystemStatusReportsTheWorker) {
  MakeAccount("school-s", v1::ROLE_SCHOOL, "school-s");
  ASSERT_TRUE(server_->worker()->WaitForApplied(
      last_sequence_, absl::Now() + absl::Seconds(30)));
  v1::GetSystemStatusResponse status = Status();
  EXPECT_EQ(status.last_sequence(), last_sequence_);
  EXPECT_EQ(status.worker_applied_sequence(), last_sequence_);
  EXPECT_EQ(status.worker_lag_events(), 0u);
  EXPECT_EQ(status.worker_lag_millis(), 0);
}

// Sends one request on a raw method and returns the response bytes.
grpc::Status RawUnary(grpc::Channel* channel, const std::string& method,
                      const std::string& request_bytes, std::string* out) {
  grpc::GenericStub stub(channel->shared_from_this());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::CompletionQueue cq;
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  auto call = stub.PrepareUnaryCall(&context, method, request, &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  EXPECT_TRUE(cq.Next(&tag, &ok));
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  std::vector<grpc::Slice> slices;
  if (status.ok() && response.Dump(&slices).ok()) {
    out->clear();
    for (const auto& s : slices) {
      out->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

TEST_F(ServerTest, HealthCheckIsServing) {
  std::string response;
  grpc::Status status =
      RawUnary(channel_.get(), "/grpc.health.v1.Health/Check", "", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // HealthCheckResponse{status = SERVING}: field 1, varint 1.
  EXPECT_EQ(response, std::string("\x08\x01", 2));
  // Without authentication: load balancers and probes have no token.
}

// Calls ServerReflectionInfo with list_services and returns the raw reply.
std::string ListServicesByReflection(grpc::Channel* channel) {
  grpc::GenericStub stub(channel->shared_from_this());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::CompletionQueue cq;
  void* tag;
  bool ok;
  auto next = [&](intptr_t expected) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), expected);
    return ok;
  };
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      &cq);
  call->StartCall(reinterpret_cast<void*>(1));
  next(1);
  // ServerReflectionRequest{list_services = ""}: field 7, length 0.
  grpc::Slice slice(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  next(2);
  call->WritesDone(reinterpret_cast<void*>(3));
  next(3);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  std::string bytes;
  if (next(4)) {
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(response.Dump(&slices).ok());
    for (const auto& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  next(5);
  EXPECT_TRUE(status.ok()) << status.error_message();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return bytes;
}

TEST_F(ServerTest, ReflectionListsTheThreeServices) {
  std::string reply = ListServicesByReflection(channel_.get());
  EXPECT_THAT(reply, HasSubstr("baoxue.v1.SchoolService"));
  EXPECT_THAT(reply, HasSubstr("baoxue.v1.TownshipService"));
  EXPECT_THAT(reply, HasSubstr("baoxue.v1.BureauService"));
}

TEST_F(ServerTest, RestartKeepsAccountsAndTheBureauToken) {
  std::string school = MakeAccount("school-r", v1::ROLE_SCHOOL, "school-r");
  MakeAccount("township-r", v1::ROLE_TOWNSHIP, "", "350526102");
  {
    grpc::ClientContext context;
    Prepare(&context, &admin_token_);
    v1::RevokeAccountRequest request;
    request.set_account_id("township-r");
    request.set_reason("测试吊销");
    v1::RevokeAccountResponse response;
    ASSERT_TRUE(bureau_->RevokeAccount(&context, request, &response).ok());
    last_sequence_ = response.sequence();
  }
  std::vector<std::string> before = AllAccountIds(last_sequence_);
  std::string token_before = admin_token_;
  uint64_t sequence_before = server_->log()->LastSequence();

  RestartServer();

  EXPECT_FALSE(server_->created_first_account());
  EXPECT_EQ(admin_token_, token_before);  // the file was not rewritten
  EXPECT_EQ(server_->log()->LastSequence(), sequence_before);
  EXPECT_EQ(AllAccountIds(sequence_before), before);
  EXPECT_EQ(before.size(), 3u);
  // The worker resumed from its committed offset, not from the start.
  EXPECT_EQ(server_->worker()->EventsApplied().value_or(0), sequence_before);
  // Tokens still work, and the revoked one is still refused.
  grpc::ClientContext context;
  Prepare(&context, &school);
  v1::GetSchoolSessionResponse session;
  EXPECT_TRUE(school_->GetSchoolSession(&context, v1::GetSchoolSessionRequest(),
                                        &session)
                  .ok());
  // New writes continue the log (for a school that exists already).
  MakeAccount("school-after", v1::ROLE_SCHOOL, "school-r");
  EXPECT_EQ(last_sequence_, sequence_before + 1);
}

TEST_F(ServerTest, RevocationSurvivesRestart) {
  std::string township = MakeAccount("township-q", v1::ROLE_TOWNSHIP, "",
                                     "350526103");
  grpc::ClientContext context;
  Prepare(&context, &admin_token_);
  v1::RevokeAccountRequest request;
  request.set_account_id("township-q");
  request.set_reason("测试");
  v1::RevokeAccountResponse response;
  ASSERT_TRUE(bureau_->RevokeAccount(&context, request, &response).ok());
  RestartServer();
  ExpectAllUnauthenticated(&township, "revoked before restart");
}

TEST(ServerStartTest, NonLoopbackWithoutTlsOrInsecureIsRefused) {
  TempDir dir;
  ServerOptions options;
  options.data_dir = dir.sub("data");
  options.run_ticker = false;
  for (const std::string listen : {"0.0.0.0:0", "[::]:0", "192.0.2.1:7070"}) {
    options.listen = listen;
    auto server = Server::Start(options);
    ASSERT_FALSE(server.ok()) << listen;
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(MessageIn(server.status(), Lang::kEn), HasSubstr("--insecure"));
    EXPECT_THAT(MessageIn(server.status(), Lang::kEn), HasSubstr("TLS"));
  }
  // Refused before anything was created.
  EXPECT_FALSE(std::filesystem::exists(options.data_dir));

  // The same address is acceptable with TLS or with --insecure.
  options.listen = "0.0.0.0:7070";
  options.insecure = true;
  EXPECT_TRUE(ValidateListenOptions(options).ok());
  options.insecure = false;
  options.tls_cert = "cert.pem";
  options.tls_key = "key.pem";
  EXPECT_TRUE(ValidateListenOptions(options).ok());
  options.tls_key.clear();
  EXPECT_FALSE(ValidateListenOptions(options).ok());  // cert without key
  options.listen = "127.0.0.1";
  options.tls_cert.clear();
  EXPECT_FALSE(ValidateListenOptions(options).ok());  // no port
  options.listen = "localhost:7070";
  EXPECT_TRUE(ValidateListenOptions(options).ok());
}

TEST(ServerStartTest, ANewerDataDirectoryIsRefusedAtStart) {
  TempDir dir;
  {
    storage::Database::Options db_options;
    db_options.path = dir.sub("data");
    auto db = storage::Database::Open(db_options);
    ASSERT_TRUE(db.ok());
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE((*db)->db()
                    ->Put(sync, (*db)->meta(), storage::SchemaVersionKey(),
                          storage::EncodeFixed64(storage::kSchemaVersion + 1))
                    .ok());
  }
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir.sub("data");
  options.run_ticker = false;
  auto server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace baoxue::services
