#include "deploy/demo/dataset.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/identifiers.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::demo {
namespace {

// SplitMix64: a tiny generator whose output is fixed by its definition, so
// a seed means the same county with every compiler and standard library.
uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t Hash(uint64_t a, uint64_t b, uint64_t c) {
  return Mix64(Mix64(Mix64(a) ^ b) ^ c);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ull;
    return Mix64(state_);
  }
  // Uniform in [0, n); the modulo bias is far below what the demo can show.
  int Uniform(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int per_10000) { return Uniform(10000) < per_10000; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(static_cast<int>(items.size()))];
  }

 private:
  uint64_t state_;
};

// ---- The townships (DOMAIN §7): name, code suffix, share of pupils.
struct TownshipSeed {
  const char* name;
  int code_suffix;
  int percent;
};
const TownshipSeed kTownships[] = {
    {"浔中镇", 100, 22}, {"龙浔镇", 101, 18}, {"三班镇", 102, 6},
    {"龙门滩镇", 103, 5}, {"雷峰镇", 104, 5}, {"南埕镇", 105, 4},
    {"水口镇", 106, 5},  {"赤水镇", 107, 5}, {"葛坑镇", 108, 4},
    {"上涌镇", 109, 5},  {"盖德镇", 110, 5}, {"美湖镇", 111, 3},
    {"杨梅乡", 200, 3},  {"汤头乡", 201, 2}, {"国宝乡", 202, 2},
    {"春美乡", 203, 2},  {"大铭乡", 204, 2}, {"桂阳乡", 205, 2},
};

// Invented village names (illustrative): consecutive picks are distinct.
const std::vector<std::string> kVillageNames = {
    "东埔", "石山", "后坂", "洋坑", "下尾", "上坪", "龙湖", "溪口",
    "美岭", "丘坂", "林地", "格头", "佛岭", "蒲坂", "尾林", "宝美",
    "高阳", "大坂", "新阳", "岭头", "桥内", "双翰", "南岸", "北山"};

const std::vector<std::string> kSurnames = {
    "林", "陈", "郑", "黄", "李", "王", "张", "苏", "颜", "曾",
    "赖", "徐", "连", "涂", "吴", "刘", "许", "方", "邱", "杨"};
const std::vector<std::string> kBoyChars = {
    "子", "浩", "宇", "俊", "杰", "明", "鑫", "涛", "磊", "晨",
    "博", "文", "辉", "强", "志", "泽", "凯", "瑞", "彬", "昊"};
const std::vector<std::string> kGirlChars = {
    "欣", "怡", "婷", "雨", "涵", "佳", "琪", "萱", "雪", "梦",
    "丽", "静", "思", "颖", "诗", "晓", "慧", "琳", "妍", "悦"};
// Where migrant (随迁) children's ID numbers were first issued.
const std::vector<std::string> kMigrantAreas = {"360781", "522121", "513022",
                                                "350583", "350521", "431023"};
const std::vector<std::string> kSickReasons = {"发烧", "感冒", "腹泻", "牙痛",
                                               "就医复查"};
const std::vector<std::string> kPersonalReasons = {"家中有事", "参加亲属婚礼",
                                                   "随家长外出办事"};

std::string ChildName(Rng& rng, const std::string& surname, bool male) {
  const auto& chars = male ? kBoyChars : kGirlChars;
  std::string name = surname + rng.Pick(chars);
  if (rng.Chance(8000)) name += rng.Pick(chars);
  return name;
}

std::string Phone(Rng& rng) {
  static const char kSecond[] = {'3', '5', '8', '9'};
  std::string phone = absl::StrCat("1", std::string(1, kSecond[rng.Uniform(4)]));
  for (int i = 0; i < 9; ++i) phone += static_cast<char>('0' + rng.Uniform(10));
  return phone;
}

// An ID number that validates; `used` keeps the county's numbers unique.
absl::StatusOr<std::string> IdNumber(Rng& rng, const std::string& area,
                                     absl::CivilDay birth, bool male,
                                     std::set<std::string>* used) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int sequence = rng.Uniform(500) * 2 + (male ? 1 : 0);  // odd = male
    std::string first17 =
        absl::StrFormat("%s%04d%02d%02d%03d", area, birth.year(),
                        birth.month(), birth.day(), sequence);
    ASSIGN_OR_RETURN(char check, domain::IdNumberCheckCharacter(first17));
    std::string id = first17 + check;
    if (!used->insert(id).second) continue;
    RETURN_IF_ERROR(domain::ValidateIdNumber(id));
    return id;
  }
  return LocalizedError(absl::StatusCode::kInternal,
                        "演示数据：身份证号顺序码用尽",
                        "demo data: ran out of ID sequence numbers");
}

