// `baoxue school students ...`: register, list, show and edit the school's
// students, record enrolment changes, and import the term-start roster.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/cli_values.h"
#include "clients/commands.h"
#include "clients/import_files.h"
#include "clients/labels.h"
#include "clients/table.h"

namespace baoxue::clients {
namespace {

constexpr int kImportChunkRows = 500;

// --student names a child by whichever key is given: a student id
// ("stu-..."), an 18-character ID number, or a 学籍号.
void SetStudentKey(const std::string& key, v1::GetStudentRequest* request) {
  if (absl::StartsWith(key, "stu-")) {
    request->set_student_id(key);
  } else if (key.size() == 18 && absl::ascii_isdigit(key[0])) {
    request->set_id_number(key);
  } else {
    request->set_student_number(key);
  }
}

FlagSpec StudentFlag() {
  return {.name = "student",
          .value_name = "STUDENT",
          .help = {"学生：学籍号、身份证号或学生编号（stu-…）",
                   "the child: student number, ID number or student id "
                   "(stu-...)"},
          .required = true};
}

// Looks the child up; on failure reports it and returns false.
bool GetStudent(CliContext& context, const std::string& key,
                v1::Student* student, int* exit_code) {
  v1::GetStudentRequest request;
  SetStudentKey(key, &request);
  request.set_min_sequence(context.options().min_sequence);
  v1::GetStudentResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->GetStudent(
      call.get(), request, &response);
  if (!status.ok()) {
    *exit_code = context.Fail(status);
    return false;
  }
  *student = response.student();
  return true;
}

// Reads the repeated --guardian and --priority flags into *s (replacing
// what is there when any is given). Reports a usage error and returns
// false on a bad value.
bool ReadGuardiansAndGroups(CliContext& context, const FlagValues& flags,
                            v1::Student* s) {
  std::vector<std::string> guardians = flags.GetAll("guardian");
  if (!guardians.empty() || flags.GetBool("clear_guardians")) {
    s->clear_guardians();
  }
  for (const std::string& text : guardians) {
    if (!ParseGuardian(text, s->add_guardians())) {
      context.UsageError(
          {absl::StrCat("--guardian 应写作 姓名:关系:电话，如 "
                        "王芳:母亲:13800138000，而不是“",
                        text, "”"),
           absl::StrCat("--guardian must be name:relation:phone, e.g. "
                        "王芳:母亲:13800138000, not \"",
                        text, "\"")});
      return false;
    }
  }
  std::vector<std::string> groups = flags.GetAll("priority");
  if (!groups.empty() || flags.GetBool("clear_priority")) {
    s->clear_priority_groups();
  }
  for (const std::string& word : groups) {
    for (const std::string& part : SplitList(word)) {
      v1::PriorityGroup group;
      if (!ParsePriorityGroup(part, &group)) {
        context.UsageError(
            {absl::StrCat("--priority “", part, "”无法识别，可用：",
                          AcceptedWords(LabelSet::kPriorityGroup, Lang::kZh)),
             absl::StrCat("--priority \"", part, "\" is not known; use ",
                          AcceptedWords(LabelSet::kPriorityGroup, Lang::kEn))});
        return false;
      }
      s->add_priority_groups(group);
    }
  }
  return true;
}

bool ReadSexFlag(CliContext& context, const FlagValues& flags,
                 v1::Student* s) {
  if (!flags.Has("sex")) return true;
  v1::Sex sex;
  if (!ParseSex(flags.Get("sex"), &sex)) {
    context.UsageError({"--sex 只能是 男（male）或 女（female）",
                        "--sex must be male (男) or female (女)"});
    return false;
  }
  s->set_sex(sex);
  return true;
}

int RegisterStudent(CliContext& context, const FlagValues& flags) {
  v1::RegisterStudentRequest request;
  v1::Student* s = request.mutable_student();
  s->set_student_number(flags.Get("student_number"));
  s->set_id_number(absl::AsciiStrToUpper(flags.Get("id_number")));
  s->set_name(flags.Get("name"));
  s->set_household_township_code(flags.Get("township"));
  s->set_household_village_code(flags.Get("village"));
  if (!ReadSexFlag(context, flags, s) ||
      !ReadDateFlag(context, flags, "birth_date", s->mutable_birth_date()) ||
      !ReadGuardiansAndGroups(context, flags, s) ||
      !ReadDateFlag(context, flags, "enrol_date",
                    request.mutable_enrol_date())) {
    return kExitUsage;
  }
  if (!flags.Has("birth_date")) s->clear_birth_date();
  FillFromIdNumber(s);
  request.set_grade(static_cast<int32_t>(flags.GetInt("grade")));
  request.set_class_name(flags.Get("class"));
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::RegisterStudentResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->RegisterStudent(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue school students register --student_number ",
                     flags.Get("student_number"), " ..."));
  }
  if (context.json()) return context.PrintJson(response);
  PrintDone(context,
            {absl::StrCat("已登记并入学：", response.student().name()),
             absl::StrCat("Registered and enrolled: ",
                          response.student().name())},
            response.sequence());
  context.out() << RenderFields(
      StudentFields(response.student(), context.lang(), /*mask_id=*/false));
  return kExitOk;
}

