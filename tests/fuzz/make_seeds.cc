// Writes the seed corpora of the request and event fuzz targets:
//   make_seeds <corpus dir>   (tests/fuzz/corpus)
// requests/<rpc>-<n>: byte 0 the RPC's index in RequestCommands(), then a
// valid or nearly valid request against the fuzz world; events/<n>: each
// event the world's seeding and the valid requests produce, serialized as
// the log stores it. Rerun after adding an RPC or changing the world; the
// output is committed so the replay tests do not depend on this tool.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/text_format.h"
#include "storage/localized_status.h"
#include "tests/fuzz/fuzz_world.h"

namespace {

using baoxue::fuzz::CommandIndex;
using baoxue::fuzz::FuzzWorld;
using baoxue::fuzz::RequestCommands;

// (rpc, text-format request); $CASE and $STUDENT name the world's case and
// enrolled child. Nearly valid requests are here on purpose.
const std::pair<const char*, const char*> kSeeds[] = {
    {"CreateAccount",
     R"(account { account_id: "lx-clerk" display_name: "龙浔中学" role: ROLE_SCHOOL
        school_id: "xunzhong-primary" } request_id: "acct-1")"},
    {"CreateAccount", R"(account { account_id: "X" role: ROLE_BUREAU })"},
    {"RevokeAccount", R"(account_id: "xz-clerk" reason: "调岗")"},
    {"ConfigureCounty", R"(county { county_code: "350526" name: "德化县" })"},
    {"ConfigureCounty", R"(county { county_code: "350500" name: "泉州市" })"},
    {"CreateTownship", R"(township { township_code: "350526101" name: "龙浔镇" })"},
    {"CreateTownship", R"(township { township_code: "350526400" name: "" })"},
    {"RenameTownship", R"(township_code: "350526100" name: "浔中街道")"},
    {"CreateVillage",
     R"(village { village_code: "350526100002" name: "石山村" township_code: "350526100" })"},
    {"CreateVillage",
     R"(village { village_code: "350526101001" name: "英山村" township_code: "350526100" })"},
    {"RenameVillage", R"(village_code: "350526100001" name: "浔中社区")"},
    {"CreateSchool",
     R"(school { school_id: "longxun-middle" name: "德化县龙浔中学"
        township_code: "350526200" kind: SCHOOL_KIND_JUNIOR_SECONDARY grades: [7, 8, 9] })"},
    {"UpdateSchool",
     R"(school { school_id: "xunzhong-primary" name: "德化县浔中中心小学"
        township_code: "350526100" kind: SCHOOL_KIND_NINE_YEAR grades: [1,2,3,4,5,6,7,8,9] })"},
    {"SetCalendar",
     R"(calendar { school_year: 2027
        terms { name: "秋季学期" start_date { year: 2027 month: 9 day: 1 }
                end_date { year: 2028 month: 1 day: 21 } }
        holidays { year: 2027 month: 10 day: 1 }
        makeup_days { year: 2027 month: 9 day: 26 } })"},
    {"SetCalendar",
     R"(calendar { school_year: 2027
        terms { name: "x" start_date { year: 2027 month: 2 day: 30 }
                end_date { year: 2026 month: 1 day: 1 } } })"},
    {"UpdateSettings",
     R"(settings { consecutive_absence_days: 5 cumulative_absence_days: 10
        verification_days: 7 })"},
    {"UpdateSettings", R"(settings { consecutive_absence_days: -1 })"},
    {"DecideClosure", R"(case_id: "$CASE" approved: true reason: "已复学")"},
    {"AssignBureauLead", R"(case_id: "$CASE" bureau_lead: "王局长")"},
    {"RegisterStudent",
     R"(student { student_number: "G350526201807110238" id_number: "350526201807110238"
        name: "郑小华" sex: SEX_MALE birth_date { year: 2018 month: 7 day: 11 }
        household_township_code: "350526100" household_village_code: "350526100001"
        guardians { name: "郑大华" relation: "父亲" phone: "0595-23512345" }
        priority_groups: [PRIORITY_GROUP_LEFT_BEHIND] }
        grade: 2 class_name: "二(3)班" enrol_date { year: 2026 month: 9 day: 1 }
        request_id: "reg-2")"},
    {"RegisterStudent",
     R"(student { student_number: "G35052620180711023x" id_number: "35052620180711023x"
        name: "郑小华" birth_date { year: 2018 month: 7 day: 12 }
        household_township_code: "350526100" household_village_code: "350526100001" }
        grade: 12 class_name: "" enrol_date { year: 2026 month: 13 day: 1 })"},
    {"RegisterStudent",
     R"(student { student_number: "L35052620180711000" name: "无证儿童"
        sex: SEX_FEMALE birth_date { year: 2018 month: 7 day: 11 }
        household_township_code: "350526100" household_village_code: "350526100001" }
        grade: 2 class_name: "二(1)班" enrol_date { year: 2026 month: 9 day: 1 })"},
    {"UpdateStudent",
     R"(student { student_id: "$STUDENT" student_number: "G350526201705100012"
        id_number: "350526201705100012" name: "林晓明" sex: SEX_MALE
        birth_date { year: 2017 month: 5 day: 10 }
        household_township_code: "350526100" household_village_code: "350526100001"
        guardians { name: "林大山" relation: "父亲" phone: "13800138000" } })"},
    {"ChangeEnrolment",
     R"(change { student_id: "$STUDENT" effective_date { year: 2026 month: 9 day: 15 }
        transfer_out { to_description: "泉州市实验小学" proof_received: true } })"},
    {"ChangeEnrolment",
     R"(change { student_id: "$STUDENT" effective_date { year: 2026 month: 9 day: 15 }
        withdraw { reason: "随父母外出" } })"},
    {"ChangeEnrolment",
     R"(change { student_id: "$STUDENT" effective_date { year: 2026 month: 9 day: 15 }
        suspend { } })"},
    {"SubmitAttendanceReport",
     R"(date { year: 2026 month: 9 day: 15 }
        absences { student_number: "G350526201705100012"
                   category: ABSENCE_CATEGORY_SICK_LEAVE reason: "发烧" half_day: true }
        request_id: "att-0915")"},
    {"SubmitAttendanceReport",
     R"(date { year: 2026 month: 9 day: 14 } zero_report: true)"},
    {"SubmitAttendanceReport",
     R"(date { year: 2026 month: 9 day: 20 }
        absences { student_number: "G000000000000000000" category: ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN }
        absences { student_number: "G350526201705100012" category: ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN }
        absences { student_number: "G350526201705100012" category: ABSENCE_CATEGORY_PERSONAL_LEAVE })"},
    {"ImportStudents",
     R"(rows { student { student_number: "G350526201807110238" id_number: "350526201807110238"
               name: "郑小华" household_township_code: "350526100"
               household_village_code: "350526100001" }
             grade: 2 class_name: "二(3)班" enrol_date { year: 2026 month: 9 day: 1 } line: 2 }
        rows { student { student_number: "J35052620180711ABCD" name: "无证"
               sex: SEX_MALE birth_date { year: 2018 month: 1 day: 1 }
               household_township_code: "350526100" household_village_code: "350526100001" }
             grade: 2 class_name: "二(3)班" enrol_date { year: 2026 month: 9 day: 1 } line: 3 }
        request_id: "imp-1" mode: IMPORT_MODE_VALIDATE_ONLY)"},
    {"RecordSchoolAction",
     R"(case_id: "$CASE" action { kind: ACTION_KIND_PHONE_CALL
        action_date { year: 2026 month: 9 day: 15 } actors: "班主任" met: "母亲"
        attitude: GUARDIAN_ATTITUDE_SUPPORTIVE outcome: "答应下周返校" })"},
    {"ConfirmReturn",
     R"(case_id: "$CASE" return_date { year: 2026 month: 9 day: 15 })"},
    {"VerifyCase",
     R"(case_id: "$CASE" outcome: VERIFICATION_OUTCOME_OUT_OF_SCHOOL
        dropout_reason: DROPOUT_REASON_LEARNING_DIFFICULTY note: "在家务农"
        verify_date { year: 2026 month: 9 day: 15 })"},
    {"VerifyCase",
     R"(case_id: "$CASE" outcome: VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE
        verify_date { year: 2026 month: 9 day: 16 })"},
    {"RecordAction",
     R"(case_id: "$CASE" action { kind: ACTION_KIND_HOME_VISIT
        action_date { year: 2026 month: 9 day: 15 } actors: "镇专干、村干部" met: "父亲"
        attitude: GUARDIAN_ATTITUDE_HESITANT notes: "劝返"
        next_step_date { year: 2026 month: 9 day: 22 } })"},
    {"RecordAction",
     R"(case_id: "$CASE" action { kind: ACTION_KIND_RETURN_NOTICE
        action_date { year: 2026 month: 9 day: 15 }
        notice_deadline { year: 2026 month: 9 day: 10 } })"},
    {"ArrangeCase", R"(case_id: "$CASE" note: "安排送教上门")"},
    {"AssignResponsible",
     R"(case_id: "$CASE" responsible { township_official: "张专干"
        class_teacher: "李老师" village_cadre: "陈主任" })"},
    {"ReportChildOutOfSchool",
     R"(child { id_number: "350526201705100012" }
        note: "已在籍儿童" found_date { year: 2026 month: 9 day: 15 })"},
    {"ReportChildOutOfSchool",
     R"(child { id_number: "350526201403020121" name: "陈小芳" }
        found_date { year: 2027 month: 1 day: 1 })"},
    {"UpdateRoster",
     R"(village_code: "350526100001"
        entries { id_number: "350526201705100012" name: "林小明"
                  guardian_name: "林大山" guardian_phone: "13800138000" }
        entries { id_number: "350526201807110238" name: "郑小华" })"},
    {"UpdateRoster",
     R"(village_code: "350526100001" removed_id_numbers: ["350526201705100012"]
        entries { id_number: "350526201807110239" name: "" })"},
};

