// What the case commands of the three groups share: the ledger filters and
// the listing loop, showing one case, and reading a persuasion action from
// flags. The commands themselves are in commands_township.cc,
// commands_school.cc and commands_bureau.cc.
#include "absl/strings/str_cat.h"
#include "clients/case_views.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/cli_values.h"
#include "clients/commands.h"
#include "clients/labels.h"

namespace baoxue::clients {
namespace {

Text WordsHelp(absl::string_view zh, absl::string_view en, LabelSet set) {
  return {absl::StrCat(zh, "：", AcceptedWords(set, Lang::kZh)),
          absl::StrCat(en, ": ", AcceptedWords(set, Lang::kEn))};
}

// Reads flag `name` with `parse`; on a bad word reports a usage error that
// lists the accepted words and returns false.
template <typename Enum>
bool ReadWord(CliContext& context, const FlagValues& flags,
              absl::string_view name, LabelSet set,
              bool (*parse)(absl::string_view, Enum*), Enum* out) {
  if (!flags.Has(name)) return true;
  std::string value = flags.Get(name);
  if (parse(value, out)) return true;
  context.UsageError(
      {absl::StrCat("--", name, " “", value, "”无法识别，可用：",
                    AcceptedWords(set, Lang::kZh)),
       absl::StrCat("--", name, " \"", value, "\" is not known; use ",
                    AcceptedWords(set, Lang::kEn))});
  return false;
}

}  // namespace

FlagSpec CaseIdFlag() {
  return {.name = "case",
          .value_name = "CASE_ID",
          .help = {"案件号，如 350526-2026-00042",
                   "the case id, e.g. 350526-2026-00042"},
          .required = true};
}

std::vector<FlagSpec> CaseListFlags(CaseAudience audience) {
  std::vector<FlagSpec> flags = {
      {.name = "ledger",
       .value_name = "LEDGER",
       .help = WordsHelp("台账（默认在办案件）", "ledger (default: open cases)",
                         LabelSet::kLedger)},
      {.name = "state",
       .value_name = "STATE",
       .help = WordsHelp("只看此状态（优先于 --ledger）",
                         "only this state (overrides --ledger)",
                         LabelSet::kCaseState)},
      {.name = "kind",
       .value_name = "KIND",
       .help = WordsHelp("只看此类型", "only this kind", LabelSet::kCaseKind)},
      {.name = "priority",
       .value_name = "PRIORITY",
       .help = WordsHelp("只看此优先级", "only this priority",
                         LabelSet::kCasePriority)},
      {.name = "overdue",
       .kind = FlagKind::kBool,
       .help = {"只看逾期案件", "only overdue cases"}},
      {.name = "escalated",
       .kind = FlagKind::kBool,
       .help = {"只看已升级至教育局的案件", "only cases escalated to the bureau"}},
  };
  if (audience == CaseAudience::kBureau) {
    flags.push_back({.name = "township",
                     .value_name = "CODE",
                     .help = {"只看此乡镇（9 位代码）",
                              "only this township (9-digit code)"}});
  }
  if (audience != CaseAudience::kSchool) {
    flags.push_back({.name = "school",
                     .value_name = "SCHOOL_ID",
                     .help = {"只看此学校", "only this school"}});
    flags.push_back({.name = "village",
                     .value_name = "CODE",
                     .help = {"只看此村（12 位代码）",
                              "only this village (12-digit code)"}});
  }
  flags.push_back({.name = "opened_from",
                   .value_name = "DATE",
                   .help = {"只看此日及以后立案的", "only cases opened on or "
                                                 "after this day"}});
  flags.push_back({.name = "opened_to",
                   .value_name = "DATE",
                   .help = {"只看此日及以前立案的", "only cases opened on or "
                                                 "before this day"}});
  for (FlagSpec& flag : PagingFlags()) flags.push_back(std::move(flag));
  return flags;
}

bool ReadCaseFilter(CliContext& context, const FlagValues& flags,
                    v1::CaseFilter* filter) {
  v1::Ledger ledger = v1::LEDGER_UNSPECIFIED;
  v1::CaseState state = v1::CASE_STATE_UNSPECIFIED;
  v1::CaseKind kind = v1::CASE_KIND_UNSPECIFIED;
  v1::CasePriority priority = v1::CASE_PRIORITY_UNSPECIFIED;
  if (!ReadWord(context, flags, "ledger", LabelSet::kLedger, ParseLedger,
                &ledger) ||
      !ReadWord(context, flags, "state", LabelSet::kCaseState, ParseCaseState,
                &state) ||
      !ReadWord(context, flags, "kind", LabelSet::kCaseKind, ParseCaseKind,
                &kind) ||
      !ReadWord(context, flags, "priority", LabelSet::kCasePriority,
                ParseCasePriority, &priority)) {
    return false;
  }
  filter->set_ledger(ledger);
  filter->set_state(state);
  filter->set_kind(kind);
  filter->set_priority(priority);
  filter->set_overdue_only(flags.GetBool("overdue"));
  filter->set_escalated_only(flags.GetBool("escalated"));
  filter->set_township_code(flags.Get("township"));
  filter->set_school_id(flags.Get("school"));
  filter->set_village_code(flags.Get("village"));
  if (flags.Has("opened_from") &&
      !ReadDateFlag(context, flags, "opened_from",
                    filter->mutable_opened_from())) {
    return false;
  }
  if (flags.Has("opened_to") &&
      !ReadDateFlag(context, flags, "opened_to", filter->mutable_opened_to())) {
    return false;
  }
  return true;
}

int RunCaseListing(CliContext& context, const FlagValues& flags,
                   CaseAudience audience, const CasePageFetch& fetch) {
  bool all = flags.GetBool("all");
  std::string token = flags.Get("page_token");
  int32_t page_size = static_cast<int32_t>(flags.GetInt("page_size"));
  v1::ListCasesResponse listing;
  while (true) {
    v1::ListCasesResponse page;
    auto call = context.NewCall();
    grpc::Status status = fetch(call.get(), token, page_size, &page);
    if (!status.ok()) return context.Fail(status);
    for (v1::CaseRow& row : *page.mutable_rows()) {
      *listing.add_rows() = std::move(row);
    }
    listing.set_next_page_token(page.next_page_token());
    if (!all || page.next_page_token().empty() ||
        page.next_page_token() == token) {
      break;
    }
    token = page.next_page_token();
  }
  if (all) listing.clear_next_page_token();
  if (context.json()) return context.PrintJson(listing);
  context.out() << CaseTable(listing.rows(), context.lang(), audience);
  if (!listing.next_page_token().empty()) {
    NoteMorePages(context, listing.next_page_token());
  }
  return kExitOk;
}

int PrintCase(CliContext& context, const google::protobuf::Message& response,
              const v1::CaseRow& row, const v1::Student& student,
              const google::protobuf::RepeatedPtrField<v1::CaseHistoryEntry>&
                  history) {
  if (context.json()) return context.PrintJson(response);
  context.out() << CaseDetail(row, student, history, context.lang());
  return kExitOk;
}

std::vector<FlagSpec> ActionFlags(ActionFlagSet set) {
  std::vector<FlagSpec> flags = {CaseIdFlag()};
  if (set == ActionFlagSet::kAnyKind) {
    flags.push_back({.name = "kind",
                     .value_name = "KIND",
                     .help = WordsHelp("措施", "the action", LabelSet::kActionKind),
                     .required = true});
  }
  if (set == ActionFlagSet::kSchoolNote) {
    flags.push_back(
        {.name = "kind",
         .value_name = "KIND",
         .help = WordsHelp("措施（默认 其他，即一条记录）",
                           "the action (default: other, i.e. a note)",
                           LabelSet::kActionKind)});
  }
  flags.push_back(
      {.name = "date",
       .value_name = "DATE",
       .help = set == ActionFlagSet::kVisit
                   ? Text{"家访日期，不能是将来", "the day of the visit; not in "
                                                  "the future"}
                   : Text{"日期，默认今天；不能是将来",
                          "the day; default today, not in the future"},
       .required = set == ActionFlagSet::kVisit});
  flags.push_back({.name = "actors",
                   .value_name = "WHO",
                   .help = {"参与人员，如“乡镇干部林强、班主任王老师”",
                            "who went or acted, e.g. \"林强 (township), 王老师 "
                            "(class teacher)\""},
                   .required = true});
  flags.push_back({.name = "met",
                   .value_name = "WHO",
                   .help = {"见到的人，如“母亲、祖父”", "who was met, e.g. "
                                                       "\"mother, grandfather\""},
                   .required = set == ActionFlagSet::kVisit});
  flags.push_back(
      {.name = "attitude",
       .value_name = "ATTITUDE",
       .help = WordsHelp("监护人态度", "the guardian's attitude",
                         LabelSet::kGuardianAttitude),
       .required = set == ActionFlagSet::kVisit});
  flags.push_back({.name = "outcome",
                   .value_name = "TEXT",
                   .help = {"结果，最多 1000 字", "what came of it, up to 1000 "
                                                 "characters"},
                   .required = set == ActionFlagSet::kVisit});
  flags.push_back({.name = "notes",
                   .value_name = "TEXT",
                   .help = {"备注，最多 2000 字", "notes, up to 2000 characters"}});
  flags.push_back({.name = "next",
                   .value_name = "DATE",
                   .help = {"约定的下一步日期", "the date of the next step, if "
                                               "one was agreed"}});
  if (set != ActionFlagSet::kVisit) {
    flags.push_back({.name = "deadline",
                     .value_name = "DATE",
                     .help = {"限期返校通知书或责令限期改正通知书规定的返校期限"
                              "（这两种必填）",
                              "the return deadline a notice to return or an "
                              "order to correct sets (required for those)"}});
  }
  flags.push_back(RequestIdFlag());
  return flags;
}

bool ReadAction(CliContext& context, const FlagValues& flags,
                v1::ActionKind kind, v1::CaseAction* action) {
  if (flags.Has("kind") &&
      !ReadWord(context, flags, "kind", LabelSet::kActionKind, ParseActionKind,
                &kind)) {
    return false;
  }
  action->set_kind(kind);
  if (flags.Has("date")) {
    if (!ReadDateFlag(context, flags, "date", action->mutable_action_date())) {
      return false;
    }
  } else {
    *action->mutable_action_date() = ToDate(CountyToday());
  }
  action->set_actors(flags.Get("actors"));
  action->set_met(flags.Get("met"));
  v1::GuardianAttitude attitude = v1::GUARDIAN_ATTITUDE_UNSPECIFIED;
  if (!ReadWord(context, flags, "attitude", LabelSet::kGuardianAttitude,
                ParseGuardianAttitude, &attitude)) {
    return false;
  }
  action->set_attitude(attitude);
  action->set_outcome(flags.Get("outcome"));
  action->set_notes(flags.Get("notes"));
  if (!ReadDateFlag(context, flags, "next", action->mutable_next_step_date())) {
    return false;
  }
  if (!flags.Has("next")) action->clear_next_step_date();
  bool written = kind == v1::ACTION_KIND_RETURN_NOTICE ||
                 kind == v1::ACTION_KIND_CORRECTION_ORDER;
  if (written && !flags.Has("deadline")) {
    context.UsageError(
        {absl::StrCat(LabelOf(kind, Lang::kZh), "须用 --deadline 写明返校期限"),
         absl::StrCat("a ", LabelOf(kind, Lang::kEn),
                      " needs its return deadline: --deadline DATE")});
    return false;
  }
  if (flags.Has("deadline") &&
      !ReadDateFlag(context, flags, "deadline",
                    action->mutable_notice_deadline())) {
    return false;
  }
  return true;
}

bool ReadVerification(CliContext& context, const FlagValues& flags,
                      v1::VerificationOutcome* outcome,
                      v1::DropoutReason* reason) {
  return ReadWord(context, flags, "outcome", LabelSet::kVerificationOutcome,
                  ParseVerificationOutcome, outcome) &&
         ReadWord(context, flags, "reason", LabelSet::kDropoutReason,
                  ParseDropoutReason, reason);
}

}  // namespace baoxue::clients
