// End-to-end tests of the `baoxue` client against a real `baoxue-server`:
// accounts, scopes, languages, JSON, exit codes, config precedence, and a
// restart on the same data directory.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "baoxue/v1/bureau.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/township.pb.h"
#include "clients/cli_registry.h"
#include "clients/commands.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Parses the client's --json output into `message`, failing the test if it
// is not one valid JSON document of that type.
template <typename Message>
Message ParseJson(const RunResult& run) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(run.out, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << run.out;
  return message;
}

std::string Describe(const RunResult& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out +
         "\nstderr:\n" + run.err;
}

class CliTest : public ServerTest {
 protected:
  // Accounts need their school or township: set the county up first,
  // through the client, as a new county does.
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedCounty();
  }

  // Creates a school account through the client (and its school, if it does
  // not exist yet); returns the response.
  v1::CreateAccountResponse CreateSchool(const std::string& id,
                                         const std::string& school) {
    EnsureSchool(school);
    RunResult run = BureauCli({"bureau", "accounts", "create", "--id", id,
                               "--name", "浔中中心小学", "--role", "school",
                               "--school", school, "--json"});
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    return ParseJson<v1::CreateAccountResponse>(run);
  }
};

TEST_F(CliTest, CreatesSchoolAccountAndListsItInChineseAndEnglish) {
  v1::CreateAccountResponse created = CreateSchool("xz-school-01", "xz-01");
  EXPECT_EQ(created.account().account_id(), "xz-school-01");
  EXPECT_EQ(created.account().role(), v1::ROLE_SCHOOL);
  EXPECT_THAT(created.token(), StartsWith("bx_"));
  ASSERT_GT(created.sequence(), 0u);
  std::string seq = std::to_string(created.sequence());

  RunResult zh = BureauCli(
      {"--min_sequence", seq, "bureau", "accounts", "list"});
  ASSERT_EQ(zh.exit_code, 0) << Describe(zh);
  for (const char* header :
       {"账号", "名称", "角色", "学校", "乡镇", "状态", "创建时间"}) {
    EXPECT_THAT(zh.out, HasSubstr(header));
  }
  EXPECT_THAT(zh.out, HasSubstr("xz-school-01"));
  EXPECT_THAT(zh.out, HasSubstr("浔中中心小学"));
  EXPECT_THAT(zh.out, HasSubstr("有效"));
  // The token is never listed.
  EXPECT_THAT(zh.out, Not(HasSubstr(created.token())));

  RunResult en = BureauCli(
      {"bureau", "accounts", "list", "--lang", "en", "--min_sequence", seq});
  ASSERT_EQ(en.exit_code, 0) << Describe(en);
  for (const char* header :
       {"Account", "Name", "Role", "School", "Township", "Status", "Created"}) {
    EXPECT_THAT(en.out, HasSubstr(header));
  }
  EXPECT_THAT(en.out, HasSubstr("xz-school-01"));
  EXPECT_THAT(en.out, HasSubstr("active"));
  EXPECT_THAT(en.out, Not(HasSubstr("账号")));

  // BAOXUE_LANG chooses English too; a flag beats it.
  RunResult env_en = BureauCli({"bureau", "accounts", "list"},
                               {{"BAOXUE_LANG", "en"}});
  EXPECT_THAT(env_en.out, HasSubstr("Township"));
  RunResult flag_zh = BureauCli({"--lang", "zh", "bureau", "accounts", "list"},
                                {{"BAOXUE_LANG", "en"}});
  EXPECT_THAT(flag_zh.out, HasSubstr("乡镇"));
}

