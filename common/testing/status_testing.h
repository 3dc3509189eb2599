#ifndef ZHIWANG_COMMON_TESTING_STATUS_TESTING_H_
#define ZHIWANG_COMMON_TESTING_STATUS_TESTING_H_

// gtest helpers for absl::StatusOr (Abseil 20220623 ships none). Header-only; include it
// from a test that already links gtest.
//
// ASSERT_OK_AND_ASSIGN(lhs, expr): evaluates `expr` (an absl::StatusOr<T>) once; if it is
// not OK the test fails with its status and the enclosing function returns (so, as with
// ASSERT_*, use it only in functions returning void); otherwise moves the value into
// `lhs`, which may be a declaration. Expands to several statements: do not use it as the
// body of an unbraced if/for.
//
//   ASSERT_OK_AND_ASSIGN(v1::Event e, stub.Get(id));
//   ASSERT_OK_AND_ASSIGN(auto client, redis::RedisClient::Connect(options));

#include <utility>

#include "absl/status/statusor.h"
#include "common/base/status_macros.h"
#include "gtest/gtest.h"

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ZW_ASSERT_OK_AND_ASSIGN_IMPL_(ZW_CONCAT_(zw_status_or_, __LINE__), lhs, expr)
#define ZW_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  ASSERT_TRUE(tmp.ok()) << tmp.status();              \
  lhs = *std::move(tmp)

#endif  // ZHIWANG_COMMON_TESTING_STATUS_TESTING_H_
