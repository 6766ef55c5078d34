#include <gnnx/gnn/error.h>
#include <gnnx/io/file_hash.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace gnnx::io {

std::string file_crc32(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError("cannot open '" + path + "': it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
  uLong crc = ::crc32_z(0, nullptr, 0);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    crc = ::crc32_z(crc, reinterpret_cast<const Bytef*>(buffer), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError("cannot read '" + path + "'");
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08lx", static_cast<unsigned long>(crc & 0xFFFFFFFFul));
  return hex;
}

}  // namespace gnnx::io
