// The demo county end to end: the real baoxue-server in simulated time and
// the real baoxue-demo driver play a small county (600 students, three
// weeks); then every case state, the three ledgers (适龄儿童台账, 疑似辍学台账,
// 辍学台账) and the monthly report have something to show — read over gRPC
// and through the baoxue client — and running the driver again writes
// nothing.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "deploy/demo/demo_client.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(DemoCountyTest, ASmallDemoFillsEveryCaseStateTheLedgersAndTheMonthlyReport) {
  TempDir temp;
  const std::string data_dir = temp.path() + "/demo-data";
  std::string error;
  auto server = ServerProcess::Start(data_dir, temp.path(), &error,
                                     {"--simulated_time=2026-08-31"});
  ASSERT_NE(server, nullptr) << error;
  const std::vector<std::string> demo_args = {
      "--server=" + server->address(), "--token_file=" + server->token_file(),
      "--students=600", "--weeks=3", "--lang=en"};
  RunResult demo = RunProgram(BAOXUE_DEMO_BIN, demo_args, {}, temp.path(), 120);
  ASSERT_EQ(demo.exit_code, 0) << demo.err << server->Log();
  EXPECT_THAT(demo.err, HasSubstr("The demo county is ready"));

  // The driver's own client: a bearer token, a deadline, plaintext.
  demo::DemoClient client(server->address(), "zh");
  auto Call = [&client](auto* stub, auto method, const std::string& token,
                        const auto& request, auto* response) {
    return client.Call(stub, method, token, request, response);
  };
  v1::BureauService::Stub* bureau = client.bureau();
  v1::TownshipService::Stub* township = client.township();
  const std::string token = server->ReadToken();
  using Bureau = v1::BureauService::Stub;

  // Every state of a case's life has at least one case.
  v1::GetSummaryResponse summary;
  ASSERT_TRUE(Call(bureau, &Bureau::GetSummary, token,
                   v1::GetSummaryRequest(), &summary).ok());
  for (int state = v1::CASE_STATE_SUSPECTED; state <= v1::CASE_STATE_CLOSED; ++state) {
    ASSERT_GT(summary.summary().by_state_size(), state);
    EXPECT_GT(summary.summary().by_state(state), 0)
        << "no case in " << v1::CaseState_Name(v1::CaseState(state));
  }
  EXPECT_GT(summary.summary().high_priority(), 0);
  EXPECT_GT(summary.summary().overdue(), 0);

  // 疑似辍学台账 and 辍学台账.
  for (v1::Ledger ledger : {v1::LEDGER_SUSPECTED, v1::LEDGER_DROPOUT}) {
    v1::ListCountyCasesRequest request;
    request.mutable_filter()->set_ledger(ledger);
    v1::ListCountyCasesResponse response;
    ASSERT_TRUE(Call(bureau, &Bureau::ListCountyCases, token, request,
                     &response).ok());
    EXPECT_GT(response.rows_size(), 0) << v1::Ledger_Name(ledger);
  }
  // 适龄儿童台账 of 浔中镇's first village, as the township sees it.
  const std::string town_token =
      ReadFile(data_dir + "/demo-tokens/town-350526100.token");
  ASSERT_FALSE(town_token.empty());
  v1::ListRosterRequest roster_request;
  roster_request.set_village_code("350526100001");
  v1::ListRosterResponse roster;
  ASSERT_TRUE(Call(township, &v1::TownshipService::Stub::ListRoster,
                   town_token, roster_request, &roster).ok());
  EXPECT_GT(roster.entries_size(), 0);

  // The monthly report for September: the county's line (last) has cases
  // opened, returned and closed in the month.
  v1::GetMonthlyReportRequest month;
  month.set_year(2026);
  month.set_month(9);
  v1::GetMonthlyReportResponse report;
  ASSERT_TRUE(Call(bureau, &Bureau::GetMonthlyReport, token, month, &report).ok());
  ASSERT_GT(report.lines_size(), 0);
  const v1::MonthlyReportLine& county = report.lines(report.lines_size() - 1);
  EXPECT_GT(county.opened(), 0);
  EXPECT_GT(county.dismissed(), 0);
  EXPECT_GT(county.returned(), 0);
  EXPECT_GT(county.closed(), 0);

  // What a person would type: the dropout ledger through the client.
  RunResult ledger = RunProgram(
      BAOXUE_CLI_BIN,
      {"--server", server->address(), "--token_file", server->token_file(),
       "bureau", "ledger", "dropout", "--all"},
      {}, temp.path());
  EXPECT_EQ(ledger.exit_code, 0) << ledger.err;
  EXPECT_THAT(ledger.out, HasSubstr("劝返中"));

  // Running the driver again on the same server writes nothing.
  v1::GetSystemStatusResponse before;
  ASSERT_TRUE(Call(bureau, &Bureau::GetSystemStatus, token,
                   v1::GetSystemStatusRequest(), &before).ok());
  RunResult again = RunProgram(BAOXUE_DEMO_BIN, demo_args, {}, temp.path(), 120);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  v1::GetSystemStatusResponse after;
  ASSERT_TRUE(Call(bureau, &Bureau::GetSystemStatus, token,
                   v1::GetSystemStatusRequest(), &after).ok());
  EXPECT_EQ(after.last_sequence(), before.last_sequence());
  EXPECT_EQ(server->Stop(), 0);
}

TEST(DemoCountyTest, TheDriverRefusesAServerOnTheWallClock) {
  TempDir temp;
  std::string error;
  auto server = ServerProcess::Start(temp.path() + "/data", temp.path(), &error);
  ASSERT_NE(server, nullptr) << error;
  RunResult demo = RunProgram(
      BAOXUE_DEMO_BIN,
      {"--server=" + server->address(), "--token_file=" + server->token_file(),
       "--students=600", "--weeks=1", "--lang=en"},
      {}, temp.path(), 60);
  EXPECT_EQ(demo.exit_code, 1);
  EXPECT_THAT(demo.err, HasSubstr("--simulated_time"));
}

}  // namespace
}  // namespace baoxue::e2e
