#include "clients/import_files.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/cli_values.h"
#include "clients/csv.h"
#include "clients/labels.h"
#include "openssl/sha.h"
#include "services/domain/identifiers.h"
#include "storage/localized_status.h"

namespace baoxue::clients {
namespace {

struct Loaded {
  std::string encoding;
  std::string text;
  std::vector<CsvRecord> records;  // Without blank ones; [0] is the header.
};

absl::StatusOr<Loaded> Load(absl::string_view bytes) {
  Loaded loaded;
  absl::StatusOr<std::string> text = DecodeToUtf8(bytes, &loaded.encoding);
  if (!text.ok()) return text.status();
  loaded.text = *std::move(text);
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(loaded.text);
  if (!records.ok()) return records.status();
  for (CsvRecord& record : *records) {
    if (!IsBlankRecord(record)) loaded.records.push_back(std::move(record));
  }
  if (loaded.records.empty()) {
    return absl::InvalidArgumentError("the file is empty (no header line)");
  }
  return loaded;
}

Text Bad(absl::string_view zh, absl::string_view en) {
  return {std::string(zh), std::string(en)};
}

// "性别“x”无法识别" style messages for a value not in a label table.
Text UnknownWord(absl::string_view column_zh, absl::string_view column_en,
                 absl::string_view value, LabelSet set) {
  return {absl::StrCat(column_zh, "“", value, "”无法识别，可用：",
                       AcceptedWords(set, Lang::kZh)),
          absl::StrCat(column_en, " \"", value, "\" is not known; use ",
                       AcceptedWords(set, Lang::kEn))};
}

const std::vector<CsvColumnSpec>& StudentColumns() {
  static const auto* specs = new std::vector<CsvColumnSpec>{
      {"student_number", {"学籍号", "全国学籍号", "学籍号码"}, true},
      {"id_number", {"身份证号", "身份证号码", "身份证件号", "身份证件号码"}},
      {"name", {"姓名", "学生姓名"}, true},
      {"sex", {"性别"}},
      {"birth_date", {"出生日期", "出生年月日"}},
      {"household_township",
       {"户籍乡镇", "户籍乡镇代码", "household_township_code"}, true},
      {"household_village",
       {"户籍村", "户籍村代码", "户籍村（社区）", "household_village_code"},
       true},
      {"guardians", {"监护人", "guardian"}},
      {"priority_groups", {"重点群体", "priority", "priority_group"}},
      {"grade", {"年级"}, true},
      {"class_name", {"班级", "class"}, true},
      {"enrol_date", {"入学日期", "入学时间"}, true},
  };
  return *specs;
}

const std::vector<CsvColumnSpec>& AbsenceColumns() {
  static const auto* specs = new std::vector<CsvColumnSpec>{
      {"student_number", {"学籍号", "全国学籍号"}, true},
      {"name", {"姓名", "学生姓名"}},
      {"category", {"类别", "缺勤类别", "缺勤类型"}, true},
      {"reason", {"原因", "缺勤原因"}},
      {"half_day", {"半天", "是否半天", "half"}},
  };
  return *specs;
}

const std::vector<CsvColumnSpec>& RosterColumns() {
  static const auto* specs = new std::vector<CsvColumnSpec>{
      {"id_number", {"身份证号", "身份证号码", "身份证件号", "身份证件号码"}, true},
      {"name", {"姓名", "儿童姓名", "学生姓名"}, true},
      {"guardian_name", {"监护人", "监护人姓名", "guardian"}},
      {"guardian_phone",
       {"联系电话", "监护人电话", "电话", "手机", "phone", "guardian_phone"}},
  };
  return *specs;
}

// A status of the domain validators (both texts) as a row's message.
Text FromStatus(const absl::Status& status) {
  return {baoxue::MessageIn(status, baoxue::Lang::kZh),
          baoxue::MessageIn(status, baoxue::Lang::kEn)};
}

const std::vector<CsvColumnSpec>& CalendarColumns() {
  static const auto* specs = new std::vector<CsvColumnSpec>{
      {"kind", {"类型", "类别"}, true},
      {"name", {"名称", "学期名称"}},
      {"start", {"开始日期", "日期", "date", "start_date"}, true},
      {"end", {"结束日期", "end_date"}},
  };
  return *specs;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), sizeof(digest)));
}

