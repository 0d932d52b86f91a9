#include "services/bureau_service.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/accounts.h"
#include "services/auth.h"
#include "services/paging.h"
#include "services/write_model.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {

grpc::ServerUnaryReactor* BureauServiceImpl::CreateAccount(
    grpc::CallbackServerContext* context,
    const v1::CreateAccountRequest* request,
    v1::CreateAccountResponse* response) {
  // The token is made here and only its hash enters the command, so the
  // log never holds a usable credential.
  std::string token = NewToken();
  std::string hash = Sha256Hex(token);
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request, hash](const Caller&, const storage::ModelTxn& model,
                      v1::Event* event) {
        return PrepareCreateAccount(model, request->account(), hash, event);
      },
      [response, token](const Caller&, const storage::CommandResult& result) {
        v1::Account account = result.event->account_created().account();
        *account.mutable_create_time() = result.event->record_time();
        account.set_created_by(result.event->account_id());
        *response->mutable_account() = account;
        response->set_sequence(result.event->sequence());
        if (!result.replayed) response->set_token(token);
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListAccounts(
    grpc::CallbackServerContext* context,
    const v1::ListAccountsRequest* request,
    v1::ListAccountsResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
        ASSIGN_OR_RETURN(std::string after,
                         DecodePageToken(request->page_token()));
        storage::ModelTxn mirror(database_, database_->projection(),
                                 MirrorPrefix());
        // after + '\0' is the smallest key greater than `after`.
        std::string start = after.empty() ? "" : after + '\0';
        std::string last;
        absl::Status parse;
        RETURN_IF_ERROR(mirror.Scan(
            AccountKeyPrefix(),
            [&](absl::string_view key, absl::string_view value) {
              if (response->accounts_size() == page_size) {
                response->set_next_page_token(EncodePageToken(last));
                return false;
              }
              if (!response->add_accounts()->ParseFromArray(
                      value.data(), static_cast<int>(value.size()))) {
                parse = absl::DataLossError("an account record cannot be read");
                return false;
              }
              last = std::string(key);
              return true;
            },
            start));
        return parse;
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::RevokeAccount(
    grpc::CallbackServerContext* context,
    const v1::RevokeAccountRequest* request,
    v1::RevokeAccountResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model,
                v1::Event* event) {
        return PrepareRevokeAccount(model, request->account_id(),
                                    request->reason(), event);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        response->set_sequence(result.event->sequence());
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetSystemStatus(
    grpc::CallbackServerContext* context,
    const v1::GetSystemStatusRequest* request,
    v1::GetSystemStatusResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, 0,
      [this, response](const Caller&) -> absl::Status {
        uint64_t last = log_->LastSequence();
        uint64_t applied = worker_->applied_sequence();
        response->set_version(BAOXUE_VERSION);
        response->set_last_sequence(last);
        response->set_worker_applied_sequence(applied);
        response->set_worker_lag_events(last > applied ? last - applied : 0);
        if (last > applied) {
          std::vector<v1::Event> oldest;
          RETURN_IF_ERROR(log_->Read(applied + 1, 1, &oldest));
          if (!oldest.empty()) {
            absl::Time recorded = absl::FromUnixNanos(
                google::protobuf::util::TimeUtil::TimestampToNanoseconds(
                    oldest[0].record_time()));
            response->set_worker_lag_millis(
                std::max<int64_t>(0, absl::ToInt64Milliseconds(
                                         clock_->Now() - recorded)));
          }
        }
        return absl::OkStatus();
      });
}

}  // namespace baoxue::services
