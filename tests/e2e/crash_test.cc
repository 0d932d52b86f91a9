// The crash harness (issue 7, "Crash safety"): the real baoxue-server is
// killed with SIGKILL at random moments while concurrent clients write, and
// restarted; then every promise of README "Guarantees" is checked:
//
//   - every acknowledged write is in the log exactly once (looked up by what
//     it wrote, through the RPCs, and by scanning the event log after the
//     server stops); a request retried with its request_id across a crash
//     never produced a second event;
//   - the worker catches up after a restart (status: applied == last);
//   - the projections equal a full rebuild, through the RPCs after every
//     round and byte for byte on the final data directory.
//
// Clients are threads, each with its own account and its own kind of write:
// a school registers children and withdraws some (R5 opens cases), a second
// school account submits attendance reports and corrections (R1 opens and
// withdraws cases), a township reports children found out of school (R7),
// verifies those cases and records visits. Every write carries a request_id
// and is retried with the same id on UNAVAILABLE or DEADLINE_EXCEEDED until
// acknowledged. Some rounds also kill the server during an online rebuild
// (RebuildProjections) or during a chunked ImportStudents, which is then
// sent again whole.
//
// CI runs 3 rounds; BAOXUE_CRASH_ROUNDS=N runs N (e.g. 200). The numbers of
// a run are printed at the end ("crash harness: ...").
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/events.pb.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "clients/cli_values.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/worker.h"
#include "storage/database.h"
#include "storage/event_log.h"
#include "storage/keys.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr char kCounty[] = "350526";
constexpr char kTownship[] = "350526100";
constexpr char kVillage[] = "350526100001";
constexpr char kSchool[] = "xunzhong-primary";

int Rounds() {
  const char* env = std::getenv("BAOXUE_CRASH_ROUNDS");
  int rounds = env != nullptr ? std::atoi(env) : 0;
  return rounds > 0 ? rounds : 3;
}

// A valid ID number (GB 11643 check character) of a child of the county.
std::string IdNumber(absl::CivilDay birth, int seq) {
  std::string s17 = absl::StrCat(
      kCounty, absl::StrFormat("%04d%02d%02d%03d", birth.year(), birth.month(),
                               birth.day(), seq));
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s17[i] - '0') * kWeights[i];
  return s17 + "10X98765432"[sum % 11];
}

// The n-th distinct child of the run: births spread over a school year, so
// every child fits grade 3.
v1::Student NthChild(int n, const std::string& name) {
  absl::CivilDay birth = absl::CivilDay(2016, 9, 1) + n % 365;
  v1::Student s;
  s.set_id_number(IdNumber(birth, 1 + n / 365));
  s.set_student_number("G" + s.id_number());
  s.set_name(name);
  // What the ID number says: the 17th digit is odd for a boy.
  s.set_sex((s.id_number()[16] - '0') % 2 == 1 ? v1::SEX_MALE : v1::SEX_FEMALE);
  *s.mutable_birth_date() = clients::ToDate(birth);
  s.set_household_township_code(kTownship);
  s.set_household_village_code(kVillage);
  v1::Guardian* g = s.add_guardians();
  g->set_name("林建国");
  g->set_relation("父亲");
  g->set_phone("13905951234");
  return s;
}

bool Retryable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", static_cast<int>(status.error_code()), ": ",
                      status.error_message());
}

// Where the server is now: its port changes at every restart. Thread-safe.
class Target {
 public:
  void Set(const std::string& address) {
    std::lock_guard<std::mutex> lock(mu_);
    address_ = address;
    ++generation_;
  }
  std::pair<std::string, int> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return {address_, generation_};
  }

 private:
  mutable std::mutex mu_;
  std::string address_;
  int generation_ = 0;
};

// One client's stubs, renewed when the server moves. Not thread-safe: one
// per thread.
class Client {
 public:
  Client(const Target* target, std::string token)
      : target_(target), token_(std::move(token)) {}

