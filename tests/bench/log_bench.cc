// baoxue_log_bench: issue 8's benchmarks 3a and 5, on one realistic log,
// each against the raw floor measured in the same run — reading the same
// events back from the `events` column family and decoding them (RocksDB
// iteration + v1::Event protobuf parse), which is what any replay must do
// before it applies anything.
//
//   3a. Worker apply rate on a backlog: the follow-up worker is stopped
//       while the bulk of the log is appended; it is then started, and the
//       time until it has applied the whole backlog gives events/s (and
//       absence rows/s, from the attendance reports in it).
//   5.  Rebuild: Worker::Rebuild — the code behind `baoxue-server
//       --rebuild` and BureauService.RebuildProjections — of the whole log
//       (--events, default 10,000,000); target ≤ 120 s.
//
// How the log is built. A real services::Server runs in this process on a
// temporary directory ($TMPDIR) in simulated time. The demo driver
// (deploy/demo/driver.h) sets up 德化县 through the public gRPC API exactly
// as deploy/demo.sh does — county, townships, villages, 61 schools, the
// 2026–27 calendar, an account per school and township, --students pupils
// (default 30,000) imported 1,000 rows a request, the village rosters — and
// plays its first week. Then the worker is stopped, and the rest of the
// school year is appended day by day, fast: going through gRPC for 10 M
// events would take far longer than the benchmark, so the commands are
// submitted straight to the server's storage::Sequencer in this process,
// thousands in flight so that group commit packs them. Each command is
// what the RPC handler would have submitted for the same request: the same
// account, request id and request fingerprint, and as its `prepare` the
// same Prepare* function (PrepareAttendanceReport, PrepareUpdateStudent,
// PrepareRecordAction, PrepareReportOutOfSchool; the ticker's clock tick),
// validated against the write model — so every event is valid, the write
// model stays consistent, and only authentication and the gRPC layer are
// skipped. Each calendar day has the ticker's 24 clock ticks (midnight,
// hourly, the 18:00 reporting cutoff); each school day also has
//   - every school's attendance report (the absences of
//     Dataset::AbsencesOn for the children still on its roll; a few
//     schools miss a day, as Dataset::Reports says),
//   - the bulk, spread over 08:00–17:00 so that the log reaches --events:
//     three in four are record edits (UpdateStudent: a guardian's new phone
//     number, each student in turn), one in four a township's home visit or
//     phone call (RecordAction) on the open case of a child it reported
//     found out of school (R7, one child in 30, reported on the first day).
//
// Order of the run: build the log; the raw read of the backlog; 3a; the
// raw read of the whole log; 5 (the worker is stopped for the rebuild, as
// --rebuild and RebuildProjections stop it). The log is in the page cache
// for both the figures and the baselines (it was just written).
//
// What a run costs. The log is built through the real write path, whose
// rate this program also prints (≈ 8,500 events/s on the quiet two-core
// machine, each command validated and applied with the case rules), so the
// default of 10,000,000 events takes about 20 minutes to build before the
// rebuild starts; --events 200000 (deploy/bench.sh) about a minute. The rebuild's rate depends
// on the mix: attendance reports, whose every absence row runs the absence
// rules (LoadAbsences, FindCase), cost most per event.
//
// Single-threaded, apart from the sequencer's and worker's own threads.
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "baoxue/v1/events.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/township.pb.h"
#include "deploy/demo/dataset.h"
#include "deploy/demo/demo_client.h"
#include "deploy/demo/driver.h"
#include "google/protobuf/util/time_util.h"
#include "services/attendance.h"
#include "services/auth.h"
#include "services/case_commands.h"
#include "services/case_engine.h"
#include "services/county_time.h"
#include "services/rpc.h"
#include "services/server.h"
#include "services/students.h"
#include "services/worker.h"
#include "services/write_model.h"
#include "storage/keys.h"
#include "storage/localized_status.h"
#include "storage/model_txn.h"
#include "tests/bench/results.h"
#include "storage/sequencer.h"
#include "storage/status_macros.h"

