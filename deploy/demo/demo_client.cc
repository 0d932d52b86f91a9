#include "deploy/demo/demo_client.h"

#include "absl/strings/str_cat.h"

namespace baoxue::demo {

DemoClient::DemoClient(const std::string& address, std::string lang)
    : lang_(std::move(lang)) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  channel_ = grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), args);
  bureau_ = v1::BureauService::NewStub(channel_);
  school_ = v1::SchoolService::NewStub(channel_);
  township_ = v1::TownshipService::NewStub(channel_);
}

void DemoClient::Prepare(grpc::ClientContext* context,
                         const std::string& token) const {
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  context->AddMetadata("accept-language", lang_);
  // Generous: one AdvanceClock over a long break appends hundreds of ticks.
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(120));
}

absl::Status FromGrpc(const grpc::Status& status, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace baoxue::demo
