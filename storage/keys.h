// The one module that builds RocksDB keys. Nothing else in the tree
// concatenates bytes into a key.
//
// Integers are fixed-width big-endian so byte order is numeric order.
// Strings are escaped (0x00 -> 0x00 0xFF) and terminated by 0x00 0x01, so a
// key made of several strings sorts by the first string, then the next, and
// a key built from a leading subset of components is a prefix of every key
// that extends it — which is what a prefix scan needs.
//
// Every record type has its own KeySpace byte. Keys are plain values; the
// functions here are thread-safe.
#ifndef BAOXUE_STORAGE_KEYS_H_
#define BAOXUE_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace baoxue::storage {

// The typed prefixes. Values are persisted: never change or reuse one.
enum class KeySpace : char {
  // ---- model family (write model) and, under kMirror, the worker's copy.
  kAccount = 'a',          // account_id -> Account
  kTokenHash = 't',        // token sha256 hex -> account_id
  kClock = 'k',            // singleton: last clock tick
  kCounty = 'c',           // singleton: the county's configuration
  kTownship = 'w',         // township code -> Township
  kVillage = 'v',          // village code -> Village
  kSchool = 's',           // school id -> School
  kCalendar = 'y',         // school year -> CalendarSpec
  kSettings = 'g',         // singleton: rule settings
  kStudent = 'p',          // student id -> Student
  kIdNumber = 'i',         // ID number -> student id
  kStudentNumber = 'n',    // 学籍号 -> student id
  kAttendance = 'd',       // school id, date -> attendance report
  kRoster = 'r',           // village code, ID number -> roster entry
  kStudentBySchool = 'b',  // school id, student id -> empty
  kStudentByTownship = 'h',  // household township, student id -> empty
  // ---- projection family.
  kMirror = 'M',           // the worker's copy of the model, at its offset
  kAuditByAccount = 'U',   // account_id, sequence -> empty
  kAuditByStudent = 'P',   // student id, sequence -> empty
  kCase = 'C',             // case id -> Case
  kOpenCase = 'O',         // student id -> id of the child's open case
  kCaseHistory = 'H',      // case id, sequence, index -> CaseHistoryEntry
  kAbsences = 'A',         // student id -> StudentAbsences
  kCaseNumber = 'Q',       // year -> fixed64 last case number
  kReportingState = 'L',   // school id -> SchoolReportingState
  kReportingAlert = 'R',   // school id -> ReportingAlert
  kCaseIndex = 'X',        // index name, components..., case id -> empty
  kTimer = 'Z',            // due time, target, timer kind -> empty
  kCounter = 'N',          // counter name, components... -> fixed64
  kCaseChange = 'W',       // sequence, case id -> empty (the watch feed)
  kRosterSweep = 'S',      // singleton: last school year R4 swept the rosters
  kTimerFloor = 'F',       // singleton: int64 nanos; no live timer is due before
  // ---- meta family.
  kConsumerOffset = 'o',   // consumer name -> fixed64 sequence
  kSchemaVersion = 'V',    // singleton -> fixed64 version
};

// Builds one key: a KeySpace byte then components, in order.
class Key {
 public:
  explicit Key(KeySpace space);

  Key& U64(uint64_t value);
  Key& U32(uint32_t value);
  // Signed values are offset so that negative numbers sort first.
  Key& I64(int64_t value);
  Key& Str(absl::string_view value);

  const std::string& data() const { return data_; }
  operator absl::string_view() const { return data_; }  // NOLINT

 private:
  std::string data_;
};

// Reads the components of a key built by Key, in the same order.
// Each method returns false if the key does not hold that component.
class KeyReader {
 public:
  explicit KeyReader(absl::string_view key) : rest_(key) {}

  bool Space(KeySpace* space);
  bool U64(uint64_t* value);
  bool U32(uint32_t* value);
  bool I64(int64_t* value);
  bool Str(std::string* value);
  bool done() const { return rest_.empty(); }

 private:
  absl::string_view rest_;
};

// Key of event `sequence` in the events family: 8 bytes big-endian, no
// space byte (the family holds nothing else).
std::string EventKey(uint64_t sequence);
// Inverse of EventKey; returns false for a key that is not 8 bytes.
bool DecodeEventKey(absl::string_view key, uint64_t* sequence);

// Key in the idempotency family for a client's request_id.
std::string IdempotencyKey(absl::string_view account_id,
                           absl::string_view request_id);

// Key in the meta family under which consumer `name` keeps its offset.
std::string ConsumerOffsetKey(absl::string_view name);
// Key in the meta family holding the schema version.
std::string SchemaVersionKey();

// The smallest key greater than every key starting with `prefix` (the
// exclusive upper bound of a prefix scan). Empty if there is none.
std::string PrefixSuccessor(absl::string_view prefix);

// Fixed-width big-endian values for counters, offsets and versions.
std::string EncodeFixed64(uint64_t value);
bool DecodeFixed64(absl::string_view data, uint64_t* value);

}  // namespace baoxue::storage

#endif  // BAOXUE_STORAGE_KEYS_H_
