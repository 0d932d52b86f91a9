// Log hygiene (issue 7): a server at --log_level=debug (and gRPC's own
// logging at GRPC_VERBOSITY=debug) logs every call, but its log never
// holds a token — good, revoked or made up — nor a whole ID number, not
// even one echoed back in an error; ID numbers appear masked only. The
// calls: accounts created (tokens issued), children registered, a
// duplicate, a bad check character, a mismatched 学籍号, look-ups by ID
// number (found and not), a bogus token, a revoked token and a role
// outside its scope.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "baoxue/v1/bureau.pb.h"
#include "clients/cli_values.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LogHygieneTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--log_level=debug"};
  }
  std::map<std::string, std::string> ServerEnv() const override {
    return {{"GRPC_VERBOSITY", "debug"}};
  }

  std::string CreateAccount(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"bureau", "accounts", "create"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--json");
    RunResult run = BureauCli(full);
    EXPECT_EQ(run.exit_code, 0) << DescribeRun(run);
    v1::CreateAccountResponse response;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(run.out, &response).ok());
    EXPECT_FALSE(response.token().empty());
    return response.token();
  }

  RunResult Register(const std::string& token, const std::string& number,
                     const std::string& id, const std::string& name) {
    return Cli({"school", "students", "register", "--student_number", number,
                "--id_number", id, "--name", name, "--township", "350526100",
                "--village", "350526100001", "--guardian",
                "林建国:父亲:13905951234", "--grade", "3", "--class", "2班",
                "--enrol_date", clients::FormatDay(clients::CountyToday() - 10)},
               {{"BAOXUE_TOKEN", token}});
  }
};

TEST_F(LogHygieneTest, TheDebugLogHoldsNoTokenAndNoWholeIdNumber) {
  SeedCounty();
  const std::string admin = server().ReadToken();
  const std::string school =
      CreateAccount({"--id", "xz-clerk", "--name", "浔中中心小学教务处",
                     "--role", "school", "--school", "xunzhong-primary"});
  const std::string township =
      CreateAccount({"--id", "xz-town", "--name", "浔中镇控辍专干", "--role",
                     "township", "--township", "350526100"});
  const std::string leaver =
      CreateAccount({"--id", "leaver", "--name", "离任人员", "--role", "viewer"});

  const std::string id1 = ChildIdNumber(2018, 3, 7, 1);
  const std::string id2 = ChildIdNumber(2018, 5, 12, 2);
  const std::string unknown = ChildIdNumber(2017, 1, 9, 3);
  std::string bad_check = id2.substr(0, 17) + (id2[17] == '0' ? "1" : "0");
  std::vector<std::string> ids = {id1, id2, unknown, bad_check};

  RunResult ok = Register(school, "G" + id1, id1, "林小明");
  ASSERT_EQ(ok.exit_code, 0) << DescribeRun(ok);
  // The same child again; a wrong check character; a G number that is not
  // the child's ID number.
  EXPECT_NE(Register(school, "G" + id1, id1, "林小明").exit_code, 0);
  EXPECT_NE(Register(school, "G" + bad_check, bad_check, "陈小红").exit_code, 0);
  EXPECT_NE(Register(school, "G" + id1, id2, "陈小红").exit_code, 0);

  auto find = [&](const std::string& id) {
    return BureauCli({"bureau", "students", "find", "--id_number", id});
  };
  EXPECT_EQ(find(id1).exit_code, 0);
  EXPECT_NE(find(unknown).exit_code, 0);
  EXPECT_NE(find(bad_check).exit_code, 0);

  // A made-up token, a revoked one, and a role outside its scope.
  const std::string bogus = "bx_" + std::string(43, 'Q');
  EXPECT_NE(Cli({"bureau", "status"}, {{"BAOXUE_TOKEN", bogus}}).exit_code, 0);
  RunResult revoke = BureauCli(
      {"bureau", "accounts", "revoke", "--id", "leaver", "--reason", "调离"});
  ASSERT_EQ(revoke.exit_code, 0) << DescribeRun(revoke);
  EXPECT_NE(Cli({"bureau", "status"}, {{"BAOXUE_TOKEN", leaver}}).exit_code, 0);
  EXPECT_NE(Cli({"bureau", "status"}, {{"BAOXUE_TOKEN", township}}).exit_code, 0);

  ASSERT_EQ(server().Stop(SIGTERM), 0);
  const std::string log = server().Log();
  // Not vacuous: the calls were logged, errors with their messages.
  EXPECT_THAT(log, HasSubstr("debug: rpc /baoxue.v1.SchoolService/RegisterStudent"));
  EXPECT_THAT(log, HasSubstr("debug: rpc /baoxue.v1.BureauService/FindStudent"));
  EXPECT_THAT(log, HasSubstr("account=xz-clerk"));
  EXPECT_THAT(log, HasSubstr("message="));
  EXPECT_THAT(log, HasSubstr("350526********"));

  for (const std::string* token : {&admin, &school, &township, &leaver, &bogus}) {
    EXPECT_THAT(log, Not(HasSubstr(*token))) << "a token in the log";
    // Nor a recognisable piece of one.
    EXPECT_THAT(log, Not(HasSubstr(token->substr(3, 16))));
  }
  for (const std::string& id : ids) {
    EXPECT_THAT(log, Not(HasSubstr(id))) << "a whole ID number in the log";
    // The birth date and sequence in the middle identify the child too.
    EXPECT_THAT(log, Not(HasSubstr(id.substr(6, 11)))) << id;
  }
}

}  // namespace
}  // namespace baoxue::e2e
