// baoxue_bench: the first two benchmarks of issue 8, each measured against
// what the machine itself can do in the same run.
//
//   1. Durable batched ingest: SubmitAttendanceReport with 1,000 absence rows
//      through gRPC, against raw RocksDB synced WriteBatches of the same row
//      count and bytes: the same day's report again and again (written
//      once, then identical resubmissions), and a new school day's report
//      each iteration (each one written).
//   2. Durable single writes with 1, 16, 64 and 256 concurrent clients:
//      home visits (RecordAction, each client on its own child's case) and
//      UpdateStudent (each on its own student), against raw RocksDB synced
//      single puts from one thread (no group commit) and a read RPC
//      (GetSystemStatus) as the no-op gRPC call.
//
// The server is a real services::Server in this process on 127.0.0.1:0, on
// a fresh temporary directory, called over a real gRPC channel. Its county
// comes from the demo generator (deploy/demo/dataset.h): townships,
// villages, calendar and 1,000 valid students, all imported into one
// nine-year school so that a single report can carry 1,000 rows; 256 of
// them get a case, reported found out of school by their township.
//
// The baselines run first (registration order); each gRPC benchmark reads
// the baseline of the same run and reports figure, baseline and ratio as
// counters. With --results_md=FILE the rows of the last repetition of each
// figure are appended to FILE (tests/bench/results.h).
//
// Single-threaded set-up; the benchmark bodies are thread-safe where they
// run with ->Threads(n) (each thread owns one student and one latency slot).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "deploy/demo/dataset.h"
#include "grpcpp/grpcpp.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "services/server.h"
#include "storage/clock.h"
#include "tests/bench/results.h"

namespace baoxue::bench {
namespace {

constexpr int kRows = 1000;  // Rows of one attendance report.
constexpr char kSchool[] = "bench-school";
constexpr int kMaxClients = 256;  // The most concurrent clients run.

// Dies with a message: set-up failures make every figure meaningless.
void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "baoxue_bench: %s\n", what.c_str());
    std::exit(1);
  }
}
void CheckGrpc(const grpc::Status& s, const std::string& what) {
  Check(s.ok(), absl::StrCat(what, ": code ", static_cast<int>(s.error_code()),
                             " ", s.error_message()));
}

std::string MakeTempDir(const std::string& name) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("baoxue-bench-" + name + "-XXXXXX"))
          .string();
  Check(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp " + tmpl);
  return tmpl;
}

// ---- Results shared between the baselines and the figures of one run.

std::mutex results_mu;
std::map<std::string, double> baselines;  // name -> rate, last repetition
ResultTable results;                      // the last repetition of each row

void SetBaseline(const std::string& name, double value) {
  std::lock_guard<std::mutex> lock(results_mu);
  baselines[name] = value;
}
double Baseline(const std::string& name) {
  std::lock_guard<std::mutex> lock(results_mu);
  auto it = baselines.find(name);
  return it == baselines.end() ? 0 : it->second;
}
void SetRow(const std::string& key, ResultRow row) {
  std::lock_guard<std::mutex> lock(results_mu);
  results.Set(key, std::move(row));
}

// Per-thread latency slots for a ->Threads(n) benchmark: thread i writes
// only slot i during the loop; thread 0 reads all after the loop (Google
// Benchmark ends the timed loop of all threads at a barrier).
struct Latencies {
  std::vector<std::vector<double>> by_thread;  // microseconds
  void Reset(int threads) {
    by_thread.assign(threads, {});
  }
  std::vector<double> All() const {
    std::vector<double> all;
    for (const auto& v : by_thread) all.insert(all.end(), v.begin(), v.end());
    return all;
  }
};

// ---- The in-process server with the generated county.

