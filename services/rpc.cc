#include "services/rpc.h"

#include <chrono>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace baoxue::services {
namespace {

// How long a read waits for the worker when the caller set no deadline.
constexpr absl::Duration kDefaultReadWait = absl::Seconds(30);

}  // namespace

std::string RequestFingerprint(const google::protobuf::Message& request) {
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

grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      MessageIn(status, lang));
}

ThreadPool::ThreadPool(int threads) {
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

ThreadPool::~ThreadPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

void ThreadPool::Schedule(std::function<void()> task) {
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
  if (gate_ != nullptr) {
    allowed = gate_->Admit(&context, caller->account.account_id());
    if (!allowed.ok()) return allowed;
  }
  return caller;
}

std::string MaskForLog(absl::string_view text) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto is_token_char = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
  };
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (is_digit(text[i])) {
      size_t end = i;
      while (end < text.size() && is_digit(text[end])) ++end;
      if (end < text.size() && (text[end] == 'X' || text[end] == 'x')) ++end;
      size_t n = end - i;
      if (n >= 15) {
        absl::StrAppend(&out, text.substr(i, 6), std::string(n - 10, '*'),
                        text.substr(end - 4, 4));
      } else {
        absl::StrAppend(&out, text.substr(i, n));
      }
      i = end;
    } else if (text.substr(i, 3) == "bx_" &&
               (i == 0 || !is_token_char(text[i - 1]))) {
      size_t end = i + 3;
      while (end < text.size() && is_token_char(text[end])) ++end;
      absl::StrAppend(&out, "bx_***");
      i = end;
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

absl::Status RpcRunner::CheckRequest(
    const google::protobuf::Message& request) const {
  if (gate_ == nullptr) return absl::OkStatus();
  return CheckStringLengths(request, gate_->limits().max_string_bytes);
}

namespace {

class RpcInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, CallGate* gate,
                 const RpcInterceptorFactory::DebugLog* debug_log)
      : call_(info->server_context()),
        method_(info->method()),
        gate_(gate),
        debug_log_(debug_log),
        start_(absl::Now()) {}

  ~RpcInterceptor() override { gate_->OnCallEnd(call_); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      void* message = methods->GetRecvMessage();
      // Only our own methods are known to carry protobuf messages (the
      // health and reflection services may not).
      if (message != nullptr && absl::StartsWith(method_, "/baoxue.")) {
        gate_->OnRequest(call_,
                         *static_cast<const google::protobuf::Message*>(message));
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      if (*debug_log_) {
        grpc::Status status = methods->GetSendStatus();
        std::string account = gate_->AccountOf(call_);
        (*debug_log_)(absl::StrCat(
            "debug: rpc ", method_, " account=", account.empty() ? "-" : account,
            " code=", static_cast<int>(status.error_code()), " ",
            absl::ToInt64Milliseconds(absl::Now() - start_), "ms",
            status.ok() ? "" : " message=",
            MaskForLog(status.error_message())));
      }
      // The client is answered: the call no longer counts against the
      // account (the destructor would be later than the client's retry).
      gate_->OnCallEnd(call_);
    }
    methods->Proceed();
  }

 private:
  const void* const call_;
  const std::string method_;
  CallGate* const gate_;
  const RpcInterceptorFactory::DebugLog* const debug_log_;
  const absl::Time start_;
};

}  // namespace

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info, gate_, &debug_log_);
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
  command.fingerprint = RequestFingerprint(request);
  auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    command.deadline = absl::FromChrono(call_deadline);
  }
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
  absl::Time call_end = absl::InfiniteFuture();
  auto call_deadline = context->deadline();
  if (call_deadline != std::chrono::system_clock::time_point::max()) {
    call_end = absl::FromChrono(call_deadline);
    deadline = std::min(deadline, call_end);
  }
  pool_->Schedule([this, reactor, caller = *caller, min_sequence, deadline,
                   call_end, query = std::move(query)] {
    // A query queued past its caller's deadline is not run: nobody waits
    // for its answer.
    if (absl::Now() > call_end) {
      reactor->Finish(ToGrpcStatus(
          LocalizedError(absl::StatusCode::kDeadlineExceeded,
                         "请求在排队时已超过调用方的截止时间，未执行",
                         "the call's deadline passed while the request was "
                         "queued; it was not run"),
          caller.lang));
      return;
    }
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