// A birth date that puts a child in `grade` of the school year starting in
// `year`: 6 full years old by 31 August means grade 1.
absl::CivilDay BirthForGrade(Rng& rng, int year, int grade) {
  absl::CivilDay first(year - 6 - grade, 9, 1);
  absl::CivilDay last(year - 5 - grade, 8, 31);
  return first + rng.Uniform(static_cast<int>(last - first) + 1);
}

// The share of each priority group (DOMAIN §3), per 10,000 pupils: a
// mountain county of Fujian with many parents working on the coast.
const std::vector<PriorityShare> kPriorityShares = {
    {v1::PRIORITY_GROUP_POOR_HOUSEHOLD, 300},
    {v1::PRIORITY_GROUP_MINIMUM_LIVING_ALLOWANCE, 200},
    {v1::PRIORITY_GROUP_EXTREME_HARDSHIP, 30},
    {v1::PRIORITY_GROUP_DISABLED, 80},
    {v1::PRIORITY_GROUP_ORPHAN, 20},
    {v1::PRIORITY_GROUP_NO_EFFECTIVE_GUARDIAN, 30},
    {v1::PRIORITY_GROUP_LEFT_BEHIND, 1200},
    {v1::PRIORITY_GROUP_MIGRANT, 500},
};

v1::School MakeSchool(const std::string& id, const std::string& name,
                      const std::string& township, v1::SchoolKind kind) {
  v1::School school;
  school.set_school_id(id);
  school.set_name(name);
  school.set_township_code(township);
  school.set_kind(kind);
  int first = kind == v1::SCHOOL_KIND_JUNIOR_SECONDARY ? 7 : 1;
  int last = kind == v1::SCHOOL_KIND_PRIMARY ? 6 : 9;
  for (int g = first; g <= last; ++g) school.add_grades(g);
  return school;
}

bool Teaches(const v1::School& school, int grade) {
  return std::find(school.grades().begin(), school.grades().end(), grade) !=
         school.grades().end();
}

// The 2026–27 calendar. 2026's holidays follow the State Council's
// schedule for 2026 (中秋 9-25..27; 国庆 10-1..7 with 9-20 and 10-10 worked);
// the term dates and everything in 2027 are plausible, not official.
std::vector<CalendarNote> CalendarNotes() {
  using D = absl::CivilDay;
  return {
      {"中秋节", "Mid-Autumn Festival", D(2026, 9, 25), D(2026, 9, 27), {}, true},
      {"国庆节", "National Day", D(2026, 10, 1), D(2026, 10, 7),
       {D(2026, 9, 20), D(2026, 10, 10)}, true},
      {"元旦", "New Year's Day", D(2027, 1, 1), D(2027, 1, 3), {}, false},
      {"清明节", "Qingming Festival", D(2027, 4, 3), D(2027, 4, 5), {}, false},
      {"劳动节", "Labour Day", D(2027, 5, 1), D(2027, 5, 5),
       {D(2027, 4, 25), D(2027, 5, 8)}, false},
      {"端午节", "Dragon Boat Festival", D(2027, 6, 9), D(2027, 6, 9), {}, false},
  };
}

}  // namespace

const std::vector<PriorityShare>& PriorityShares() { return kPriorityShares; }