class BenchServer {
 public:
  // Starts the server and sets up the county; dies on failure.
  void Start() {
    auto data = demo::Dataset::Generate({.students = kRows});
    Check(data.ok(), absl::StrCat("dataset: ", data.status().ToString()));
    data_ = std::make_unique<demo::Dataset>(std::move(*data));
    dir_ = MakeTempDir("server");
    // The evening of the first school day: the students' enrolment date
    // and the report date are today, neither in the future.
    absl::CivilDay day = data_->enrol_date();
    clock_ = std::make_unique<ManualClock>(absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 18, 0, 0),
        absl::FixedTimeZone(8 * 60 * 60)));
    services::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_ + "/data";
    options.run_ticker = false;
    options.clock = clock_.get();
    // One school account drives up to 256 concurrent writers; the default
    // per-account quota (32) would refuse most of them.
    options.limits.max_calls_per_account = 1024;
    auto server = services::Server::Start(options);
    Check(server.ok(), absl::StrCat("server: ", server.status().ToString()));
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    bureau_ = v1::BureauService::NewStub(channel_);
    school_ = v1::SchoolService::NewStub(channel_);
    township_ = v1::TownshipService::NewStub(channel_);
    std::ifstream in(server_->token_file());
    std::stringstream contents;
    contents << in.rdbuf();
    admin_token_ = std::string(absl::StripAsciiWhitespace(contents.str()));
    SetUpCounty();
  }

  void Stop() {
    bureau_.reset();
    school_.reset();
    township_.reset();
    channel_.reset();
    if (server_) server_->Shutdown();
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Prepare(grpc::ClientContext* context, const std::string& token) const {
    context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(60));
  }

  v1::BureauService::Stub* bureau() { return bureau_.get(); }
  v1::SchoolService::Stub* school() { return school_.get(); }
  v1::TownshipService::Stub* township() { return township_.get(); }
  // A child's open case and the token of the township that works it.
  struct OpenCase {
    std::string case_id;
    std::string token;
  };
  // One per concurrent client of the home-visit benchmark.
  const std::vector<OpenCase>& cases() const { return cases_; }
  const std::string& admin_token() const { return admin_token_; }
  const std::string& school_token() const { return school_token_; }
  const demo::Dataset& data() const { return *data_; }
  // Moves the server's clock to 18:00 (county time) of `day`, never back.
  void SetEvening(absl::CivilDay day) {
    clock_->Set(absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 18, 0, 0),
        absl::FixedTimeZone(8 * 60 * 60)));
  }
  // The registered students, in dataset order.
  const std::vector<v1::Student>& students() const { return students_; }
  uint64_t last_sequence() const { return last_sequence_; }

 private:
  template <typename Request, typename Response>
  void Bureau(grpc::Status (v1::BureauService::Stub::*method)(
                  grpc::ClientContext*, const Request&, Response*),
              const Request& request, const std::string& what) {
    grpc::ClientContext context;
    Prepare(&context, admin_token_);
    Response response;
    CheckGrpc((bureau_.get()->*method)(&context, request, &response), what);
  }

  void SetUpCounty() {
    using Stub = v1::BureauService::Stub;
    v1::ConfigureCountyRequest county;
    *county.mutable_county() = data_->county();
    Bureau(&Stub::ConfigureCounty, county, "ConfigureCounty");
    for (const demo::DemoTownship& t : data_->townships()) {
      v1::CreateTownshipRequest request;
      *request.mutable_township() = t.township;
      Bureau(&Stub::CreateTownship, request, "CreateTownship");
      for (const v1::Village& v : t.villages) {
        v1::CreateVillageRequest vr;
        *vr.mutable_village() = v;
        Bureau(&Stub::CreateVillage, vr, "CreateVillage");
      }
    }
    v1::CreateSchoolRequest school;
    school.mutable_school()->set_school_id(kSchool);
    school.mutable_school()->set_name("德化县基准测试学校");
    school.mutable_school()->set_township_code(
        data_->townships().front().township.township_code());
    school.mutable_school()->set_kind(v1::SCHOOL_KIND_NINE_YEAR);
    for (int g = 1; g <= 9; ++g) school.mutable_school()->add_grades(g);
    Bureau(&Stub::CreateSchool, school, "CreateSchool");
    v1::SetCalendarRequest calendar;
    *calendar.mutable_calendar() = data_->calendar();
    Bureau(&Stub::SetCalendar, calendar, "SetCalendar");
    {
      v1::CreateAccountRequest request;
      request.mutable_account()->set_account_id("bench-clerk");
      request.mutable_account()->set_display_name("基准测试教务处");
      request.mutable_account()->set_role(v1::ROLE_SCHOOL);
      request.mutable_account()->set_school_id(kSchool);
      grpc::ClientContext context;
      Prepare(&context, admin_token_);
      v1::CreateAccountResponse response;
      CheckGrpc(bureau_->CreateAccount(&context, request, &response),
                "CreateAccount");
      school_token_ = response.token();
    }
    // Every generated student, into the one school, in one chunk.
    {
      grpc::ClientContext context;
      Prepare(&context, school_token_);
      v1::ImportStudentsResponse response;
      auto writer = school_->ImportStudents(&context, &response);
      v1::ImportStudentsRequest chunk;
      chunk.set_request_id("bench-import");
      int line = 2;
      for (const demo::DemoStudent& s : data_->students()) {
        v1::ImportStudentRow* row = chunk.add_rows();
        *row->mutable_student() = s.student;
        row->set_grade(s.grade);
        row->set_class_name(s.class_name);
        *row->mutable_enrol_date() = demo::ToDate(data_->enrol_date());
        row->set_line(line++);
      }
      writer->Write(chunk);
      writer->WritesDone();
      CheckGrpc(writer->Finish(), "ImportStudents");
      Check(response.accepted() == kRows,
            absl::StrCat("imported ", response.accepted(), " of ", kRows,
                         response.errors().empty()
                             ? ""
                             : ": " + response.errors(0).message()));
      last_sequence_ = response.last_sequence();
    }
    for (const demo::DemoStudent& s : data_->students()) {
      v1::GetStudentRequest request;
      request.set_student_number(s.student.student_number());
      request.set_min_sequence(last_sequence_);
      grpc::ClientContext context;
      Prepare(&context, school_token_);
      v1::GetStudentResponse response;
      CheckGrpc(school_->GetStudent(&context, request, &response), "GetStudent");
      students_.push_back(response.student());
    }
    OpenCases();
  }

  // A township account per township, and a case for each of the first
  // kMaxClients students, opened by their township reporting the child
  // found out of school (R7 摸排发现).
  void OpenCases() {
    for (const demo::DemoTownship& t : data_->townships()) {
      const std::string& code = t.township.township_code();
      v1::CreateAccountRequest request;
      request.mutable_account()->set_account_id("bench-town-" + code);
      request.mutable_account()->set_display_name(t.township.name() + "控辍专干");
      request.mutable_account()->set_role(v1::ROLE_TOWNSHIP);
      request.mutable_account()->set_township_code(code);
      grpc::ClientContext context;
      Prepare(&context, admin_token_);
      v1::CreateAccountResponse response;
      CheckGrpc(bureau_->CreateAccount(&context, request, &response),
                "CreateAccount " + code);
      township_tokens_[code] = response.token();
    }
    for (int i = 0; i < kMaxClients; ++i) {
      const v1::Student& s = students_[i];
      const std::string& token =
          township_tokens_[s.household_township_code()];
      v1::ReportChildOutOfSchoolRequest request;
      request.mutable_child()->set_id_number(s.id_number());
      request.set_note("基准测试：入户摸排发现未到校");
      *request.mutable_found_date() = demo::ToDate(data_->enrol_date());
      request.set_request_id(absl::StrCat("bench-found-", i));
      grpc::ClientContext context;
      Prepare(&context, token);
      v1::ReportChildOutOfSchoolResponse response;
      CheckGrpc(township_->ReportChildOutOfSchool(&context, request, &response),
                "ReportChildOutOfSchool");
      cases_.push_back({response.case_id(), token});
    }
  }

  std::unique_ptr<demo::Dataset> data_;
  std::string dir_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<services::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BureauService::Stub> bureau_;
  std::unique_ptr<v1::SchoolService::Stub> school_;
  std::unique_ptr<v1::TownshipService::Stub> township_;
  std::string admin_token_;
  std::map<std::string, std::string> township_tokens_;  // code -> token
  std::vector<OpenCase> cases_;
  std::string school_token_;
  std::vector<v1::Student> students_;
  uint64_t last_sequence_ = 0;
};

