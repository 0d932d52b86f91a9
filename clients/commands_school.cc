// `baoxue school ...`: the commands of a school's clerk, class teachers and
// principal.
#include "baoxue/v1/school.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/commands.h"

namespace baoxue::clients {
namespace {

int WhoAmI(CliContext& context, const FlagValues& flags) {
  v1::GetSchoolSessionResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->GetSchoolSession(
      call.get(), v1::GetSchoolSessionRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderFields(
      AccountFields(response.account(), context.lang()));
  return kExitOk;
}

}  // namespace

void RegisterSchoolCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "school",
      .summary = {"学校：本校的学生、每日考勤和案件",
                  "school: its students, daily attendance and cases"},
      .examples = {"baoxue --token_file ~/xz-school-01.token school whoami"},
  });
  registry->AddCommand({
      .path = "school whoami",
      .summary = {"显示当前账号及其学校", "show the calling account and its "
                                         "school"},
      .examples = {"baoxue --token_file ~/xz-school-01.token school whoami"},
      .run = WhoAmI,
  });
}

}  // namespace baoxue::clients
