#ifndef ZHIWANG_COMMON_BASE_STATUS_MACROS_H_
#define ZHIWANG_COMMON_BASE_STATUS_MACROS_H_

// Early-return helpers for absl::Status / absl::StatusOr (Abseil 20220623 has none).
//
//   ZW_RETURN_IF_ERROR(Validate(req));
//   ZW_ASSIGN_OR_RETURN(Event e, store.Get(id));

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define ZW_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status zw_status_ = (expr);      \
    if (!zw_status_.ok()) return zw_status_; \
  } while (0)

#define ZW_CONCAT_INNER_(a, b) a##b
#define ZW_CONCAT_(a, b) ZW_CONCAT_INNER_(a, b)
#define ZW_ASSIGN_OR_RETURN(lhs, expr) \
  ZW_ASSIGN_OR_RETURN_IMPL_(ZW_CONCAT_(zw_statusor_, __LINE__), lhs, expr)
#define ZW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // ZHIWANG_COMMON_BASE_STATUS_MACROS_H_
