#include "services/bureau_service.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/accounts.h"
#include "services/attendance.h"
#include "services/case_commands.h"
#include "services/case_reads.h"
#include "services/county_time.h"
#include "services/dates.h"
#include "services/ledger_projector.h"
#include "services/validation.h"
#include "services/registry.h"
#include "services/student_reads.h"
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
        storage::ModelTxn mirror(database_, storage::Family::kProjection,
                                 MirrorPrefix());
        if (!after.empty() && after.rfind(AccountKeyPrefix(), 0) != 0) {
          return FieldError({"page_token", "翻页标记"},
                            "无效，请使用上一页响应中的 next_page_token",
                            "is not valid; pass the previous response's "
                            "next_page_token");
        }
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
        response->set_storage_keys_read(database_->KeysRead());
        if (simulated_clock_ != nullptr) {
          *response->mutable_simulated_time() =
              google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
                  absl::ToUnixNanos(simulated_clock_->Now()));
        }
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

// ---- The county's registry, calendar and settings.

namespace baoxue::services {
namespace {

// Fills a response's `sequence` from the committed event.
template <typename Response>
RpcRunner::Respond SequenceOnly(Response* response) {
  return [response](const Caller&, const storage::CommandResult& result) {
    if (result.event != nullptr) response->set_sequence(result.event->sequence());
  };
}

absl::Status NotFound(absl::string_view zh, absl::string_view en) {
  return NotFoundError(zh, en);
}

}  // namespace

grpc::ServerUnaryReactor* BureauServiceImpl::ConfigureCounty(
    grpc::CallbackServerContext* context,
    const v1::ConfigureCountyRequest* request,
    v1::ConfigureCountyResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareConfigureCounty(model, request->county(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetCounty(
    grpc::CallbackServerContext* context, const v1::GetCountyRequest* request,
    v1::GetCountyResponse* response) {
  return rpc_->Read(context, Access::kBureauRead, request->min_sequence(),
                    [this, response](const Caller&) -> absl::Status {
                      auto mirror = OpenMirror(database_);
                      ASSIGN_OR_RETURN(auto county, FindCounty(*mirror));
                      if (county.has_value()) *response->mutable_county() = *county;
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* BureauServiceImpl::CreateTownship(
    grpc::CallbackServerContext* context,
    const v1::CreateTownshipRequest* request,
    v1::CreateTownshipResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareCreateTownship(model, request->township(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::RenameTownship(
    grpc::CallbackServerContext* context,
    const v1::RenameTownshipRequest* request,
    v1::RenameTownshipResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareRenameTownship(model, request->township_code(),
                                     request->name(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListTownships(
    grpc::CallbackServerContext* context,
    const v1::ListTownshipsRequest* request,
    v1::ListTownshipsResponse* response) {
  return rpc_->Read(context, Access::kBureauRead, request->min_sequence(),
                    [this, response](const Caller&) {
                      auto mirror = OpenMirror(database_);
                      return ForEachRecord<v1::Township>(
                          *mirror, TownshipKeyPrefix(), [&](v1::Township&& t) {
                            *response->add_townships() = std::move(t);
                            return true;
                          });
                    });
}

grpc::ServerUnaryReactor* BureauServiceImpl::CreateVillage(
    grpc::CallbackServerContext* context,
    const v1::CreateVillageRequest* request,
    v1::CreateVillageResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareCreateVillage(model, request->village(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::RenameVillage(
    grpc::CallbackServerContext* context,
    const v1::RenameVillageRequest* request,
    v1::RenameVillageResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareRenameVillage(model, request->village_code(),
                                    request->name(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListVillages(
    grpc::CallbackServerContext* context,
    const v1::ListVillagesRequest* request,
    v1::ListVillagesResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        auto mirror = OpenMirror(database_);
        ASSIGN_OR_RETURN(auto township,
                         FindTownship(*mirror, request->township_code()));
        if (!township.has_value()) {
          return NotFound(
              absl::StrCat("乡镇 ", request->township_code(), " 不存在"),
              absl::StrCat("township ", request->township_code(),
                           " does not exist"));
        }
        return ForEachRecord<v1::Village>(
            *mirror, VillageKeyPrefix(request->township_code()),
            [&](v1::Village&& v) {
              *response->add_villages() = std::move(v);
              return true;
            });
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::CreateSchool(
    grpc::CallbackServerContext* context, const v1::CreateSchoolRequest* request,
    v1::CreateSchoolResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareCreateSchool(model, request->school(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::UpdateSchool(
    grpc::CallbackServerContext* context, const v1::UpdateSchoolRequest* request,
    v1::UpdateSchoolResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareUpdateSchool(model, request->school(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListSchools(
    grpc::CallbackServerContext* context, const v1::ListSchoolsRequest* request,
    v1::ListSchoolsResponse* response) {
  return rpc_->Read(context, Access::kBureauRead, request->min_sequence(),
                    [this, request, response](const Caller&) {
                      auto mirror = OpenMirror(database_);
                      return ForEachRecord<v1::School>(
                          *mirror, SchoolKeyPrefix(), [&](v1::School&& s) {
                            if (request->township_code().empty() ||
                                s.township_code() == request->township_code()) {
                              *response->add_schools() = std::move(s);
                            }
                            return true;
                          });
                    });
}

grpc::ServerUnaryReactor* BureauServiceImpl::SetCalendar(
    grpc::CallbackServerContext* context, const v1::SetCalendarRequest* request,
    v1::SetCalendarResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareSetCalendar(model, request->calendar(), e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        response->set_sequence(result.event->sequence());
        auto calendar = ToSchoolCalendar(result.event->calendar_set().calendar());
        if (calendar.ok()) {
          response->set_school_days(
              static_cast<int32_t>(calendar->school_days().size()));
        }
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetCalendar(
    grpc::CallbackServerContext* context, const v1::GetCalendarRequest* request,
    v1::GetCalendarResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        auto mirror = OpenMirror(database_);
        ASSIGN_OR_RETURN(auto calendar,
                         FindCalendar(*mirror, request->school_year()));
        if (!calendar.has_value()) {
          return NotFound(
              absl::StrCat(request->school_year(), " 学年的校历尚未设置"),
              absl::StrCat("no calendar is set for school year ",
                           request->school_year()));
        }
        ASSIGN_OR_RETURN(auto built, ToSchoolCalendar(*calendar));
        response->set_school_days(static_cast<int32_t>(built.school_days().size()));
        *response->mutable_calendar() = std::move(*calendar);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetSettings(
    grpc::CallbackServerContext* context, const v1::GetSettingsRequest* request,
    v1::GetSettingsResponse* response) {
  return rpc_->Read(context, Access::kBureauRead, request->min_sequence(),
                    [this, response](const Caller&) -> absl::Status {
                      auto mirror = OpenMirror(database_);
                      ASSIGN_OR_RETURN(*response->mutable_settings(),
                                       EffectiveSettings(*mirror));
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* BureauServiceImpl::UpdateSettings(
    grpc::CallbackServerContext* context,
    const v1::UpdateSettingsRequest* request,
    v1::UpdateSettingsResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller&, const storage::ModelTxn& model, v1::Event* e) {
        return PrepareUpdateSettings(model, request->settings(), e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        response->set_sequence(result.event->sequence());
        *response->mutable_settings() = result.event->settings_updated().settings();
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetCountyReportingStatus(
    grpc::CallbackServerContext* context,
    const v1::GetCountyReportingStatusRequest* request,
    v1::GetCountyReportingStatusResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        absl::CivilDay start, end;
        RETURN_IF_ERROR(CheckDateRange(request->start_date(),
                                       request->end_date(), &start, &end));
        auto mirror = OpenMirror(database_);
        std::vector<v1::School> schools;
        RETURN_IF_ERROR(ForEachRecord<v1::School>(
            *mirror, SchoolKeyPrefix(), [&](v1::School&& s) {
              if (request->township_code().empty() ||
                  s.township_code() == request->township_code()) {
                schools.push_back(std::move(s));
              }
              return true;
            }));
        absl::Time now = clock_->Now();
        for (const v1::School& school : schools) {
          ASSIGN_OR_RETURN(*response->add_schools(),
                           ReportingStatus(*mirror, school, start, end, now));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::FindStudent(
    grpc::CallbackServerContext* context, const v1::FindStudentRequest* request,
    v1::FindStudentResponse* response) {
  return rpc_->Read(context, Access::kBureauRead, request->min_sequence(),
                    [this, request, response](const Caller&) -> absl::Status {
                      auto mirror = OpenMirror(database_);
                      ASSIGN_OR_RETURN(
                          *response->mutable_student(),
                          LookUpStudent(*mirror, request->student_id(),
                                        request->student_number(),
                                        request->id_number()));
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* BureauServiceImpl::RebuildProjections(
    grpc::CallbackServerContext* context,
    const v1::RebuildProjectionsRequest* request,
    v1::RebuildProjectionsResponse* response) {
  return rpc_->Read(context, Access::kBureauWrite, 0,
                    [this, response](const Caller&) -> absl::Status {
                      absl::Time start = absl::Now();
                      RETURN_IF_ERROR(worker_->RebuildOnline());
                      response->set_applied_sequence(worker_->applied_sequence());
                      response->set_duration_millis(
                          absl::ToInt64Milliseconds(absl::Now() - start));
                      return absl::OkStatus();
                    });
}

// Simulated time: a read-shaped RPC (it appends no event of its own, only
// the ticker's ticks, each attributed to the system as on the wall clock),
// restricted to BUREAU accounts. It runs on the query pool because it waits
// for every tick to be durable.
grpc::ServerUnaryReactor* BureauServiceImpl::AdvanceClock(
    grpc::CallbackServerContext* context, const v1::AdvanceClockRequest* request,
    v1::AdvanceClockResponse* response) {
  return rpc_->Read(
      context, Access::kBureauWrite, 0,
      [this, request, response](const Caller&) -> absl::Status {
        if (simulated_clock_ == nullptr) {
          return FailedPreconditionError(
              "服务器使用真实时钟：只有以 --simulated_time=YYYY-MM-DD "
              "启动的服务器才能推进时钟",
              "the server runs on the wall clock: only a server started with "
              "--simulated_time=YYYY-MM-DD can advance its clock");
        }
        ASSIGN_OR_RETURN(absl::CivilDay day,
                         CheckDate({"date", "日期"}, request->date()));
        if (request->minute_of_day() < 0 || request->minute_of_day() > 1439) {
          return FieldError({"minute_of_day", "当日分钟数"},
                            "应在 0 到 1439 之间", "must be 0 to 1439");
        }
        absl::Time target =
            CountyMidnight(day) + absl::Minutes(request->minute_of_day());
        ASSIGN_OR_RETURN(Ticker::Advance advance,
                         ticker_->AdvanceTo(simulated_clock_, target));
        *response->mutable_now() =
            google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
                absl::ToUnixNanos(advance.now));
        response->set_last_sequence(advance.last_sequence);
        response->set_ticks(advance.ticks);
        return absl::OkStatus();
      });
}

// ---- Backups (issue 7).

grpc::ServerUnaryReactor* BureauServiceImpl::CreateBackup(
    grpc::CallbackServerContext* context,
    const v1::CreateBackupRequest* request,
    v1::CreateBackupResponse* response) {
  return rpc_->Read(context, Access::kBureauWrite, 0,
                    [this, response](const Caller&) -> absl::Status {
                      absl::Time start = absl::Now();
                      BackupManager none(database_, "");
                      BackupManager* backups =
                          backups_ != nullptr ? backups_ : &none;
                      ASSIGN_OR_RETURN(*response->mutable_backup(),
                                       backups->Create());
                      response->set_duration_millis(
                          absl::ToInt64Milliseconds(absl::Now() - start));
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListBackups(
    grpc::CallbackServerContext* context,
    const v1::ListBackupsRequest* request,
    v1::ListBackupsResponse* response) {
  return rpc_->Read(context, Access::kBureauWrite, 0,
                    [this, response](const Caller&) -> absl::Status {
                      BackupManager none(database_, "");
                      const BackupManager* backups =
                          backups_ != nullptr ? backups_ : &none;
                      ASSIGN_OR_RETURN(std::vector<v1::BackupInfo> list,
                                       backups->List());
                      response->set_backup_dir(backups->backup_dir());
                      for (v1::BackupInfo& info : list) {
                        *response->add_backups() = std::move(info);
                      }
                      return absl::OkStatus();
                    });
}

// ---- The county's ledgers and closures (issue 5).

grpc::ServerUnaryReactor* BureauServiceImpl::ListCountyCases(
    grpc::CallbackServerContext* context,
    const v1::ListCountyCasesRequest* request,
    v1::ListCountyCasesResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller& caller) {
        const v1::CaseFilter& f = request->filter();
        // The narrowest index that serves the filter.
        LedgerScope scope = LedgerScope::kCounty;
        std::string scope_id;
        if (!f.school_id().empty()) {
          scope = LedgerScope::kSchool;
          scope_id = f.school_id();
        } else if (!f.township_code().empty()) {
          scope = LedgerScope::kTownship;
          scope_id = f.township_code();
        }
        return ListCasePage(database_, caller, scope, scope_id, f,
                            request->page_size(), request->page_token(),
                            response->mutable_rows(),
                            response->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetCountyCase(
    grpc::CallbackServerContext* context, const v1::GetCountyCaseRequest* request,
    v1::GetCountyCaseResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(
            CaseDetail detail,
            ReadCaseDetail(database_, caller, request->case_id(),
                           [](const v1::Case&) { return absl::OkStatus(); }));
        *response->mutable_row() = std::move(detail.row);
        *response->mutable_student() = std::move(detail.student);
        for (auto& e : detail.history) *response->add_history() = std::move(e);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::DecideClosure(
    grpc::CallbackServerContext* context, const v1::DecideClosureRequest* request,
    v1::DecideClosureResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareDecideClosure(model, caller, request->case_id(),
                                    request->approved(), request->reason(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::AssignBureauLead(
    grpc::CallbackServerContext* context,
    const v1::AssignBureauLeadRequest* request,
    v1::AssignBureauLeadResponse* response) {
  return rpc_->Write(
      context, Access::kBureauWrite, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) -> absl::Status {
        ASSIGN_OR_RETURN(auto c, FindCase(model, request->case_id()));
        v1::ResponsiblePeople people;
        if (c.has_value()) people = c->responsible();
        if (request->bureau_lead().empty()) {
          return FieldError({"bureau_lead", "包片领导"}, "必填", "is required");
        }
        people.set_bureau_lead(request->bureau_lead());
        return PrepareAssignResponsible(model, caller, request->case_id(),
                                        people, e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* BureauServiceImpl::GetSummary(
    grpc::CallbackServerContext* context, const v1::GetSummaryRequest* request,
    v1::GetSummaryResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        LedgerScope scope = LedgerScope::kCounty;
        std::string id;
        if (!request->school_id().empty()) {
          scope = LedgerScope::kSchool;
          id = request->school_id();
        } else if (!request->township_code().empty()) {
          scope = LedgerScope::kTownship;
          id = request->township_code();
        }
        ASSIGN_OR_RETURN(*response->mutable_summary(),
                         ReadSummary(database_, scope, id));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListReportingAlerts(
    grpc::CallbackServerContext* context,
    const v1::ListReportingAlertsRequest* request,
    v1::ListReportingAlertsResponse* response) {
  return rpc_->Read(context, Access::kBureauRead, request->min_sequence(),
                    [this, request, response](const Caller&) {
                      auto mirror = OpenMirror(database_);
                      return ForEachRecord<v1::ReportingAlert>(
                          *mirror, ReportingAlertPrefix(),
                          [&](v1::ReportingAlert&& a) {
                            if (request->include_resolved() || !a.resolved()) {
                              *response->add_alerts() = std::move(a);
                            }
                            return true;
                          });
                    });
}

}  // namespace baoxue::services

// ---- Monthly report, export and audit trail (issue 5).

namespace baoxue::services {
namespace {

// Streams ledger rows page by page, each page computed on the query pool
// and written only after the previous write completed. Deletes itself.
class ExportReactor : public grpc::ServerWriteReactor<v1::ExportLedgerResponse> {
 public:
  ExportReactor(const storage::Database* database, RpcRunner* rpc, Caller caller,
                v1::ExportLedgerRequest request, absl::Time deadline)
      : database_(database),
        rpc_(rpc),
        caller_(std::move(caller)),
        request_(std::move(request)),
        deadline_(deadline) {
    NextChunk();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    if (token_.empty()) {
      Finish(grpc::Status::OK);
      return;
    }
    NextChunk();
  }

  void OnDone() override { delete this; }

 private:
  static constexpr int kChunkRows = 500;

  void NextChunk() {
    rpc_->pool()->Schedule([this] {
      if (first_ && request_.min_sequence() > 0 &&
          !rpc_->applied()->WaitForApplied(request_.min_sequence(), deadline_)) {
        Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                            MessageIn(LocalizedError(absl::StatusCode::kDeadlineExceeded,
                                                     "等待后台处理超时",
                                                     "timed out waiting for the worker"),
                                      caller_.lang)));
        return;
      }
      first_ = false;
      const v1::CaseFilter& f = request_.filter();
      LedgerScope scope = LedgerScope::kCounty;
      std::string scope_id;
      if (!f.school_id().empty()) {
        scope = LedgerScope::kSchool;
        scope_id = f.school_id();
      } else if (!f.township_code().empty()) {
        scope = LedgerScope::kTownship;
        scope_id = f.township_code();
      }
      // Pages that a selective filter leaves empty are skipped, not sent.
      do {
        chunk_.Clear();
        std::string next;
        absl::Status status =
            ListCasePage(database_, caller_, scope, scope_id, f, kChunkRows,
                         token_, chunk_.mutable_rows(), &next);
        if (!status.ok()) {
          Finish(ToGrpcStatus(status, caller_.lang));
          return;
        }
        token_ = std::move(next);
      } while (chunk_.rows().empty() && !token_.empty());
      if (chunk_.rows().empty()) {
        Finish(grpc::Status::OK);
        return;
      }
      StartWrite(&chunk_);
    });
  }

  const storage::Database* const database_;
  RpcRunner* const rpc_;
  const Caller caller_;
  const v1::ExportLedgerRequest request_;
  const absl::Time deadline_;
  v1::ExportLedgerResponse chunk_;
  std::string token_;
  bool first_ = true;
};

class RefusedExport : public grpc::ServerWriteReactor<v1::ExportLedgerResponse> {
 public:
  explicit RefusedExport(grpc::Status status) { Finish(status); }
  void OnDone() override { delete this; }
};

std::string ActionOf(const v1::Event& event) {
  const auto* field = event.GetDescriptor()->FindFieldByNumber(event.body_case());
  return field != nullptr ? field->name() : "";
}

}  // namespace

grpc::ServerUnaryReactor* BureauServiceImpl::GetMonthlyReport(
    grpc::CallbackServerContext* context,
    const v1::GetMonthlyReportRequest* request,
    v1::GetMonthlyReportResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        int year = request->year();
        int month = request->month();
        if (year < 2000 || year > 2100 || month < 1 || month > 12) {
          return FieldError({"month", "月份"}, "请给出有效的年份和月份（1–12）",
                            "give a valid year and month (1-12)");
        }
        absl::CivilDay today = CountyDay(clock_->Now());
        uint32_t asked = static_cast<uint32_t>(year * 100 + month);
        uint32_t current = static_cast<uint32_t>(today.year() * 100 + today.month());
        if (asked > current) {
          return FieldError({"month", "月份"}, "不能是将来的月份",
                            "cannot be a future month");
        }
        response->set_month_complete(asked < current);
        auto mirror = OpenMirror(database_);
        storage::ModelTxn projection(database_,
                                     storage::Family::kProjection);
        std::vector<std::pair<std::string, std::string>> scopes;  // code, name
        RETURN_IF_ERROR(ForEachRecord<v1::Township>(
            *mirror, TownshipKeyPrefix(), [&](v1::Township&& t) {
              scopes.emplace_back(t.township_code(), t.name());
              return true;
            }));
        ASSIGN_OR_RETURN(auto county, FindCounty(*mirror));
        scopes.emplace_back("", county.has_value() ? county->name() : "");
        for (const auto& [code, name] : scopes) {
          LedgerScope scope = code.empty() ? LedgerScope::kCounty : LedgerScope::kTownship;
          ASSIGN_OR_RETURN(v1::CaseSummary now, ReadSummary(database_, scope, code));
          std::map<std::string, int64_t> in_month, after_month;
          std::string prefix = MonthlyCounterPrefix(scope, code);
          RETURN_IF_ERROR(projection.Scan(
              prefix, [&](absl::string_view key, absl::string_view value) {
                uint32_t m = 0;
                std::string counter;
                uint64_t v = 0;
                if (!ParseMonthlyCounterKey(key, prefix.size(), &m, &counter) ||
                    !storage::DecodeFixed64(value, &v)) {
                  return true;
                }
                if (m == asked) in_month[counter] += static_cast<int64_t>(v);
                if (m > asked) after_month[counter] += static_cast<int64_t>(v);
                return true;
              }));
          v1::MonthlyReportLine* line = response->add_lines();
          line->set_township_code(code);
          line->set_name(name);
          line->set_open_at_month_end(now.open() - after_month[kMonthEnteredOpen] +
                                      after_month[kMonthLeftOpen]);
          line->set_out_of_school_at_month_end(now.out_of_school() -
                                               after_month[kMonthEnteredOut] +
                                               after_month[kMonthLeftOut]);
          line->set_opened(in_month[kMonthOpened]);
          line->set_dismissed(in_month[kMonthDismissed]);
          line->set_returned(in_month[kMonthReturned]);
          line->set_closed(in_month[kMonthClosed]);
          line->set_relapses(in_month[kMonthRelapses]);
          if (in_month[kMonthContacts] > 0) {
            line->set_mean_hours_to_first_contact(
                in_month[kMonthContactSeconds] / 3600.0 / in_month[kMonthContacts]);
          }
          if (in_month[kMonthReturned] > 0) {
            line->set_mean_days_to_return(in_month[kMonthReturnSeconds] / 86400.0 /
                                          in_month[kMonthReturned]);
            line->set_relapse_rate(static_cast<double>(in_month[kMonthRelapses]) /
                                   in_month[kMonthReturned]);
          }
        }
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::ExportLedgerResponse>* BureauServiceImpl::ExportLedger(
    grpc::CallbackServerContext* context, const v1::ExportLedgerRequest* request) {
  absl::StatusOr<Caller> caller = rpc_->Admit(*context, Access::kBureauRead);
  if (!caller.ok()) {
    return new RefusedExport(ToGrpcStatus(caller.status(), LangOf(*context)));
  }
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  if (context->deadline() != std::chrono::system_clock::time_point::max()) {
    deadline = std::min(deadline, absl::FromChrono(context->deadline()));
  }
  return new ExportReactor(database_, rpc_, *std::move(caller), *request, deadline);
}

grpc::ServerUnaryReactor* BureauServiceImpl::ListAuditTrail(
    grpc::CallbackServerContext* context,
    const v1::ListAuditTrailRequest* request,
    v1::ListAuditTrailResponse* response) {
  return rpc_->Read(
      context, Access::kBureauRead, request->min_sequence(),
      [this, request, response](const Caller&) -> absl::Status {
        int keys = !request->account_id().empty() + !request->case_id().empty() +
                   !request->student_id().empty();
        if (keys != 1) {
          return FieldError({"account_id", "查询对象"},
                            "account_id、case_id、student_id 须且只须填写一项",
                            "set exactly one of account_id, case_id, student_id");
        }
        ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
        ASSIGN_OR_RETURN(std::string after, DecodePageToken(request->page_token()));
        std::vector<uint64_t> sequences;
        std::string last;
        bool more = false;
        std::string start = after.empty() ? "" : after + '\0';
        auto collect = [&](const storage::ModelTxn& txn, const std::string& prefix,
                           auto sequence_of) -> absl::Status {
          return txn.Scan(
              prefix,
              [&](absl::string_view key, absl::string_view value) {
                uint64_t seq = sequence_of(key, value, prefix.size());
                // One event can leave several history entries; they are
                // one audit entry, and all of them stay on one page so the
                // next page never repeats the event.
                if (sequences.empty() || sequences.back() != seq) {
                  if (static_cast<int>(sequences.size()) == page_size) {
                    more = true;
                    return false;
                  }
                  sequences.push_back(seq);
                }
                last = std::string(key);
                return true;
              },
              start);
        };
        storage::ModelTxn projection(database_,
                                     storage::Family::kProjection);
        if (!request->case_id().empty()) {
          auto mirror = OpenMirror(database_);
          RETURN_IF_ERROR(collect(
              *mirror, CaseHistoryPrefix(request->case_id()),
              [](absl::string_view, absl::string_view value, size_t) {
                v1::CaseHistoryEntry e;
                e.ParseFromArray(value.data(), static_cast<int>(value.size()));
                return e.sequence();
              }));
        } else {
          std::string prefix = request->account_id().empty()
                                   ? AuditByStudentPrefix(request->student_id())
                                   : AuditByAccountPrefix(request->account_id());
          RETURN_IF_ERROR(collect(projection, prefix,
                                  [](absl::string_view key, absl::string_view,
                                     size_t prefix_size) {
                                    return SequenceFromAuditKey(key, prefix_size);
                                  }));
        }
        for (uint64_t seq : sequences) {
          std::vector<v1::Event> events;
          RETURN_IF_ERROR(log_->Read(seq, 1, &events));
          if (events.empty() || events[0].sequence() != seq) continue;
          v1::AuditEntry* entry = response->add_entries();
          entry->set_sequence(seq);
          *entry->mutable_record_time() = events[0].record_time();
          entry->set_account_id(events[0].account_id());
          entry->set_action(ActionOf(events[0]));
        }
        if (more) response->set_next_page_token(EncodePageToken(last));
        return absl::OkStatus();
      });
}

}  // namespace baoxue::services

// ---- Watch (issue 5).

namespace baoxue::services {
namespace {

// Streams case changes after a sequence number, then follows the worker:
// each committed batch wakes it. Reads run on the query pool, one write is
// in flight at a time. Reference-counted: the gRPC side holds one
// reference until OnDone, each scheduled read holds one, so a read still
// running when the client leaves finds the object alive.
class WatchReactor : public grpc::ServerWriteReactor<v1::WatchCasesResponse> {
 public:
  WatchReactor(const storage::Database* database, RpcRunner* rpc, Worker* worker,
               Caller caller, uint64_t after)
      : database_(database), rpc_(rpc), worker_(worker),
        caller_(std::move(caller)), cursor_(after) {
    listener_ = worker_->Subscribe([this] { Wake(); });
    Wake();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return;  // the client is gone; OnDone follows
    const v1::WatchCasesResponse* next = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (++next_ < batch_.size()) {
        next = &batch_[next_];
      } else {
        writing_ = false;
        if (dirty_) {
          dirty_ = false;
          ScheduleReadLocked();
        }
      }
    }
    // gRPC calls are made without our lock held.
    if (next != nullptr && !finished_) StartWrite(next);
  }

  void OnCancel() override { FinishOnce(grpc::Status::CANCELLED); }

  void OnDone() override {
    worker_->Unsubscribe(listener_);
    finished_ = true;
    Unref();
  }

 private:
  static constexpr int kBatch = 100;

  void Ref() { refs_.fetch_add(1); }
  void Unref() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

  void FinishOnce(const grpc::Status& status) {
    if (!finished_.exchange(true)) Finish(status);
  }

  void Wake() {
    absl::MutexLock lock(&mu_);
    if (reading_ || writing_) {
      dirty_ = true;
      return;
    }
    ScheduleReadLocked();
  }

  void ScheduleReadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reading_ = true;
    Ref();
    rpc_->pool()->Schedule([this] {
      Read();
      Unref();
    });
  }

  void Read() {
    std::vector<v1::WatchCasesResponse> batch;
    absl::Status status = ReadChanges(&batch);
    if (!status.ok()) {
      FinishOnce(ToGrpcStatus(status, caller_.lang));
      return;
    }
    const v1::WatchCasesResponse* first = nullptr;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (finished_) return;
      if (batch.empty()) {
        if (dirty_) {
          dirty_ = false;
          ScheduleReadLocked();
        }
        return;
      }
      cursor_ = batch.back().sequence();
      batch_ = std::move(batch);
      next_ = 0;
      writing_ = true;
      dirty_ = true;  // more may be waiting beyond this batch
      first = &batch_[0];
    }
    StartWrite(first);
  }

  absl::Status ReadChanges(std::vector<v1::WatchCasesResponse>* out) {
    uint64_t after;
    {
      absl::MutexLock lock(&mu_);
      after = cursor_;
    }
    storage::ModelTxn projection(database_, storage::Family::kProjection);
    auto mirror = OpenMirror(database_);
    absl::Status status;
    RETURN_IF_ERROR(projection.Scan(
        CaseChangePrefix(),
        [&](absl::string_view key, absl::string_view) {
          uint64_t sequence;
          std::string case_id;
          if (!ParseCaseChangeKey(key, &sequence, &case_id)) return true;
          auto found = FindCase(*mirror, case_id);
          if (!found.ok()) {
            status = found.status();
            return false;
          }
          if (found->has_value()) {
            v1::WatchCasesResponse change;
            change.set_sequence(sequence);
            *change.mutable_case_() = std::move(**found);
            out->push_back(std::move(change));
          }
          return static_cast<int>(out->size()) < kBatch;
        },
        CaseChangeKey(after + 1, "")));
    return status;
  }

  const storage::Database* const database_;
  RpcRunner* const rpc_;
  Worker* const worker_;
  const Caller caller_;
  int listener_ = -1;
  std::atomic<int> refs_{1};
  std::atomic<bool> finished_{false};
  absl::Mutex mu_;
  uint64_t cursor_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<v1::WatchCasesResponse> batch_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

class RefusedWatch : public grpc::ServerWriteReactor<v1::WatchCasesResponse> {
 public:
  explicit RefusedWatch(grpc::Status status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<v1::WatchCasesResponse>* BureauServiceImpl::WatchCases(
    grpc::CallbackServerContext* context, const v1::WatchCasesRequest* request) {
  absl::StatusOr<Caller> caller = rpc_->Admit(*context, Access::kBureauRead);
  if (!caller.ok()) {
    return new RefusedWatch(ToGrpcStatus(caller.status(), LangOf(*context)));
  }
  return new WatchReactor(database_, rpc_, worker_, *std::move(caller),
                          request->after_sequence());
}

}  // namespace baoxue::services
