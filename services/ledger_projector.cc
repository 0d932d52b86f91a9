#include "services/ledger_projector.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

using storage::Key;
using storage::KeySpace;

absl::string_view ScopeName(LedgerScope scope) {
  switch (scope) {
    case LedgerScope::kCounty: return "county";
    case LedgerScope::kTownship: return "township";
    case LedgerScope::kSchool: return "school";
  }
  return "";
}

// 0 sorts first.
uint32_t UrgencyRank(const v1::Case& c) {
  if (c.priority() == v1::CASE_PRIORITY_URGENT) return 0;
  if (c.priority() == v1::CASE_PRIORITY_HIGH) return 1;
  if (c.overdue()) return 2;
  return 3;
}

// Index partitions: a state (1..8), or a ledger offset past the states.
constexpr uint32_t kLedgerPartitionBase = 100;

uint32_t LedgerPartition(v1::Ledger ledger) {
  return kLedgerPartitionBase + static_cast<uint32_t>(ledger);
}

std::vector<uint32_t> PartitionsOf(const v1::Case& c) {
  std::vector<uint32_t> partitions = {static_cast<uint32_t>(c.state())};
  if (IsOpenState(c.state())) {
    partitions.push_back(LedgerPartition(v1::LEDGER_OPEN));
    if (c.state() != v1::CASE_STATE_SUSPECTED) {
      partitions.push_back(LedgerPartition(v1::LEDGER_DROPOUT));
    }
  } else {
    partitions.push_back(LedgerPartition(v1::LEDGER_CLOSED));
  }
  return partitions;
}

std::string PartitionPrefix(LedgerScope scope, absl::string_view scope_id,
                            uint32_t partition) {
  return Key(KeySpace::kCaseIndex)
      .Str(ScopeName(scope))
      .Str(scope_id)
      .U32(partition)
      .data();
}

std::string IndexKey(LedgerScope scope, absl::string_view scope_id,
                     uint32_t partition, const v1::Case& c) {
  return Key(KeySpace::kCaseIndex)
      .Str(ScopeName(scope))
      .Str(scope_id)
      .U32(partition)
      .U32(UrgencyRank(c))
      .I64(google::protobuf::util::TimeUtil::TimestampToNanoseconds(c.open_time()))
      .Str(c.case_id())
      .data();
}

template <typename Fn>
void ForEachScope(const v1::Case& c, Fn fn) {
  fn(LedgerScope::kCounty, "");
  fn(LedgerScope::kTownship, c.household_township_code());
  if (!c.school_id().empty()) fn(LedgerScope::kSchool, c.school_id());
}

}  // namespace

std::string StateCounterName(v1::CaseState state) {
  return absl::StrCat("state-", static_cast<int>(state));
}

std::string CaseCounterKey(LedgerScope scope, absl::string_view scope_id,
                           absl::string_view name) {
  return Key(KeySpace::kCounter)
      .Str("cases")
      .Str(ScopeName(scope))
      .Str(scope_id)
      .Str(name)
      .data();
}

std::string CaseIndexPrefix(LedgerScope scope, absl::string_view scope_id,
                            v1::CaseState state) {
  return PartitionPrefix(scope, scope_id, static_cast<uint32_t>(state));
}

std::string CaseIndexPrefix(LedgerScope scope, absl::string_view scope_id,
                            v1::Ledger ledger) {
  if (ledger == v1::LEDGER_SUSPECTED) {
    return CaseIndexPrefix(scope, scope_id, v1::CASE_STATE_SUSPECTED);
  }
  if (ledger == v1::LEDGER_UNSPECIFIED) ledger = v1::LEDGER_OPEN;
  return PartitionPrefix(scope, scope_id, LedgerPartition(ledger));
}

std::string CaseIdFromIndexKey(absl::string_view key, size_t prefix_size) {
  storage::KeyReader reader(key.substr(prefix_size));
  uint32_t rank;
  int64_t opened;
  std::string id;
  if (reader.U32(&rank) && reader.I64(&opened) && reader.Str(&id)) return id;
  return "";
}

absl::StatusOr<uint64_t> ReadCounter(const storage::ModelTxn& projection,
                                     LedgerScope scope,
                                     absl::string_view scope_id,
                                     absl::string_view name) {
  ASSIGN_OR_RETURN(auto stored,
                   projection.Get(CaseCounterKey(scope, scope_id, name)));
  uint64_t value = 0;
  if (stored.has_value()) storage::DecodeFixed64(*stored, &value);
  return value;
}

absl::Status LedgerProjector::Count(const v1::Case& c, int delta) {
  std::vector<std::string> names = {StateCounterName(c.state())};
  if (IsOpenState(c.state())) {
    if (c.priority() == v1::CASE_PRIORITY_HIGH) names.push_back(kCounterHigh);
    if (c.priority() == v1::CASE_PRIORITY_URGENT) names.push_back(kCounterUrgent);
    if (c.overdue()) names.push_back(kCounterOverdue);
    if (c.escalation_level() == v1::ESCALATION_LEVEL_BUREAU) {
      names.push_back(kCounterEscalatedToBureau);
    }
  }
  absl::Status status;
  ForEachScope(c, [&](LedgerScope scope, absl::string_view id) {
    for (const std::string& name : names) {
      if (!status.ok()) return;
      auto value = ReadCounter(*projection_, scope, id, name);
      if (!value.ok()) {
        status = value.status();
        return;
      }
      uint64_t next = static_cast<uint64_t>(static_cast<int64_t>(*value) + delta);
      projection_->Put(CaseCounterKey(scope, id, name),
                       storage::EncodeFixed64(next));
    }
  });
  return status;
}

absl::Status LedgerProjector::OnCaseWritten(
    const std::optional<v1::Case>& before, const v1::Case& after) {
  if (projection_ == nullptr) return absl::OkStatus();
  if (before.has_value()) {
    RETURN_IF_ERROR(Count(*before, -1));
    ForEachScope(*before, [&](LedgerScope scope, absl::string_view id) {
      for (uint32_t p : PartitionsOf(*before)) {
        projection_->Delete(IndexKey(scope, id, p, *before));
      }
    });
  }
  RETURN_IF_ERROR(Count(after, +1));
  ForEachScope(after, [&](LedgerScope scope, absl::string_view id) {
    for (uint32_t p : PartitionsOf(after)) {
      projection_->Put(IndexKey(scope, id, p, after), "");
    }
  });
  return absl::OkStatus();
}

}  // namespace baoxue::services