bool WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds <corpus dir>\n");
    return 2;
  }
  FuzzWorld& world = FuzzWorld::Get();
  std::filesystem::path root(argv[1]);
  std::filesystem::create_directories(root / "requests");
  std::filesystem::create_directories(root / "events");
  int n = 0;
  std::vector<std::string> events;
  for (const auto& e : world.seed_events()) events.push_back(e.SerializeAsString());
  for (const auto& [rpc, raw] : kSeeds) {
    std::string text = absl::StrReplaceAll(
        raw, {{"$CASE", world.case_id()}, {"$STUDENT", world.student_id()}});
    size_t index = CommandIndex(rpc);
    std::unique_ptr<google::protobuf::Message> request(
        RequestCommands()[index].prototype->New());
    if (!google::protobuf::TextFormat::ParseFromString(text, request.get())) {
      std::fprintf(stderr, "seed %d (%s) does not parse\n", n, rpc);
      return 1;
    }
    std::string bytes = request->SerializeAsString();
    baoxue::v1::Event event;
    absl::Status status = world.Run(index, bytes, /*keep=*/false, &event);
    std::printf("%-24s %s\n", rpc,
                status.ok() ? "OK"
                            : baoxue::MessageIn(status, baoxue::Lang::kEn).c_str());
    if (status.ok() && event.body_case() != baoxue::v1::Event::BODY_NOT_SET) {
      events.push_back(event.SerializeAsString());
    }
    std::string input(1, static_cast<char>(index));
    input += bytes;
    if (!WriteFile(root / "requests" / absl::StrCat(rpc, "-", n++), input)) return 1;
  }
  for (size_t i = 0; i < events.size(); ++i) {
    if (!WriteFile(root / "events" / absl::StrCat("event-", i), events[i])) return 1;
  }
  return 0;
}
