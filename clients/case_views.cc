#include "clients/case_views.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli_output.h"
#include "clients/cli_values.h"
#include "clients/labels.h"
#include "clients/table.h"

namespace baoxue::clients {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string T(Lang lang, absl::string_view zh, absl::string_view en) {
  return std::string(lang == Lang::kEn ? en : zh);
}

// The county day of a timestamp: "2026-11-24".
std::string DayOf(const google::protobuf::Timestamp& time) {
  std::string formatted = FormatTimestamp(time);
  return formatted.substr(0, 10);
}

// A timestamp without seconds: "2026-11-24 18:05".
std::string Minute(const google::protobuf::Timestamp& time) {
  std::string formatted = FormatTimestamp(time);
  return formatted.size() >= 16 ? formatted.substr(0, 16) : formatted;
}

std::string YesOrEmpty(bool yes, Lang lang) {
  return yes ? T(lang, "是", "yes") : "";
}

std::string LastActionCell(const v1::Case& c, Lang lang) {
  std::string cell = c.last_action() == v1::ACTION_KIND_UNSPECIFIED
                         ? ""
                         : LabelOf(c.last_action(), lang);
  if (c.suggested_action() != v1::ACTION_KIND_UNSPECIFIED) {
    absl::StrAppend(&cell, cell.empty() ? "" : " ",
                    T(lang, "（建议：", "(next: "),
                    LabelOf(c.suggested_action(), lang),
                    T(lang, "）", ")"));
  }
  return cell;
}

std::string Groups(const v1::Student& s, Lang lang) {
  std::vector<std::string> groups;
  for (int g : s.priority_groups()) {
    groups.push_back(LabelOf(static_cast<v1::PriorityGroup>(g), lang));
  }
  return absl::StrJoin(groups, lang == Lang::kEn ? ", " : "、");
}

std::string Sep(Lang lang) { return lang == Lang::kEn ? "; " : "；"; }
std::string Colon(Lang lang) { return lang == Lang::kEn ? ": " : "："; }

}  // namespace

std::string CaseTable(
    const google::protobuf::RepeatedPtrField<v1::CaseRow>& rows, Lang lang,
    CaseAudience audience) {
  bool en = lang == Lang::kEn;
  std::vector<std::string> header = {en ? "Case" : "案件号",
                                     en ? "Name" : "姓名"};
  switch (audience) {
    case CaseAudience::kTownship:
      header.push_back(en ? "School" : "学校");
      header.push_back(en ? "Village" : "村");
      break;
    case CaseAudience::kSchool:
      header.push_back(en ? "Student number" : "学籍号");
      header.push_back(en ? "Grade" : "年级");
      header.push_back(en ? "Class" : "班级");
      break;
    case CaseAudience::kBureau:
      header.push_back(en ? "Township" : "乡镇");
      header.push_back(en ? "School" : "学校");
      break;
  }
  for (const char* h : {en ? "Kind" : "类型", en ? "State" : "状态",
                        en ? "Priority" : "优先级", en ? "Overdue" : "逾期"}) {
    header.push_back(h);
  }
  if (audience == CaseAudience::kBureau) {
    header.push_back(en ? "Level" : "责任层级");
  }
  header.push_back(en ? "Opened" : "立案日期");
  header.push_back(en ? "Last action" : "最近措施");
  TextTable table(header);
  table.SetMaxWidth(1, 16);
  for (const v1::CaseRow& row : rows) {
    const v1::Case& c = row.case_();
    std::vector<std::string> cells = {c.case_id(), c.student_name()};
    switch (audience) {
      case CaseAudience::kTownship:
        cells.push_back(c.school_id());
        cells.push_back(c.household_village_code());
        break;
      case CaseAudience::kSchool:
        cells.push_back(MaskStudentNumber(row.student_number()));
        cells.push_back(row.grade() > 0 ? absl::StrCat(row.grade()) : "");
        cells.push_back(row.class_name());
        break;
      case CaseAudience::kBureau:
        cells.push_back(c.household_township_code());
        cells.push_back(c.school_id());
        break;
    }
    cells.push_back(LabelOf(c.kind(), lang));
    cells.push_back(LabelOf(c.state(), lang));
    cells.push_back(LabelOf(c.priority(), lang));
    cells.push_back(YesOrEmpty(c.overdue(), lang));
    if (audience == CaseAudience::kBureau) {
      cells.push_back(LabelOf(c.escalation_level(), lang));
    }
    cells.push_back(DayOf(c.open_time()));
    cells.push_back(LastActionCell(c, lang));
    table.AddRow(std::move(cells));
  }
  return absl::StrCat(table.Render(),
                      en ? absl::StrCat(rows.size(), " cases\n")
                         : absl::StrCat("共 ", rows.size(), " 件\n"));
}