namespace baoxue::bench {
namespace {

using google::protobuf::util::TimeUtil;

// Dies with a message: set-up failures make every figure meaningless.
void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "baoxue_log_bench: %s\n", what.c_str());
    std::exit(1);
  }
}
void CheckOk(const absl::Status& s, const std::string& what) {
  Check(s.ok(), absl::StrCat(what, ": ", s.ToString()));
}

std::string MakeTempDir(const std::string& name) {
  std::string tmpl = (std::filesystem::temp_directory_path() /
                      ("baoxue-logbench-" + name + "-XXXXXX"))
                         .string();
  Check(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp " + tmpl);
  return tmpl;
}

// Seconds, to two significant decimals below 10 s.
std::string Seconds(double s) {
  return s < 10 ? absl::StrFormat("%.2f", s) : absl::StrFormat("%.0f", s);
}

// A command as the RPC layer would submit it for `request` from
// `account_id`; the caller sets its prepare.
storage::Command CommandFor(const std::string& account_id,
                            const std::string& request_id,
                            const google::protobuf::Message& request) {
  storage::Command command;
  command.account_id = account_id;
  command.request_id = request_id;
  command.fingerprint = services::RequestFingerprint(request);
  return command;
}

// ---- Submitting commands with a bounded number in flight.

// Hands commands to the sequencer, at most `window` unanswered at once (so
// that groups fill up without the queue growing without bound), and counts
// the answers. Submit/Drain from one thread; the callbacks run on the
// sequencer thread.
class Appender {
 public:
  Appender(storage::Sequencer* sequencer, int window)
      : sequencer_(sequencer), window_(window) {}

  // `rows` is added to rows() if the command is accepted.
  void Submit(storage::Command command, int rows = 0) {
    {
      absl::MutexLock lock(&mu_);
      auto room = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return in_flight_ < window_;
      };
      mu_.Await(absl::Condition(&room));
      ++in_flight_;
      ++submitted_;
    }
    command.done = [this, rows](const storage::CommandResult& result) {
      absl::MutexLock lock(&mu_);
      --in_flight_;
      if (!result.status.ok()) {
        ++rejected_;
        if (first_error_.empty()) first_error_ = result.status.ToString();
      } else if (result.event != nullptr && !result.replayed) {
        ++accepted_;
        rows_ += rows;
      }
    };
    sequencer_->Submit(std::move(command));
  }

  // Waits until every submitted command is answered.
  void Drain() {
    absl::MutexLock lock(&mu_);
    auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return in_flight_ == 0;
    };
    mu_.Await(absl::Condition(&idle));
  }

  uint64_t submitted() const {
    absl::MutexLock lock(&mu_);
    return submitted_;
  }
  uint64_t accepted() const {
    absl::MutexLock lock(&mu_);
    return accepted_;
  }
  uint64_t rejected() const {
    absl::MutexLock lock(&mu_);
    return rejected_;
  }
  uint64_t rows() const {
    absl::MutexLock lock(&mu_);
    return rows_;
  }
  std::string first_error() const {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }

 private:
  storage::Sequencer* const sequencer_;
  const int window_;
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t submitted_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t accepted_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t rejected_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t rows_ ABSL_GUARDED_BY(mu_) = 0;
  std::string first_error_ ABSL_GUARDED_BY(mu_);
};

// ---- The commands, each as its RPC handler would submit it.

storage::Command ClockTickCommand(absl::Time at, v1::ClockTickKind kind) {
  storage::Command command;
  auto timestamp = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(at));
  // As the ticker's: a tick never goes backwards.
  command.prepare = [timestamp, kind](const storage::ModelTxn& model,
                                      v1::Event* event) -> absl::Status {
    ASSIGN_OR_RETURN(auto last, services::LastClockTick(model));
    if (last.has_value() && timestamp < last->tick_time()) {
      return absl::FailedPreconditionError("clock tick backwards");
    }
    v1::ClockTick* tick = event->mutable_clock_tick();
    *tick->mutable_tick_time() = timestamp;
    tick->set_kind(kind);
    return absl::OkStatus();
  };
  return command;
}

storage::Command AttendanceCommand(
    const v1::Account& school_account,
    std::shared_ptr<const v1::SubmitAttendanceReportRequest> request) {
  storage::Command command = CommandFor(
      school_account.account_id(), request->request_id(), *request);
  command.prepare = [school_id = school_account.school_id(),
                     account_id = school_account.account_id(),
                     request](const storage::ModelTxn& model, v1::Event* e) {
    return services::PrepareAttendanceReport(model, school_id, account_id,
                                             *request, e);
  };
  return command;
}