TEST_F(CliTest, CreateShowsTokenOnceWithWarningAndRequestId) {
  std::vector<std::string> create = {
      "bureau", "accounts", "create", "--id", "xz-town", "--name",
      "浔中镇控辍专干", "--role", "township", "--township", "350526100",
      "--request_id", "e2e-create-1"};
  RunResult first = BureauCli(create);
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  EXPECT_THAT(first.out, HasSubstr("bx_"));
  EXPECT_THAT(first.out, HasSubstr("只显示这一次"));
  EXPECT_THAT(first.out, HasSubstr("e2e-create-1"));
  EXPECT_THAT(first.out, HasSubstr("乡镇"));

  // A retry with the same request id is answered without a token.
  RunResult retry = BureauCli(create);
  ASSERT_EQ(retry.exit_code, 0) << Describe(retry);
  EXPECT_THAT(retry.out, Not(HasSubstr("bx_")));
  EXPECT_THAT(retry.out, HasSubstr("已处理过"));

  // Without --request_id one is generated and shown.
  RunResult generated = BureauCli({"--lang", "en", "bureau", "accounts",
                                   "create", "--id", "xz-town-2", "--name",
                                   "x", "--role", "township", "--township",
                                   "350526100"});
  ASSERT_EQ(generated.exit_code, 0) << Describe(generated);
  EXPECT_THAT(generated.out, HasSubstr("Request id"));
  EXPECT_THAT(generated.out, HasSubstr("cli-"));
  EXPECT_THAT(generated.out, HasSubstr("shown only this once"));
}

TEST_F(CliTest, SchoolTokenWorksForWhoamiAndIsRefusedElsewhere) {
  v1::CreateAccountResponse created = CreateSchool("xz-school-02", "xz-02");
  std::map<std::string, std::string> as_school = {
      {"BAOXUE_TOKEN", created.token()}};

  RunResult whoami = Cli({"school", "whoami"}, as_school);
  ASSERT_EQ(whoami.exit_code, 0) << Describe(whoami);
  EXPECT_THAT(whoami.out, HasSubstr("xz-school-02"));
  EXPECT_THAT(whoami.out, HasSubstr("xz-02"));
  EXPECT_THAT(whoami.out, HasSubstr("学校"));

  RunResult status = Cli({"bureau", "status"}, as_school);
  EXPECT_EQ(status.exit_code, 1) << Describe(status);
  EXPECT_THAT(status.err, StartsWith("错误："));
  EXPECT_EQ(status.out, "");

  RunResult status_en = Cli({"--lang", "en", "bureau", "status"}, as_school);
  EXPECT_EQ(status_en.exit_code, 1) << Describe(status_en);
  EXPECT_THAT(status_en.err, StartsWith("error: "));

  RunResult township = Cli({"township", "whoami"}, as_school);
  EXPECT_EQ(township.exit_code, 1) << Describe(township);

  // The bureau token is refused by the school service.
  RunResult bureau_as_school = BureauCli({"school", "whoami"});
  EXPECT_EQ(bureau_as_school.exit_code, 1) << Describe(bureau_as_school);
}

