#include "storage/sequencer.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "storage/keys.h"
#include "storage/localized_status.h"

namespace baoxue::storage {
namespace {

absl::Status StoppedError() {
  return UnavailableError("服务器正在停止，请求未被接受，请稍后重试。",
                          "the server is stopping; nothing was accepted. "
                          "Retry later.");
}

absl::Status RequestIdReusedError(absl::string_view request_id) {
  return InvalidArgumentError(
      absl::StrCat("request_id：", request_id,
                   " 已被本账号用于另一个不同的请求，请换一个新的 request_id"),
      absl::StrCat("request_id: ", request_id,
                   " was already used by this account for a different "
                   "request; use a new request_id"));
}

// What the idempotency family stores: the event's sequence, then the
// request's fingerprint.
std::string EncodeIdempotencyValue(uint64_t sequence,
                                   absl::string_view fingerprint) {
  return absl::StrCat(EncodeFixed64(sequence), fingerprint);
}

}  // namespace

Sequencer::Sequencer(Database* database, EventLog* log, EventApplier* applier,
                     Clock* clock, Options options)
    : database_(database),
      log_(log),
      applier_(applier),
      clock_(clock),
      options_(options) {}

Sequencer::~Sequencer() { Stop(); }

void Sequencer::AddCommitListener(CommitListener listener) {
  listeners_.push_back(std::move(listener));
}

void Sequencer::Start() { thread_ = std::thread([this] { Run(); }); }

void Sequencer::Stop() {
  std::deque<Command> orphans;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    // Never started: nothing will drain the queue, yet every command is
    // owed its callback.
    if (!thread_.joinable()) orphans.swap(queue_);
  }
  if (thread_.joinable()) thread_.join();
  for (Command& command : orphans) {
    CommandResult result;
    result.status = StoppedError();
    command.done(result);
  }
}

void Sequencer::Submit(Command command) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(std::move(command));
      return;
    }
  }
  CommandResult result;
  result.status = StoppedError();
  command.done(result);
}

Sequencer::Stats Sequencer::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void Sequencer::Run() {
  std::vector<Command> group;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && group.size() < options_.max_group_size) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ProcessGroup(group);
    group.clear();
  }
}

absl::Status Sequencer::Recover() {
  uint64_t before = log_->LastSequence();
  absl::Status reopened = database_->Reopen();
  if (!reopened.ok()) return reopened;
  absl::Status reloaded = log_->Reload();
  if (!reloaded.ok()) return reloaded;
  {
    absl::MutexLock lock(&mu_);
    ++stats_.reopens;
  }
  uint64_t after = log_->LastSequence();
  if (after <= before) return absl::OkStatus();
  std::vector<v1::Event> recovered;
  absl::Status read = log_->Read(before + 1, after - before, &recovered);
  if (!read.ok()) return read;
  std::vector<const v1::Event*> pointers;
  for (const auto& e : recovered) pointers.push_back(&e);
  for (const auto& listener : listeners_) listener(pointers);
  return absl::OkStatus();
}

