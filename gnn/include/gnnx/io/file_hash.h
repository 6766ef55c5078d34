#pragma once
// A checksum of a file's bytes, so that a model can record which data it was trained on and a
// later command can tell a moved file (same bytes) from a changed one. zlib's CRC-32, as the
// model file's own checksum: it detects edits and truncation, not deliberate forgery.

#include <string>

namespace gnnx::io {

/// zlib's CRC-32 of the bytes of `path` as they are on disk (a gzipped file is not
/// decompressed), as 8 lowercase hex digits: "cbf43926" for a file holding "123456789".
/// Throws InputError "cannot open '<path>': <reason>" for a missing, unreadable or directory
/// path.
std::string file_crc32(const std::string& path);

}  // namespace gnnx::io
