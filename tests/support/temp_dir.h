#pragma once
// A scratch folder for one test: created empty under the system's temporary folder with a random
// suffix (tests run side by side under ctest -j), removed with everything in it when the object
// goes out of scope. A fixture holds one as a member, so every TEST gets a fresh folder.

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace gnnx::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;  // best effort: a leftover folder must not fail the test
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace gnnx::testing