BenchServer* server = nullptr;

// The 1,000-row report of the first school day, every student absent on
// sick leave with a short reason.
const v1::SubmitAttendanceReportRequest& ReportRequest() {
  static const v1::SubmitAttendanceReportRequest* request = [] {
    auto* r = new v1::SubmitAttendanceReportRequest;
    *r->mutable_date() = demo::ToDate(server->data().enrol_date());
    for (const v1::Student& s : server->students()) {
      v1::Absence* a = r->add_absences();
      a->set_student_number(s.student_number());
      a->set_category(v1::ABSENCE_CATEGORY_SICK_LEAVE);
      a->set_reason("发烧");
    }
    return r;
  }();
  return *request;
}

// ---- Raw RocksDB, the physical limit.

class RawDb {
 public:
  explicit RawDb(const std::string& name) : dir_(MakeTempDir(name)) {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, dir_, &db);
    Check(s.ok(), "rocksdb open: " + s.ToString());
    db_.reset(db);
  }
  ~RawDb() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  rocksdb::DB* db() { return db_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
};

// Wall time of a benchmark's loop, for rates comparable across benchmarks.
class Stopwatch {
 public:
  Stopwatch() : start_(absl::Now()) {}
  double Seconds() const { return absl::ToDoubleSeconds(absl::Now() - start_); }

