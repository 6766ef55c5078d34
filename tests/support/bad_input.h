#pragma once
// The table behind the bad-input suites (tests/tools/bad_input_*_test.cpp, issue 20): one row
// per case, run in one shared folder; each row must exit with code 2, name the problem, and
// leave no output file behind and every input file as it was. A suite derives its fixture from
// BadInputTest, fills the folder in SetUpTestSuite (make_folder, then its models and files) and
// runs its rows with expect_refused.

#include <gtest/gtest.h>

#include "support/run_cli.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace gnnx::testing {

struct BadInput {
  std::string name;                      ///< what the case is about
  std::string args;                      ///< gnnx's arguments, run in the suite's folder
  std::vector<std::string> message;      ///< words the error must contain
  std::vector<std::string> absent = {};  ///< files that must not appear (may be left out)
};

class BadInputTest : public ::testing::Test {
 protected:
  /// A fresh folder for the suite (call first in SetUpTestSuite).
  static void make_folder(const std::string& prefix) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  static void TearDownTestSuite() {
    std::error_code ec;  // best effort: a leftover folder must not fail the suite
    std::filesystem::remove_all(dir_, ec);
  }

  /// `gnnx -q --threads 1 ARGS` in the suite's folder.
  static CliResult gnnx(const std::string& args) {
    return run_gnnx(dir_, "-q --threads 1 " + args);
  }

  /// Writes `bytes` to `name` in the suite's folder (binary: CR, NUL and all).
  static void write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }

  /// Every regular file of the folder (and of its subfolders) and its bytes.
  static std::map<std::string, std::string> snapshot() {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      if (entry.is_regular_file() && entry.path().filename() != "stderr.txt") {
        files[std::filesystem::relative(entry.path(), dir_).string()] =
            read_whole_file(entry.path());
      }
    }
    return files;
  }

  /// Runs one row: exit code 2, every word of the message, no file written or changed.
  static void expect_refused(const BadInput& c) {
    const auto before = snapshot();
    const CliResult r = gnnx(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.name << ": gnnx " << c.args << "\n" << r.err;
    for (const std::string& word : c.message) {
      EXPECT_NE(r.err.find(word), std::string::npos)
          << c.name << ": the message lacks '" << word << "':\n"
          << r.err;
    }
    for (const std::string& file : c.absent) {
      EXPECT_FALSE(std::filesystem::exists(dir_ / file))
          << c.name << ": " << file << " was written";
    }
    EXPECT_EQ(snapshot(), before) << c.name << ": a file appeared, vanished or changed";
  }

  static void expect_all_refused(const std::vector<BadInput>& cases) {
    for (const BadInput& c : cases) expect_refused(c);
  }

  static inline std::filesystem::path dir_;
};

}  // namespace gnnx::testing
