#pragma once
// Exit codes of the gnnx command line. main maps exceptions to them; nothing else exits.

namespace gnnx::tools {

inline constexpr int kExitOk = 0;
/// Anything unexpected: a bug or an environment failure (out of memory, I/O error).
inline constexpr int kExitFailure = 1;
/// The user's input is wrong: bad flag, unknown data set, unreadable or corrupt file,
/// unwritable output path. The message on stderr names the problem.
inline constexpr int kExitUsage = 2;

}  // namespace gnnx::tools
