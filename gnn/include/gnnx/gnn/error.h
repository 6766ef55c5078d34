#pragma once
// The library's exception types. The library never exits: the CLI maps these to exit codes
// (InputError -> 2, anything else -> 1).

#include <stdexcept>
#include <string>

namespace gnnx {

/// Base of every error gnnx throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The caller's input is wrong (bad shape, out-of-range node, NaN feature, unknown name,
/// unreadable or corrupt file). The message names the problem and the offending value.
class InputError : public Error {
 public:
  using Error::Error;
};

}  // namespace gnnx
