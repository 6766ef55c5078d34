#pragma once
// CLI11 validators with short messages ("--epochs: must be positive, got 0"); CLI11's own
// PositiveNumber prints the whole range up to DBL_MAX.

#include "cli/id_list.h"

#include <gnnx/io/number.h>
#include <gnnx/io/text.h>

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace gnnx::tools {

/// A number > 0.
inline CLI::Validator positive() {
  return {[](std::string& input) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(input, value)) return "not a number: " + input;
            return value > 0 ? std::string() : "must be positive, got " + input;
          },
          "POSITIVE", "positive"};
}

/// A number >= 0.
inline CLI::Validator non_negative() {
  return {[](std::string& input) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(input, value)) return "not a number: " + input;
            return value >= 0 ? std::string() : "must not be negative, got " + input;
          },
          "NON-NEGATIVE", "non_negative"};
}

/// A number a float holds: the training flags end up in float tensors, and LibTorch's
/// "cannot be converted to type float without overflow" came out as exit 1 (issue 20).
inline CLI::Validator fits_float() {
  return {[](std::string& input) -> std::string {
            double value = 0;
            if (!CLI::detail::lexical_cast(input, value)) return "not a number: " + input;
            // inf and nan are the strict number check's to refuse (cli/strict_numbers.h).
            return !std::isfinite(value) || std::abs(value) <= std::numeric_limits<float>::max()
                       ? std::string()
                       : "'" + input + "' is too large for a float";
          },
          "FLOAT-SIZED", "fits_float"};
}

/// A target list (cli/id_list.h): "all", ids and ranges a:b[:step], comma-separated. Whether the
/// ids exist is checked once the data set is known.
inline CLI::Validator id_list() {
  return {[](std::string& input) { return id_list_problem(input); }, "IDS", "id_list"};
}

/// "i/N" with 0 <= i < N, one shard of a job array: {i, N}; nullopt for anything else.
inline std::optional<std::pair<int64_t, int64_t>> parse_shard(const std::string& text) {
  const auto parts = io::split_list(text, '/', io::EmptyItems::kKeep);
  if (parts.size() != 2) return std::nullopt;
  const auto i = io::to_integer<int64_t>(parts[0]);
  const auto n = io::to_integer<int64_t>(parts[1]);
  if (!i || !n || *i < 0 || *i >= *n) return std::nullopt;
  return std::pair{*i, *n};
}

/// A shard "i/N" (parse_shard).
inline CLI::Validator shard() {
  return {[](std::string& input) -> std::string {
            return parse_shard(input) ? std::string()
                                      : "'" + input + "': expected i/N with 0 <= i < N, e.g. 0/4";
          },
          "i/N", "shard"};
}

}  // namespace gnnx::tools
