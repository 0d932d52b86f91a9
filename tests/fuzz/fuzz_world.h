// What the request and event fuzz targets run against: every write RPC's
// pre-sequencer path as a table (RequestCommands), and a small county held
// in memory (FuzzWorld) to validate those requests against.
//
// RequestCommands() mirrors services/*_service.cc: for each write RPC it
// parses the request bytes as that RPC's request type and runs exactly what
// the server runs before the sequencer (CheckStringLengths of
// services/limits.h, ValidateRequestId, then the Prepare*
// of services/students.h, attendance.h, registry.h, accounts.h or
// case_commands.h). When a new write RPC is added, add it at the END of the
// table: a fuzz input's first byte indexes it, so the seed corpus depends
// on the order.
//
// FuzzWorld holds a RocksDB directory under $TMPDIR (removed at exit) whose
// write model is built in memory, in a root ModelTxn, by running seed
// commands through the same table: 德化县, two townships, a village, a
// primary school, the 2026 calendar, accounts, an enrolled child with an
// attendance report, and a child reported out of school (an open case).
// Each fuzz input runs in a child transaction that is thrown away, so every
// input sees the same world and runs are reproducible.
//
// Not thread-safe (libFuzzer runs one input at a time).
#ifndef BAOXUE_TESTS_FUZZ_FUZZ_WORLD_H_
#define BAOXUE_TESTS_FUZZ_FUZZ_WORLD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/events.pb.h"
#include "google/protobuf/message.h"
#include "services/auth.h"
#include "services/write_model.h"
#include "storage/database.h"
#include "storage/model_txn.h"

namespace baoxue::fuzz {

// Whose account sends a command (fixed per RPC: the role that may call it).
enum class Sender { kBureau, kTownship, kSchool };

struct RequestCommand {
  const char* rpc;  // e.g. "RegisterStudent"
  Sender sender;
  // An empty request of the RPC's type (for building seeds).
  const google::protobuf::Message* prototype;
  // Parses `request` and runs the service's pre-sequencer validation and
  // Prepare*. A request that does not parse is INVALID_ARGUMENT (gRPC
  // would have refused it before the service saw it).
  std::function<absl::Status(absl::string_view request,
                             const services::Caller& caller,
                             const storage::ModelTxn& model, v1::Event* event)>
      prepare;
};

const std::vector<RequestCommand>& RequestCommands();

// Index of `rpc` in RequestCommands(); aborts if absent.
size_t CommandIndex(absl::string_view rpc);

// Routes libprotobuf's log lines (parse warnings of hostile input) away
// from the test output.
void SilenceProtobufLogs();

class FuzzWorld {
 public:
  // The process's world, seeded on first use.
  static FuzzWorld& Get();

  FuzzWorld(const FuzzWorld&) = delete;
  FuzzWorld& operator=(const FuzzWorld&) = delete;
  ~FuzzWorld();

  // Runs command `index` on the serialized `request` as the sequencer
  // would: Prepare in a child transaction, then, if it produced an event,
  // the write model's Apply. With `keep` the changes stay in the world
  // (seeding); otherwise they are dropped. `event` (may be null) receives
  // the event.
  absl::Status Run(size_t index, absl::string_view request, bool keep,
                   v1::Event* event = nullptr);

  // Applies `event` to a throw-away copy of the world as the worker does:
  // the write model with the ledger projector watching case writes.
  absl::Status ApplyAsWorker(const v1::Event& event);

  storage::Database* database() const { return database_.get(); }
  // Every event the seeding produced, in order.
  const std::vector<v1::Event>& seed_events() const { return seed_events_; }
  // The id of the case the seeding opened, and of the enrolled child.
  const std::string& case_id() const { return case_id_; }
  const std::string& student_id() const { return student_id_; }

  // The instant every command is recorded at: Tue 2026-09-15 10:00 county.
  static constexpr int64_t kRecordSeconds = 1789437600;

 private:
  FuzzWorld() = default;
  absl::Status Seed();
  absl::Status RunText(absl::string_view rpc, absl::string_view text);

  std::string dir_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::ModelTxn> model_;  // root; never written to disk
  services::WriteModelApplier applier_;
  uint64_t next_sequence_ = 1;
  std::vector<v1::Event> seed_events_;
  std::string case_id_;
  std::string student_id_;
};

}  // namespace baoxue::fuzz

#endif  // BAOXUE_TESTS_FUZZ_FUZZ_WORLD_H_
