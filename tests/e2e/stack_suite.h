#ifndef ZHIWANG_TESTS_E2E_STACK_SUITE_H_
#define ZHIWANG_TESTS_E2E_STACK_SUITE_H_

// A gtest fixture that starts one Stack (Redis + the three services, with TestDistrict())
// per test suite, and before each test restarts whatever a previous test stopped.
//
//   class MyE2E : public StackSuite {};
//   TEST_F(MyE2E, Something) { stack().intake(); ... }

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e/stack.h"

namespace zhiwang::e2e {

class StackSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Stack>> stack = Stack::Start(TestDistrict(), {});
    if (!stack.ok()) {
      start_error_ = new std::string(stack.status().ToString());
      return;
    }
    stack_ = stack->release();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
    delete start_error_;
    start_error_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(stack_, nullptr) << "the e2e stack did not start: " << *start_error_;
    absl::Status s = stack_->EnsureRunning();
    ASSERT_TRUE(s.ok()) << s;
  }

  Stack& stack() { return *stack_; }

 private:
  static inline Stack* stack_ = nullptr;
  static inline std::string* start_error_ = nullptr;
};

}  // namespace zhiwang::e2e

#endif  // ZHIWANG_TESTS_E2E_STACK_SUITE_H_
