#pragma once
// Atomic file output: every file gnnx writes appears complete or not at all — the content goes
// to a temporary file beside the target, which is renamed over it only after a successful write.

#include <functional>
#include <ostream>
#include <string>

namespace gnnx::gnn {

/// Calls write(stream) on a temporary file in the target's directory, then renames it to
/// `path`. On any failure (including an exception from `write`) the temporary is removed and
/// gnnx::Error is thrown naming the path and the reason; an existing file at `path` is kept.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

/// Throws InputError when `path` could not be created: its directory is missing or is not a
/// directory. Lets a command fail before long work rather than after it.
void check_writable_path(const std::string& path);

}  // namespace gnnx::gnn