 private:
  absl::Time start_;
};

// (1) baseline: WriteBatches of kRows puts, each row as many bytes as one
// absence row of the report (key + value), synced.
void BM_RawRocksDbSyncedBatch(benchmark::State& state) {
  RawDb raw("rawbatch");
  const size_t row_bytes = ReportRequest().ByteSizeLong() / kRows;
  const std::string value(row_bytes > 24 ? row_bytes - 24 : 1, 'x');
  rocksdb::WriteOptions sync;
  sync.sync = true;
  uint64_t n = 0;
  Stopwatch watch;
  for (auto _ : state) {
    rocksdb::WriteBatch batch;
    for (int i = 0; i < kRows; ++i) {
      batch.Put(absl::StrFormat("row/%020d", n++), value);
    }
    rocksdb::Status s = raw.db()->Write(sync, &batch);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  double rate = state.iterations() * kRows / watch.Seconds();
  SetBaseline("batch", rate);
  state.counters["rows_per_s"] = rate;
  state.counters["bytes_per_row"] = row_bytes;
}

// One report as the benchmark's school.
grpc::Status SubmitReport(const v1::SubmitAttendanceReportRequest& request) {
  grpc::ClientContext context;
  server->Prepare(&context, server->school_token());
  v1::SubmitAttendanceReportResponse response;
  return server->school()->SubmitAttendanceReport(&context, request, &response);
}

// After an ingest figure's loop: its rate against the raw batch baseline,
// as counters and as the table row `key`.
void ReportIngest(benchmark::State& state, const Stopwatch& watch,
                  const std::string& key, const std::string& figure) {
  double rate = state.iterations() * kRows / watch.Seconds();
  double baseline = Baseline("batch");
  double ratio = baseline > 0 ? rate / baseline : 0;
  state.counters["rows_per_s"] = rate;
  state.counters["baseline_rows_per_s"] = baseline;
  state.counters["ratio"] = ratio;
  if (state.error_occurred()) return;
  SetRow(key, {.figure = figure,
               .value = rate,
               .baseline = "raw RocksDB synced WriteBatch of 1,000 rows, same bytes",
               .baseline_value = baseline,
               .target = "ratio ≥ 0.5",
               .met = ratio >= 0.5,
               .note = ""});
}

// (1) figure: one SubmitAttendanceReport of kRows rows per iteration, the
// same report of the same day each time. Only the first is written: every
// later one is an identical resubmission, validated row by row and then
// answered with the report on record, with no event and no synced write.
// The new-day figure below measures reports that are written.
void BM_GrpcAttendanceReport(benchmark::State& state) {
  v1::SubmitAttendanceReportRequest request = ReportRequest();
  static int call = 0;
  Stopwatch watch;
  for (auto _ : state) {
    request.set_request_id(absl::StrCat("bench-report-", call++));
    grpc::Status s = SubmitReport(request);
    if (!s.ok()) state.SkipWithError(s.error_message().c_str());
  }
  ReportIngest(state, watch, "ingest",
               "durable batched ingest: SubmitAttendanceReport, 1,000 rows, "
               "the same report again after the first (rows/s)");
}

// (1) second figure: every iteration the report of a new school day, on
// its evening: a first report, not a correction, as a school sends one each
// day. (After its first iteration the figure above resubmits an identical
// report, which the server recognises and does not write again.) The days
// run on from the enrolment date, so the clock only moves forward and the
// later benchmarks see a later "today"; a fixed count of iterations keeps
// three repetitions inside the one school year of the calendar.
constexpr int kNewDayReports = 60;

void BM_GrpcAttendanceReportNewDay(benchmark::State& state) {
  v1::SubmitAttendanceReportRequest request = ReportRequest();
  static int call = 0;
  static absl::CivilDay day = server->data().enrol_date();
  const domain::SchoolCalendar& calendar = server->data().school_calendar();
  Stopwatch watch;
  for (auto _ : state) {
    std::optional<absl::CivilDay> next = calendar.NextSchoolDay(day);
    if (!next.has_value()) {
      state.SkipWithError("the calendar has no school day left");
      break;
    }
    day = *next;
    server->SetEvening(day);
    *request.mutable_date() = demo::ToDate(day);
    request.set_request_id(absl::StrCat("bench-new-day-", call++));
    grpc::Status s = SubmitReport(request);
    if (!s.ok()) state.SkipWithError(s.error_message().c_str());
  }
  ReportIngest(state, watch, "ingest-new-day",
               "durable batched ingest: SubmitAttendanceReport, 1,000 rows, "
               "a new school day each (rows/s)");
}

// (2) baseline: synced single puts from one thread (no group commit), each
// as many bytes as one UpdateStudent request.
void BM_RawRocksDbSyncedPut(benchmark::State& state) {
  RawDb raw("rawput");
  const size_t bytes = server->students().front().ByteSizeLong();
  const std::string value(bytes, 'x');
  rocksdb::WriteOptions sync;
  sync.sync = true;
  uint64_t n = 0;
  std::vector<double> latencies;
  Stopwatch watch;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    rocksdb::Status s =
        raw.db()->Put(sync, absl::StrFormat("put/%020d", n++), value);
    latencies.push_back(std::chrono::duration<double, std::micro>(
                            std::chrono::steady_clock::now() - t0)
                            .count());
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  double rate = state.iterations() / watch.Seconds();
  SetBaseline("put", rate);
  state.counters["puts_per_s"] = rate;
  state.counters["p50_us"] = Percentile(&latencies, 0.50);
  state.counters["p99_us"] = Percentile(&latencies, 0.99);
}

Latencies noop_latencies;
Latencies write_latencies;

// Sets up `latencies` for state.threads() threads: thread 0, before the
// loop, while the others wait at the loop's start barrier.
void StartThreaded(benchmark::State& state, Latencies* latencies) {
  if (state.thread_index() == 0) latencies->Reset(state.threads());
}

// (2) baseline: the no-op gRPC call, a read that writes nothing.
void BM_GrpcNoop(benchmark::State& state) {
  StartThreaded(state, &noop_latencies);
  Stopwatch watch;
  std::vector<double>* mine = nullptr;
  for (auto _ : state) {
    if (mine == nullptr) mine = &noop_latencies.by_thread[state.thread_index()];
    auto t0 = std::chrono::steady_clock::now();
    grpc::ClientContext context;
    server->Prepare(&context, server->admin_token());
    v1::GetSystemStatusResponse response;
    grpc::Status s = server->bureau()->GetSystemStatus(
        &context, v1::GetSystemStatusRequest(), &response);
    mine->push_back(std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - t0)
                        .count());
    if (!s.ok()) state.SkipWithError(s.error_message().c_str());
  }
  // Each thread reports its own rate; Google Benchmark sums counters
  // across threads.
  state.counters["calls_per_s"] = state.iterations() / watch.Seconds();
  if (state.thread_index() == 0 && !state.error_occurred()) {
    std::vector<double> all = noop_latencies.All();
    double total = all.size() / watch.Seconds();
    double p50 = Percentile(&all, 0.50), p99 = Percentile(&all, 0.99);
    state.counters["p50_us"] = p50;
    state.counters["p99_us"] = p99;
    const int n = state.threads();
    SetRow(absl::StrCat("noop-", n),
           {.figure = absl::StrCat("no-op gRPC call: GetSystemStatus, ", n,
                                   n == 1 ? " client" : " clients", " (calls/s)"),
            .value = total,
            .baseline = "(reference: the ceiling of any RPC)",
            .target = "—",
            .met = true,
            .note = absl::StrFormat("p50 %.2f ms, p99 %.2f ms", p50 / 1000,
                                    p99 / 1000)});
  }
}