storage::Command UpdateStudentCommand(
    const v1::Account& school_account,
    std::shared_ptr<const v1::UpdateStudentRequest> request) {
  storage::Command command = CommandFor(
      school_account.account_id(), request->request_id(), *request);
  command.prepare = [school_id = school_account.school_id(), request](
                        const storage::ModelTxn& model, v1::Event* e) {
    return services::PrepareUpdateStudent(model, school_id, request->student(),
                                          e);
  };
  return command;
}

storage::Command RecordActionCommand(
    const services::Caller& township,
    std::shared_ptr<const v1::RecordActionRequest> request) {
  storage::Command command = CommandFor(
      township.account.account_id(), request->request_id(), *request);
  command.prepare = [township, request](const storage::ModelTxn& model,
                                        v1::Event* e) {
    return services::PrepareRecordAction(model, township, request->case_id(),
                                         request->action(), e);
  };
  return command;
}

storage::Command ReportOutOfSchoolCommand(
    const services::Caller& township,
    std::shared_ptr<const v1::ReportChildOutOfSchoolRequest> request) {
  storage::Command command = CommandFor(
      township.account.account_id(), request->request_id(), *request);
  command.prepare = [township, request](const storage::ModelTxn& model,
                                        v1::Event* e) {
    return services::PrepareReportOutOfSchool(
        model, township, request->child(), request->note(),
        request->found_date(), e);
  };
  return command;
}

// ---- The county and its log.

struct Options {
  uint64_t events = 10'000'000;  // The log's length to reach.
  int students = 30000;
  int window = 8192;  // Commands in flight.
  std::string results_md;
};

class LogBench {
 public:
  explicit LogBench(const Options& options) : options_(options) {}

  // Starts the server and plays the demo's set-up and first week; dies on
  // failure.
  void SetUp() {
    absl::Time start = absl::Now();
    demo::DatasetOptions dataset;
    dataset.students = options_.students;
    dataset.active_school_days = 5;  // The driver's one week.
    auto data = demo::Dataset::Generate(dataset);
    Check(data.ok(), absl::StrCat("dataset: ", data.status().ToString()));
    data_ = std::make_unique<demo::Dataset>(std::move(*data));
    dir_ = MakeTempDir("server");
    services::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_ + "/data";
    options.simulated_start = data_->enrol_date() - 1;
    auto server = services::Server::Start(options);
    Check(server.ok(), absl::StrCat("server: ", server.status().ToString()));
    server_ = std::move(*server);
    std::ifstream in(server_->token_file());
    std::stringstream contents;
    contents << in.rdbuf();

    demo::DemoClient client(absl::StrCat("127.0.0.1:", server_->port()), "en");
    demo::DriverOptions driver_options;
    driver_options.bureau_token =
        std::string(absl::StripAsciiWhitespace(contents.str()));
    driver_options.tokens_dir = dir_ + "/tokens";
    std::filesystem::create_directories(driver_options.tokens_dir);
    driver_options.weeks = 1;
    driver_options.lang = Lang::kEn;
    demo::DemoDriver driver(data_.get(), &client, driver_options);
    auto report = driver.Run();
    Check(report.ok(), absl::StrCat("demo driver: ", report.status().ToString()));
    last_driver_day_ = driver.LastDay();

    // The worker catches up on the set-up, then stops: what follows is
    // its backlog.
    uint64_t last = server_->log()->LastSequence();
    Check(server_->worker()->WaitForApplied(last, absl::Now() + absl::Minutes(5)),
          "the worker did not catch up on the set-up");
    server_->worker()->Stop();
    setup_events_ = last;
    std::printf("set-up: %d students, %zu schools, demo's first week: %s events "
                "in %.1f s\n",
                options_.students, data_->schools().size(),
                Commas(setup_events_).c_str(),
                absl::ToDoubleSeconds(absl::Now() - start));
    std::fflush(stdout);
    LoadModel();
  }

