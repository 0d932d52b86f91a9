#include "services/ledger_projector.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
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

// Where a case is listed and counted: the keys of its index entries and of
// the counters it adds one to, in every scope it belongs to.
struct Listing {
  std::vector<std::string> index_entries;
  std::vector<std::string> counters;
};

Listing ListingOf(const v1::Case& c) {
  std::vector<std::string> names = {StateCounterName(c.state())};
  if (IsOpenState(c.state())) {
    // high_priority counts children of the priority groups whatever the
    // case's priority: an urgent case of a 留守儿童 is still one of them.
    if (!c.priority_groups().empty()) names.push_back(kCounterHigh);
    if (c.priority() == v1::CASE_PRIORITY_URGENT) names.push_back(kCounterUrgent);
    if (c.overdue()) names.push_back(kCounterOverdue);
    if (c.escalation_level() == v1::ESCALATION_LEVEL_BUREAU) {
      names.push_back(kCounterEscalatedToBureau);
    }
  }
  const std::vector<uint32_t> partitions = PartitionsOf(c);
  Listing listing;
  ForEachScope(c, [&](LedgerScope scope, absl::string_view id) {
    for (const std::string& name : names) {
      listing.counters.push_back(CaseCounterKey(scope, id, name));
    }
    for (uint32_t p : partitions) {
      listing.index_entries.push_back(IndexKey(scope, id, p, c));
    }
  });
  return listing;
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

std::string MonthlyCounterPrefix(LedgerScope scope, absl::string_view scope_id) {
  return Key(KeySpace::kCounter)
      .Str("monthly")
      .Str(ScopeName(scope))
      .Str(scope_id)
      .data();
}

std::string MonthlyCounterKey(LedgerScope scope, absl::string_view scope_id,
                              uint32_t yyyymm, absl::string_view name) {
  return MonthlyCounterPrefix(scope, scope_id) +
         Key(KeySpace::kCounter).U32(yyyymm).Str(name).data().substr(1);
}

bool ParseMonthlyCounterKey(absl::string_view key, size_t prefix_size,
                            uint32_t* yyyymm, std::string* name) {
  storage::KeyReader reader(key.substr(prefix_size));
  return reader.U32(yyyymm) && reader.Str(name);
}

std::string CaseChangeKey(uint64_t sequence, absl::string_view case_id) {
  return Key(KeySpace::kCaseChange).U64(sequence).Str(case_id).data();
}

std::string CaseChangePrefix() { return Key(KeySpace::kCaseChange).data(); }

bool ParseCaseChangeKey(absl::string_view key, uint64_t* sequence,
                        std::string* case_id) {
  storage::KeyReader reader(key);
  KeySpace space;
  return reader.Space(&space) && reader.U64(sequence) && reader.Str(case_id);
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

absl::Status LedgerProjector::Add(const std::string& key, int64_t delta) {
  ASSIGN_OR_RETURN(auto stored, projection_->Get(key));
  uint64_t value = 0;
  if (stored.has_value()) storage::DecodeFixed64(*stored, &value);
  projection_->Put(key, storage::EncodeFixed64(static_cast<uint64_t>(
                            static_cast<int64_t>(value) + delta)));
  return absl::OkStatus();
}

absl::Status LedgerProjector::CountMonth(const std::optional<v1::Case>& before,
                                         const v1::Case& after) {
  using google::protobuf::util::TimeUtil;
  absl::CivilDay day = absl::ToCivilDay(
      absl::FromUnixSeconds(after.update_time().seconds()),
      absl::FixedTimeZone(8 * 60 * 60));
  uint32_t month = static_cast<uint32_t>(day.year() * 100 + day.month());
  auto out_of_school = [](v1::CaseState s) {
    return s == v1::CASE_STATE_CONFIRMED || s == v1::CASE_STATE_PERSUADING;
  };
  v1::CaseState from = before.has_value() ? before->state()
                                          : v1::CASE_STATE_UNSPECIFIED;
  v1::CaseState to = after.state();
  std::vector<std::pair<const char*, int64_t>> deltas;
  if (!before.has_value()) deltas.push_back({kMonthOpened, 1});
  if (from != to) {
    if (to == v1::CASE_STATE_DISMISSED) deltas.push_back({kMonthDismissed, 1});
    if (to == v1::CASE_STATE_CLOSED) deltas.push_back({kMonthClosed, 1});
    if (to == v1::CASE_STATE_RETURNED) {
      deltas.push_back({kMonthReturned, 1});
      deltas.push_back(
          {kMonthReturnSeconds,
           after.update_time().seconds() - after.open_time().seconds()});
    }
    bool was_open = before.has_value() && IsOpenState(from);
    if (!was_open && IsOpenState(to)) deltas.push_back({kMonthEnteredOpen, 1});
    if (was_open && !IsOpenState(to)) deltas.push_back({kMonthLeftOpen, 1});
    if (!out_of_school(from) && out_of_school(to)) {
      deltas.push_back({kMonthEnteredOut, 1});
    }
    if (out_of_school(from) && !out_of_school(to)) {
      deltas.push_back({kMonthLeftOut, 1});
    }
  }
  if (before.has_value() && after.relapse_count() > before->relapse_count()) {
    deltas.push_back({kMonthRelapses, after.relapse_count() - before->relapse_count()});
  }
  bool contacted_before = before.has_value() && before->has_first_contact_time();
  if (!contacted_before && after.has_first_contact_time()) {
    deltas.push_back({kMonthContacts, 1});
    deltas.push_back({kMonthContactSeconds, after.first_contact_time().seconds() -
                                                after.open_time().seconds()});
  }
  absl::Status status;
  ForEachScope(after, [&](LedgerScope scope, absl::string_view id) {
    for (const auto& [name, delta] : deltas) {
      if (status.ok()) status = Add(MonthlyCounterKey(scope, id, month, name), delta);
    }
  });
  return status;
}

absl::Status LedgerProjector::OnCaseWritten(
    const std::optional<v1::Case>& before, const v1::Case& after) {
  if (projection_ == nullptr) return absl::OkStatus();
  projection_->Put(CaseChangeKey(after.last_sequence(), after.case_id()), "");
  RETURN_IF_ERROR(CountMonth(before, after));
  // Only the places the case leaves or enters are written. Most case
  // writes (a home visit, a deadline met) keep the case's state, urgency
  // and scopes, and rewriting its nine index entries and their counters
  // unchanged was most of the keys a rebuild wrote (issue 8).
  const Listing old_listing = before.has_value() ? ListingOf(*before) : Listing();
  const Listing new_listing = ListingOf(after);
  auto absent = [](const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) == keys.end();
  };
  for (const std::string& key : old_listing.index_entries) {
    if (absent(new_listing.index_entries, key)) projection_->Delete(key);
  }
  for (const std::string& key : new_listing.index_entries) {
    if (absent(old_listing.index_entries, key)) projection_->Put(key, "");
  }
  for (const std::string& key : old_listing.counters) {
    if (absent(new_listing.counters, key)) RETURN_IF_ERROR(Add(key, -1));
  }
  for (const std::string& key : new_listing.counters) {
    if (absent(old_listing.counters, key)) RETURN_IF_ERROR(Add(key, +1));
  }
  return absl::OkStatus();
}

}  // namespace baoxue::services