int ListStudents(CliContext& context, const FlagValues& flags) {
  bool all = flags.GetBool("all");
  v1::ListStudentsRequest request;
  request.set_page_size(static_cast<int32_t>(flags.GetInt("page_size")));
  request.set_page_token(flags.Get("page_token"));
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::SchoolService>();
  v1::ListStudentsResponse listing;
  grpc::Status status = ReadPages(
      context, all, request,
      [&](grpc::ClientContext* call, const v1::ListStudentsRequest& r,
          v1::ListStudentsResponse* page) {
        return stub->ListStudents(call, r, page);
      },
      [&](v1::ListStudentsResponse& page) {
        for (v1::Student& s : *page.mutable_students()) {
          *listing.add_students() = std::move(s);
        }
        return true;
      },
      &listing);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(listing);
  context.out() << StudentTable(
                       listing.students(),
                       context.lang(), /*with_school=*/false)
                << context.T(absl::StrCat("共 ", listing.students_size(), " 名学生"),
                             absl::StrCat(listing.students_size(), " students"))
                << "\n";
  if (!listing.next_page_token().empty()) {
    context.Note({absl::StrCat("还有更多学生：加 --all 显示全部，或用 "
                               "--page_token ",
                               listing.next_page_token(), " 继续"),
                  absl::StrCat("more students follow: add --all to list them "
                               "all, or continue with --page_token ",
                               listing.next_page_token())});
  }
  return kExitOk;
}

int ShowStudent(CliContext& context, const FlagValues& flags) {
  v1::Student student;
  int code = kExitOk;
  if (!GetStudent(context, flags.Get("student"), &student, &code)) return code;
  if (context.json()) {
    v1::GetStudentResponse response;
    *response.mutable_student() = student;
    return context.PrintJson(response);
  }
  context.out() << RenderFields(
      StudentFields(student, context.lang(), /*mask_id=*/false));
  return kExitOk;
}

int UpdateStudent(CliContext& context, const FlagValues& flags) {
  v1::Student current;
  int code = kExitOk;
  if (!GetStudent(context, flags.Get("student"), &current, &code)) return code;
  v1::UpdateStudentRequest request;
  v1::Student* s = request.mutable_student();
  *s = current;
  s->clear_enrolment();
  s->clear_enrolment_spans();
  s->clear_former_student_numbers();
  s->clear_register_time();
  if (flags.Has("name")) s->set_name(flags.Get("name"));
  if (flags.Has("student_number")) {
    s->set_student_number(flags.Get("student_number"));
  }
  if (flags.Has("id_number")) {
    s->set_id_number(absl::AsciiStrToUpper(flags.Get("id_number")));
  }
  if (flags.Has("township")) {
    s->set_household_township_code(flags.Get("township"));
  }
  if (flags.Has("village")) s->set_household_village_code(flags.Get("village"));
  if (!ReadSexFlag(context, flags, s) ||
      !ReadDateFlag(context, flags, "birth_date", s->mutable_birth_date()) ||
      !ReadGuardiansAndGroups(context, flags, s)) {
    return kExitUsage;
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::UpdateStudentResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->UpdateStudent(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue school students update --student ",
                     flags.Get("student"), " ..."));
  }
  if (context.json()) return context.PrintJson(response);
  PrintDone(context,
            {absl::StrCat("已更新 ", response.student().name(), " 的信息"),
             absl::StrCat("Updated ", response.student().name())},
            response.sequence());
  context.out() << RenderFields(
      StudentFields(response.student(), context.lang(), /*mask_id=*/false));
  return kExitOk;
}

