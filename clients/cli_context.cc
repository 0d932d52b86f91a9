#include "clients/cli_context.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"

namespace baoxue::clients {

std::string ErrorLine(Lang lang, absl::string_view message) {
  return absl::StrCat(lang == Lang::kEn ? "error: " : "错误：", message);
}

std::shared_ptr<grpc::Channel> CliContext::channel() {
  if (channel_ != nullptr) return channel_;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options_.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options_.tls_ca_pem;
    ssl.pem_cert_chain = options_.tls_cert_pem;
    ssl.pem_private_key = options_.tls_key_pem;
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  channel_ = grpc::CreateChannel(options_.server, credentials);
  return channel_;
}

std::unique_ptr<grpc::ClientContext> CliContext::NewCall() const {
  auto call = std::make_unique<grpc::ClientContext>();
  call->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!options_.token.empty()) {
    call->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  call->AddMetadata("accept-language", lang() == Lang::kEn ? "en" : "zh");
  return call;
}

int CliContext::PrintJson(const google::protobuf::Message& message) {
  out_ << ToJson(message);
  out_.flush();
  return kExitOk;
}

int CliContext::Fail(const grpc::Status& status) {
  std::string message = status.error_message();
  if (message.empty()) {
    message = absl::StrCat("gRPC status ", static_cast<int>(status.error_code()));
  }
  err_ << ErrorLine(lang(), message) << "\n";
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      Note({absl::StrCat("提示：无法连接服务器 ", options_.server,
                         "，或服务器暂不可用（可用 --server 或 BAOXUE_SERVER "
                         "指定地址）"),
            absl::StrCat("hint: the server ", options_.server,
                         " cannot be reached or is unavailable (set it with "
                         "--server or BAOXUE_SERVER)")});
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      Note({absl::StrCat("提示：服务器 ", options_.server, " 在 ",
                         absl::ToDoubleSeconds(options_.timeout),
                         " 秒内没有回应（可用 --timeout 调整时限）"),
            absl::StrCat("hint: the server ", options_.server,
                         " did not answer within ",
                         absl::ToDoubleSeconds(options_.timeout),
                         " seconds (see --timeout)")});
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      if (options_.token.empty()) {
        Note({"提示：没有设置访问令牌：请用 --token_file、--token 或环境变量 "
              "BAOXUE_TOKEN 提供",
              "hint: no access token is set: give one with --token_file, "
              "--token or the BAOXUE_TOKEN environment variable"});
      }
      break;
    default:
      break;
  }
  return ExitCodeFor(status.error_code());
}

int CliContext::UsageError(const Text& message) {
  err_ << ErrorLine(lang(), T(message)) << "\n";
  return kExitUsage;
}

void CliContext::Note(const Text& message) { err_ << T(message) << "\n"; }

}  // namespace baoxue::clients