// Thread 0 of a single-write benchmark, after the loop (every thread has
// filled its latency slot by then): the total rate, latencies, baseline and
// ratio as counters, and the table row `key` for `what`.
void ReportSingleWrites(benchmark::State& state, Latencies* latencies,
                        const Stopwatch& watch, const std::string& key,
                        const std::string& what) {
  std::vector<double> all = latencies->All();
  double total = all.size() / watch.Seconds();
  double baseline = Baseline("put");
  double p50 = Percentile(&all, 0.50), p99 = Percentile(&all, 0.99);
  state.counters["p50_us"] = p50;
  state.counters["p99_us"] = p99;
  state.counters["baseline_puts_per_s"] = baseline;
  state.counters["ratio"] = baseline > 0 ? total / baseline : 0;
  const int n = state.threads();
  // Issue 8 sets the target at 64 clients; the other levels show the curve.
  bool met = baseline > 0 && total / baseline >= 4 && total >= 10000;
  std::string target = n == 64 ? "≥ 10,000/s and ratio ≥ 4" : "—";
  SetRow(absl::StrCat(key, "-", n),
         {.figure = absl::StrCat("durable single writes: ", what, ", ", n,
                                 n == 1 ? " client" : " clients", " (writes/s)"),
          .value = total,
          .baseline = "raw RocksDB synced single puts, 1 thread",
          .baseline_value = baseline,
          .target = target,
          .met = met,
          .note = absl::StrFormat("p50 %.2f ms, p99 %.2f ms", p50 / 1000,
                                  p99 / 1000)});
}

