#include <gnnx/gnn/error.h>
#include <gnnx/io/gzip.h>
#include <zlib.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace gnnx::io {
namespace {

using GzFile = std::unique_ptr<gzFile_s, int (*)(gzFile)>;

/// The rest of `file`, decompressed by gzread (which passes plain bytes through unchanged).
std::string read_all(const GzFile& file, const std::string& name) {
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file.get(), buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<size_t>(n));
  }
  // A truncated stream ends the reads like the end of the file does; only gzerror tells.
  int err = Z_OK;
  const char* reason = gzerror(file.get(), &err);
  if (n < 0 || err != Z_OK) throw InputError("cannot read '" + name + "': " + reason);
  return text;
}

}  // namespace

std::string read_standard_input() {
  // gzclose closes the descriptor it was given: a duplicate, so that stdin stays open.
  const int fd = ::dup(STDIN_FILENO);
  if (fd < 0) throw InputError(std::string("cannot read standard input: ") + std::strerror(errno));
  const GzFile file(gzdopen(fd, "rb"), gzclose);
  if (!file) {
    ::close(fd);
    throw InputError("cannot read standard input: zlib could not open it");
  }
  return read_all(file, "-");
}

std::string read_text_file(const std::string& path) {
  // gzopen opens a directory without complaint; its read would fail with a vaguer message.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError("cannot open '" + path + "': it is a directory");
  }
  // gzread detects the gzip header itself and passes any other file through unchanged.
  const GzFile file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
  return read_all(file, path);
}

}  // namespace gnnx::io
