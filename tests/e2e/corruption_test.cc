// Corruption found at open (issue 7, "Storage faults"): the real
// baoxue-server, given a data directory whose table file is truncated,
// whose MANIFEST is damaged or whose CURRENT file is missing, refuses to
// start — exit code 1 and a message saying the storage is corrupt and to
// restore from a backup — and leaves the directory as it found it: no
// silent repair, no fresh empty database beside the old files.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class CorruptionTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    // Some real data, then a clean stop, then every family flushed into
    // table files so that there are SSTs to damage.
    SeedCounty();
    if (HasFatalFailure()) return;
    ASSERT_EQ(server().Stop(SIGTERM), 0) << server().Log();
    storage::Database::Options options;
    options.path = data_dir();
    auto db = storage::Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    std::vector<rocksdb::ColumnFamilyHandle*> families = {
        (*db)->events(), (*db)->idempotency(), (*db)->model(),
        (*db)->projection(), (*db)->meta()};
    ASSERT_TRUE((*db)->db()->Flush(rocksdb::FlushOptions(), families).ok());
  }

  // The largest file of the data directory whose name matches.
  std::string Largest(const std::string& prefix, const std::string& suffix) {
    std::string best;
    uintmax_t best_size = 0;
    for (const auto& entry : fs::directory_iterator(data_dir())) {
      std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) != 0 || name.size() < suffix.size() ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) !=
              0) {
        continue;
      }
      if (entry.file_size() >= best_size) {
        best = entry.path().string();
        best_size = entry.file_size();
      }
    }
    EXPECT_FALSE(best.empty()) << "no " << prefix << "*" << suffix;
    return best;
  }

  // Name and size of every file, to show nothing was repaired.
  std::map<std::string, uintmax_t> Files() {
    std::map<std::string, uintmax_t> files;
    for (const auto& entry : fs::directory_iterator(data_dir())) {
      std::string name = entry.path().filename().string();
      // RocksDB's own info log is written even by a failed open.
      if (name.rfind("LOG", 0) == 0) continue;
      files[name] = entry.is_regular_file() ? entry.file_size() : 0;
    }
    return files;
  }

  RunResult StartServer(const std::string& lang) {
    return RunProgram(BAOXUE_SERVER_BIN,
                      {"--listen=127.0.0.1:0", "--data_dir=" + data_dir(),
                       "--lang=" + lang},
                      {{"PATH", "/usr/bin:/bin"}}, home_dir(), 60);
  }

  // Starts the server twice (Chinese, then English): both refuse with exit
  // code 1 and say the storage is corrupt; the files stay as they were.
  void ExpectRefusal() {
    auto before = Files();
    RunResult zh = StartServer("zh");
    EXPECT_EQ(zh.exit_code, 1) << zh.err;
    EXPECT_THAT(zh.err, HasSubstr("无法启动"));
    EXPECT_THAT(zh.err, HasSubstr("存储数据损坏"));
    EXPECT_THAT(zh.err, HasSubstr("请从备份恢复"));
    RunResult en = StartServer("en");
    EXPECT_EQ(en.exit_code, 1) << en.err;
    EXPECT_THAT(en.err, HasSubstr("cannot start"));
    EXPECT_THAT(en.err, HasSubstr("storage is corrupt"));
    EXPECT_THAT(en.err, HasSubstr("do not force a repair"));
    EXPECT_EQ(Files(), before) << "the data directory was changed";
    EXPECT_FALSE(fs::exists(data_dir() + "/bureau-admin.token.tmp"));
  }
};

TEST_F(CorruptionTest, ATruncatedTableFileIsRefused) {
  std::string sst = Largest("", ".sst");
  ASSERT_FALSE(sst.empty());
  fs::resize_file(sst, fs::file_size(sst) / 2);
  ExpectRefusal();
}

TEST_F(CorruptionTest, ADamagedManifestIsRefused) {
  // The MANIFEST that CURRENT names (an older one may linger).
  std::string current;
  {
    std::ifstream in(data_dir() + "/CURRENT");
    std::getline(in, current);
  }
  ASSERT_EQ(current.rfind("MANIFEST-", 0), 0u) << current;
  std::string manifest = data_dir() + "/" + current;
  ASSERT_GT(fs::file_size(manifest), 64u);
  {
    std::fstream file(manifest, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(16);
    const std::string garbage(32, '\x5a');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  ExpectRefusal();
}

TEST_F(CorruptionTest, AMissingCurrentFileIsRefusedNotReplacedByAnEmptyDatabase) {
  ASSERT_TRUE(fs::remove(data_dir() + "/CURRENT"));
  ExpectRefusal();
  EXPECT_FALSE(fs::exists(data_dir() + "/CURRENT"));
}

// A record damaged in the middle of the write-ahead log is not a crash's
// torn tail: the records after it were acknowledged. The server refuses
// to start rather than recover up to the damage and drop them.
TEST_F(CorruptionTest, ALogDamagedInTheMiddleIsRefused) {
  {
    storage::Database::Options options;
    options.path = data_dir();
    auto db = storage::Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    // Synced writes that stay in the log: closing does not flush them.
    for (int i = 0; i < 40; ++i) {
      rocksdb::WriteBatch batch;
      batch.Put((*db)->meta(), "wal-test-" + std::to_string(i),
                std::string(512, static_cast<char>('a' + i % 26)));
      ASSERT_TRUE((*db)->Write(&batch, /*sync=*/true).ok());
    }
  }
  std::string log = Largest("", ".log");
  ASSERT_FALSE(log.empty());
  ASSERT_GT(fs::file_size(log), 10000u);
  {
    std::fstream file(log, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(fs::file_size(log) / 2));
    const std::string garbage(64, '\x5a');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  ExpectRefusal();
}

}  // namespace
}  // namespace baoxue::e2e