// (2) figure: UpdateStudent, each thread on its own student, setting the
// first guardian's phone to a number no call has used before, so that every
// call is a real change (an unchanged record is refused).
void BM_GrpcSingleWrite(benchmark::State& state) {
  StartThreaded(state, &write_latencies);
  const int thread = state.thread_index();
  v1::UpdateStudentRequest request;
  *request.mutable_student() =
      server->students()[thread % server->students().size()];
  static std::atomic<uint64_t> call{0};
  Stopwatch watch;
  std::vector<double>* mine = nullptr;
  for (auto _ : state) {
    if (mine == nullptr) mine = &write_latencies.by_thread[thread];
    const uint64_t n = call++;
    request.mutable_student()->mutable_guardians(0)->set_phone(
        absl::StrFormat("139%08d", n % 100000000));
    request.set_request_id(absl::StrCat("bench-update-", n));
    auto t0 = std::chrono::steady_clock::now();
    grpc::ClientContext context;
    server->Prepare(&context, server->school_token());
    v1::UpdateStudentResponse response;
    grpc::Status s = server->school()->UpdateStudent(&context, request, &response);
    mine->push_back(std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - t0)
                        .count());
    if (!s.ok()) state.SkipWithError(s.error_message().c_str());
  }
  state.counters["writes_per_s"] = state.iterations() / watch.Seconds();
  if (thread == 0 && !state.error_occurred()) {
    ReportSingleWrites(state, &write_latencies, watch, "update",
                       "UpdateStudent");
  }
}

