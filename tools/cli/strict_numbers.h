#pragma once
// One rule for every numeric flag of every command: CLI11 reads integers with strtoll in base 0
// (so `--epochs 0x10` is 16, `010` is 8, `--seed -1` wraps to 2^64 - 1, and
// `99999999999999999999` becomes INT64_MAX) and reals with strtold (`--lr inf`, `nan` and
// `1e309` pass). This adds gnnx's strict readers (io/number.h) in front of CLI11's.

#include <CLI/CLI.hpp>

namespace gnnx::tools {

/// For every option of `app` and its subcommands, recursively, whose value type is an integer
/// (CLI11 type name INT or UINT) or a real (FLOAT): values must be plain decimal integers within
/// the type's range, or finite decimal numbers. Call after every option was added.
void require_strict_numbers(CLI::App& app);

}  // namespace gnnx::tools
