#include "services/rpc.h"

#include <chrono>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace baoxue::services {
namespace {

// How long a read waits for the worker when the caller set no deadline.
constexpr absl::Duration kDefaultReadWait = absl::Seconds(30);

std::string Fingerprint(const google::protobuf::Message& request) {
  std::string bytes = request.GetTypeName();
  bytes.push_back('\0');
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  return Sha256Hex(bytes);
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      MessageIn(status, lang));
}

QueryPool::QueryPool(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      while (true) {
        std::function<void()> task;
        {
          absl::MutexLock lock(&mu_);
          auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
            return !tasks_.empty() || stopping_;
          };
          mu_.Await(absl::Condition(&ready));
          if (tasks_.empty()) return;
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        task();
      }
    });
  }
}

QueryPool::~QueryPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

void QueryPool::Schedule(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  tasks_.push_back(std::move(task));
}

absl::Status ValidateRequestId(const std::string& request_id) {
  if (request_id.size() > 128) {
    return InvalidArgumentError("request_id：长度不能超过 128 个字符",
                                "request_id: at most 128 characters");
  }
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return InvalidArgumentError(
          "request_id：只能包含可打印的 ASCII 字符（不含空格）",
          "request_id: only printable ASCII characters, no spaces");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Caller> RpcRunner::Admit(const grpc::ServerContextBase& context,
                                        Access access) const {
  absl::StatusOr<Caller> caller = auth_->Authenticate(context);
  if (!caller.ok()) return caller.status();
  absl::Status allowed = Authorize(*caller, access);
  if (!allowed.ok()) return allowed;
  return caller;
}

grpc::ServerUnaryReactor* RpcRunner::Write(
    grpc::CallbackServerContext* context, Access access,
    const google::protobuf::Message& request, const std::string& request_id,
    Prepare prepare, Respond respond, Precheck precheck) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = Admit(*context, access);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status(), LangOf(*context)));
    return reactor;
  }
  absl::Status early = ValidateRequestId(request_id);
  if (early.ok() && precheck) early = precheck(*caller);
  if (!early.ok()) {
    reactor->Finish(ToGrpcStatus(early, caller->lang));
    return reactor;
  }
  storage::Command command;
  command.account_id = caller->account.account_id();
  command.request_id = request_id;
  command.fingerprint = Fingerprint(request);
  command.prepare = [caller = *caller, prepare = std::move(prepare)](
                        const storage::ModelTxn& model, v1::Event* event) {
    return prepare(caller, model, event);
  };
  command.done = [reactor, caller = *caller, respond = std::move(respond)](
                     const storage::CommandResult& result) {
    if (result.status.ok()) respond(caller, result);
    reactor->Finish(ToGrpcStatus(result.status, caller.lang));
  };
  sequencer_->Submit(std::move(command));
  return reactor;
}

grpc::ServerUnaryReactor* RpcRunner::Read(grpc::CallbackServerContext* context,
                                          Access access, uint64_t min_sequence,
                                          Query query) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = Admit(*context, access);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status(), LangOf(*context)));
    return reactor;
  }
  absl::Time deadline = absl::Now() + kDefaultReadWait;
  auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    deadline = std::min(deadline, absl::FromChrono(call_deadline));
  }
  pool_->Schedule([this, reactor, caller = *caller, min_sequence, deadline,
                   query = std::move(query)] {
    if (min_sequence > 0 && !applied_->WaitForApplied(min_sequence, deadline)) {
      reactor->Finish(ToGrpcStatus(
          LocalizedError(
              absl::StatusCode::kDeadlineExceeded,
              absl::StrCat("min_sequence：等待后台处理到第 ", min_sequence,
                           " 条事件时超时，或日志中还没有这条事件"),
              absl::StrCat("min_sequence: timed out waiting for the worker to "
                           "apply event ",
                           min_sequence, ", or the log has no such event yet")),
          caller.lang));
      return;
    }
    absl::Status status;
    {
      std::optional<storage::Database::Access> access;
      if (database_ != nullptr) access.emplace(database_);
      status = query(caller);
    }
    reactor->Finish(ToGrpcStatus(status, caller.lang));
  });
  return reactor;
}

}  // namespace baoxue::services
