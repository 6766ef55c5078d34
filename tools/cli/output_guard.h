#pragma once
// Refuses a command whose output would overwrite one of its inputs — `gnnx explain --model m.gnnx
// --out m.gnnx` or `explain-mol --input x.csv --output x.csv` used to replace the input without
// a word — or whose outputs name one file twice.

#include <CLI/CLI.hpp>

namespace gnnx::tools {

/// The flags whose value is a file the command writes.
bool is_output_flag(const std::string& flag);

/// After parsing `command`: throws InputError when an output flag's file is the same file as
/// any other flag's value (an existing file; links and other spellings of its path count:
/// std::filesystem::equivalent) or an existing file directly in a folder another flag names,
/// or when two output flags name the same path.
void refuse_outputs_over_inputs(const CLI::App& command);

}  // namespace gnnx::tools
