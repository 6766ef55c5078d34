#include <fcntl.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <streambuf>

namespace gnnx::io {
namespace {

// An output stream buffer over a file descriptor (std::ofstream cannot take one).
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  bool flush_all() { return sync() == 0; }

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    const char* p = pbase();
    while (p < pptr()) {
      const ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return -1;
      p += n;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return 0;
  }

 private:
  int fd_;
  char buffer_[1 << 16];
};

// Closes a file descriptor on scope exit.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// The output cannot be created where the user asked (no such directory, no permission, a
// read-only file system): the user's input is wrong, exit code 2 — not a failure of gnnx's.
[[noreturn]] void cannot_create(const std::string& prefix, int error) {
  throw InputError(prefix + std::strerror(error));
}

std::string directory_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// Linux: the content goes into an unnamed file in the target's directory (O_TMPFILE), which
// gets a name only once complete. A process killed while writing — SIGINT, SIGTERM, even SIGKILL
// — leaves nothing behind: the kernel frees the unnamed file. Returns false where the file
// system cannot make unnamed files (then the caller writes a named temporary instead).
bool write_unnamed_then_link(const std::string& path,
                             const std::function<void(std::ostream&)>& write,
                             const std::string& prefix) {
#ifdef O_TMPFILE
  // The finished file is linked through /proc; without /proc, a named temporary from the start
  // (checked first, so that the content is never written twice).
  if (::access("/proc/self/fd", F_OK) != 0) return false;
  const int fd = ::open(directory_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) return false;
    cannot_create(prefix, errno);
  }
  FdCloser closer{fd};
  {
    FdBuffer buffer(fd);
    std::ostream out(&buffer);
    write(out);
    if (!out || !buffer.flush_all()) throw Error(prefix + "write failed");
  }
  // Link the finished file under a temporary name, then rename it over the target: the target
  // is the old file or the new one, never a part.
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) != 0) {
    cannot_create(prefix, errno);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temp.c_str());
    cannot_create(prefix, error);
  }
  return true;
#else
  (void)path, (void)write, (void)prefix;
  return false;
#endif
}

}  // namespace

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write,
                           const std::string& what) {
  const std::string prefix =
      "cannot write " + (what.empty() ? "" : what + " ") + "'" + path + "': ";
  if (write_unnamed_then_link(path, write, prefix)) return;
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) cannot_create(prefix, errno);
      write(out);
      // close() flushes: a full disk may only show here.
      out.close();
      if (!out) throw Error(prefix + "write failed");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) cannot_create(prefix, errno);
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