TEST_F(CliTest, JsonOutputParsesAsTheResponse) {
  v1::CreateAccountResponse created = CreateSchool("xz-school-03", "xz-03");

  RunResult status = BureauCli({"bureau", "status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  auto system = ParseJson<v1::GetSystemStatusResponse>(status);
  EXPECT_GE(system.last_sequence(), created.sequence());
  EXPECT_FALSE(system.version().empty());
  // Stable proto field names, zeros included.
  EXPECT_THAT(status.out, HasSubstr("\"worker_applied_sequence\""));
  EXPECT_THAT(status.out, HasSubstr("\"worker_lag_millis\""));

  RunResult list = BureauCli({"--json", "bureau", "accounts", "list", "--all",
                              "--min_sequence",
                              std::to_string(created.sequence())});
  ASSERT_EQ(list.exit_code, 0) << Describe(list);
  auto accounts = ParseJson<v1::ListAccountsResponse>(list);
  ASSERT_EQ(accounts.accounts_size(), 2) << list.out;
  EXPECT_EQ(accounts.accounts(1).account_id(), "xz-school-03");
  EXPECT_THAT(list.out, HasSubstr("\"account_id\""));

  RunResult whoami = Cli({"school", "whoami", "--json"},
                         {{"BAOXUE_TOKEN", created.token()}});
  ASSERT_EQ(whoami.exit_code, 0) << Describe(whoami);
  EXPECT_EQ(ParseJson<v1::GetSchoolSessionResponse>(whoami)
                .account()
                .school_id(),
            "xz-03");

  RunResult revoke = BureauCli({"bureau", "accounts", "revoke", "--id",
                                "xz-school-03", "--reason", "调离", "--json"});
  ASSERT_EQ(revoke.exit_code, 0) << Describe(revoke);
  EXPECT_GT(ParseJson<v1::RevokeAccountResponse>(revoke).sequence(),
            created.sequence());
}

TEST_F(CliTest, ListFollowsPageTokensWithAll) {
  uint64_t last = 0;
  for (const char* id : {"sch-a01", "sch-a02", "sch-a03"}) {
    last = CreateSchool(id, "xz-a").sequence();
  }
  std::string seq = std::to_string(last);
  RunResult page = BureauCli({"--json", "--min_sequence", seq, "bureau",
                              "accounts", "list", "--page_size", "2"});
  ASSERT_EQ(page.exit_code, 0) << Describe(page);
  auto first = ParseJson<v1::ListAccountsResponse>(page);
  EXPECT_EQ(first.accounts_size(), 2);
  EXPECT_FALSE(first.next_page_token().empty());

  RunResult all = BureauCli({"--json", "--min_sequence", seq, "bureau",
                             "accounts", "list", "--page_size", "2", "--all"});
  ASSERT_EQ(all.exit_code, 0) << Describe(all);
  auto everything = ParseJson<v1::ListAccountsResponse>(all);
  EXPECT_EQ(everything.accounts_size(), 4);
  EXPECT_TRUE(everything.next_page_token().empty());

  RunResult table = BureauCli({"--min_sequence", seq, "bureau", "accounts",
                               "list", "--page_size", "2"});
  ASSERT_EQ(table.exit_code, 0) << Describe(table);
  EXPECT_THAT(table.err, HasSubstr("--all"));
}

TEST_F(CliTest, UnreachableServerExitsTwo) {
  int port = ClosedPort();
  ASSERT_GT(port, 0);
  RunResult run = RawCli({"--server", "127.0.0.1:" + std::to_string(port),
                          "--token_file", server().token_file(), "bureau",
                          "status"});
  EXPECT_EQ(run.exit_code, 2) << Describe(run);
  EXPECT_THAT(run.err, StartsWith("错误："));
  EXPECT_EQ(run.out, "");

  // A write whose outcome is unknown says how to retry it safely.
  RunResult create = RawCli(
      {"--server", "127.0.0.1:" + std::to_string(port), "--token_file",
       server().token_file(), "--lang", "en", "bureau", "accounts", "create",
       "--id", "xz-school-09", "--name", "x", "--role", "school", "--school",
       "xz-09", "--request_id", "e2e-lost-1"});
  EXPECT_EQ(create.exit_code, 2) << Describe(create);
  EXPECT_THAT(create.err, StartsWith("error: "));
  EXPECT_THAT(create.err, HasSubstr("--request_id e2e-lost-1"));
}

TEST_F(CliTest, MissingTokenIsRefusedWithTheServersMessage) {
  RunResult run = Cli({"bureau", "status"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_THAT(run.err, StartsWith("错误："));
  EXPECT_THAT(run.err, HasSubstr("访问令牌"));

  RunResult en = Cli({"--lang", "en", "bureau", "accounts", "list"});
  EXPECT_EQ(en.exit_code, 1) << Describe(en);
  EXPECT_THAT(en.err, StartsWith("error: "));
  EXPECT_THAT(en.err, HasSubstr("access token"));

  RunResult bad = Cli({"bureau", "status"}, {{"BAOXUE_TOKEN", "bx_wrong"}});
  EXPECT_EQ(bad.exit_code, 1) << Describe(bad);
}

TEST_F(CliTest, RevokedTokenIsRefused) {
  v1::CreateAccountResponse created = CreateSchool("xz-school-04", "xz-04");
  std::map<std::string, std::string> as_school = {
      {"BAOXUE_TOKEN", created.token()}};
  ASSERT_EQ(Cli({"school", "whoami"}, as_school).exit_code, 0);

  RunResult revoke = BureauCli({"bureau", "accounts", "revoke", "--id",
                                "xz-school-04", "--reason", "人员调离"});
  ASSERT_EQ(revoke.exit_code, 0) << Describe(revoke);
  EXPECT_THAT(revoke.out, HasSubstr("xz-school-04"));
  EXPECT_THAT(revoke.out, HasSubstr("已吊销"));

  RunResult after = Cli({"school", "whoami"}, as_school);
  EXPECT_EQ(after.exit_code, 1) << Describe(after);
  EXPECT_THAT(after.err, StartsWith("错误："));

  // Revoking again is refused, not a failure.
  RunResult again = BureauCli({"bureau", "accounts", "revoke", "--id",
                               "xz-school-04", "--reason", "人员调离"});
  EXPECT_EQ(again.exit_code, 1) << Describe(again);

  // The listing shows it revoked once the server has applied the
  // revocation (whose sequence is the last one in the log).
  RunResult status = BureauCli({"--json", "bureau", "status"});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  uint64_t last =
      ParseJson<v1::GetSystemStatusResponse>(status).last_sequence();
  RunResult list = BureauCli({"--lang", "en", "--min_sequence",
                              std::to_string(last), "bureau", "accounts",
                              "list"});
  EXPECT_THAT(list.out, HasSubstr("revoked"));
}

TEST_F(CliTest, SigtermExitsZeroAndRestartKeepsAccounts) {
  v1::CreateAccountResponse created = CreateSchool("xz-school-05", "xz-05");
  RestartServer();
  if (HasFatalFailure()) return;

  RunResult list = BureauCli({"--json", "--min_sequence",
                              std::to_string(created.sequence()), "bureau",
                              "accounts", "list", "--all"});
  ASSERT_EQ(list.exit_code, 0) << Describe(list);
  auto accounts = ParseJson<v1::ListAccountsResponse>(list);
  bool found = false;
  for (const v1::Account& account : accounts.accounts()) {
    found = found || account.account_id() == "xz-school-05";
  }
  EXPECT_TRUE(found) << list.out;

  RunResult whoami = Cli({"school", "whoami"},
                         {{"BAOXUE_TOKEN", created.token()}});
  EXPECT_EQ(whoami.exit_code, 0) << Describe(whoami);
  EXPECT_EQ(server().Stop(SIGTERM), 0) << server().Log();
}

TEST_F(CliTest, ConfigFileEnvironmentAndFlagsTakePrecedenceInOrder) {
  std::string config_dir = home_dir() + "/.config/baoxue";
  std::filesystem::create_directories(config_dir);
  {
    std::ofstream config(config_dir + "/config");
    config << "# written by the e2e test\n"
           << "server = " << server().address() << "\n"
           << "token_file = " << server().token_file() << "\n"
           << "lang = en\n";
  }
  // Config alone.
  RunResult config_only = RawCli({"bureau", "status"});
  ASSERT_EQ(config_only.exit_code, 0) << Describe(config_only);
  EXPECT_THAT(config_only.out, HasSubstr("Last event sequence"));

  // The environment beats the config.
  std::string closed = "127.0.0.1:" + std::to_string(ClosedPort());
  RunResult env = RawCli({"bureau", "status"},
                         {{"BAOXUE_SERVER", closed}, {"BAOXUE_LANG", "zh"}});
  EXPECT_EQ(env.exit_code, 2) << Describe(env);
  EXPECT_THAT(env.err, StartsWith("错误："));

  // Flags beat the environment.
  RunResult flag = RawCli({"--server", server().address(), "bureau", "status"},
                          {{"BAOXUE_SERVER", closed}});
  EXPECT_EQ(flag.exit_code, 0) << Describe(flag);

  // A bad config line is a usage error naming the file.
  {
    std::ofstream config(config_dir + "/config");
    config << "colour = blue\n";
  }
  RunResult bad = RawCli({"bureau", "status"});
  EXPECT_EQ(bad.exit_code, 1) << Describe(bad);
  EXPECT_THAT(bad.err, HasSubstr("colour"));
}

TEST_F(CliTest, UsageErrorsNameTheProblemAndExitOne) {
  RunResult unknown = BureauCli({"bureau", "frobnicate"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("bureau frobnicate"));

  RunResult flag = BureauCli({"bureau", "accounts", "list", "--bogus"});
  EXPECT_EQ(flag.exit_code, 1);
  EXPECT_THAT(flag.err, HasSubstr("--bogus"));

  RunResult missing = BureauCli({"bureau", "accounts", "create", "--id",
                                 "abc"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("--name"));
  EXPECT_THAT(missing.err, HasSubstr("--role"));

  RunResult role = BureauCli({"bureau", "accounts", "create", "--id", "abc",
                              "--name", "x", "--role", "teacher"});
  EXPECT_EQ(role.exit_code, 1);
  EXPECT_THAT(role.err, HasSubstr("teacher"));

  RunResult stray = BureauCli({"bureau", "status", "now"});
  EXPECT_EQ(stray.exit_code, 1);
  EXPECT_THAT(stray.err, HasSubstr("now"));

  RunResult bare = RawCli({});
  EXPECT_EQ(bare.exit_code, 1);
  EXPECT_THAT(bare.err, HasSubstr("bureau"));

  RunResult server_refusal = BureauCli({"bureau", "accounts", "create", "--id",
                                        "A!", "--name", "x", "--role",
                                        "school", "--school", "xz-01"});
  EXPECT_EQ(server_refusal.exit_code, 1) << Describe(server_refusal);
}

TEST_F(CliTest, EveryCommandAndGroupHasHelpWithAnExample) {
  RunResult root = RawCli({"--help"});
  ASSERT_EQ(root.exit_code, 0);
  EXPECT_THAT(root.out, HasSubstr("bureau"));
  EXPECT_THAT(root.out, HasSubstr("--token_file"));
  EXPECT_THAT(root.out, Not(HasSubstr("min_sequence")));  // Hidden.
  EXPECT_EQ(RawCli({"help"}).out, root.out);

  clients::CommandRegistry registry;
  clients::RegisterAllCommands(&registry);
  for (const clients::CommandSpec& command : registry.all_commands()) {
    std::vector<std::string> args;
    for (size_t start = 0; start <= command.path.size();) {
      size_t space = command.path.find(' ', start);
      if (space == std::string::npos) space = command.path.size();
      args.push_back(command.path.substr(start, space - start));
      start = space + 1;
    }
    args.push_back("--help");
    RunResult zh = RawCli(args);
    EXPECT_EQ(zh.exit_code, 0) << command.path;
    // The examples section shows the command itself.
    size_t examples = zh.out.find("示例");
    ASSERT_NE(examples, std::string::npos) << command.path;
    EXPECT_THAT(zh.out.substr(examples), HasSubstr(command.path));
    args.push_back("--lang=en");
    RunResult en = RawCli(args);
    EXPECT_THAT(en.out, HasSubstr("Examples"));
    // `help <path>` says the same.
    args.pop_back();
    args.pop_back();
    args.insert(args.begin(), "help");
    EXPECT_EQ(RawCli(args).out, zh.out) << command.path;
  }
  for (const char* group : {"bureau", "school", "township"}) {
    RunResult help = RawCli({group, "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_THAT(help.out, HasSubstr("示例")) << group;
  }
  RunResult accounts = RawCli({"bureau", "accounts", "--help", "--lang", "en"});
  EXPECT_THAT(accounts.out, HasSubstr("Examples"));
}

// `bureau clock` moves the county clock of a server in simulated time and
// appends the ticks on the way; it never goes back, and a server on the
// wall clock refuses it (CliTest's server) with exit code 1.
class SimulatedClockCliTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--simulated_time=2026-08-31"};
  }
};

TEST_F(SimulatedClockCliTest, ClockMovesForwardWithTicksAndNeverBack) {
  RunResult run = BureauCli({"bureau", "clock", "--to", "2026-09-01",
                             "--time", "18:00", "--json"});
  ASSERT_EQ(run.exit_code, 0) << Describe(run);
  auto moved = ParseJson<v1::AdvanceClockResponse>(run);
  // Each hour from 01:00 to 18:00, and midnight: at least 18 ticks.
  EXPECT_GE(moved.ticks(), 18) << run.out;
  EXPECT_GT(moved.last_sequence(), 0u);

  RunResult text = BureauCli({"bureau", "clock", "--to", "2026-09-02"});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_THAT(text.out, HasSubstr("县时钟已推进到 2026-09-02"));

  RunResult back = BureauCli({"--lang", "en", "bureau", "clock", "--to",
                              "2026-09-01"});
  EXPECT_EQ(back.exit_code, 1) << Describe(back);
  RunResult bad = BureauCli({"bureau", "clock", "--to", "2026-09-03",
                             "--time", "25:00"});
  EXPECT_EQ(bad.exit_code, 1) << Describe(bad);
  EXPECT_THAT(bad.err, HasSubstr("--time"));
}

TEST_F(CliTest, ClockIsRefusedOnTheWallClock) {
  RunResult run = BureauCli({"--lang", "en", "bureau", "clock", "--to",
                             "2026-09-01"});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_THAT(run.err, HasSubstr("--simulated_time"));
}

}  // namespace
}  // namespace baoxue::e2e
