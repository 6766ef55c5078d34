#pragma once
// CLI11 validators with short messages ("--epochs: must be positive, got 0"); CLI11's own
// PositiveNumber prints the whole range up to DBL_MAX.

#include <CLI/CLI.hpp>

#include <string>

namespace gnnx::tools {

/// A number > 0.
inline CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(input, value)) return "not a number: " + input;
        return value > 0 ? std::string() : "must be positive, got " + input;
      },
      "POSITIVE", "positive");
}

/// A number >= 0.
inline CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(input, value)) return "not a number: " + input;
        return value >= 0 ? std::string() : "must not be negative, got " + input;
      },
      "NON-NEGATIVE", "non_negative");
}

}  // namespace gnnx::tools
