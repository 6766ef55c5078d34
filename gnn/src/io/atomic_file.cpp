#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace gnnx::io {

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                           const std::string& what) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const std::string prefix =
      "cannot write " + (what.empty() ? "" : what + " ") + "'" + path + "': ";
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw Error(prefix + std::strerror(errno));
      write(out);
      // close() flushes: a full disk may only show here.
      out.close();
      if (!out) throw Error(prefix + "write failed");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) throw Error(prefix + std::strerror(errno));
  } catch (...) {
    std::remove(temp.c_str());
    throw;
  }
}

void check_writable_path(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  if (path.empty() || p.filename().empty()) {
    throw InputError("output path '" + path + "' does not name a file");
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError("cannot write '" + path + "': directory '" + dir.string() +
                     "' does not exist");
  }
  if (fs::is_directory(p, ec)) {
    throw InputError("cannot write '" + path + "': it is a directory");
  }
  // The temporary file is created in the directory, so the directory itself must be writable.
  if (::access(dir.c_str(), W_OK) != 0) {
    throw InputError("cannot write '" + path + "': directory '" + dir.string() +
                     "' is not writable");
  }
}

}  // namespace gnnx::io
