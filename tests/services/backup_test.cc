// Backup and restore (issue 7): CreateBackup takes an online, consistent
// checkpoint into a timestamped directory under --backup_dir, BUREAU only;
// ListBackups lists them; RestoreBackup copies one into a fresh directory
// and verifies it (schema, last sequence, counts, a rebuild equal to the
// restored projections); a server started on the restored directory sees
// exactly the data of the backup's moment. Restore refuses a non-empty
// target, and verification catches projections that differ from a rebuild.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "services/backup.h"
#include "storage/database.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

namespace fs = std::filesystem;

class BackupTest : public ServerFixture {
 protected:
  void CustomizeOptions(ServerOptions* options) override {
    options->backup_dir = dir_.sub("backups");
  }

  v1::CreateBackupResponse Backup() {
    v1::CreateBackupResponse response;
    EXPECT_TRUE(Call(bureau_.get(), &v1::BureauService::Stub::CreateBackup,
                     admin_token_, v1::CreateBackupRequest(), &response)
                    .ok());
    return response;
  }

  // A server on `data_dir` (no ticker, the fixture's clock).
  std::unique_ptr<Server> StartOn(const std::string& data_dir) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = data_dir;
    options.run_ticker = false;
    options.query_threads = 2;
    options.clock = clock_.get();
    auto server = Server::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? std::move(*server) : nullptr;
  }

  // FindStudent by ID number against `server`, as the original admin (the
  // restored directory holds the same accounts and token hashes).
  grpc::Status Find(Server* server, const std::string& id_number) {
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->port()),
                            grpc::InsecureChannelCredentials());
    auto stub = v1::BureauService::NewStub(channel);
    v1::FindStudentRequest request;
    request.set_id_number(id_number);
    v1::FindStudentResponse response;
    return Call(stub.get(), &v1::BureauService::Stub::FindStudent, admin_token_,
                request, &response);
  }
};

TEST_F(BackupTest, BackupRestoreAndServeTheSameData) {
  SeedCounty();
  SetCountyTime(2026, 9, 14, 9);
  std::string school = MakeAccount("xz-school", v1::ROLE_SCHOOL, kXunzhongPrimary);
  v1::Student before = Child("林小明", absl::CivilDay(2017, 3, 4), 11);
  RegisterOk(school, before);
  const uint64_t at_backup = LastSequence();

  v1::CreateBackupResponse first = Backup();
  EXPECT_EQ(first.backup().last_sequence(), at_backup);
  EXPECT_TRUE(fs::is_directory(first.backup().path())) << first.backup().path();
  EXPECT_EQ(fs::path(first.backup().path()).parent_path(),
            fs::absolute(dir_.sub("backups")));
  EXPECT_GT(first.backup().size_bytes(), 0u);
  EXPECT_GT(first.backup().file_count(), 0u);
  EXPECT_EQ(first.backup().server_version(), BAOXUE_VERSION);

  // Written after the backup: must not be in its restore.
  v1::Student after = Child("林小红", absl::CivilDay(2017, 5, 6), 12);
  RegisterOk(school, after);
  v1::CreateBackupResponse second = Backup();
  EXPECT_EQ(second.backup().last_sequence(), LastSequence());
  EXPECT_NE(second.backup().path(), first.backup().path());

  v1::ListBackupsResponse listed;
  BX_ASSERT_OK(Call(bureau_.get(), &v1::BureauService::Stub::ListBackups,
                    admin_token_, v1::ListBackupsRequest(), &listed));
  ASSERT_EQ(listed.backups_size(), 2);
  EXPECT_EQ(listed.backups(0).path(), first.backup().path());
  EXPECT_EQ(listed.backups(1).path(), second.backup().path());
  EXPECT_EQ(listed.backups(0).last_sequence(), at_backup);

  // Restore the first into a fresh directory and verify it.
  const std::string restored = dir_.sub("restored");
  auto report = RestoreBackup(first.backup().path(), restored);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->schema_version, storage::kSchemaVersion);
  EXPECT_EQ(report->last_sequence, at_backup);
  EXPECT_EQ(report->events, at_backup);
  EXPECT_GT(report->model_keys, 0u);
  EXPECT_GT(report->projection_keys, 0u);
  EXPECT_TRUE(report->rebuild_matches);
  EXPECT_FALSE(fs::exists(fs::path(restored) / kManifestName));

  // A server on the restored directory sees the backup's moment.
  auto server = StartOn(restored);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->log()->LastSequence(), at_backup);
  BX_EXPECT_OK(Find(server.get(), before.id_number()));
  EXPECT_EQ(Find(server.get(), after.id_number()).error_code(),
            grpc::StatusCode::NOT_FOUND);
  server.reset();

  // The live server is untouched and still sees both.
  v1::FindStudentRequest request;
  request.set_id_number(after.id_number());
  v1::FindStudentResponse found;
  BX_EXPECT_OK(Call(bureau_.get(), &v1::BureauService::Stub::FindStudent,
                    admin_token_, request, &found));
}

