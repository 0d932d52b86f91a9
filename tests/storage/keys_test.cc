#include "storage/keys.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace baoxue::storage {
namespace {

// Byte-wise comparison, as RocksDB's default comparator does it.
int CompareBytes(const std::string& a, const std::string& b) {
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

template <typename T>
int CompareValues(T a, T b) {
  return a < b ? -1 : (a == b ? 0 : 1);
}

TEST(KeysTest, U64KeysSortNumerically) {
  std::mt19937_64 rng(20260901);
  const std::vector<uint64_t> edges = {0, 1, 255, 256, 65535, 65536,
                                       (uint64_t{1} << 32) - 1,
                                       uint64_t{1} << 32,
                                       uint64_t{1} << 63,
                                       std::numeric_limits<uint64_t>::max()};
  for (int i = 0; i < 20000; ++i) {
    uint64_t a = rng(), b = rng();
    // Small numbers and numbers close to each other matter most: without
    // big-endian encoding 255 and 256 sort the wrong way round.
    if (i % 3 == 0) a >>= (rng() % 64), b >>= (rng() % 64);
    if (i % 5 == 0) b = a + (rng() % 3) - 1;
    if (i < static_cast<int>(edges.size() * edges.size())) {
      a = edges[i / edges.size()];
      b = edges[i % edges.size()];
    }
    std::string ka = Key(KeySpace::kCounter).U64(a).data();
    std::string kb = Key(KeySpace::kCounter).U64(b).data();
    ASSERT_EQ(CompareBytes(ka, kb), CompareValues(a, b)) << a << " vs " << b;
  }
}

TEST(KeysTest, I64KeysSortNumericallyWithNegativesFirst) {
  std::mt19937_64 rng(7);
  const std::vector<int64_t> edges = {std::numeric_limits<int64_t>::min(),
                                      -256, -255, -1, 0, 1, 255, 256,
                                      std::numeric_limits<int64_t>::max()};
  for (int i = 0; i < 20000; ++i) {
    int64_t a = static_cast<int64_t>(rng());
    int64_t b = static_cast<int64_t>(rng());
    if (i % 3 == 0) a >>= (rng() % 64), b >>= (rng() % 64);
    if (i % 5 == 0) b = a + static_cast<int64_t>(rng() % 3) - 1;
    if (i < static_cast<int>(edges.size() * edges.size())) {
      a = edges[i / edges.size()];
      b = edges[i % edges.size()];
    }
    std::string ka = Key(KeySpace::kTimer).I64(a).data();
    std::string kb = Key(KeySpace::kTimer).I64(b).data();
    ASSERT_EQ(CompareBytes(ka, kb), CompareValues(a, b)) << a << " vs " << b;
  }
}

TEST(KeysTest, U32KeysSortNumerically) {
  std::mt19937 rng(3);
  for (int i = 0; i < 5000; ++i) {
    uint32_t a = rng() >> (rng() % 32), b = rng() >> (rng() % 32);
    ASSERT_EQ(CompareBytes(Key(KeySpace::kCounter).U32(a).data(),
                           Key(KeySpace::kCounter).U32(b).data()),
              CompareValues(a, b));
  }
}

TEST(KeysTest, IntegersRoundTrip) {
  std::string key = Key(KeySpace::kTimer)
                        .U64(0x0102030405060708)
                        .I64(-42)
                        .U32(0xdeadbeef)
                        .I64(std::numeric_limits<int64_t>::min())
                        .data();
  KeyReader reader(key);
  KeySpace space;
  uint64_t u64;
  int64_t i64, min;
  uint32_t u32;
  ASSERT_TRUE(reader.Space(&space));
  EXPECT_EQ(space, KeySpace::kTimer);
  ASSERT_TRUE(reader.U64(&u64));
  ASSERT_TRUE(reader.I64(&i64));
  ASSERT_TRUE(reader.U32(&u32));
  ASSERT_TRUE(reader.I64(&min));
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(u64, 0x0102030405060708u);
  EXPECT_EQ(i64, -42);
  EXPECT_EQ(u32, 0xdeadbeefu);
  EXPECT_EQ(min, std::numeric_limits<int64_t>::min());
  // Nothing left: every further read fails instead of inventing a value.
  EXPECT_FALSE(reader.U64(&u64));
  EXPECT_FALSE(reader.U32(&u32));
}

// Strings that stress the escaping: empty, embedded NULs, 0x01 and 0xff
// bytes, and strings that are prefixes of one another.
std::vector<std::string> TrickyStrings() {
  using namespace std::string_literals;
  return {""s,      "\0"s,      "\0\0"s,     "\0\x01"s, "\0\xff"s,  "\x01"s,
          "a"s,     "a\0"s,     "a\0b"s,     "a\x01"s,  "a\xff"s,   "ab"s,
          "abc"s,   "b"s,       "\xff"s,     "\xff\xff"s, "\xff\0"s, "学校"s,
          "学校\0甲"s, "xunzhong-primary"s, "xunzhong"s};
}

TEST(KeysTest, StringComponentsKeepOrderAndRoundTrip) {
  const std::vector<std::string> strings = TrickyStrings();
  for (const std::string& a1 : strings) {
    for (const std::string& b1 : strings) {
      // Two-component keys: order by the first string, then the second —
      // even when the first of one key is a prefix of the other's.
      for (const std::string& a2 : {std::string(""), std::string("z")}) {
        for (const std::string& b2 : {std::string(""), std::string("\0", 1)}) {
          std::string ka = Key(KeySpace::kCaseIndex).Str(a1).Str(a2).data();
          std::string kb = Key(KeySpace::kCaseIndex).Str(b1).Str(b2).data();
          int expected = a1 != b1 ? CompareBytes(a1, b1) : CompareBytes(a2, b2);
          ASSERT_EQ(CompareBytes(ka, kb), expected)
              << testing::PrintToString(a1) << "," << testing::PrintToString(a2)
              << " vs " << testing::PrintToString(b1) << ","
              << testing::PrintToString(b2);
        }
      }
    }
    std::string key = Key(KeySpace::kCaseIndex).Str(a1).U64(7).Str(a1).data();
    KeyReader reader(key);
    KeySpace space;
    std::string first, second;
    uint64_t middle;
    ASSERT_TRUE(reader.Space(&space));
    ASSERT_TRUE(reader.Str(&first));
    ASSERT_TRUE(reader.U64(&middle));
    ASSERT_TRUE(reader.Str(&second));
    EXPECT_TRUE(reader.done());
    EXPECT_EQ(first, a1);
    EXPECT_EQ(second, a1);
    EXPECT_EQ(middle, 7u);
  }
}

TEST(KeysTest, LeadingComponentsArePrefixesOnlyOfTheirExtensions) {
  std::string school = Key(KeySpace::kAttendance).Str("school-a").data();
  std::string day = Key(KeySpace::kAttendance).Str("school-a").U32(20260901).data();
  std::string other = Key(KeySpace::kAttendance).Str("school-ab").U32(1).data();
  std::string nul = Key(KeySpace::kAttendance).Str(std::string("school-a\0", 9)).data();
  EXPECT_EQ(day.compare(0, school.size(), school), 0);
  // "school-a" must not be a key prefix of "school-ab" or "school-a\0".
  EXPECT_NE(other.compare(0, school.size(), school), 0);
  EXPECT_NE(nul.compare(0, school.size(), school), 0);
}

TEST(KeysTest, ReaderRejectsMalformedStrings) {
  std::string unterminated = "abc";
  std::string reader_input = std::string(1, 'a') + unterminated;
  KeyReader reader(reader_input);
  KeySpace space;
  std::string value;
  ASSERT_TRUE(reader.Space(&space));
  EXPECT_FALSE(reader.Str(&value));
  std::string bad_escape("a\0\x02", 3);
  KeyReader bad(bad_escape);
  EXPECT_FALSE(bad.Str(&value));
}

TEST(KeysTest, PrefixSuccessorBoundsEveryExtension) {
  using namespace std::string_literals;
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor("ab\xff"s), "ac");
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"s), "b");
  EXPECT_EQ(PrefixSuccessor("\xff\xff"s), "");
  EXPECT_EQ(PrefixSuccessor(""), "");

  std::mt19937 rng(11);
  for (const std::string& s : TrickyStrings()) {
    std::string prefix = Key(KeySpace::kCaseIndex).Str(s).data();
    std::string limit = PrefixSuccessor(prefix);
    ASSERT_FALSE(limit.empty());
    EXPECT_LT(prefix, limit);
    for (int i = 0; i < 50; ++i) {
      std::string extension = prefix;
      int n = static_cast<int>(rng() % 6);
      for (int k = 0; k < n; ++k) extension.push_back(static_cast<char>(rng()));
      if (i == 0) extension += std::string(8, '\xff');
      EXPECT_LT(extension, limit) << testing::PrintToString(extension);
      EXPECT_GE(extension, prefix);
    }
  }
}

TEST(KeysTest, EventKeyRoundTripsAndSortsBySequence) {
  for (uint64_t seq : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256},
                       uint64_t{1} << 40, std::numeric_limits<uint64_t>::max()}) {
    std::string key = EventKey(seq);
    EXPECT_EQ(key.size(), 8u);
    uint64_t decoded = 0;
    ASSERT_TRUE(DecodeEventKey(key, &decoded));
    EXPECT_EQ(decoded, seq);
  }
  EXPECT_LT(EventKey(255), EventKey(256));
  EXPECT_LT(EventKey(9), EventKey(10));
  uint64_t ignored;
  EXPECT_FALSE(DecodeEventKey("short", &ignored));
  EXPECT_FALSE(DecodeEventKey(std::string(9, 'x'), &ignored));
}

TEST(KeysTest, Fixed64RoundTrips) {
  uint64_t value = 0;
  ASSERT_TRUE(DecodeFixed64(EncodeFixed64(0x1122334455667788), &value));
  EXPECT_EQ(value, 0x1122334455667788u);
  EXPECT_FALSE(DecodeFixed64("1234567", &value));
  EXPECT_LT(EncodeFixed64(255), EncodeFixed64(256));
}

TEST(KeysTest, IdempotencyKeysSeparateAccountsAndRequests) {
  // "ab"+"c" and "a"+"bc" must not collide.
  EXPECT_NE(IdempotencyKey("ab", "c"), IdempotencyKey("a", "bc"));
  EXPECT_NE(ConsumerOffsetKey("worker"), ConsumerOffsetKey("worker2"));
  EXPECT_NE(ConsumerOffsetKey(""), SchemaVersionKey());
}

}  // namespace
}  // namespace baoxue::storage