Latencies visit_latencies;

// (2) figure, as issue 8 names it: home visits (家访, RecordAction) by the
// township officials, each thread on its own child's case (opened at
// set-up by ReportChildOutOfSchool; a suspected case takes visits).
void BM_GrpcHomeVisit(benchmark::State& state) {
  StartThreaded(state, &visit_latencies);
  const int thread = state.thread_index();
  const BenchServer::OpenCase& open =
      server->cases()[thread % server->cases().size()];
  v1::RecordActionRequest request;
  request.set_case_id(open.case_id);
  v1::CaseAction* action = request.mutable_action();
  action->set_kind(v1::ACTION_KIND_HOME_VISIT);
  *action->mutable_action_date() = demo::ToDate(server->data().enrol_date());
  action->set_actors("镇控辍专干、村主任");
  action->set_met("父亲");
  action->set_attitude(v1::GUARDIAN_ATTITUDE_HESITANT);
  action->set_outcome("家长答应明天送孩子上学");
  static std::atomic<uint64_t> call{0};
  Stopwatch watch;
  std::vector<double>* mine = nullptr;
  for (auto _ : state) {
    if (mine == nullptr) mine = &visit_latencies.by_thread[thread];
    request.set_request_id(absl::StrCat("bench-visit-", call++));
    auto t0 = std::chrono::steady_clock::now();
    grpc::ClientContext context;
    server->Prepare(&context, open.token);
    v1::RecordActionResponse response;
    grpc::Status s = server->township()->RecordAction(&context, request, &response);
    mine->push_back(std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - t0)
                        .count());
    if (!s.ok()) state.SkipWithError(s.error_message().c_str());
  }
  state.counters["writes_per_s"] = state.iterations() / watch.Seconds();
  if (thread == 0 && !state.error_occurred()) {
    ReportSingleWrites(state, &visit_latencies, watch, "visit",
                       "home visits (RecordAction)");
  }
}

}  // namespace
}  // namespace baoxue::bench

int main(int argc, char** argv) {
  using namespace baoxue::bench;
  benchmark::Initialize(&argc, argv);
  std::string results_md;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--results_md=", 0) == 0) {
      results_md = arg.substr(13);
    } else {
      std::fprintf(stderr, "baoxue_bench: unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  BenchServer bench_server;
  bench_server.Start();
  server = &bench_server;
  ReportRequest();

  // Baselines first: each figure reads the baseline of this run.
  benchmark::RegisterBenchmark("raw_rocksdb/synced_batch_1000_rows",
                               BM_RawRocksDbSyncedBatch)
      ->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("grpc/attendance_report_1000_rows",
                               BM_GrpcAttendanceReport)
      ->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("grpc/attendance_report_1000_rows_new_day",
                               BM_GrpcAttendanceReportNewDay)
      ->Iterations(kNewDayReports)->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark::RegisterBenchmark("raw_rocksdb/synced_single_put",
                               BM_RawRocksDbSyncedPut)
      ->Unit(benchmark::kMicrosecond)->UseRealTime();
  for (int threads : {1, 16, 64, 256}) {
    benchmark::RegisterBenchmark("grpc/noop_GetSystemStatus", BM_GrpcNoop)
        ->Threads(threads)->Unit(benchmark::kMicrosecond)->UseRealTime();
  }
  for (int threads : {1, 16, 64, kMaxClients}) {
    benchmark::RegisterBenchmark("grpc/single_write_HomeVisit",
                                 BM_GrpcHomeVisit)
        ->Threads(threads)->Unit(benchmark::kMicrosecond)->UseRealTime();
  }
  for (int threads : {1, 16, 64, kMaxClients}) {
    benchmark::RegisterBenchmark("grpc/single_write_UpdateStudent",
                                 BM_GrpcSingleWrite)
        ->Threads(threads)->Unit(benchmark::kMicrosecond)->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  bench_server.Stop();
  if (!results_md.empty() && !results.AppendTo(results_md)) {
    std::fprintf(stderr, "baoxue_bench: cannot write %s\n", results_md.c_str());
    return 1;
  }
  return 0;
}
