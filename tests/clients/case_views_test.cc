// The client's case words (shared with the server through
// services/labels.h), its case tables and timeline, and the village
// roster reader.
#include "clients/case_views.h"

#include <iconv.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "baoxue/v1/events.pb.h"
#include "clients/cli_values.h"
#include "clients/csv.h"
#include "clients/import_files.h"
#include "clients/labels.h"
#include "clients/table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/labels.h"

namespace baoxue::clients {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CaseWordsTest, LabelsComeFromTheServersTable) {
  // The very words the server uses, in both languages.
  for (int s = v1::CASE_STATE_SUSPECTED; s <= v1::CASE_STATE_CLOSED; ++s) {
    auto state = static_cast<v1::CaseState>(s);
    EXPECT_EQ(LabelOf(state, Lang::kZh),
              baoxue::Label(state, baoxue::Lang::kZh));
    EXPECT_EQ(LabelOf(state, Lang::kEn),
              baoxue::Label(state, baoxue::Lang::kEn));
  }
  EXPECT_EQ(SexLabel(v1::SEX_FEMALE, Lang::kZh),
            baoxue::Label(v1::SEX_FEMALE, baoxue::Lang::kZh));
  EXPECT_EQ(PriorityGroupLabel(v1::PRIORITY_GROUP_POOR_HOUSEHOLD, Lang::kZh),
            baoxue::Label(v1::PRIORITY_GROUP_POOR_HOUSEHOLD,
                          baoxue::Lang::kZh));
  EXPECT_EQ(EnrolmentStatusLabel(v1::ENROLMENT_STATUS_WITHDRAWN, Lang::kEn),
            baoxue::Label(v1::ENROLMENT_STATUS_WITHDRAWN, baoxue::Lang::kEn));
  EXPECT_EQ(RoleLabel(v1::ROLE_BUREAU_VIEWER, Lang::kZh), "教育局只读");
  // Unset reads as an empty cell.
  EXPECT_EQ(LabelOf(v1::ACTION_KIND_UNSPECIFIED, Lang::kZh), "—");
  EXPECT_EQ(LabelOf(v1::ACTION_KIND_UNSPECIFIED, Lang::kEn), "-");
}

