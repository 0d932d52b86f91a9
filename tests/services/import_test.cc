// The bulk import of students (SchoolService.ImportStudents, a client
// stream) over a real gRPC channel (issue 3): counts and reasons with line
// numbers, VALIDATE_ONLY, re-runs that change nothing, retried chunks.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using School = v1::SchoolService::Stub;

const absl::CivilDay kBirth(2018, 3, 12);

v1::ImportStudentRow Row(int line, const v1::Student& student, int grade = 3,
                         const std::string& class_name = "2班",
                         const v1::Date& enrol_date = D(2026, 9, 1)) {
  v1::ImportStudentRow row;
  *row.mutable_student() = student;
  row.set_grade(grade);
  row.set_class_name(class_name);
  *row.mutable_enrol_date() = enrol_date;
  row.set_line(line);
  return row;
}

v1::ImportStudentsRequest Chunk(std::vector<v1::ImportStudentRow> rows,
                                const std::string& request_id = "",
                                v1::ImportMode mode = v1::IMPORT_MODE_UNSPECIFIED) {
  v1::ImportStudentsRequest chunk;
  for (auto& r : rows) *chunk.add_rows() = std::move(r);
  chunk.set_request_id(request_id);
  chunk.set_mode(mode);
  return chunk;
}

struct Imported {
  grpc::Status status;
  v1::ImportStudentsResponse response;
};

class ImportTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    SeedCounty();
    SetCountyTime(2026, 10, 16, 9);
    xunzhong_ = MakeAccount("xunzhong-clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
    sanban_ = MakeAccount("sanban-clerk", v1::ROLE_SCHOOL, kSanbanSchool);
  }

  // Streams `chunks` as one ImportStudents call.
  Imported Import(const std::string& token,
                  const std::vector<v1::ImportStudentsRequest>& chunks,
                  const std::string& lang = "") {
    grpc::ClientContext context;
    Prepare(&context, &token, lang);
    Imported out;
    std::unique_ptr<grpc::ClientWriter<v1::ImportStudentsRequest>> writer =
        school_->ImportStudents(&context, &out.response);
    for (const auto& chunk : chunks) {
      if (!writer->Write(chunk)) break;  // the server has finished early
    }
    writer->WritesDone();
    out.status = writer->Finish();
    return out;
  }

  uint64_t LastSequenceByRpc() { return SystemStatus().last_sequence(); }

  std::vector<std::string> Names(uint64_t min_sequence) {
    v1::ListStudentsRequest request;
    request.set_min_sequence(min_sequence);
    request.set_page_size(1000);
    v1::ListStudentsResponse response;
    grpc::Status status =
        Call(school_.get(), &School::ListStudents, xunzhong_, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    std::vector<std::string> names;
    for (const auto& s : response.students()) names.push_back(s.name());
    std::sort(names.begin(), names.end());
    return names;
  }

  // The term-start file: rows 2–6 good (line 1 is the header), 7–9 bad.
  std::vector<v1::ImportStudentRow> TermStartRows() {
    std::vector<v1::ImportStudentRow> rows;
    rows.push_back(Row(2, Child("林一", kBirth, 13)));
    rows.push_back(Row(3, Child("林二", kBirth, 24)));
    rows.push_back(Row(4, ChildWithLNumber("林三", absl::CivilDay(2020, 1, 31),
                                           true, 7),
                       1, "1班"));
    v1::Student j = Child("林四", absl::CivilDay(2019, 5, 1), 26);
    j.set_student_number("J3505262019000001AB");
    j.clear_id_number();
    rows.push_back(Row(5, j, 2, "1班"));
    rows.push_back(Row(6, Child("林五", kBirth, 35)));
    // Line 7: the birth date disagrees with the ID number.
    v1::Student bad_birth = Child("林六", kBirth, 37);
    *bad_birth.mutable_birth_date() = D(2018, 3, 13);
    rows.push_back(Row(7, bad_birth));
    // Line 8: grade 7 at a primary school.
    rows.push_back(Row(8, Child("林七", kBirth, 39), 7));
    // Line 9: line 2 again.
    rows.push_back(Row(9, Child("林一", kBirth, 13)));
    return rows;
  }

  std::string xunzhong_, sanban_;
};