  // Appends the rest of the school year until the log holds
  // options_.events events (or the year ends).
  void BuildLog() {
    absl::Time start = absl::Now();
    Appender appender(server_->sequencer(), options_.window);
    ManualClock* clock = server_->simulated_clock();
    Check(clock != nullptr, "the server has no simulated clock");
    const auto& school_days = data_->school_days();
    int first_index = 0;
    while (first_index < static_cast<int>(school_days.size()) &&
           school_days[first_index] <= last_driver_day_) {
      ++first_index;
    }
    Check(first_index < static_cast<int>(school_days.size()),
          "no school day left after the demo's week");
    const absl::CivilDay last_day = school_days.back();
    int school_index = first_index;
    bool cases_opened = false;
    uint64_t next_report = 1'000'000;
    for (absl::CivilDay day = services::CountyDay(clock->Now()); day <= last_day;
         ++day) {
      const bool school_day = school_index < static_cast<int>(school_days.size()) &&
                              school_days[school_index] == day;
      // How many bulk events today: what is left of the budget, less the
      // ticks and reports still to come, over the school days left.
      uint64_t bulk_today = 0;
      if (school_day) {
        const uint64_t days_left = last_day - day + 1;
        const uint64_t school_days_left = school_days.size() - school_index;
        const uint64_t fixed_left =
            24 * days_left + data_->schools().size() * school_days_left;
        const uint64_t planned = setup_events_ + appender.submitted() + fixed_left;
        if (options_.events > planned) {
          bulk_today = (options_.events - planned) / school_days_left;
        }
      }
      for (int hour = 0; hour < 24; ++hour) {
        absl::Time at = services::CountyMidnight(day) + absl::Hours(hour);
        if (at > clock->Now()) {
          clock->Set(at);
          appender.Submit(ClockTickCommand(
              at, hour == 0    ? v1::CLOCK_TICK_KIND_MIDNIGHT
                  : hour == 18 ? v1::CLOCK_TICK_KIND_REPORTING_CUTOFF
                               : v1::CLOCK_TICK_KIND_HOURLY));
        }
        if (!school_day) continue;
        if (hour == 8 && !cases_opened) {
          OpenCases(&appender, day);
          cases_opened = true;
        }
        if (hour >= 8 && hour < 17) {
          // Nine working hours share the bulk.
          uint64_t n = bulk_today / 9 + (hour == 8 ? bulk_today % 9 : 0);
          for (uint64_t i = 0; i < n; ++i) Bulk(&appender, day);
        }
        if (hour == 17) Reports(&appender, day, school_index);
      }
      if (school_day) ++school_index;
      // The day's commands are answered before the clock moves on, so that
      // each is recorded on its own day (a report recorded weeks after its
      // date would be refused, as the API would refuse it).
      appender.Drain();
      if (setup_events_ + appender.submitted() >= next_report) {
        std::fprintf(stderr, "  appended %s events (%s), %.0f s\n",
                     Commas(setup_events_ + appender.submitted()).c_str(),
                     absl::FormatCivilTime(day).c_str(),
                     absl::ToDoubleSeconds(absl::Now() - start));
        next_report += 1'000'000;
      }
      if (setup_events_ + appender.submitted() >= options_.events) break;
    }
    appender.Drain();
    build_seconds_ = absl::ToDoubleSeconds(absl::Now() - start);
    last_sequence_ = server_->log()->LastSequence();
    const uint64_t appended = last_sequence_ - setup_events_;
    std::printf(
        "appended %s events (%s commands, %s rejected) in %.1f s: %s events/s "
        "through the sequencer; %s groups; %s absence rows; the log has %s "
        "events\n",
        Commas(appended).c_str(), Commas(appender.submitted()).c_str(),
        Commas(appender.rejected()).c_str(), build_seconds_,
        Commas(appended / build_seconds_).c_str(),
        Commas(server_->sequencer()->stats().groups).c_str(),
        Commas(appender.rows()).c_str(), Commas(last_sequence_).c_str());
    std::fflush(stdout);
    // A few refusals are the rules at work (a case the engine has moved
    // on); many would mean the log is not what it claims to be.
    Check(appender.rejected() * 100 <= appender.submitted(),
          absl::StrCat(appender.rejected(), " of ", appender.submitted(),
                       " commands refused; the first: ", appender.first_error()));
    if (appender.rejected() > 0) {
      std::printf("  the first refusal: %s\n", appender.first_error().c_str());
    }
  }

