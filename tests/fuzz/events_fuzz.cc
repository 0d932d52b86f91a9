// Fuzz target: decoding events from the log and applying them as the
// worker does (storage/event_log.h, services/write_model.h), for a log
// whose bytes are damaged or hostile.
//
// Input: the raw value of one record in the `events` column family. It is
// written under the next sequence of a real RocksDB log, read back through
// RocksEventLog::Read (the only decoding path), and, if it decodes, applied
// to a throw-away copy of the county of tests/fuzz/fuzz_world.h with the
// write model and the ledger projector. Undecodable bytes must come back as
// DATA_LOSS; a decoded event may be refused with any status, but nothing
// may crash or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "baoxue/v1/events.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/event_log.h"
#include "storage/keys.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_world.h"

namespace {

using baoxue::fuzz::FuzzWorld;

baoxue::storage::RocksEventLog* Log() {
  static baoxue::storage::RocksEventLog* log = [] {
    auto opened =
        baoxue::storage::RocksEventLog::Open(FuzzWorld::Get().database());
    FUZZ_CHECK(opened.ok());
    return opened->release();
  }();
  return log;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  Log();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzWorld& world = FuzzWorld::Get();
  baoxue::storage::Database* db = world.database();
  // One record, always at the same sequence, overwritten each time.
  constexpr uint64_t kSequence = 1;
  rocksdb::WriteBatch batch;
  batch.Put(db->events(), baoxue::storage::EventKey(kSequence),
            rocksdb::Slice(reinterpret_cast<const char*>(data), size));
  FUZZ_CHECK(db->Write(&batch, /*sync=*/false).ok());

  std::vector<baoxue::v1::Event> events;
  absl::Status read = Log()->Read(kSequence, 1, &events);
  if (!read.ok()) {
    FUZZ_CHECK(read.code() == absl::StatusCode::kDataLoss);
    return 0;
  }
  FUZZ_CHECK(events.size() == 1);
  world.ApplyAsWorker(events[0]).IgnoreError();
  return 0;
}
