// Backup and restore with the real binaries (issue 7): the county writes,
// `baoxue bureau backup` takes an online backup, more is written, then
// `baoxue-server --restore_from=... --data_dir=NEW` restores the backup
// into a fresh directory and verifies it (its report: last sequence,
// counts, a rebuild that matches); a server started on the restored
// directory shows the backup's moment — the same last sequence, the child
// registered before the backup and not the one after. A restore into a
// non-empty directory is refused and changes nothing.
#include <filesystem>
#include <fstream>
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

namespace fs = std::filesystem;
using ::testing::HasSubstr;

template <typename Message>
Message ParseJson(const RunResult& run) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(run.out, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << run.out << run.err;
  return message;
}

class BackupRestoreTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--backup_dir=" + run_dir() + "/backups"};
  }

  RunResult Register(const std::string& token, const std::string& id,
                     const std::string& name) {
    return Cli({"school", "students", "register", "--student_number", "G" + id,
                "--id_number", id, "--name", name, "--township", "350526100",
                "--village", "350526100001", "--guardian",
                "林建国:父亲:13905951234", "--grade", "3", "--class", "2班",
                "--enrol_date", clients::FormatDay(clients::CountyToday() - 10),
                "--json"},
               {{"BAOXUE_TOKEN", token}});
  }

  // `baoxue ... bureau status` against `address` with the admin's token.
  uint64_t LastSequenceAt(const std::string& address) {
    RunResult status = RawCli({"--server", address, "--token_file",
                               server().token_file(), "--json", "bureau",
                               "status"});
    EXPECT_EQ(status.exit_code, 0) << DescribeRun(status);
    return ParseJson<v1::GetSystemStatusResponse>(status).last_sequence();
  }

  RunResult Restore(const std::string& from, const std::string& to) {
    return RunProgram(BAOXUE_SERVER_BIN,
                      {"--restore_from=" + from, "--data_dir=" + to, "--lang=en"},
                      {{"PATH", "/usr/bin:/bin"}}, run_dir());
  }
};

TEST_F(BackupRestoreTest, BackupThroughTheCliRestoreIntoAFreshDirectoryAndServe) {
  SeedCounty();
  RunResult account = BureauCli(
      {"bureau", "accounts", "create", "--id", "xz-clerk", "--name",
       "浔中中心小学教务处", "--role", "school", "--school", "xunzhong-primary",
       "--json"});
  ASSERT_EQ(account.exit_code, 0) << DescribeRun(account);
  const std::string school = ParseJson<v1::CreateAccountResponse>(account).token();
  const std::string before_id = ChildIdNumber(2018, 3, 7, 1);
  RunResult first = Register(school, before_id, "林小明");
  ASSERT_EQ(first.exit_code, 0) << DescribeRun(first);
  const uint64_t at_backup = LastSequenceAt(server().address());

  RunResult backup = BureauCli({"bureau", "backup", "--json"});
  ASSERT_EQ(backup.exit_code, 0) << DescribeRun(backup);
  v1::BackupInfo info = ParseJson<v1::CreateBackupResponse>(backup).backup();
  EXPECT_EQ(info.last_sequence(), at_backup);
  EXPECT_TRUE(fs::is_directory(info.path())) << info.path();
  EXPECT_THAT(info.name(), HasSubstr("baoxue-backup-"));
  // The human form says how to restore it.
  RunResult listed = BureauCli({"bureau", "backups"});
  ASSERT_EQ(listed.exit_code, 0) << DescribeRun(listed);
  EXPECT_THAT(listed.out, HasSubstr(info.name()));
  EXPECT_THAT(listed.out, HasSubstr("共 1 个备份"));

  // Written after the backup.
  const std::string after_id = ChildIdNumber(2018, 5, 12, 2);
  ASSERT_EQ(Register(school, after_id, "陈小红").exit_code, 0);

  // A non-empty target is refused and left as it was.
  const std::string occupied = run_dir() + "/occupied";
  fs::create_directories(occupied);
  { std::ofstream(occupied + "/notes.txt") << "keep"; }
  RunResult refused = Restore(info.path(), occupied);
  EXPECT_EQ(refused.exit_code, 1) << DescribeRun(refused);
  EXPECT_THAT(refused.err, HasSubstr("is not empty"));
  EXPECT_EQ(std::distance(fs::directory_iterator(occupied),
                          fs::directory_iterator()),
            1);

  // Restore into a fresh directory: verified, and the report says so.
  const std::string restored = run_dir() + "/restored";
  RunResult restore = Restore(info.path(), restored);
  ASSERT_EQ(restore.exit_code, 0) << DescribeRun(restore);
  EXPECT_THAT(restore.out,
              HasSubstr(absl::StrCat("last event sequence   ", at_backup, "\n")));
  EXPECT_THAT(restore.out, HasSubstr("rebuild matches       yes"));

  // A server on the restored directory. The admin token file is a secret
  // kept beside the data, not in backups: the operator brings it along.
  fs::copy_file(server().token_file(), restored + "/bureau-admin.token");
  std::string error;
  auto second = ServerProcess::Start(restored, run_dir(), &error);
  ASSERT_NE(second, nullptr) << error;
  // It starts from the backup's last event; its ticker may record the
  // time (a clock event) as soon as it starts, so allow for a few more.
  const uint64_t restored_last = LastSequenceAt(second->address());
  EXPECT_GE(restored_last, at_backup);
  EXPECT_LE(restored_last, at_backup + 2);
  auto find = [&](const std::string& address, const std::string& id) {
    return RawCli({"--server", address, "--token_file", server().token_file(),
                   "--json", "bureau", "students", "find", "--id_number", id});
  };
  RunResult found = find(second->address(), before_id);
  EXPECT_EQ(found.exit_code, 0) << DescribeRun(found);
  EXPECT_THAT(found.out, HasSubstr("林小明"));
  EXPECT_NE(find(second->address(), after_id).exit_code, 0);
  // The original server still has both.
  EXPECT_EQ(find(server().address(), after_id).exit_code, 0);
  EXPECT_EQ(second->Stop(SIGTERM), 0) << second->Log();
}

}  // namespace
}  // namespace baoxue::e2e