  // The raw floor: iterate the events family over [from, to] and decode
  // every event. Counts the absence rows the attendance reports carry.
  struct RawRead {
    uint64_t events = 0;
    uint64_t rows = 0;
    double seconds = 0;
  };
  RawRead ReadRaw(uint64_t from, uint64_t to) {
    storage::Database* db = server_->database();
    RawRead result;
    absl::Time start = absl::Now();
    {
      storage::Database::Access access(db);
      std::unique_ptr<rocksdb::Iterator> it =
          db->NewIterator(rocksdb::ReadOptions(), storage::Family::kEvents);
      v1::Event event;
      uint64_t expected = from;
      for (it->Seek(storage::EventKey(from)); it->Valid(); it->Next()) {
        uint64_t sequence = 0;
        Check(storage::DecodeEventKey(
                  absl::string_view(it->key().data(), it->key().size()),
                  &sequence),
              "an event key cannot be read");
        if (sequence > to) break;
        Check(sequence == expected, absl::StrCat("the log skips ", expected));
        rocksdb::Slice value = it->value();
        Check(event.ParseFromArray(value.data(), static_cast<int>(value.size())),
              absl::StrCat("event ", sequence, " cannot be decoded"));
        if (event.has_attendance_reported()) {
          result.rows += event.attendance_reported().report().absences_size();
        }
        ++result.events;
        ++expected;
      }
      Check(it->status().ok(), "event read: " + it->status().ToString());
    }
    result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
    Check(result.events == to - from + 1,
          absl::StrCat("read ", result.events, " events of ", to - from + 1));
    return result;
  }

  // 3a: the stopped worker's backlog, from its offset to the log's end.
  void MeasureBacklog() {
    auto offset = server_->database()->ConsumerOffset(services::Worker::kConsumerName);
    CheckOk(offset.status(), "worker offset");
    const uint64_t from = *offset + 1;
    RawRead raw = ReadRaw(from, last_sequence_);
    const uint64_t backlog = raw.events;
    absl::Time start = absl::Now();
    CheckOk(server_->worker()->Start(), "worker start");
    Check(server_->worker()->WaitForApplied(last_sequence_,
                                            absl::Now() + absl::Hours(2)),
          "the worker did not apply its backlog");
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    CheckOk(server_->worker()->last_error(), "worker");
    const double rate = backlog / seconds;
    const double raw_rate = raw.events / raw.seconds;
    std::printf(
        "3a worker apply rate on a backlog of %s events: %.1f s, %s events/s, "
        "%s absence rows/s (%s rows); raw read + parse of the same events: "
        "%.2f s, %s events/s; ratio %.3f\n",
        Commas(backlog).c_str(), seconds, Commas(rate).c_str(),
        Commas(raw.rows / seconds).c_str(), Commas(raw.rows).c_str(),
        raw.seconds, Commas(raw_rate).c_str(), rate / raw_rate);
    std::fflush(stdout);
    rows_.push_back(absl::StrFormat(
        "| worker apply rate on a backlog of %s events (events/s) | %s | raw "
        "read + parse of the same events (events/s) | %s | %.3f | — | — | "
        "%s s; %s absence rows/s |",
        Commas(backlog), Commas(rate), Commas(raw_rate), rate / raw_rate,
        Seconds(seconds), Commas(raw.rows / seconds)));
  }

  // 5: Worker::Rebuild of the whole log, with the worker stopped as
  // --rebuild and RebuildProjections stop it; `times` times over, each
  // against its own raw read, and the table gets the fastest (this
  // machine's speed changes from minute to minute: an A/B of two builds
  // compares their fastest runs).
  void MeasureRebuild(int times) {
    server_->worker()->Stop();
    double best_seconds = 0;
    RawRead best_raw;
    for (int i = 0; i < times; ++i) {
      RawRead raw = ReadRaw(1, last_sequence_);
      absl::Time start = absl::Now();
      CheckOk(server_->worker()->Rebuild(), "rebuild");
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
      PrintRebuild(seconds, raw);
      if (i == 0 || seconds < best_seconds) {
        best_seconds = seconds;
        best_raw = raw;
      }
    }
    if (times > 1) std::printf("fastest of %d rebuilds:\n", times);
    rows_.push_back(PrintRebuild(best_seconds, best_raw));
  }