// ---- enrolment changes -----------------------------------------------------

// What one enrolment-change command fills in.
using ChangeFiller = std::function<bool(CliContext&, const FlagValues&,
                                        v1::EnrolmentChange*)>;

bool FillLawful(CliContext& context, const FlagValues& flags,
                v1::EnrolmentChange::LawfulStatus* lawful) {
  lawful->set_certificate_reference(flags.Get("certificate"));
  return ReadDateFlag(context, flags, "until", lawful->mutable_end_date());
}

int ChangeEnrolment(CliContext& context, const FlagValues& flags,
                    const std::string& command, const Text& done,
                    const ChangeFiller& fill) {
  v1::ChangeEnrolmentRequest request;
  v1::EnrolmentChange* change = request.mutable_change();
  *change->mutable_effective_date() = ToDate(CountyToday());
  if (!ReadDateFlag(context, flags, "date", change->mutable_effective_date()) ||
      !fill(context, flags, change)) {
    return kExitUsage;
  }
  std::string key = flags.Get("student");
  if (absl::StartsWith(key, "stu-")) {
    change->set_student_id(key);
  } else {
    v1::Student student;
    int code = kExitOk;
    if (!GetStudent(context, key, &student, &code)) return code;
    change->set_student_id(student.student_id());
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::ChangeEnrolmentResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->ChangeEnrolment(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue school students ", command, " --student ", key,
                     " ..."));
  }
  if (context.json()) return context.PrintJson(response);
  Lang lang = context.lang();
  const v1::Student& s = response.student();
  PrintDone(context,
            {absl::StrCat(s.name(), "：", done.zh, "，现为“",
                          EnrolmentStatusLabel(s.enrolment().status(),
                                               Lang::kZh),
                          "”（", FormatDate(change->effective_date()), " 起）"),
             absl::StrCat(s.name(), ": ", done.en, "; now ",
                          EnrolmentStatusLabel(s.enrolment().status(),
                                               Lang::kEn),
                          " (from ", FormatDate(change->effective_date()),
                          ")")},
            response.sequence());
  (void)lang;
  return kExitOk;
}

struct ChangeCommand {
  std::string word;
  Text summary;
  Text done;
  std::vector<std::string> examples;
  std::vector<FlagSpec> flags;
  ChangeFiller fill;
};

FlagSpec GradeFlag() {
  return {.name = "grade",
          .kind = FlagKind::kInt,
          .value_name = "N",
          .help = {"年级 1–9（7–9 即初一至初三）", "grade 1-9 (7-9 are 初一-初三)"},
          .required = true};
}
FlagSpec ClassFlag() {
  return {.name = "class",
          .value_name = "CLASS",
          .help = {"班级，如 3班", "class name, e.g. 3班"},
          .required = true};
}
FlagSpec CertificateFlag(Text help) {
  return {.name = "certificate",
          .value_name = "REF",
          .help = std::move(help),
          .required = true};
}
FlagSpec UntilFlag() {
  return {.name = "until",
          .value_name = "DATE",
          .help = {"最后一天（不超过生效日期后一年）",
                   "the last day (at most a year after the change)"},
          .required = true};
}