TEST_F(BackupTest, OnlineBackupWhileWritesGoOnIsConsistent) {
  SeedCounty();
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto stub = v1::BureauService::NewStub(channel_);
    for (int i = 0; !stop.load() && i < 200; ++i) {
      v1::CreateVillageRequest request;
      request.mutable_village()->set_village_code(
          absl::StrCat(kYangmei, absl::StrFormat("%03d", 100 + i)));
      request.mutable_village()->set_name(absl::StrCat("测试村", i));
      request.mutable_village()->set_township_code(kYangmei);
      v1::CreateVillageResponse response;
      if (Call(stub.get(), &v1::BureauService::Stub::CreateVillage,
               admin_token_, request, &response)
              .ok()) {
        ++written;
      }
    }
  });
  // Wait for the writer to be under way (by its effect, not by sleeping).
  while (written.load() < 5) std::this_thread::yield();
  v1::CreateBackupResponse backup = Backup();
  stop = true;
  writer.join();
  ASSERT_GT(backup.backup().last_sequence(), 0u);
  EXPECT_LE(backup.backup().last_sequence(), LastSequence());

  auto report = RestoreBackup(backup.backup().path(), dir_.sub("restored"));
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->last_sequence, backup.backup().last_sequence());
  EXPECT_TRUE(report->rebuild_matches);
}

TEST_F(BackupTest, RestoreRefusesANonEmptyTargetAndANonBackup) {
  SeedCounty();
  v1::CreateBackupResponse backup = Backup();

  const std::string target = dir_.sub("occupied");
  fs::create_directories(target);
  { std::ofstream(fs::path(target) / "keep.txt") << "mine"; }
  auto refused = RestoreBackup(backup.backup().path(), target);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  EXPECT_EQ(std::distance(fs::directory_iterator(target), fs::directory_iterator()),
            1) << "a refused restore wrote into the target";

  // The live data directory is not empty either.
  EXPECT_EQ(RestoreBackup(backup.backup().path(), dir_.sub("data")).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Neither a missing directory nor a live data directory is a backup.
  for (const std::string& from : {dir_.sub("nowhere"), dir_.sub("data")}) {
    auto not_backup = RestoreBackup(from, dir_.sub("fresh"));
    EXPECT_EQ(not_backup.status().code(), absl::StatusCode::kInvalidArgument)
        << from << ": " << not_backup.status();
    EXPECT_FALSE(fs::exists(dir_.sub("fresh")));
  }
}

TEST_F(BackupTest, VerificationCatchesProjectionsThatDifferFromARebuild) {
  SeedCounty();
  v1::CreateBackupResponse backup = Backup();
  const std::string restored = dir_.sub("restored");
  ASSERT_TRUE(RestoreBackup(backup.backup().path(), restored).ok());

  // Damage a projection the way a bug would: a key no event explains.
  {
    storage::Database::Options options;
    options.path = restored;
    auto database = storage::Database::Open(options);
    ASSERT_TRUE(database.ok()) << database.status();
    rocksdb::WriteBatch batch;
    batch.Put((*database)->projection(), "zz-stray", "1");
    ASSERT_TRUE((*database)->Write(&batch, /*sync=*/true).ok());
  }
  auto report = VerifyDataDirectory(restored);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
}

TEST_F(BackupTest, OnlyTheBureauTakesBackups) {
  SeedCounty();
  std::string viewer = MakeAccount("viewer", v1::ROLE_BUREAU_VIEWER);
  std::string school = MakeAccount("xz-school", v1::ROLE_SCHOOL, kXunzhongPrimary);
  for (const std::string* token : {&viewer, &school}) {
    v1::CreateBackupResponse response;
    EXPECT_EQ(Call(bureau_.get(), &v1::BureauService::Stub::CreateBackup,
                   *token, v1::CreateBackupRequest(), &response)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ListBackupsResponse listed;
    EXPECT_EQ(Call(bureau_.get(), &v1::BureauService::Stub::ListBackups, *token,
                   v1::ListBackupsRequest(), &listed)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_FALSE(fs::exists(dir_.sub("backups")));
}

TEST(BackupDirTest, MustNotBeTheDataDirectoryOrInsideIt) {
  EXPECT_FALSE(ValidateBackupDir("/srv/baoxue/data", "/srv/baoxue/data/").ok());
  EXPECT_FALSE(ValidateBackupDir("/srv/baoxue/data/backups", "/srv/baoxue/data").ok());
  EXPECT_TRUE(ValidateBackupDir("/srv/baoxue/backups", "/srv/baoxue/data").ok());
  EXPECT_TRUE(ValidateBackupDir("/srv/baoxue/data-backups", "/srv/baoxue/data").ok());
  EXPECT_TRUE(ValidateBackupDir("", "/srv/baoxue/data").ok());
}

}  // namespace
}  // namespace baoxue::services::testing_server