  // Prints one rebuild's line and returns its table row.
  std::string PrintRebuild(double seconds, const RawRead& raw) {
    auto applied = server_->worker()->EventsApplied();
    CheckOk(applied.status(), "events applied");
    Check(*applied == last_sequence_,
          absl::StrCat("the rebuild applied ", *applied, " events of ",
                       last_sequence_));
    const double rate = last_sequence_ / seconds;
    const double raw_rate = raw.events / raw.seconds;
    // The target is for 10 M events; a smaller log is judged by the time
    // 10 M would take at its rate (an optimistic guess: the rate falls as
    // the log and the projections grow).
    constexpr double kTargetEvents = 10'000'000;
    const bool full = last_sequence_ >= kTargetEvents;
    const double projected = kTargetEvents / rate;
    const bool met = full ? seconds <= 120 : projected <= 120;
    std::string verdict = met ? "yes" : "**no**";
    std::string note = absl::StrCat(Commas(rate), " events/s");
    if (!full) {
      verdict = absl::StrCat(met ? "yes" : "**no**", " (projected)");
      note = absl::StrCat(note, "; 10,000,000 at this rate: ",
                          Commas(projected), " s");
    }
    std::printf(
        "5  rebuild of %s events: %.1f s, %s events/s; raw read + parse of "
        "the same events: %.2f s, %s events/s; ratio (time) %.2f; target "
        "≤ 120 s for 10 M: %s%s\n",
        Commas(last_sequence_).c_str(), seconds, Commas(rate).c_str(),
        raw.seconds, Commas(raw_rate).c_str(), seconds / raw.seconds,
        met ? "met" : "NOT met",
        full ? "" : absl::StrCat(" (projected ", Commas(projected), " s)").c_str());
    std::fflush(stdout);
    return absl::StrFormat(
        "| rebuild of %s events (s; ratio = rebuild time / raw time, lower is "
        "better) | %s | raw read + parse of the same events (s) | %s | %.2f | "
        "≤ 120 s | %s | %s |",
        Commas(last_sequence_), Seconds(seconds), Seconds(raw.seconds),
        seconds / raw.seconds, verdict, note);
  }

  void WriteMarkdown() {
    if (options_.results_md.empty()) return;
    std::ofstream out(options_.results_md, std::ios::app);
    for (const std::string& row : rows_) out << row << "\n";
    Check(out.good(), "cannot write " + options_.results_md);
  }