std::vector<ChangeCommand> ChangeCommands() {
  return {
      {"enrol",
       {"入学/插班：已登记但未在本县就读的学生进入本校",
        "enrol in this school a child registered but not at a school"},
       {"已入学", "enrolled"},
       {"baoxue school students enrol --student G350526201803070013 --grade 3 "
        "--class 2班 --date 2026-11-02"},
       {GradeFlag(), ClassFlag()},
       [](CliContext&, const FlagValues& f, v1::EnrolmentChange* c) {
         c->mutable_enrol()->set_grade(static_cast<int32_t>(f.GetInt("grade")));
         c->mutable_enrol()->set_class_name(f.Get("class"));
         return true;
       }},
      {"transfer-out",
       {"转出：转往县内学校（--to_school）或县外（--to）",
        "transfer out: to a school of the county (--to_school) or outside "
        "(--to)"},
       {"已转出", "transferred out"},
       {"baoxue school students transfer-out --student G350526201803070013 "
        "--to_school longmen-primary",
        "baoxue school students transfer-out --student G350526201803070013 "
        "--to 泉州市丰泽区第一实验小学 --proof"},
       {{.name = "to_school",
         .value_name = "SCHOOL_ID",
         .help = {"县内接收学校的编号", "the receiving school in the county"}},
        {.name = "to",
         .value_name = "TEXT",
         .help = {"县外接收学校（名称和地点）",
                  "the receiving school outside the county (name and place)"}},
        {.name = "proof",
         .kind = FlagKind::kBool,
         .help = {"已收到县外学校的接收证明",
                  "the receiving school's proof was received"}}},
       [](CliContext& context, const FlagValues& f, v1::EnrolmentChange* c) {
         if (f.Has("to_school") == f.Has("to")) {
           context.UsageError({"请给出 --to_school（县内）或 --to（县外）之一",
                               "give one of --to_school (in the county) or "
                               "--to (outside)"});
           return false;
         }
         auto* t = c->mutable_transfer_out();
         t->set_to_school_id(f.Get("to_school"));
         t->set_to_description(f.Get("to"));
         t->set_proof_received(f.GetBool("proof"));
         return true;
       }},
      {"transfer-in",
       {"转入：接收从县内学校转来的学生", "transfer in a child from a school "
                                         "of the county"},
       {"已转入", "transferred in"},
       {"baoxue school students transfer-in --student G350526201803070013 "
        "--grade 3 --class 1班"},
       {GradeFlag(), ClassFlag()},
       [](CliContext&, const FlagValues& f, v1::EnrolmentChange* c) {
         c->mutable_transfer_in()->set_grade(
             static_cast<int32_t>(f.GetInt("grade")));
         c->mutable_transfer_in()->set_class_name(f.Get("class"));
         return true;
       }},
      {"suspend",
       {"休学（不超过一年，需证明文号）",
        "suspension (休学, at most a year, with a certificate)"},
       {"已休学", "suspended"},
       {"baoxue school students suspend --student G350526201803070013 --until "
        "2027-06-30 --certificate 德教休〔2026〕12号"},
       {UntilFlag(),
        CertificateFlag({"批准文号或诊断证明编号", "approval or medical "
                                                  "certificate reference"})},
       [](CliContext& context, const FlagValues& f, v1::EnrolmentChange* c) {
         return FillLawful(context, f, c->mutable_suspend());
       }},
      {"defer",
       {"延缓入学（不超过一年，需证明文号）",
        "deferred entry (延缓入学, at most a year, with a certificate)"},
       {"已延缓入学", "entry deferred"},
       {"baoxue school students defer --student G350526201908200048 --until "
        "2027-08-31 --certificate 德教缓〔2026〕3号"},
       {UntilFlag(),
        CertificateFlag({"批准文号或诊断证明编号", "approval or medical "
                                                  "certificate reference"})},
       [](CliContext& context, const FlagValues& f, v1::EnrolmentChange* c) {
         return FillLawful(context, f, c->mutable_defer_entry());
       }},
      {"home-teaching",
       {"送教上门（保留学籍）", "home-delivered teaching (送教上门)"},
       {"改为送教上门", "taught at home"},
       {"baoxue school students home-teaching --student G350526201803070013 "
        "--certificate 德教送〔2026〕5号"},
       {CertificateFlag({"批准文号", "approval reference"})},
       [](CliContext&, const FlagValues& f, v1::EnrolmentChange* c) {
         c->mutable_home_teaching()->set_certificate_reference(
             f.Get("certificate"));
         return true;
       }},
      {"resume",
       {"复课：休学或送教上门后回校", "back to classes after a suspension or "
                                     "home teaching"},
       {"已复课", "resumed"},
       {"baoxue school students resume --student G350526201803070013 --grade 3 "
        "--class 2班"},
       {GradeFlag(), ClassFlag()},
       [](CliContext&, const FlagValues& f, v1::EnrolmentChange* c) {
         c->mutable_resume()->set_grade(static_cast<int32_t>(f.GetInt("grade")));
         c->mutable_resume()->set_class_name(f.Get("class"));
         return true;
       }},
      {"graduate",
       {"毕业（完成义务教育）", "graduation (completed compulsory education)"},
       {"已毕业", "graduated"},
       {"baoxue school students graduate --student G350526201706110052 --date "
        "2027-07-02"},
       {},
       [](CliContext&, const FlagValues&, v1::EnrolmentChange* c) {
         c->mutable_graduate();
         return true;
       }},
      {"withdraw",
       {"退学/离校（义务教育阶段即辍学报告，将自动立案）",
        "left without a transfer (in compulsory education a dropout report, "
        "which opens a case)"},
       {"已报告退学", "withdrawal reported"},
       {"baoxue school students withdraw --student G350526201803070013 "
        "--reason 随父母外出务工"},
       {{.name = "reason",
         .value_name = "TEXT",
         .help = {"学校了解的情况，1–500 字", "what the school knows, 1-500 "
                                             "characters"},
         .required = true}},
       [](CliContext&, const FlagValues& f, v1::EnrolmentChange* c) {
         c->mutable_withdraw()->set_reason(f.Get("reason"));
         return true;
       }},
      {"death",
       {"死亡", "death"},
       {"已登记死亡", "death recorded"},
       {"baoxue school students death --student G350526201803070013 "
        "--certificate 死亡医学证明 A123456"},
       {CertificateFlag({"所依据的证明", "the record it rests on"})},
       [](CliContext&, const FlagValues& f, v1::EnrolmentChange* c) {
         c->mutable_death()->set_certificate_reference(f.Get("certificate"));
         return true;
       }},
  };
}