bool ParseGrade(absl::string_view text, int* grade) {
  std::string t(absl::StripAsciiWhitespace(text));
  static const std::map<std::string, int>* words =
      new std::map<std::string, int>{
          {"一", 1}, {"二", 2}, {"三", 3}, {"四", 4}, {"五", 5}, {"六", 6},
          {"七", 7}, {"八", 8}, {"九", 9}, {"初一", 7}, {"初二", 8},
          {"初三", 9}, {"初中一", 7}, {"初中二", 8}, {"初中三", 9}};
  absl::string_view core = t;
  absl::ConsumeSuffix(&core, "年级");
  int value;
  if (absl::SimpleAtoi(core, &value)) {
  } else if (auto it = words->find(std::string(core)); it != words->end()) {
    value = it->second;
  } else {
    return false;
  }
  if (value < 1 || value > 9) return false;
  *grade = value;
  return true;
}

void FillFromIdNumber(v1::Student* student) {
  const std::string& id = student->id_number();
  if (id.size() != 18) return;
  if (student->sex() == v1::SEX_UNSPECIFIED && absl::ascii_isdigit(id[16])) {
    student->set_sex((id[16] - '0') % 2 == 1 ? v1::SEX_MALE : v1::SEX_FEMALE);
  }
  if (!student->has_birth_date()) {
    absl::CivilDay birth;
    if (ParseDay(id.substr(6, 8), &birth)) {
      *student->mutable_birth_date() = ToDate(birth);
    }
  }
}

