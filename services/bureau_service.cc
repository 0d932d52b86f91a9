#include "services/bureau_service.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/accounts.h"
#include "services/attendance.h"
#include "services/case_commands.h"
#include "services/case_reads.h"
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
