// How the client shows cases (一人一案) to the three levels: a ledger table
// in urgency order, and one case with its child, responsible people,
// deadlines and whole timeline. Every enum word comes from the shared table
// (services/labels.h via clients/labels.h), so the CLI and the server's
// messages say the same thing.
//
// Pure formatting: no calls, no I/O, so tests/clients checks it directly.
#ifndef BAOXUE_CLIENTS_CASE_VIEWS_H_
#define BAOXUE_CLIENTS_CASE_VIEWS_H_

#include <string>

#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/student.pb.h"
#include "clients/cli_text.h"
#include "google/protobuf/repeated_field.h"

namespace baoxue::clients {

// Who reads a ledger decides its columns:
//   kTownship  案件号 姓名 学校 村 类型 状态 优先级 逾期 立案日期 最近措施
//   kSchool    案件号 姓名 学籍号 (G numbers masked) 年级 班级 类型 状态 优先级 逾期 立案日期
//              最近措施
//   kBureau    案件号 姓名 乡镇 学校 类型 状态 优先级 逾期 责任层级
//              立案日期 最近措施
enum class CaseAudience { kTownship, kSchool, kBureau };

// The rows as an aligned table (in the server's order, most urgent first),
// followed by "共 N 件" / "N cases". 逾期 reads 是 / yes or is empty;
// 最近措施 adds the system's suggestion after a notice lapsed.
std::string CaseTable(const google::protobuf::RepeatedPtrField<v1::CaseRow>& rows,
                      Lang lang, CaseAudience audience);

// One case in full: the case's fields, the child (from `student`, with the
// ID number as the server gave it), the responsible people, the deadlines
// table and the timeline table (time, who, what), oldest first.
std::string CaseDetail(
    const v1::CaseRow& row, const v1::Student& student,
    const google::protobuf::RepeatedPtrField<v1::CaseHistoryEntry>& history,
    Lang lang);

// One timeline entry in words, e.g. "状态：疑似 → 确认辍学（核查）" or
// "家访 2026-11-26；人员：乡镇干部林强；见到：母亲；监护人态度：犹豫；…".
std::string HistoryText(const v1::CaseHistoryEntry& entry, Lang lang);

// A persuasion action in words (the ACTION entries of the timeline).
std::string ActionText(const v1::CaseAction& action, Lang lang);

// What a rule saw: "3 天：2026-11-24、2026-11-25、2026-11-26（阈值 3）".
std::string EvidenceText(const v1::RuleEvidence& evidence, Lang lang);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CASE_VIEWS_H_