// ---- import ----------------------------------------------------------------

struct ImportRun {
  v1::ImportStudentsResponse response;
  grpc::Status status;
};

// Streams `rows` in chunks of kImportChunkRows with `mode`; each chunk's
// request id is derived from the file's hash, the mode and the chunk's
// index, so running the same file again is answered from the server's
// record instead of being done twice.
ImportRun StreamImport(CliContext& context,
                       const std::vector<v1::ImportStudentRow>& rows,
                       v1::ImportMode mode, const std::string& id_base,
                       bool progress) {
  ImportRun run;
  auto stub = context.Stub<v1::SchoolService>();
  auto call = context.NewCall();
  // An import may be long: allow a minute per chunk on top of --timeout.
  int chunks = static_cast<int>((rows.size() + kImportChunkRows - 1) /
                                kImportChunkRows);
  call->set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30 + 60 * chunks));
  auto writer = stub->ImportStudents(call.get(), &run.response);
  size_t sent = 0;
  for (int chunk = 0; chunk < std::max(chunks, 1); ++chunk) {
    v1::ImportStudentsRequest request;
    request.set_mode(mode);
    request.set_request_id(absl::StrCat(
        id_base, mode == v1::IMPORT_MODE_VALIDATE_ONLY ? "-check-" : "-",
        chunk));
    for (size_t i = chunk * kImportChunkRows;
         i < rows.size() && i < static_cast<size_t>(chunk + 1) * kImportChunkRows;
         ++i) {
      *request.add_rows() = rows[i];
    }
    if (!writer->Write(request)) break;  // The server ended the call.
    sent += request.rows_size();
    if (progress) {
      context.err() << "\r"
                    << context.T(
                           absl::StrCat(mode == v1::IMPORT_MODE_VALIDATE_ONLY
                                            ? "检查中："
                                            : "导入中：",
                                        sent, "/", rows.size(), " 行"),
                           absl::StrCat(mode == v1::IMPORT_MODE_VALIDATE_ONLY
                                            ? "checking: "
                                            : "importing: ",
                                        sent, "/", rows.size(), " rows"))
                    << std::flush;
    }
  }
  writer->WritesDone();
  run.status = writer->Finish();
  if (progress) context.err() << "\n";
  return run;
}

