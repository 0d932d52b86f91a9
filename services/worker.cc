#include "services/worker.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <memory>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

using storage::Key;
using storage::KeySpace;

// The children an event concerns, for the audit trail by child.
absl::StatusOr<std::vector<std::string>> StudentsOf(
    const v1::Event& event, const storage::ModelTxn& mirror) {
  std::vector<std::string> ids;
  std::string case_id;
  switch (event.body_case()) {
    case v1::Event::kStudentRegistered:
      ids.push_back(event.student_registered().student().student_id());
      break;
    case v1::Event::kStudentUpdated:
      ids.push_back(event.student_updated().student().student_id());
      break;
    case v1::Event::kEnrolmentChanged:
      ids.push_back(event.enrolment_changed().student().student_id());
      break;
    case v1::Event::kStudentsImported:
      for (const auto& s : event.students_imported().students()) {
        ids.push_back(s.student_id());
      }
      break;
    case v1::Event::kAttendanceReported:
      for (const auto& a : event.attendance_reported().report().absences()) {
        ids.push_back(a.student_id());
      }
      for (const auto& a : event.attendance_reported().previous().absences()) {
        ids.push_back(a.student_id());
      }
      break;
    case v1::Event::kChildReportedOutOfSchool:
      ids.push_back(event.child_reported_out_of_school().student().student_id());
      break;
    case v1::Event::kCaseVerified:
      case_id = event.case_verified().case_id();
      break;
    case v1::Event::kCaseActionRecorded:
      case_id = event.case_action_recorded().case_id();
      break;
    case v1::Event::kCaseArranged:
      case_id = event.case_arranged().case_id();
      break;
    case v1::Event::kReturnConfirmed:
      case_id = event.return_confirmed().case_id();
      break;
    case v1::Event::kClosureDecided:
      case_id = event.closure_decided().case_id();
      break;
    case v1::Event::kResponsiblePeopleAssigned:
      case_id = event.responsible_people_assigned().case_id();
      break;
    default:
      break;
  }
  if (!case_id.empty()) {
    ASSIGN_OR_RETURN(auto c, FindCase(mirror, case_id));
    if (c.has_value()) ids.push_back(c->student_id());
  }
  return ids;
}

std::string EventsAppliedKey() {
  return Key(KeySpace::kCounter).Str("events-applied").data();
}

}  // namespace

std::string AuditByAccountPrefix(absl::string_view account_id) {
  return Key(KeySpace::kAuditByAccount).Str(account_id).data();
}

std::string AuditByStudentPrefix(absl::string_view student_id) {
  return Key(KeySpace::kAuditByStudent).Str(student_id).data();
}

uint64_t SequenceFromAuditKey(absl::string_view key, size_t prefix_size) {
  storage::KeyReader reader(key.substr(prefix_size));
  uint64_t sequence = 0;
  reader.U64(&sequence);
  return sequence;
}

int Worker::Subscribe(std::function<void()> listener) {
  absl::MutexLock lock(&listeners_mu_);
  int id = next_listener_++;
  listeners_[id] = std::move(listener);
  return id;
}

void Worker::Unsubscribe(int id) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(id);
}

Worker::Worker(storage::Database* database, storage::EventLog* log,
               Options options)
    : database_(database), log_(log), options_(options) {}

Worker::~Worker() { Stop(); }

absl::Status Worker::Start() {
  ASSIGN_OR_RETURN(uint64_t offset,
                   database_->ConsumerOffset(kConsumerName));
  {
    absl::MutexLock lock(&mu_);
    applied_ = offset;
  }
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Worker::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

uint64_t Worker::applied_sequence() const {
  absl::MutexLock lock(&mu_);
  return applied_;
}

absl::Status Worker::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

bool Worker::WaitForApplied(uint64_t sequence, absl::Time deadline) {
  // A sequence the log has not reached would only run out the deadline.
  if (sequence > log_->LastSequence()) return false;
  absl::MutexLock lock(&mu_);
  auto reached = [this, sequence]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return applied_ >= sequence;
  };
  return mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
}