  // Calls `method` until it returns something other than UNAVAILABLE or
  // DEADLINE_EXCEEDED (the same request, so the same request_id), or until
  // `give_up` passes. Counts the retries.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response,
                    std::chrono::seconds deadline = std::chrono::seconds(5)) {
    SteadyClock::time_point end = SteadyClock::now() + std::chrono::seconds(90);
    while (true) {
      Refresh();
      grpc::ClientContext context;
      Prepare(&context, deadline);
      response->Clear();
      grpc::Status status = (Stub(channel_).*method)(&context, request, response);
      if (!Retryable(status) || SteadyClock::now() >= end) return status;
      ++retries_;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Streams `chunks` as one ImportStudents call; retried whole, like a
  // person running the import again, until it is not UNAVAILABLE.
  grpc::Status Import(const std::vector<v1::ImportStudentsRequest>& chunks,
                      v1::ImportStudentsResponse* response) {
    SteadyClock::time_point end = SteadyClock::now() + std::chrono::seconds(60);
    while (true) {
      Refresh();
      grpc::ClientContext context;
      Prepare(&context, std::chrono::seconds(30));
      response->Clear();
      v1::SchoolService::Stub stub(channel_);
      auto writer = stub.ImportStudents(&context, response);
      for (const auto& chunk : chunks) {
        if (!writer->Write(chunk)) break;
      }
      writer->WritesDone();
      grpc::Status status = writer->Finish();
      if (!Retryable(status) || SteadyClock::now() >= end) return status;
      ++retries_;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  int retries() const { return retries_; }

 private:
  void Refresh() {
    auto [address, generation] = target_->Get();
    if (generation == generation_ && channel_ != nullptr) return;
    channel_ = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    generation_ = generation;
  }
  void Prepare(grpc::ClientContext* context, std::chrono::seconds deadline) {
    context->AddMetadata("authorization", "Bearer " + token_);
    context->set_deadline(std::chrono::system_clock::now() + deadline);
  }

  const Target* const target_;
  const std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
  int generation_ = -1;
  int retries_ = 0;
};

// One acknowledged write.
struct Ack {
  std::string account_id;
  std::string request_id;
  uint64_t sequence = 0;
};

// What the clients were told, gathered from every thread. Thread-safe.
class Acks {
 public:
  void Add(const std::string& account, const std::string& request_id,
           uint64_t sequence) {
    std::lock_guard<std::mutex> lock(mu_);
    acks_.push_back({account, request_id, sequence});
  }
  std::vector<Ack> All() const {
    std::lock_guard<std::mutex> lock(mu_);
    return acks_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Ack> acks_;
};

// Every record of a column family, for byte-for-byte comparisons.
std::map<std::string, std::string> DumpFamily(storage::Database* db,
                                              rocksdb::ColumnFamilyHandle* cf) {
  std::map<std::string, std::string> records;
  std::unique_ptr<rocksdb::Iterator> it(
      db->db()->NewIterator(rocksdb::ReadOptions(), cf));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    records[it->key().ToString()] = it->value().ToString();
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return records;
}

class CrashTest : public ::testing::Test {
 protected:
  // The moments a round kills the server in.
  enum class KillDuring { kWrites, kRebuild, kImport };

  void SetUp() override {
    data_dir_ = temp_.path() + "/data";
    run_dir_ = temp_.path() + "/run";
    fs::create_directories(run_dir_);
    StartServer();
    if (HasFatalFailure()) return;
    bureau_token_ = server_->ReadToken();
    today_ = clients::CountyToday();
    Seed();
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Stop(SIGTERM);
  }

  void StartServer() {
    std::string error;
    server_ = ServerProcess::Start(data_dir_, run_dir_, &error);
    ASSERT_NE(server_, nullptr) << error;
    target_.Set(server_->address());
    ++starts_;
  }

  template <typename Stub, typename Request, typename Response>
  uint64_t MustWrite(Client& client,
                     grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                  const Request&, Response*),
                     const Request& request, Response* response) {
    grpc::Status status = client.Call(method, request, response);
    EXPECT_TRUE(status.ok()) << request.ShortDebugString() << ": "
                             << Describe(status);
    return status.ok() ? response->sequence() : 0;
  }

  // The county, one township and village, the school, a term around today
  // (Monday to Friday), the accounts, and ten children the attendance
  // client reports on.
  void Seed() {
    Client bureau(&target_, bureau_token_);
    {
      v1::ConfigureCountyRequest r;
      r.mutable_county()->set_county_code(kCounty);
      r.mutable_county()->set_name("德化县");
      r.set_request_id("seed-county");
      v1::ConfigureCountyResponse out;
      MustWrite(bureau, &v1::BureauService::Stub::ConfigureCounty, r, &out);
    }
    {
      v1::CreateTownshipRequest r;
      r.mutable_township()->set_township_code(kTownship);
      r.mutable_township()->set_name("浔中镇");
      r.set_request_id("seed-township");
      v1::CreateTownshipResponse out;
      MustWrite(bureau, &v1::BureauService::Stub::CreateTownship, r, &out);
    }
    {
      v1::CreateVillageRequest r;
      r.mutable_village()->set_village_code(kVillage);
      r.mutable_village()->set_name("城东社区");
      r.mutable_village()->set_township_code(kTownship);
      r.set_request_id("seed-village");
      v1::CreateVillageResponse out;
      MustWrite(bureau, &v1::BureauService::Stub::CreateVillage, r, &out);
    }
    {
      v1::CreateSchoolRequest r;
      v1::School* s = r.mutable_school();
      s->set_school_id(kSchool);
      s->set_name("浔中中心小学");
      s->set_township_code(kTownship);
      s->set_kind(v1::SCHOOL_KIND_PRIMARY);
      for (int g = 1; g <= 6; ++g) s->add_grades(g);
      r.set_request_id("seed-school");
      v1::CreateSchoolResponse out;
      MustWrite(bureau, &v1::BureauService::Stub::CreateSchool, r, &out);
    }
    {
      int year = today_.month() >= 9 ? static_cast<int>(today_.year())
                                     : static_cast<int>(today_.year()) - 1;
      term_start_ = std::max(absl::CivilDay(year, 8, 1), today_ - 40);
      absl::CivilDay term_end =
          std::min(absl::CivilDay(year + 1, 8, 31), today_ + 30);
      v1::SetCalendarRequest r;
      r.mutable_calendar()->set_school_year(year);
      v1::Term* term = r.mutable_calendar()->add_terms();
      term->set_name("秋季学期");
      *term->mutable_start_date() = clients::ToDate(term_start_);
      *term->mutable_end_date() = clients::ToDate(term_end);
      r.set_request_id("seed-calendar");
      v1::SetCalendarResponse out;
      MustWrite(bureau, &v1::BureauService::Stub::SetCalendar, r, &out);
    }
    registrar_token_ = CreateAccount(bureau, "xz-registrar", v1::ROLE_SCHOOL);
    reporter_token_ = CreateAccount(bureau, "xz-reporter", v1::ROLE_SCHOOL);
    importer_token_ = CreateAccount(bureau, "xz-importer", v1::ROLE_SCHOOL);
    township_token_ = CreateAccount(bureau, "xz-town", v1::ROLE_TOWNSHIP);

    Client reporter(&target_, reporter_token_);
    for (int i = 0; i < 10; ++i) {
      v1::RegisterStudentRequest r;
      *r.mutable_student() = NthChild(next_child_++, "考勤学生");
      r.set_grade(3);
      r.set_class_name("2班");
      *r.mutable_enrol_date() = clients::ToDate(term_start_);
      r.set_request_id(absl::StrCat("seed-child-", i));
      v1::RegisterStudentResponse out;
      MustWrite(reporter, &v1::SchoolService::Stub::RegisterStudent, r, &out);
      attendance_children_.push_back(r.student().student_number());
    }
    // The school days the reporter writes for: the last fifteen before
    // today, all within the reporting window.
    for (absl::CivilDay d = today_ - 1;
         report_days_.size() < 15 && d >= term_start_; --d) {
      absl::Weekday w = absl::GetWeekday(d);
      if (w != absl::Weekday::saturday && w != absl::Weekday::sunday) {
        report_days_.insert(report_days_.begin(), d);
      }
    }
    ASSERT_FALSE(report_days_.empty());
  }

  std::string CreateAccount(Client& bureau, const std::string& id,
                            v1::Role role) {
    v1::CreateAccountRequest r;
    r.mutable_account()->set_account_id(id);
    r.mutable_account()->set_display_name("压力测试 " + id);
    r.mutable_account()->set_role(role);
    if (role == v1::ROLE_SCHOOL) r.mutable_account()->set_school_id(kSchool);
    if (role == v1::ROLE_TOWNSHIP) {
      r.mutable_account()->set_township_code(kTownship);
    }
    r.set_request_id("seed-account-" + id);
    v1::CreateAccountResponse out;
    MustWrite(bureau, &v1::BureauService::Stub::CreateAccount, r, &out);
    EXPECT_FALSE(out.token().empty()) << id;
    return out.token();
  }

  int NextChild() { return next_child_++; }

  // ---- The clients. Each loops while `running`, then finishes (retrying)
  // the write it is in and returns.

  void Registrar(int round, const std::atomic<bool>* running) {
    Client client(&target_, registrar_token_);
    for (int n = 0; running->load(); ++n) {
      v1::RegisterStudentRequest r;
      *r.mutable_student() = NthChild(NextChild(), "林小明");
      r.set_grade(3);
      r.set_class_name("3班");
      *r.mutable_enrol_date() = clients::ToDate(term_start_);
      r.set_request_id(absl::StrCat("reg-", round, "-", n));
      v1::RegisterStudentResponse out;
      grpc::Status status =
          client.Call(&v1::SchoolService::Stub::RegisterStudent, r, &out);
      ASSERT_TRUE(status.ok()) << Describe(status);
      acks_.Add("xz-registrar", r.request_id(), out.sequence());
      Registered(r.student().id_number());
      if (n % 4 != 3) continue;
      // Every fourth child is withdrawn the same day: R5 opens a case.
      v1::ChangeEnrolmentRequest w;
      w.mutable_change()->set_student_id(out.student().student_id());
      *w.mutable_change()->mutable_effective_date() = clients::ToDate(today_);
      w.mutable_change()->mutable_withdraw()->set_reason("随父母外出务工");
      w.set_request_id(absl::StrCat("wd-", round, "-", n));
      v1::ChangeEnrolmentResponse changed;
      status = client.Call(&v1::SchoolService::Stub::ChangeEnrolment, w,
                           &changed);
      ASSERT_TRUE(status.ok()) << Describe(status);
      acks_.Add("xz-registrar", w.request_id(), changed.sequence());
      std::lock_guard<std::mutex> lock(mu_);
      withdrawn_.insert(r.student().id_number());
    }
    retries_ += client.retries();
  }

  void Reporter(int round, const std::atomic<bool>* running) {
    Client client(&target_, reporter_token_);
    std::mt19937 random(round * 7919 + 1);
    for (int n = 0; running->load(); ++n) {
      absl::CivilDay day = report_days_[random() % report_days_.size()];
      v1::SubmitAttendanceReportRequest r;
      *r.mutable_date() = clients::ToDate(day);
      std::vector<std::string> absent;
      for (const std::string& child : attendance_children_) {
        if (random() % 3 != 0) continue;
        v1::Absence* a = r.add_absences();
        a->set_student_number(child);
        // Mostly unexcused, so R1 opens cases and corrections withdraw them.
        a->set_category(random() % 4 == 0 ? v1::ABSENCE_CATEGORY_SICK_LEAVE
                                          : v1::ABSENCE_CATEGORY_UNEXCUSED);
        // Unique per submission, so each one is a new revision.
        a->set_reason(absl::StrCat("第", round, "-", n, "次"));
        absent.push_back(child);
      }
      if (absent.empty()) r.set_zero_report(true);
      r.set_request_id(absl::StrCat("att-", round, "-", n));
      v1::SubmitAttendanceReportResponse out;
      grpc::Status status =
          client.Call(&v1::SchoolService::Stub::SubmitAttendanceReport, r, &out);
      ASSERT_TRUE(status.ok()) << Describe(status);
      acks_.Add("xz-reporter", r.request_id(), out.sequence());
      std::lock_guard<std::mutex> lock(mu_);
      ++report_revisions_[day];
      last_report_[day] = r;
    }
    retries_ += client.retries();
  }

  void Township(int round, const std::atomic<bool>* running) {
    Client client(&target_, township_token_);
    for (int n = 0; running->load(); ++n) {
      v1::ReportChildOutOfSchoolRequest r;
      *r.mutable_child() = NthChild(NextChild(), "郑小龙");
      r.mutable_child()->clear_student_number();
      r.set_note("入户摸排发现未入学");
      *r.mutable_found_date() = clients::ToDate(today_);
      r.set_request_id(absl::StrCat("found-", round, "-", n));
      v1::ReportChildOutOfSchoolResponse found;
      grpc::Status status = client.Call(
          &v1::TownshipService::Stub::ReportChildOutOfSchool, r, &found);
      ASSERT_TRUE(status.ok()) << Describe(status);
      ASSERT_FALSE(found.case_id().empty());
      acks_.Add("xz-town", r.request_id(), found.sequence());
      Registered(r.child().id_number());

      v1::VerifyCaseRequest v;
      v.set_case_id(found.case_id());
      v.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
      v.set_dropout_reason(v1::DROPOUT_REASON_WORKING);
      *v.mutable_verify_date() = clients::ToDate(today_);
      v.set_request_id(absl::StrCat("verify-", round, "-", n));
      v1::VerifyCaseResponse verified;
      status = client.Call(&v1::TownshipService::Stub::VerifyCase, v, &verified);
      ASSERT_TRUE(status.ok()) << Describe(status);
      acks_.Add("xz-town", v.request_id(), verified.sequence());

      v1::RecordActionRequest a;
      a.set_case_id(found.case_id());
      a.mutable_action()->set_kind(v1::ACTION_KIND_HOME_VISIT);
      *a.mutable_action()->mutable_action_date() = clients::ToDate(today_);
      a.mutable_action()->set_actors("林强、王老师");
      a.mutable_action()->set_met("母亲");
      a.mutable_action()->set_attitude(v1::GUARDIAN_ATTITUDE_HESITANT);
      a.mutable_action()->set_outcome(absl::StrCat("第", round, "-", n, "次家访"));
      a.set_request_id(absl::StrCat("visit-", round, "-", n));
      v1::RecordActionResponse acted;
      status = client.Call(&v1::TownshipService::Stub::RecordAction, a, &acted);
      ASSERT_TRUE(status.ok()) << Describe(status);
      acks_.Add("xz-town", a.request_id(), acted.sequence());
      std::lock_guard<std::mutex> lock(mu_);
      visits_[found.case_id()] = a.action().outcome();
    }
    retries_ += client.retries();
  }

  // A roster of `chunks` x `rows` children, imported in chunks whose
  // request ids come from the round, and sent again whole after a crash.
  void Importer(int round, int chunks, int rows, bool* completed_first) {
    Client client(&target_, importer_token_);
    std::vector<v1::ImportStudentsRequest> file(chunks);
    for (int c = 0; c < chunks; ++c) {
      file[c].set_request_id(absl::StrCat("import-", round, "-", c));
      for (int i = 0; i < rows; ++i) {
        v1::ImportStudentRow* row = file[c].add_rows();
        *row->mutable_student() = NthChild(NextChild(), "导入学生");
        row->set_grade(3);
        row->set_class_name("4班");
        *row->mutable_enrol_date() = clients::ToDate(term_start_);
        row->set_line(2 + c * rows + i);
      }
    }
    v1::ImportStudentsResponse out;
    grpc::Status status = client.Import(file, &out);
    *completed_first = client.retries() == 0;
    ASSERT_TRUE(status.ok()) << Describe(status);
    // Every row is either new now or was imported by an attempt that the
    // crash cut short; none is rejected or counted twice.
    EXPECT_EQ(out.accepted() + out.unchanged(), chunks * rows)
        << out.ShortDebugString();
    EXPECT_EQ(out.rejected(), 0) << out.ShortDebugString();
    for (const auto& chunk : file) {
      for (int i = 0; i < chunk.rows_size(); ++i) {
        Registered(chunk.rows(i).student().id_number(), i % 25 == 0);
      }
    }
    retries_ += client.retries();
  }

  // `looked_up`: also look the child up through the RPCs at the end (the
  // event-log scan checks every child either way).
  void Registered(const std::string& id_number, bool looked_up = true) {
    std::lock_guard<std::mutex> lock(mu_);
    registered_.insert(id_number);
    if (looked_up) looked_up_.insert(id_number);
  }

  // ---- Checks.

  // Waits (server side, bounded) until the worker has applied the whole
  // log, then checks the status agrees. Returns the last sequence.
  uint64_t CatchUp(Client& bureau) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      v1::GetSystemStatusResponse status;
      grpc::Status s = bureau.Call(&v1::BureauService::Stub::GetSystemStatus,
                                   v1::GetSystemStatusRequest(), &status);
      EXPECT_TRUE(s.ok()) << Describe(s);
      v1::GetSummaryRequest wait;
      wait.set_min_sequence(status.last_sequence());
      v1::GetSummaryResponse ignored;
      s = bureau.Call(&v1::BureauService::Stub::GetSummary, wait, &ignored);
      EXPECT_TRUE(s.ok()) << "the worker did not reach "
                          << status.last_sequence() << ": " << Describe(s);
      s = bureau.Call(&v1::BureauService::Stub::GetSystemStatus,
                      v1::GetSystemStatusRequest(), &status);
      // A clock tick may land in between; then look again.
      if (status.worker_applied_sequence() == status.last_sequence()) {
        EXPECT_EQ(status.worker_lag_events(), 0u);
        return status.last_sequence();
      }
    }
    ADD_FAILURE() << "the worker never caught up with the log";
    return 0;
  }

  // The ledgers and summaries a bureau reads, as bytes.
  std::string Snapshot(Client& bureau, uint64_t min_sequence) {
    std::string out;
    for (v1::Ledger ledger : {v1::LEDGER_UNSPECIFIED, v1::LEDGER_SUSPECTED,
                              v1::LEDGER_DROPOUT, v1::LEDGER_CLOSED}) {
      std::string token;
      do {
        v1::ListCountyCasesRequest r;
        r.mutable_filter()->set_ledger(ledger);
        r.set_page_size(500);
        r.set_page_token(token);
        r.set_min_sequence(min_sequence);
        v1::ListCountyCasesResponse page;
        grpc::Status s =
            bureau.Call(&v1::BureauService::Stub::ListCountyCases, r, &page);
        EXPECT_TRUE(s.ok()) << Describe(s);
        if (!s.ok()) break;
        for (const auto& row : page.rows()) out += row.SerializeAsString();
        token = page.next_page_token();
      } while (!token.empty());
    }
    for (const char* township : {"", kTownship}) {
      v1::GetSummaryRequest r;
      r.set_township_code(township);
      r.set_min_sequence(min_sequence);
      v1::GetSummaryResponse summary;
      grpc::Status s = bureau.Call(&v1::BureauService::Stub::GetSummary, r,
                                   &summary);
      EXPECT_TRUE(s.ok()) << Describe(s);
      out += summary.SerializeAsString();
    }
    return out;
  }

  // The projections the worker built live equal those of a rebuild.
  void ExpectRebuildChangesNothing(Client& bureau) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      uint64_t last = CatchUp(bureau);
      std::string before = Snapshot(bureau, last);
      v1::RebuildProjectionsResponse rebuilt;
      grpc::Status s = bureau.Call(&v1::BureauService::Stub::RebuildProjections,
                                   v1::RebuildProjectionsRequest(), &rebuilt,
                                   std::chrono::seconds(300));
      ASSERT_TRUE(s.ok()) << Describe(s);
      uint64_t after_last = CatchUp(bureau);
      std::string after = Snapshot(bureau, after_last);
      if (after_last != last) continue;  // a clock tick moved time on
      ++rebuild_checks_;
      EXPECT_EQ(before, after) << "the ledgers differ after a rebuild";
      return;
    }
  }

  // Every acknowledged write, looked up by what it wrote.
  void ExpectWritesReadable(Client& bureau, Client& reporter,
                            Client& township, uint64_t last) {
    std::set<std::string> registered, withdrawn;
    std::map<absl::CivilDay, int> revisions;
    std::map<absl::CivilDay, v1::SubmitAttendanceReportRequest> reports;
    std::map<std::string, std::string> visits;
    {
      std::lock_guard<std::mutex> lock(mu_);
      registered = looked_up_;
      withdrawn = withdrawn_;
      revisions = report_revisions_;
      reports = last_report_;
      visits = visits_;
    }
    for (const std::string& id : registered) {
      v1::FindStudentRequest r;
      r.set_id_number(id);
      r.set_min_sequence(last);
      v1::FindStudentResponse found;
      grpc::Status s = bureau.Call(&v1::BureauService::Stub::FindStudent, r,
                                   &found);
      ASSERT_TRUE(s.ok()) << id << ": " << Describe(s);
      if (withdrawn.count(id) > 0) {
        EXPECT_EQ(found.student().enrolment().status(),
                  v1::ENROLMENT_STATUS_WITHDRAWN)
            << id;
      }
    }
    for (const auto& [day, count] : revisions) {
      v1::GetAttendanceReportRequest r;
      *r.mutable_date() = clients::ToDate(day);
      r.set_min_sequence(last);
      v1::GetAttendanceReportResponse report;
      grpc::Status s = reporter.Call(
          &v1::SchoolService::Stub::GetAttendanceReport, r, &report);
      ASSERT_TRUE(s.ok()) << Describe(s);
      // One revision per acknowledged submission: none lost, none doubled.
      EXPECT_EQ(report.report().revision(), count) << day;
      // And it is the last one acknowledged.
      std::set<std::pair<std::string, std::string>> sent, stored;
      for (const auto& a : reports[day].absences()) {
        sent.emplace(a.student_number(), a.reason());
      }
      for (const auto& a : report.report().absences()) {
        stored.emplace(a.student_number(), a.reason());
      }
      EXPECT_EQ(stored, sent) << day;
      EXPECT_EQ(report.report().zero_report(), reports[day].zero_report());
    }
    for (const auto& [case_id, outcome] : visits) {
      v1::GetCaseRequest r;
      r.set_case_id(case_id);
      r.set_min_sequence(last);
      v1::GetCaseResponse c;
      grpc::Status s = township.Call(&v1::TownshipService::Stub::GetCase, r, &c);
      ASSERT_TRUE(s.ok()) << case_id << ": " << Describe(s);
      EXPECT_EQ(c.row().case_().state(), v1::CASE_STATE_PERSUADING) << case_id;
      int seen = 0;
      for (const auto& entry : c.history()) {
        if (entry.action().outcome() == outcome) ++seen;
      }
      EXPECT_EQ(seen, 1) << case_id << " " << outcome;
    }
  }

  // The whole data directory, the server stopped: the log holds every
  // acknowledged write exactly once, without gaps; and a rebuild from the
  // log reproduces the worker's projection byte for byte.
  void ExpectLogAndProjectionsSound() {
    storage::Database::Options options;
    options.path = data_dir_;
    auto db = storage::Database::Open(options);
    ASSERT_TRUE(db.ok()) << db.status();
    auto log = storage::RocksEventLog::Open(db->get());
    ASSERT_TRUE(log.ok()) << log.status();
    std::map<std::pair<std::string, std::string>, std::vector<uint64_t>> by_id;
    std::map<std::string, int> children;  // id number -> events adding it
    uint64_t expected = 1;
    for (uint64_t from = 1;;) {
      std::vector<v1::Event> events;
      ASSERT_TRUE((*log)->Read(from, 1000, &events).ok());
      if (events.empty()) break;
      for (const v1::Event& e : events) {
        ASSERT_EQ(e.sequence(), expected) << "a gap in the log";
        ++expected;
        if (!e.request_id().empty()) {
          by_id[{e.account_id(), e.request_id()}].push_back(e.sequence());
        }
        if (e.has_student_registered()) {
          ++children[e.student_registered().student().id_number()];
        }
        if (e.has_students_imported()) {
          for (const auto& s : e.students_imported().students()) {
            ++children[s.id_number()];
          }
        }
        if (e.has_child_reported_out_of_school()) {
          ++children[e.child_reported_out_of_school().student().id_number()];
        }
      }
      from = events.back().sequence() + 1;
    }
    events_ = expected - 1;
    for (const auto& [key, sequences] : by_id) {
      EXPECT_EQ(sequences.size(), 1u)
          << key.first << " " << key.second << " is in the log "
          << sequences.size() << " times";
    }
    for (const Ack& ack : acks_.All()) {
      auto it = by_id.find({ack.account_id, ack.request_id});
      ASSERT_NE(it, by_id.end()) << "acknowledged " << ack.request_id
                                 << " is not in the log";
      EXPECT_EQ(it->second.front(), ack.sequence) << ack.request_id;
    }
    for (const std::string& id : registered_) {
      EXPECT_EQ(children[id], 1) << id;
    }

    // The worker's projection, caught up, against a rebuild of a copy.
    services::Worker worker(db->get(), log->get());
    ASSERT_TRUE(worker.CatchUp().ok());
    auto live = DumpFamily(db->get(), (*db)->projection());
    log->reset();
    db->reset();
    std::string copy = temp_.path() + "/rebuilt";
    fs::copy(data_dir_, copy, fs::copy_options::recursive);
    options.path = copy;
    auto db2 = storage::Database::Open(options);
    ASSERT_TRUE(db2.ok()) << db2.status();
    auto log2 = storage::RocksEventLog::Open(db2->get());
    ASSERT_TRUE(log2.ok());
    services::Worker rebuilder(db2->get(), log2->get());
    ASSERT_TRUE(rebuilder.Rebuild().ok());
    auto rebuilt = DumpFamily(db2->get(), (*db2)->projection());
    EXPECT_EQ(live.size(), rebuilt.size());
    EXPECT_TRUE(live == rebuilt) << "the projection differs from a rebuild";
  }

  void RunRound(int round, KillDuring kill_during, std::mt19937& random) {
    std::atomic<bool> running{true};
    std::vector<std::thread> clients;
    clients.emplace_back([&] { Registrar(round, &running); });
    clients.emplace_back([&] { Reporter(round, &running); });
    clients.emplace_back([&] { Township(round, &running); });
    bool import_completed_first = false;
    if (kill_during == KillDuring::kImport) {
      clients.emplace_back(
          [&] { Importer(round, 8, 100, &import_completed_first); });
    }
    // An import round kills early, while the roster is still being sent.
    std::this_thread::sleep_for(std::chrono::milliseconds(
        kill_during == KillDuring::kImport ? 20 + random() % 150
                                           : 50 + random() % 400));
    std::atomic<bool> rebuild_returned{false};
    std::thread rebuild;
    if (kill_during == KillDuring::kRebuild) {
      rebuild = std::thread([&] {
        // One attempt, not retried: the point is to be killed inside it.
        grpc::ClientContext context;
        context.AddMetadata("authorization", "Bearer " + bureau_token_);
        v1::RebuildProjectionsResponse out;
        v1::BureauService::Stub stub(grpc::CreateChannel(
            target_.Get().first, grpc::InsecureChannelCredentials()));
        rebuild_returned = stub.RebuildProjections(
            &context, v1::RebuildProjectionsRequest(), &out).ok();
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
    }
    ASSERT_EQ(server_->Stop(SIGKILL), 128 + SIGKILL);
    ++kills_;
    running = false;
    if (rebuild.joinable()) {
      rebuild.join();
      if (!rebuild_returned) ++killed_in_rebuild_;
    }
    if (kill_during == KillDuring::kRebuild && round % 2 == 1) {
      KillAStartupRebuild(random);
      if (HasFatalFailure()) return;
    }
    StartServer();
    for (auto& t : clients) t.join();
    if (kill_during == KillDuring::kImport && !import_completed_first) {
      ++killed_in_import_;
    }
  }

  // Starts the server with --rebuild (which replays the whole log before
  // listening) and kills it after a random moment.
  void KillAStartupRebuild(std::mt19937& random) {
    std::string error;
    auto starting =
        ServerProcess::Launch(data_dir_, run_dir_, &error, {"--rebuild"});
    ASSERT_NE(starting, nullptr) << error;
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 120));
    int exit_code = starting->Stop(SIGKILL);
    // Killed before it listened: the kill fell inside the rebuild (or the
    // opening of the directory before it).
    if (exit_code == 128 + SIGKILL &&
        starting->Log().find("127.0.0.1:") == std::string::npos) {
      ++killed_in_startup_rebuild_;
    }
  }

  TempDir temp_;
  std::string data_dir_, run_dir_;
  std::unique_ptr<ServerProcess> server_;
  Target target_;
  absl::CivilDay today_, term_start_;
  std::string bureau_token_, registrar_token_, reporter_token_,
      importer_token_, township_token_;
  std::vector<std::string> attendance_children_;
  std::vector<absl::CivilDay> report_days_;
  std::atomic<int> next_child_{0};
  Acks acks_;

  std::mutex mu_;
  std::set<std::string> registered_, looked_up_, withdrawn_;
  std::map<absl::CivilDay, int> report_revisions_;
  std::map<absl::CivilDay, v1::SubmitAttendanceReportRequest> last_report_;
  std::map<std::string, std::string> visits_;  // case id -> visit outcome

  std::atomic<int> retries_{0};
  int starts_ = 0, kills_ = 0, killed_in_rebuild_ = 0, killed_in_import_ = 0,
      killed_in_startup_rebuild_ = 0, rebuild_checks_ = 0;
  uint64_t events_ = 0;
};