int ImportStudents(CliContext& context, const FlagValues& flags) {
  std::string path = flags.Get("file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return context.UsageError({absl::StrCat("无法读取文件 ", path),
                               absl::StrCat("cannot read the file ", path)});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<StudentFile> file = ReadStudentsCsv(buffer.str());
  if (!file.ok()) {
    return context.UsageError(
        {absl::StrCat(path, "：", file.status().message()),
         absl::StrCat(path, ": ", file.status().message())});
  }
  bool good_rows_only = flags.GetBool("good_rows_only");
  bool dry_run = flags.GetBool("dry_run");
  bool progress = isatty(STDERR_FILENO) == 1 && !context.json();
  std::string id_base = absl::StrCat("import-", file->content_hash.substr(0, 32));
  if (!context.json()) {
    context.Note({absl::StrCat(path, "：", file->encoding, " 编码，",
                               file->data_rows, " 行数据"),
                  absl::StrCat(path, ": ", file->encoding, ", ",
                               file->data_rows, " data rows")});
  }

  std::vector<RowError> errors = file->errors;
  auto add_server_errors = [&errors](const v1::ImportStudentsResponse& r) {
    for (const v1::ImportRowError& e : r.errors()) {
      errors.push_back({e.line(), {e.message(), e.message()}});
    }
  };
  // The printed or JSON result: the server's counts plus the rows the
  // client could not even send.
  auto finish = [&](v1::ImportStudentsResponse response, bool validated_only,
                    bool counts = true) {
    for (const RowError& e : file->errors) {
      v1::ImportRowError* error = response.add_errors();
      error->set_line(e.line);
      error->set_message(context.T(e.message));
    }
    response.set_rejected(response.rejected() +
                          static_cast<int>(file->errors.size()));
    std::sort(response.mutable_errors()->begin(),
              response.mutable_errors()->end(),
              [](const v1::ImportRowError& a, const v1::ImportRowError& b) {
                return a.line() < b.line();
              });
    int code = response.rejected() > 0 ? kExitRefused : kExitOk;
    if (context.json()) {
      context.PrintJson(response);
    } else if (counts) {
      std::string line =
          validated_only
              ? context.T(absl::StrCat("检查结果：可导入 ", response.accepted(),
                                       " 行，已存在未变 ", response.unchanged(),
                                       " 行，有错误 ", response.rejected(),
                                       " 行"),
                          absl::StrCat("checked: ", response.accepted(),
                                       " to import, ", response.unchanged(),
                                       " unchanged, ", response.rejected(),
                                       " bad"))
              : context.T(absl::StrCat("导入完成：新增 ", response.accepted(),
                                       " 行，已存在未变 ", response.unchanged(),
                                       " 行，拒绝 ", response.rejected(), " 行"),
                          absl::StrCat("imported: ", response.accepted(),
                                       " new, ", response.unchanged(),
                                       " unchanged, ", response.rejected(),
                                       " refused"));
      context.out() << line << "\n";
    }
    if (!errors.empty()) PrintRowErrors(context, errors);
    return code;
  };

  if (!good_rows_only || dry_run) {
    // All or nothing: check every row first; import only if none is bad.
    ImportRun check = StreamImport(context, file->rows,
                                   v1::IMPORT_MODE_VALIDATE_ONLY, id_base,
                                   progress);
    if (!check.status.ok()) return context.Fail(check.status);
    add_server_errors(check.response);
    if (dry_run) return finish(check.response, /*validated_only=*/true);
    if (check.response.rejected() > 0 || !file->errors.empty()) {
      context.UsageError(
          {absl::StrCat("有 ", check.response.rejected() + file->errors.size(),
                        " 行错误，整个文件都没有导入（改正后重新运行；或加 "
                        "--good_rows_only 只导入正确的行）："),
           absl::StrCat(check.response.rejected() + file->errors.size(),
                        " bad rows; nothing was imported (fix them and run "
                        "again, or add --good_rows_only to import the good "
                        "rows only):")});
      // Nothing was written: no counts but the bad rows.
      v1::ImportStudentsResponse nothing;
      nothing.set_rejected(check.response.rejected());
      *nothing.mutable_errors() = check.response.errors();
      return finish(nothing, /*validated_only=*/true, /*counts=*/false);
    }
  }
  ImportRun run = StreamImport(context, file->rows, v1::IMPORT_MODE_GOOD_ROWS,
                               id_base, progress);
  if (!run.status.ok()) {
    int code = context.Fail(run.status);
    if (code == kExitFailed) {
      context.Note({"结果不明时可原样重新运行同一文件：已导入的部分不会重复",
                    "if the outcome is unknown, run the same file again: what "
                    "was imported is not imported twice"});
    }
    return code;
  }
  add_server_errors(run.response);
  return finish(run.response, /*validated_only=*/false);
}