  void TearDown() {
    if (server_) server_->Shutdown();
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  // Reads what the commands need from the write model: the accounts, and
  // each pupil's record as its school sees it.
  void LoadModel() {
    storage::ModelTxn model(server_->database(), storage::Family::kModel);
    CheckOk(services::ForEachRecord<v1::Account>(
                model, services::AccountKeyPrefix(),
                [this](v1::Account&& a) {
                  if (a.role() == v1::ROLE_SCHOOL) {
                    school_accounts_.emplace(a.school_id(), a);
                  } else if (a.role() == v1::ROLE_TOWNSHIP) {
                    township_accounts_.emplace(a.township_code(), a);
                  }
                  return true;
                }),
            "accounts");
    CheckOk(services::ForEachRecord<v1::Student>(
                model, storage::Key(storage::KeySpace::kStudent).data(),
                [this](v1::Student&& s) {
                  if (s.enrolment().status() == v1::ENROLMENT_STATUS_ENROLLED &&
                      school_accounts_.count(s.enrolment().school_id()) > 0 &&
                      s.guardians_size() > 0) {
                    enrolled_at_[s.student_number()] = s.enrolment().school_id();
                    students_.push_back(std::move(s));
                  }
                  return true;
                }),
            "students");
    Check(!students_.empty() && !school_accounts_.empty() &&
              !township_accounts_.empty(),
          "the demo county has no students or accounts");
    // Edits visit the county's children in a scattered order (a stride
    // coprime to their number), not school by school.
    stride_ = students_.size() / 3 + 1;
    while (std::gcd(stride_, students_.size()) != 1) ++stride_;
  }

  // R7: each township reports one child in 30 of its pupils found out of
  // school, which opens a suspected case that takes visits and calls.
  void OpenCases(Appender* appender, absl::CivilDay day) {
    storage::ModelTxn model(server_->database(), storage::Family::kModel);
    std::vector<const v1::Student*> chosen;
    for (size_t i = 0; i < students_.size(); i += 30) {
      const v1::Student& s = students_[i];
      auto open = services::FindOpenCaseOf(model, s.student_id());
      CheckOk(open.status(), "open case");
      if (open->has_value()) continue;
      if (township_accounts_.count(s.household_township_code()) == 0) continue;
      chosen.push_back(&s);
    }
    for (const v1::Student* s : chosen) {
      auto request = std::make_shared<v1::ReportChildOutOfSchoolRequest>();
      request->mutable_child()->set_id_number(s->id_number());
      request->set_note("入户摸排发现未到校");
      *request->mutable_found_date() = demo::ToDate(day);
      request->set_request_id(absl::StrCat("logbench-found-", s->student_id()));
      appender->Submit(
          ReportOutOfSchoolCommand(Township(s->household_township_code()),
                                   std::move(request)));
    }
    appender->Drain();
    for (const v1::Student* s : chosen) {
      auto open = services::FindOpenCaseOf(model, s->student_id());
      CheckOk(open.status(), "open case");
      if (!open->has_value() || (*open)->state() != v1::CASE_STATE_SUSPECTED) {
        continue;
      }
      cases_.push_back({(*open)->case_id(), (*open)->household_township_code()});
    }
    Check(!cases_.empty(), "no case was opened");
    std::printf("opened %zu cases (R7) on %s\n", cases_.size(),
                absl::FormatCivilTime(day).c_str());
  }

  services::Caller Township(const std::string& code) const {
    services::Caller caller;
    caller.account = township_accounts_.at(code);
    caller.lang = Lang::kZh;
    return caller;
  }

  // One bulk event: three in four a record edit, one in four a visit.
  void Bulk(Appender* appender, absl::CivilDay day) {
    const uint64_t n = bulk_++;
    if (n % 4 == 3 && !cases_.empty()) {
      const OpenCase& c = cases_[(n / 4) % cases_.size()];
      auto request = std::make_shared<v1::RecordActionRequest>();
      request->set_case_id(c.case_id);
      v1::CaseAction* action = request->mutable_action();
      action->set_kind(n % 8 == 3 ? v1::ACTION_KIND_HOME_VISIT
                                  : v1::ACTION_KIND_PHONE_CALL);
      *action->mutable_action_date() = demo::ToDate(day);
      action->set_actors("镇控辍专干、村主任");
      action->set_met("母亲");
      action->set_attitude(v1::GUARDIAN_ATTITUDE_HESITANT);
      action->set_outcome("家长答应明天送孩子上学");
      request->set_request_id(absl::StrCat("logbench-action-", n));
      appender->Submit(RecordActionCommand(Township(c.township_code),
                                           std::move(request)));
      return;
    }
    v1::Student& student = students_[(edit_++ * stride_) % students_.size()];
    student.mutable_guardians(0)->set_phone(
        absl::StrFormat("139%08d", n % 100000000));
    auto request = std::make_shared<v1::UpdateStudentRequest>();
    *request->mutable_student() = student;
    request->set_request_id(absl::StrCat("logbench-update-", n));
    appender->Submit(UpdateStudentCommand(
        school_accounts_.at(student.enrolment().school_id()), std::move(request)));
  }

  // Every school's report of school day `index`, as the dataset plans it.
  void Reports(Appender* appender, absl::CivilDay day, int index) {
    std::map<std::string, std::shared_ptr<v1::SubmitAttendanceReportRequest>>
        by_school;
    for (size_t s = 0; s < data_->schools().size(); ++s) {
      const std::string& id = data_->schools()[s].school_id();
      if (school_accounts_.count(id) == 0 || !data_->Reports(s, index)) continue;
      auto request = std::make_shared<v1::SubmitAttendanceReportRequest>();
      *request->mutable_date() = demo::ToDate(day);
      request->set_request_id(
          absl::StrCat("logbench-report-", id, "-", absl::FormatCivilTime(day)));
      by_school[id] = std::move(request);
    }
    for (const demo::PlannedAbsence& planned : data_->AbsencesOn(index)) {
      const std::string& number =
          data_->students()[planned.student].student.student_number();
      auto at = enrolled_at_.find(number);
      if (at == enrolled_at_.end()) continue;
      auto report = by_school.find(at->second);
      if (report == by_school.end()) continue;
      v1::Absence* a = report->second->add_absences();
      a->set_student_number(number);
      a->set_category(planned.category);
      a->set_reason(planned.reason);
      a->set_half_day(planned.half_day);
    }
    for (auto& [id, request] : by_school) {
      if (request->absences_size() == 0) request->set_zero_report(true);
      int rows = request->absences_size();
      appender->Submit(AttendanceCommand(school_accounts_.at(id), request), rows);
    }
  }

  struct OpenCase {
    std::string case_id;
    std::string township_code;
  };

  const Options options_;
  std::unique_ptr<demo::Dataset> data_;
  std::string dir_;
  std::unique_ptr<services::Server> server_;
  absl::CivilDay last_driver_day_;
  uint64_t setup_events_ = 0;
  uint64_t last_sequence_ = 0;
  double build_seconds_ = 0;
  std::map<std::string, v1::Account> school_accounts_;    // by school id
  std::map<std::string, v1::Account> township_accounts_;  // by code
  std::vector<v1::Student> students_;  // enrolled pupils, as last edited
  std::map<std::string, std::string> enrolled_at_;  // 学籍号 -> school id
  size_t stride_ = 1;
  uint64_t bulk_ = 0;
  uint64_t edit_ = 0;
  std::vector<OpenCase> cases_;
  std::vector<std::string> rows_;  // Markdown rows
};

// "--name=value" or "--name value".
bool Flag(int argc, char** argv, int* i, const std::string& name,
          std::string* value) {
  std::string arg = argv[*i];
  std::string prefix = "--" + name;
  if (arg == prefix && *i + 1 < argc) {
    *value = argv[++*i];
    return true;
  }
  if (arg.rfind(prefix + "=", 0) == 0) {
    *value = arg.substr(prefix.size() + 1);
    return true;
  }
  return false;
}

}  // namespace
}  // namespace baoxue::bench

