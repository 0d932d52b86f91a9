// baoxue-demo: fills a running baoxue-server (started with
// --simulated_time) with the demo county and plays several weeks of school
// days. See README.md, "A demo county (演示县)", and deploy/demo.sh.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "deploy/demo/dataset.h"
#include "deploy/demo/demo_client.h"
#include "deploy/demo/driver.h"
#include "services/labels.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7070", "The server, host:port.");
ABSL_FLAG(std::string, token_file, "./demo-data/bureau-admin.token",
          "The bureau administrator's token file.");
ABSL_FLAG(std::string, tokens_dir, "",
          "Where the school and township accounts' tokens are written "
          "(default: demo-tokens next to --token_file).");
ABSL_FLAG(int, students, 30000, "How many students the county has (>= 100).");
ABSL_FLAG(int, weeks, 6, "How many weeks of the autumn term to play (1-20).");
ABSL_FLAG(uint64_t, seed, 350526, "The dataset's seed: same seed, same county.");
ABSL_FLAG(int, observation_days, 5,
          "The observation period after a return, in school days (the "
          "county default is 20; the demo shortens it so that 待销号 and "
          "已销号 show within a few weeks).");
ABSL_FLAG(std::string, lang, "zh", "Language of the messages: zh or en.");

namespace {

using baoxue::Lang;

int ExitCodeOf(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
                 status.code() == absl::StatusCode::kDeadlineExceeded ||
                 status.code() == absl::StatusCode::kInternal ||
                 status.code() == absl::StatusCode::kUnknown
             ? 2
             : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "baoxue-demo: fills a baoxue-server started with --simulated_time with "
      "the demo county (德化县) and plays weeks of school days.\n"
      "Example: baoxue-demo --token_file=./demo-data/bureau-admin.token "
      "--students 30000 --weeks 6");
  absl::ParseCommandLine(argc, argv);
  const Lang lang = absl::GetFlag(FLAGS_lang) == "en" ? Lang::kEn : Lang::kZh;
  auto say = [lang](const std::string& zh, const std::string& en) {
    std::cerr << (lang == Lang::kEn ? en : zh) << std::endl;
  };
  int weeks = absl::GetFlag(FLAGS_weeks);
  if (weeks < 1 || weeks > 20) {
    say("--weeks 须在 1 到 20 之间", "--weeks must be 1 to 20");
    return 1;
  }
  const std::string token_file = absl::GetFlag(FLAGS_token_file);
  std::ifstream in(token_file);
  std::stringstream token_text;
  token_text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(token_text.str()));
  if (token.empty()) {
    say(absl::StrCat("读不到教育局令牌文件 ", token_file),
        absl::StrCat("cannot read the bureau token file ", token_file));
    return 1;
  }

  absl::Time start = absl::Now();
  baoxue::demo::DatasetOptions dataset_options;
  dataset_options.seed = absl::GetFlag(FLAGS_seed);
  dataset_options.students = absl::GetFlag(FLAGS_students);
  dataset_options.active_school_days = 5 * weeks;
  auto data = baoxue::demo::Dataset::Generate(dataset_options);
  if (!data.ok()) {
    say(std::string(data.status().message()), std::string(data.status().message()));
    return 1;
  }
  absl::Duration generate = absl::Now() - start;
  say(absl::StrCat("已生成演示县：", data->schools().size(), " 所学校，",
                   data->students().size(), " 名学生（",
                   absl::FormatDuration(generate), "）"),
      absl::StrCat("generated the demo county: ", data->schools().size(),
                   " schools, ", data->students().size(), " students (",
                   absl::FormatDuration(generate), ")"));

  baoxue::demo::DemoClient client(absl::GetFlag(FLAGS_server),
                                  lang == Lang::kEn ? "en" : "zh");
  baoxue::demo::DriverOptions options;
  options.bureau_token = token;
  options.tokens_dir = absl::GetFlag(FLAGS_tokens_dir);
  if (options.tokens_dir.empty()) {
    options.tokens_dir =
        (std::filesystem::path(token_file).parent_path() / "demo-tokens").string();
  }
  options.weeks = weeks;
  options.observation_school_days = absl::GetFlag(FLAGS_observation_days);
  options.lang = lang;
  options.log = &std::cerr;
  baoxue::demo::DemoDriver driver(&*data, &client, options);
  auto report = driver.Run();
  if (!report.ok()) {
    say(absl::StrCat("演示中止：", report.status().message()),
        absl::StrCat("demo stopped: ", report.status().message()));
    return ExitCodeOf(report.status());
  }

  // The county as the bureau now sees it.
  baoxue::v1::GetSummaryResponse summary;
  grpc::Status s = client.Call(client.bureau(),
                               &baoxue::v1::BureauService::Stub::GetSummary, token,
                               baoxue::v1::GetSummaryRequest(), &summary);
  std::ostringstream text;
  if (s.ok()) {
    for (int state = baoxue::v1::CASE_STATE_SUSPECTED;
         state <= baoxue::v1::CASE_STATE_CLOSED; ++state) {
      int64_t n = state < summary.summary().by_state_size()
                      ? summary.summary().by_state(state)
                      : 0;
      text << "  " << baoxue::Label(baoxue::v1::CaseState(state), lang)
           << ": " << n << "\n";
    }
  }
  absl::Duration total = absl::Now() - start;
  say(absl::StrCat("\n演示县已就绪（共用时 ", absl::FormatDuration(total), "：生成 ",
                   absl::FormatDuration(generate), "，设置与账号 ",
                   absl::FormatDuration(report->setup), "，导入 ",
                   absl::FormatDuration(report->import), "，模拟 ",
                   report->school_days, " 个上课日 ",
                   absl::FormatDuration(report->simulate), "）。\n",
                   "各校上报 ", report->reports_sent, " 份日报，缺报 ",
                   report->reports_missing, " 份；乡镇、学校和教育局共办理 ",
                   report->actions, " 件事。各状态案件数：\n", text.str()),
      absl::StrCat("\nThe demo county is ready (", absl::FormatDuration(total),
                   " in all: generate ", absl::FormatDuration(generate),
                   ", set-up and accounts ", absl::FormatDuration(report->setup),
                   ", import ", absl::FormatDuration(report->import),
                   ", simulate ", report->school_days, " school days ",
                   absl::FormatDuration(report->simulate), ").\n",
                   "Schools sent ", report->reports_sent, " daily reports and missed ",
                   report->reports_missing, "; townships, schools and the bureau "
                   "took ", report->actions, " actions. Cases by state:\n",
                   text.str()));
  return 0;
}
