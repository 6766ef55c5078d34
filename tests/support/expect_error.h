#pragma once
// expect_error: the call throws the exception type, and its message says what the test needs.

#include <gnnx/gnn/error.h>
#include <gtest/gtest.h>

#include <string>

namespace gnnx::testing {

/// Expects `call()` to throw `Exception` (InputError unless given) whose message contains
/// `needle`; a failure names the message or says that nothing was thrown.
template <typename Exception = InputError, typename Call>
void expect_error(Call call, const std::string& needle) {
  try {
    call();
    ADD_FAILURE() << "no error, expected one containing \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace gnnx::testing
