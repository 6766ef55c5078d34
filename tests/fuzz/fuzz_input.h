#pragma once
// What every gnnx fuzz harness shares (libFuzzer, https://llvm.org/docs/LibFuzzer.html):
//
// - The readers take paths, so an input is written to a scratch folder that lives as long as the
//   process (on /dev/shm when there is one: a write per execution must not cost a disk sync).
// - Multi-file formats (TUDataset, the node-task files) get their files from one input split at
//   form feeds ('\f' never occurs in those text formats, and the dictionaries hold it, so the
//   mutator moves bytes between files and adds or drops a file).
// - The contract under test: a reader either returns or throws gnnx::InputError. Any other
//   exception (std::bad_alloc, std::out_of_range, c10::Error, gnnx::Error) means a user would see
//   exit 1 or a crash instead of a message naming the problem, so it is a finding: the harness
//   prints it and aborts, and libFuzzer saves the input.

#include <gnnx/gnn/error.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace gnnx::fuzz {

/// A folder of this process's own (removed at exit), on /dev/shm when it exists.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path base = std::filesystem::exists("/dev/shm")
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    std::filesystem::path d = base / ("gnnx-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

/// Writes `bytes` to scratch_dir()/name and returns the path.
inline std::string write_file(const std::string& name, std::string_view bytes) {
  const std::filesystem::path path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path.string();
}

/// Removes scratch_dir()/name if it exists (a file an earlier input wrote and this one has not).
inline void remove_file(const std::string& name) {
  std::error_code ec;
  std::filesystem::remove(scratch_dir() / name, ec);
}

/// `data` split at form feeds: at most `max_parts` parts (the last keeps any further '\f').
inline std::vector<std::string_view> split_parts(const uint8_t* data, size_t size,
                                                 size_t max_parts) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const size_t cut = rest.find('\f');
    if (cut == std::string_view::npos) break;
    parts.push_back(rest.substr(0, cut));
    rest.remove_prefix(cut + 1);
  }
  parts.push_back(rest);
  return parts;
}

/// Runs `read`; an InputError is the reader doing its job, anything else is reported and aborts.
template <typename Read>
void expect_input_error_only(Read&& read) {
  try {
    read();
  } catch (const gnnx::InputError&) {
    // Refused with a message: the contract.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz harness: not an InputError: %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz harness: a non-standard exception\n");
    std::abort();
  }
}

}  // namespace gnnx::fuzz
