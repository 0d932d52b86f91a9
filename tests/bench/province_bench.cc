// baoxue_province_bench: issue 8's benchmarks at province scale, against
// the real baoxue-server binary in a process of its own (so that its memory
// is its own), driven over gRPC on loopback:
//
//   6. Term-start import: every school imports its students (1,000,000 by
//      default) with their enrolment, several schools at once, 1,000 rows per
//      chunk. Baseline: raw RocksDB synced WriteBatches of 1,000 rows of the
//      same row size, on the same disk, in this run.
//   4. Ledger queries with 100,000 open cases (opened by the server's own rule
//      R1: the schools report 100,000 children unexcused on three school
//      days running): a page of 50 filtered by township, the county summary,
//      the export of one township's cases. Each query's keys read (the
//      server's storage_keys_read before and after, on an idle server) show
//      that none scans all cases. Baseline: the no-op gRPC call.
//   3. The worker under a steady load of home visits: how long after its
//      acknowledgement each write is visible to the read side.
//   7. Memory: the server's resident set (VmRSS) when idle with all that
//      data, and its peak (VmHWM) over the whole run. Baseline: the
//      resident set of the same server when it has just started, empty.
//
// The server runs in simulated time (--simulated_time), so the county clock
// moves only when the benchmark says (AdvanceClock). A set-up failure ends
// the program with a message: it would make every figure meaningless.
//
//   baoxue_province_bench [--students=1000000] [--cases=100000]
//       [--import_clients=4] [--visits_per_s=1000] [--load_seconds=10]
//       [--queries=1000] [--results_md=FILE]
//
// Single-threaded apart from the client threads of the import, the steady
// load and the memory sampler, which share only what their comments say.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "deploy/demo/dataset.h"
#include "deploy/demo/demo_client.h"
#include "grpcpp/grpcpp.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "tests/bench/results.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::bench {
namespace {

using BureauStub = v1::BureauService::Stub;
using Clock = std::chrono::steady_clock;

struct Flags {
  int students = 1000000;
  int cases = 100000;
  int import_clients = 4;
  int visits_per_s = 1000;
  int load_seconds = 10;
  int queries = 1000;
  std::string results_md;
};

// The server's pid once started: Die() must not leave it running.
pid_t server_pid = 0;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "baoxue_province_bench: %s\n", what.c_str());
  if (server_pid > 0) kill(server_pid, SIGKILL);
  std::exit(1);
}
void Check(bool ok, const std::string& what) {
  if (!ok) Die(what);
}
void CheckGrpc(const grpc::Status& s, const std::string& what) {
  Check(s.ok(), absl::StrCat(what, ": code ", static_cast<int>(s.error_code()),
                             " ", s.error_message()));
}

void Say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}
double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// A field of /proc/<pid>/status in KiB ("VmRSS", "VmHWM"); -1 if unreadable.
long ProcStatusKib(pid_t pid, const std::string& field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      long kib = -1;
      std::istringstream(line.substr(field.size() + 1)) >> kib;
      return kib;
    }
  }
  return -1;
}

std::string Mib(double kib) { return absl::StrFormat("%.0f MiB", kib / 1024); }

// The county, its students grouped by school, and which of them the
// schools will report absent (one in students/cases).
class Province {
 public:
  Province(const demo::Dataset* data, int cases) : data_(*data) {
    by_school_.resize(data_.schools().size());
    absent_by_school_.resize(data_.schools().size());
    const int n = static_cast<int>(data_.students().size());
    const int every = std::max(1, n / std::max(1, cases));
    for (int i = 0; i < n; ++i) {
      const int school = data_.students()[i].school;
      by_school_[school].push_back(i);
      if (i % every == 0 && absent_ < cases) {
        absent_by_school_[school].push_back(i);
        ++absent_;
      }
    }
  }

  const demo::Dataset& data() const { return data_; }
  // Student indexes of school k.
  const std::vector<int>& students_of(size_t k) const { return by_school_[k]; }
  const std::vector<int>& absent_of(size_t k) const {
    return absent_by_school_[k];
  }
  int absent() const { return absent_; }

