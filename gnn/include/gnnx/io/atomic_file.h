#pragma once
// Atomic file output: every file gnnx writes appears complete or not at all — the content goes
// to a temporary file beside the target, which is renamed over it only after a successful write.
// On Linux the temporary has no name while it is written (O_TMPFILE), so a process interrupted
// or killed mid-write (SIGINT, SIGTERM, SIGKILL) leaves no partial file and the old one intact.

#include <functional>
#include <ostream>
#include <string>

namespace gnnx::io {

/// Calls write(stream) on a temporary file in the target's directory, then renames it to
/// `path`. On any failure (including an exception from `write`) the temporary is removed and
/// an exception is thrown: "cannot write <what> '<path>': <reason>" ("cannot write '<path>': ..."
/// when `what` is empty), an InputError when the file cannot be created there (no such
/// directory, no permission, a read-only file system), an Error when writing it fails. An
/// existing file at `path` is kept.
///
/// Example: `write_file_atomically("m.gnnx", [&](std::ostream& out) { out << bytes; },
///                                 "model file");`
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                           const std::string& what = "");

/// Throws InputError when `path` could not be written: it names no file, it is a directory, or
/// its directory is missing, not a directory or not writable. Lets a command fail before long
/// work rather than after it.
void check_writable_path(const std::string& path);

}  // namespace gnnx::io
