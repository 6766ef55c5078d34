// Atomic writes and the early output-path check (gnnx/io/atomic_file.h).

#include <fcntl.h>
#include <gnnx/gnn/error.h>
#include <gnnx/io/atomic_file.h>
#include <gtest/gtest.h>
#include <support/expect_error.h>
#include <support/temp_dir.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gnnx::io {
namespace {

namespace fs = std::filesystem;
using gnnx::testing::expect_error;

class AtomicFileTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }

  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_.path())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  static std::string read(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  gnnx::testing::TempDir dir_{"gnnx_atomic_file_test_"};
};

TEST_F(AtomicFileTest, WritesAndReplaces) {
  write_file_atomically(path("a.txt"), [](std::ostream& out) { out << "first"; });
  write_file_atomically(path("a.txt"), [](std::ostream& out) { out << "second"; });
  EXPECT_EQ(read(path("a.txt")), "second");
  EXPECT_EQ(files(), std::vector<std::string>{"a.txt"});
}

TEST_F(AtomicFileTest, FailedWriteKeepsTheOldFileAndLeavesNoTemporary) {
  write_file_atomically(path("a.txt"), [](std::ostream& out) { out << "old"; });
  EXPECT_THROW(write_file_atomically(path("a.txt"),
                                     [](std::ostream& out) {
                                       out << "half";
                                       throw std::runtime_error("interrupted");
                                     }),
               std::runtime_error);
  EXPECT_EQ(read(path("a.txt")), "old");
  EXPECT_EQ(files(), std::vector<std::string>{"a.txt"});
}

// A process killed in the middle of writing (SIGINT, SIGTERM, SIGKILL: no handler runs) leaves
// the old file as it was and no partial file beside it. The writer is a forked child that
// writes 1 MB, then kills itself before the write ends.
TEST_F(AtomicFileTest, KilledMidWriteLeavesTheOldFileAndNoPart) {
  const int probe = ::open(dir_.path().c_str(), O_TMPFILE | O_WRONLY, 0600);
  if (probe < 0) GTEST_SKIP() << "this file system makes no unnamed files (O_TMPFILE)";
  ::close(probe);
  write_file_atomically(path("a.txt"), [](std::ostream& out) { out << "old"; });
  for (const int signal : {SIGINT, SIGTERM, SIGKILL}) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      write_file_atomically(path("a.txt"), [signal](std::ostream& out) {
        out << std::string(1 << 20, 'x');
        out.flush();
        ::kill(::getpid(), signal);
        ::pause();
      });
      ::_exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "signal " << signal;
    EXPECT_EQ(WTERMSIG(status), signal);
    EXPECT_EQ(read(path("a.txt")), "old") << "signal " << signal;
    EXPECT_EQ(files(), std::vector<std::string>{"a.txt"}) << "signal " << signal;
  }
}

TEST_F(AtomicFileTest, ErrorsNameWhatAndWhere) {
  const std::string missing = path("no/such/dir/m.gnnx");
  // A file that cannot be created where asked is the user's input error (exit code 2).
  expect_error<InputError>(
      [&] {
        write_file_atomically(
            missing, [](std::ostream&) {}, "model file");
      },
      "cannot write model file '" + missing + "': ");
  expect_error<InputError>([&] { write_file_atomically(missing, [](std::ostream&) {}); },
                           "cannot write '" + missing + "': ");
  EXPECT_TRUE(files().empty());
}

TEST_F(AtomicFileTest, CheckWritablePathRefusesWhatCannotBeWritten) {
  check_writable_path(path("new.json"));  // a new file in an existing directory
  expect_error([&] { check_writable_path(path("no/such/x.json")); }, "does not exist");
  expect_error([&] { check_writable_path(dir_.path().string()); }, "is a directory");
  expect_error([&] { check_writable_path(""); }, "does not name a file");
  expect_error([&] { check_writable_path(path("sub/")); }, "does not name a file");
}

TEST_F(AtomicFileTest, CheckWritablePathRefusesAReadOnlyDirectory) {
  fs::create_directory(path("ro"));
  fs::permissions(path("ro"), fs::perms::owner_read | fs::perms::owner_exec);
  if (::access(path("ro").c_str(), W_OK) == 0) {
    fs::permissions(path("ro"), fs::perms::owner_all);
    GTEST_SKIP() << "running as root: every directory is writable";
  }
  expect_error([&] { check_writable_path(path("ro/x.json")); }, "is not writable");
  fs::permissions(path("ro"), fs::perms::owner_all);
}

}  // namespace
}  // namespace gnnx::io
