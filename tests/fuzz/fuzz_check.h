// FUZZ_CHECK: the fuzz targets' assertion. An invariant the product code
// promises (e.g. "decoded text is valid UTF-8") that does not hold aborts
// with the condition and location, which libFuzzer records as a crash and
// the replay main reports as a failed test. Active in every build type.
#ifndef BAOXUE_TESTS_FUZZ_FUZZ_CHECK_H_
#define BAOXUE_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                          \
  do {                                                                 \
    if (!(condition)) {                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #condition);                              \
      std::abort();                                                    \
    }                                                                  \
  } while (false)

#endif  // BAOXUE_TESTS_FUZZ_FUZZ_CHECK_H_