TEST(CaseWordsTest, ParsesWordsLabelsAndAliases) {
  v1::CaseState state;
  EXPECT_TRUE(ParseCaseState("pending", &state));
  EXPECT_EQ(state, v1::CASE_STATE_CLOSURE_PENDING);
  EXPECT_TRUE(ParseCaseState("劝返中", &state));
  EXPECT_EQ(state, v1::CASE_STATE_PERSUADING);
  EXPECT_TRUE(ParseCaseState("Closure Pending", &state));
  EXPECT_EQ(state, v1::CASE_STATE_CLOSURE_PENDING);
  EXPECT_FALSE(ParseCaseState("asleep", &state));

  v1::Ledger ledger;
  EXPECT_TRUE(ParseLedger("dropout", &ledger));
  EXPECT_EQ(ledger, v1::LEDGER_DROPOUT);
  EXPECT_TRUE(ParseLedger("疑似辍学台账", &ledger));
  EXPECT_EQ(ledger, v1::LEDGER_SUSPECTED);

  v1::CaseKind kind;
  EXPECT_TRUE(ParseCaseKind("R7", &kind));
  EXPECT_EQ(kind, v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
  EXPECT_TRUE(ParseCaseKind("连续旷课", &kind));
  EXPECT_EQ(kind, v1::CASE_KIND_CONSECUTIVE_ABSENCE);

  v1::VerificationOutcome outcome;
  EXPECT_TRUE(ParseVerificationOutcome("out_of_school", &outcome));
  EXPECT_EQ(outcome, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
  EXPECT_TRUE(ParseVerificationOutcome("省外就读", &outcome));
  EXPECT_EQ(outcome, v1::VERIFICATION_OUTCOME_ATTENDING_OUTSIDE_PROVINCE);
  // Set by the system only.
  EXPECT_FALSE(ParseVerificationOutcome("no_longer_met", &outcome));

  v1::DropoutReason reason;
  EXPECT_TRUE(ParseDropoutReason("外出务工", &reason));
  EXPECT_EQ(reason, v1::DROPOUT_REASON_WORKING);
  EXPECT_TRUE(ParseDropoutReason("bullying", &reason));
  EXPECT_EQ(reason, v1::DROPOUT_REASON_PSYCHOLOGICAL_OR_BULLYING);

  v1::ActionKind action;
  EXPECT_TRUE(ParseActionKind("notice", &action));
  EXPECT_EQ(action, v1::ACTION_KIND_RETURN_NOTICE);
  EXPECT_TRUE(ParseActionKind("责令限期改正通知书", &action));
  EXPECT_EQ(action, v1::ACTION_KIND_CORRECTION_ORDER);
  EXPECT_TRUE(ParseActionKind("HOME_VISIT", &action));
  EXPECT_EQ(action, v1::ACTION_KIND_HOME_VISIT);

  v1::GuardianAttitude attitude;
  EXPECT_TRUE(ParseGuardianAttitude("not_met", &attitude));
  EXPECT_EQ(attitude, v1::GUARDIAN_ATTITUDE_NOT_MET);
  EXPECT_TRUE(ParseGuardianAttitude("支持", &attitude));
  EXPECT_EQ(attitude, v1::GUARDIAN_ATTITUDE_SUPPORTIVE);

  // Older words keep working for the enums whose labels moved to the
  // shared table.
  v1::PriorityGroup group;
  EXPECT_TRUE(ParsePriorityGroup("脱贫户", &group));
  EXPECT_EQ(group, v1::PRIORITY_GROUP_POOR_HOUSEHOLD);
  EXPECT_TRUE(ParsePriorityGroup("建档立卡/脱贫户", &group));
  EXPECT_TRUE(ParsePriorityGroup("left behind", &group));
  EXPECT_EQ(group, v1::PRIORITY_GROUP_LEFT_BEHIND);

  EXPECT_THAT(AcceptedWords(LabelSet::kLedger, Lang::kEn),
              HasSubstr("dropout (辍学台账)"));
  EXPECT_THAT(AcceptedWords(LabelSet::kActionKind, Lang::kZh),
              HasSubstr("限期返校通知书（notice）"));
}

v1::CaseRow Row() {
  v1::CaseRow row;
  v1::Case* c = row.mutable_case_();
  c->set_case_id("350526-2026-00042");
  c->set_student_name("林小明");
  c->set_school_id("xunzhong-primary");
  c->set_household_township_code("350526100");
  c->set_household_village_code("350526100001");
  c->set_kind(v1::CASE_KIND_CONSECUTIVE_ABSENCE);
  c->set_state(v1::CASE_STATE_PERSUADING);
  c->set_priority(v1::CASE_PRIORITY_HIGH);
  c->set_overdue(true);
  c->set_escalation_level(v1::ESCALATION_LEVEL_TOWNSHIP);
  c->mutable_open_time()->set_seconds(1795737600);  // 2026-11-27 08:00 +08.
  c->set_last_action(v1::ACTION_KIND_RETURN_NOTICE);
  c->set_suggested_action(v1::ACTION_KIND_CORRECTION_ORDER);
  row.set_student_number("G350526201703070011");
  row.set_grade(3);
  row.set_class_name("2班");
  return row;
}

TEST(CaseTableTest, TownshipColumnsInUrgencyOrderAlignedForCjk) {
  google::protobuf::RepeatedPtrField<v1::CaseRow> rows;
  *rows.Add() = Row();
  std::string zh = CaseTable(rows, Lang::kZh, CaseAudience::kTownship);
  EXPECT_THAT(zh, HasSubstr("案件号"));
  EXPECT_THAT(zh, HasSubstr("最近措施"));
  EXPECT_THAT(zh, HasSubstr("劝返中"));
  EXPECT_THAT(zh, HasSubstr("重点"));
  EXPECT_THAT(zh, HasSubstr("2026-11-27"));
  EXPECT_THAT(zh, HasSubstr("限期返校通知书 （建议：责令限期改正通知书）"));
  EXPECT_THAT(zh, HasSubstr("共 1 件"));
  EXPECT_THAT(zh, Not(HasSubstr("学籍号")));
  // The header and the row line up: 案件号 (6 columns) under a 17-char id.
  std::vector<std::string> lines = absl::StrSplit(zh, '\n');
  ASSERT_GE(lines.size(), 3u);
  size_t name_at = lines[0].find("姓名");
  ASSERT_NE(name_at, std::string::npos);
  EXPECT_EQ(DisplayWidth(lines[0].substr(0, name_at)),
            DisplayWidth(lines[2].substr(0, lines[2].find("林小明"))));

  std::string school = CaseTable(rows, Lang::kEn, CaseAudience::kSchool);
  EXPECT_THAT(school, HasSubstr("Student number"));
  // A G number embeds the ID number: masked in lists.
  EXPECT_THAT(school, HasSubstr("G350526********0011"));
  EXPECT_THAT(school, HasSubstr("persuading"));
  EXPECT_THAT(school, HasSubstr("(next: order to correct)"));
  EXPECT_THAT(school, HasSubstr("1 cases"));

  std::string bureau = CaseTable(rows, Lang::kZh, CaseAudience::kBureau);
  EXPECT_THAT(bureau, HasSubstr("责任层级"));
  EXPECT_THAT(bureau, HasSubstr("350526100 "));
}

TEST(CaseDetailTest, ShowsChildPeopleDeadlinesAndTimeline) {
  v1::CaseRow row = Row();
  v1::Case* c = row.mutable_case_();
  c->set_verification_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
  c->set_dropout_reason(v1::DROPOUT_REASON_WORKING);
  c->mutable_responsible()->set_township_official("林强");
  v1::Deadline* d = c->add_deadlines();
  d->set_kind(v1::DEADLINE_KIND_NOTICE);
  d->mutable_due_time()->set_seconds(1796486399);
  d->set_status(v1::DEADLINE_STATUS_MISSED);
  v1::Student student;
  student.set_name("林小明");
  student.set_id_number("350526********0011");
  student.add_priority_groups(v1::PRIORITY_GROUP_LEFT_BEHIND);
  v1::Guardian* g = student.add_guardians();
  g->set_name("林建国");
  g->set_relation("父亲");
  g->set_phone("13905951234");

  google::protobuf::RepeatedPtrField<v1::CaseHistoryEntry> history;
  v1::CaseHistoryEntry* opened = history.Add();
  opened->set_kind(v1::CASE_HISTORY_KIND_OPENED);
  opened->mutable_evidence()->set_rule(v1::CASE_KIND_CONSECUTIVE_ABSENCE);
  opened->mutable_evidence()->set_count(3);
  opened->mutable_evidence()->set_threshold(3);
  opened->mutable_evidence()->set_whereabouts_unknown(true);
  *opened->mutable_evidence()->add_dates() = ToDate(absl::CivilDay(2026, 11, 24));
  v1::CaseHistoryEntry* changed = history.Add();
  changed->set_kind(v1::CASE_HISTORY_KIND_STATE_CHANGED);
  changed->set_account_id("xz-town");
  changed->set_from_state(v1::CASE_STATE_SUSPECTED);
  changed->set_to_state(v1::CASE_STATE_CONFIRMED);
  changed->set_note_code("verified");
  v1::CaseHistoryEntry* visit = history.Add();
  visit->set_kind(v1::CASE_HISTORY_KIND_ACTION);
  visit->mutable_action()->set_kind(v1::ACTION_KIND_HOME_VISIT);
  *visit->mutable_action()->mutable_action_date() =
      ToDate(absl::CivilDay(2026, 11, 27));
  visit->mutable_action()->set_actors("林强");
  visit->mutable_action()->set_attitude(v1::GUARDIAN_ATTITUDE_OPPOSED);
  v1::CaseHistoryEntry* escalated = history.Add();
  escalated->set_kind(v1::CASE_HISTORY_KIND_ESCALATED);
  escalated->set_level(v1::ESCALATION_LEVEL_BUREAU);
  escalated->set_deadline(v1::DEADLINE_KIND_PERSUASION_RETURN);
  v1::CaseHistoryEntry* rejected = history.Add();
  rejected->set_kind(v1::CASE_HISTORY_KIND_NOTE);
  rejected->set_note_code("closure-rejected");
  rejected->set_text("观察期内仍有旷课");

  std::string zh = CaseDetail(row, student, history, Lang::kZh);
  for (const char* word :
       {"确属辍学/失学", "外出务工", "林建国（父亲）13905951234", "留守",
        "350526********0011", "包保责任人", "林强", "（未指定）", "通知书期限",
        "已逾期", "时间线", "系统", "xz-town",
        "立案：连续旷课（3 天：2026-11-24；阈值 3；含去向不明）",
        "状态：疑似 → 确认辍学（核查）", "家访 2026-11-27；人员：林强；监护人态度：反对",
        "升级至教育局（逾期：劝返复学）", "销号被退回：观察期内仍有旷课"}) {
    EXPECT_THAT(zh, HasSubstr(word)) << word;
  }
  std::string en = CaseDetail(row, student, history, Lang::kEn);
  for (const char* word : {"out of school", "Timeline", "(not named)",
                           "state: suspected → confirmed (verification)",
                           "home visit 2026-11-27; by: 林强; guardian: opposed",
                           "closure rejected: 观察期内仍有旷课"}) {
    EXPECT_THAT(en, HasSubstr(word)) << word;
  }
  EXPECT_THAT(en, Not(HasSubstr("时间线")));
}

std::string ToGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string in = utf8, out(utf8.size() * 2 + 16, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left),
            static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

TEST(ReadRosterCsvTest, ChecksEveryRowAndReadsGbkAndUtf8Alike) {
  std::string text =
      "身份证号,姓名,监护人,联系电话\r\n"
      "35052620190214003X,黄志强,黄海,13805951111\r\n"
      "350526201902140039,郑雨欣,郑伟,13805952222\r\n"   // Bad check digit.
      "350526201808200040,陈思思,陈强,12345\r\n"          // Bad phone.
      ",无名,,\r\n"                                        // No ID number.
      "35052620190214003X,黄志强,黄海,13805951111\r\n";  // Repeats line 2.
  absl::StatusOr<RosterFile> gbk = ReadRosterCsv(ToGbk(text));
  ASSERT_TRUE(gbk.ok()) << gbk.status();
  EXPECT_EQ(gbk->encoding, kEncodingGb18030);
  EXPECT_EQ(gbk->data_rows, 5);
  ASSERT_EQ(gbk->entries.size(), 1u);
  EXPECT_EQ(gbk->entries[0].name(), "黄志强");
  EXPECT_EQ(gbk->lines, std::vector<int>({2}));
  ASSERT_EQ(gbk->errors.size(), 4u);
  EXPECT_EQ(gbk->errors[0].line, 3);
  EXPECT_EQ(gbk->errors[1].line, 4);
  EXPECT_EQ(gbk->errors[2].line, 5);
  EXPECT_THAT(gbk->errors[2].message.zh, HasSubstr("身份证号"));
  EXPECT_EQ(gbk->errors[3].line, 6);
  EXPECT_THAT(gbk->errors[3].message.zh, HasSubstr("第 2 行"));
  EXPECT_THAT(gbk->errors[3].message.en, HasSubstr("line 2"));

  absl::StatusOr<RosterFile> utf8 = ReadRosterCsv("\xEF\xBB\xBF" + text);
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(utf8->encoding, kEncodingUtf8Bom);
  // The same roster, whatever its encoding, has the same hash (and so the
  // same request ids).
  EXPECT_EQ(utf8->content_hash, gbk->content_hash);

  absl::StatusOr<RosterFile> english = ReadRosterCsv(
      "id_number,name,guardian_name,guardian_phone\n"
      "35052620190214003X,黄志强,,\n");
  ASSERT_TRUE(english.ok());
  ASSERT_EQ(english->entries.size(), 1u);
  EXPECT_TRUE(english->errors.empty());

  EXPECT_FALSE(ReadRosterCsv("姓名\n黄志强\n").ok());  // No ID column.
}

TEST(AuditWordsTest, EveryEventHasWordsInBothLanguages) {
  // The audit trail names an event by its body's field name; a new kind of
  // event needs its words in AuditActionLabel().
  const google::protobuf::OneofDescriptor* body =
      v1::Event::descriptor()->FindOneofByName("body");
  ASSERT_NE(body, nullptr);
  ASSERT_GT(body->field_count(), 20);
  for (int i = 0; i < body->field_count(); ++i) {
    const std::string& action = body->field(i)->name();
    std::string zh = AuditActionLabel(action, Lang::kZh);
    std::string en = AuditActionLabel(action, Lang::kEn);
    EXPECT_NE(zh, action) << action;
    EXPECT_NE(en, action) << action;
    EXPECT_NE(zh, en) << action;
  }
  EXPECT_EQ(AuditActionLabel("attendance_reported", Lang::kZh), "上报考勤");
  EXPECT_EQ(AuditActionLabel("something_new", Lang::kEn), "something_new");
}

}  // namespace
}  // namespace baoxue::clients