std::string EvidenceText(const v1::RuleEvidence& evidence, Lang lang) {
  bool en = lang == Lang::kEn;
  std::vector<std::string> dates;
  for (int i = 0; i < evidence.dates_size(); ++i) {
    if (i == 6) {
      dates.push_back("…");
      break;
    }
    dates.push_back(FormatDate(evidence.dates(i)));
  }
  std::string out = LabelOf(evidence.rule(), lang);
  std::string detail;
  if (evidence.count() > 0) {
    detail = en ? absl::StrCat(evidence.count(), " days")
                : absl::StrCat(evidence.count(), " 天");
  }
  if (!dates.empty()) {
    absl::StrAppend(&detail, detail.empty() ? "" : Colon(lang),
                    absl::StrJoin(dates, en ? ", " : "、"));
  }
  if (evidence.threshold() > 0) {
    absl::StrAppend(&detail, en ? absl::StrCat("; threshold ",
                                               evidence.threshold())
                                : absl::StrCat("；阈值 ", evidence.threshold()));
  }
  if (evidence.whereabouts_unknown()) {
    absl::StrAppend(&detail, en ? "; whereabouts unknown" : "；含去向不明");
  }
  if (!detail.empty()) {
    absl::StrAppend(&out, en ? " (" : "（", detail, en ? ")" : "）");
  }
  return out;
}

std::string ActionText(const v1::CaseAction& a, Lang lang) {
  bool en = lang == Lang::kEn;
  std::vector<std::string> parts;
  parts.push_back(absl::StrCat(LabelOf(a.kind(), lang), " ",
                               FormatDate(a.action_date())));
  auto add = [&](absl::string_view zh, absl::string_view label_en,
                 const std::string& value) {
    if (value.empty()) return;
    parts.push_back(absl::StrCat(en ? label_en : zh, Colon(lang), value));
  };
  add("人员", "by", a.actors());
  add("见到", "met", a.met());
  if (a.attitude() != v1::GUARDIAN_ATTITUDE_UNSPECIFIED) {
    add("监护人态度", "guardian", LabelOf(a.attitude(), lang));
  }
  add("结果", "outcome", a.outcome());
  add("备注", "notes", a.notes());
  add("下一步", "next step", FormatDate(a.next_step_date()));
  add("返校期限", "return by", FormatDate(a.notice_deadline()));
  return absl::StrJoin(parts, Sep(lang));
}

std::string HistoryText(const v1::CaseHistoryEntry& e, Lang lang) {
  bool en = lang == Lang::kEn;
  std::string out;
  switch (e.kind()) {
    case v1::CASE_HISTORY_KIND_OPENED:
      out = absl::StrCat(en ? "opened: " : "立案：",
                         EvidenceText(e.evidence(), lang));
      break;
    case v1::CASE_HISTORY_KIND_EVIDENCE_ADDED:
      out = absl::StrCat(en ? "new trigger: " : "新的触发：",
                         EvidenceText(e.evidence(), lang));
      break;
    case v1::CASE_HISTORY_KIND_STATE_CHANGED:
      out = absl::StrCat(en ? "state: " : "状态：",
                         LabelOf(e.from_state(), lang), " → ",
                         LabelOf(e.to_state(), lang));
      if (!e.note_code().empty()) {
        absl::StrAppend(&out, en ? " (" : "（", NoteCodeLabel(e.note_code(), lang),
                        en ? ")" : "）");
      }
      break;
    case v1::CASE_HISTORY_KIND_ACTION:
      out = ActionText(e.action(), lang);
      break;
    case v1::CASE_HISTORY_KIND_DEADLINE_MISSED:
      out = absl::StrCat(en ? "deadline missed: " : "期限已过未完成：",
                         LabelOf(e.deadline(), lang));
      break;
    case v1::CASE_HISTORY_KIND_ESCALATED:
      out = absl::StrCat(en ? "escalated to " : "升级至", LabelOf(e.level(), lang));
      if (e.deadline() != v1::DEADLINE_KIND_UNSPECIFIED) {
        absl::StrAppend(&out, en ? " (missed: " : "（逾期：",
                        LabelOf(e.deadline(), lang), en ? ")" : "）");
      }
      break;
    case v1::CASE_HISTORY_KIND_NOTE:
      out = e.note_code().empty() ? T(lang, "备注", "note")
                                  : NoteCodeLabel(e.note_code(), lang);
      break;
    case v1::CASE_HISTORY_KIND_RESPONSIBLE:
      out = T(lang, "指定包保责任人", "responsible people named");
      break;
    default:
      out = T(lang, "其他", "other");
      break;
  }
  if (!e.text().empty()) absl::StrAppend(&out, Colon(lang), e.text());
  return out;
}

