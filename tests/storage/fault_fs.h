// A RocksDB file system for tests that fails writes on demand, the way a
// failing disk does: FaultEnv wraps the default file system and, while a
// fault is armed, makes every write to the write-ahead log (*.log) fail —
// either the append itself (nothing reaches the file) or only the sync (the
// bytes reach the file, but the disk never confirms them). Everything else
// passes through, so RocksDB opens, reads and flushes as usual.
//
// Pass env() as Database::Options::env (or ServerOptions::env). Arm() and
// Disarm() may be called from any thread while the database runs; the
// FaultEnv must outlive every database opened with it.
#ifndef BAOXUE_TESTS_STORAGE_FAULT_FS_H_
#define BAOXUE_TESTS_STORAGE_FAULT_FS_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/io_status.h"

namespace baoxue::testing_util {

enum class WalFault {
  kNone,
  // Append() fails: nothing of the group reaches the log file.
  kAppend,
  // Append() succeeds but Sync()/Fsync() fail: the bytes may be in the
  // file although the write was refused.
  kSync,
};

class FaultFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FaultFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base)
      : rocksdb::FileSystemWrapper(base) {}

  static const char* kClassName() { return "BaoxueFaultFileSystem"; }
  const char* Name() const override { return kClassName(); }

  void Arm(WalFault fault) { fault_.store(fault); }
  void Disarm() { fault_.store(WalFault::kNone); }
  WalFault armed() const { return fault_.load(); }
  // How many operations have been made to fail so far.
  int injected() const { return injected_.load(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name,
                                    const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* out,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, out, dbg);
    if (s.ok() && IsWal(name)) Wrap(out);
    return s;
  }

  rocksdb::IOStatus ReopenWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* out,
      rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->ReopenWritableFile(name, options, out, dbg);
    if (s.ok() && IsWal(name)) Wrap(out);
    return s;
  }

  rocksdb::IOStatus ReuseWritableFile(
      const std::string& name, const std::string& old_name,
      const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* out,
      rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s =
        target()->ReuseWritableFile(name, old_name, options, out, dbg);
    if (s.ok() && IsWal(name)) Wrap(out);
    return s;
  }

 private:
  // A log file whose writes fail while its file system's fault is armed.
  class FaultyFile : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    FaultyFile(std::unique_ptr<rocksdb::FSWritableFile> file,
               FaultFileSystem* fs)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->Fails(WalFault::kAppend)) return Injected("append");
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data,
                             const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->Fails(WalFault::kAppend)) return Injected("append");
      return target()->Append(data, options, info, dbg);
    }
    rocksdb::IOStatus Flush(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->Fails(WalFault::kAppend)) return Injected("flush");
      return target()->Flush(options, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
      if (fs_->Fails(WalFault::kAppend) || fs_->Fails(WalFault::kSync)) {
        return Injected("sync");
      }
      return target()->Sync(options, dbg);
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->Fails(WalFault::kAppend) || fs_->Fails(WalFault::kSync)) {
        return Injected("fsync");
      }
      return target()->Fsync(options, dbg);
    }

   private:
    rocksdb::IOStatus Injected(const char* what) {
      return rocksdb::IOStatus::IOError(std::string("injected ") + what +
                                        " failure");
    }
    FaultFileSystem* const fs_;
  };

  static bool IsWal(const std::string& name) {
    return absl::EndsWith(name, ".log");
  }
  void Wrap(std::unique_ptr<rocksdb::FSWritableFile>* file) {
    *file = std::make_unique<FaultyFile>(std::move(*file), this);
  }
  bool Fails(WalFault kind) {
    if (fault_.load() != kind) return false;
    ++injected_;
    return true;
  }

  std::atomic<WalFault> fault_{WalFault::kNone};
  std::atomic<int> injected_{0};
};

// The file system and an Env over it, to hand to a Database.
class FaultEnv {
 public:
  FaultEnv()
      : fs_(std::make_shared<FaultFileSystem>(rocksdb::FileSystem::Default())),
        env_(rocksdb::NewCompositeEnv(fs_)) {}

  rocksdb::Env* env() const { return env_.get(); }
  FaultFileSystem& fs() const { return *fs_; }

 private:
  std::shared_ptr<FaultFileSystem> fs_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace baoxue::testing_util

#endif  // BAOXUE_TESTS_STORAGE_FAULT_FS_H_