int main(int argc, char** argv) {
  using namespace baoxue::bench;
  Options options;
  bool skip_backlog = false;
  int rebuilds = 1;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    if (Flag(argc, argv, &i, "events", &value)) {
      Check(absl::SimpleAtoi(value, &options.events) && options.events > 0,
            "--events takes a positive number");
    } else if (Flag(argc, argv, &i, "students", &value)) {
      Check(absl::SimpleAtoi(value, &options.students) && options.students >= 100,
            "--students takes a number >= 100");
    } else if (Flag(argc, argv, &i, "window", &value)) {
      Check(absl::SimpleAtoi(value, &options.window) && options.window > 0,
            "--window takes a positive number");
    } else if (Flag(argc, argv, &i, "rebuilds", &value)) {
      Check(absl::SimpleAtoi(value, &rebuilds) && rebuilds > 0,
            "--rebuilds takes a positive number");
    } else if (Flag(argc, argv, &i, "results_md", &value)) {
      options.results_md = value;
    } else if (std::string(argv[i]) == "--skip_backlog") {
      // For the 10 M run: applying a backlog of the whole log costs as
      // long as the rebuild that follows it.
      skip_backlog = true;
    } else {
      std::fprintf(stderr,
                   "baoxue_log_bench: unknown flag %s\n"
                   "usage: baoxue_log_bench [--events N (10000000)] "
                   "[--students N (30000)] [--window N (8192)] "
                   "[--rebuilds N (1)] [--results_md FILE] [--skip_backlog]\n",
                   argv[i]);
      return 2;
    }
  }
  absl::Time start = absl::Now();
  LogBench bench(options);
  bench.SetUp();
  bench.BuildLog();
  if (!skip_backlog) bench.MeasureBacklog();
  bench.MeasureRebuild(rebuilds);
  bench.WriteMarkdown();
  bench.TearDown();
  std::printf("total %.0f s\n", absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}