  // The import chunks of school k: 1,000 rows each, with request ids.
  std::vector<v1::ImportStudentsRequest> ImportChunks(size_t k) const {
    std::vector<v1::ImportStudentsRequest> chunks;
    const std::vector<int>& rows = by_school_[k];
    const std::string& id = data_.schools()[k].school_id();
    for (size_t first = 0; first < rows.size(); first += 1000) {
      v1::ImportStudentsRequest& chunk = chunks.emplace_back();
      chunk.set_request_id(absl::StrCat("province-import-", id, "-", first / 1000));
      for (size_t r = first; r < std::min(rows.size(), first + 1000); ++r) {
        const demo::DemoStudent& s = data_.students()[rows[r]];
        v1::ImportStudentRow* row = chunk.add_rows();
        *row->mutable_student() = s.student;
        row->set_grade(s.grade);
        row->set_class_name(s.class_name);
        *row->mutable_enrol_date() = demo::ToDate(data_.enrol_date());
        row->set_line(static_cast<int>(r) + 2);
      }
    }
    return chunks;
  }

 private:
  const demo::Dataset& data_;
  std::vector<std::vector<int>> by_school_;
  std::vector<std::vector<int>> absent_by_school_;
  int absent_ = 0;
};

// Samples the server's resident set every 100 ms into the current phase's
// maximum. Thread-safe.
class MemorySampler {
 public:
  explicit MemorySampler(pid_t pid) : pid_(pid) {
    thread_ = std::thread([this] {
      while (!stop_) {
        long kib = ProcStatusKib(pid_, "VmRSS");
        {
          std::lock_guard<std::mutex> lock(mu_);
          long& max = max_by_phase_[phase_];
          max = std::max(max, kib);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~MemorySampler() {
    stop_ = true;
    thread_.join();
  }
  void SetPhase(const std::string& phase) {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = phase;
  }
  long MaxKib(const std::string& phase) {
    std::lock_guard<std::mutex> lock(mu_);
    return max_by_phase_[phase];
  }

 private:
  const pid_t pid_;
  std::mutex mu_;
  std::string phase_ = "start";
  std::map<std::string, long> max_by_phase_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class ProvinceBench {
 public:
  ProvinceBench(const Flags& flags, const Province* province)
      : flags_(flags), province_(*province), data_(province->data()) {}

  void Run() {
    RawImportBaseline();
    StartServer();
    SetUpCounty();
    Import();
    OpenCases();
    SteadyLoad();
    Queries();
    Memory();
    server_->Stop(SIGTERM);
  }

  const ResultTable& results() const { return results_; }

 private:
  // ---- 6. baseline: raw synced WriteBatches of the import's rows.
  void RawImportBaseline() {
    const std::string dir = (std::filesystem::path(work_.path()) / "raw").string();
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir, &raw);
    Check(s.ok(), "raw rocksdb: " + s.ToString());
    std::unique_ptr<rocksdb::DB> db(raw);
    // The average bytes of an import row, from the first school's chunk.
    std::vector<v1::ImportStudentsRequest> sample = province_.ImportChunks(0);
    Check(!sample.empty() && sample[0].rows_size() > 0, "the first school has no students");
    row_bytes_ = sample[0].ByteSizeLong() / sample[0].rows_size();
    const std::string value(row_bytes_ > 24 ? row_bytes_ - 24 : 1, 'x');
    rocksdb::WriteOptions sync;
    sync.sync = true;
    const int n = static_cast<int>(data_.students().size());
    auto start = Clock::now();
    for (int first = 0; first < n; first += 1000) {
      rocksdb::WriteBatch batch;
      for (int i = first; i < std::min(n, first + 1000); ++i) {
        batch.Put(absl::StrFormat("row/%020d", i), value);
      }
      s = db->Write(sync, &batch);
      Check(s.ok(), "raw write: " + s.ToString());
    }
    raw_import_s_ = Seconds(start);
    db.reset();
    std::filesystem::remove_all(dir);
    Say(absl::StrFormat("raw RocksDB: %d rows of %d bytes in synced batches of 1,000: %.1f s",
                        n, row_bytes_, raw_import_s_));
  }

  void StartServer() {
    std::string error;
    const absl::CivilDay start = data_.enrol_date();
    // The server's environment is minimal; glibc's malloc tunables pass
    // through, for memory experiments (MALLOC_ARENA_MAX=2 ...).
    std::map<std::string, std::string> env;
    for (const char* name : {"MALLOC_ARENA_MAX", "GLIBC_TUNABLES"}) {
      if (const char* value = std::getenv(name)) env[name] = value;
    }
    server_ = e2e::ServerProcess::Start(
        data_dir_.path(), work_.path(), &error,
        {absl::StrFormat("--simulated_time=%04d-%02d-%02d", start.year(),
                         start.month(), start.day()),
         "--max_calls_per_account=1024"},
        env);
    Check(server_ != nullptr, "baoxue-server: " + error);
    server_pid = server_->pid();
    client_ = std::make_unique<demo::DemoClient>(server_->address(), "zh");
    admin_ = server_->ReadToken();
    // The first reading, before the sampler: the empty server.
    WaitCaughtUp();
    start_rss_kib_ = ProcStatusKib(server_->pid(), "VmRSS");
    memory_ = std::make_unique<MemorySampler>(server_->pid());
    Say(absl::StrCat("baoxue-server pid ", server_->pid(), " on ",
                     server_->address(), ", resident ", Mib(start_rss_kib_)));
  }

  template <typename Request, typename Response>
  Response Bureau(grpc::Status (BureauStub::*method)(grpc::ClientContext*,
                                                    const Request&, Response*),
                  const Request& request, const std::string& what) {
    Response response;
    CheckGrpc(client_->Call(client_->bureau(), method, admin_, request, &response),
              what);
    return response;
  }

  v1::GetSystemStatusResponse Status() {
    return Bureau(&BureauStub::GetSystemStatus, v1::GetSystemStatusRequest(),
                  "GetSystemStatus");
  }

  // Returns once the worker has applied every event in the log.
  void WaitCaughtUp() {
    for (;;) {
      v1::GetSystemStatusResponse s = Status();
      if (s.worker_applied_sequence() >= s.last_sequence()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void AdvanceTo(absl::CivilDay day, int minute) {
    v1::AdvanceClockRequest request;
    *request.mutable_date() = demo::ToDate(day);
    request.set_minute_of_day(minute);
    Bureau(&BureauStub::AdvanceClock, request, "AdvanceClock");
  }

  std::string CreateAccount(v1::Role role, const std::string& id,
                            const std::string& name, const std::string& scope) {
    v1::CreateAccountRequest request;
    request.mutable_account()->set_account_id(id);
    request.mutable_account()->set_display_name(name);
    request.mutable_account()->set_role(role);
    if (role == v1::ROLE_SCHOOL) {
      request.mutable_account()->set_school_id(scope);
    } else {
      request.mutable_account()->set_township_code(scope);
    }
    return Bureau(&BureauStub::CreateAccount, request, "CreateAccount " + id)
        .token();
  }

  void SetUpCounty() {
    auto start = Clock::now();
    v1::ConfigureCountyRequest county;
    *county.mutable_county() = data_.county();
    Bureau(&BureauStub::ConfigureCounty, county, "ConfigureCounty");
    for (const demo::DemoTownship& t : data_.townships()) {
      v1::CreateTownshipRequest request;
      *request.mutable_township() = t.township;
      Bureau(&BureauStub::CreateTownship, request, "CreateTownship");
      for (const v1::Village& v : t.villages) {
        v1::CreateVillageRequest vr;
        *vr.mutable_village() = v;
        Bureau(&BureauStub::CreateVillage, vr, "CreateVillage");
      }
      township_tokens_[t.township.township_code()] =
          CreateAccount(v1::ROLE_TOWNSHIP, "town-" + t.township.township_code(),
                        t.township.name() + "控辍专干",
                        t.township.township_code());
    }
    for (const v1::School& school : data_.schools()) {
      v1::CreateSchoolRequest request;
      *request.mutable_school() = school;
      Bureau(&BureauStub::CreateSchool, request, "CreateSchool");
      school_tokens_.push_back(CreateAccount(v1::ROLE_SCHOOL,
                                             "clerk-" + school.school_id(),
                                             school.name() + "教务处",
                                             school.school_id()));
    }
    v1::SetCalendarRequest calendar;
    *calendar.mutable_calendar() = data_.calendar();
    Bureau(&BureauStub::SetCalendar, calendar, "SetCalendar");
    // The students are enrolled on the first school day: the clock must be
    // there, or their enrolment date would lie in the future.
    AdvanceTo(data_.enrol_date(), 7 * 60);
    Say(absl::StrFormat("county set up: %d townships, %d schools (%.1f s)",
                        data_.townships().size(), data_.schools().size(),
                        Seconds(start)));
  }

  // ---- 6. figure: every school imports its students.
  void Import() {
    memory_->SetPhase("import");
    // Built before the clock starts: the client's own work would otherwise
    // be counted against the server on this 2-core machine.
    std::vector<std::vector<v1::ImportStudentsRequest>> chunks(
        data_.schools().size());
    for (size_t k = 0; k < chunks.size(); ++k) chunks[k] = province_.ImportChunks(k);
    std::atomic<size_t> next{0};
    std::atomic<int> accepted{0};
    std::atomic<uint64_t> last_sequence{0};
    std::mutex error_mu;
    std::string error;
    auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < flags_.import_clients; ++c) {
      clients.emplace_back([&] {
        for (size_t k = next++; k < chunks.size(); k = next++) {
          grpc::ClientContext context;
          client_->Prepare(&context, school_tokens_[k]);
          v1::ImportStudentsResponse response;
          auto writer = client_->school()->ImportStudents(&context, &response);
          for (const v1::ImportStudentsRequest& chunk : chunks[k]) {
            if (!writer->Write(chunk)) break;
          }
          writer->WritesDone();
          grpc::Status s = writer->Finish();
          std::lock_guard<std::mutex> lock(error_mu);
          if (!s.ok() || response.rejected() > 0) {
            error = absl::StrCat(data_.schools()[k].school_id(), ": ",
                                 s.ok() ? response.errors(0).message()
                                        : s.error_message());
            return;
          }
          accepted += response.accepted();
          last_sequence = std::max(last_sequence.load(), response.last_sequence());
        }
      });
    }
    for (std::thread& t : clients) t.join();
    Check(error.empty(), "ImportStudents " + error);
    const double acknowledged_s = Seconds(start);
    const int n = static_cast<int>(data_.students().size());
    Check(accepted == n, absl::StrCat("imported ", accepted.load(), " of ", n));
    v1::GetSystemStatusResponse at_ack = Status();
    WaitCaughtUp();
    const double visible_s = Seconds(start);
    Say(absl::StrFormat(
        "import: %d students acknowledged in %.1f s, visible to queries "
        "after %.1f s (worker %d events behind at the acknowledgement)",
        n, acknowledged_s, visible_s, at_ack.worker_lag_events()));
    const double rate = n / acknowledged_s;
    const double raw_rate = n / raw_import_s_;
    results_.Set("import",
                 {.figure = absl::StrFormat(
                      "term-start import: %s students with enrolment, %d "
                      "schools at once, 1,000 rows per chunk (rows/s)",
                      Commas(n), flags_.import_clients),
                  .value = rate,
                  .baseline = "raw RocksDB synced WriteBatches of 1,000 rows, same row bytes",
                  .baseline_value = raw_rate,
                  .target = "all in ≤ 60 s",
                  .met = acknowledged_s <= 60,
                  .note = absl::StrFormat(
                      "durable in %.1f s; visible to queries after %.1f s "
                      "(raw: %.1f s; %d bytes per row)",
                      acknowledged_s, visible_s, raw_import_s_, row_bytes_)});
    results_.Set("import-visible",
                 {.figure = "worker: import applied to the read side (rows/s, "
                            "from the first chunk to the last row visible)",
                  .value = n / visible_s,
                  .baseline = "the import's durable rate",
                  .baseline_value = rate,
                  .target = "—",
                  .note = absl::StrFormat("%d events behind when the last chunk "
                                          "was acknowledged",
                                          at_ack.worker_lag_events())});
  }

  // ---- Cases for 4: three school days on which the same children are
  // absent without leave; the worker's rule R1 opens a case for each.
  void OpenCases() {
    memory_->SetPhase("reports");
    auto start = Clock::now();
    const auto& days = data_.school_days();
    int rows = 0;
    for (int d = 0; d < 3; ++d) {
      AdvanceTo(days[d], 17 * 60);
      std::atomic<size_t> next{0};
      std::mutex error_mu;
      std::string error;
      std::vector<std::thread> clients;
      for (int c = 0; c < flags_.import_clients; ++c) {
        clients.emplace_back([&] {
          for (size_t k = next++; k < data_.schools().size(); k = next++) {
            v1::SubmitAttendanceReportRequest request;
            *request.mutable_date() = demo::ToDate(days[d]);
            request.set_request_id(absl::StrCat("province-report-", k, "-", d));
            for (int i : province_.absent_of(k)) {
              v1::Absence* a = request.add_absences();
              a->set_student_number(data_.students()[i].student.student_number());
              a->set_category(v1::ABSENCE_CATEGORY_UNEXCUSED);
              a->set_reason("未请假");
            }
            v1::SubmitAttendanceReportResponse response;
            grpc::Status s = client_->Call(
                client_->school(), &v1::SchoolService::Stub::SubmitAttendanceReport,
                school_tokens_[k], request, &response);
            if (!s.ok()) {
              std::lock_guard<std::mutex> lock(error_mu);
              error = absl::StrCat(data_.schools()[k].school_id(), ": ",
                                   s.error_message());
              return;
            }
          }
        });
      }
      for (std::thread& t : clients) t.join();
      Check(error.empty(), "SubmitAttendanceReport " + error);
      rows += province_.absent();
    }
    WaitCaughtUp();
    v1::GetSummaryResponse summary =
        Bureau(&BureauStub::GetSummary, v1::GetSummaryRequest(), "GetSummary");
    open_cases_ = summary.summary().open();
    Say(absl::StrFormat("reports: %d absence rows over 3 school days; %d open "
                        "cases (%.1f s)",
                        rows, open_cases_, Seconds(start)));
    Check(open_cases_ >= province_.absent(),
          absl::StrCat("R1 opened ", open_cases_, " cases; expected ",
                       province_.absent()));
  }

  // ---- 3. The worker under a steady load of home visits: each client
  // visits its own case at a fixed pace; a sampler polls the worker's
  // applied sequence, and a write's lag is from its acknowledgement to the
  // first sample that shows it applied.
  void SteadyLoad() {
    memory_->SetPhase("load");
    constexpr int kClients = 16;
    // One case per client, from the ledger's first page.
    v1::ListCountyCasesRequest list;
    list.set_page_size(kClients);
    v1::ListCountyCasesResponse page =
        Bureau(&BureauStub::ListCountyCases, list, "ListCountyCases");
    Check(page.rows_size() == kClients, "too few cases for the steady load");
    struct Ack {
      Clock::time_point at;
      uint64_t sequence;
    };
    struct Sample {
      Clock::time_point at;
      uint64_t applied;
    };
    std::vector<std::vector<Ack>> acks(kClients);
    std::vector<Sample> samples;
    std::atomic<bool> done{false};
    std::atomic<int> failures{0};
    const auto interval = std::chrono::microseconds(
        1000000LL * kClients / std::max(1, flags_.visits_per_s));
    const absl::CivilDay today = data_.school_days()[2];
    std::thread sampler([&] {
      while (!done) {
        uint64_t applied = Status().worker_applied_sequence();
        samples.push_back({Clock::now(), applied});
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    auto start = Clock::now();
    const auto end = start + std::chrono::seconds(flags_.load_seconds);
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        const v1::Case& open = page.rows(c).case_();
        const std::string& token =
            township_tokens_.at(open.household_township_code());
        v1::RecordActionRequest request;
        request.set_case_id(open.case_id());
        v1::CaseAction* action = request.mutable_action();
        action->set_kind(v1::ACTION_KIND_HOME_VISIT);
        *action->mutable_action_date() = demo::ToDate(today);
        action->set_actors("镇控辍专干、村主任");
        action->set_met("母亲");
        action->set_attitude(v1::GUARDIAN_ATTITUDE_HESITANT);
        action->set_outcome("家长答应明天送孩子上学");
        auto due = Clock::now() + interval * c / kClients;
        for (int n = 0; due < end; ++n, due += interval) {
          std::this_thread::sleep_until(due);
          request.set_request_id(absl::StrCat("province-visit-", c, "-", n));
          v1::RecordActionResponse response;
          grpc::Status s = client_->Call(
              client_->township(), &v1::TownshipService::Stub::RecordAction,
              token, request, &response);
          if (!s.ok()) {
            ++failures;
            continue;
          }
          acks[c].push_back({Clock::now(), response.sequence()});
        }
      });
    }
    for (std::thread& t : clients) t.join();
    const double load_s = Seconds(start);
    WaitCaughtUp();
    // One more sample after the catch-up, so every write has one.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    done = true;
    sampler.join();
    samples.push_back({Clock::now(), Status().worker_applied_sequence()});
    Check(failures == 0, absl::StrCat(failures.load(), " home visits failed"));
    std::vector<double> lags;
    size_t writes = 0;
    for (const auto& mine : acks) {
      writes += mine.size();
      for (const Ack& ack : mine) {
        auto it = std::find_if(samples.begin(), samples.end(), [&](const Sample& s) {
          return s.at >= ack.at && s.applied >= ack.sequence;
        });
        Check(it != samples.end(), "a write was never seen applied");
        lags.push_back(Millis(it->at - ack.at));
      }
    }
    const double rate = writes / load_s;
    const double p50 = Percentile(&lags, 0.5), p99 = Percentile(&lags, 0.99);
    const double max = lags.empty() ? 0 : lags.back();
    Say(absl::StrFormat("steady load: %d home visits in %.1f s (%.0f/s offered "
                        "%d/s); worker lag p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                        writes, load_s, rate, flags_.visits_per_s, p50, p99, max));
    results_.Set("lag",
                 {.figure = absl::StrFormat(
                      "worker lag under a steady load of home visits (%d/s "
                      "offered, %d clients, %d s), p99 (ms)",
                      flags_.visits_per_s, kClients, flags_.load_seconds),
                  .value = p99,
                  .baseline = "—",
                  .target = "—",
                  .note = absl::StrFormat(
                      "p50 %.1f ms, max %.1f ms; %.0f writes/s achieved; lag = "
                      "acknowledgement → visible (sampled every ~2 ms)",
                      p50, max, rate),
                  .decimals = 1});
  }

  // Keys the server read while `query` ran, less what a status call itself
  // costs; the server is idle (worker caught up, nothing else calling).
  uint64_t KeysRead(const std::function<void()>& query) {
    uint64_t before = Status().storage_keys_read();
    query();
    uint64_t after = Status().storage_keys_read();
    return after - before > status_keys_ ? after - before - status_keys_ : 0;
  }

  struct Timing {
    double p50_ms = 0, p99_ms = 0;
  };
  Timing Time(int calls, const std::function<void(int)>& call) {
    std::vector<double> ms;
    for (int i = 0; i < calls; ++i) {
      auto t0 = Clock::now();
      call(i);
      ms.push_back(Millis(Clock::now() - t0));
    }
    return {Percentile(&ms, 0.5), Percentile(&ms, 0.99)};
  }

  // ---- 4. Ledger queries.
  void Queries() {
    memory_->SetPhase("queries");
    WaitCaughtUp();
    {
      uint64_t a = Status().storage_keys_read();
      uint64_t b = Status().storage_keys_read();
      status_keys_ = b - a;
    }
    const int q = flags_.queries;
    Timing noop = Time(q, [&](int) { Status(); });

    // A page of 50 of one township's open cases: the first page, or the
    // second (from the first page's token), across the townships.
    std::vector<std::string> townships;
    for (const demo::DemoTownship& t : data_.townships()) {
      townships.push_back(t.township.township_code());
    }
    auto page_request = [&](int i) {
      v1::ListCountyCasesRequest request;
      request.mutable_filter()->set_township_code(townships[i % townships.size()]);
      request.set_page_size(50);
      return request;
    };
    std::vector<std::string> second_page(townships.size());
    uint64_t page_keys = 0;
    int page_rows = 0;
    for (size_t t = 0; t < townships.size(); ++t) {
      v1::ListCountyCasesResponse first;
      uint64_t keys = KeysRead([&] {
        first = Bureau(&BureauStub::ListCountyCases, page_request(t),
                       "ListCountyCases");
      });
      page_keys = std::max(page_keys, keys);
      page_rows = std::max(page_rows, first.rows_size());
      second_page[t] = first.next_page_token();
    }
    Timing page = Time(q, [&](int i) {
      v1::ListCountyCasesRequest request = page_request(i);
      if (i % 2 == 1) request.set_page_token(second_page[i % townships.size()]);
      Bureau(&BureauStub::ListCountyCases, request, "ListCountyCases");
    });
    const bool page_scans = page_keys >= static_cast<uint64_t>(open_cases_);
    results_.Set("page",
                 {.figure = absl::StrFormat(
                      "ledger: a page of 50 open cases filtered by township, "
                      "%d cases, %s students (p99 ms over gRPC)",
                      open_cases_, Commas(data_.students().size())),
                  .value = page.p99_ms,
                  .baseline = "no-op gRPC call (GetSystemStatus), p99 ms",
                  .baseline_value = noop.p99_ms,
                  .target = "p99 ≤ 5 ms; no scan of all cases",
                  .met = page.p99_ms <= 5 && !page_scans,
                  .note = absl::StrFormat(
                      "p50 %.2f ms (no-op p50 %.2f ms); at most %d keys read "
                      "for a page of %d rows (of %d cases)",
                      page.p50_ms, noop.p50_ms, page_keys, page_rows,
                      open_cases_),
                  .decimals = 2});

    uint64_t summary_keys = KeysRead([&] {
      Bureau(&BureauStub::GetSummary, v1::GetSummaryRequest(), "GetSummary");
    });
    Timing summary = Time(q, [&](int) {
      Bureau(&BureauStub::GetSummary, v1::GetSummaryRequest(), "GetSummary");
    });
    const bool summary_scans = summary_keys >= static_cast<uint64_t>(open_cases_);
    results_.Set("summary",
                 {.figure = "ledger: the county summary (GetSummary), p99 (ms)",
                  .value = summary.p99_ms,
                  .baseline = "no-op gRPC call (GetSystemStatus), p99 ms",
                  .baseline_value = noop.p99_ms,
                  .target = "≤ 2 ms; no scan of all cases",
                  .met = summary.p99_ms <= 2 && !summary_scans,
                  .note = absl::StrFormat("p50 %.2f ms; %d keys read",
                                          summary.p50_ms, summary_keys),
                  .decimals = 2});

    // The export of the township with the most cases.
    std::map<std::string, int> by_township;
    for (size_t k = 0; k < data_.schools().size(); ++k) {
      for (int i : province_.absent_of(k)) {
        ++by_township[data_.students()[i].student.household_township_code()];
      }
    }
    auto biggest = std::max_element(
        by_township.begin(), by_township.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    Check(biggest != by_township.end(), "no cases to export");
    int exported = 0;
    double export_s = 0;
    uint64_t export_keys = KeysRead([&] {
      v1::ExportLedgerRequest request;
      request.mutable_filter()->set_township_code(biggest->first);
      grpc::ClientContext context;
      client_->Prepare(&context, admin_);
      auto start = Clock::now();
      auto reader = client_->bureau()->ExportLedger(&context, request);
      v1::ExportLedgerResponse chunk;
      while (reader->Read(&chunk)) exported += chunk.rows_size();
      CheckGrpc(reader->Finish(), "ExportLedger");
      export_s = Seconds(start);
    });
    Check(exported >= biggest->second,
          absl::StrCat("exported ", exported, " rows of ", biggest->second));
    const double per_row = static_cast<double>(export_keys) / std::max(1, exported);
    results_.Set("export",
                 {.figure = absl::StrFormat(
                      "ledger: export of one township's cases (%d rows), rows/s",
                      exported),
                  .value = exported / export_s,
                  .baseline = "—",
                  .target = "no scan of all cases",
                  .met = export_keys < static_cast<uint64_t>(open_cases_) &&
                         per_row <= 10,
                  .note = absl::StrFormat(
                      "%.2f s; %d keys read (%.1f per row; the county has %d "
                      "cases)",
                      export_s, export_keys, per_row, open_cases_)});
    Say(absl::StrFormat(
        "queries: page p50 %.2f / p99 %.2f ms (%d keys), summary p50 %.2f / "
        "p99 %.2f ms (%d keys), export %d rows in %.2f s (%d keys); no-op "
        "p50 %.2f / p99 %.2f ms",
        page.p50_ms, page.p99_ms, page_keys, summary.p50_ms, summary.p99_ms,
        summary_keys, exported, export_s, export_keys, noop.p50_ms,
        noop.p99_ms));
  }

  // ---- 7. Memory.
  void Memory() {
    memory_->SetPhase("idle");
    // Idle: nothing calls; background flushes and compactions settle.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const long idle = ProcStatusKib(server_->pid(), "VmRSS");
    const long peak = ProcStatusKib(server_->pid(), "VmHWM");
    auto usage = storage::MeasureDirectory(data_dir_.path());
    const uint64_t disk = usage.ok() ? usage->bytes : 0;
    constexpr long kTargetKib = 512 * 1024;
    std::string phases = absl::StrFormat(
        "peak by phase: import %s, reports %s, steady load %s, queries %s",
        Mib(memory_->MaxKib("import")), Mib(memory_->MaxKib("reports")),
        Mib(memory_->MaxKib("load")), Mib(memory_->MaxKib("queries")));
    results_.Set("rss-idle",
                 {.figure = "memory: server resident set, idle with the "
                            "province's data (MiB)",
                  .value = idle / 1024.0,
                  .baseline = "the same server just started, empty (MiB)",
                  .baseline_value = start_rss_kib_ / 1024.0,
                  .target = "≤ 512 MiB",
                  .met = idle <= kTargetKib,
                  .note = absl::StrFormat("data directory %.0f MiB on disk",
                                          disk / 1048576.0)});
    results_.Set("rss-peak",
                 {.figure = "memory: server peak resident set over the whole "
                            "run, under load (MiB, VmHWM)",
                  .value = peak / 1024.0,
                  .baseline = "the same server just started, empty (MiB)",
                  .baseline_value = start_rss_kib_ / 1024.0,
                  .target = "≤ 512 MiB",
                  .met = peak <= kTargetKib,
                  .note = phases});
    Say(absl::StrFormat("memory: idle %s, peak %s (%s); data directory %.0f MiB",
                        Mib(idle), Mib(peak), phases, disk / 1048576.0));
  }

  const Flags flags_;
  const Province& province_;
  const demo::Dataset& data_;
  e2e::TempDir work_;
  e2e::TempDir data_dir_;
  std::unique_ptr<e2e::ServerProcess> server_;
  std::unique_ptr<demo::DemoClient> client_;
  std::unique_ptr<MemorySampler> memory_;
  std::string admin_;
  std::map<std::string, std::string> township_tokens_;  // code -> token
  std::vector<std::string> school_tokens_;  // by school index
  ResultTable results_;
  int row_bytes_ = 0;
  double raw_import_s_ = 0;
  long start_rss_kib_ = 0;
  int open_cases_ = 0;
  uint64_t status_keys_ = 0;
};

bool ParseInt(const std::string& arg, const std::string& name, int* value) {
  const std::string prefix = "--" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  if (!absl::SimpleAtoi(arg.substr(prefix.size()), value) || *value <= 0) {
    Die("bad value in " + arg);
  }
  return true;
}

}  // namespace
}  // namespace baoxue::bench

int main(int argc, char** argv) {
  using namespace baoxue::bench;
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (ParseInt(arg, "students", &flags.students) ||
        ParseInt(arg, "cases", &flags.cases) ||
        ParseInt(arg, "import_clients", &flags.import_clients) ||
        ParseInt(arg, "visits_per_s", &flags.visits_per_s) ||
        ParseInt(arg, "load_seconds", &flags.load_seconds) ||
        ParseInt(arg, "queries", &flags.queries)) {
      continue;
    }
    if (arg.rfind("--results_md=", 0) == 0) {
      flags.results_md = arg.substr(13);
    } else {
      Die("unknown flag " + arg +
          " (see the comment at the top of tests/bench/province_bench.cc)");
    }
  }
  Check(flags.cases <= flags.students, "--cases must not exceed --students");
  auto start = Clock::now();
  auto data = baoxue::demo::Dataset::Generate({.students = flags.students});
  Check(data.ok(), "dataset: " + data.status().ToString());
  Province province(&*data, flags.cases);
  Say(absl::StrFormat("dataset: %d students in %d schools, %d to be reported "
                      "absent (%.1f s)",
                      data->students().size(), data->schools().size(),
                      province.absent(), Seconds(start)));
  ProvinceBench bench(flags, &province);
  bench.Run();
  if (!flags.results_md.empty() && !bench.results().AppendTo(flags.results_md)) {
    Die("cannot write " + flags.results_md);
  }
  return 0;
}