TEST_F(CrashTest, KillNineAtRandomMomentsLosesAndRepeatsNothing) {
  ASSERT_FALSE(HasFailure());
  const int rounds = Rounds();
  std::mt19937 random(static_cast<unsigned>(
      SteadyClock::now().time_since_epoch().count()));
  SteadyClock::time_point start = SteadyClock::now();
  for (int round = 0; round < rounds; ++round) {
    KillDuring kill_during = round % 3 == 0   ? KillDuring::kWrites
                             : round % 3 == 1 ? KillDuring::kRebuild
                                              : KillDuring::kImport;
    RunRound(round, kill_during, random);
    ASSERT_FALSE(HasFatalFailure()) << "round " << round;
    Client bureau(&target_, bureau_token_);
    ExpectRebuildChangesNothing(bureau);
    ASSERT_FALSE(HasFailure()) << "round " << round;
  }
  Client bureau(&target_, bureau_token_);
  Client reporter(&target_, reporter_token_);
  Client township(&target_, township_token_);
  uint64_t last = CatchUp(bureau);
  ExpectWritesReadable(bureau, reporter, township, last);
  ASSERT_EQ(server_->Stop(SIGTERM), 0) << server_->Log();
  server_.reset();
  ExpectLogAndProjectionsSound();
  double seconds =
      std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::printf(
      "crash harness: %d rounds in %.1f s: %d SIGKILLs (%d during an online "
      "rebuild, %d during an import) and %d of a starting server during its "
      "--rebuild, %d starts, %zu acknowledged writes, %d retries, %llu "
      "events in the log, %zu children, %d rebuild comparisons\n",
      rounds, seconds, kills_, killed_in_rebuild_, killed_in_import_,
      killed_in_startup_rebuild_, starts_,
      acks_.All().size(), retries_.load(),
      static_cast<unsigned long long>(events_), registered_.size(),
      rebuild_checks_);
}

}  // namespace
}  // namespace baoxue::e2e