std::vector<FlagSpec> StudentFieldFlags(bool for_register) {
  std::vector<FlagSpec> flags = {
      {.name = "student_number",
       .value_name = "学籍号",
       .help = for_register
                   ? Text{"学籍号：G+身份证号、J+18 位自编码或 L 临时学籍号",
                          "学籍号: G + ID number, J + 18 self-coded "
                          "characters, or an L temporary number"}
                   : Text{"新学籍号（如以 G 字头学籍号替换 L 临时学籍号）",
                          "a new student number (e.g. a G number replacing "
                          "an L number)"},
       .required = for_register},
      {.name = "id_number",
       .value_name = "ID_NUMBER",
       .help = {"身份证号（J、L 学籍号可不填）",
                "ID number (optional only with a J or L number)"}},
      {.name = "name",
       .value_name = "NAME",
       .help = {"姓名", "name"},
       .required = for_register},
      {.name = "sex",
       .value_name = "SEX",
       .help = {"性别：男 或 女（有身份证号时可省略）",
                "sex: male or female (read from the ID number if omitted)"}},
      {.name = "birth_date",
       .value_name = "DATE",
       .help = {"出生日期（有身份证号时可省略）",
                "birth date (read from the ID number if omitted)"}},
      {.name = "township",
       .value_name = "CODE",
       .help = {"户籍乡镇 9 位代码", "household township, 9-digit code"},
       .required = for_register},
      {.name = "village",
       .value_name = "CODE",
       .help = {"户籍村 12 位代码", "household village, 12-digit code"},
       .required = for_register},
      {.name = "guardian",
       .value_name = "姓名:关系:电话",
       .help = {"监护人，可多次给出（最多 4 位）",
                "a guardian, repeatable (at most 4)"},
       .repeated = true},
      {.name = "priority",
       .value_name = "GROUP",
       .help = {absl::StrCat("重点群体，可多次给出：",
                             AcceptedWords(LabelSet::kPriorityGroup, Lang::kZh)),
                absl::StrCat("a priority group, repeatable: ",
                             AcceptedWords(LabelSet::kPriorityGroup,
                                           Lang::kEn))},
       .repeated = true},
  };
  return flags;
}

}  // namespace

void RegisterSchoolStudentCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "school students",
      .summary = {"本校学生：登记、列出、查看、修改、学籍变动、批量导入",
                  "the school's students: register, list, show, edit, "
                  "enrolment changes, bulk import"},
      .examples = {"baoxue school students list --all",
                   "baoxue school students import --file students.csv"},
  });
  std::vector<FlagSpec> register_flags = StudentFieldFlags(true);
  register_flags.push_back(GradeFlag());
  register_flags.push_back(ClassFlag());
  register_flags.push_back(
      {.name = "enrol_date",
       .value_name = "DATE",
       .help = {"入学日期（不能是将来）", "first day of enrolment (not in the "
                                        "future)"},
       .required = true});
  register_flags.push_back(RequestIdFlag());
  registry->AddCommand({
      .path = "school students register",
      .summary = {"登记一名学生并使其在本校入学",
                  "register a child and enrol them in this school"},
      .details = {"同一身份证号在全县只能登记一次；已在他校就读的学生请由原校办"
                  "理转出，本校办理转入。",
                  "One ID number is registered once in the county; a child "
                  "at another school is transferred out there and in here."},
      .examples = {"baoxue school students register --student_number "
                   "G350526201803070013 --id_number 350526201803070013 --name "
                   "林小明 --township 350526100 --village 350526100001 "
                   "--guardian 林建国:父亲:13905951234 --priority left_behind "
                   "--grade 3 --class 2班 --enrol_date 2026-09-01"},
      .flags = register_flags,
      .run = RegisterStudent,
  });
  registry->AddCommand({
      .path = "school students list",
      .summary = {"列出本校学生（身份证号部分隐藏）",
                  "list the school's students (ID numbers masked)"},
      .examples = {"baoxue school students list",
                   "baoxue school students list --all --json"},
      .flags = PagingFlags(),
      .run = ListStudents,
  });
  registry->AddCommand({
      .path = "school students show",
      .summary = {"查看一名学生的完整信息", "show one child's record"},
      .examples = {"baoxue school students show --student G350526201803070013",
                   "baoxue school students show --student 350526201803070013 "
                   "--json"},
      .flags = {StudentFlag()},
      .run = ShowStudent,
  });
  std::vector<FlagSpec> update_flags = {StudentFlag()};
  for (FlagSpec& flag : StudentFieldFlags(false)) {
    update_flags.push_back(std::move(flag));
  }
  update_flags.push_back(
      {.name = "clear_guardians",
       .kind = FlagKind::kBool,
       .help = {"删除全部监护人", "remove every guardian"}});
  update_flags.push_back(
      {.name = "clear_priority",
       .kind = FlagKind::kBool,
       .help = {"删除全部重点群体标记", "remove every priority group"}});
  update_flags.push_back(RequestIdFlag());
  registry->AddCommand({
      .path = "school students update",
      .summary = {"修改学生信息（只改给出的项；--guardian/--priority 整体替换）",
                  "edit a child's record (only what is given; --guardian / "
                  "--priority replace the lists)"},
      .examples = {"baoxue school students update --student "
                   "G350526201803070013 --guardian 林建国:父亲:13905951234 "
                   "--guardian 王秀英:祖母:0595-23512345",
                   "baoxue school students update --student L35052620180307001 "
                   "--student_number G350526201803070013 --id_number "
                   "350526201803070013"},
      .flags = update_flags,
      .run = UpdateStudent,
  });
  for (ChangeCommand& command : ChangeCommands()) {
    std::vector<FlagSpec> flags = {StudentFlag()};
    for (FlagSpec& flag : command.flags) flags.push_back(std::move(flag));
    flags.push_back({.name = "date",
                     .value_name = "DATE",
                     .help = {"生效日期，默认今天（不能是将来）",
                              "effective date, default today (not in the "
                              "future)"}});
    flags.push_back(RequestIdFlag());
    std::string word = command.word;
    Text done = command.done;
    ChangeFiller fill = command.fill;
    registry->AddCommand({
        .path = absl::StrCat("school students ", word),
        .summary = command.summary,
        .examples = command.examples,
        .flags = flags,
        .run =
            [word, done, fill](CliContext& context, const FlagValues& values) {
              return ChangeEnrolment(context, values, word, done, fill);
            },
    });
  }
  registry->AddCommand({
      .path = "school students import",
      .summary = {"从 CSV 批量导入学生及其入学信息（默认全部成功才导入）",
                  "import students with their enrolment from a CSV file (all "
                  "or nothing by default)"},
      .details =
          {"文件可为 UTF-8（带或不带 BOM）或 GBK/GB18030，自动识别；表头中英文皆"
           "可：学籍号,身份证号,姓名,性别,出生日期,户籍乡镇,户籍村,监护人,重点群体,"
           "年级,班级,入学日期（性别、出生日期可由身份证号得出；监护人写作 "
           "姓名:关系:电话，多位用 ; 分隔；重点群体多项用 ; 或 、 分隔）。\n"
           "默认先检查整个文件，只要有一行错误就一行也不导入，并列出每个错误行的"
           "行号和原因（退出码 1）；--good_rows_only 则只导入正确的行（仍列出错误"
           "行，退出码 1）；--dry_run 只检查。每 500 行一批，请求编号由文件内容和"
           "批次决定，重复运行同一文件不会重复导入。",
           "The file may be UTF-8 (with or without a BOM) or GBK/GB18030, "
           "detected automatically; headers in Chinese or English: "
           "student_number,id_number,name,sex,birth_date,household_township,"
           "household_village,guardians,priority_groups,grade,class_name,"
           "enrol_date (sex and birth date can come from the ID number; "
           "guardians are name:relation:phone separated by ';'; several "
           "priority groups are separated by ';' or '、').\n"
           "By default the whole file is checked first and nothing is "
           "imported if any row is bad; every bad row is listed with its line "
           "number and reason (exit code 1). --good_rows_only imports the "
           "good rows (still listing the bad ones, exit code 1); --dry_run "
           "only checks. Rows go in chunks of 500 whose request ids follow "
           "from the file's content and the chunk, so running the same file "
           "again imports nothing twice."},
      .examples = {"baoxue school students import --file students.csv",
                   "baoxue school students import --file 学生名单.csv "
                   "--good_rows_only --json"},
      .flags =
          {
              {.name = "file",
               .value_name = "CSV",
               .help = {"学生名单 CSV 文件", "the students CSV file"},
               .required = true},
              {.name = "good_rows_only",
               .kind = FlagKind::kBool,
               .help = {"只导入正确的行", "import only the good rows"}},
              {.name = "dry_run",
               .kind = FlagKind::kBool,
               .help = {"只检查，不导入", "check only; import nothing"}},
          },
      .run = ImportStudents,
  });
}

}  // namespace baoxue::clients