v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::StatusOr<Dataset> Dataset::Generate(const DatasetOptions& options) {
  // Fewer pupils could not hold the minimum numbers of absentees and
  // transfers that let a small demo show every case state.
  if (options.students < 100) {
    return InvalidArgumentError("students：学生人数至少为 100",
                                "students: at least 100 students");
  }
  if (options.active_school_days < 5) {
    return InvalidArgumentError("active_school_days：至少为 5",
                                "active_school_days: at least 5");
  }

  // ---- The calendar, validated by the same module the server uses.
  v1::SchoolYearCalendar proto;
  domain::CalendarSpec spec;
  spec.school_year = 2026;
  spec.terms = {{"秋季学期", absl::CivilDay(2026, 9, 1), absl::CivilDay(2027, 1, 22)},
                {"春季学期", absl::CivilDay(2027, 2, 22), absl::CivilDay(2027, 6, 30)}};
  proto.set_school_year(2026);
  for (const domain::Term& term : spec.terms) {
    v1::Term* t = proto.add_terms();
    t->set_name(term.name);
    *t->mutable_start_date() = ToDate(term.start);
    *t->mutable_end_date() = ToDate(term.end);
  }
  std::vector<CalendarNote> notes = CalendarNotes();
  for (const CalendarNote& note : notes) {
    for (absl::CivilDay d = note.first; d <= note.last; ++d) {
      spec.holidays.push_back(d);
      *proto.add_holidays() = ToDate(d);
    }
    for (absl::CivilDay d : note.makeup_days) {
      spec.makeup_days.push_back(d);
      *proto.add_makeup_days() = ToDate(d);
    }
  }
  ASSIGN_OR_RETURN(domain::SchoolCalendar calendar,
                   domain::SchoolCalendar::Create(spec));

  Dataset data(std::move(calendar));
  data.options_ = options;
  data.calendar_proto_ = std::move(proto);
  data.notes_ = std::move(notes);
  data.county_.set_county_code("350526");
  data.county_.set_name("德化县");
  Rng rng(Hash(options.seed, 1, 0));

  // ---- Townships, villages and schools.
  int next_village_name = 0;
  for (const TownshipSeed& seed : kTownships) {
    DemoTownship t;
    std::string code = absl::StrCat("350526", seed.code_suffix);
    t.township.set_township_code(code);
    t.township.set_name(seed.name);
    t.township.set_kind(seed.code_suffix < 200 ? v1::TOWNSHIP_KIND_TOWN
                                               : v1::TOWNSHIP_KIND_TOWNSHIP);
    t.population_percent = seed.percent;
    RETURN_IF_ERROR(domain::ValidateTownshipCode(code, "350526"));
    int villages = 4 + seed.percent / 2;
    for (int v = 1; v <= villages; ++v) {
      v1::Village village;
      village.set_village_code(absl::StrFormat("%s%03d", code, v));
      village.set_township_code(code);
      std::string base = kVillageNames[next_village_name++ % kVillageNames.size()];
      // A 镇's first two are the neighbourhoods of the town itself.
      village.set_name(seed.code_suffix < 200 && v <= 2 ? base + "社区" : base + "村");
      RETURN_IF_ERROR(domain::ValidateVillageCode(village.village_code(), code));
      t.villages.push_back(std::move(village));
    }
    data.townships_.push_back(std::move(t));
  }
  // ~60 schools: each 镇 has a central primary and a junior secondary; each
  // 乡 a nine-year central school; the county seat has more of both, plus
  // the special-education school; larger towns keep village primaries.
  for (size_t i = 0; i < data.townships_.size(); ++i) {
    const DemoTownship& t = data.townships_[i];
    const std::string& code = t.township.township_code();
    std::string short_name = t.township.name();
    short_name.resize(short_name.size() - 3);  // drop 镇/乡 (3 bytes)
    std::string id = absl::StrCat("s", code.substr(6));
    if (t.township.kind() == v1::TOWNSHIP_KIND_TOWN) {
      data.schools_.push_back(MakeSchool(id + "-primary", short_name + "中心小学",
                                         code, v1::SCHOOL_KIND_PRIMARY));
      data.schools_.push_back(MakeSchool(id + "-junior", short_name + "中学", code,
                                         v1::SCHOOL_KIND_JUNIOR_SECONDARY));
    } else {
      data.schools_.push_back(MakeSchool(id + "-school", short_name + "中心学校",
                                         code, v1::SCHOOL_KIND_NINE_YEAR));
    }
    int extra = i == 0 ? 5 : i == 1 ? 4 : i < 12 ? (i % 3 == 0 ? 1 : 2)
                                                   : (i % 3 == 0 ? 1 : 0);
    for (int k = 0; k < extra; ++k) {
      const std::string& village = t.villages[(k + 2) % t.villages.size()].name();
      std::string name = village.substr(0, village.size() - 3) + "小学";
      data.schools_.push_back(MakeSchool(absl::StrCat(id, "-p", k + 1), name,
                                         code, v1::SCHOOL_KIND_PRIMARY));
    }
  }
  data.schools_.push_back(MakeSchool("s100-junior2", "德化县实验中学", "350526100",
                                     v1::SCHOOL_KIND_JUNIOR_SECONDARY));
  data.schools_.push_back(MakeSchool("s101-junior2", "德化县第三中学", "350526101",
                                     v1::SCHOOL_KIND_JUNIOR_SECONDARY));
  data.schools_.push_back(MakeSchool("s100-special", "德化县特殊教育学校",
                                     "350526100",
                                     v1::SCHOOL_KIND_SPECIAL_EDUCATION));
  const int special = static_cast<int>(data.schools_.size()) - 1;
  // The school that stops reporting for three days: the last village
  // primary (a small school, as it usually is).
  for (int s = special - 1; s >= 0; --s) {
    if (data.schools_[s].school_id().find("-p") != std::string::npos) {
      data.silent_school_ = s;
      break;
    }
  }

  // ---- Students.
  std::vector<int> township_pick;  // percent-weighted township indices
  for (size_t i = 0; i < data.townships_.size(); ++i) {
    for (int p = 0; p < data.townships_[i].population_percent; ++p) {
      township_pick.push_back(static_cast<int>(i));
    }
  }
  std::set<std::string> used_ids;
  std::vector<std::vector<int>> class_size(data.schools_.size(),
                                           std::vector<int>(10, 0));
  data.students_.reserve(options.students);
  for (int n = 0; n < options.students; ++n) {
    DemoStudent s;
    v1::Student& st = s.student;
    const DemoTownship& t = data.townships_[rng.Pick(township_pick)];
    const std::string& town = t.township.township_code();
    s.grade = 1 + rng.Uniform(9);
    for (const PriorityShare& share : kPriorityShares) {
      if (rng.Chance(share.per_10000)) st.add_priority_groups(share.group);
    }
    bool disabled = std::find(st.priority_groups().begin(),
                              st.priority_groups().end(),
                              v1::PRIORITY_GROUP_DISABLED) !=
                    st.priority_groups().end();
    // Severely disabled children of the county go to the special school
    // (one in four); the others learn in an ordinary class (随班就读).
    std::vector<int> choices;
    if (disabled && rng.Chance(2500)) {
      choices.push_back(special);
    } else {
      for (size_t k = 0; k < data.schools_.size(); ++k) {
        const v1::School& school = data.schools_[k];
        if (school.township_code() != town || static_cast<int>(k) == special ||
            !Teaches(school, s.grade)) {
          continue;
        }
        // The central schools take more pupils than village schools.
        int weight = school.school_id().find("-p") == std::string::npos ? 3 : 1;
        for (int w = 0; w < weight; ++w) choices.push_back(static_cast<int>(k));
      }
    }
    s.school = rng.Pick(choices);
    int seat = class_size[s.school][s.grade]++;
    s.class_name = absl::StrCat(seat / 45 + 1, "班");

    bool male = rng.Chance(5150);
    bool migrant = std::find(st.priority_groups().begin(),
                             st.priority_groups().end(),
                             v1::PRIORITY_GROUP_MIGRANT) !=
                   st.priority_groups().end();
    std::string area = migrant ? rng.Pick(kMigrantAreas) : "350526";
    absl::CivilDay birth = BirthForGrade(rng, 2026, s.grade);
    ASSIGN_OR_RETURN(std::string id, IdNumber(rng, area, birth, male, &used_ids));
    st.set_id_number(id);
    st.set_student_number("G" + id);
    RETURN_IF_ERROR(domain::ValidateStudentNumber(st.student_number(), id));
    std::string surname = rng.Pick(kSurnames);
    st.set_name(ChildName(rng, surname, male));
    st.set_sex(male ? v1::SEX_MALE : v1::SEX_FEMALE);
    *st.mutable_birth_date() = ToDate(birth);
    st.set_household_township_code(town);
    st.set_household_village_code(rng.Pick(t.villages).village_code());
    bool left_behind = std::find(st.priority_groups().begin(),
                                 st.priority_groups().end(),
                                 v1::PRIORITY_GROUP_LEFT_BEHIND) !=
                       st.priority_groups().end();
    v1::Guardian* g = st.add_guardians();
    if (left_behind) {
      g->set_name(surname + rng.Pick(kBoyChars) + rng.Pick(kBoyChars));
      g->set_relation("祖父");
      g->set_phone(Phone(rng));
      v1::Guardian* parent = st.add_guardians();
      parent->set_name(surname + rng.Pick(kBoyChars) + rng.Pick(kBoyChars));
      parent->set_relation("父亲（外出务工）");
      parent->set_phone(Phone(rng));
    } else {
      bool father = rng.Chance(6000);
      g->set_name((father ? surname : rng.Pick(kSurnames)) +
                  rng.Pick(father ? kBoyChars : kGirlChars) +
                  rng.Pick(father ? kBoyChars : kGirlChars));
      g->set_relation(father ? "父亲" : "母亲");
      g->set_phone(Phone(rng));
    }
    RETURN_IF_ERROR(domain::ValidatePhone(g->phone()));
    data.students_.push_back(std::move(s));
  }

  // ---- Chronic absentees: about one pupil in 200 (at least 16, so a small
  // demo still shows every kind), more often from priority groups, their
  // first unexcused day spread evenly over the active school days.
  static const AbsencePattern kCycle[16] = {
      AbsencePattern::kRun,     AbsencePattern::kDropout,
      AbsencePattern::kRun,     AbsencePattern::kIntermittent,
      AbsencePattern::kRun,     AbsencePattern::kDropout,
      AbsencePattern::kRun,     AbsencePattern::kVanished,
      AbsencePattern::kRun,     AbsencePattern::kDropout,
      AbsencePattern::kRun,     AbsencePattern::kIntermittent,
      AbsencePattern::kRun,     AbsencePattern::kDropout,
      AbsencePattern::kRun,     AbsencePattern::kRun};
  const int total = options.students;
  int absentees = std::min(total / 2, std::max(16, total / 200));
  std::vector<bool> taken(total, false);
  auto draw = [&](bool prefer_priority) {
    while (true) {
      int i = rng.Uniform(total);
      if (taken[i] || data.students_[i].school == special) continue;
      if (prefer_priority && data.students_[i].student.priority_groups().empty() &&
          !rng.Chance(4000)) {
        continue;
      }
      taken[i] = true;
      return i;
    }
  };
  int window = options.active_school_days - 3;
  int dropouts = 0;
  for (int a = 0; a < absentees; ++a) {
    DemoStudent& s = data.students_[draw(true)];
    s.pattern = kCycle[a % 16];
    s.start_day = absentees > 1 ? a * window / (absentees - 1) : 0;
    s.run_length = 3 + rng.Uniform(3);
    if (s.pattern == AbsencePattern::kIntermittent) {
      s.start_day = rng.Uniform(std::min(5, window + 1));
    }
    if (s.pattern == AbsencePattern::kDropout) s.persistent = (dropouts++ % 2) == 1;
  }

  // ---- Enrolment changes, by regular pupils.
  auto spread = [&](int k, int count) {
    return 1 + (count > 1 ? k * (window - 1) / (count - 1) : 0);
  };
  int in_county = std::max(2, total * 20 / 10000);
  for (int k = 0; k < in_county; ++k) {
    PlannedChange change;
    change.kind = PlannedChange::Kind::kTransferInCounty;
    change.day = spread(k, in_county);
    change.student = draw(false);
    const DemoStudent& s = data.students_[change.student];
    // To a school of another township that teaches the grade.
    for (int tries = 0; tries < 1000; ++tries) {
      int to = rng.Uniform(special);
      if (data.schools_[to].township_code() !=
              data.schools_[s.school].township_code() &&
          Teaches(data.schools_[to], s.grade)) {
        change.to_school = to;
        break;
      }
    }
    data.changes_.push_back(change);
  }
  int with_proof = std::max(1, total * 10 / 10000);
  for (int k = 0; k < with_proof; ++k) {
    data.changes_.push_back({PlannedChange::Kind::kTransferOutOfCountyWithProof,
                             spread(k, with_proof), draw(false), -1});
  }
  data.changes_.push_back(
      {PlannedChange::Kind::kTransferOutOfCountyNoProof, 1, draw(false), -1});
  int withdrawals = std::max(1, total * 5 / 10000);
  for (int k = 0; k < withdrawals; ++k) {
    data.changes_.push_back({PlannedChange::Kind::kWithdraw,
                             2 + spread(k, withdrawals) / 2, draw(false), -1});
  }
  std::sort(data.changes_.begin(), data.changes_.end(),
            [](const PlannedChange& a, const PlannedChange& b) {
              return std::make_pair(a.day, a.student) <
                     std::make_pair(b.day, b.student);
            });

  // ---- Children on the rosters who are enrolled nowhere (R4): about one
  // in a thousand, at least 4; one in four disabled.
  int unenrolled = std::max(4, total / 1000);
  for (int k = 0; k < unenrolled; ++k) {
    const DemoTownship& t = data.townships_[rng.Pick(township_pick)];
    int age = 6 + rng.Uniform(10);  // 6..15 on 31 August 2026
    absl::CivilDay birth = BirthForGrade(rng, 2026, age - 5);
    bool male = rng.Chance(5000);
    ASSIGN_OR_RETURN(std::string id,
                     IdNumber(rng, "350526", birth, male, &used_ids));
    UnenrolledChild child;
    child.birth_date = birth;
    child.disabled = k % 4 == 0;
    std::string surname = rng.Pick(kSurnames);
    child.entry.set_id_number(id);
    child.entry.set_name(ChildName(rng, surname, male));
    child.entry.set_village_code(rng.Pick(t.villages).village_code());
    child.entry.set_guardian_name(surname + rng.Pick(kBoyChars) +
                                  rng.Pick(kBoyChars));
    child.entry.set_guardian_phone(Phone(rng));
    child.on_roster = k + 1 < unenrolled;
    data.unenrolled_.push_back(std::move(child));
  }
  return data;
}

