// Fuzz target: every write RPC's request validation, with requests built
// from fuzz bytes, against the small county of tests/fuzz/fuzz_world.h.
//
// Input: byte 0 picks the RPC (an index into RequestCommands(), modulo its
// size); the rest is parsed as that RPC's request message. Checks besides
// "no crash, no sanitizer report":
//   - a refused request is refused as the client's fault or the state's
//     (never INTERNAL, UNKNOWN or DATA_LOSS), with a message in both
//     languages;
//   - an accepted request's event survives the log's encoding unchanged,
//     and the worker can apply it to its copy of the model.
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/events.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "storage/localized_status.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_world.h"

namespace {

using baoxue::fuzz::FuzzWorld;
using baoxue::fuzz::RequestCommands;

bool IsCallersFault(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kResourceExhausted:
      return true;
    default:
      return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  FuzzWorld::Get();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  FuzzWorld& world = FuzzWorld::Get();
  size_t index = data[0] % RequestCommands().size();
  absl::string_view request(reinterpret_cast<const char*>(data) + 1, size - 1);
  baoxue::v1::Event event;
  absl::Status status = world.Run(index, request, /*keep=*/false, &event);
  if (!status.ok()) {
    if (!IsCallersFault(status.code())) {
      std::fprintf(stderr, "%s: %s\n", RequestCommands()[index].rpc,
                   status.ToString().c_str());
    }
    FUZZ_CHECK(IsCallersFault(status.code()));
    FUZZ_CHECK(!baoxue::MessageIn(status, baoxue::Lang::kZh).empty());
    FUZZ_CHECK(!baoxue::MessageIn(status, baoxue::Lang::kEn).empty());
    return 0;
  }
  if (event.body_case() == baoxue::v1::Event::BODY_NOT_SET) return 0;
  baoxue::v1::Event decoded;
  FUZZ_CHECK(decoded.ParseFromString(event.SerializeAsString()));
  FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(decoded, event));
  absl::Status applied = world.ApplyAsWorker(decoded);
  if (!applied.ok()) {
    std::fprintf(stderr, "%s: worker: %s\n", RequestCommands()[index].rpc,
                 applied.ToString().c_str());
  }
  FUZZ_CHECK(applied.ok());
  return 0;
}
