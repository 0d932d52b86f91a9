// `baoxue township ...`: the commands of township officials and village
// cadres.
#include "absl/strings/str_cat.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/commands.h"

namespace baoxue::clients {
namespace {

int WhoAmI(CliContext& context, const FlagValues& flags) {
  v1::GetTownshipSessionResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::TownshipService>()->GetTownshipSession(
          call.get(), v1::GetTownshipSessionRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderFields(
      AccountFields(response.account(), context.lang()));
  return kExitOk;
}

int ListStudents(CliContext& context, const FlagValues& flags) {
  bool all = flags.GetBool("all");
  v1::ListTownshipStudentsRequest request;
  request.set_page_size(static_cast<int32_t>(flags.GetInt("page_size")));
  request.set_page_token(flags.Get("page_token"));
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::TownshipService>();
  v1::ListTownshipStudentsResponse listing;
  while (true) {
    v1::ListTownshipStudentsResponse page;
    auto call = context.NewCall();
    grpc::Status status =
        stub->ListTownshipStudents(call.get(), request, &page);
    if (!status.ok()) return context.Fail(status);
    for (v1::Student& s : *page.mutable_students()) {
      *listing.add_students() = std::move(s);
    }
    listing.set_next_page_token(page.next_page_token());
    if (!all || page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (all) listing.clear_next_page_token();
  if (context.json()) return context.PrintJson(listing);
  context.out() << StudentTable(
                       listing.students(),
                       context.lang(), /*with_school=*/true)
                << context.T(absl::StrCat("共 ", listing.students_size(),
                                          " 名儿童"),
                             absl::StrCat(listing.students_size(),
                                          " children"))
                << "\n";
  if (!listing.next_page_token().empty()) {
    context.Note({absl::StrCat("还有更多：加 --all 显示全部，或用 "
                               "--page_token ",
                               listing.next_page_token(), " 继续"),
                  absl::StrCat("more follow: add --all to list them all, or "
                               "continue with --page_token ",
                               listing.next_page_token())});
  }
  return kExitOk;
}

int TownshipReporting(CliContext& context, const FlagValues& flags) {
  v1::GetTownshipReportingStatusRequest request;
  if (!ReadRangeFlags(context, flags, request.mutable_start_date(),
                      request.mutable_end_date())) {
    return kExitUsage;
  }
  request.set_min_sequence(context.options().min_sequence);
  v1::GetTownshipReportingStatusResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::TownshipService>()->GetTownshipReportingStatus(
          call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderSchoolsReporting(
      response.schools(), context.lang());
  return kExitOk;
}

}  // namespace

void RegisterTownshipCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "township",
      .summary = {"乡镇：本乡镇儿童的核查、家访与劝返",
                  "township: verification, home visits and persuasion for "
                  "its children"},
      .examples = {"baoxue --token_file ~/xz-town.token township whoami"},
  });
  registry->AddCommand({
      .path = "township whoami",
      .summary = {"显示当前账号及其乡镇", "show the calling account and its "
                                         "township"},
      .examples = {"baoxue --token_file ~/xz-town.token township whoami"},
      .run = WhoAmI,
  });
  registry->AddGroup({
      .path = "township students",
      .summary = {"户籍在本乡镇的儿童", "the children whose household is in "
                                       "the township"},
      .examples = {"baoxue township students list --all"},
  });
  registry->AddCommand({
      .path = "township students list",
      .summary = {"列出户籍在本乡镇的儿童（身份证号部分隐藏）",
                  "list the children whose household is in the township (ID "
                  "numbers masked)"},
      .examples = {"baoxue township students list",
                   "baoxue township students list --all --json"},
      .flags =
          {
              {.name = "page_size",
               .kind = FlagKind::kInt,
               .value_name = "N",
               .help = {"每页条数，1–1000，默认 100",
                        "children per page, 1-1000, default 100"}},
              {.name = "page_token",
               .value_name = "TOKEN",
               .help = {"从上一页末尾继续", "continue after a previous page"}},
              {.name = "all",
               .kind = FlagKind::kBool,
               .help = {"逐页取回全部", "fetch every page"}},
          },
      .run = ListStudents,
  });
  registry->AddCommand({
      .path = "township reporting",
      .summary = {"本乡镇各校每日考勤上报情况",
                  "which school days each school of the township reported"},
      .examples = {"baoxue township reporting --from 2026-11-02 --to today",
                   "baoxue township reporting --from 2026-11-02 --to "
                   "2026-11-27 --json"},
      .flags = RangeFlags(),
      .run = TownshipReporting,
  });
}

}  // namespace baoxue::clients
