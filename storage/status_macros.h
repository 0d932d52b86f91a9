// RETURN_IF_ERROR and ASSIGN_OR_RETURN for absl::Status / absl::StatusOr.
// Debian 12's Abseil (20220623) ships no status macros, so we keep this one
// small header instead of repeating the early-return pattern everywhere.
#ifndef BAOXUE_STORAGE_STATUS_MACROS_H_
#define BAOXUE_STORAGE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) once and returns it from the enclosing
// function if it is not OK.
#define RETURN_IF_ERROR(expr)                                    \
  do {                                                           \
    ::absl::Status baoxue_status_ = (expr);                      \
    if (!baoxue_status_.ok()) return baoxue_status_;             \
  } while (false)

#define BAOXUE_STATUS_CONCAT_INNER_(a, b) a##b
#define BAOXUE_STATUS_CONCAT_(a, b) BAOXUE_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs`, which may be a declaration:
//   ASSIGN_OR_RETURN(std::string value, store.Get(key));
#define ASSIGN_OR_RETURN(lhs, rexpr)                                         \
  BAOXUE_ASSIGN_OR_RETURN_IMPL_(                                             \
      BAOXUE_STATUS_CONCAT_(baoxue_statusor_, __LINE__), lhs, rexpr)

#define BAOXUE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // BAOXUE_STORAGE_STATUS_MACROS_H_
