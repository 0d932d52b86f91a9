// CliContext is what a command handler works with: the resolved options,
// the output streams, the channel to the server and the per-call context,
// and the shared ways to print a result or report a failure.
//
// A typical handler:
//
//   v1::GetSystemStatusResponse response;
//   auto call = context.NewCall();
//   grpc::Status status = context.Stub<v1::BureauService>()->GetSystemStatus(
//       call.get(), v1::GetSystemStatusRequest(), &response);
//   if (!status.ok()) return context.Fail(status);
//   if (context.json()) return context.PrintJson(response);
//   context.out() << RenderFields({...});
//   return kExitOk;
#ifndef BAOXUE_CLIENTS_CLI_CONTEXT_H_
#define BAOXUE_CLIENTS_CLI_CONTEXT_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "clients/cli_options.h"
#include "clients/cli_text.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

namespace baoxue::clients {

// Not thread-safe: one per command run.
class CliContext {
 public:
  CliContext(CliOptions options, std::ostream& out, std::ostream& err)
      : options_(std::move(options)), out_(out), err_(err) {}

  const CliOptions& options() const { return options_; }
  Lang lang() const { return options_.lang; }
  bool json() const { return options_.json; }

  // The text in the chosen language.
  const std::string& T(const Text& text) const { return text.In(lang()); }
  std::string T(absl::string_view zh, absl::string_view en) const {
    return std::string(lang() == Lang::kEn ? en : zh);
  }

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // The channel to --server, plaintext or TLS as configured; made on first
  // use and shared by every call of the command.
  std::shared_ptr<grpc::Channel> channel();

  // A stub of `Service` (e.g. v1::BureauService) on channel().
  template <typename Service>
  std::unique_ptr<typename Service::Stub> Stub() {
    return Service::NewStub(channel());
  }

  // A context for one call: the deadline (--timeout), `authorization:
  // Bearer <token>` (when a token is configured) and `accept-language`.
  std::unique_ptr<grpc::ClientContext> NewCall() const;

  // Prints `message` to out() as one JSON document; returns kExitOk.
  int PrintJson(const google::protobuf::Message& message);

  // Reports a failed call on err() as "错误：<server message>" (or
  // "error: ..."), with a hint where one helps, and returns its exit code.
  int Fail(const grpc::Status& status);

  // Reports a problem found before any call (bad flag value, unreadable
  // file) and returns kExitUsage.
  int UsageError(const Text& message);

  // Writes one line to err() in the chosen language.
  void Note(const Text& message);

 private:
  CliOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::shared_ptr<grpc::Channel> channel_;
};

// "错误：" or "error: " followed by `message`, as every error line starts.
std::string ErrorLine(Lang lang, absl::string_view message);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_CONTEXT_H_
