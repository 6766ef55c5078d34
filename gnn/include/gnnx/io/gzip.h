#pragma once
// Reading text files that may be gzip-compressed (the TUDataset and ground-truth files are
// published both ways). zlib tells them apart by the gzip magic bytes (1f 8b), not by the name.

#include <string>

namespace gnnx::io {

/// The whole content of `path`, decompressed when it starts with the gzip magic bytes and read
/// as it is otherwise. Throws InputError "cannot open '<path>': <reason>" for a missing,
/// unreadable or directory path and "cannot read '<path>': <zlib's reason>" for a corrupt or
/// truncated gzip stream.
std::string read_text_file(const std::string& path);

/// All of standard input, decompressed when it starts with the gzip magic bytes (`zcat`-free
/// pipes: `gzip -dc x.csv.gz | gnnx ...` and `cat x.csv.gz | gnnx ...` read the same). Throws
/// InputError "cannot read '-': <zlib's reason>" for a corrupt gzip stream.
std::string read_standard_input();

}  // namespace gnnx::io
