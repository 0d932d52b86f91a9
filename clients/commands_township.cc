// `baoxue township ...`: the commands of township officials and village
// cadres.
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
}

}  // namespace baoxue::clients