void Sequencer::ProcessGroup(std::vector<Command>& group) {
  if (database_->needs_reopen()) {
    absl::Status recovered = Recover();
    if (!recovered.ok()) {
      // Storage is still failing: nothing can be written, nothing is
      // acknowledged; the next group tries again.
      {
        absl::MutexLock lock(&mu_);
        stats_.commands += group.size();
        ++stats_.failed_groups;
      }
      for (Command& command : group) {
        CommandResult result;
        result.status = recovered;
        command.done(result);
      }
      return;
    }
  }
  struct Outcome {
    absl::Status status;
    const v1::Event* event = nullptr;
    bool replayed = false;
    bool accepted = false;  // wrote something in this group
  };
  std::vector<Outcome> outcomes(group.size());
  // Reserved up front: outcomes point into these vectors.
  std::vector<v1::Event> events;
  events.reserve(group.size());
  std::vector<v1::Event> replayed;
  replayed.reserve(group.size());
  // Idempotency keys claimed earlier in this group: key -> (event index,
  // fingerprint). A retry can race its original into the same group.
  std::map<std::string, std::pair<size_t, std::string>> claimed;

  // One Access for the whole group rather than one per model read: a
  // 1,000-row report reads the model a few thousand times, and each
  // Access of its own locks the database's gate. Released before the
  // commands are answered; Recover() below needs none held.
  std::optional<Database::Access> access;
  access.emplace(database_);
  ModelTxn model(database_, Family::kModel);
  rocksdb::WriteBatch batch;
  uint64_t next = log_->LastSequence() + 1;
  absl::Time now = clock_->Now();
  if (now < last_record_time_) now = last_record_time_;  // never backwards
  last_record_time_ = now;
  google::protobuf::Timestamp record_time =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(now));

  for (size_t i = 0; i < group.size(); ++i) {
    Command& command = group[i];
    Outcome& outcome = outcomes[i];
    // Deadlines are the callers' wall-clock ones, not the domain clock.
    if (command.deadline < absl::Now()) {
      outcome.status = LocalizedError(
          absl::StatusCode::kDeadlineExceeded,
          "请求在排队时已超过调用方的截止时间，未执行",
          "the call's deadline passed while the request was queued; it was "
          "not executed");
      continue;
    }
    std::string idempotency_key;
    if (!command.request_id.empty()) {
      idempotency_key = IdempotencyKey(command.account_id, command.request_id);
      if (auto it = claimed.find(idempotency_key); it != claimed.end()) {
        if (it->second.second != command.fingerprint) {
          outcome.status = RequestIdReusedError(command.request_id);
        } else {
          outcome.event = &events[it->second.first];
          outcome.replayed = true;
        }
        continue;
      }
      auto stored = database_->Get(Family::kIdempotency, idempotency_key);
      if (!stored.ok()) {
        outcome.status = stored.status();
        continue;
      }
      if (stored->has_value()) {
        uint64_t sequence = 0;
        absl::string_view value(**stored);
        if (value.size() < 8 || !DecodeFixed64(value.substr(0, 8), &sequence)) {
          outcome.status = absl::DataLossError("idempotency record is corrupt");
          continue;
        }
        if (value.substr(8) != command.fingerprint) {
          outcome.status = RequestIdReusedError(command.request_id);
          continue;
        }
        std::vector<v1::Event> found;
        absl::Status read = log_->Read(sequence, 1, &found);
        if (!read.ok() || found.empty() || found[0].sequence() != sequence) {
          outcome.status = read.ok() ? absl::DataLossError(absl::StrCat(
                                           "event ", sequence, " is missing"))
                                     : read;
          continue;
        }
        replayed.push_back(std::move(found[0]));
        outcome.event = &replayed.back();
        outcome.replayed = true;
        continue;
      }
    }

    ModelTxn child(&model);
    v1::Event event;
    event.set_sequence(next);
    *event.mutable_record_time() = record_time;
    event.set_account_id(command.account_id);
    event.set_request_id(command.request_id);
    outcome.status = command.prepare(child, &event);
    if (!outcome.status.ok()) continue;
    if (event.body_case() == v1::Event::BODY_NOT_SET) {
      // Valid, but nothing to record (e.g. a re-run import chunk whose rows
      // are all registered already): answered OK with no event.
      continue;
    }
    outcome.status = applier_->Apply(event, &child);
    if (!outcome.status.ok()) continue;
    child.CommitToParent();
    events.push_back(std::move(event));
    outcome.event = &events.back();
    outcome.accepted = true;
    if (!idempotency_key.empty()) {
      batch.Put(database_->idempotency(), idempotency_key,
                EncodeIdempotencyValue(next, command.fingerprint));
      claimed[idempotency_key] = {events.size() - 1, command.fingerprint};
    }
    ++next;
  }

  absl::Status write_status;
  if (!events.empty()) {
    model.WriteTo(&batch);
    std::vector<const v1::Event*> pointers;
    pointers.reserve(events.size());
    for (const auto& e : events) pointers.push_back(&e);
    write_status = log_->Append(pointers, &batch);
    if (write_status.ok()) {
      for (const auto& listener : listeners_) listener(pointers);
    }
  }

  access.reset();

  uint64_t rejected = 0;
  for (const Outcome& outcome : outcomes) {
    if (!outcome.status.ok()) ++rejected;
  }
  {
    // Counted before any caller is told, so a caller that reads the stats
    // after its callback sees its own group.
    absl::MutexLock lock(&mu_);
    stats_.commands += group.size();
    stats_.rejected += write_status.ok() ? rejected : 0;
    if (!events.empty()) {
      ++stats_.groups;
      if (!write_status.ok()) ++stats_.failed_groups;
    }
  }
  for (size_t i = 0; i < group.size(); ++i) {
    CommandResult result;
    const Outcome& outcome = outcomes[i];
    if (!write_status.ok()) {
      // Nothing of the group is durable, so nothing is acknowledged — not
      // even a replay, which the client will simply retry.
      result.status = write_status;
    } else if (!outcome.status.ok()) {
      result.status = outcome.status;
    } else {
      result.event = outcome.event;
      result.replayed = outcome.replayed;
    }
    group[i].done(result);
  }
  // Reopen at once rather than with the next group, so that the worker
  // (which writes too) is not left facing a database that refuses writes.
  if (!write_status.ok() && database_->needs_reopen()) Recover().IgnoreError();
}

}  // namespace baoxue::storage