absl::StatusOr<StudentFile> ReadStudentsCsv(absl::string_view bytes) {
  absl::StatusOr<Loaded> loaded = Load(bytes);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(loaded->records[0], StudentColumns());
  if (!header.ok()) return header.status();
  StudentFile file;
  file.encoding = loaded->encoding;
  file.content_hash = Sha256Hex(loaded->text);
  std::map<std::string, int> numbers, ids;  // value -> first line.
  for (size_t i = 1; i < loaded->records.size(); ++i) {
    const CsvRecord& r = loaded->records[i];
    ++file.data_rows;
    auto fail = [&](Text message) {
      file.errors.push_back({r.line, std::move(message)});
    };
    absl::Status shape = header->CheckRecord(r);
    if (!shape.ok()) {
      fail({absl::StrCat("列数比表头多，可能有未加引号的逗号（",
                         shape.message(), "）"),
            std::string(shape.message())});
      continue;
    }
    v1::ImportStudentRow row;
    row.set_line(r.line);
    v1::Student* s = row.mutable_student();
    s->set_student_number(header->Get(r, "student_number"));
    s->set_id_number(absl::AsciiStrToUpper(header->Get(r, "id_number")));
    s->set_name(header->Get(r, "name"));
    s->set_household_township_code(header->Get(r, "household_township"));
    s->set_household_village_code(header->Get(r, "household_village"));
    row.set_class_name(header->Get(r, "class_name"));
    if (s->student_number().empty()) {
      fail(Bad("缺少学籍号", "student_number is empty"));
      continue;
    }
    if (s->name().empty()) {
      fail(Bad("缺少姓名", "name is empty"));
      continue;
    }
    std::string sex = header->Get(r, "sex");
    if (!sex.empty()) {
      v1::Sex value;
      if (!ParseSex(sex, &value)) {
        fail(UnknownWord("性别", "sex", sex, LabelSet::kSex));
        continue;
      }
      s->set_sex(value);
    }
    std::string birth = header->Get(r, "birth_date");
    if (!birth.empty() && !ParseDate(birth, s->mutable_birth_date())) {
      fail({absl::StrCat("出生日期“", birth, "”不是日期（如 2018-03-07）"),
            absl::StrCat("birth_date \"", birth,
                         "\" is not a date (e.g. 2018-03-07)")});
      continue;
    }
    FillFromIdNumber(s);
    bool ok = true;
    for (const std::string& g : SplitList(absl::StrReplaceAll(
             header->Get(r, "guardians"), {{"、", ";"}, {",", ";"}}))) {
      if (!ParseGuardian(g, s->add_guardians())) {
        fail({absl::StrCat("监护人“", g, "”应写作 姓名:关系:电话"),
              absl::StrCat("guardian \"", g, "\" must be name:relation:phone")});
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    for (const std::string& word : SplitList(header->Get(r, "priority_groups"))) {
      v1::PriorityGroup group;
      if (!ParsePriorityGroup(word, &group)) {
        fail(UnknownWord("重点群体", "priority group", word,
                         LabelSet::kPriorityGroup));
        ok = false;
        break;
      }
      s->add_priority_groups(group);
    }
    if (!ok) continue;
    std::string grade = header->Get(r, "grade");
    int grade_value;
    if (!ParseGrade(grade, &grade_value)) {
      fail({absl::StrCat("年级“", grade, "”应为 1–9（或 初一–初三）"),
            absl::StrCat("grade \"", grade, "\" must be 1-9")});
      continue;
    }
    row.set_grade(grade_value);
    std::string enrol = header->Get(r, "enrol_date");
    if (!ParseDate(enrol, row.mutable_enrol_date())) {
      fail({absl::StrCat("入学日期“", enrol, "”不是日期（如 2026-09-01）"),
            absl::StrCat("enrol_date \"", enrol,
                         "\" is not a date (e.g. 2026-09-01)")});
      continue;
    }
    auto [number_at, number_new] =
        numbers.emplace(s->student_number(), r.line);
    if (!number_new) {
      fail({absl::StrCat("学籍号与第 ", number_at->second, " 行重复"),
            absl::StrCat("student_number repeats line ", number_at->second)});
      continue;
    }
    if (!s->id_number().empty()) {
      auto [id_at, id_new] = ids.emplace(s->id_number(), r.line);
      if (!id_new) {
        fail({absl::StrCat("身份证号与第 ", id_at->second, " 行重复"),
              absl::StrCat("id_number repeats line ", id_at->second)});
        continue;
      }
    }
    file.rows.push_back(std::move(row));
  }
  return file;
}

bool ParseAbsenceArg(absl::string_view text, v1::Absence* absence,
                     Text* error) {
  std::vector<std::string> parts =
      absl::StrSplit(absl::StrReplaceAll(text, {{"：", ":"}}), ':');
  for (std::string& part : parts) {
    part = std::string(absl::StripAsciiWhitespace(part));
  }
  bool half = false;
  if (parts.size() >= 3) {
    std::string last = absl::AsciiStrToLower(parts.back());
    if (last == "half" || last == "半天" || last == "half_day") {
      half = true;
      parts.pop_back();
    }
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) {
    *error = {absl::StrCat("缺勤“", text,
                           "”应写作 学籍号:类别[:原因][:半天]"),
              absl::StrCat("absence \"", text,
                           "\" must be student_number:category[:reason][:half]")};
    return false;
  }
  v1::AbsenceCategory category;
  if (!ParseAbsenceCategory(parts[1], &category)) {
    *error = UnknownWord("缺勤类别", "category", parts[1],
                         LabelSet::kAbsenceCategory);
    return false;
  }
  absence->set_student_number(parts[0]);
  absence->set_category(category);
  if (parts.size() == 3) absence->set_reason(parts[2]);
  absence->set_half_day(half);
  return true;
}

absl::StatusOr<AbsenceFile> ReadAbsencesCsv(absl::string_view bytes) {
  absl::StatusOr<Loaded> loaded = Load(bytes);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(loaded->records[0], AbsenceColumns());
  if (!header.ok()) return header.status();
  AbsenceFile file;
  file.encoding = loaded->encoding;
  std::map<std::string, int> seen;
  for (size_t i = 1; i < loaded->records.size(); ++i) {
    const CsvRecord& r = loaded->records[i];
    ++file.data_rows;
    auto fail = [&](Text message) {
      file.errors.push_back({r.line, std::move(message)});
    };
    absl::Status shape = header->CheckRecord(r);
    if (!shape.ok()) {
      fail({absl::StrCat("列数比表头多，可能有未加引号的逗号（",
                         shape.message(), "）"),
            std::string(shape.message())});
      continue;
    }
    v1::Absence absence;
    absence.set_student_number(header->Get(r, "student_number"));
    absence.set_reason(header->Get(r, "reason"));
    if (absence.student_number().empty()) {
      fail(Bad("缺少学籍号", "student_number is empty"));
      continue;
    }
    std::string category = header->Get(r, "category");
    v1::AbsenceCategory value;
    if (!ParseAbsenceCategory(category, &value)) {
      fail(UnknownWord("缺勤类别", "category", category,
                       LabelSet::kAbsenceCategory));
      continue;
    }
    absence.set_category(value);
    std::string half = header->Get(r, "half_day");
    bool half_day;
    if (!ParseYesNo(half, &half_day)) {
      fail({absl::StrCat("半天“", half, "”应为 是/否（或 半天/全天）"),
            absl::StrCat("half_day \"", half, "\" must be yes/no (or half/full)")});
      continue;
    }
    absence.set_half_day(half_day);
    auto [at, inserted] = seen.emplace(absence.student_number(), r.line);
    if (!inserted) {
      fail({absl::StrCat("同一学生与第 ", at->second, " 行重复"),
            absl::StrCat("the same student as line ", at->second)});
      continue;
    }
    file.absences.push_back(std::move(absence));
    file.lines.push_back(r.line);
  }
  return file;
}

absl::StatusOr<RosterFile> ReadRosterCsv(absl::string_view bytes) {
  absl::StatusOr<Loaded> loaded = Load(bytes);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(loaded->records[0], RosterColumns());
  if (!header.ok()) return header.status();
  RosterFile file;
  file.encoding = loaded->encoding;
  file.content_hash = Sha256Hex(loaded->text);
  std::map<std::string, int> seen;
  for (size_t i = 1; i < loaded->records.size(); ++i) {
    const CsvRecord& r = loaded->records[i];
    ++file.data_rows;
    auto fail = [&](Text message) {
      file.errors.push_back({r.line, std::move(message)});
    };
    absl::Status shape = header->CheckRecord(r);
    if (!shape.ok()) {
      fail({absl::StrCat("列数比表头多，可能有未加引号的逗号（",
                         shape.message(), "）"),
            std::string(shape.message())});
      continue;
    }
    v1::RosterEntry entry;
    entry.set_id_number(header->Get(r, "id_number"));
    entry.set_name(header->Get(r, "name"));
    entry.set_guardian_name(header->Get(r, "guardian_name"));
    entry.set_guardian_phone(header->Get(r, "guardian_phone"));
    if (entry.id_number().empty()) {
      fail(Bad("缺少身份证号", "id_number is empty"));
      continue;
    }
    absl::Status id = domain::ValidateIdNumber(entry.id_number());
    if (!id.ok()) {
      fail(FromStatus(id));
      continue;
    }
    if (entry.name().empty()) {
      fail(Bad("缺少姓名", "name is empty"));
      continue;
    }
    if (!entry.guardian_phone().empty()) {
      absl::Status phone = domain::ValidatePhone(entry.guardian_phone());
      if (!phone.ok()) {
        fail(FromStatus(phone));
        continue;
      }
    }
    auto [at, inserted] = seen.emplace(entry.id_number(), r.line);
    if (!inserted) {
      fail({absl::StrCat("身份证号与第 ", at->second, " 行重复"),
            absl::StrCat("the same ID number as line ", at->second)});
      continue;
    }
    file.entries.push_back(std::move(entry));
    file.lines.push_back(r.line);
  }
  return file;
}

bool ParseTermArg(absl::string_view text, v1::Term* term, Text* error) {
  std::vector<std::string> parts =
      absl::StrSplit(absl::StrReplaceAll(text, {{"：", ":"}}), ':');
  if (parts.size() != 3 || absl::StripAsciiWhitespace(parts[0]).empty() ||
      !ParseDate(parts[1], term->mutable_start_date()) ||
      !ParseDate(parts[2], term->mutable_end_date())) {
    *error = {absl::StrCat("学期“", text,
                           "”应写作 名称:开始日期:结束日期，如 "
                           "秋季学期:2026-09-01:2027-01-22"),
              absl::StrCat("term \"", text,
                           "\" must be name:start:end, e.g. "
                           "秋季学期:2026-09-01:2027-01-22")};
    return false;
  }
  term->set_name(std::string(absl::StripAsciiWhitespace(parts[0])));
  return true;
}

absl::StatusOr<CalendarFile> ReadCalendarCsv(absl::string_view bytes) {
  absl::StatusOr<Loaded> loaded = Load(bytes);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(loaded->records[0], CalendarColumns());
  if (!header.ok()) return header.status();
  CalendarFile file;
  file.encoding = loaded->encoding;
  for (size_t i = 1; i < loaded->records.size(); ++i) {
    const CsvRecord& r = loaded->records[i];
    auto fail = [&](Text message) {
      file.errors.push_back({r.line, std::move(message)});
    };
    std::string kind = absl::AsciiStrToLower(header->Get(r, "kind"));
    std::string start = header->Get(r, "start");
    std::string end = header->Get(r, "end");
    absl::CivilDay first, last;
    if (!ParseDay(start, &first) || (!end.empty() && !ParseDay(end, &last))) {
      fail({absl::StrCat("日期“", start, "”或“", end, "”不是日期（如 2026-09-01）"),
            absl::StrCat("\"", start, "\" or \"", end,
                         "\" is not a date (e.g. 2026-09-01)")});
      continue;
    }
    if (end.empty()) last = first;
    if (last < first || last - first > 366) {
      fail(Bad("结束日期早于开始日期或相隔超过一年",
               "end is before start or more than a year after it"));
      continue;
    }
    if (kind == "学期" || kind == "term") {
      if (header->Get(r, "name").empty() || end.empty()) {
        fail(Bad("学期须填写名称、开始日期和结束日期",
                 "a term needs a name, a start and an end"));
        continue;
      }
      v1::Term* term = file.calendar.add_terms();
      term->set_name(header->Get(r, "name"));
      *term->mutable_start_date() = ToDate(first);
      *term->mutable_end_date() = ToDate(last);
    } else if (kind == "假期" || kind == "节假日" || kind == "放假" ||
               kind == "holiday") {
      for (absl::CivilDay d = first; d <= last; ++d) {
        *file.calendar.add_holidays() = ToDate(d);
      }
    } else if (kind == "调休" || kind == "调休上课" || kind == "补课" ||
               kind == "makeup") {
      for (absl::CivilDay d = first; d <= last; ++d) {
        *file.calendar.add_makeup_days() = ToDate(d);
      }
    } else {
      fail({absl::StrCat("类型“", header->Get(r, "kind"),
                         "”应为 学期、假期 或 调休"),
            absl::StrCat("kind \"", header->Get(r, "kind"),
                         "\" must be term, holiday or makeup")});
    }
  }
  return file;
}

}  // namespace baoxue::clients
