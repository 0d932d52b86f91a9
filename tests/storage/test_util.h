// Helpers shared by the storage tests: a temporary data directory and
// hand-built events.
#ifndef BAOXUE_TESTS_STORAGE_TEST_UTIL_H_
#define BAOXUE_TESTS_STORAGE_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "baoxue/v1/events.pb.h"
#include "gtest/gtest.h"

namespace baoxue::testing_util {

// A fresh directory under the test's TMPDIR, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::string base = ::testing::TempDir();
    std::string pattern = base + "/baoxue-test-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr) << "mkdtemp in " << base;
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// An event with `sequence` whose body is a clock tick `seconds` after the
// epoch, so that every event's bytes differ.
inline v1::Event TickEvent(uint64_t sequence, int64_t seconds) {
  v1::Event event;
  event.set_sequence(sequence);
  event.mutable_record_time()->set_seconds(seconds);
  event.mutable_clock_tick()->mutable_tick_time()->set_seconds(seconds);
  event.mutable_clock_tick()->set_kind(v1::CLOCK_TICK_KIND_HOURLY);
  return event;
}

}  // namespace baoxue::testing_util

#endif  // BAOXUE_TESTS_STORAGE_TEST_UTIL_H_
