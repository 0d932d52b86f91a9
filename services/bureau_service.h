// BureauService: the county education bureau's RPCs (see bureau.proto).
#ifndef BAOXUE_SERVICES_BUREAU_SERVICE_H_
#define BAOXUE_SERVICES_BUREAU_SERVICE_H_

#include "baoxue/v1/bureau.grpc.pb.h"
#include "services/backup.h"
#include "services/rpc.h"
#include "services/ticker.h"
#include "services/worker.h"
#include "storage/clock.h"
#include "storage/database.h"
#include "storage/event_log.h"

namespace baoxue::services {

// Thread-safe; every pointer must outlive the service.
class BureauServiceImpl final : public v1::BureauService::CallbackService {
 public:
  // `simulated_clock` is the clock AdvanceClock moves (with `ticker`), or
  // null when the server does not run in simulated time. `backups` may be
  // null: then CreateBackup and ListBackups are refused.
  BureauServiceImpl(RpcRunner* rpc, const storage::Database* database,
                    const storage::EventLog* log, Worker* worker,
                    Clock* clock, Ticker* ticker, ManualClock* simulated_clock,
                    BackupManager* backups = nullptr)
      : rpc_(rpc), database_(database), log_(log), worker_(worker),
        clock_(clock), ticker_(ticker), simulated_clock_(simulated_clock),
        backups_(backups) {}

  grpc::ServerUnaryReactor* CreateAccount(
      grpc::CallbackServerContext* context,
      const v1::CreateAccountRequest* request,
      v1::CreateAccountResponse* response) override;
  grpc::ServerUnaryReactor* ListAccounts(
      grpc::CallbackServerContext* context,
      const v1::ListAccountsRequest* request,
      v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeAccount(
      grpc::CallbackServerContext* context,
      const v1::RevokeAccountRequest* request,
      v1::RevokeAccountResponse* response) override;
  grpc::ServerUnaryReactor* GetSystemStatus(
      grpc::CallbackServerContext* context,
      const v1::GetSystemStatusRequest* request,
      v1::GetSystemStatusResponse* response) override;

#define BAOXUE_RPC(Name)                                                  \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* context,   \
                                 const v1::Name##Request* request,       \
                                 v1::Name##Response* response) override;
  BAOXUE_RPC(ConfigureCounty)
  BAOXUE_RPC(GetCounty)
  BAOXUE_RPC(CreateTownship)
  BAOXUE_RPC(RenameTownship)
  BAOXUE_RPC(ListTownships)
  BAOXUE_RPC(CreateVillage)
  BAOXUE_RPC(RenameVillage)
  BAOXUE_RPC(ListVillages)
  BAOXUE_RPC(CreateSchool)
  BAOXUE_RPC(UpdateSchool)
  BAOXUE_RPC(ListSchools)
  BAOXUE_RPC(SetCalendar)
  BAOXUE_RPC(GetCalendar)
  BAOXUE_RPC(GetSettings)
  BAOXUE_RPC(UpdateSettings)
  BAOXUE_RPC(GetCountyReportingStatus)
  BAOXUE_RPC(FindStudent)
  BAOXUE_RPC(RebuildProjections)
  BAOXUE_RPC(ListCountyCases)
  BAOXUE_RPC(GetCountyCase)
  BAOXUE_RPC(DecideClosure)
  BAOXUE_RPC(AssignBureauLead)
  BAOXUE_RPC(GetSummary)
  BAOXUE_RPC(ListReportingAlerts)
  BAOXUE_RPC(GetMonthlyReport)
  BAOXUE_RPC(ListAuditTrail)
  BAOXUE_RPC(AdvanceClock)
  BAOXUE_RPC(CreateBackup)
  BAOXUE_RPC(ListBackups)
#undef BAOXUE_RPC

  grpc::ServerWriteReactor<v1::WatchCasesResponse>* WatchCases(
      grpc::CallbackServerContext* context,
      const v1::WatchCasesRequest* request) override;
  grpc::ServerWriteReactor<v1::ExportLedgerResponse>* ExportLedger(
      grpc::CallbackServerContext* context,
      const v1::ExportLedgerRequest* request) override;

 private:
  RpcRunner* const rpc_;
  const storage::Database* const database_;
  const storage::EventLog* const log_;
  Worker* const worker_;
  Clock* const clock_;
  Ticker* const ticker_;
  ManualClock* const simulated_clock_;
  BackupManager* const backups_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_BUREAU_SERVICE_H_