std::string CaseDetail(
    const v1::CaseRow& row, const v1::Student& s,
    const google::protobuf::RepeatedPtrField<v1::CaseHistoryEntry>& history,
    Lang lang) {
  bool en = lang == Lang::kEn;
  const v1::Case& c = row.case_();
  Fields fields = {
      {en ? "Case" : "案件号", c.case_id()},
      {en ? "State" : "状态", LabelOf(c.state(), lang)},
      {en ? "Kind" : "类型", LabelOf(c.kind(), lang)},
      {en ? "Priority" : "优先级", LabelOf(c.priority(), lang)},
      {en ? "Overdue" : "逾期", c.overdue() ? T(lang, "是", "yes")
                                             : T(lang, "否", "no")},
      {en ? "Answerable" : "责任层级", LabelOf(c.escalation_level(), lang)},
      {en ? "Opened" : "立案时间", FormatTimestamp(c.open_time())},
  };
  if (c.verification_outcome() != v1::VERIFICATION_OUTCOME_UNSPECIFIED) {
    fields.emplace_back(en ? "Verification" : "核查结果",
                        LabelOf(c.verification_outcome(), lang));
  }
  if (c.dropout_reason() != v1::DROPOUT_REASON_UNSPECIFIED) {
    fields.emplace_back(en ? "Dropout reason" : "辍学原因",
                        LabelOf(c.dropout_reason(), lang));
  }
  if (c.has_first_contact_time()) {
    fields.emplace_back(en ? "First contact" : "首次联系",
                        FormatTimestamp(c.first_contact_time()));
  }
  std::string actions = en ? absl::StrCat(c.action_count())
                           : absl::StrCat(c.action_count(), " 次");
  if (c.action_count() > 0 || c.suggested_action() != v1::ACTION_KIND_UNSPECIFIED) {
    absl::StrAppend(&actions, en ? ", last: " : "，最近：",
                    LastActionCell(c, lang));
  }
  fields.emplace_back(en ? "Actions" : "劝返措施", actions);
  if (c.has_return_date()) {
    fields.emplace_back(en ? "Returned on" : "复学日期",
                        FormatDate(c.return_date()));
  }
  if (c.relapse_count() > 0) {
    fields.emplace_back(en ? "Relapses" : "复辍次数",
                        absl::StrCat(c.relapse_count()));
  }
  if (c.has_close_time()) {
    fields.emplace_back(en ? "Closed" : "结案时间",
                        FormatTimestamp(c.close_time()));
  }
  std::string out = RenderFields(fields);

  // The child.
  std::vector<std::string> guardians;
  for (const v1::Guardian& g : s.guardians()) {
    guardians.push_back(FormatGuardian(g, lang));
  }
  const v1::Enrolment& e = s.enrolment();
  Fields child = {
      {en ? "Name" : "姓名", s.name().empty() ? c.student_name() : s.name()},
      {en ? "Student number" : "学籍号", s.student_number()},
      {en ? "ID number" : "身份证号", s.id_number()},
      {en ? "Sex" : "性别", LabelOf(s.sex(), lang)},
      {en ? "Birth date" : "出生日期", FormatDate(s.birth_date())},
      {en ? "School" : "学校", e.school_id().empty() ? c.school_id()
                                                   : e.school_id()},
      {en ? "Grade / class" : "年级 / 班级",
       e.grade() > 0 ? absl::StrCat(e.grade(), " / ", e.class_name()) : ""},
      {en ? "Enrolment" : "学籍状态", LabelOf(e.status(), lang)},
      {en ? "Household" : "户籍", absl::StrCat(s.household_township_code(), " ",
                                             s.household_village_code())},
      {en ? "Guardians" : "监护人", absl::StrJoin(guardians, Sep(lang))},
      {en ? "Priority groups" : "重点群体", Groups(s, lang)},
  };
  absl::StrAppend(&out, en ? "\nChild\n" : "\n儿童\n", RenderFields(child));

  const v1::ResponsiblePeople& r = c.responsible();
  Fields people = {
      {en ? "Township official" : "乡镇责任人", r.township_official()},
      {en ? "Class teacher" : "班主任", r.class_teacher()},
      {en ? "Village cadre" : "村干部", r.village_cadre()},
      {en ? "Bureau lead" : "包片领导", r.bureau_lead()},
  };
  for (auto& [label, value] : people) {
    if (value.empty()) value = T(lang, "（未指定）", "(not named)");
  }
  absl::StrAppend(&out, en ? "\nResponsible people\n" : "\n包保责任人\n",
                  RenderFields(people));

  if (c.deadlines_size() > 0) {
    TextTable deadlines(en ? std::vector<std::string>{"Deadline", "Due",
                                                      "Status", "Settled"}
                           : std::vector<std::string>{"期限", "到期时间",
                                                      "状态", "办结时间"});
    for (const v1::Deadline& d : c.deadlines()) {
      deadlines.AddRow({LabelOf(d.kind(), lang), Minute(d.due_time()),
                        DeadlineStatusLabel(d.status(), lang),
                        Minute(d.settle_time())});
    }
    absl::StrAppend(&out, en ? "\nDeadlines\n" : "\n期限\n", deadlines.Render());
  }

  TextTable timeline(en ? std::vector<std::string>{"Time", "By", "What"}
                        : std::vector<std::string>{"时间", "操作人", "事件"});
  for (const v1::CaseHistoryEntry& entry : history) {
    timeline.AddRow({Minute(entry.time()),
                     entry.account_id().empty() ? T(lang, "系统", "system")
                                                : entry.account_id(),
                     HistoryText(entry, lang)});
  }
  absl::StrAppend(&out, en ? "\nTimeline\n" : "\n时间线\n", timeline.Render());
  return out;
}

}  // namespace baoxue::clients