std::vector<v1::RosterEntry> Dataset::RosterOf(
    const std::string& village_code) const {
  std::vector<v1::RosterEntry> entries;
  for (const DemoStudent& s : students_) {
    const v1::Student& st = s.student;
    if (st.household_village_code() != village_code) continue;
    v1::RosterEntry entry;
    entry.set_id_number(st.id_number());
    entry.set_name(st.name());
    entry.set_village_code(village_code);
    entry.set_guardian_name(st.guardians(0).name());
    entry.set_guardian_phone(st.guardians(0).phone());
    entries.push_back(std::move(entry));
  }
  for (const UnenrolledChild& child : unenrolled_) {
    if (child.on_roster && child.entry.village_code() == village_code) {
      entries.push_back(child.entry);
    }
  }
  return entries;
}

std::vector<PlannedAbsence> Dataset::AbsencesOn(int day_index) const {
  std::vector<bool> changed(students_.size(), false);
  for (const PlannedChange& change : changes_) changed[change.student] = true;
  std::vector<PlannedAbsence> out;
  for (size_t i = 0; i < students_.size(); ++i) {
    if (changed[i]) continue;  // their days follow the transfer, not a pattern
    const DemoStudent& s = students_[i];
    PlannedAbsence a;
    a.student = static_cast<int>(i);
    int since = day_index - s.start_day;
    switch (s.pattern) {
      case AbsencePattern::kRun:
        if (since >= 0 && since < s.run_length) {
          a.category = v1::ABSENCE_CATEGORY_UNEXCUSED;
        }
        break;
      case AbsencePattern::kIntermittent:
        if (since >= 0 && since % 2 == 0) a.category = v1::ABSENCE_CATEGORY_UNEXCUSED;
        break;
      case AbsencePattern::kDropout:
        if (since >= 0) a.category = v1::ABSENCE_CATEGORY_UNEXCUSED;
        break;
      case AbsencePattern::kVanished:
        if (since >= 0) a.category = v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN;
        break;
      case AbsencePattern::kRegular:
        break;
    }
    if (a.category == v1::ABSENCE_CATEGORY_UNSPECIFIED) {
      // Everyone else: ~0.8% sick, ~0.3% personal leave, and a rare single
      // unexcused day.
      uint64_t h = Hash(options_.seed, i, static_cast<uint64_t>(day_index));
      int roll = static_cast<int>(h % 10000);
      if (roll < 80) {
        a.category = v1::ABSENCE_CATEGORY_SICK_LEAVE;
        a.reason = kSickReasons[(h >> 20) % kSickReasons.size()];
        a.half_day = ((h >> 40) % 4) == 0;
      } else if (roll < 110) {
        a.category = v1::ABSENCE_CATEGORY_PERSONAL_LEAVE;
        a.reason = kPersonalReasons[(h >> 20) % kPersonalReasons.size()];
      } else if (roll < 115) {
        a.category = v1::ABSENCE_CATEGORY_UNEXCUSED;
      } else {
        continue;
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

bool Dataset::Reports(int school, int day_index) const {
  if (school == silent_school_ && day_index >= 5 && day_index <= 7) return false;
  return Hash(options_.seed ^ 0x5eed, static_cast<uint64_t>(school),
              static_cast<uint64_t>(day_index)) % 200 != 0;
}

}  // namespace baoxue::demo
