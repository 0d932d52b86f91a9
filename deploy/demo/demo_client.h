// DemoClient is the demo driver's connection to baoxue-server: one
// plaintext channel to a loopback address, the three service stubs, and a
// Call() that adds the caller's bearer token, the language and a deadline,
// and retries a call the server could not take (UNAVAILABLE) — safe
// because every write the driver makes carries a request id.
//
// Thread-safe (gRPC stubs are).
#ifndef BAOXUE_DEPLOY_DEMO_DEMO_CLIENT_H_
#define BAOXUE_DEPLOY_DEMO_DEMO_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace baoxue::demo {

class DemoClient {
 public:
  // `lang` is "zh" or "en": the language of the server's messages.
  DemoClient(const std::string& address, std::string lang);

  v1::BureauService::Stub* bureau() { return bureau_.get(); }
  v1::SchoolService::Stub* school() { return school_.get(); }
  v1::TownshipService::Stub* township() { return township_.get(); }

  // One unary call as the holder of `token`.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(Stub* stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const std::string& token, const Request& request,
                    Response* response) {
    grpc::Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      grpc::ClientContext context;
      Prepare(&context, token);
      status = (stub->*method)(&context, request, response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
    }
    return status;
  }

  // Sets the token, accept-language and a deadline on `context`.
  void Prepare(grpc::ClientContext* context, const std::string& token) const;

 private:
  std::string lang_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BureauService::Stub> bureau_;
  std::unique_ptr<v1::SchoolService::Stub> school_;
  std::unique_ptr<v1::TownshipService::Stub> township_;
};

// A failed call as an absl::Status with the same code, its message led by
// `what` (e.g. "导入 s100-primary 的学生").
absl::Status FromGrpc(const grpc::Status& status, const std::string& what);

}  // namespace baoxue::demo

#endif  // BAOXUE_DEPLOY_DEMO_DEMO_CLIENT_H_
