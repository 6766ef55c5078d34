#include <gnnx/gnn/atomic_file.h>
#include <gnnx/gnn/error.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace gnnx::gnn {

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw Error("cannot write '" + path + "': " + std::strerror(errno));
      write(out);
      out.flush();
      if (!out) throw Error("cannot write '" + path + "': write failed");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
      throw Error("cannot write '" + path + "': " + std::strerror(errno));
    }
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
}

}  // namespace gnnx::gnn