void Worker::Run() {
  // Back-off after an error, so a failing disk is not hammered; the worker
  // then retries from its committed offset.
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_) {
    // The wait is bounded only so that Stop() is noticed; a new event wakes
    // the worker at once.
    if (!log_->WaitForEventsAfter(applied_sequence(),
                                  absl::Now() + absl::Milliseconds(200))) {
      continue;
    }
    absl::Status applied = ApplyAvailable(&stopping_);
    if (applied.ok()) {
      backoff = absl::Milliseconds(100);
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      last_error_ = applied;
    }
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

// The two roots a batch stages its changes in, and the events they come
// from (kept until the batch is written: freeing them is work the pipeline
// moves off the applying thread).
struct Worker::Batch {
  Batch(const storage::Database* database, const Batch* pending)
      : projection(database, storage::Family::kProjection, "",
                   pending == nullptr ? nullptr : &pending->projection),
        mirror(database, storage::Family::kProjection, MirrorPrefix(),
               pending == nullptr ? nullptr : &pending->mirror) {}

  std::vector<v1::Event> events;
  size_t event_bytes = 0;  // the events' encoded size
  storage::ModelTxn projection;
  storage::ModelTxn mirror;
};

absl::Status Worker::CatchUp() {
  // The thread is not running, so the committed offset is the truth; a
  // Worker that was never started would otherwise begin at 0 and apply
  // committed events a second time.
  ASSIGN_OR_RETURN(uint64_t offset, database_->ConsumerOffset(kConsumerName));
  {
    absl::MutexLock lock(&mu_);
    applied_ = offset;
  }
  return ApplyAvailable(/*stop=*/nullptr);
}

absl::Status Worker::ApplyAvailable(const std::atomic<bool>* stop) {
  // A pipeline over the two cores (issue 8: a rebuild on one thread left
  // the other idle, and writing a batch, reading and parsing the next and
  // freeing the last were 45% of its time). While this thread applies
  // batch N+1, reading through batch N as if it were written, the helper
  // writes batch N, frees N-1 and reads ahead. Nothing is acknowledged to
  // anyone before it is written, and a failed write stops the pipeline:
  // the batch applied on top of it is dropped, and the committed offset
  // still says where to resume.
  std::vector<v1::Event> ready;  // read, not yet applied
  size_t ready_bytes = 0;
  RETURN_IF_ERROR(ReadEvents(applied_sequence() + 1, &ready, &ready_bytes));
  std::unique_ptr<Batch> pending;  // applied; written by the helper
  std::unique_ptr<Batch> retired;  // written; freed by the helper
  std::vector<v1::Event> read_ahead;
  size_t read_ahead_bytes = 0;
  absl::Status helper_status;
  std::unique_ptr<absl::Notification> helper_done;  // null when idle
  auto await_helper = [&helper_done] {
    if (helper_done != nullptr) helper_done->WaitForNotification();
    helper_done = nullptr;
  };
  // On every way out, before what the helper's job uses is destroyed.
  absl::Cleanup finish_helper = await_helper;
  while (true) {
    std::unique_ptr<Batch> batch;
    if (!ready.empty() && (stop == nullptr || !*stop)) {
      // Not held while the helper is awaited: the helper opens an Access
      // of its own, which a Reopen() waiting on this one would hold back.
      storage::Database::Access access(database_);
      ASSIGN_OR_RETURN(batch, ApplyEvents(&ready, pending.get()));
      ready_bytes -= batch->event_bytes;
    }
    await_helper();
    RETURN_IF_ERROR(helper_status);
    // Stopping, or the last read found nothing: everything applied is
    // written.
    if (batch == nullptr && read_ahead.empty()) return absl::OkStatus();
    std::move(read_ahead.begin(), read_ahead.end(), std::back_inserter(ready));
    ready_bytes += read_ahead_bytes;
    read_ahead.clear();
    read_ahead_bytes = 0;
    if (batch == nullptr) continue;
    uint64_t next =
        (ready.empty() ? batch->events.back() : ready.back()).sequence() + 1;
    // Bounds what is read but not applied when the key limit cuts batches
    // short of the events they were read for (a run of big imports).
    bool read_more = ready.size() < 2 * options_.batch_size &&
                     ready_bytes < 2 * options_.batch_bytes;
    retired = std::move(pending);
    pending = std::move(batch);
    helper_done = std::make_unique<absl::Notification>();
    helper_.Schedule([this, &pending, &retired, &read_ahead, &read_ahead_bytes,
                      &helper_status, done = helper_done.get(), next,
                      read_more] {
      helper_status = CommitBatch(*pending);
      retired = nullptr;
      if (helper_status.ok() && read_more) {
        helper_status = ReadEvents(next, &read_ahead, &read_ahead_bytes);
      }
      done->Notify();
    });
  }
}

absl::Status Worker::Rebuild() {
  // The projections and the offset are reset in one batch: were they two
  // writes, a crash between them would leave an empty projection with the
  // old offset, and the worker would resume as if nothing were lost.
  storage::Database::Access access(database_);
  rocksdb::WriteBatch batch;
  storage::Database::AddClearFamily(&batch, database_->projection());
  storage::Database::PutConsumerOffset(&batch, database_->meta(), kConsumerName,
                                       0);
  RETURN_IF_ERROR(database_->Write(&batch, /*sync=*/true));
  // The tombstone hides the old projection but leaves its keys in place
  // until compaction reaches them: every read and scan of the replay would
  // step over them. Compacting now drops them at once; it changes nothing
  // a reader can see, so a crash during it loses nothing.
  RETURN_IF_ERROR(storage::FromRocks(
      database_->db()->CompactRange(rocksdb::CompactRangeOptions(),
                                    database_->projection(), nullptr, nullptr),
      "projection compaction"));
  {
    absl::MutexLock lock(&mu_);
    applied_ = 0;
  }
  return CatchUp();
}

absl::Status Worker::RebuildOnline() {
  absl::MutexLock lock(&rebuild_mu_);
  Stop();
  absl::Status rebuilt = Rebuild();
  // The thread comes back either way: a failed rebuild is retried by the
  // worker's own loop from the offset it reached.
  absl::Status started = Start();
  return rebuilt.ok() ? started : rebuilt;
}

absl::StatusOr<uint64_t> Worker::EventsApplied() const {
  ASSIGN_OR_RETURN(auto stored,
                   database_->Get(storage::Family::kProjection,
                                  EventsAppliedKey()));
  uint64_t count = 0;
  if (stored.has_value()) storage::DecodeFixed64(*stored, &count);
  return count;
}

absl::Status Worker::ReadEvents(uint64_t from, std::vector<v1::Event>* events,
                                size_t* bytes) const {
  assert(events->empty());
  // Read in small steps, so that a run of big events stops the batch near
  // its byte limit rather than a whole step past it.
  constexpr size_t kReadStep = 64;
  *bytes = 0;
  while (events->size() < options_.batch_size && *bytes < options_.batch_bytes) {
    size_t before = events->size();
    RETURN_IF_ERROR(log_->Read(
        from, std::min(kReadStep, options_.batch_size - before), events));
    if (events->size() == before) break;
    for (size_t i = before; i < events->size(); ++i) {
      *bytes += (*events)[i].ByteSizeLong();
    }
    from = events->back().sequence() + 1;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Worker::Batch>> Worker::ApplyEvents(
    std::vector<v1::Event>* events, const Batch* pending) {
  auto batch = std::make_unique<Batch>(database_, pending);
  ASSIGN_OR_RETURN(auto counted, batch->projection.Get(EventsAppliedKey()));
  uint64_t count = 0;
  if (counted.has_value()) storage::DecodeFixed64(*counted, &count);
  ledgers_.Bind(&batch->projection);
  size_t applied = 0;
  absl::Status status;
  // At least one event, whatever the limits, so that the worker moves on.
  while (applied < events->size() &&
         (applied == 0 ||
          (applied < options_.batch_size &&
           batch->event_bytes < options_.batch_bytes &&
           batch->projection.size() + batch->mirror.size() <
               options_.batch_keys))) {
    status = ApplyEvent((*events)[applied], &batch->projection, &batch->mirror);
    if (!status.ok()) break;
    // Not the cached size: a moved message does not keep it.
    batch->event_bytes += (*events)[applied].ByteSizeLong();
    ++applied;
  }
  ledgers_.Bind(nullptr);
  RETURN_IF_ERROR(status);
  batch->events.assign(std::make_move_iterator(events->begin()),
                       std::make_move_iterator(events->begin() + applied));
  events->erase(events->begin(), events->begin() + applied);
  batch->projection.Put(EventsAppliedKey(),
                        storage::EncodeFixed64(count + applied));
  return batch;
}

absl::Status Worker::CommitBatch(const Batch& batch) {
  // The WriteBatch holds family handles from here to the write; the
  // sequencer does not reopen the database under it.
  storage::Database::Access access(database_);
  rocksdb::WriteBatch write;
  batch.projection.WriteTo(&write);
  batch.mirror.WriteTo(&write);
  uint64_t last = batch.events.back().sequence();
  storage::Database::PutConsumerOffset(&write, database_->meta(), kConsumerName,
                                       last);
  RETURN_IF_ERROR(database_->Write(&write, /*sync=*/false));
  {
    absl::MutexLock lock(&mu_);
    applied_ = last;
    last_error_ = absl::OkStatus();
  }
  {
    // Called under the lock so that once Unsubscribe returns, its listener
    // is neither running nor will run again (listeners do not block).
    absl::MutexLock lock(&listeners_mu_);
    for (const auto& [id, listener] : listeners_) listener();
  }
  return absl::OkStatus();
}

absl::Status Worker::ApplyEvent(const v1::Event& event,
                                storage::ModelTxn* projection,
                                storage::ModelTxn* mirror) {
  RETURN_IF_ERROR(model_applier_.Apply(event, mirror));
  if (!event.account_id().empty()) {
    projection->Put(
        Key(KeySpace::kAuditByAccount).Str(event.account_id()).U64(event.sequence()),
        "");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> students, StudentsOf(event, *mirror));
  for (const std::string& id : students) {
    projection->Put(Key(KeySpace::kAuditByStudent).Str(id).U64(event.sequence()),
                    "");
  }
  return absl::OkStatus();
}

}  // namespace baoxue::services