TEST_F(ImportTest, GoodRowsAreRegisteredAndBadRowsReportedByLine) {
  uint64_t before = LastSequenceByRpc();
  Imported result = Import(xunzhong_, {Chunk(TermStartRows(), "term-1")});
  BX_ASSERT_OK(result.status);
  EXPECT_EQ(result.response.accepted(), 5);
  EXPECT_EQ(result.response.unchanged(), 0);
  EXPECT_EQ(result.response.rejected(), 3);
  ASSERT_EQ(result.response.errors_size(), 3);
  EXPECT_EQ(result.response.errors(0).line(), 7);
  EXPECT_THAT(result.response.errors(0).message(),
              HasSubstr("出生日期（student.birth_date）"));
  EXPECT_EQ(result.response.errors(1).line(), 8);
  EXPECT_THAT(result.response.errors(1).message(), HasSubstr("row.grade"));
  EXPECT_EQ(result.response.errors(2).line(), 9);
  EXPECT_THAT(result.response.errors(2).message(), HasSubstr("重复"));
  // One chunk, one event.
  EXPECT_EQ(result.response.last_sequence(), before + 1);
  EXPECT_EQ(LastSequenceByRpc(), before + 1);
  EXPECT_THAT(Names(result.response.last_sequence()),
              ElementsAre("林一", "林三", "林二", "林五", "林四"));
  // Each child is enrolled as its row says.
  v1::GetStudentRequest get;
  get.set_student_number("L350526202001310007");
  get.set_min_sequence(result.response.last_sequence());
  v1::GetStudentResponse student;
  BX_ASSERT_OK(Call(school_.get(), &School::GetStudent, xunzhong_, get, &student));
  EXPECT_EQ(student.student().enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
  EXPECT_EQ(student.student().enrolment().grade(), 1);
  EXPECT_EQ(student.student().enrolment().school_id(), kXunzhongPrimary);

  // The reasons in English on request (the good rows, and line 9 which
  // repeats line 2, are registered by now: unchanged).
  Imported en = Import(xunzhong_, {Chunk(TermStartRows())}, "en");
  BX_ASSERT_OK(en.status);
  EXPECT_EQ(en.response.unchanged(), 6);
  ASSERT_EQ(en.response.errors_size(), 2);
  EXPECT_EQ(en.response.errors(0).message(),
            "student.birth_date: does not agree with the ID number's 2018-03-12");
  EXPECT_EQ(en.response.errors(1).message(),
            "row.grade: 7 is not a grade this school teaches");
}

// A chunk reads each township and village once for all its rows (issue 8);
// every row is still judged by its own codes.
TEST_F(ImportTest, EachRowsTownshipAndVillageAreCheckedThoughReadOnce) {
  auto placed = [](v1::Student s, const char* township, const char* village) {
    s.set_household_township_code(township);
    s.set_household_village_code(village);
    return s;
  };
  std::vector<v1::ImportStudentRow> rows;
  rows.push_back(Row(2, placed(Child("林一", kBirth, 13), kXunzhong, kXunzhongVillage1)));
  rows.push_back(Row(3, placed(Child("林二", kBirth, 24), kLongxun, kXunzhongVillage1)));
  rows.push_back(Row(4, placed(Child("林三", kBirth, 35), kLongxun, kLongxunVillage)));
  rows.push_back(Row(5, placed(Child("林四", kBirth, 37), kXunzhong, "350526100999")));
  rows.push_back(Row(6, placed(Child("林五", kBirth, 39), "350526999", kXunzhongVillage1)));
  rows.push_back(Row(7, placed(Child("林六", kBirth, 46), kXunzhong, kXunzhongVillage1)));
  rows.push_back(Row(8, placed(Child("林七", kBirth, 48), kXunzhong, "350526100999")));
  Imported result = Import(xunzhong_, {Chunk(rows)}, "en");
  BX_ASSERT_OK(result.status);
  EXPECT_EQ(result.response.accepted(), 3);
  ASSERT_EQ(result.response.errors_size(), 4);
  EXPECT_EQ(result.response.errors(0).line(), 3);
  EXPECT_EQ(result.response.errors(0).message(),
            "student.household_village_code: is not in the household township");
  EXPECT_EQ(result.response.errors(1).line(), 5);
  EXPECT_EQ(result.response.errors(1).message(),
            "student.household_village_code: village 350526100999 does not exist");
  EXPECT_EQ(result.response.errors(2).line(), 6);
  EXPECT_EQ(result.response.errors(2).message(),
            "student.household_township_code: township 350526999 is not a "
            "township of the county");
  EXPECT_EQ(result.response.errors(3).line(), 8);
  EXPECT_EQ(result.response.errors(3).message(),
            "student.household_village_code: village 350526100999 does not exist");
}

TEST_F(ImportTest, ValidateOnlyWritesNothing) {
  uint64_t before = LastSequenceByRpc();
  Imported dry = Import(
      xunzhong_,
      {Chunk(TermStartRows(), "dry-1", v1::IMPORT_MODE_VALIDATE_ONLY)});
  BX_ASSERT_OK(dry.status);
  EXPECT_EQ(dry.response.accepted(), 5);  // would be
  EXPECT_EQ(dry.response.rejected(), 3);
  EXPECT_EQ(dry.response.errors(2).line(), 9);
  EXPECT_EQ(dry.response.last_sequence(), 0u);
  EXPECT_EQ(LastSequenceByRpc(), before);
  EXPECT_THAT(Names(before), IsEmpty());
  // The mode is read from the first chunk: a later chunk cannot turn the
  // dry run into an import.
  Imported two = Import(
      xunzhong_, {Chunk({Row(2, Child("林一", kBirth, 13))}, "",
                        v1::IMPORT_MODE_VALIDATE_ONLY),
                  Chunk({Row(3, Child("林二", kBirth, 24))}, "",
                        v1::IMPORT_MODE_GOOD_ROWS)});
  BX_ASSERT_OK(two.status);
  EXPECT_EQ(two.response.accepted(), 2);
  EXPECT_EQ(LastSequenceByRpc(), before);
  // The same file then imports for real.
  Imported real = Import(xunzhong_, {Chunk(TermStartRows(), "real-1")});
  EXPECT_EQ(real.response.accepted(), 5);
  EXPECT_EQ(LastSequenceByRpc(), before + 1);
}

TEST_F(ImportTest, RerunningTheSameImportChangesNothing) {
  std::vector<v1::ImportStudentRow> rows = TermStartRows();
  std::vector<v1::ImportStudentRow> first_half(rows.begin(), rows.begin() + 3);
  std::vector<v1::ImportStudentRow> second_half(rows.begin() + 3, rows.end());
  Imported first =
      Import(xunzhong_, {Chunk(first_half, "a-1"), Chunk(second_half, "a-2")});
  BX_ASSERT_OK(first.status);
  EXPECT_EQ(first.response.accepted(), 5);
  // Line 9 repeats line 2, which the previous chunk registered: unchanged.
  EXPECT_EQ(first.response.unchanged(), 1);
  EXPECT_EQ(first.response.rejected(), 2);
  ASSERT_EQ(first.response.errors_size(), 2);
  EXPECT_EQ(first.response.errors(0).line(), 7);
  EXPECT_EQ(first.response.errors(1).line(), 8);
  uint64_t after_first = LastSequenceByRpc();
  EXPECT_EQ(after_first, first.response.last_sequence());

  // The whole file again, with new request ids (a clerk re-running it).
  Imported again =
      Import(xunzhong_, {Chunk(first_half, "b-1"), Chunk(second_half, "b-2")});
  BX_ASSERT_OK(again.status);
  EXPECT_EQ(again.response.accepted(), 0);
  EXPECT_EQ(again.response.unchanged(), 6);  // five children, and line 9
  EXPECT_EQ(again.response.rejected(), 2);
  EXPECT_EQ(again.response.last_sequence(), 0u);
  EXPECT_EQ(LastSequenceByRpc(), after_first);  // nothing appended
  EXPECT_EQ(Names(after_first).size(), 5u);

  // A row changed since the first run is not silently applied: it is the
  // same child, already registered.
  std::vector<v1::ImportStudentRow> changed = {rows[0]};
  changed[0].mutable_student()->set_name("林壹");
  Imported edit = Import(xunzhong_, {Chunk(changed)});
  BX_ASSERT_OK(edit.status);
  EXPECT_EQ(edit.response.rejected(), 1);
  EXPECT_THAT(edit.response.errors(0).message(), HasSubstr("林一"));
  EXPECT_EQ(LastSequenceByRpc(), after_first);

  // Another school importing the same children is told where they are.
  Imported other = Import(sanban_, {Chunk(first_half)}, "en");
  BX_ASSERT_OK(other.status);
  EXPECT_EQ(other.response.accepted(), 0);
  EXPECT_EQ(other.response.rejected(), 3);
  EXPECT_THAT(other.response.errors(0).message(),
              HasSubstr("school of record: xunzhong-primary (enrolled)"));
  EXPECT_EQ(LastSequenceByRpc(), after_first);
}

TEST_F(ImportTest, ARetriedChunkIsNotAppliedTwice) {
  std::vector<v1::ImportStudentRow> good = {
      Row(2, Child("林一", kBirth, 13)), Row(3, Child("林二", kBirth, 24))};
  Imported first = Import(xunzhong_, {Chunk(good, "chunk-0001")});
  BX_ASSERT_OK(first.status);
  EXPECT_EQ(first.response.accepted(), 2);
  uint64_t after = LastSequenceByRpc();
  EXPECT_EQ(first.response.last_sequence(), after);

  // The connection dropped before the answer: the client sends the chunk
  // again with the same request_id, in a new stream.
  Imported retry = Import(xunzhong_, {Chunk(good, "chunk-0001")});
  BX_ASSERT_OK(retry.status);
  EXPECT_EQ(retry.response.accepted(), 0);
  EXPECT_EQ(retry.response.unchanged(), 2);
  EXPECT_EQ(retry.response.last_sequence(), first.response.last_sequence());
  EXPECT_EQ(LastSequenceByRpc(), after);
  EXPECT_EQ(Names(after).size(), 2u);

  // The same request_id for different rows is refused.
  Imported reused =
      Import(xunzhong_, {Chunk({Row(4, Child("林三", kBirth, 35))}, "chunk-0001")});
  EXPECT_EQ(reused.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << Describe(reused.status);
  EXPECT_THAT(reused.status.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(LastSequenceByRpc(), after);
}

TEST_F(ImportTest, RefusedStreams) {
  uint64_t before = LastSequenceByRpc();
  // Only a school imports.
  std::string official = MakeAccount("official", v1::ROLE_TOWNSHIP, "", kXunzhong);
  before = LastSequenceByRpc();
  for (const std::string* token : {&official, &admin_token_}) {
    Imported denied = Import(*token, {Chunk({Row(2, Child("林一", kBirth, 13))})});
    EXPECT_EQ(denied.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << Describe(denied.status);
  }
  std::string nobody = "bx_" + std::string(43, 'Q');
  Imported unauthenticated =
      Import(nobody, {Chunk({Row(2, Child("林一", kBirth, 13))})});
  EXPECT_EQ(unauthenticated.status.error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // At most 1000 rows a chunk.
  std::vector<v1::ImportStudentRow> many;
  for (int i = 0; i < 1001; ++i) {
    many.push_back(Row(i + 2, Child(absl::StrCat("学生", i), kBirth, i % 999)));
  }
  Imported too_many = Import(xunzhong_, {Chunk(many)});
  EXPECT_EQ(too_many.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << Describe(too_many.status);
  // A malformed request_id.
  Imported bad_id =
      Import(xunzhong_, {Chunk({Row(2, Child("林一", kBirth, 13))}, "bad id\n")});
  EXPECT_EQ(bad_id.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(LastSequenceByRpc(), before);
  // An empty stream imports nothing, successfully.
  Imported empty = Import(xunzhong_, {});
  BX_ASSERT_OK(empty.status);
  EXPECT_EQ(empty.response.accepted(), 0);
  EXPECT_EQ(LastSequenceByRpc(), before);
}

}  // namespace
}  // namespace baoxue::services::testing_server
